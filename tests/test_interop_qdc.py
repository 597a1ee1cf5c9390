"""REFI-QDA codebooks: import into qualcode YAML, export from it, ids, language, validation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import xmlschema
from refi_samples import ATLAS, TAGUETTE, sample

from qualcode.codebook import load_codebook
from qualcode.errors import InteropError
from qualcode.interop import model as refi
from qualcode.interop.codes import derive_ids, guess_language
from qualcode.interop.exchange import export_codebook, import_codebook
from qualcode.interop.qdc import read_qdc

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT / "src" / "qualcode" / "data" / "refi-qda" / "Codebook.xsd"

NVIVO_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="NVivo 12 for Mac">
 <Codes>
  <Code guid="{6A3B8F5E-1D2C-4B7A-9E8F-0A1B2C3D4E5F}" name="Financiën" isCodable="false"
        color="#abc">
   <Description>Geld en middelen</Description>
   <Code guid="6a3b8f5e-1d2c-4b7a-9e8f-0a1b2c3d4e60" name="Budget te krap" isCodable="true">
    <Description>Te weinig geld voor de uitvoering</Description>
   </Code>
  </Code>
  <Code guid="6A3B8F5E-1D2C-4B7A-9E8F-0A1B2C3D4E61" name="Planning" isCodable="true" color="red"/>
 </Codes>
 <Sets><Set guid="6A3B8F5E-1D2C-4B7A-9E8F-0A1B2C3D4E62" name="Kern">
  <MemberCode guid="6A3B8F5E-1D2C-4B7A-9E8F-0A1B2C3D4E61"/></Set></Sets>
</CodeBook>
"""


def test_taguette_codebook_imports_with_a_schema_warning(tmp_path: Path) -> None:
    out = tmp_path / "taguette.yaml"
    done = import_codebook(sample(TAGUETTE), out)
    assert done.report.warnings == (
        "taguette-1.4.1_codebook.qdc: does not validate against Codebook.xsd (line 2: Element "
        "'{urn:QDA-XML:codebook:1.0}Sets': Missing child element(s). Expected is "
        "( {urn:QDA-XML:codebook:1.0}Set ).); read anyway",
    )
    book = load_codebook(out)
    assert [(c.id, c.name) for c in book.codes] == [
        ("XSD_ELEMENT_NAME", "xsd:element name"),
        ("CODEBOOK", "CodeBook"),
        ("VARIABLES", "Variables"),
    ]
    assert done.counts.codes == 3 and done.origin == "Taguette 1.4.1"


def test_namespace_variant_hierarchy_colours_and_sets(tmp_path: Path) -> None:
    qdc = tmp_path / "nvivo.qdc"
    qdc.write_text(NVIVO_STYLE, encoding="utf-8")
    codes, report = read_qdc(qdc)
    assert report.warnings[0] == (
        "nvivo.qdc: namespace 'urn:QDA-XML:codebook:1:0' instead of 'urn:QDA-XML:codebook:1.0'; "
        "read as urn:QDA-XML:codebook:1.0"
    )
    assert "code 'Planning': colour 'red' is not #RRGGBB; left out" in report.warnings
    top = codes.codes[0]
    assert top.guid == "6a3b8f5e-1d2c-4b7a-9e8f-0a1b2c3d4e5f"  # braces and case normalised
    assert (top.color, top.is_codable) == ("#AABBCC", False)
    assert codes.children(top.guid)[0].name == "Budget te krap"
    out = tmp_path / "nvivo.yaml"
    done = import_codebook(qdc, out, language="nl")
    assert done.report.dropped == (
        refi.Dropped("code set", "Kern", "qualcode codebooks have no sets (1 codes)"),
    )
    book = load_codebook(out)
    assert book.language == "nl"
    assert [(c.id, c.parent, c.color) for c in book.codes] == [
        ("FINANCIEN", None, "#aabbcc"),
        ("BUDGET_TE_KRAP", "FINANCIEN", "#aabbcc"),
        ("PLANNING", None, ""),
    ]
    assert book.get("BUDGET_TE_KRAP").description == "Te weinig geld voor de uitvoering"


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (["Leiderschap en regie"], ["LEIDERSCHAP_EN_REGIE"]),
        (["Financiële randvoorwaarden"], ["FINANCIELE_RANDVOORWAARDEN"]),
        (["2e fase", "!!!"], ["CODE_2E_FASE", "CODE"]),
        (["Planning", "planning", "PLANNING"], ["PLANNING", "PLANNING_2", "PLANNING_3"]),
    ],
)
def test_ids_from_names(names: list[str], ids: list[str]) -> None:
    codes = [refi.Code(guid=str(i), name=n) for i, n in enumerate(names)]
    assert list(derive_ids(codes).values()) == ids


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("De gemeente had te weinig geld en de planning was niet haalbaar voor ons.", "nl"),
        ("The municipality had too little money and the planning was not feasible.", "en"),
        ("", "en"),
    ],
)
def test_language_guess(text: str, language: str) -> None:
    assert guess_language([text]) == language


