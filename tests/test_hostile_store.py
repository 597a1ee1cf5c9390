"""A damaged, read-only or full project: one line, and the project file as it was."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from hostile import snapshot
from store_fixtures import *  # noqa: F403 (fixtures)
from store_fixtures import A_TEXT

from qualcode.cli import main
from qualcode.errors import StoreError
from qualcode.store import Project

CODED = "Het budget was veel te krap voor de begeleiding."
S = A_TEXT.index(CODED)
E = S + len(CODED)


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line(result, message: str, *, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert message in lines[0], lines[0]


def _coded(tmp_path, project_file):
    csv = tmp_path / "c.csv"
    csv.write_text(f"file,start,end,code,coder\na.txt,{S},{E},FINANCIEN,anna\n", encoding="utf-8")
    assert run("project", "import-codings", project_file, csv).exit_code == 0
    return project_file


def _damage(path, statement: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement)
    conn.close()  # the last connection: the log is folded into the file


EXPORTS = [
    ("project", "info", "{db}"),
    ("project", "export-codings", "{db}", "--out", "{tmp}/out.csv"),
    ("export", "qdpx", "{db}", "{tmp}/out.qdpx"),
    ("report", "--project", "{db}", "--out", "{tmp}/r", "--format", "md", "--quiet"),
]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE transcripts SET structure = '{{kapot' WHERE file = 'a.txt'",
         "the stored structure of transcript a.txt is damaged"),
        ("UPDATE transcripts SET attributes = 'geen json' WHERE file = 'a.txt'",
         "the stored attributes of transcript a.txt are damaged (not a JSON object)"),
    ],
    ids=["structure", "attributes"],
)  # fmt: skip
@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: " ".join(c[:2]))
def test_stored_json_that_is_not_json_is_one_line(tmp_path, project_file, statement, message,
                                                  command):  # fmt: skip
    _damage(project_file, statement.replace("{{", "{"))
    before = snapshot(tmp_path)
    args = [a.format(db=project_file, tmp=tmp_path) for a in command]
    one_line(run(*args), message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", EXPORTS[1:], ids=lambda c: " ".join(c[:2]))
def test_a_stored_coding_past_its_text_is_refused_on_export(tmp_path, project_file, command):
    _coded(tmp_path, project_file)
    _damage(project_file, 'UPDATE codings SET "end" = 99999')
    before = snapshot(tmp_path)
    args = [a.format(db=project_file, tmp=tmp_path) for a in command]
    one_line(run(*args), f"a.txt {S}-99999, code FINANCIEN) lies outside its transcript's text")
    assert snapshot(tmp_path) == before


def test_a_read_only_project_opens_for_reading(tmp_path, project_file, monkeypatch):
    _coded(tmp_path, project_file)
    _damage(project_file, "SELECT 1")  # folds the write-ahead log into the file
    # as root every file is writable: say what a read-only file system would
    monkeypatch.setattr("qualcode.store.db._writable", lambda path: False)
    before = snapshot(tmp_path)
    result = run("project", "info", project_file)
    assert result.exit_code == 0, result.output
    assert "1 active" in result.output
    out = tmp_path / "uit"
    out.mkdir()
    result = run("project", "export-codings", project_file, "--out", out / "c.csv")
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == {**before, **snapshot(out)}
    csv = out / "c.csv"  # the export, as another coder's
    csv.write_text(csv.read_text(encoding="utf-8").replace(",anna,", ",bert,"), encoding="utf-8")
    before = {**before, **snapshot(out)}
    result = run("project", "import-codings", project_file, csv)
    one_line(result, "the project is read-only")
    assert snapshot(tmp_path) == before


def test_a_full_disk_says_so_and_changes_nothing(tmp_path, project_file):
    csv = tmp_path / "c.csv"
    rows = "".join(f"a.txt,{S},{E},FINANCIEN,coder{i}\n" for i in range(3000))
    csv.write_text("file,start,end,code,coder\n" + rows, encoding="utf-8")
    with Project.open(project_file) as project:
        conn = project._db._conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # as if the disk were full
        with pytest.raises(StoreError, match="the disk is full .*; nothing was changed"):
            project.import_codings(csv)
        assert len(project.codings(status=None)) == 0


def test_evaluate_against_a_header_only_gold_is_refused(tmp_path, folder):
    gold = tmp_path / "gold.csv"
    gold.write_text("file,start,end,code,coder\n", encoding="utf-8")
    predicted = tmp_path / "pred.csv"
    predicted.write_text(f"file,start,end,code,coder\na.txt,{S},{E},X,auto\n", encoding="utf-8")
    result = run("evaluate", "--codings", predicted, "--gold", gold, "--transcripts", folder)
    one_line(result, "gold.csv: the gold standard holds no codings (a header only)")


def test_import_codings_with_a_superscript_offset_names_the_row(tmp_path, project_file):
    csv = tmp_path / "c.csv"
    csv.write_text("file,start,end,code,coder\na.txt,\u00b2,5,FINANCIEN,anna\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("project", "import-codings", project_file, csv)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "row 2" in result.output and "start" in result.output
    assert snapshot(tmp_path) == before
