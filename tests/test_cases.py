"""Code-by-case matrices: counts and presence per case, attributes, csv and xlsx for R/SPSS."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.analysis.cases import write_case_matrix
from qualcode.cli import main
from qualcode.errors import QualcodeError

pytest_plugins = ["analysis_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
GOLD = SAMPLE / "codings_gold.csv"
MSM = ROOT / "codebook" / "msm.yaml"
CODES = [
    "GELD",
    "GELD_TEKORT",
    "GELD_TAFEL",
    "PLANNING",
    "PLANNING_DRUK",
    "BEVORDEREND",
    "BELEMMEREND",
]


def test_counts_by_organisation_roll_sub_codes_up(analysis) -> None:
    counts = analysis.case_matrix("organisation")
    assert counts.index.name == "organisation"
    assert list(counts.columns) == ["file", "respondent", "steering_group", "respondents", *CODES]
    # Org A = a.txt + c.txt: GELD in 2 segments of a.txt (sub-codes) and 1 of c.txt
    assert counts.loc["Org A", CODES].tolist() == [3, 2, 0, 1, 1, 1, 2]
    assert counts.loc["Org B", CODES].tolist() == [1, 0, 1, 1, 0, 1, 0]
    assert counts.loc["Org A", "file"] == "a.txt; c.txt"
    assert counts.loc["Org A", "respondents"] == 2
    assert "name" not in counts.columns  # person names never travel in a matrix


def test_presence_is_zero_or_one(analysis) -> None:
    presence = analysis.case_matrix("respondent", values="presence")
    assert presence.loc["R1", CODES].tolist() == [1, 1, 0, 1, 1, 0, 1]
    assert set(presence[CODES].to_numpy().ravel().tolist()) == {0, 1}


def test_by_attribute_counts_groups(analysis) -> None:
    counts = analysis.case_matrix("steering_group")
    assert list(counts.index) == ["ja", "nee"]
    assert counts.loc["ja", ["organisations", "respondents", "GELD"]].tolist() == [1, 2, 3]


def test_bad_values_and_grouping(analysis) -> None:
    with pytest.raises(QualcodeError, match="unknown matrix values 'share'; choose one of: count"):
        analysis.case_matrix(values="share")
    with pytest.raises(QualcodeError, match="cannot group by 'colour'"):
        analysis.case_matrix("colour")


def test_write_refuses_other_formats(analysis, tmp_path) -> None:
    counts = analysis.case_matrix()
    with pytest.raises(QualcodeError, match=r"m.sav: cannot write a matrix as .sav; name it .csv"):
        write_case_matrix(counts, counts, analysis.code_key(), tmp_path / "m.sav")


def _matrix(tmp_path: Path, out: str, *extra: str):
    args = ["matrix", "--transcripts", str(SAMPLE), "--codebook", str(MSM), "--out", out]
    return CliRunner().invoke(main, [*args, *extra])


def test_cli_xlsx_has_both_sheets_and_the_code_key(tmp_path) -> None:
    import openpyxl

    out = tmp_path / "matrix.xlsx"
    result = _matrix(tmp_path, str(out), "--codings", str(GOLD))
    assert result.exit_code == 0, result.output
    assert "wrote 21 cases x 45 codes" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["counts", "presence", "codes"]
    counts = list(book["counts"].iter_rows(values_only=True))
    presence = list(book["presence"].iter_rows(values_only=True))
    header = list(counts[0])
    assert header[0] == "organisation"
    assert "REPRESENTATIE" in header
    assert "FINANCIELE_RANDVOORWAARDEN" in header
    assert len(counts) == 22
    col = header.index("REPRESENTATIE")
    for c_row, p_row in zip(counts[1:], presence[1:], strict=True):
        assert p_row[col] == (1 if c_row[col] > 0 else 0)
    key = list(book["codes"].iter_rows(values_only=True))
    assert key[0] == ("code", "name", "variable", "parent", "dimension")
    assert len(key) == 46


def test_cli_csv_writes_three_files_from_a_project(tmp_path) -> None:
    project = tmp_path / "p.qc"
    runner = CliRunner()
    init = ["project", "init", str(project), "--transcripts", str(SAMPLE), "--codebook", str(MSM)]
    assert runner.invoke(main, init).exit_code == 0
    imported = runner.invoke(main, ["project", "import-codings", str(project), str(GOLD)])
    assert imported.exit_code == 0
    out = tmp_path / "m.csv"
    result = runner.invoke(
        main, ["matrix", "--project", str(project), "--by", "respondent", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 22  # the sample has 22 records, one respondent each
    assert (tmp_path / "m_presence.csv").exists()
    assert (tmp_path / "m_codes.csv").read_text(encoding="utf-8").startswith("code,name,")
    from_csv = _matrix(
        tmp_path, str(tmp_path / "n.csv"), "--codings", str(GOLD), "--by", "respondent"
    )
    assert from_csv.exit_code == 0
    assert (tmp_path / "n.csv").read_text() == out.read_text()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "Error: give a codings CSV (--codings) or a project (--project), not both"),
        (["--codings", str(GOLD), "--by", "colour"], "error: cannot group by 'colour'"),
    ],
)
def test_cli_matrix_errors(tmp_path, extra: list[str], message: str) -> None:
    result = _matrix(tmp_path, str(tmp_path / "m.csv"), *extra)
    assert result.exit_code == (2 if message.startswith("Error") else 1)  # usage 2, data 1
    assert result.output.splitlines()[-1].startswith(message)


def test_cli_matrix_never_writes_over_an_input(tmp_path) -> None:
    codings = tmp_path / "codings.csv"
    codings.write_bytes(GOLD.read_bytes())
    result = _matrix(tmp_path, str(codings), "--codings", str(codings))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {codings}: is an input of this command")
    assert codings.read_bytes() == GOLD.read_bytes()
