"""The codings table: read from CSVs, checked against a corpus, mapped onto segments.

Every command that consumes codings (analysis and reports, agreement,
evaluation, the project import) goes through this module, so the same codings
always get the same answer and the same message.

* :func:`read_codings` reads one or more codings CSVs into one frame and
  remembers where each row came from (columns ``source`` and ``row``).
* :func:`check_codings` checks every row against a corpus (and a codebook when
  one is given) and returns the clean frame: ``start``/``end`` integers,
  ``score`` a float, every other column (``text``, ``variable``, ``evidence``,
  ``confidence``, ``rank``, ``origin``, ...) passed through untouched. The
  ``text`` column, where a row carries it, must equal the transcript at the
  row's offsets after Unicode NFC normalisation (the transcript's own form);
  a row whose text differs is refused, or moved to the nearest place where
  its text is when the caller asks for re-anchoring.
* A row whose ``suggestion`` is ``best_guess`` (the auto-coder's first guess for
  a segment where no variable passed its thresholds) is not a coding:
  :func:`check_codings` leaves it out unless the caller asks for best guesses
  (the evaluation's ranked figures, a project import that keeps them as
  suggestions); :func:`is_best_guess` says which rows are.
* :func:`overlaps` finds, in one vectorised pass, every (coding, segment)
  pair that shares at least one character, and how many.

A problem is reported for every refused row, one line each, as
:class:`~qualcode.errors.CodingsRefused`; its message is the first row's
problem, and how many more rows were refused.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.model import BEST_GUESS, REQUIRED_IMPORT_COLUMNS, Coding
from qualcode.coding.reanchor import nearest_occurrence
from qualcode.corpus import Corpus, normalise
from qualcode.errors import CodebookError, CodingError, CodingsRefused, CorpusError

__all__ = [
    "SOURCE_COLUMNS",
    "as_frame",
    "check_codings",
    "is_best_guess",
    "overlaps",
    "read_codings",
    "read_codings_csv",
]

#: Columns :func:`read_codings` adds: the CSV a row came from and its line number there.
SOURCE_COLUMNS = ("source", "row")

#: The columns every codings table needs; a CSV also needs ``coder``.
NEEDED_COLUMNS = ("file", "start", "end", "code")

_CODING_FIELDS = tuple(f.name for f in fields(Coding))

IntArray = npt.NDArray[np.int64]


# -- reading --------------------------------------------------------------------------------


def _csv_text(path: Path) -> str:
    """The text of the CSV *path*: UTF-8 (or UTF-16 with a BOM), else cp1252 with a warning,
    as spreadsheet programs save it."""
    from qualcode.corpus.readers import decode_text

    try:
        return decode_text(path.name, path.read_bytes(), fix="save it as CSV (UTF-8)")
    except CorpusError as exc:
        raise CodingError(str(exc)) from None


def _separator(content: str) -> str:
    """The field separator of a CSV from its header line: ``;`` or a tab where a spreadsheet
    program in a Dutch locale wrote one, else ``,``."""
    header = content.lstrip("\ufeff").split("\n", 1)[0]
    for sep in (",", ";", "\t"):
        if header.count(sep) >= 3:
            return sep
    return ","


def read_codings_csv(
    path: str | Path, *, required: Iterable[str] = REQUIRED_IMPORT_COLUMNS, offsets: bool = True
) -> pd.DataFrame:
    """Read one codings CSV as text columns (``start``/``end`` integers unless *offsets* is False).

    Column names are stripped and lower-cased; cells stay text, empty cells
    empty strings. Raises ``CodingError`` naming the file when it is missing,
    empty, not a CSV, or lacks a *required* column; with *offsets* also naming
    the first row whose offsets are not whole numbers (with ``offsets=False``
    they stay text, for :func:`check_codings` to report every row).
    """
    path = Path(path)
    required = tuple(required)
    if not path.is_file():
        raise CodingError(f"{path}: codings file not found")
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        raise CodingError(
            f"{path.name}: is a spreadsheet, not a codings CSV; save it as CSV (UTF-8) and "
            "use that file"
        )
    try:
        frame = pd.read_csv(
            io.StringIO(content := _csv_text(path)),
            sep=_separator(content),
            dtype=str,
            keep_default_na=False,
        )
    except pd.errors.EmptyDataError:
        raise CodingError(
            f"{path.name}: the codings file is empty; expected a header with {', '.join(required)}"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CodingError(f"{path.name}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CodingError(
            f"{path.name}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a codings CSV needs {', '.join(required)}"
        )
    if offsets:
        for col in ("start", "end"):
            if col not in frame.columns:
                continue
            bad = ~_whole(frame[col])
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise CodingError(_bad_offset(f"{path.name}, row {i + 2}", col, frame[col].iat[i]))
            frame[col] = frame[col].astype(int)
    if "score" in frame.columns:
        frame["score"] = _scores(frame["score"])
    return frame


def read_codings(
    paths: str | Path | Iterable[str | Path], *, required: Iterable[str] = REQUIRED_IMPORT_COLUMNS
) -> pd.DataFrame:
    """Read one or more codings CSVs into one frame, remembering where each row came from.

    Each CSV needs the *required* columns (default ``file, start, end, code,
    coder``). ``start``/``end`` become integers when every row's are whole
    numbers; otherwise they stay as written, for :func:`check_codings` to
    name every bad row. The result
    adds ``source`` (the CSV's file name) and ``row`` (the line number in it,
    the header being line 1). Raises ``CodingError`` when no file is given or
    a file cannot be read.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    frames = []
    for path in paths:
        frame = read_codings_csv(path, required=required, offsets=False)
        frame["source"] = Path(path).name
        frame["row"] = np.arange(len(frame), dtype=np.int64) + 2
        frames.append(frame)
    if not frames:
        raise CodingError("no codings files given; give one or more codings CSVs")
    frame = pd.concat(frames, ignore_index=True)
    for col in ("start", "end"):
        if col in frame.columns and _whole(frame[col]).all():
            frame[col] = _numbers(frame[col]).astype(np.int64)
    return frame


