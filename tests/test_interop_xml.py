"""Safe XML parsing of REFI-QDA documents, namespaces and schema validation."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.errors import InteropError
from qualcode.interop import xml
from qualcode.interop.qdpx import read_qdpx

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&h;"/>
"""

DTD_MESSAGE = (
    "bomb.qdpx:project.qde: the XML declares a DTD (<!DOCTYPE ...>), which REFI-QDA files never "
    "have; it is refused because entity declarations can expand without bound (export the file "
    "again from its program)"
)


def test_billion_laughs_qde_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", BILLION_LAUGHS)
    with pytest.raises(InteropError) as info:
        read_qdpx(archive)
    assert str(info.value) == DTD_MESSAGE


def test_external_entity_is_refused() -> None:
    data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook>&e;</CodeBook>'
    with pytest.raises(InteropError, match="declares a DTD"):
        xml.parse(data, name="x.qdc")


def test_utf16_document_with_dtd_is_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x []><CodeBook/>'.encode("utf-16")
    with pytest.raises(InteropError, match="declares a DTD"):
        xml.parse(data, name="x.qdc")


def test_not_well_formed() -> None:
    with pytest.raises(InteropError) as info:
        xml.parse(b"<CodeBook><Codes></CodeBook>", name="broken.qdc")
    assert str(info.value).startswith("broken.qdc: not well-formed XML (")
    assert str(info.value).endswith("); the file is damaged or not a REFI-QDA file")


def test_namespace_variant_warns_and_validates_as_standard() -> None:
    root = xml.parse(
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
        b'<Code guid="00000000-0000-0000-0000-000000000001" name="a" isCodable="true"/>'
        b"</Codes></CodeBook>",
        name="nv.qdc",
    )
    assert xml.namespace_warnings(root, kind="codebook", name="nv.qdc") == [
        "nv.qdc: namespace 'urn:QDA-XML:codebook:1:0' instead of 'urn:QDA-XML:codebook:1.0'; "
        "read as urn:QDA-XML:codebook:1.0"
    ]
    assert xml.validate(root, kind="codebook") == []


def test_wrong_root_is_refused() -> None:
    root = xml.parse(b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', name="p.qdc")
    with pytest.raises(InteropError) as info:
        xml.namespace_warnings(root, kind="codebook", name="p.qdc")
    assert str(info.value) == (
        "p.qdc: the root element is <Project>, not <CodeBook>; this is not a REFI-QDA codebook file"
    )


def test_schemas_ship_with_the_package_and_keep_the_licence_header() -> None:
    from importlib import resources

    folder = resources.files("qualcode").joinpath("data", "refi-qda")
    for name in ("Project.xsd", "Codebook.xsd"):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        assert "This specification is licensed under the MIT license." in text
        assert "Copyright 2019 REFI www.qdasoftware.org." in text
    assert xml.schema("project") is not None and xml.schema("codebook") is not None
