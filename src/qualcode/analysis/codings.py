"""Checking codings against the corpus and codebook, and mapping them onto segments.

A segment *has* a code when a coding of that code overlaps it (shares at least
one character with it). Only respondent segments count: interviewer speech is
never coded and never quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

import numpy as np
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.model import Coding
from qualcode.corpus import Corpus
from qualcode.errors import CodingError

__all__ = [
    "BLANK",
    "check_codings",
    "lineage",
    "map_to_segments",
    "segment_table",
    "transcript_table",
]

#: How an empty attribute value (or an unknown organisation) shows in tables.
BLANK = "(blank)"

_CODING_FIELDS = tuple(f.name for f in fields(Coding))


def _as_frame(codings: pd.DataFrame | Iterable[Coding]) -> pd.DataFrame:
    if isinstance(codings, pd.DataFrame):
        return codings
    items = list(codings)
    return pd.DataFrame(
        {name: [getattr(c, name) for c in items] for name in _CODING_FIELDS},
        columns=list(_CODING_FIELDS),
    )


def _where(frame: pd.DataFrame, position: int, source: str) -> str:
    if "id" in frame.columns:
        return f"{source}, coding {frame['id'].iloc[position]}"
    return f"{source}, row {position + 2}"


def check_codings(
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    codebook: Codebook,
    *,
    source: str = "codings",
) -> pd.DataFrame:
    """The codings as a clean frame, after checking every row against corpus and codebook.

    *codings* is a DataFrame in the codings CSV contract (at least ``file``,
    ``start``, ``end``, ``code``) or an iterable of ``Coding``. *source* names
    the codings in error messages (a file name). The result has the columns
    ``file, start, end, code, variable, coder, score`` in the input's order;
    respondent and organisation are never taken from the input but from the
    corpus. Raises ``CodingError`` naming the row when a file is not in the
    corpus, a code is not in the codebook, the offsets do not fit the text, or
    the row's ``text`` no longer equals the transcript at those offsets.
    """
    frame = _as_frame(codings)
    missing = [c for c in ("file", "start", "end", "code") if c not in frame.columns]
    if missing:
        raise CodingError(
            f"{source}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; codings need file, start, end and code"
        )
    files = frame["file"].astype(str).to_numpy()
    codes = frame["code"].astype(str).to_numpy()
    starts = pd.to_numeric(frame["start"], errors="coerce").to_numpy(dtype=float)
    ends = pd.to_numeric(frame["end"], errors="coerce").to_numpy(dtype=float)
    by_file = {t.file: t.text for t in corpus.transcripts}
    lengths = pd.Series(files).map({f: len(t) for f, t in by_file.items()}).to_numpy(dtype=float)
    known_file = ~np.isnan(lengths)
    known_code = pd.Series(codes).isin([c.id for c in codebook.codes]).to_numpy()
    fits = known_file & (starts >= 0) & (starts < ends) & (ends <= np.nan_to_num(lengths))
    bad = np.flatnonzero(~(known_file & known_code & fits))
    if len(bad):
        i = int(bad[0])
        file, code = files[i], codes[i]
        if not known_file[i]:
            raise CodingError(
                f"{_where(frame, i, source)}: file {file} is not in the corpus "
                f"({corpus.root}); fix the file name or pass the right --transcripts"
            )
        if not known_code[i]:
            raise CodingError(
                f"{_where(frame, i, source)}: code {code!r} is not in codebook "
                f"{codebook.file_name}; fix the code id or add it to the codebook"
            )
        n = int(lengths[i])
        raise CodingError(
            f"{_where(frame, i, source)}: offsets {frame['start'].iloc[i]}-{frame['end'].iloc[i]} "
            f"do not fit {file} ({n} characters); a coding needs 0 <= start < end <= {n}"
        )
    if "text" in frame.columns:
        texts = frame["text"].astype(str).to_numpy()
        for row in np.flatnonzero(texts != "").tolist():
            start, end = int(starts[row]), int(ends[row])
            if texts[row] != by_file[files[row]][start:end]:
                raise CodingError(
                    f"{_where(frame, row, source)}: the text at {files[row]} {start}-{end} is not "
                    "the coded text any more; the transcript changed after coding: re-anchor or "
                    "re-code before reporting"
                )
    variable_of = {c: codebook.variable_of(c) for c in set(codes)}
    out = pd.DataFrame(
        {
            "file": files,
            "start": starts.astype(np.int64),
            "end": ends.astype(np.int64),
            "code": codes,
            "variable": [variable_of[c] for c in codes],
            "coder": frame["coder"].astype(str).to_numpy() if "coder" in frame.columns else "",
            "score": (
                pd.to_numeric(frame["score"], errors="coerce").fillna(1.0).to_numpy()
                if "score" in frame.columns
                else 1.0
            ),
        }
    )
    return out.reset_index(drop=True)


def transcript_table(corpus: Corpus) -> pd.DataFrame:
    """One row per transcript: file, respondent, organisation and every attribute.

    An empty respondent id becomes the file name (each transcript is then one
    respondent); an empty organisation or attribute value becomes ``(blank)``.
    """
    attrs = corpus.attribute_columns()
    rows = []
    for t in corpus.transcripts:
        row = {
            "file": t.file,
            "respondent": t.respondent or t.file,
            "organisation": t.organisation or BLANK,
        }
        for a in attrs:
            row[a] = t.attributes.get(a, "") or BLANK
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=["file", "respondent", "organisation", *attrs])


def segment_table(corpus: Corpus, *, unit: str = "paragraph") -> pd.DataFrame:
    """Respondent segments of every transcript: file, segment, start, end (no text)."""
    files: list[str] = []
    index: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for t in corpus.transcripts:
        for seg in t.segments(unit):
            if seg.is_respondent:
                files.append(t.file)
                index.append(seg.index)
                starts.append(seg.start)
                ends.append(seg.end)
    return pd.DataFrame(
        {
            "file": files,
            "segment": np.asarray(index, dtype=np.int64),
            "start": np.asarray(starts, dtype=np.int64),
            "end": np.asarray(ends, dtype=np.int64),
        }
    )


def map_to_segments(codings: pd.DataFrame, segments: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Pairs of (segment, code): every respondent segment that a coding overlaps.

    *codings* comes from :func:`check_codings`, *segments* from
    :func:`segment_table`. The result has columns ``file, segment, code,
    variable``, one row per segment and code (duplicates dropped).
    """
    columns = ["file", "segment", "code", "variable"]
    if codings.empty or segments.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=object if c != "segment" else np.int64) for c in columns}
        )
    # Put every transcript on one axis so that one sorted search finds all overlaps.
    base: dict[str, int] = {}
    pos = 0
    for t in corpus.transcripts:
        base[t.file] = pos
        pos += len(t.text) + 1
    seg_base = segments["file"].map(base).to_numpy(dtype=np.int64)
    seg_start = seg_base + segments["start"].to_numpy()
    seg_end = seg_base + segments["end"].to_numpy()
    order = np.argsort(seg_start, kind="stable")
    seg_start, seg_end = seg_start[order], seg_end[order]
    cod_base = codings["file"].map(base).to_numpy(dtype=np.int64)
    lo = np.searchsorted(seg_end, cod_base + codings["start"].to_numpy(), side="right")
    hi = np.searchsorted(seg_start, cod_base + codings["end"].to_numpy(), side="left")
    counts = np.maximum(hi - lo, 0)
    which = np.repeat(np.arange(len(codings)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    seg_rows = order[np.repeat(lo, counts) + offsets]
    out = pd.DataFrame(
        {
            "file": segments["file"].to_numpy()[seg_rows],
            "segment": segments["segment"].to_numpy()[seg_rows],
            "code": codings["code"].to_numpy()[which],
            "variable": codings["variable"].to_numpy()[which],
        }
    )
    return out.drop_duplicates(["file", "segment", "code"]).reset_index(drop=True)


def lineage(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """For every code: itself and its ancestors up to its top-level code."""
    by_id = {c.id: c for c in codebook.codes}
    out: dict[str, tuple[str, ...]] = {}
    for code in codebook.codes:
        chain = [code.id]
        parent = code.parent
        while parent is not None and parent in by_id:
            chain.append(parent)
            parent = by_id[parent].parent
        out[code.id] = tuple(chain)
    return out
