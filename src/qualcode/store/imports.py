"""Checking codings from elsewhere (a codings CSV, the auto-coder) before they are stored.

Every row is checked against the project's transcripts and codebook (by the
one codings check, :mod:`qualcode.coding.codings`) and must cover respondent
speech, before anything is written; one refused row refuses the whole
import, and the error lists every refused row, one line each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from qualcode.codebook import Codebook
from qualcode.coding.codings import check_codings, is_best_guess
from qualcode.coding.model import REQUIRED_IMPORT_COLUMNS, Coding
from qualcode.coding.reanchor import Anchor
from qualcode.corpus import Corpus
from qualcode.corpus.spans import check_span
from qualcode.errors import CodingError, CodingsRefused
from qualcode.store.db import Database
from qualcode.store.records import NewCoding

__all__ = [
    "AUTO_CODER",
    "CodingsRefused",
    "ImportResult",
    "coder_name",
    "prepare_import",
    "run_import",
]

#: The coder name of the automatic coder; its codings are suggestions.
AUTO_CODER = "auto"

#: A key identifying a coding: file, start, end, code, coder.
Key = tuple[str, int, int, str, str]


def coder_name(coder: str, *, manual: bool = True) -> str:
    """*coder*, stripped; ``CodingError`` when empty, or when a *manual* coder calls itself auto."""
    name = (coder or "").strip()
    if not name:
        raise CodingError("coder is empty; pass coder='your name'")
    if manual and name == AUTO_CODER:
        raise CodingError(
            f"coder {AUTO_CODER!r} is reserved for the auto-coder's suggestions; pass your own name"
        )
    return name


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows stored, rows already present, rows moved to their text."""

    added: int
    skipped: int = 0
    reanchored: int = 0
    ids: tuple[int, ...] = field(default=(), repr=False)


def prepare_import(
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    codebook: Codebook,
    existing: set[Key],
    *,
    source: str,
    coder: str | None = None,
    status_for: dict[str, str] | None = None,
) -> tuple[list[NewCoding], int, int]:
    """Check every coding; the codings to store, the number already present and re-anchored.

    *codings* is a frame in the codings CSV contract or ``Coding`` records,
    named *source* in messages; *coder*, when given, replaces every row's
    coder. Rows are checked by :func:`qualcode.coding.codings.check_codings`
    (a row whose ``text`` is not at its offsets moves to the nearest place
    where it is), then each span must be respondent speech. A row by the
    auto-coder becomes a suggestion, any other an active manual coding
    (*status_for* may map coder names to a status); a best guess (``suggestion``
    ``best_guess``: below the auto-coder's thresholds) is always a suggestion,
    never counted until a reviewer accepts it. Raises ``CodingsRefused``
    listing every refused row.
    """
    if coder is not None and isinstance(codings, pd.DataFrame):
        codings = codings.assign(coder=coder)
    elif coder is not None:
        codings = [replace(c, coder=coder) for c in codings]
    problems: dict[int, str] = {}
    checked = check_codings(
        codings,
        corpus,
        codebook=codebook,
        required=REQUIRED_IMPORT_COLUMNS,
        reanchor=True,
        source=source,
        refused=problems,
        best_guesses=True,
    )
    guesses = dict(zip(checked.index, is_best_guess(checked), strict=True))
    has = set(checked.columns)
    out: list[NewCoding] = []
    seen = set(existing)
    skipped = moved = 0
    for position, r in zip(checked.index, checked.to_dict(orient="records"), strict=True):
        t = corpus.get(r["file"])
        try:
            check_span(t, r["start"], r["end"], where=r["where"])
        except CodingError as exc:
            problems[int(position)] = str(exc)
            continue
        key = (r["file"], r["start"], r["end"], r["code"], r["coder"])
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        moved += bool(r["reanchored"])
        auto = r["coder"] == AUTO_CODER
        status = (status_for or {}).get(r["coder"], "suggested" if auto else "active")
        if guesses[position]:
            status = "suggested"
        out.append(
            NewCoding(
                file=r["file"],
                start=r["start"],
                end=r["end"],
                code=r["code"],
                coder=r["coder"],
                origin="auto" if status == "suggested" else "manual",
                status=status,
                anchor=Anchor.of(t.text, r["start"], r["end"]),
                score=float(r["score"]),
                evidence=_text(r["evidence"]) if "evidence" in has else "",
                memo=_text(r["memo"]) if "memo" in has else "",
            )
        )
    if problems:
        raise CodingsRefused([problems[k] for k in sorted(problems)], note="nothing was imported")
    return out, skipped, moved


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def run_import(
    db: Database,
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    codebook: Codebook,
    *,
    action: str,
    who: str,
    source: str,
    coder: str | None = None,
    status_for: dict[str, str] | None = None,
) -> ImportResult:
    """Check *codings*, add the new ones to *db* and log it, in one transaction.

    Rows already stored (in any status but orphaned) are skipped; see
    :func:`prepare_import` for *source*, *coder* and *status_for*.
    """
    with db.transaction():
        existing = {
            (c.file, c.start, c.end, c.code, c.coder)
            for c in db.codings(statuses=("active", "suggested", "accepted", "rejected"))
        }
        new, skipped, moved = prepare_import(
            codings,
            corpus,
            codebook,
            existing,
            source=source,
            coder=coder,
            status_for=status_for,
        )
        ids = db.add_codings(new)
        if ids:
            db.append_log(
                who,
                action,
                {"source": source, "count": len(ids), "first_id": ids[0], "last_id": ids[-1]},
            )
    return ImportResult(added=len(ids), skipped=skipped, reanchored=moved, ids=tuple(ids))
