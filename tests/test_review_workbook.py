"""The review loop end to end: suggestions out to a workbook, decided there, imported, reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.coding import Coding
from qualcode.store import Project

pytest_plugins = ["analysis_fixtures"]

TEXT = (
    "Gespreksverslag A\nDatum: 3 maart 2023\n\n"
    "Het geld was op, dat zei iedereen.\n\n"
    "De planning was te krap voor ons allemaal.\n\n"
    "Er werd goed samengewerkt aan tafel.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, codebook) -> Path:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation\na.txt,R1,Divosa\n", encoding="utf-8"
    )
    book = tmp_path / "mini.yaml"
    book.write_text(codebook.source_text, encoding="utf-8")
    db = tmp_path / "studie.db"
    with Project.create(db, transcripts=folder, codebook=book) as p:
        text = p.corpus.get("a.txt").text

        def at(part: str, code: str) -> Coding:
            start = text.index(part)
            return Coding("a.txt", start, start + len(part), code, coder="auto", score=0.8)

        p.import_suggestions(
            [
                at("Het geld was op, dat zei iedereen.", "GELD"),
                at("De planning was te krap voor ons allemaal.", "PLANNING"),
                at("Er werd goed samengewerkt aan tafel.", "GELD"),
                at("De planning was te krap voor ons allemaal.", "GELD_TEKORT"),
            ]
        )
    return db


def _fill(path: Path, decisions: dict[tuple[str, str], tuple[str, str, str]]) -> None:
    """Write decisions into the workbook by (sheet, passage start): (decision, new code, memo)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    for (sheet, passage), (decision, new, memo) in decisions.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[header.index("passage")].value.startswith(passage):
                row[header.index("decision")].value = decision
                row[header.index("new code")].value = new or None
                row[header.index("memo")].value = memo or None
    book.save(path)


def test_export_decide_import_report(project: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "review.xlsx"
    code, stdout, stderr = run("review", "export", "--project", str(project), "--out", str(out))
    assert code == 0, stderr
    assert stdout == f"wrote 4 suggestions to {out}\n"
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["GELD", "PLANNING", "codes"]
    assert book["codes"].sheet_state == "hidden"
    geld = book["GELD"]
    header = [c.value for c in geld[1]]
    assert header[:6] == ["id", "file", "organisation", "start", "end", "passage"]
    assert {"decision", "new code", "memo", "confidence", "evidence", "state"} <= set(header)
    rows = [[c.value for c in r] for r in geld.iter_rows(min_row=2)]
    assert [(r[header.index("organisation")], r[header.index("state")]) for r in rows] == [
        ("Divosa", "unreviewed")
    ] * 3
    lists = [v.formula1 for v in geld.data_validations.dataValidation]
    assert '"accept,reject,change"' in lists and "=codes!$A$2:$A$4" in lists

    _fill(
        out,
        {
            ("GELD", "Het geld"): ("accept", "", "duidelijk"),
            ("GELD", "Er werd goed"): ("reject", "", "gaat over samenwerking"),
            ("GELD", "De planning"): ("change", "GELD_TAFEL", ""),
            ("PLANNING", "De planning"): ("accept", "", ""),
        },
    )
    args = ("review", "import", "--project", str(project), str(out), "--coder", "anna")
    code, stdout, stderr = run(*args)
    assert (code, stdout, stderr) == (0, "applied 4 decisions, 0 already so\n", "")
    code, stdout, stderr = run(*args)  # importing again changes nothing
    assert (code, stdout, stderr) == (0, "applied 0 decisions, 4 already so\n", "")

    with Project.open(project) as p:
        mine = p.codings(coder="anna")
        assert sorted(mine["code"]) == ["GELD", "GELD_TAFEL", "PLANNING"]
        assert "duidelijk" in set(mine["memo"])
        actions = list(p.log()["action"])
        assert actions.count("accept") == 2 and actions.count("change") == 1
        assert actions.count("reject") == 1 and actions.count("review-import") == 2

    # the next export shows what was decided
    again = tmp_path / "again.xlsx"
    assert run("review", "export", "--project", str(project), "--out", str(again))[0] == 0
    sheet = openpyxl.load_workbook(again)["GELD"]
    header = [c.value for c in sheet[1]]
    states = sorted(r[header.index("state")].value for r in sheet.iter_rows(min_row=2))
    assert states == ["accepted", "changed", "rejected"]

    # reports: reviewed codings only, or everything with the unreviewed marked
    reviewed = tmp_path / "reviewed"
    code, _, stderr = run(
        "report", "--project", str(project), "--out", str(reviewed), "--reviewed", "--quiet"
    )
    assert code == 0, stderr
    html = (reviewed / "GELD.html").read_text(encoding="utf-8")
    assert "ongecontroleerde machinecodering" not in html
    assert "Het geld was op" in html and "Er werd goed samengewerkt" not in html


def test_a_row_that_no_longer_matches_is_reported(project: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "review.xlsx"
    run("review", "export", "--project", str(project), "--out", str(out))
    book = openpyxl.load_workbook(out)
    ws = book["PLANNING"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("start") + 1).value = 1
    ws.cell(row=2, column=header.index("decision") + 1).value = "accept"
    ws.cell(row=3, column=header.index("decision") + 1).value = "maybe"
    book.save(out)
    code, stdout, stderr = run(
        "review", "import", "--project", str(project), str(out), "--coder", "anna"
    )
    assert code == 1
    assert stdout == "applied 0 decisions, 0 already so\n"
    sid = ws.cell(row=2, column=1).value
    assert stderr == (
        f"error: review.xlsx, sheet PLANNING, row 2: suggestion {sid} no longer matches the "
        "project (its file, span or code changed, or it was removed); export the workbook again "
        "and decide it there\n"
        "error: review.xlsx, sheet PLANNING, row 3: decision 'maybe' is not one of accept, "
        "reject, change; fix the cell\n"
    )


def test_unreviewed_machine_codings_are_marked_on_every_page(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    code, _, stderr = run("report", "--project", str(project), "--out", str(out), "--quiet")
    assert code == 0, stderr
    for page in ("index.html", "GELD.html", "PLANNING.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "citaten steunen op ongecontroleerde machinecoderingen" in html, page
    assert "ongecontroleerde machinecodering</span>" in (out / "GELD.html").read_text("utf-8")
