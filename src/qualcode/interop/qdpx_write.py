"""Writing REFI-QDA projects (``.qdpx``) from ``qualcode.interop.model`` records.

The output follows NOTES.md section 8: ``project.qde`` plus a flat lowercase
``sources/`` of UTF-8, LF-only, BOM-less ``.txt`` files named ``<guid>.txt``;
element order as the XSD sequences say; no empty container; positions counted
as ``positions.EXPORT_COUNTING`` over exactly the text written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from qualcode.errors import InteropError
from qualcode.interop import model as refi
from qualcode.interop import xml
from qualcode.interop.archive import write_archive
from qualcode.interop.positions import to_producer
from qualcode.interop.qdc import codes_element

__all__ = ["project_document", "write_qdpx", "xsd_datetime"]

_NS = xml.PROJECT_NS
_VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def xsd_datetime(value: str) -> str:
    """*value* (ISO 8601) as an ``xsd:dateTime`` in UTC with ``Z``; ``""`` when unreadable."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{_NS}}}{tag}")
    for key, value in attributes.items():
        if value:
            element.set(key, value)
    return element


def _text(parent: etree._Element, tag: str, text: str) -> None:
    if text:
        _sub(parent, tag).text = text


def _container(parent: etree._Element, tag: str, items: Iterable[object]) -> etree._Element | None:
    # Empty containers are invalid: only create one that will hold something.
    return _sub(parent, tag) if any(True for _ in items) else None


def _note_refs(element: etree._Element, notes: dict[str, list[str]], guid: str) -> None:
    for note in notes.get(guid, []):
        _sub(element, "NoteRef", targetGUID=note)


def _values(element: etree._Element, values: Iterable[refi.VariableValue]) -> None:
    for value in values:
        item = _sub(element, "VariableValue")
        _sub(item, "VariableRef", targetGUID=value.variable)
        _sub(item, _VALUE_ELEMENTS[value.type]).text = value.value


def _coding(parent: etree._Element, coding: refi.Coding, notes: dict[str, list[str]]) -> None:
    element = _sub(
        parent,
        "Coding",
        guid=coding.guid,
        creatingUser=coding.creating_user,
        creationDateTime=xsd_datetime(coding.created),
    )
    _sub(element, "CodeRef", targetGUID=coding.code)
    _note_refs(element, notes, coding.guid)


def _source(parent: etree._Element, source: refi.Source, notes: dict[str, list[str]]) -> None:
    text = source.text or ""
    if "\r" in text:
        raise InteropError(f"source {source.name!r}: text has carriage returns; normalise it first")
    element = _sub(
        parent,
        "TextSource",
        guid=source.guid,
        name=source.name,
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=source.creating_user,
        creationDateTime=xsd_datetime(source.created),
    )
    _text(element, "Description", source.description)
    for selection in source.selections:
        item = _sub(
            element,
            "PlainTextSelection",
            guid=selection.guid,
            name=selection.name,
            startPosition=str(to_producer(text, selection.start)),
            endPosition=str(to_producer(text, selection.end)),
            creatingUser=selection.creating_user,
            creationDateTime=xsd_datetime(selection.created),
        )
        _text(item, "Description", selection.description)
        for coding in selection.codings:
            _coding(item, coding, notes)
        _note_refs(item, notes, selection.guid)
    for coding in source.codings:
        _coding(element, coding, notes)
    _note_refs(element, notes, source.guid)
    _values(element, source.values)


def _case(parent: etree._Element, case: refi.Case) -> None:
    item = _sub(parent, "Case", guid=case.guid, name=case.name)
    _text(item, "Description", case.description)
    for code in case.codes:
        _sub(item, "CodeRef", targetGUID=code)
    _values(item, case.values)
    for source_guid in case.sources:
        _sub(item, "SourceRef", targetGUID=source_guid)
    for selection_guid in case.selections:
        _sub(item, "SelectionRef", targetGUID=selection_guid)


def _note(parent: etree._Element, note: refi.Note) -> None:
    item = _sub(
        parent,
        "Note",
        guid=note.guid,
        name=note.name,
        creatingUser=note.creating_user,
        creationDateTime=xsd_datetime(note.created),
    )
    _sub(item, "PlainTextContent").text = note.text


def _set(parent: etree._Element, group: refi.Set) -> None:
    item = _sub(parent, "Set", guid=group.guid, name=group.name)
    _text(item, "Description", group.description)
    for tag, members in (
        ("MemberCode", group.codes),
        ("MemberSource", group.sources),
        ("MemberNote", group.notes),
    ):
        for member in members:
            _sub(item, tag, targetGUID=member)


def project_document(project: refi.Project) -> bytes:
    """The ``project.qde`` document for *project*, children in the order of the XSD sequence."""
    notes: dict[str, list[str]] = defaultdict(list)
    for note in project.notes:
        for target in note.targets:
            notes[target].append(note.guid)
    root = etree.Element(f"{{{_NS}}}Project", nsmap={None: _NS})
    root.set("name", project.name)
    for attribute, value in (
        ("origin", project.origin),
        ("creatingUserGUID", project.creating_user),
        ("creationDateTime", xsd_datetime(project.created)),
    ):
        if value:
            root.set(attribute, value)
    if (users := _container(root, "Users", project.users)) is not None:
        for user in project.users:
            _sub(users, "User", guid=user.guid, name=user.name, id=user.id)
    if project.codebook.codes:
        codes_element(_sub(root, "CodeBook"), project.codebook, namespace=_NS, notes=notes)
    if (variables := _container(root, "Variables", project.variables)) is not None:
        for v in project.variables:
            item = _sub(variables, "Variable", guid=v.guid, name=v.name, typeOfVariable=v.type)
            _text(item, "Description", v.description)
    if (cases := _container(root, "Cases", project.cases)) is not None:
        for case in project.cases:
            _case(cases, case)
    if (sources := _container(root, "Sources", project.sources)) is not None:
        for source in project.sources:
            _source(sources, source, notes)
    if (notes_el := _container(root, "Notes", project.notes)) is not None:
        for note in project.notes:
            _note(notes_el, note)
    if (sets := _container(root, "Sets", project.sets)) is not None:
        for group in project.sets:
            _set(sets, group)
    _text(root, "Description", project.description)
    for note in project.notes:
        if not note.targets:
            _sub(root, "NoteRef", targetGUID=note.guid)
    return xml.serialise(root)


def write_qdpx(
    project: refi.Project,
    path: str | Path,
    *,
    extra: Iterable[tuple[str, bytes]] = (),
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write *project* as a ``.qdpx`` at *path* (whole, never over one of *inputs*).

    *extra* are further ``(member name, bytes)`` entries, such as qualcode's own
    codebook, which other programs ignore.
    """
    document = project_document(project)
    files = [(f"{s.guid}.txt", (s.text or "").encode("utf-8")) for s in project.sources]
    write_archive(path, qde=document, sources=files, extra=extra, inputs=inputs)