def as_frame(codings: pd.DataFrame | Iterable[Coding]) -> pd.DataFrame:
    """*codings* as a frame: a frame unchanged, ``Coding`` records one row each."""
    if isinstance(codings, pd.DataFrame):
        return codings
    items = list(codings)
    return pd.DataFrame(
        {name: [getattr(c, name) for c in items] for name in _CODING_FIELDS},
        columns=list(_CODING_FIELDS),
    )


# -- checking -------------------------------------------------------------------------------


def check_codings(
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    *,
    codebook: Codebook | None = None,
    required: Sequence[str] = NEEDED_COLUMNS,
    reanchor: bool = False,
    source: str = "codings",
    refused: dict[int, str] | None = None,
    best_guesses: bool = False,
) -> pd.DataFrame:
    """The codings as a clean frame, after checking every row against *corpus* (and *codebook*).

    *codings* is a frame in the codings CSV contract (as :func:`read_codings`
    gives) or ``Coding`` records; it needs the *required* columns. Rows are
    named in messages by ``source``/``row`` when the frame has them, else
    ``"{source}, coding {id}"`` (a project's frame), else ``"{source}, row N"``
    (the CSV line a frame would have), or ``"{source}, coding N"`` for records.

    A row is refused when its offsets are not whole numbers, its coder (when
    there is a ``coder`` column) or code is empty, its file is not in the
    corpus, its code is not in *codebook*, its offsets do not fit the text, or
    its ``text`` is not the transcript's text at its offsets (compared after
    NFC normalisation). With *reanchor*, such a row moves to the nearest place
    where its text occurs instead, and is refused only when the text occurs
    nowhere; the result then has a boolean ``reanchored`` column.

    The result keeps the input's columns and order, with ``start``/``end`` as
    integers, ``score`` a float (1.0 where absent), ``coder`` a stripped string
    (where present) and a ``where`` column naming the row for later messages.
    Raises ``CodingError`` for a missing column, ``CodingsRefused`` (one line
    per refused row) for bad rows; or, given a *refused* dict, fills it with
    the problem of each refused row by its position in the input, leaves those
    rows out and keeps each row's position as the result's index.

    Best-guess rows (``suggestion`` ``best_guess``) are checked like any other
    and then left out, as not coded; with *best_guesses* they are kept.
    """
    frame = as_frame(codings)
    if not isinstance(codings, pd.DataFrame):
        where = [f"{source}, coding {i}" for i in range(1, len(frame) + 1)]
    else:
        where = [str(w) for w in _where(frame, source)]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CodingError(
            f"{source}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; codings need {', '.join(required)}"
        )
    n = len(frame)
    problems: list[str | None] = [None] * n

    def refuse(mask: npt.NDArray[np.bool_], message: object) -> None:
        for i in np.flatnonzero(mask).tolist():
            if problems[i] is None:
                problems[i] = message(i) if callable(message) else str(message)

    starts_ok = _whole(frame["start"])
    ends_ok = _whole(frame["end"])
    refuse(~starts_ok, lambda i: _bad_offset(where[i], "start", frame["start"].iat[i]))
    refuse(~ends_ok, lambda i: _bad_offset(where[i], "end", frame["end"].iat[i]))
    starts = np.where(starts_ok, _numbers(frame["start"]), 0).astype(np.int64)
    ends = np.where(ends_ok, _numbers(frame["end"]), 0).astype(np.int64)
    files = _stripped(frame["file"])
    codes = _stripped(frame["code"])
    if "coder" in frame.columns:
        coders = _stripped(frame["coder"])
        refuse(
            coders == "",
            lambda i: f"{where[i]}: the coder is empty; every coding needs a coder's name",
        )
    refuse(codes == "", lambda i: f"{where[i]}: the code is empty; every coding needs a code id")
    lengths = pd.Series(files).map({t.file: len(t.text) for t in corpus.transcripts})
    known_file = lengths.notna().to_numpy()
    refuse(~known_file, lambda i: _unknown_file(where[i], str(files[i]), corpus))
    if codebook is not None:
        known_code = pd.Series(codes).isin([c.id for c in codebook.codes]).to_numpy()
        refuse(~known_code, lambda i: _unknown_code(where[i], str(codes[i]), codebook))
    size = lengths.fillna(0).to_numpy(dtype=np.int64)
    fits = (starts < ends) & (ends <= size)
    texts = (
        np.array([_text(v) for v in frame["text"]], dtype=object)
        if "text" in frame.columns
        else np.full(n, "", dtype=object)
    )
    placed_by_text = (texts != "") if reanchor else np.zeros(n, dtype=bool)
    refuse(
        known_file & ~fits & ~placed_by_text,
        lambda i: (
            f"{where[i]}: offsets {starts[i]}-{ends[i]} do not fit {files[i]} ({size[i]} "
            f"characters); a coding needs 0 <= start < end <= {size[i]}"
        ),
    )
    moved = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(texts != "").tolist():
        if problems[i] is not None:
            continue
        text = corpus.get(str(files[i])).text
        coded = normalise(str(texts[i]))
        if fits[i] and text[starts[i] : ends[i]] == coded:
            continue
        found = nearest_occurrence(text, coded, near=int(starts[i])) if reanchor else None
        if found is not None:
            starts[i], ends[i], moved[i] = found, found + len(coded), True
        elif reanchor:
            problems[i] = (
                f"{where[i]}: text {_short(coded)!r} is not at {starts[i]}-{ends[i]} of "
                f"{files[i]} and occurs nowhere in it; fix the offsets or the text"
            )
        else:
            problems[i] = (
                f"{where[i]}: the coded text does not match {files[i]} at "
                f"{starts[i]}-{ends[i]} ({coded[:40]!r} vs {text[starts[i] : ends[i]][:40]!r}); "
                "the transcript changed after coding: re-anchor the codings in a project "
                "(qualcode project import-codings) and export them again"
            )
    bad = np.array([p is not None for p in problems], dtype=bool)
    if bad.any() and refused is None:
        raise CodingsRefused([p for p in problems if p is not None])
    out = frame.copy()
    out["file"] = files
    out["code"] = codes
    out["start"] = starts
    out["end"] = ends
    if "coder" in out.columns:
        out["coder"] = coders
    out["score"] = _scores(out["score"]) if "score" in out.columns else 1.0
    out["where"] = where
    if reanchor:
        out["reanchored"] = moved
    out.index = pd.RangeIndex(n)
    dropped = bad if best_guesses else bad | is_best_guess(frame)
    if refused is not None:
        refused.update((i, str(problems[i])) for i in np.flatnonzero(bad).tolist())
        out = out[~dropped]
    elif dropped.any():
        out = out[~dropped].reset_index(drop=True)
    return out


