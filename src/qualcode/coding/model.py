"""A coding: a code applied to a span of a transcript's normalised text, by a coder.

The text of a coding is always derived (``transcript.text[start:end]``); the
codings CSV carries it only so that other tools, and re-anchoring, can check it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BEST_GUESS", "CODED", "CODINGS_COLUMNS", "REQUIRED_IMPORT_COLUMNS", "Coding"]

#: The codings CSV contract, in this order. Other tools parse it: add, never rename or drop.
CODINGS_COLUMNS = (
    "file",
    "respondent",
    "organisation",
    "start",
    "end",
    "code",
    "variable",
    "coder",
    "score",
    "text",
    "evidence",
    "confidence",
    "rank",
    "suggestion",
)

#: ``suggestion`` of a row that is a coding (it passed the auto-coder's thresholds, or a person
#: made it); an empty cell, or a CSV without the column, means the same.
CODED = "coding"
#: ``suggestion`` of a segment's best variable written although it is below the thresholds: a
#: first guess for a reviewer, which no analysis, report or agreement counts as coded.
BEST_GUESS = "best_guess"

#: The columns a codings CSV must have to be imported.
REQUIRED_IMPORT_COLUMNS = ("file", "start", "end", "code", "coder")


@dataclass(frozen=True)
class Coding:
    """``code`` applied by ``coder`` to ``text[start:end]`` of transcript ``file``.

    ``score`` and ``evidence`` say how strongly and why an automatic coder chose it;
    ``confidence`` is the learned model's calibrated probability (None without one)
    and ``rank`` the code's variable's rank in its segment (1 = best; 0 = unranked).
    ``best_guess`` marks a segment's best variable written below the thresholds, a first
    guess for a reviewer and not a coding (``suggestion`` ``best_guess`` in the CSV).
    """

    file: str
    start: int
    end: int
    code: str
    coder: str = "auto"
    score: float = 1.0
    evidence: str = ""
    memo: str = ""
    confidence: float | None = None
    rank: int = 0
    best_guess: bool = False
