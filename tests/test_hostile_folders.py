"""One safe way to read a folder: regular files inside it; links out, FIFOs, devices skipped."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import snapshot

from qualcode.cli import main
from qualcode.errors import CorpusError
from qualcode.files.folder import file_inside, folder_files

RESPONDENTS = "file,respondent,organisation\nok.txt,R1,Divosa\n"
SECRET = "geheim: dit staat buiten de map\n"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """A transcripts folder ``tx`` beside a file ``outside.txt`` that must never be read."""
    (tmp_path / "outside.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "tx"
    folder.mkdir()
    (folder / "ok.txt").write_text("Respondent: Het ging goed.\n", encoding="utf-8")
    (folder / "respondents.csv").write_text(RESPONDENTS, encoding="utf-8")
    return folder


def test_links_out_fifos_and_broken_links_are_skipped_with_a_line_each(layout, tmp_path):
    (layout / "passwd.txt").symlink_to(tmp_path / "outside.txt")
    (layout / "buiten").symlink_to(tmp_path)  # a folder link: never followed
    (layout / "weg.txt").symlink_to(layout / "nergens.txt")
    os.mkfifo(layout / "pijp.txt")
    before = snapshot(tmp_path)
    result = run("corpus", "--transcripts", layout, "--format", "json")
    assert result.exit_code == 0, result.output
    warnings = sorted(ln for ln in result.output.splitlines() if ln.startswith("warning:"))
    assert warnings == [
        "warning: buiten: is a link leading outside the folder; copy the file into the folder "
        "to read it; skipped",
        "warning: passwd.txt: is a link leading outside the folder; copy the file into the "
        "folder to read it; skipped",
        "warning: pijp.txt: is a named pipe (FIFO), not a regular file; skipped",
        "warning: weg.txt: is a link to a file that does not exist; skipped",
    ]
    assert "geheim" not in result.output and '"ok.txt"' in result.output
    assert snapshot(tmp_path) == before


def test_a_link_to_a_file_inside_the_folder_is_read(layout):
    (layout / "sub").mkdir()
    (layout / "sub" / "echt.txt").write_text("Respondent: Binnen.\n", encoding="utf-8")
    (layout / "alias.txt").symlink_to(Path("sub") / "echt.txt")
    files, skipped = folder_files(layout)
    assert [p.relative_to(layout).as_posix() for p in files] == [
        "alias.txt", "ok.txt", "respondents.csv", "sub/echt.txt",
    ]  # fmt: skip
    assert skipped == []


def test_a_device_is_skipped(layout):
    try:
        os.mknod(layout / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    files, skipped = folder_files(layout)
    assert layout / "null.txt" not in files
    assert skipped == ["null.txt: is a device, not a regular file; skipped"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../outside.txt", "../outside.txt: is not inside"),
        ("link.txt", "link.txt: is not inside"),
        ("/etc/passwd", "/etc/passwd: is not inside"),
        ("pijp.txt", "pijp.txt: is a named pipe (FIFO), not a regular file in"),
    ],
)
def test_text_reads_only_files_inside_the_folder(layout, tmp_path, name, message):
    (layout / "link.txt").symlink_to(tmp_path / "outside.txt")
    os.mkfifo(layout / "pijp.txt")
    result = run("text", "--transcripts", layout, name)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.output
    assert "geheim" not in result.output
    with pytest.raises(CorpusError):
        file_inside(layout, name, error=CorpusError)