def is_best_guess(codings: pd.DataFrame | Iterable[Coding]) -> npt.NDArray[np.bool_]:
    """Which rows are best guesses (``suggestion`` ``best_guess``), not codings."""
    frame = as_frame(codings)
    if "suggestion" in frame.columns:
        return np.array(
            [_text(v).strip().lower() == BEST_GUESS for v in frame["suggestion"]], dtype=bool
        )
    if "best_guess" in frame.columns:  # Coding records
        return frame["best_guess"].fillna(False).to_numpy(dtype=bool)
    return np.zeros(len(frame), dtype=bool)


def _where(frame: pd.DataFrame, source: str) -> pd.Series:
    if all(c in frame.columns for c in SOURCE_COLUMNS):
        return frame["source"].astype(str) + ", row " + frame["row"].astype(str)
    if "id" in frame.columns:
        return (f"{source}, coding " + frame["id"].astype(str)).reset_index(drop=True)
    return pd.Series([f"{source}, row {i}" for i in range(2, len(frame) + 2)], dtype=object)


def _text(value: object) -> str:
    """A cell as text: missing values (``None``, NaN) are empty."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _stripped(column: pd.Series) -> npt.NDArray[np.object_]:
    return np.array([_text(v).strip() for v in column], dtype=object)


def _numbers(column: pd.Series) -> npt.NDArray[np.float64]:
    if column.dtype == object:
        column = column.map(lambda v: v.strip() if isinstance(v, str) else v)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


def _whole(column: pd.Series) -> npt.NDArray[np.bool_]:
    """Which cells are non-negative whole numbers (``True``/``False`` are not)."""
    values = _numbers(column)
    ok = ~np.isnan(values) & (values >= 0) & (np.mod(values, 1) == 0)
    if column.dtype == object or column.dtype == bool:
        ok &= ~column.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
    return ok


def _scores(column: pd.Series) -> pd.Series:
    """Scores as floats; an empty or unreadable score is 1.0."""
    return pd.to_numeric(column.replace("", "1"), errors="coerce").fillna(1.0).astype(float)


def _bad_offset(where: str, column: str, value: object) -> str:
    return f"{where}: {column} {value!r} is not a non-negative whole number (a character offset)"


def _unknown_file(where: str, file: str, corpus: Corpus) -> str:
    unreadable = [e.error for e in corpus.errors if e.file == file]
    if unreadable:
        return f"{where}: transcript {file!r} could not be read: {unreadable[0]}"
    known = corpus.files
    shown = ", ".join(known[:6]) + (" ..." if len(known) > 6 else "")
    return (
        f"{where}: file {file!r} is not a transcript in {corpus.root}; known files: "
        f"{shown or 'none'} (fix the file name, or read the transcripts the codings were made on)"
    )


def _unknown_code(where: str, code: str, codebook: Codebook) -> str:
    try:
        codebook.get(code)
    except CodebookError as exc:
        return f"{where}: {exc}"
    return f"{where}: unknown code {code!r}"  # pragma: no cover - get() raised above


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


# -- mapping onto segments ------------------------------------------------------------------


def overlaps(
    coding_files: Sequence[str] | npt.NDArray[np.object_],
    coding_starts: npt.ArrayLike,
    coding_ends: npt.ArrayLike,
    segment_files: Sequence[str] | npt.NDArray[np.object_],
    segment_starts: npt.ArrayLike,
    segment_ends: npt.ArrayLike,
) -> tuple[IntArray, IntArray, IntArray]:
    """Every (coding, segment) pair that shares at least one character, and how many.

    Codings and segments are given as parallel columns (file, start, end);
    segments of one file must not overlap each other (paragraphs, sentences,
    turns or character runs never do). Returns three arrays of equal length:
    the coding's position, the segment's position and the number of
    characters they share, ordered by coding and then by segment start.
    """
    c_files = np.asarray(coding_files, dtype=object)
    s_files = np.asarray(segment_files, dtype=object)
    c_start = np.asarray(coding_starts, dtype=np.int64)
    c_end = np.asarray(coding_ends, dtype=np.int64)
    s_start = np.asarray(segment_starts, dtype=np.int64)
    s_end = np.asarray(segment_ends, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if not len(c_files) or not len(s_files):
        return empty, empty, empty.copy()
    # Put every file on one axis, each after the longest offset of the one before, so
    # that one sorted search finds every overlap.
    names = pd.unique(np.concatenate([s_files, c_files]))
    ends = pd.Series(np.concatenate([s_end, c_end])).groupby(np.concatenate([s_files, c_files]))
    span = ends.max().reindex(names).to_numpy(dtype=np.int64) + 1
    base = dict(zip(names, np.concatenate([[0], np.cumsum(span)[:-1]]).tolist(), strict=True))
    s_base = pd.Series(s_files).map(base).to_numpy(dtype=np.int64)
    c_base = pd.Series(c_files).map(base).to_numpy(dtype=np.int64)
    seg_lo, seg_hi = s_base + s_start, s_base + s_end
    order = np.argsort(seg_lo, kind="stable")
    seg_lo, seg_hi = seg_lo[order], seg_hi[order]
    cod_lo, cod_hi = c_base + c_start, c_base + c_end
    first = np.searchsorted(seg_hi, cod_lo, side="right")
    last = np.searchsorted(seg_lo, cod_hi, side="left")
    counts = np.maximum(last - first, 0)
    coding = np.repeat(np.arange(len(c_files), dtype=np.int64), counts)
    within = np.arange(counts.sum(), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    ranked = np.repeat(first, counts) + within
    shared = np.minimum(seg_hi[ranked], cod_hi[coding]) - np.maximum(seg_lo[ranked], cod_lo[coding])
    keep = shared > 0
    return coding[keep], order[ranked][keep].astype(np.int64), shared[keep].astype(np.int64)
