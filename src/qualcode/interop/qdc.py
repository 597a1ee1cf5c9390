"""REFI-QDA codebooks (``.qdc``): reading, writing, and the code tree shared with projects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from qualcode.errors import InteropError
from qualcode.files.output import write_output
from qualcode.files.zips import open_regular
from qualcode.interop import model as refi
from qualcode.interop import xml

__all__ = [
    "codes_element",
    "normal_guid",
    "parse_codebook",
    "read_codebook_codes",
    "read_qdc",
    "read_sets",
    "write_qdc",
]

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
_COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def normal_guid(value: str | None) -> str:
    """*value* as a bare lowercase GUID, so that ``{ABC-...}`` and ``abc-...`` compare equal.

    A value that is not GUID-shaped is kept as it is (stripped), so it can still be matched.
    """
    value = (value or "").strip()
    match = _GUID.match(value)
    return match.group(1).lower() if match else value


def _bool(value: str | None) -> bool:
    return (value or "true").strip().lower() not in ("false", "0")


def _color(value: str | None, *, name: str, warnings: list[str]) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not _COLOR.match(value):
        warnings.append(f"code {name!r}: colour {value!r} is not #RRGGBB; left out")
        return ""
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.upper()


def read_codebook_codes(codes: etree._Element, *, warnings: list[str]) -> tuple[refi.Code, ...]:
    """The ``Code`` elements under a ``Codes`` element, parents before their children."""
    found: list[refi.Code] = []

    def walk(element: etree._Element, parent: str) -> None:
        for code in xml.children(element, "Code"):
            name = code.get("name") or ""
            guid = normal_guid(code.get("guid"))
            if not name.strip():
                warnings.append(f"a code without a name (guid {guid}); named after its guid")
                name = guid
            found.append(
                refi.Code(
                    guid=guid,
                    name=name,
                    is_codable=_bool(code.get("isCodable")),
                    color=_color(code.get("color"), name=name, warnings=warnings),
                    description=xml.child_text(code, "Description").strip(),
                    parent=parent,
                )
            )
            walk(code, guid)

    walk(codes, "")
    return tuple(found)


def read_sets(container: etree._Element | None) -> tuple[refi.Set, ...]:
    """The ``Set`` elements of a ``Sets`` container (none when *container* is None)."""
    if container is None:
        return ()

    def refs(element: etree._Element, tag: str) -> tuple[str, ...]:
        # A .qdc member uses guid="...", a project member targetGUID="...".
        return tuple(
            normal_guid(m.get("targetGUID") or m.get("guid")) for m in xml.children(element, tag)
        )

    return tuple(
        refi.Set(
            guid=normal_guid(s.get("guid")),
            name=s.get("name") or "",
            description=xml.child_text(s, "Description").strip(),
            codes=refs(s, "MemberCode"),
            sources=refs(s, "MemberSource"),
            notes=refs(s, "MemberNote"),
        )
        for s in xml.children(container, "Set")
    )


def parse_codebook(data: bytes, *, name: str) -> tuple[refi.Codebook, refi.Report]:
    """Read a ``.qdc`` document from *data*; schema deviations become warnings."""
    root = xml.parse(data, name=name)
    warnings = xml.namespace_warnings(root, kind="codebook", name=name)
    errors = xml.validate(root, kind="codebook")
    if errors:
        warnings.append(xml.schema_warning(errors, name=name, kind="codebook"))
    codes_el = xml.child(root, "Codes")
    if codes_el is None:
        raise InteropError(f"{name}: no <Codes> element; the codebook holds no codes")
    codes = read_codebook_codes(codes_el, warnings=warnings)
    if not codes:
        raise InteropError(f"{name}: <Codes> is empty; the codebook holds no codes")
    seen: set[str] = set()
    for code in codes:
        if code.guid in seen:
            warnings.append(f"{name}: guid {code.guid} is used by more than one code")
        seen.add(code.guid)
    sets = read_sets(xml.child(root, "Sets"))
    codebook = refi.Codebook(codes=codes, sets=sets, origin=root.get("origin") or "")
    return codebook, refi.Report(warnings=tuple(warnings))


def read_qdc(path: str | Path) -> tuple[refi.Codebook, refi.Report]:
    """Read the REFI-QDA codebook file at *path*.

    Raises ``InteropError`` when it cannot be read or holds no codes.
    """
    path = Path(path)
    try:
        with open_regular(path, InteropError) as handle:  # a FIFO is refused, never waited on
            data = handle.read()
    except OSError as exc:
        raise InteropError(f"{path.name}: cannot read the file ({exc.strerror})") from None
    return parse_codebook(data, name=path.name)


def codes_element(
    parent: etree._Element,
    codebook: refi.Codebook,
    *,
    namespace: str,
    notes: dict[str, list[str]] | None = None,
) -> None:
    """Append ``<Codes>`` with *codebook*'s tree to *parent* (NoteRefs from *notes*, by guid)."""
    codes = etree.SubElement(parent, f"{{{namespace}}}Codes")

    def add(container: etree._Element, code: refi.Code) -> None:
        element = etree.SubElement(container, f"{{{namespace}}}Code")
        element.set("guid", code.guid)
        element.set("name", code.name)
        element.set("isCodable", "true" if code.is_codable else "false")
        if code.color:
            element.set("color", code.color)
        if code.description:
            etree.SubElement(element, f"{{{namespace}}}Description").text = code.description
        for note in (notes or {}).get(code.guid, []):
            etree.SubElement(element, f"{{{namespace}}}NoteRef").set("targetGUID", note)
        for sub in codebook.children(code.guid):
            add(element, sub)

    for top in codebook.children(""):
        add(codes, top)


def codebook_document(codebook: refi.Codebook, *, origin: str) -> bytes:
    """The ``.qdc`` document for *codebook*."""
    ns = xml.CODEBOOK_NS
    root = etree.Element(f"{{{ns}}}CodeBook", nsmap={None: ns})
    root.set("origin", origin)
    codes_element(root, codebook, namespace=ns)
    if codebook.sets:
        sets = etree.SubElement(root, f"{{{ns}}}Sets")
        for group in codebook.sets:
            element = etree.SubElement(sets, f"{{{ns}}}Set", guid=group.guid, name=group.name)
            if group.description:
                etree.SubElement(element, f"{{{ns}}}Description").text = group.description
            for code in group.codes:
                etree.SubElement(element, f"{{{ns}}}MemberCode", guid=code)
    return xml.serialise(root)


def write_qdc(
    codebook: refi.Codebook,
    path: str | Path,
    *,
    origin: str,
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write *codebook* as a REFI-QDA codebook file at *path* (whole, never over *inputs*)."""
    write_output(path, codebook_document(codebook, origin=origin), inputs=inputs)
