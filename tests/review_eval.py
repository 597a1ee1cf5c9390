"""Scoring a quote check against an answer key (for tests and the evaluation figures).

The key is a CSV with ``n,quote_start,attributed_to,true_file,truth,note``;
``truth`` is verified, altered, misattributed, not_found, document,
paraphrase or interviewer. A key row is found when a checked quote's text
(normalised) starts with its ``quote_start``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.review import QuoteCheck, QuoteResult

#: What the checker should say for each truth: (status, source).
EXPECTED = {
    "verified": ("verified", "respondent"),
    "altered": ("altered", None),
    "misattributed": ("misattributed", None),
    "not_found": ("not_found", None),
    "document": ("unattributed", None),
    "paraphrase": ("verified", "paraphrase"),
    "interviewer": ("verified", "interviewer"),
}
PROBLEM_TRUTHS = frozenset({"altered", "misattributed", "not_found"})


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("\u00ad", "")).lower().split())


@dataclass(frozen=True)
class Score:
    """Figures of one check against a key."""

    quotes: int
    found: int
    attribution_right: int
    verdict_right: int
    false_alarms: int
    extra: int
    misses: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.quotes

    @property
    def attribution(self) -> float:
        return self.attribution_right / max(self.found, 1)

    @property
    def verdicts(self) -> float:
        return self.verdict_right / max(self.found, 1)

    def line(self) -> str:
        return (
            f"recall {self.found}/{self.quotes} = {self.recall:.3f}, "
            f"attribution {self.attribution_right}/{self.found} = {self.attribution:.3f}, "
            f"verdicts {self.verdict_right}/{self.found} = {self.verdicts:.3f}, "
            f"false alarms {self.false_alarms}, unkeyed quotes {self.extra}"
        )


def load_key(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _verdict_ok(r: QuoteResult, truth: str) -> bool:
    status, source = EXPECTED[truth]
    if r.status != status:
        return False
    return source is None or r.source == source


def score(check: QuoteCheck, key: list[dict[str, str]]) -> Score:
    """Compare *check* with *key* row by row."""
    results = list(check.results)
    used: set[int] = set()
    found = attribution = verdict = alarms = 0
    misses: list[str] = []
    for row in key:
        start = _norm(row["quote_start"])
        hit = next(
            (i for i, r in enumerate(results) if i not in used and _norm(r.text).startswith(start)),
            None,
        )
        if hit is None:
            misses.append(f"{row['n']}: not found as a quote")
            continue
        used.add(hit)
        r = results[hit]
        found += 1
        truth = row["truth"]
        want = row["attributed_to"] or None
        if r.attributed_to == want:
            attribution += 1
        else:
            misses.append(f"{row['n']}: attributed to {r.attributed_to}, key {want}")
        if _verdict_ok(r, truth):
            verdict += 1
        else:
            misses.append(f"{row['n']}: {r.status}/{r.source}, key {truth}")
        if r.problem and truth not in PROBLEM_TRUTHS:
            alarms += 1
    extra = [r for i, r in enumerate(results) if i not in used]
    alarms += sum(r.problem for r in extra)
    return Score(len(key), found, attribution, verdict, alarms, len(extra), tuple(misses))
