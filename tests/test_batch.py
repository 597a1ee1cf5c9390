"""``qualcode batch``: several studies from one plan file, a summary, exit 1 on any failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import PlanError
from qualcode.report.studies import load_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebook" / "msm.yaml"


def _study(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes((SAMPLE / name).read_bytes())


def test_three_studies_one_with_a_broken_record(tmp_path: Path) -> None:
    _study(tmp_path / "a", "coa.txt")
    _study(tmp_path / "b", "divosa.txt")
    _study(tmp_path / "c", "uaf.txt")
    (tmp_path / "c" / "kapot.docx").write_bytes(b"dit is geen docx")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        f"defaults:\n  codebook: {CODEBOOK}\n  format: md\n  compare: none\n"
        "studies:\n"
        "  - {name: studie-a, transcripts: a, out: out/a}\n"
        "  - {name: studie-b, transcripts: b, out: out/b, title: Tweede studie}\n"
        "  - {name: studie-c, transcripts: c, out: out/c}\n",
        encoding="utf-8",
    )
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(main, ["batch", str(plan), "--summary", str(summary), "--quiet"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # the files of the report set, the one readable record's transcript view included
    assert lines[0].startswith("studie-a  written  34 files, ") and lines[0].endswith(
        f"quotes in {tmp_path / 'out' / 'a'}"
    )
    assert lines[-1] == "2 of 3 studies written without problems; 1 with problems or failed"
    assert (
        "            error: kapot.docx: not a readable .docx file (not a zip archive or damaged: "
        "File is not a zip file); open and re-save it, or export it as .txt"
    ) in lines
    done = json.loads(summary.read_text(encoding="utf-8"))
    assert [s["status"] for s in done] == ["written", "written", "problems"]
    for study in "abc":
        assert (tmp_path / "out" / study / "frequencies.csv").is_file()
        assert (tmp_path / "out" / study / "REPRESENTATIE.md").is_file()
    assert "# Tweede studie" in (tmp_path / "out" / "b" / "index.md").read_text(encoding="utf-8")
    assert done[2]["codings"] > 0  # the readable record of study c was coded


def test_a_study_that_fails_does_not_stop_the_others(tmp_path: Path) -> None:
    _study(tmp_path / "a", "coa.txt")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        f"defaults: {{codebook: {CODEBOOK}, format: md, compare: none}}\n"
        "studies:\n"
        "  - {name: weg, transcripts: bestaat-niet, out: out/weg}\n"
        "  - {name: url, transcripts: 's3://bucket/studie', out: out/url}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["batch", str(plan), "--quiet"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"weg  FAILED   {tmp_path / 'bestaat-niet'}: transcripts folder not found; "
        "pass an existing folder",
        "url  FAILED   s3://bucket/studie is a URL: its records are read by Dask workers; "
        "run the plan on the Dask engine",
        "0 of 2 studies written without problems; 2 with problems or failed",
    ]


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ("studies: []\n", None),
        (
            "studies: []\nextra: 1\n",
            "plan.yaml: unknown key extra; a plan has studies and defaults",
        ),
        ("- a\n", "plan.yaml: a plan needs a list 'studies' (and may have 'defaults')"),
        (
            "studies:\n  - {name: a, transcripts: t, codebook: c.yaml, out: o, colour: rood}\n",
            "plan.yaml, study 1 (a): unknown key colour; a study has: name, transcripts, "
            "codebook, out, respondents, codings, format, unit, compare, max_quotes, "
            "anonymise, names, title",
        ),
        (
            "studies:\n  - {name: a, transcripts: t}\n",
            "plan.yaml, study 1 (a): missing codebook, out; every study needs name, "
            "transcripts, codebook and out (in the study or under defaults)",
        ),
        (
            "defaults: {codebook: c.yaml, out: o}\nstudies:\n"
            "  - {name: a, transcripts: t}\n  - {name: b, transcripts: u}\n",
            "plan.yaml: studies a and b both write to {dir}/o; give each study its own out folder",
        ),
    ],
)
def test_plan_mistakes_are_named(tmp_path: Path, plan: str, message: str | None) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    if message is None:
        assert load_plan(path) == []
        return
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    expected = message.replace("{dir}", str(tmp_path))
    if not expected.startswith("plan.yaml,") and "both write" not in expected:
        expected = expected.replace("plan.yaml:", f"{path}:", 1)
    assert str(caught.value) == expected
