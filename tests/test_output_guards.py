"""Outputs that would destroy or pollute an input are refused before any work is done."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebook" / "msm.yaml"


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_autocode_refuses_to_write_over_a_learn_from_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    shutil.copy(SAMPLE / "codings_gold.csv", gold)
    before = gold.read_bytes()
    result = _run(
        "autocode", "--transcripts", SAMPLE, "--codebook", CODEBOOK,
        "--learn-from", gold, "--out", gold,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output == (
        f"error: {gold}: is an input of this command; writing it would destroy the input, "
        "choose another output file name\n"
    )
    assert gold.read_bytes() == before


def test_autocode_writes_csv_only(tmp_path: Path) -> None:
    out = tmp_path / "codings.xlsx"
    result = _run("autocode", "--transcripts", SAMPLE, "--codebook", CODEBOOK, "--out", out)
    assert result.exit_code == 1
    assert result.output == "error: codings.xlsx: cannot write codings as .xlsx; name it .csv\n"
    assert not out.exists()


def test_report_refuses_a_folder_inside_the_transcripts(tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    shutil.copytree(SAMPLE, folder)
    before = sorted(p.name for p in folder.iterdir())
    for out in (folder, folder / "rapport"):
        result = _run(
            "report", "--transcripts", folder, "--codebook", CODEBOOK,
            "--codings", folder / "codings_gold.csv", "--out", out,
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"error: {out}: is inside the transcripts folder {folder}; the report's files would "
            f"be read as interview records next time: choose a folder outside it, e.g. "
            f"{tmp_path / 'reports'}\n"
        )
    assert sorted(p.name for p in folder.iterdir()) == before
