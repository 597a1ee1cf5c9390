"""Codings to compare: the checked codings of two or more coders, as parallel columns.

Every row is checked before anything is computed, so that a figure is never
based on a coding that points at the wrong text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from qualcode.coding.codings import check_codings, read_codings
from qualcode.coding.model import REQUIRED_IMPORT_COLUMNS, Coding
from qualcode.corpus import Corpus
from qualcode.errors import CodingError
from qualcode.store.records import DECIDED_STATUSES

__all__ = ["CheckedCodings", "codings_to_compare", "read_codings"]


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


def _origin(frame: pd.DataFrame) -> str:
    if "source" in frame.columns and len(frame):
        return ", ".join(dict.fromkeys(str(s) for s in frame["source"]))
    return "the codings"


def codings_to_compare(codings: pd.DataFrame | Iterable[Coding], corpus: Corpus) -> CheckedCodings:
    """Check every coding against *corpus* and return them as :class:`CheckedCodings`.

    The check is :func:`qualcode.coding.codings.check_codings`, the one rule
    for every command, with ``coder`` required. Rows of a project's codings
    frame whose ``status`` is not active or accepted (suggestions, rejected and
    orphaned codings) are left out. Raises ``CodingError`` for refused rows,
    and when fewer than two coders remain.
    """
    if isinstance(codings, pd.DataFrame) and "status" in codings.columns:
        codings = codings[codings["status"].isin(DECIDED_STATUSES)]
    frame = check_codings(codings, corpus, required=REQUIRED_IMPORT_COLUMNS)
    coders = tuple(frame["coder"].astype(str))
    order = tuple(dict.fromkeys(coders))
    origin = _origin(frame)
    if len(order) < 2:
        found = f"only {order[0]!r}" if order else "none"
        raise CodingError(f"agreement needs at least two coders; found {found} in {origin}")
    return CheckedCodings(
        tuple(frame["file"].astype(str)),
        tuple(int(x) for x in frame["start"]),
        tuple(int(x) for x in frame["end"]),
        tuple(frame["code"].astype(str)),
        coders,
        order,
        origin,
    )
