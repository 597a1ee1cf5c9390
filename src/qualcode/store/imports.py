"""Checking codings from elsewhere (a codings CSV, the auto-coder) before they are stored.

Every row is checked against the project's transcripts and codebook before
anything is written; one refused row refuses the whole import, and the error
lists every refused row, one line each.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from qualcode.codebook import Codebook
from qualcode.coding.model import REQUIRED_IMPORT_COLUMNS, Coding
from qualcode.coding.reanchor import Anchor, nearest_occurrence
from qualcode.corpus import Corpus, Transcript, normalise
from qualcode.errors import CodingError
from qualcode.store.records import NewCoding
from qualcode.store.texts import check_code, check_span

__all__ = [
    "AUTO_CODER",
    "CodingsRefused",
    "ImportResult",
    "IncomingRow",
    "coder_name",
    "prepare",
    "rows_of",
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


class CodingsRefused(CodingError):
    """An import refused because of one or more rows; ``problems`` holds one line per row."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - 1
        suffix = f" (and {more} more refused row{'s' if more > 1 else ''}; nothing was imported)"
        super().__init__(self.problems[0] + (suffix if more else "; nothing was imported"))


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows stored, rows already present, rows moved to their text."""

    added: int
    skipped: int = 0
    reanchored: int = 0
    ids: tuple[int, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class IncomingRow:
    """One coding offered for import, with where it came from (``where``) for messages."""

    where: str
    file: str
    start: int
    end: int
    code: str
    coder: str
    score: float = 1.0
    evidence: str = ""
    memo: str = ""
    text: str | None = None
    problem: str = ""


def rows_of(data: pd.DataFrame | Iterable[Coding], *, source: str) -> list[IncomingRow]:
    """Incoming rows from a codings frame (the CSV contract) or from ``Coding`` records.

    Raises ``CodingError`` when a frame lacks a required column.
    """
    if not isinstance(data, pd.DataFrame):
        return [
            IncomingRow(
                f"{source}, coding {i}",
                c.file,
                c.start,
                c.end,
                c.code,
                c.coder,
                float(c.score),
                c.evidence,
                c.memo,
            )
            for i, c in enumerate(data, start=1)
        ]
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in data.columns]
    if missing:
        raise CodingError(
            f"{source}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; codings need {', '.join(REQUIRED_IMPORT_COLUMNS)}"
        )
    has = set(data.columns)
    rows = []
    for i, r in enumerate(data.to_dict(orient="records")):
        line = i + 2  # the line in the CSV, its header being line 1
        text = r.get("text") if "text" in has else None
        where = f"{source}, row {line}"
        start, end = _offset(r["start"]), _offset(r["end"])
        problem = ""
        if start is None or end is None:
            bad = r["start"] if start is None else r["end"]
            problem = (
                f"{where}: {'start' if start is None else 'end'} {bad!r} is not a "
                "non-negative whole number (a character offset)"
            )
        rows.append(
            IncomingRow(
                where=where,
                file=_str(r["file"]).strip(),
                start=start or 0,
                end=end or 0,
                code=_str(r["code"]).strip(),
                coder=_str(r["coder"]).strip(),
                score=_score(r.get("score")),
                evidence=_str(r.get("evidence")),
                memo=_str(r.get("memo")),
                text=None if text is None or _str(text) == "" else str(text),
                problem=problem,
            )
        )
    return rows


def _str(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _offset(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer()):
        number = int(value)
        return number if number >= 0 else None
    text = _str(value).strip()
    return int(text) if text.isdigit() else None


def _score(value: object) -> float:
    try:
        score = float(_str(value) or 1.0)  # type: ignore[arg-type]
    except ValueError:
        return 1.0
    return 1.0 if score != score else score


def _place(row: IncomingRow, t: Transcript) -> tuple[int, int, bool]:
    """The row's span in *t*: its offsets, or where its ``text`` is (then ``True``)."""
    if row.text is None:
        return row.start, row.end, False
    text = normalise(row.text)
    if t.text[row.start : row.end] == text and row.end <= len(t.text):
        return row.start, row.end, False
    found = nearest_occurrence(t.text, text, near=row.start)
    if found is None:
        short = text if len(text) <= 40 else text[:37] + "..."
        raise CodingError(
            f"{row.where}: text {short!r} is not at {row.start}-{row.end} of {row.file} and "
            "occurs nowhere in it; fix the offsets or the text"
        )
    return found, found + len(text), True


def prepare(
    rows: Iterable[IncomingRow],
    corpus: Corpus,
    codes: Container[str],
    codebook: Callable[[], Codebook],
    existing: set[Key],
    *,
    status_for: dict[str, str] | None = None,
) -> tuple[list[NewCoding], int, int]:
    """Check every row; the codings to store, the number already present and re-anchored.

    *codes* are the valid code ids; *codebook* gives the codebook for wording errors.

    A row by the auto-coder becomes a suggestion, any other an active manual
    coding (*status_for* may map coder names to a status). Raises
    ``CodingsRefused`` listing every refused row.
    """
    problems: list[str] = []
    out: list[NewCoding] = []
    seen = set(existing)
    skipped = moved = 0
    files = set(corpus.files)
    for row in rows:
        try:
            if row.problem:
                raise CodingError(row.problem)
            if not row.coder:
                raise CodingError(f"{row.where}: empty coder; fill in who made the coding")
            if row.file not in files:
                known = ", ".join(sorted(files)[:6]) + (" ..." if len(files) > 6 else "")
                raise CodingError(
                    f"{row.where}: unknown file {row.file!r}; the project holds "
                    f"{known} (fix the name, or refresh the project)"
                )
            check_code(row.code, known=codes, codebook=codebook, where=row.where)
            t = corpus.get(row.file)
            start, end, reanchored = _place(row, t)
            check_span(t, start, end, where=row.where)
        except CodingError as exc:
            problems.append(str(exc))
            continue
        key = (row.file, start, end, row.code, row.coder)
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        moved += reanchored
        auto = row.coder == AUTO_CODER
        status = (status_for or {}).get(row.coder, "suggested" if auto else "active")
        out.append(
            NewCoding(
                file=row.file,
                start=start,
                end=end,
                code=row.code,
                coder=row.coder,
                origin="auto" if status == "suggested" else "manual",
                status=status,
                anchor=Anchor.of(t.text, start, end),
                score=row.score,
                evidence=row.evidence,
                memo=row.memo,
            )
        )
    if problems:
        raise CodingsRefused(problems)
    return out, skipped, moved
