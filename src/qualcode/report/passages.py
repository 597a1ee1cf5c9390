"""The quotes of one variable's page: each passage once, with every code it carries.

A passage is a quote merged per variable (``quote_frame(..., group="variable")``):
a stretch coded with the variable or any of its sub-codes. It is shown once,
tagged with those codes and its valence, and counts the variable's coded
segments inside it, so that the headings of the quote groups add up to the
Segments column of the codes table.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from qualcode.analysis.frequencies import MIXED
from qualcode.codebook.model import Codebook

__all__ = ["passage_frame"]


def _overlapping(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Pairs of *left* rows (column ``row``) and *right* rows of one file that overlap."""
    pairs = left[["row", "file", "start", "end"]].merge(
        right, on="file", suffixes=("", "_r"), how="inner"
    )
    keep = (pairs["start_r"] < pairs["end"]) & (pairs["end_r"] > pairs["start"])
    return pairs[keep]


def passage_frame(
    passages: pd.DataFrame,
    code_quotes: pd.DataFrame,
    coded_segments: pd.DataFrame,
    codebook: Codebook,
    *,
    fallback: Callable[[str], str],
) -> pd.DataFrame:
    """*passages* (one variable's rows of a variable-level quote frame) with three columns more.

    ``tags``: the ids of the codes the passage carries, in codebook order (from
    *code_quotes*, the code-level quotes of the same variable); ``segments``: how
    many of *coded_segments* (``file``, ``start``, ``end``, ``category`` of each
    segment coded with the variable) it joins, each segment counted in one
    passage only; ``category``: the valence category of those segments (one
    shared category, else ``mixed``), or ``fallback(valence)`` of the passage's
    own valence when it joins none. Grouped by ``category``, the passages' segments
    add up to the valence columns of the codes table.
    """
    out = passages.reset_index(drop=True).assign(row=lambda f: np.arange(len(f)))
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    hits = _overlapping(out, code_quotes[["file", "start", "end", "code"]])
    tags: dict[int, list[str]] = {}
    for row, code in sorted(
        zip(hits["row"].tolist(), hits["code"].tolist(), strict=True),
        key=lambda rc: (rc[0], order.get(rc[1], 0)),
    ):
        found = tags.setdefault(row, [])
        if code not in found:
            found.append(code)
    inside = _overlapping(out, coded_segments[["file", "start", "end", "category"]])
    # a segment touched by two passages counts in the first only: the sum stays the total
    inside = inside.drop_duplicates(["file", "start_r", "end_r"])
    counts = inside.groupby("row").size()
    kinds = inside.groupby("row")["category"].agg(
        lambda c: c.iloc[0] if c.nunique() == 1 else MIXED
    )
    return out.assign(
        tags=[tuple(tags.get(i, [out.at[i, "code"]])) for i in range(len(out))],
        segments=[int(counts.get(i, 0)) for i in range(len(out))],
        category=[kinds.get(i, fallback(str(out.at[i, "valence"]))) for i in range(len(out))],
    ).drop(columns="row")