def test_export_validates_is_stable_and_reads_back(tmp_path: Path) -> None:
    first, second = tmp_path / "msm.qdc", tmp_path / "again.qdc"
    done = export_codebook(ROOT / "codebook" / "msm.yaml", first)
    export_codebook(ROOT / "codebook" / "msm.yaml", second)
    assert first.read_bytes() == second.read_bytes()
    xmlschema.XMLSchema10(str(XSD)).validate(str(first))
    book = load_codebook(ROOT / "codebook" / "msm.yaml")
    assert done.counts.codes == len(book.codes)
    dropped = Counter(d.kind for d in done.report.dropped)
    assert dropped["pattern"] == len(list(book.patterns())) > 300
    assert dropped["include criterion"] == sum(len(c.include) for c in book.codes)
    assert dropped["exclude criterion"] == sum(len(c.exclude) for c in book.codes)
    assert dropped["example"] == sum(len(c.examples) for c in book.codes)
    assert [d.name for d in done.report.dropped if d.kind == "dimension"] == ["MSM", "VALENCE"]
    codes, report = read_qdc(first)
    assert report.warnings == ()
    assert [c.name for c in codes.children("")] == [c.name for c in book.top_level()]
    for code, original in zip(codes.codes, _depth_first(book), strict=True):
        assert code.name == original.name and code.description == original.description
        assert code.color == original.color.upper()
    yaml_out = tmp_path / "terug.yaml"
    import_codebook(first, yaml_out, language="nl")
    back = load_codebook(yaml_out)
    assert {c.name for c in back.codes} == {c.name for c in book.codes}
    assert not list(back.patterns())  # what the export listed as dropped
    changed = {d.name.split(" -> ")[0] for d in done.report.dropped if d.kind == "code id"}
    assert changed == {c.id for c in book.codes} - {c.id for c in back.codes}


def _depth_first(book):  # type: ignore[no-untyped-def]
    out = []
    for top in book.top_level():
        out.extend(book.descendants(top.id))
    return out


def test_codes_of_a_qdpx_import_as_a_codebook(tmp_path: Path) -> None:
    out = tmp_path / "atlas.yaml"
    done = import_codebook(sample(ATLAS), out, language="en")
    book = load_codebook(out)
    assert done.counts.codes == 3 == len(book.codes)
    assert len(book.top_level()) == 1


def test_existing_output_is_refused(tmp_path: Path) -> None:
    qdc = tmp_path / "c.qdc"
    qdc.write_text(NVIVO_STYLE, encoding="utf-8")
    out = tmp_path / "bestaat.yaml"
    out.write_text("mijn codeboek\n", encoding="utf-8")
    with pytest.raises(InteropError) as info:
        import_codebook(qdc, out)
    assert str(info.value) == (
        f"{out}: already exists; import into a new file name, or delete the old file first"
    )
    assert out.read_text(encoding="utf-8") == "mijn codeboek\n"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "leeg.qdc: no <Codes> element; the codebook holds no codes",
        ),
        (
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
            "leeg.qdc: <Codes> is empty; the codebook holds no codes",
        ),
        (
            '<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>',
            "leeg.qdc: the root element is <Project>, not <CodeBook>; "
            "this is not a REFI-QDA codebook file",
        ),
    ],
)
def test_unusable_codebooks(tmp_path: Path, document: str, message: str) -> None:
    qdc = tmp_path / "leeg.qdc"
    qdc.write_text(document, encoding="utf-8")
    with pytest.raises(InteropError) as info:
        read_qdc(qdc)
    assert str(info.value) == message
