"""Reading real REFI-QDA project exports: counts, positions, tolerated deviations, drops."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from refi_samples import ATLAS, MAXQDA, NVIVO_MAC, NVIVO_WIN, PROJECTS, QC, sample

from qualcode.interop.positions import UTF16, on_boundary
from qualcode.interop.qdpx import read_qdpx

# Counted from each file's project.qde: Code, TextSource, PlainTextSelection, Coding, User
# elements (see tests/data/refi-qda/SOURCES.md for the same figures).
EXPECTED = {
    ATLAS: (3, 0, 0, 0, 2),
    MAXQDA: (307, 10, 0, 0, 1),
    NVIVO_MAC: (262, 2, 0, 0, 2),
    NVIVO_WIN: (152, 2, 303, 303, 2),
    QC: (262, 2, 158, 205, 1),
}


def _count_in_xml(path: Path) -> tuple[int, ...]:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    tags = ("Code", "TextSource", "PlainTextSelection", "Coding", "User")
    return tuple(sum(1 for _ in root.iter(f"{{*}}{tag}")) for tag in tags)


@pytest.mark.parametrize("name", PROJECTS)
def test_every_sample_imports_with_the_numbers_its_file_holds(name: str) -> None:
    path = sample(name)
    project, report = read_qdpx(path)
    counts = project.counts()
    got = (counts.codes, counts.sources, counts.selections, counts.codings, counts.users)
    assert got == EXPECTED[name] == _count_in_xml(path)
    assert report.dropped == ()


def test_nvivo_windows_positions_are_utf16_and_land_on_words() -> None:
    project, report = read_qdpx(sample(NVIVO_WIN))
    assert report.warnings == (f"{NVIVO_WIN}: source files are in 'Sources/', not in 'sources/'",)
    coded = [s for s in project.sources if s.selections]
    assert [s.name for s in coded] == ["videos_10_selected"]
    source = coded[0]
    assert source.counting == UTF16.name
    assert "\r" not in (source.text or "") and not (source.text or "").startswith("\ufeff")
    text = source.text or ""
    on_words = sum(
        on_boundary(text, s.start) and on_boundary(text, s.end) for s in source.selections
    )
    assert on_words == 300  # of 303; the other three were cut mid-word by the coder
    first = source.selections[0]
    assert text[first.start : first.end].startswith("Senkit nem lehet kötelezni oltásra")
    # NVivo repeats a selection per code: 303 selections over fewer distinct spans
    assert len({(s.start, s.end) for s in source.selections}) == 188


def test_qc_line_selections_cover_whole_lines() -> None:
    project, report = read_qdpx(sample(QC))
    assert [s.name for s in project.sources] == ["board_2017.txt", "admin-1.txt"]
    assert report.warnings == (
        f"{QC}: path 'board_2017.txt' lacks the internal:// scheme",
        f"{QC}: path 'admin-1.txt' lacks the internal:// scheme",
    )
    source = project.sources[0]
    text = source.text or ""
    assert all(text[s.end - 1] == "\n" for s in source.selections)
    assert all(s.start == 0 or text[s.start - 1] == "\n" for s in source.selections)
    assert max(len(s.codings) for s in source.selections) == 4
    assert project.user_name(source.selections[0].codings[0].creating_user) == "cp"


def test_nvivo_mac_keeps_codes_and_empty_texts() -> None:
    project, _ = read_qdpx(sample(NVIVO_MAC))
    assert [s.text for s in project.sources] == ["\n", "\n"]
    assert project.origin == "NVivo for Mac 15.0.0"


def test_maxqda_keeps_hierarchy_colours_descriptions_and_sets() -> None:
    project, _ = read_qdpx(sample(MAXQDA))
    book = project.codebook
    assert len(book.children("")) == 18
    assert all(c.color.startswith("#") and c.color == c.color.upper() for c in book.codes)
    assert sum(1 for c in book.codes if c.description) > 250
    assert len(project.sets) == 2 and all(s.sources for s in project.sets)
    assert all((s.text or "").strip() for s in project.sources)


def test_atlas_codebook_tree() -> None:
    project, _ = read_qdpx(sample(ATLAS))
    top = project.codebook.children("")
    assert len(top) == 1
    assert len(project.codebook.children(top[0].guid)) == 2
