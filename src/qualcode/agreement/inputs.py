"""Codings to compare: reading several codings CSVs and checking them against the corpus.

Every row is checked before anything is computed, so that a figure is never
based on a coding that points at the wrong text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from qualcode.coding.csvio import read_codings_csv
from qualcode.coding.model import REQUIRED_IMPORT_COLUMNS, Coding
from qualcode.corpus import Corpus, normalise
from qualcode.errors import CodingError

__all__ = ["CheckedCodings", "check_codings", "read_codings"]

#: Statuses of a project's codings that are a coder's own decision; the others
#: (``suggested``, ``rejected``, ``orphaned``) are not compared.
COUNTED_STATUSES = ("active", "accepted")

#: Columns :func:`read_codings` adds: the CSV a row came from and its line number there.
SOURCE_COLUMNS = ("source", "row")


def read_codings(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Read one or more codings CSVs into one frame, remembering where each row came from.

    Each CSV needs the columns ``file, start, end, code, coder`` (one file may
    hold several coders). The result adds ``source`` (the CSV's file name) and
    ``row`` (the line number in it, the header being line 1).
    """
    frames = []
    for path in paths:
        frame = read_codings_csv(path)
        frame["source"] = Path(path).name
        frame["row"] = np.arange(len(frame), dtype=np.int64) + 2
        frames.append(frame)
    if not frames:
        raise CodingError("no codings files given; pass one or more codings CSVs")
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class CheckedCodings:
    """Codings that fit the corpus, as parallel columns, plus the coders in order of appearance."""

    files: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    coder_order: tuple[str, ...]
    origin: str  # what the codings were read from, for messages ("a.csv, b.csv")


def _as_frame(codings: pd.DataFrame | Iterable[Coding]) -> pd.DataFrame:
    if isinstance(codings, pd.DataFrame):
        return codings
    rows = [
        {"file": c.file, "start": c.start, "end": c.end, "code": c.code, "coder": c.coder}
        for c in codings
    ]
    return pd.DataFrame.from_records(rows, columns=list(REQUIRED_IMPORT_COLUMNS))


def _origin(frame: pd.DataFrame) -> str:
    if "source" in frame.columns and len(frame):
        return ", ".join(dict.fromkeys(str(s) for s in frame["source"]))
    return "the codings"


def _where(record: dict[str, object], position: object) -> str:
    if "source" in record and "row" in record:
        return f"{record['source']}, row {record['row']}"
    return f"codings row {position}"


def check_codings(codings: pd.DataFrame | Iterable[Coding], corpus: Corpus) -> CheckedCodings:
    """Check every coding against *corpus* and return them as :class:`CheckedCodings`.

    Raises ``CodingError`` naming the CSV and row for a missing column, an
    empty coder or code, a file that is not in the corpus, offsets outside
    the text or not in order, and a ``text`` column that differs from the
    transcript at those offsets (the transcript changed after coding). Rows
    of a project's codings frame whose ``status`` is not active or accepted
    (suggestions, rejected and orphaned codings) are left out.
    """
    frame = _as_frame(codings)
    if "status" in frame.columns:
        frame = frame[frame["status"].isin(COUNTED_STATUSES)]
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in frame.columns]
    if missing:
        raise CodingError(
            f"the codings lack column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"agreement needs {', '.join(REQUIRED_IMPORT_COLUMNS)}"
        )
    known = set(corpus.files)
    has_text = "text" in frame.columns
    files: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    codes: list[str] = []
    coders: list[str] = []
    for position, record in zip(frame.index, frame.to_dict(orient="records"), strict=True):
        file, code, coder = (str(record[c]).strip() for c in ("file", "code", "coder"))
        where = _where(record, position)
        try:
            start, end = int(record["start"]), int(record["end"])  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise CodingError(
                f"{where}: start {record['start']!r} and end {record['end']!r} "
                "must be whole numbers (character offsets)"
            ) from None
        if not coder:
            raise CodingError(f"{where}: the coder is empty; every coding needs a coder's name")
        if not code:
            raise CodingError(f"{where}: the code is empty; every coding needs a code id")
        if file not in known:
            unreadable = [e.error for e in corpus.errors if e.file == file]
            if unreadable:
                raise CodingError(
                    f"{where}: transcript {file!r} could not be read: {unreadable[0]}"
                )
            shown = ", ".join(corpus.files[:6]) + (" ..." if len(corpus.files) > 6 else "")
            raise CodingError(
                f"{where}: file {file!r} is not a transcript in {corpus.root}; "
                f"known files: {shown} (check --transcripts)"
            )
        text = corpus.get(file).text
        if not 0 <= start < end:
            raise CodingError(
                f"{where}: start {start} is not before end {end}; a coding spans "
                "at least one character"
            )
        if end > len(text):
            raise CodingError(
                f"{where}: end {end} is past the end of {file} ({len(text)} characters)"
            )
        coded = record.get("text") if has_text else None
        if isinstance(coded, str) and coded and normalise(coded) != text[start:end]:
            raise CodingError(
                f"{where}: the coded text does not match {file} at {start}-{end} "
                f"({coded[:40]!r} vs {text[start:end][:40]!r}); the transcript changed "
                "after coding: re-anchor the codings in a project (qualcode project "
                "import-codings) and export them again"
            )
        files.append(file)
        starts.append(start)
        ends.append(end)
        codes.append(code)
        coders.append(coder)
    order = tuple(dict.fromkeys(coders))
    origin = _origin(frame)
    if len(order) < 2:
        found = f"only {order[0]!r}" if order else "none"
        raise CodingError(f"agreement needs at least two coders; found {found} in {origin}")
    return CheckedCodings(
        tuple(files), tuple(starts), tuple(ends), tuple(codes), tuple(coders), order, origin
    )
