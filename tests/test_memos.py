"""Memos in the output: the memo table, export-memos (md, csv, docx), memos in the reports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.report.memos import MEMO_EXPORT_COLUMNS, project_memos
from qualcode.store import Project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
GOLD = SAMPLE / "codings_gold.csv"
MSM = ROOT / "codebook" / "msm.yaml"

CODE_MEMO = "Geld kwam pas laat op tafel; vergelijk met de G4."
CODING_MEMO = "Mooi citaat over het taboe op geld."
TRANSCRIPT_MEMO = "Verslag nog niet door de respondent goedgekeurd."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A project of the sample with the gold codings and one memo of each kind."""
    path = tmp_path_factory.mktemp("memos") / "studie.db"
    with Project.create(path, transcripts=SAMPLE, codebook=MSM) as p:
        p.import_codings(GOLD)
        codings = p.codings()
        row = codings[codings["code"] == "FINANCIELE_RANDVOORWAARDEN"].iloc[0]
        p.memo(CODE_MEMO, coder="anna", code="FINANCIELE_RANDVOORWAARDEN")
        p.memo(CODING_MEMO, coder=str(row["coder"]), coding=int(row["id"]))
        p.memo(TRANSCRIPT_MEMO, coder="anna", transcript="vng.txt")
    return path, {"id": str(int(row["id"])), "file": row["file"], "start": int(row["start"])}


def test_memo_table_says_what_each_memo_is_about(project) -> None:
    path, coding = project
    with Project.open(path) as p:
        frame = project_memos(p)
        text = p.corpus.get(str(coding["file"])).text
    assert list(frame.columns) == list(MEMO_EXPORT_COLUMNS)
    assert frame["kind"].tolist() == ["code", "coding", "transcript"]
    code, on_coding, transcript = (r._asdict() for r in frame.itertuples(index=False))
    assert (code["code"], code["variable"], code["text"]) == (
        "FINANCIELE_RANDVOORWAARDEN",
        "FINANCIELE_RANDVOORWAARDEN",
        CODE_MEMO,
    )
    assert on_coding["target"] == coding["id"]
    assert on_coding["variable"] == "FINANCIELE_RANDVOORWAARDEN"
    assert on_coding["passage"] == text[on_coding["start"] : on_coding["end"]]
    assert on_coding["start"] == coding["start"]
    assert (transcript["file"], transcript["organisation"]) == ("vng.txt", "VNG")


def test_export_memos_md_csv_docx(project, tmp_path) -> None:
    import docx

    path, _ = project
    runner = CliRunner()
    for name in ("memos.md", "memos.csv", "memos.docx"):
        result = runner.invoke(
            main, ["project", "export-memos", str(path), "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert result.output == f"wrote 3 memos to {tmp_path / name}\n"
    md = (tmp_path / "memos.md").read_text(encoding="utf-8")
    # the sample codebook is Dutch, and so are the headings
    assert md.startswith(
        "# Memo's\n\n## Bij codes\n\n- **code FINANCIELE\\_RANDVOORWAARDEN** (anna): "
    )
    assert "## Bij coderingen" in md and CODING_MEMO in md and "## Bij transcripten" in md
    assert "**transcript vng.txt (VNG)** (anna): Verslag nog niet" in md
    assert ", tekens " in md  # a coding memo says where the coding is
    english = tmp_path / "memos_en.md"
    args = ["project", "export-memos", str(path), "--out", str(english), "--lang", "en"]
    assert runner.invoke(main, args).exit_code == 0
    assert english.read_text(encoding="utf-8").startswith("# Memos\n\n## On codes\n\n")
    rows = list(csv.DictReader((tmp_path / "memos.csv").read_text("utf-8").splitlines()))
    assert [r["text"] for r in rows] == [CODE_MEMO, CODING_MEMO, TRANSCRIPT_MEMO]
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "memos.docx")).paragraphs]
    assert paragraphs[:2] == ["Memo's", "Bij codes"]
    assert CODING_MEMO in paragraphs and TRANSCRIPT_MEMO in paragraphs


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("memos.txt", "error: memos.txt: cannot write memos as .txt; name it .md, .csv, .docx"),
        ("link.md", "link.md: is an input of this command (the same file as"),
    ],
)
def test_export_memos_errors(project, tmp_path, out: str, message: str) -> None:
    path, _ = project
    target = str(tmp_path / out)
    if out == "link.md":
        (tmp_path / out).symlink_to(path)  # a link to the project file itself
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["project", "export-memos", str(path), "--out", target])
    assert result.exit_code == 1
    assert message in result.output
    assert path.read_bytes() == before


def test_report_of_a_project_shows_memos_where_they_belong(project, tmp_path) -> None:
    path, _ = project
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main, ["report", "--project", str(path), "--out", str(out), "--quiet", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    money = (out / "FINANCIELE_RANDVOORWAARDEN.md").read_text(encoding="utf-8")
    assert "## Memo's" in money and CODE_MEMO in money and CODING_MEMO in money
    assert TRANSCRIPT_MEMO not in money  # a transcript memo is in the memo report only
    html = (out / "FINANCIELE_RANDVOORWAARDEN.html").read_text(encoding="utf-8")
    assert '<h2 id="memos">Memo&#x27;s</h2>' in html
    other = (out / "PLANNING.md").read_text(encoding="utf-8")
    assert "## Memo's" not in other
    memo_report = (out / "memos.md").read_text(encoding="utf-8")
    assert all(m in memo_report for m in (CODE_MEMO, CODING_MEMO, TRANSCRIPT_MEMO))
    assert TRANSCRIPT_MEMO in (out / "memos.html").read_text(encoding="utf-8")
    assert '<a href="memos.html">Memo&#x27;s</a> (3)' in (out / "index.html").read_text("utf-8")
    assert "[Memo's](memos.md) (3)" in (out / "index.md").read_text(encoding="utf-8")
