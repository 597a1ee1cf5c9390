"""``qualcode project ...``: init, import-codings, export-codings, refresh, info."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from store_fixtures import *  # noqa: F403 (fixtures)
from store_fixtures import A_TEXT, write_folder

from qualcode.cli import main
from qualcode.coding import CODINGS_COLUMNS
from qualcode.store import Project

CODED = "Het budget was veel te krap voor de begeleiding."
S = A_TEXT.index(CODED)
E = S + len(CODED)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_init_creates_a_project(tmp_path, folder, codebook_file):
    db = tmp_path / "studie.db"
    result = run("project", "init", str(db), "--transcripts", str(folder),
                 "--codebook", str(codebook_file))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == f"created {db}: 2 transcripts, 6 codes\n"
    with Project.open(db) as p:
        assert p.corpus.files == ("a.txt", "b.txt")


def test_init_refuses_an_existing_file(tmp_path, folder, codebook_file):
    db = tmp_path / "studie.db"
    db.write_text("al bezet")
    result = run("project", "init", str(db), "--transcripts", str(folder),
                 "--codebook", str(codebook_file))  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {db}: already exists; choose a new file name, or open it with Project.open\n"
    )
    assert db.read_text() == "al bezet"


def _csv(tmp_path, rows, name="codings.csv", columns=("file", "start", "end", "code", "coder",
                                                      "text")):  # fmt: skip
    path = tmp_path / name
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def test_import_and_export_codings(tmp_path, project_file):
    csv = _csv(tmp_path, [
        ("a.txt", S, E, "FINANCIEN", "anna", CODED),
        ("a.txt", S - 3, E - 3, "BELEMMEREND", "anna", CODED),
        ("b.txt", 42, 85, "FINANCIEN", "bert", ""),
        ("b.txt", 42, 85, "PLANNING", "auto", ""),
    ])  # fmt: skip
    result = run("project", "import-codings", str(project_file), str(csv))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"imported 4 codings into {project_file} (1 moved to their text, 0 already present)\n"
    )
    out = tmp_path / "anna.csv"
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--coder", "anna")  # fmt: skip
    assert (result.exit_code, result.output) == (0, f"wrote 2 codings to {out}\n")
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns)[: len(CODINGS_COLUMNS)] == list(CODINGS_COLUMNS)
    assert list(frame["code"]) == ["BELEMMEREND", "FINANCIEN"]
    assert set(frame["text"]) == {CODED}
    assert set(frame["start"]) == {S}
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--status", "suggested")  # fmt: skip
    assert result.output == f"wrote 1 codings to {out}\n"
    # the exported file imports again as nothing new
    again = run("project", "import-codings", str(project_file), str(out))
    assert again.output.endswith("(0 moved to their text, 1 already present)\n")


def test_an_empty_export_names_the_status_that_has_codings(tmp_path, project_file):
    csv = _csv(tmp_path, [
        ("b.txt", 42, 85, "PLANNING", "auto", ""),
        ("b.txt", 42, 85, "FINANCIEN", "auto", ""),
        ("a.txt", S, E, "FINANCIEN", "anna", CODED),
    ])  # fmt: skip
    assert run("project", "import-codings", str(project_file), str(csv)).exit_code == 0
    out = tmp_path / "auto.csv"
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--coder", "auto")  # fmt: skip
    assert (result.exit_code, result.output) == (
        0,
        f"wrote 0 codings to {out}\n"
        "coder auto has no active codings but 2 suggested: add --status suggested\n",
    )
    with Project.open(project_file) as p:
        p.reject(int(p.codings(coder="auto", status="suggested").iloc[0]["id"]), coder="anna")
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--coder", "auto", "--status", "accepted")  # fmt: skip
    assert result.output.splitlines()[1] == (
        "coder auto has no accepted codings but 1 rejected and 1 suggested: add --status "
        "rejected or --status suggested, or --status all for every status"
    )
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--coder", "Auto")  # fmt: skip
    assert (
        result.output.splitlines()[1] == f"{project_file} has no coder 'Auto'; coders: auto, anna"
    )
    result = run("project", "export-codings", str(project_file), "--out", str(out),
                 "--coder", "anna", "--status", "suggested")  # fmt: skip
    assert result.output.splitlines() == [
        f"wrote 0 codings to {out}",
        "coder anna has no suggested codings but 1 active: add --status active",
    ]


def test_import_refuses_every_bad_row_and_changes_nothing(tmp_path, project_file):
    csv = _csv(tmp_path, [
        ("a.txt", S, E, "FINANCIEN", "anna", CODED),
        ("x.txt", 0, 5, "FINANCIEN", "anna", ""),
        ("a.txt", S, E, "GELD", "anna", ""),
        ("a.txt", 0, 12, "PLANNING", "anna", ""),
        ("a.txt", S, E, "PLANNING", "anna", "iets wat er niet staat"),
        ("a.txt", "-4", E, "PLANNING", "anna", ""),
    ], name="CODINGS.csv")  # fmt: skip
    result = run("project", "import-codings", str(project_file), str(csv))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: CODINGS.csv, row 3: file 'x.txt' is not a transcript in "
        f"{tmp_path / 'transcripts'}; known files: a.txt, b.txt (fix the file name, or read "
        "the transcripts the codings were made on)",
        "error: CODINGS.csv, row 4: unknown code 'GELD' in codebook 'klein' (see 'qualcode "
        "codebook show' for all ids)",
        "error: CODINGS.csv, row 5: the span covers interviewer speech ('Interviewer' at 13-39); "
        "only respondent speech is coded, narrow the span to the respondent's words",
        f"error: CODINGS.csv, row 6: text 'iets wat er niet staat' is not at {S}-{E} of a.txt "
        "and occurs nowhere in it; fix the offsets or the text",
        "error: CODINGS.csv, row 7: start '-4' is not a non-negative whole number (a character "
        "offset)",
        "5 refused row(s); nothing was imported",
    ]
    with Project.open(project_file) as p:
        assert p.codings(status=None).empty


@pytest.mark.parametrize(("content", "message"), [
    ("file,start,end,code\na.txt,1,2,X\n",
     "error: bad.csv: missing column coder; a codings CSV needs file, start, end, code, coder\n"),
    ("", "error: bad.csv: the codings file is empty; expected a header with file, start, end, "
         "code, coder\n"),
])  # fmt: skip
def test_import_of_an_unusable_csv(tmp_path, project_file, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    result = run("project", "import-codings", str(project_file), str(bad))
    assert (result.exit_code, result.stderr) == (1, message)


def test_commands_on_a_file_that_is_not_a_project(tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("geen project")
    result = run("project", "info", str(fake))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {fake}: not a qualcode project or a damaged one (file is not a database); "
        "pass the .db file made by 'qualcode project init'\n"
    )


def test_refresh_reports_moves_and_orphans_as_json(tmp_path, project_file, folder):
    with Project.open(project_file) as p:
        kept = p.code("a.txt", S, E, "FINANCIEN", coder="anna")
        t = A_TEXT.index("Het tempo")
        gone = p.code("a.txt", t, t + 9, "TIJDSDRUK", coder="anna")
    write_folder(
        folder,
        a_text=("Interviewer: Eerst dit.\n\n" + A_TEXT).replace(
            "Het tempo was soms moordend, met consultaties van twee weken.", "Geen commentaar."
        ),
    )
    result = run("project", "refresh", str(project_file), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {k: payload[k] for k in ("unchanged", "moved", "orphaned")} == {
        "unchanged": 0, "moved": 1, "orphaned": 1}  # fmt: skip
    assert payload["orphans"] == [{
        "id": gone, "file": "a.txt", "code": "TIJDSDRUK", "coder": "anna", "status": "active",
        "snippet": "Het tempo", "old_start": t, "old_end": t + 9,
    }]  # fmt: skip
    with Project.open(project_file) as p:
        c = p.coding(kept)
        assert p.transcript("a.txt").text[c.start : c.end] == CODED


def test_refresh_as_a_table(project_file):
    result = run("project", "refresh", str(project_file))
    assert (result.exit_code, result.output) == (0, "unchanged: 0\nmoved: 0\norphaned: 0\n")


def test_info(project_file):
    with Project.open(project_file) as p:
        p.code("a.txt", S, E, "FINANCIEN", coder="anna")
    result = run("project", "info", str(project_file), "--format", "json")
    payload = json.loads(result.output)
    assert (payload["transcripts"], payload["codes"], payload["coders"], payload["codings"]) == (
        2, 6, ["anna"], {"active": 1})  # fmt: skip
    table = run("project", "info", str(project_file)).output
    assert "codings:      1 active\n" in table


@pytest.mark.parametrize("command", ["init", "import-codings", "export-codings", "refresh", "info"])
def test_every_command_has_help_with_an_example(command):
    result = run("project", command, "--help")
    assert result.exit_code == 0
    assert "  Example:\n    qualcode project " + command in result.output
