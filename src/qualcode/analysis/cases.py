"""Code-by-case matrices for R or SPSS: coded segments per case and code, and 0/1 presence.

A *case* is an organisation, a respondent, a file or a group of a
respondents-table attribute. Each row is one case with its attributes; each
code of the codebook (variables, sub-codes and the codes of other dimensions
such as valence, in codebook order) is a column named by its id. A cell counts
the respondent segments of that case coded with the code or one of its
sub-codes (as ``Analysis.frequencies`` counts them); the presence matrix has 1
where that count is above 0. The key to the column names (id, name, variable,
parent, dimension) comes with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from qualcode.analysis.frequencies import _sorted_groups, check_grouping
from qualcode.codebook.model import Codebook
from qualcode.errors import ArgumentError, DependencyError
from qualcode.files.output import check_output, check_suffix, open_output

__all__ = ["MATRIX_FORMATS", "MATRIX_VALUES", "case_matrix", "code_key", "write_case_matrix"]

#: What a case matrix cell holds.
MATRIX_VALUES = ("count", "presence")
#: Respondents-table columns a matrix leaves out: person names, and lookup aids.
NOT_ATTRIBUTES = ("name", "aliases")
#: File types :func:`write_case_matrix` writes.
MATRIX_FORMATS = (".csv", ".xlsx")


def _joined(values: pd.Series) -> str:
    return "; ".join(sorted({str(v) for v in values}))


def case_table(transcripts: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per case of *by* (the index) with its attributes and its number of respondents.

    An attribute whose value differs between the respondents of a case shows
    every value, joined by ``; ``. Grouping by an attribute keeps only the
    number of respondents and organisations. Person names and aliases
    (``NOT_ATTRIBUTES``) are left out: a matrix travels to other tools.
    """
    check_grouping(transcripts, by)
    grouped = transcripts.groupby(by, sort=True)
    if by in ("organisation", "respondent", "file"):
        attributes = [c for c in transcripts.columns if c not in (by, *NOT_ATTRIBUTES)]
        table = grouped[attributes].agg(_joined)
    else:
        table = pd.DataFrame(index=grouped.size().index)
        table["organisations"] = grouped["organisation"].nunique()
    table["respondents"] = grouped["respondent"].nunique()
    return table.reindex(_sorted_groups(pd.Series(table.index.astype(str))))


def case_matrix(
    rolled: pd.DataFrame,
    transcripts: pd.DataFrame,
    codebook: Codebook,
    *,
    by: str = "organisation",
    values: str = "count",
) -> pd.DataFrame:
    """Cases x codes: attributes, then one column per code id (see the module doc).

    *rolled* is the segment-code table with sub-codes rolled up
    (``Analysis.rolled_codes``); *values* is ``count`` or ``presence``.
    """
    if values not in MATRIX_VALUES:
        raise ArgumentError(
            f"unknown matrix values {values!r}; choose one of: {', '.join(MATRIX_VALUES)}"
        )
    cases = case_table(transcripts, by)
    ids = [c.id for c in codebook.codes]
    data = rolled.assign(case=rolled["file"].map(transcripts.set_index("file")[by]))
    counts = data.groupby(["case", "code"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=cases.index, columns=ids, fill_value=0).astype(np.int64)
    if values == "presence":
        counts = (counts > 0).astype(np.int64)
    out = pd.concat([cases, counts], axis=1)
    out.index.name = by
    out.columns.name = None
    return out


def code_key(codebook: Codebook) -> pd.DataFrame:
    """The codes of the matrix columns: ``code, name, variable, parent, dimension``."""
    return pd.DataFrame(
        {
            "code": [c.id for c in codebook.codes],
            "name": [c.name for c in codebook.codes],
            "variable": [codebook.variable_of(c.id) for c in codebook.codes],
            "parent": [c.parent or "" for c in codebook.codes],
            "dimension": [c.dimension for c in codebook.codes],
        }
    )


def write_case_matrix(
    counts: pd.DataFrame,
    presence: pd.DataFrame,
    key: pd.DataFrame,
    path: str | Path,
    *,
    inputs: Iterable[str | Path] = (),
) -> list[Path]:
    """Write a case matrix to *path* and return the files written.

    ``.xlsx``: one workbook with the sheets ``counts``, ``presence`` and
    ``codes``. ``.csv``: *path* holds the counts, ``<stem>_presence.csv`` the
    0/1 matrix and ``<stem>_codes.csv`` the key to the columns (UTF-8). Every
    file goes through ``qualcode.files.output``: none replaces one of *inputs*
    (``OutputError``), and each appears whole or not at all.
    """
    path = Path(path)
    inputs = tuple(inputs)
    suffix = check_suffix(path, MATRIX_FORMATS, "a matrix")
    if suffix == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise DependencyError(
                "writing .xlsx needs openpyxl: pip install 'qualcode[office]', or write .csv"
            ) from None
        with (
            open_output(path, inputs=inputs) as handle,
            pd.ExcelWriter(handle, engine="openpyxl") as book,
        ):
            counts.to_excel(book, sheet_name="counts")
            presence.to_excel(book, sheet_name="presence")
            key.to_excel(book, sheet_name="codes", index=False)
        return [path]
    written = [
        path,
        path.with_name(f"{path.stem}_presence.csv"),
        path.with_name(f"{path.stem}_codes.csv"),
    ]
    for target in written:
        check_output(target, inputs=inputs)
    frames = (counts, presence, key)
    for target, frame, index in zip(written, frames, (True, True, False), strict=True):
        with open_output(target, inputs=inputs, text=True) as handle:
            frame.to_csv(handle, index=index)
    return written
