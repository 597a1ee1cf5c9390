"""``qualcode report``: from codings, from the auto-coder, from a project; the errors met."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import load_codebook

pytest_plugins = ["analysis_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
GOLD = SAMPLE / "codings_gold.csv"
CODEBOOK = ROOT / "codebook" / "msm.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_report_from_a_codings_csv(gold_report) -> None:
    out, result = gold_report  # qualcode report --codings codings_gold.csv --quiet
    assert result.exit_code == 0, result.stderr
    quotes = _rows(out / "quotes.csv")
    assert result.stdout.splitlines() == [
        f"wrote 8 variable reports (html, md), frequencies.csv, quotes.csv ({len(quotes)} quotes) "
        f"and 24 figure files to {out}",
        f"open {out / 'index.html'}",
    ]
    assert result.stderr == ""
    assert (out / "PLANNING.html").is_file() and (out / "PLANNING.md").is_file()
    assert {r["coders"] for r in quotes} == {"gold"}
    assert not (out / "codings_auto.csv").exists()


def test_report_auto_codes_when_no_codings_are_given(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, stdout, stderr = run(
        "--transcripts",
        str(SAMPLE),
        "--codebook",
        str(CODEBOOK),
        "--out",
        str(out),
        "--format",
        "html",
    )
    assert code == 0, stderr
    written = _rows(out / "codings_auto.csv")
    # best guesses are written for the reviewer but are not codings: not counted, not quoted
    auto = [r for r in written if r["suggestion"] == "coding"]
    assert 0 < len(auto) < len(written)
    assert stdout.splitlines()[0] == (
        f"auto-coded the corpus: {len(auto)} codings in {out / 'codings_auto.csv'}"
    )
    assert not (out / "index.md").exists()
    quotes = _rows(out / "quotes.csv")
    coded = {(r["file"], r["code"]) for r in auto}
    assert quotes and all((q["file"], q["code"]) in coded for q in quotes)
    guessed = {(r["file"], r["start"]) for r in written if r["suggestion"] == "best_guess"}
    assert not guessed & {(q["file"], q["start"]) for q in quotes}
    variables = {v.id for v in load_codebook(CODEBOOK).variables()}
    assert len(variables) == 8 and {q["variable"] for q in quotes} == variables


def test_report_from_a_project(tmp_path: Path, codebook) -> None:
    from qualcode.store import Project

    mini = tmp_path / "mini.yaml"
    mini.write_text(codebook.source_text, encoding="utf-8")
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "I: Hoe was de planning?\n\nR: Het tempo was moordend, Karin.\n", encoding="utf-8"
    )
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation,name\na.txt,R1,Divosa,Karin Dekker\n", encoding="utf-8"
    )
    db = tmp_path / "study.qcp"
    with Project.create(db, transcripts=folder, codebook=mini) as project:
        text = project.corpus.get("a.txt").text
        start = text.index("Het tempo")
        project.code("a.txt", start, len(text), "PLANNING", coder="anna")
        project.code("a.txt", start, start + 9, "PLANNING", coder="bob")
    out = tmp_path / "reports"
    code, stdout, stderr = run(
        "--project", str(db), "--coder", "anna", "--out", str(out), "--anonymise", "--quiet"
    )
    assert code == 0, stderr
    quotes = _rows(out / "quotes.csv")
    assert [(q["organisation"], q["text"], q["coders"]) for q in quotes] == [
        ("Divosa", "Het tempo was moordend, [respondent].", "anna")
    ]
    frequencies = {
        (r["code"], r["organisation"]): r["segments"] for r in _rows(out / "frequencies.csv")
    }
    assert frequencies[("PLANNING", "Divosa")] == "1"
    assert sorted(p.name for p in out.glob("*.html")) == [
        "GELD.html",
        "PLANNING.html",
        "index.html",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--codebook", str(CODEBOOK), "--out", "x"],
            "Error: give --transcripts (with --codebook), or --project",
        ),
        (["--transcripts", str(SAMPLE), "--out", "x"], "Error: give --codebook, or --project"),
        (
            [
                "--transcripts",
                str(SAMPLE),
                "--codebook",
                str(CODEBOOK),
                "--out",
                "x",
                "--names",
                "Jan",
            ],
            "Error: --names lists names to replace; add --anonymise",
        ),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, stderr = run(*args)
    assert code == 2
    assert stderr.strip().splitlines()[-1] == message


def test_errors_exit_1_with_one_line(tmp_path: Path) -> None:
    base = ["--transcripts", str(SAMPLE), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "r")]
    code, _, stderr = run(*base, "--format", "html,pdf")
    assert (code, stderr) == (  # a usage mistake: exit 2, like every command's
        2,
        "error: unknown report format pdf; choose from html, md, docx, xlsx (comma-separated)\n",
    )
    code, _, stderr = run(*base, "--codings", str(GOLD), "--project", str(GOLD))
    assert (code, stderr.splitlines()[-1]) == (2, "Error: give --codings or --project, not both")
    code, _, stderr = run(*base, "--codings", str(GOLD), "--coder", "anna")
    assert (code, stderr.splitlines()[-1]) == (
        2,
        "Error: --coder chooses codings of a project; add --project",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("file,start,end,code,coder\nnope.txt,0,5,PLANNING,anna\n", encoding="utf-8")
    code, _, stderr = run(*base, "--codings", str(bad))
    assert code == 1
    assert stderr == (
        f"error: bad.csv, row 2: file 'nope.txt' is not a transcript in {SAMPLE}; known files: "
        "blik-op-werk.txt, cbs.md, coa.txt, cvte.docx, divosa.txt, duo.docx ... (fix the file "
        "name, or read the transcripts the codings were made on)\n"
    )
    code, _, stderr = run(*base, "--codings", str(GOLD), "--compare", "sector")
    assert code == 1 and stderr.startswith("error: cannot group by 'sector': no such column")
    assert not (tmp_path / "r").exists()


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--anonymise" in result.output


def test_missing_respondents_table_is_warned_about(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Datum: 3 maart 2023\n\nDe planning was moordend en het geld was op.\n", encoding="utf-8"
    )
    code, _, stderr = run(
        "--transcripts", str(folder), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "r")
    )
    assert code == 0, stderr
    assert stderr == (
        f"warning: {folder}: no respondents table (respondents.csv), so quotes and tables "
        "cannot name organisations; add respondents.csv to the folder with the columns file, "
        "respondent, organisation (one row per transcript) or pass --respondents PATH\n"
    )
