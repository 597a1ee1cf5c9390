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
# elements (see ../shared/refi-qda/samples/SOURCES.md for the same figures).
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


G = "00000000-0000-4000-8000-{:012d}".format
SYNTHETIC = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="mixed" origin="Test 1.0">
 <Users><User guid="{G(1)}" name="Eva"/></Users>
 <CodeBook><Codes><Code guid="{G(2)}" name="Geld" isCodable="true"/></Codes></CodeBook>
 <Variables><Variable guid="{G(3)}" name="Organisatie" typeOfVariable="Text"/>
  <Variable guid="{G(4)}" name="Leeftijd" typeOfVariable="Integer"/></Variables>
 <Cases><Case guid="{G(5)}" name="R9">
   <VariableValue><VariableRef targetGUID="{G(3)}"/><TextValue>VNG</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{G(4)}"/><IntegerValue>52</IntegerValue></VariableValue>
   <SourceRef targetGUID="{G(10)}"/></Case>
  <Case guid="{G(6)}" name="R10"><SelectionRef targetGUID="{G(11)}"/></Case></Cases>
 <Sources>
  <TextSource guid="{G(10)}" name="interview" plainTextPath="internal://{G(10)}.txt">
   <PlainTextSelection guid="{G(11)}" startPosition="4" endPosition="8" creatingUser="{G(1)}">
    <Coding guid="{G(12)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(2)}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{G(13)}" startPosition="5" endPosition="900">
    <Coding guid="{G(14)}"><CodeRef targetGUID="{G(2)}"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="{G(15)}" startPosition="0" endPosition="3">
    <Description>alleen een opmerking</Description></PlainTextSelection>
   <PlainTextSelection guid="{G(16)}" startPosition="0" endPosition="3">
    <Coding guid="{G(17)}"><CodeRef targetGUID="{G(99)}"/></Coding></PlainTextSelection>
   <NoteRef targetGUID="{G(30)}"/>
  </TextSource>
  <PDFSource guid="{G(20)}" name="rapport.pdf" path="internal://{G(20)}.pdf">
   <PDFSelection guid="{G(21)}" page="1" firstX="0" firstY="0" secondX="9" secondY="9"/>
   <Representation guid="{G(22)}" plainTextPath="internal://{G(22)}.txt">
    <PlainTextSelection guid="{G(23)}" startPosition="0" endPosition="7">
     <Coding guid="{G(24)}"><CodeRef targetGUID="{G(2)}"/></Coding></PlainTextSelection>
   </Representation></PDFSource>
  <PDFSource guid="{G(25)}" name="scan.pdf" path="internal://{G(25)}.pdf"/>
  <PictureSource guid="{G(26)}" name="foto.jpg" path="internal://{G(26)}.jpg">
   <PictureSelection guid="{G(27)}" firstX="0" firstY="0" secondX="1" secondY="1"/></PictureSource>
  <AudioSource guid="{G(28)}" name="opname.mp3" path="relative:///opname.mp3"/>
 </Sources>
 <Notes>
  <Note guid="{G(30)}" name="bronmemo">
   <PlainTextContent>Over het interview</PlainTextContent></Note>
  <Note guid="{G(31)}" name="projectmemo"><PlainTextContent>Over alles</PlainTextContent></Note>
  <Note guid="{G(32)}" name="annotatie"><PlainTextContent>Let op</PlainTextContent></Note></Notes>
 <Links><Link guid="{G(33)}" originGUID="{G(32)}" targetGUID="{G(11)}"/></Links>
 <NoteRef targetGUID="{G(31)}"/>
