"""Exporting a qualcode project as .qdpx: schema-valid, stable GUIDs, positions over the text."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from refi_samples import MAXQDA, NVIVO_WIN, sample
from store_fixtures import A_TEXT, CODEBOOK_YAML, write_folder

from qualcode.interop.exchange import export_project
from qualcode.interop.qdpx import read_qdpx
from qualcode.interop.qdpx_write import write_qdpx
from qualcode.store import Project

XSD = Path(__file__).resolve().parents[1] / "src" / "qualcode" / "data" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}
# b.txt with a character outside the BMP before the coded words
B_TEXT = "Verslag 😀 van het gesprek.\n\nGeld bleef lang een taboe in de stuurgroep.\n"


@pytest.fixture
def project_db(tmp_path: Path) -> Path:
    folder = write_folder(tmp_path / "transcripts", b_text=B_TEXT)
    book = tmp_path / "klein.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    db = tmp_path / "studie.db"
    with Project.create(db, transcripts=folder, codebook=book) as project:
        budget = A_TEXT.index("Het budget")
        project.code("a.txt", budget, budget + 10, "GELD_TEKORT", coder="anna")
        project.code("a.txt", budget, budget + 10, "BELEMMEREND", coder="anna", memo="krap!")
        project.code("a.txt", budget, budget + 10, "GELD_TEKORT", coder="bram")
        taboe = B_TEXT.index("taboe")
        project.code("b.txt", taboe, taboe + 5, "FINANCIEN", coder="bram")
        project.memo("Over geld.", coder="anna", code="FINANCIEN")
        project.memo("Kort verslag.", coder="bram", transcript="b.txt")
    return db


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def test_export_validates_against_project_xsd(project_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "studie.qdpx"
    done = export_project(project_db, out)
    assert done.counts.describe() == (
        "6 codes, 2 sources, 2 selections (4 codings), 2 cases, 3 variables, 3 notes, 2 users"
    )
    schema = xmlschema.XMLSchema10(str(XSD / "Project.xsd"))
    schema.validate(_qde(out))  # raises on any schema error
    root = etree.fromstring(_qde(out))
    order = [etree.QName(c).localname for c in root]
    assert order == ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes"]
    assert all(len(container) for container in root)  # no empty container


def test_sources_are_plain_utf8_lf_and_positions_slice_the_text(
    project_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "studie.qdpx"
    export_project(project_db, out)
    root = etree.fromstring(_qde(out))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde"
        for source in root.iterfind(".//q:TextSource", NS):
            path = source.get("plainTextPath")
            assert path == f"internal://{source.get('guid')}.txt"
            data = zf.read(f"sources/{source.get('guid')}.txt")
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            text = data.decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                coded = text[start:end]
                assert coded in ("Het budget", "taboe")
    assert "qualcode/codebook.yaml" in names


def test_guids_are_stable_across_exports(project_db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.qdpx", tmp_path / "2.qdpx"
    export_project(project_db, first)
    export_project(project_db, second)
    assert first.read_bytes() == second.read_bytes()
    guids = [e.get("guid") for e in etree.fromstring(_qde(first)).iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    assert all(g == g.lower() and len(g) == 36 for g in guids)


def test_exported_project_reads_back(project_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "studie.qdpx"
    export_project(project_db, out)
    record, report = read_qdpx(out)
    assert report.warnings == () and report.dropped == ()
    book = record.codebook
    top = [c.name for c in book.children("")]
    assert top == ["Financiën", "Planning", "Bevorderend", "Belemmerend"]
    financien = book.children("")[0]
    assert [c.name for c in book.children(financien.guid)] == ["Geldtekort"]
    assert financien.color == "#1F77B4" and financien.description == "Zijn er genoeg middelen?"
    a = next(s for s in record.sources if s.name == "a.txt")
    (selection,) = a.selections
    assert len(selection.codings) == 3
    coders = sorted(record.user_name(c.creating_user) for c in selection.codings)
    assert coders == ["anna", "anna", "bram"]
    cases = {c.name: c for c in record.cases}
    assert sorted(cases) == ["R1", "R2"]
    names = {v.guid: v.name for v in record.variables}
    values = {names[v.variable]: v.value for v in cases["R1"].values}
    assert values == {"organisation": "Divosa", "org_type": "vereniging", "steering_group": "ja"}
    assert cases["R1"].sources == (a.guid,)
    notes = {n.text: n.targets for n in record.notes}
    assert notes["Over geld."] == (financien.guid,)
    assert notes["krap!"] == (
        next(c.guid for c in selection.codings if book.get(c.code).name == "Belemmerend"),
    )


@pytest.mark.parametrize("name", [NVIVO_WIN, MAXQDA])
def test_rewritten_samples_validate_and_read_back_the_same(name: str, tmp_path: Path) -> None:
    record, _ = read_qdpx(sample(name))
    out = tmp_path / "again.qdpx"
    write_qdpx(replace(record, origin="qualcode test"), out)
    xmlschema.XMLSchema10(str(XSD / "Project.xsd")).validate(_qde(out))
    again, report = read_qdpx(out)
    assert report.warnings == () and report.dropped == ()
    assert again.counts() == record.counts()
    for before, after in zip(record.sources, again.sources, strict=True):
        assert after.text == before.text
        spans = [(s.start, s.end) for s in before.selections]
        assert [(s.start, s.end) for s in after.selections] == spans
    assert again.sets == record.sets
