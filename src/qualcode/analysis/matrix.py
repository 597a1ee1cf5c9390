"""Cross-tables: code co-occurrence, the framework matrix, and comparisons between groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.codings import BLANK
from qualcode.analysis.frequencies import (
    check_grouping,
    code_levels,
    frequencies,
    group_sizes,
    rolled_up,
)
from qualcode.codebook.model import Codebook
from qualcode.errors import CorpusError

__all__ = ["COMPARE_MEASURES", "compare", "cooccurrence", "crosstab", "framework_matrix"]

#: The measures :func:`compare` gives for each group, in column order.
COMPARE_MEASURES = ("organisations", "of", "share", "segments", "per_respondent")


def cooccurrence(
    seg_codes: pd.DataFrame,
    codebook: Codebook,
    *,
    level: str = "variable",
    include_valence: bool = False,
    rolled: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Segments coded with both codes: a square table indexed and labelled by code id.

    At *level* ``variable`` sub-codes count for their variable; at ``code`` each
    code counts as coded. The diagonal holds the segments coded with that code
    at all. Valence codes are left out unless *include_valence*. *rolled* is
    *seg_codes* rolled up, when already at hand.
    """
    ids = code_levels(codebook, level)
    valence_ids = [c.id for c in codebook.valence_codes()]
    if level == "code" and not include_valence:
        ids = [i for i in ids if i not in valence_ids]
    if include_valence and level == "variable":
        ids = ids + valence_ids
    data = seg_codes
    if level == "variable":
        data = rolled if rolled is not None else rolled_up(seg_codes, codebook)
    data = data[data["code"].isin(ids)].drop_duplicates(["file", "segment", "code"])
    if data.empty:
        matrix = np.zeros((len(ids), len(ids)), dtype=np.int64)
    else:
        seg_key = pd.MultiIndex.from_frame(data[["file", "segment"]])
        rows = pd.Index(seg_key.unique()).get_indexer(seg_key)
        cols = pd.Index(ids).get_indexer(data["code"])
        indicator = np.zeros((rows.max() + 1, len(ids)), dtype=np.int64)
        indicator[rows, cols] = 1
        matrix = indicator.T @ indicator
    return pd.DataFrame(
        matrix, index=pd.Index(ids, name="code"), columns=pd.Index(ids, name="code")
    )


def crosstab(freq: pd.DataFrame, *, by: str, value: str = "segments") -> pd.DataFrame:
    """A long frequency table (``frequencies(by=...)``) as codes x groups of *value*."""
    table = freq.pivot(index="code", columns=by, values=value)
    table = table.reindex(
        index=pd.Index(pd.unique(freq["code"]), name="code"),
        columns=pd.Index(pd.unique(freq[by]), name=by),
    )
    return table.fillna(0).astype(np.int64)


def framework_matrix(
    quotes: pd.DataFrame, transcripts: pd.DataFrame, codebook: Codebook, *, values: str = "count"
) -> pd.DataFrame:
    """Organisations x variables: the number of quotes in each cell, or the quotes themselves.

    *quotes* are merged per variable (``quote_frame(group="variable")``). With
    *values* ``quotes`` each cell holds the list of quote texts, best scored
    first; with ``count`` their number.
    """
    if values not in ("count", "quotes"):
        raise CorpusError(f"unknown framework matrix values {values!r}; choose 'count' or 'quotes'")
    organisations = sorted(
        transcripts["organisation"].unique(), key=lambda o: (o == BLANK, str(o).casefold())
    )
    variables = pd.Index([c.id for c in codebook.variables()], name="variable")
    rows = pd.Index(organisations, name="organisation")
    data = quotes.assign(organisation=quotes["organisation"].replace("", BLANK))
    if values == "count":
        table = pd.crosstab(data["organisation"], data["variable"]) if len(data) else None
        if table is None:
            return pd.DataFrame(0, index=rows, columns=variables)
        return table.reindex(index=rows, columns=variables, fill_value=0).astype(np.int64)
    data = data.sort_values(["score", "file", "start"], ascending=[False, True, True])
    cells = data.groupby(["organisation", "variable"])["text"].agg(list)
    frame = pd.DataFrame(
        {v: [cells.get((o, v), []) for o in organisations] for v in variables}, index=rows
    )
    frame.columns.name = "variable"
    return frame


def compare(
    counts: pd.DataFrame,
    transcripts: pd.DataFrame,
    codebook: Codebook,
    *,
    attribute: str = "steering_group",
    level: str = "variable",
) -> pd.DataFrame:
    """Codes compared between the groups of a respondent attribute.

    *counts* are coded segments per file and code (``segment_counts``).
    One row per code (index ``code``); for every group (outer column level)
    the measures of ``COMPARE_MEASURES``: the organisations of that group that
    raised the code, the group's number of organisations (``of``), their
    ``share`` (0-1), the coded ``segments`` and the segments ``per_respondent``
    of the group. Shares and per-respondent rates make groups of different sizes
    comparable.
    """
    check_grouping(transcripts, attribute)
    freq = frequencies(counts, transcripts, codebook, by=attribute, level=level)
    sizes = group_sizes(transcripts, attribute)
    parts = {}
    for group, rows in freq.groupby(attribute, sort=False):
        rows = rows.set_index("code")
        n_orgs = int(sizes.loc[group, "organisations"])
        n_resp = int(sizes.loc[group, "respondents"])
        parts[group] = pd.DataFrame(
            {
                "organisations": rows["organisations"],
                "of": n_orgs,
                "share": (rows["organisations"] / n_orgs).round(3),
                "segments": rows["segments"],
                "per_respondent": (rows["segments"] / n_resp).round(2),
            }
        )
    table = pd.concat(parts, axis=1, names=[attribute, "measure"])
    return table.reindex(columns=list(sizes.index), level=0)
