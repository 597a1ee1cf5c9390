"""Codings as the analysis sees them: with their variable, mapped onto respondent segments.

A segment *has* a code when a coding of that code overlaps it (shares at least
one character with it). Only respondent segments count: interviewer speech is
never coded and never quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.codings import check_codings as checked_codings
from qualcode.coding.codings import overlaps
from qualcode.coding.model import Coding
from qualcode.corpus import Corpus, Transcript
from qualcode.corpus.model import Unit

if TYPE_CHECKING:
    from qualcode.analysis.summary import Record

__all__ = [
    "BLANK",
    "codings_with_variables",
    "map_to_segments",
    "segment_table",
    "transcript_table",
]

#: How an empty attribute value (or an unknown organisation) shows in tables.
BLANK = "(blank)"


def codings_with_variables(
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    codebook: Codebook,
    *,
    source: str = "codings",
) -> pd.DataFrame:
    """The codings as an analysis frame, after checking every row against corpus and codebook.

    The check is :func:`qualcode.coding.codings.check_codings` (the one rule
    for every command). The result has the columns ``file, start, end, code,
    variable, coder, score`` in the input's order; respondent and organisation
    are never taken from the input but from the corpus, and the variable from
    the codebook.
    """
    frame = checked_codings(codings, corpus, codebook=codebook, source=source)
    codes = frame["code"].to_numpy(dtype=object)
    variable_of = {c: codebook.variable_of(c) for c in set(codes)}
    out = pd.DataFrame(
        {
            "file": frame["file"].to_numpy(dtype=object),
            "start": frame["start"].to_numpy(dtype=np.int64),
            "end": frame["end"].to_numpy(dtype=np.int64),
            "code": codes,
            "variable": [variable_of[c] for c in codes],
            "coder": frame["coder"].to_numpy(dtype=object) if "coder" in frame.columns else "",
            "score": frame["score"].to_numpy(dtype=float),
        }
    )
    return out.reset_index(drop=True)


def transcript_table(transcripts: Iterable[Transcript | Record]) -> pd.DataFrame:
    """One row per transcript: file, respondent, organisation and every attribute.

    *transcripts* is a corpus (or its ``Summary.records``). An empty respondent id
    becomes the file name (each transcript is then one respondent); an empty
    organisation or attribute value becomes ``(blank)``.
    """
    items = list(transcripts)
    attrs = list(dict.fromkeys(key for t in items for key in t.attributes))
    rows = []
    for t in items:
        row = {
            "file": t.file,
            "respondent": t.respondent or t.file,
            "organisation": t.organisation or BLANK,
        }
        for a in attrs:
            row[a] = t.attributes.get(a, "") or BLANK
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=["file", "respondent", "organisation", *attrs])


def segment_table(corpus: Corpus, *, unit: Unit = "paragraph") -> pd.DataFrame:
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

    *codings* comes from :func:`codings_with_variables`, *segments* from
    :func:`segment_table`. The result has columns ``file, segment, code,
    variable``, one row per segment and code (duplicates dropped).
    """
    coding, segment, _ = overlaps(
        codings["file"].to_numpy(dtype=object),
        codings["start"].to_numpy(),
        codings["end"].to_numpy(),
        segments["file"].to_numpy(dtype=object),
        segments["start"].to_numpy(),
        segments["end"].to_numpy(),
    )
    out = pd.DataFrame(
        {
            "file": segments["file"].to_numpy(dtype=object)[segment],
            "segment": segments["segment"].to_numpy(dtype=np.int64)[segment],
            "code": codings["code"].to_numpy(dtype=object)[coding],
            "variable": codings["variable"].to_numpy(dtype=object)[coding],
        }
    )
    return out.drop_duplicates(["file", "segment", "code"]).reset_index(drop=True)
