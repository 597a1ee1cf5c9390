"""Code frequencies: coded segments, and how many respondents and organisations raise a code.

A code's count includes its sub-codes (a segment coded ``REPRESENTATIE_NIEUWKOMERS``
counts for ``REPRESENTATIE`` too), and a segment counts once per code however
many codings of that code overlap it.

Every count is taken from :func:`segment_counts`: coded segments per file, code
and valence. Those tables add up: the counts of a corpus are the counts of its
parts put together (the Dask engine builds them per partition).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.errors import CorpusError

__all__ = [
    "GROUPINGS",
    "check_grouping",
    "frequencies",
    "group_sizes",
    "rolled_up",
    "segment_counts",
    "valence_split",
]

#: Groupings every corpus has, besides the respondents table's attribute columns.
GROUPINGS = ("organisation", "respondent", "file")

#: Valence categories besides the valence codes themselves.
MIXED, NONE = "mixed", "none"


def check_grouping(transcripts: pd.DataFrame, by: str) -> str:
    """*by* when it is a column of the transcript table; ``CorpusError`` listing the choices."""
    if by not in transcripts.columns:
        choices = ", ".join(c for c in transcripts.columns)
        raise CorpusError(
            f"cannot group by {by!r}: no such column in the respondents table; "
            f"choose one of: {choices}"
        )
    return by


def _sorted_groups(values: pd.Series) -> list[str]:
    return sorted(values.unique(), key=lambda v: (v.startswith("("), str(v).casefold()))


def rolled_up(seg_codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """*seg_codes* with every code repeated for each of its ancestors (column ``code``)."""
    lines = codebook.lineage()
    out = seg_codes.assign(code=seg_codes["code"].map(lines)).explode("code")
    return out.drop_duplicates(["file", "segment", "code"]).reset_index(drop=True)


def segment_counts(rolled: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Coded segments per file, code and valence of the segment, from *rolled* (``rolled_up``).

    Columns ``file, code, valence, segments``; ``valence`` is the segment's valence
    code, ``mixed`` (several) or ``none``. Only combinations that occur get a row.
    """
    valence_ids = [c.id for c in codebook.valence_codes()]
    marks = rolled[rolled["code"].isin(valence_ids)]
    several = marks.duplicated(["file", "segment"], keep=False).to_numpy()
    per_segment = marks.assign(valence=np.where(several, MIXED, marks["code"].to_numpy()))
    per_segment = per_segment.drop_duplicates(["file", "segment"])[["file", "segment", "valence"]]
    data = rolled[["file", "segment", "code"]].merge(
        per_segment, on=["file", "segment"], how="left"
    )
    data["valence"] = data["valence"].fillna(NONE)
    counts = data.groupby(["file", "code", "valence"], sort=False).size()
    return counts.rename("segments").reset_index().astype({"segments": np.int64})


def code_levels(codebook: Codebook, level: str) -> list[str]:
    """Code ids reported at *level*: ``variable`` (the variables) or ``code`` (every code)."""
    if level == "variable":
        return [c.id for c in codebook.variables()]
    if level == "code":
        return [c.id for c in codebook.codes]
    raise CorpusError(f"unknown level {level!r}; choose 'variable' or 'code'")


def group_sizes(transcripts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of *by*: the number of respondents and organisations in that group."""
    check_grouping(transcripts, by)
    sizes = transcripts.groupby(by, sort=False).agg(
        respondents=("respondent", "nunique"), organisations=("organisation", "nunique")
    )
    return sizes.reindex(_sorted_groups(transcripts[by]))


def frequencies(
    counts: pd.DataFrame,
    transcripts: pd.DataFrame,
    codebook: Codebook,
    *,
    by: str | None = None,
    level: str = "code",
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """How often each code was raised, overall or per group.

    *counts* are coded segments per file and code (:func:`segment_counts`);
    *transcripts* is the transcript table. *level* ``code`` lists every code of
    the codebook, ``variable`` the variables only; *codes* restricts the rows
    further. Columns: ``variable, code, name``, then *by* when given, then
    ``segments, respondents, organisations``. With *by*, every code appears
    once for every group, with zeros where a group never raised it.
    """
    ids = list(codes) if codes is not None else code_levels(codebook, level)
    for code_id in ids:
        codebook.get(code_id)
    keys = ["code"] if by is None else ["code", check_grouping(transcripts, by)]
    data = counts[counts["code"].isin(ids)][["file", "code", "segments"]].merge(
        transcripts.drop(
            columns=[c for c in ("variable", "code", "segments") if c in transcripts.columns]
        ),
        on="file",
        how="left",
    )
    table = data.groupby(keys, sort=False).agg(
        segments=("segments", "sum"),
        respondents=("respondent", "nunique"),
        organisations=("organisation", "nunique"),
    )
    if by is None:
        index: pd.Index = pd.Index(ids, name="code")
    else:
        index = pd.MultiIndex.from_product([ids, _sorted_groups(transcripts[by])], names=keys)
    table = table.reindex(index, fill_value=0).astype(np.int64).reset_index()
    table.insert(0, "variable", [codebook.variable_of(c) for c in table["code"]])
    table.insert(2, "name", [codebook.get(c).name for c in table["code"]])
    return table


def valence_split(
    counts: pd.DataFrame,
    codebook: Codebook,
    *,
    level: str = "variable",
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Coded segments per code, split by the valence coded on the same segment.

    *counts* are coded segments per file, code and valence (:func:`segment_counts`).
    One row per code (index ``code``); one column per valence code (``BEVORDEREND``,
    ``BELEMMEREND``), then ``mixed`` (more than one valence) and ``none``.
    """
    ids = list(codes) if codes is not None else code_levels(codebook, level)
    valence_ids = [c.id for c in codebook.valence_codes()]
    data = counts[~counts["code"].isin(valence_ids) & counts["code"].isin(ids)]
    table = (
        data.groupby(["code", "valence"])["segments"].sum().unstack(fill_value=0)
        if len(data)
        else pd.DataFrame()
    )
    columns = [*valence_ids, MIXED, NONE]
    table = table.reindex(index=pd.Index(ids, name="code"), columns=columns, fill_value=0)
    table.columns.name = "valence"
    return table.fillna(0).astype(np.int64)
