"""How the CLI reports the library's errors: one line, the flag added, usage 2 and data 1."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from store_fixtures import CODEBOOK_YAML, write_folder

from qualcode.cli import main


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_cli_names_the_flag_the_library_means(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "verslagen")
    csv = tmp_path / "team.csv"
    csv.write_text(
        "file,start,end,code,coder\na.txt,52,60,PLANNING,anna\nb.txt,0,7,PLANNING,bram\n",
        encoding="utf-8",
    )
    result = _run("agreement", csv, "--transcripts", folder)
    assert (result.exit_code, result.stderr) == (
        1,
        "error: no transcript in team.csv was coded by every coder (anna: a.txt; bram: b.txt); "
        "name the transcripts to compare to count uncoded ones as coded with nothing (--file)\n",
    )


def test_a_bad_argument_is_a_usage_mistake(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "verslagen")
    codebook = tmp_path / "klein.yaml"
    codebook.write_text(CODEBOOK_YAML, encoding="utf-8")
    result = _run("report", "--transcripts", folder, "--codebook", codebook,
                  "--out", tmp_path / "rapport", "--format", "pdf")  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown report format pdf; choose from html, md, docx, xlsx (comma-separated)\n",
    )
