"""``qualcode check-quotes``: output formats, the JSON contract, exit statuses, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
DRAFT = ROOT / "tests" / "data" / "review" / "draft_report.md"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "I: Hoe ging het?\n\nR: Het tempo was soms moordend, met consultaties van twee weken "
        "<midden> in de zomer & zo.\n",
        encoding="utf-8",
    )
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation,aliases\na.txt,R1,Alfa & Co,de alfa\n", encoding="utf-8"
    )
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "draft.md") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_all_verified_exits_0_with_a_text_summary(tmp_path: Path, corpus: Path) -> None:
    report = write(tmp_path, "De alfa zegt: “Het tempo was soms moordend, met consultaties.”\n")
    code, out, err = run("check-quotes", report, "--transcripts", str(corpus))
    assert (code, err) == (0, "")
    assert out == (
        f"{report}: 1 quotes (1 verified)\n"
        "verified      line 1     Alfa & Co: “Het tempo was soms moordend, met consultaties.” -> "
        "a.txt [21:66] Alfa & Co (similarity 1.00)\n"
    )


def test_a_problem_exits_1_and_is_listed_first(tmp_path: Path, corpus: Path) -> None:
    report = write(
        tmp_path,
        "De alfa zegt: “Het tempo was soms moordend, met consultaties.”\n"
        "De alfa zegt: “Het tempo was vaak moordend, met consultaties.”\n",
    )
    code, out, _ = run("check-quotes", report, "--transcripts", str(corpus))
    assert code == 1
    assert out.splitlines()[1:6] == [
        "",
        "ALTERED       line 2     Alfa & Co",
        "  quote:       “Het tempo was vaak moordend, met consultaties.”",
        "  attribution: De alfa zegt:",
        "  found in:    a.txt [21:66] Alfa & Co (similarity 0.86)",
    ]
    assert "  diff:        Het tempo was [-soms-] {+vaak+} moordend met consultaties" in out


def test_json_follows_the_contract(tmp_path: Path, corpus: Path) -> None:
    report = write(
        tmp_path,
        "“Het tempo was vaak moordend, met consultaties”, aldus Alfa & Co.\n"
        "In de Kamerbrief staat: “Gemeenten krijgen weer de regie over inburgering.”\n",
    )
    code, out, _ = run("check-quotes", report, "--transcripts", str(corpus), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["report", "threshold", "quotes", "summary", "terms", "notes"]
    first, second = data["quotes"]
    assert {"text", "line", "attributed_to", "attribution", "status", "matches", "diff"} <= set(
        first
    )
    assert first["text"] == "Het tempo was vaak moordend, met consultaties"
    assert (first["line"], first["attributed_to"], first["status"]) == (1, "Alfa & Co", "altered")
    assert first["attribution"] == "aldus Alfa & Co."
    assert first["matches"] == [
        {
            "file": "a.txt",
            "organisation": "Alfa & Co",
            "start": 21,
            "end": 66,
            "similarity": 0.857,
            "pieces": [[21, 66]],
            "passage": "Het tempo was soms moordend, met consultaties",
        }
    ]
    assert first["diff"] == "Het tempo was [-soms-] {+vaak+} moordend met consultaties"
    assert (
        second["status"],
        second["attributed_to"],
        second["attribution_kind"],
        second["matches"],
        second["diff"],
    ) == ("unattributed", None, "document", [], None)
    assert data["summary"] == {
        "verified": 0,
        "altered": 1,
        "misattributed": 0,
        "not_found": 0,
        "unattributed": 1,
    }


def test_html_lists_problems_first_and_escapes_everything(tmp_path: Path, corpus: Path) -> None:
    report = write(
        tmp_path,
        "De alfa: “Het tempo was soms moordend, met consultaties.”\n"
        "De alfa: “met consultaties van twee weken <midden> in de winter & zo.”\n",
    )
    code, out, _ = run("check-quotes", report, "--transcripts", str(corpus), "--format", "html")
    assert code == 1
    assert out.startswith("<!DOCTYPE html>")
    assert out.index('class="card altered"') < out.index('class="card verified"')
    assert "<del>zomer</del> <ins>winter</ins>" in out
    assert "&lt;midden&gt;" in out and "<midden>" not in out
    assert "Alfa &amp; Co" in out and "Alfa & Co" not in out
    assert "<mark>met consultaties van twee weken &lt;midden&gt; in de zomer &amp; zo</mark>" in out


def test_respondents_table_outside_the_folder(tmp_path: Path, corpus: Path) -> None:
    table = tmp_path / "tabel.csv"
    table.write_text("file,respondent,organisation,aliases\na.txt,R1,Bèta,\n", encoding="utf-8")
    report = write(tmp_path, "“Het tempo was soms moordend, met consultaties” (Bèta).\n")
    code, out, _ = run(
        "check-quotes",
        report,
        "--transcripts",
        str(corpus),
        "--respondents",
        str(table),
        "--format",
        "json",
    )
    assert code == 0
    assert [(q["status"], q["attributed_to"]) for q in json.loads(out)["quotes"]] == [
        ("verified", "Bèta")
    ]


def test_a_report_without_quotes_exits_0(tmp_path: Path, corpus: Path) -> None:
    report = write(tmp_path, 'Geen citaten, alleen een "term".\n')
    code, out, _ = run("check-quotes", report, "--transcripts", str(corpus))
    assert (code, out) == (
        0,
        f"{report}: 0 quotes\n\n1 short quoted passages taken for terms (not checked)\n",
    )


def test_min_words_turns_terms_into_quotes(tmp_path: Path, corpus: Path) -> None:
    report = write(tmp_path, "De alfa: “in de zomer”.\n")
    code, out, _ = run(
        "check-quotes", report, "--transcripts", str(corpus), "--min-words", "3", "--format", "json"
    )
    assert code == 0
    assert [q["status"] for q in json.loads(out)["quotes"]] == ["verified"]


def test_unpaired_marks_are_noted(tmp_path: Path, corpus: Path) -> None:
    report = write(tmp_path, "De alfa: “Het tempo was soms moordend, met consultaties\n\nKlaar.\n")
    code, out, _ = run("check-quotes", report, "--transcripts", str(corpus))
    assert code == 0
    assert out.splitlines()[-1] == (
        "note: line 1: quotation mark “ opens a passage that does not close before the paragraph "
        "ends; not checked (add the closing mark)"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "missing.md",
            None,
            "error: {path}: report not found; pass the path of an existing draft report\n",
        ),
        ("empty.md", "", "error: empty.md: the report is empty; pass a draft report with text\n"),
        (
            "broken.docx",
            "no zip",
            "error: broken.docx: not a readable .docx file; open and "
            "re-save it (Word), or export it as .txt\n",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, corpus: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run("check-quotes", str(path), "--transcripts", str(corpus))
    assert (code, out, err) == (2, "", message.format(path=path))


def test_bad_options_exit_2(tmp_path: Path, corpus: Path) -> None:
    report = write(tmp_path, "x")
    code, _, err = run("check-quotes", report, "--transcripts", str(corpus), "--min-words", "0")
    assert (code, err) == (2, "error: --min-words must be at least 1, got 0\n")
    code, _, err = run("check-quotes", report, "--transcripts", str(tmp_path / "nope"))
    assert code == 2
    assert "Directory" in err and "does not exist" in err


def test_the_draft_report_against_the_sample(tmp_path: Path) -> None:
    code, out, _ = run("check-quotes", str(DRAFT), "--transcripts", str(SAMPLE), "--format", "json")
    assert code == 1
    assert json.loads(out)["summary"] == {
        "verified": 20,
        "altered": 1,
        "misattributed": 2,
        "not_found": 1,
        "unattributed": 3,
    }


def test_help_has_an_example() -> None:
    code, out, _ = run("check-quotes", "--help")
    assert code == 0
    assert (
        "  Example:\n    qualcode check-quotes draft.md --transcripts transcripts_sample\n" in out
    )
