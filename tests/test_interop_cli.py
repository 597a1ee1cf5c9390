"""``qualcode export|import qdc|qdpx`` through the CLI runner."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from refi_samples import NVIVO_WIN, QC, TAGUETTE, sample
from store_fixtures import A_TEXT, CODEBOOK_YAML, write_folder

from qualcode.cli import main
from qualcode.coding import Coding
from qualcode.store import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_export_qdc(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "msm.qdc"
    result = runner.invoke(main, ["export", "qdc", str(ROOT / "codebook" / "msm.yaml"), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: ")
    assert result.output.splitlines()[0].endswith(" codes")
    assert "dropped: nothing" not in result.output  # the patterns, at least, stay behind
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook')


RICH_CODEBOOK = """\
name: Rijk
language: nl
version: "2"
codes:
  - id: GELD
    name: Financiën
    description: Zijn er genoeg middelen?
    include: [tekorten en budgetten]
    exclude: [tijd (PLANNING)]
    examples: ["Het geld was op."]
    patterns: [budget|geld, {phrase: "tekort*", weight: 2}]
  - id: PLANNING
    name: Planning
    description: Was de planning werkbaar?
    patterns: [haast]
"""


def test_export_qdc_lists_what_the_format_cannot_carry(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "rijk.yaml"
    book.write_text(RICH_CODEBOOK, encoding="utf-8")
    out = tmp_path / "rijk.qdc"
    result = runner.invoke(main, ["export", "qdc", str(book), str(out)])
    assert result.exit_code == 0, result.output
    nothing = "a REFI-QDA codebook has no place for"
    assert result.output.splitlines() == [
        f"wrote {out}: 2 codes",
        "dropped: 10",
        f"  3 patterns (GELD: budget|geld and 2 more): {nothing} auto-coding patterns",
        f"  1 include criterion (GELD: tekorten en budgetten): {nothing} include criteria",
        f"  1 exclude criterion (GELD: tijd (PLANNING)): {nothing} exclude criteria",
        f"  1 example (GELD: Het geld was op.): {nothing} examples",
        "  3 codebook fields (name and 2 more): a REFI-QDA codebook has no name, language, "
        "version or description (read back: the file's name, a guessed language)",
        "  1 code id (GELD -> FINANCIEN): a REFI-QDA code has a name, not an id; read back, "
        "ids are made from the names",
    ]
    back = tmp_path / "terug.yaml"
    result = runner.invoke(main, ["import", "qdc", str(out), str(back)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: rijk.qdc: written by qualcode 0.1.0; REFI-QDA codes carry no patterns, "
        "criteria, examples or dimensions, so terug.yaml has none: they are in the codebook "
        "that was exported"
    ]


def test_export_and_import_qdpx(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "klein.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    db = tmp_path / "studie.db"
    Project.create(db, transcripts=write_folder(tmp_path / "t"), codebook=book).close()
    out = tmp_path / "studie.qdpx"
    result = runner.invoke(main, ["export", "qdpx", str(db), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {out}: 6 codes, 2 sources, 0 selections (0 codings), 2 cases, 3 variables, "
        "0 notes, 0 users\n"
    )
    copy = tmp_path / "kopie.db"
    result = runner.invoke(main, ["import", "qdpx", str(out), str(copy)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"read {out} (qualcode 0.1.0): 6 codes, 2 sources, 0 selections (0 codings), 2 cases, "
        "3 variables, 0 notes, 0 users",
        f"imported into {copy}: 6 codes, 2 sources, 0 selections (0 codings), 2 cases, "
        "3 variables, 0 notes, 0 users; codebook language nl",
        "dropped: nothing",
    ]


def _small_qdpx(runner: CliRunner, tmp_path: Path, out: Path) -> Path:
    """The small project (two transcripts, the small codebook) exported as *out*."""
    book = tmp_path / "klein.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    db = tmp_path / "studie.db"
    Project.create(db, transcripts=write_folder(tmp_path / "t"), codebook=book).close()
    out.parent.mkdir(exist_ok=True)
    assert runner.invoke(main, ["export", "qdpx", str(db), str(out)]).exit_code == 0
    return out


def test_import_qdpx_records_the_file_whatever_the_working_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _small_qdpx(runner, tmp_path, tmp_path / "uitwisseling" / "studie.qdpx")
    (tmp_path / "elders").mkdir()
    for cwd, given, copy in (
        (tmp_path / "elders", "../uitwisseling/studie.qdpx", "../a.db"),
        (tmp_path / "uitwisseling", "studie.qdpx", "../b.db"),
    ):
        monkeypatch.chdir(cwd)
        assert runner.invoke(main, ["import", "qdpx", given, copy]).exit_code == 0
    for copy in ("a.db", "b.db"):
        with Project.open(tmp_path / copy) as project:
            assert project.transcripts_dir == out.resolve()
            assert project.corpus.sources()[0] == out.resolve() / "a.txt"
        info = runner.invoke(main, ["project", "info", str(tmp_path / copy)])
        assert f"transcripts:  2 (from {out.resolve()})" in info.output.splitlines()


def test_a_project_imported_before_still_opens(runner: CliRunner, tmp_path: Path) -> None:
    """Projects imported before kept the .qdpx name joined to the working folder of then."""
    out = _small_qdpx(runner, tmp_path, tmp_path / "studie.qdpx")
    copy = tmp_path / "kopie.db"
    assert runner.invoke(main, ["import", "qdpx", str(out), str(copy)]).exit_code == 0
    old = "/home/iemand/ergens/studie.qdpx"
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'transcripts_dir'", (old,))
    conn.close()
    with Project.open(copy) as project:
        assert project.transcripts_dir == Path(old)
        assert project.corpus.files == ("a.txt", "b.txt")
    refresh = runner.invoke(main, ["project", "refresh", str(copy)])
    assert (refresh.exit_code, refresh.output) == (
        1,
        f"error: {old}: transcripts folder not found; pass the folder the transcripts are in "
        "now (transcripts_dir) (--transcripts)\n",
    )
    refresh = runner.invoke(
        main, ["project", "refresh", str(copy), "--transcripts", str(tmp_path / "t")]
    )
    assert refresh.exit_code == 0, refresh.output
    assert refresh.output.startswith("unchanged: 0\nmoved: 0\norphaned: 0\n")


def test_import_qdpx_prints_warnings_and_drops(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "qc.db"
    result = runner.invoke(main, ["import", "qdpx", str(sample(QC)), str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"warning: {QC}: path 'board_2017.txt' lacks the internal:// scheme" in lines
    assert (
        f"read {sample(QC)} (qc 1.3.2): 262 codes, 2 sources, 158 selections (205 codings), "
        "0 cases, 0 variables, 0 notes, 1 users"
    ) in lines
    assert "dropped: 22" in lines
    assert (
        "  8 codings (board_2017.txt [43301:43382] and 7 more): the span covers interviewer "
        "speech ('Moderator' at 43167-44135); only respondent speech is coded, narrow the span "
        "to the respondent's words"
    ) in lines


def test_import_qdpx_json(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "nvivo.db"
    result = runner.invoke(
        main, ["import", "qdpx", str(sample(NVIVO_WIN)), str(db), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert sorted(payload) == [
        "dropped",
        "file",
        "imported",
        "language",
        "origin",
        "read",
        "warnings",
    ]
    assert payload["read"]["selections"] == 303 and payload["imported"]["codings"] == 303
    assert payload["imported"]["selections"] == 188  # NVivo's repeated spans, one per code
    assert payload["language"] == "hu" and payload["origin"] == "NVivo for Windows 12.6"
    assert payload["dropped"] == []


def test_import_qdc_then_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "taguette.yaml"
    result = runner.invoke(main, ["import", "qdc", str(sample(TAGUETTE)), str(out)])
    assert result.exit_code == 0, result.output
    assert f"imported into {out}: 3 codes; codebook language en" in result.output.splitlines()
    again = runner.invoke(main, ["import", "qdc", str(sample(TAGUETTE)), str(out)])
    assert again.exit_code == 1
    assert again.output.splitlines()[-1] == (
        f"error: {out}: already exists; import into a new file name, or delete the old file first"
    )


def test_import_of_a_non_zip_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "kapot.qdpx"
    bad.write_text("geen zip", encoding="utf-8")
    result = runner.invoke(main, ["import", "qdpx", str(bad), str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert result.output == (
        "error: kapot.qdpx: not a readable .qdpx file (not a zip archive or damaged: File is not "
        "a zip file); export the project again\n"
    )
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    "command",
    [["export", "qdc"], ["export", "qdpx"], ["import", "qdc"], ["import", "qdpx"]],
)
def test_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"qualcode {' '.join(command)} " in result.output


def test_export_qdpx_counts_the_codings_it_leaves_out(runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "klein.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    db = tmp_path / "studie.db"
    budget = A_TEXT.index("Het budget")
    end = A_TEXT.index("begeleiding.") + len("begeleiding.")
    with Project.create(db, transcripts=write_folder(tmp_path / "t"), codebook=book) as project:
        added = project.import_suggestions(
            [
                Coding("a.txt", budget, end, "FINANCIEN", score=2.5, evidence="budget"),
                Coding("a.txt", budget, end, "PLANNING", score=1.5, evidence="tempo"),
                Coding("b.txt", 42, 85, "FINANCIEN", score=1.0, evidence="geld"),
            ]
        )
        first, second, _ = added.ids
        project.accept(first, coder="anna")
        project.reject(second, coder="anna")
    out = tmp_path / "studie.qdpx"
    result = runner.invoke(main, ["export", "qdpx", str(db), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "not exported: 1 suggested, 1 rejected (a .qdpx holds the active codings only; accept "
        "suggestions first to export them (qualcode review export/import))"
    ]
    assert "1 selections (1 codings)" in result.output  # the accepted one, as anna's coding
