"""Outputs never clobber inputs: the one output writer, through every command that writes."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from click.testing import CliRunner
from hostile import snapshot
from store_fixtures import *  # noqa: F403 (fixtures)

from qualcode.cli import main
from qualcode.errors import OutputError
from qualcode.files.output import check_output, write_output


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert message in lines[0], lines[0]


@pytest.mark.parametrize(
    "spelling",
    ["same", "other spelling", "symlink", "hard link"],
)
def test_export_codings_over_its_own_project_is_refused(tmp_path, project_file, spelling):
    out = project_file
    if spelling == "other spelling":
        out = tmp_path / "transcripts" / ".." / "." / project_file.name
    elif spelling == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(project_file)
    elif spelling == "hard link":
        out = tmp_path / "hard.csv"
        os.link(project_file, out)
    before = snapshot(tmp_path)
    result = run("project", "export-codings", project_file, "--out", out)
    refused(result, "is an input of this command")
    assert f"error: {out}:" in result.output
    assert snapshot(tmp_path) == before


def test_export_qdpx_over_its_own_project_is_refused(tmp_path, project_file):
    before = snapshot(tmp_path)
    refused(run("export", "qdpx", project_file, project_file), "is an input of this command")
    assert snapshot(tmp_path) == before


def test_export_qdc_over_its_own_codebook_is_refused(tmp_path, codebook_file):
    before = snapshot(tmp_path)
    refused(run("export", "qdc", codebook_file, codebook_file), "is an input of this command")
    assert snapshot(tmp_path) == before


def test_autocode_over_a_transcript_or_the_codebook_is_refused(tmp_path, folder, codebook_file):
    before = snapshot(tmp_path)
    for out in (folder / "a.txt", folder / "respondents.csv", codebook_file):
        result = run("autocode", "--transcripts", folder, "--codebook", codebook_file, "--out", out)
        refused(result, "is an input of this command")
    assert snapshot(tmp_path) == before


def test_report_never_writes_over_its_codings(tmp_path, folder, codebook_file):
    reports = tmp_path / "reports"
    reports.mkdir()
    codings = reports / "quotes.csv"  # the report set writes a quotes.csv of its own
    codings.write_text("file,start,end,code,coder\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run(
        "report", "--transcripts", folder, "--codebook", codebook_file,
        "--codings", codings, "--out", reports, "--format", "md", "--workers", "1", "--quiet",
    )  # fmt: skip
    refused(result, "quotes.csv: is an input of this command")
    assert snapshot(tmp_path) == before


def test_agreement_disagreements_over_a_codings_file_is_refused(tmp_path, folder):
    codings = tmp_path / "anna.csv"
    codings.write_text("file,start,end,code,coder\na.txt,0,5,X,anna\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("agreement", codings, "--transcripts", folder, "--disagreements", codings)
    refused(result, "is an input of this command")
    assert snapshot(tmp_path) == before


def test_an_output_that_is_a_fifo_is_refused(tmp_path, project_file):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    result = run("project", "export-codings", project_file, "--out", fifo)
    refused(result, "is a named pipe (FIFO), not a regular file")
    assert snapshot(tmp_path) == before


def test_an_output_that_is_a_device_is_refused(tmp_path, project_file):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = run("project", "export-codings", project_file, "--out", device)
    refused(result, "is a character device, not a regular file")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_symlink_is_written_through_to_its_target(tmp_path, project_file):
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(target.name)
    result = run("project", "export-codings", project_file, "--out", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8").startswith("file,respondent,organisation")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions


def test_a_full_disk_leaves_the_old_file_and_says_so(tmp_path, monkeypatch, project_file):
    out = tmp_path / "codings.csv"
    out.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr("qualcode.files.output.os.replace", _disk_full)
    before = snapshot(tmp_path)
    result = run("project", "export-codings", project_file, "--out", out)
    refused(result, "could not be written, nothing was changed: the disk is full")
    assert snapshot(tmp_path) == before  # no temporary file left behind either


def test_the_writer_refuses_a_missing_folder_and_a_folder(tmp_path):
    with pytest.raises(OutputError, match="folder .* does not exist; create it first"):
        write_output(tmp_path / "nope" / "x.csv", b"x")
    with pytest.raises(OutputError, match="is a folder, not a regular file"):
        check_output(tmp_path)


def test_the_writer_leaves_unrelated_files_alone(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("in", encoding="utf-8")
    write_output(tmp_path / "out.txt", b"out", inputs=[source, tmp_path / "missing"])
    assert (tmp_path / "out.txt").read_bytes() == b"out"
    assert source.read_text(encoding="utf-8") == "in"


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_autocode_on_a_full_disk_says_so(tmp_path, monkeypatch, folder, codebook_file):
    monkeypatch.setattr("qualcode.files.output.os.replace", _disk_full)
    out = tmp_path / "auto.csv"
    before = snapshot(tmp_path)
    result = run("autocode", "--transcripts", folder, "--codebook", codebook_file, "--out", out)
    refused(result, f"{out}: could not be written, nothing was changed: the disk is full")
    assert snapshot(tmp_path) == before


def test_report_on_a_full_disk_says_so(tmp_path, monkeypatch, folder, codebook_file):
    monkeypatch.setattr("qualcode.report.build._write_csv", _disk_full)
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "index.html").write_text("het vorige rapport", encoding="utf-8")
    codings = tmp_path / "c.csv"
    codings.write_text("file,start,end,code,coder\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run(
        "report", "--transcripts", folder, "--codebook", codebook_file, "--codings", codings,
        "--out", out, "--format", "md", "--workers", "1", "--quiet",
    )  # fmt: skip
    refused(result, f"{out}: could not be written, nothing was changed: the disk is full")
    assert snapshot(tmp_path) == before
