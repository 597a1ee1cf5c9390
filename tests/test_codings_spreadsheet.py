"""Codings CSVs as spreadsheet programs save them: ';' separators, Windows-1252, a workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualcode import CodingError
from qualcode.coding.codings import read_codings_csv

ROWS = pd.DataFrame(
    {
        "file": ["divosa.txt", "vng.txt"],
        "start": ["10", "20"],
        "end": ["30", "45"],
        "code": ["PLANNING", "REPRESENTATIE"],
        "coder": ["anna", "anna"],
        "text": ["“Het tempo was moordend”, zei ze", "één; twee"],
    }
)


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separators_of_spreadsheet_programs_are_read(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "codings.csv"
    ROWS.to_csv(path, sep=sep, index=False, encoding="utf-8-sig")
    frame = read_codings_csv(path)
    assert frame["text"].tolist() == ROWS["text"].tolist()
    assert frame["start"].tolist() == [10, 20]


def test_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    rows = ROWS.assign(text=["“Het tempo was moordend”, zei ze", "één keer"])
    path.write_bytes(rows.to_csv(sep=";", index=False).encode("cp1252"))
    with pytest.warns(Warning, match=r"codings.csv: not valid UTF-8, read as Windows-1252"):
        frame = read_codings_csv(path)
    assert frame["text"].tolist() == rows["text"].tolist()


def test_a_workbook_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CodingError) as caught:
        read_codings_csv(path)
    assert str(caught.value) == (
        "review.xlsx: is a spreadsheet, not a codings CSV; save it as CSV (UTF-8) and use that file"
    )