</Project>"""


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", SYNTHETIC)
        zf.writestr(f"sources/{G(10)}.txt", "Het geld was op.\r\nEinde.")
        zf.writestr(f"sources/{G(22)}.txt", "\ufeffRapport over geld.")
    return path


def test_what_cannot_be_imported_is_reported_as_dropped(mixed: Path) -> None:
    project, report = read_qdpx(mixed)
    assert [d.describe() for d in report.dropped] == [
        "selection interview [5:900]: outside the text (24 positions)",
        "selection interview [0:3]: has no code (its comment: 'alleen een opmerking')",
        f"coding interview [0:3]: its CodeRef {G(99)} names no code",
        "selection interview [0:3]: has no code",
        "PDF source rapport.pdf: 1 area selections (page coordinates) not imported",
        "PDF source scan.pdf: no plain-text representation to code on",
        "picture source foto.jpg: qualcode codes text only; 1 selections on it not imported",
        "audio source opname.mp3: qualcode codes text only; 0 selections on it not imported",
    ]
    assert report.warnings == (
        f"mixed.qdpx: 1 references point at no object (first: {G(99)}); they are ignored",
        "mixed.qdpx: source 'interview': only 3 of 4 selections on word boundaries, "
        "1 outside the text (code points); positions may be off",
    )
    interview, pdf = project.sources
    assert interview.text == "Het geld was op.\nEinde."
    (selection,) = interview.selections
    assert interview.text[selection.start : selection.end] == "geld"
    assert pdf.kind == "pdf" and pdf.text == "Rapport over geld."
    assert pdf.text[pdf.selections[0].start : pdf.selections[0].end] == "Rapport"
    notes = {n.name: n.targets for n in project.notes}
    assert notes == {"bronmemo": (G(10),), "projectmemo": (), "annotatie": (G(11),)}
    (case, other) = project.cases
    assert [v.value for v in case.values] == ["VNG", "52"] and other.selections == (G(11),)


def test_mixed_project_imports_into_a_project(mixed: Path, tmp_path: Path) -> None:
    from qualcode.interop.exchange import import_project
    from qualcode.store import Project

    db = tmp_path / "mixed.db"
    done = import_project(mixed, db, language="nl")
    assert done.counts.describe() == (
        "1 codes, 2 sources, 2 selections (2 codings), 1 cases, 2 variables, 2 notes, 2 users"
    )
    dropped = [d.describe() for d in done.report.dropped]
    assert "case R10: it groups selections, not sources" in dropped
    assert (
        "note projectmemo: attached to the project; qualcode keeps memos on codes, transcripts "
        "and codings"
    ) in dropped
    with Project.open(db) as project:
        interview = project.transcript("interview.txt")
        assert (interview.respondent, interview.organisation) == ("R9", "VNG")
        assert dict(interview.attributes) == {"Leeftijd": "52"}
        codings = project.codings()
        assert sorted(codings["text"]) == ["Rapport", "geld"]
        assert set(codings["coder"]) == {"Eva", "Test 1.0"}
        memos = project.memos()
        assert sorted(memos["text"]) == ["Let op", "Over het interview"]


def test_failed_import_leaves_no_project(mixed: Path, tmp_path: Path) -> None:
    from qualcode.errors import InteropError
    from qualcode.interop.exchange import import_project

    db = tmp_path / "leeg.db"
    codes_free = tmp_path / "nocodes.qdpx"
    with zipfile.ZipFile(codes_free, "w") as zf:
        zf.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    with pytest.raises(InteropError) as info:
        import_project(codes_free, db)
    assert str(info.value) == (
        "nocodes.qdpx: the project has no codes; qualcode needs a codebook (add codes in the "
        "other program, or start a project with 'qualcode project init')"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mixed.qdpx", "nocodes.qdpx"]


@pytest.mark.parametrize("name", PROJECTS)
def test_every_sample_becomes_a_project(name: str, tmp_path: Path) -> None:
    from qualcode.interop.exchange import import_project
    from qualcode.store import Project

    done = import_project(sample(name), tmp_path / "p.db", language="en")
    codes, sources, selections, codings, _ = EXPECTED[name]
    assert done.counts.codes == codes
    with Project.open(tmp_path / "p.db") as project:
        assert len(project.codebook.codes) == codes
        stored = project.codings()
        assert len(stored) == done.counts.codings <= codings
        assert all(stored["text"].str.len() > 0)
    empty = sum(1 for d in done.report.dropped if d.reason == "its text is empty")
    assert done.counts.sources + empty == sources
