"""The .qdpx container read as untrusted input: zip slip, bombs, damage, missing .qde."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refi_samples import NVIVO_WIN, QC, sample

from qualcode.errors import InteropError
from qualcode.interop.archive import Archive, Limits, write_archive
from qualcode.interop.qdpx import read_qdpx

QDE = b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"/>'


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "member",
    [
        "../evil.txt",
        "sources/../../evil.txt",
        "/tmp/evil.txt",
        "C:/evil.txt",
        "sources\\..\\..\\evil.txt",
    ],
)
def test_zip_slip_member_refuses_the_archive_and_writes_nothing(
    tmp_path: Path, member: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    archive = make_zip(work / "slip.qdpx", {"project.qde": QDE, member: b"pwned"})
    before = files_under(tmp_path)
    with pytest.raises(InteropError) as info:
        read_qdpx(archive)
    assert str(info.value) == (
        f"slip.qdpx: member {member!r} points outside the archive folder (absolute path or '..'); "
        "the file is refused as unsafe"
    )
    assert files_under(tmp_path) == before
    assert not (tmp_path / "evil.txt").exists()


def test_too_many_members(tmp_path: Path) -> None:
    members = {"project.qde": QDE} | {f"sources/{i}.txt": b"x" for i in range(5)}
    archive = make_zip(tmp_path / "many.qdpx", members)
    with pytest.raises(InteropError) as info:
        read_qdpx(archive, limits=Limits(max_members=4))
    assert str(info.value) == (
        "many.qdpx: 6 members in the archive, more than the limit of 4; "
        "refused as a possible zip bomb"
    )


def test_too_large_uncompressed(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "big.qdpx", {"project.qde": QDE, "sources/a.txt": b"a" * 5000})
    with pytest.raises(InteropError) as info:
        read_qdpx(archive, limits=Limits(max_total_bytes=4096))
    total = len(QDE) + 5000
    assert str(info.value) == (
        f"big.qdpx: {total:,} bytes uncompressed, more than the limit of 4,096; "
        "refused as a possible zip bomb"
    )


def test_compression_ratio_bomb(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "bomb.qdpx", {"project.qde": QDE, "sources/z.txt": b"\0" * 200_000}
    )
    with pytest.raises(InteropError) as info:
        read_qdpx(archive, limits=Limits(max_ratio=50, ratio_floor=1000))
    message = str(info.value)
    assert message.startswith("bomb.qdpx: member 'sources/z.txt' expands ")
    assert message.endswith(" times (limit 50); refused as a possible zip bomb")


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"this is not a zip file at all")
    with pytest.raises(InteropError) as info:
        read_qdpx(bad)
    assert str(info.value) == (
        "bad.qdpx: not a readable .qdpx file (not a zip archive or damaged: File is not a zip "
        "file); export the project again"
    )


def test_damaged_member(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "crc.qdpx", {"project.qde": QDE})
    data = bytearray(good.read_bytes())
    start = data.index(b"project.qde") + len(b"project.qde")  # the local header's name
    data[start + 2] ^= 0xFF  # flip a byte of the compressed data
    good.write_bytes(bytes(data))
    with pytest.raises(InteropError) as info:
        read_qdpx(good)
    assert str(info.value).startswith("crc.qdpx: member 'project.qde' is damaged (")
    assert str(info.value).endswith("); export the project again")


def test_missing_qde(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "empty.qdpx", {"sources/a.txt": b"text"})
    with pytest.raises(InteropError) as info:
        read_qdpx(archive)
    assert str(info.value) == (
        "empty.qdpx: no project.qde in the archive; this is not a REFI-QDA project (.qdpx) file"
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InteropError) as info:
        read_qdpx(tmp_path / "nope.qdpx")
    assert str(info.value) == "nope.qdpx: no such file"


def test_other_qde_name_is_read_with_a_warning(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "odd.qdpx", {"My Project.qde": QDE})
    project, report = read_qdpx(archive)
    assert project.name == "p"
    assert (
        "odd.qdpx: the project document is 'My Project.qde', not 'project.qde'" in report.warnings
    )


def test_resolve_tolerates_capital_folder_and_missing_scheme() -> None:
    with Archive(sample(NVIVO_WIN)) as archive:
        member, why = archive.resolve("internal://68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt")
        assert (member, why) == ("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt", "")
        assert archive.warnings == [
            f"{NVIVO_WIN}: source files are in 'Sources/', not in 'sources/'"
        ]
        assert archive.resolve("relative:///media/a.mp3") == (
            None,
            "external file 'relative:///media/a.mp3' is not inside the archive",
        )
        assert archive.resolve("internal://../x.txt")[0] is None
    with Archive(sample(QC)) as archive:
        assert archive.resolve("board_2017.txt") == ("sources/board_2017.txt", "")
        assert archive.warnings == [f"{QC}: path 'board_2017.txt' lacks the internal:// scheme"]


def test_written_archive_is_reproducible_and_readable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    for out in (first, second):
        write_archive(out, qde=QDE, sources=[("x.txt", b"hallo")])
    assert first.read_bytes() == second.read_bytes()
    with Archive(first) as archive:
        assert archive.names == ("project.qde", "sources/x.txt")
        assert archive.read("sources/x.txt") == b"hallo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.qdpx", "b.qdpx"]  # no temp files left


def test_unsafe_archive_creates_no_project(tmp_path: Path) -> None:
    from qualcode.interop.exchange import import_project

    archive = make_zip(tmp_path / "slip.qdpx", {"project.qde": QDE, "../evil.txt": b"pwned"})
    with pytest.raises(InteropError, match="points outside the archive folder"):
        import_project(archive, tmp_path / "studie.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slip.qdpx"]
    assert not (tmp_path.parent / "evil.txt").exists()
