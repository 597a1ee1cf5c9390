"""Reading REFI-QDA projects (``.qdpx``) into ``qualcode.interop.model`` records.

The reader is tolerant where real exporters deviate (a ``Sources/`` folder, paths
without ``internal://``, namespace variants, schema errors): each deviation is a
warning. What cannot be used (PDF, picture, audio and video sources, selections
outside the text, codings of unknown codes) is reported as dropped, with why.
Positions are mapped onto the normalised text with the producer's counting model
(``qualcode.interop.positions``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree

from qualcode.interop import model as refi
from qualcode.interop import xml
from qualcode.interop.archive import Archive, Limits
from qualcode.interop.positions import choose_counting
from qualcode.interop.qdc import normal_guid, read_codebook_codes, read_sets

__all__ = ["read_qdpx"]

_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
_VALUE_TYPES = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


def read_qdpx(
    path: str | Path, *, limits: Limits | None = None
) -> tuple[refi.Project, refi.Report]:
    """Read the REFI-QDA project at *path*.

    Returns the project and a report of warnings and dropped objects. Raises
    ``InteropError`` for an unsafe, damaged or unusable archive.
    """
    with Archive(path, limits=limits) as archive:
        reader = _Reader(archive)
        project = reader.read()
        warnings = tuple(archive.warnings) + tuple(reader.warnings)
        return project, refi.Report(warnings=warnings, dropped=tuple(reader.dropped))


def _guid(element: etree._Element, attribute: str = "guid") -> str:
    return normal_guid(element.get(attribute))


def _refs(element: etree._Element, tag: str) -> tuple[str, ...]:
    return tuple(_guid(r, "targetGUID") for r in xml.children(element, tag))


class _Reader:
    """One pass over a ``.qde`` document, collecting records, warnings and drops."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.name = archive.name
        self.warnings: list[str] = []
        self.dropped: list[refi.Dropped] = []
        self.origin = ""
        self.code_guids: set[str] = set()
        self.variables: dict[str, refi.Variable] = {}

    def drop(self, kind: str, name: str, reason: str) -> None:
        self.dropped.append(refi.Dropped(kind, name, reason))

    def read(self) -> refi.Project:
        label = f"{self.name}:{self.archive.qde_name}"
        root = xml.parse(self.archive.read_qde(), name=label)
        self.warnings += xml.namespace_warnings(root, kind="project", name=label)
        errors = xml.validate(root, kind="project")
        if errors:
            self.warnings.append(xml.schema_warning(errors, name=label, kind="project"))
        self.origin = root.get("origin") or ""
        self._check_guids(root)
        users = tuple(
            refi.User(guid=_guid(u), name=u.get("name") or "", id=u.get("id") or "")
            for u in self._items(root, "Users", "User")
        )
        codebook = refi.Codebook(origin=self.origin)
        book = xml.child(root, "CodeBook")
        codes = xml.child(book, "Codes") if book is not None else None
        if codes is not None:
            codebook = refi.Codebook(
                codes=read_codebook_codes(codes, warnings=self.warnings), origin=self.origin
            )
        self.code_guids = {c.guid for c in codebook.codes}
        for v in self._items(root, "Variables", "Variable"):
            variable = refi.Variable(
                guid=_guid(v),
                name=v.get("name") or "",
                type=v.get("typeOfVariable") or "Text",
                description=xml.child_text(v, "Description").strip(),
            )
            self.variables[variable.guid] = variable
        sources = tuple(self._sources(root))
        cases = tuple(self._case(c) for c in self._items(root, "Cases", "Case"))
        return refi.Project(
            name=root.get("name") or Path(self.name).stem,
            origin=self.origin,
            users=users,
            codebook=codebook,
            variables=tuple(self.variables.values()),
            cases=cases,
            sources=sources,
            notes=self._notes(root),
            sets=read_sets(xml.child(root, "Sets")),
            description=xml.child_text(root, "Description").strip(),
            creating_user=_guid(root, "creatingUserGUID"),
            created=root.get("creationDateTime") or "",
        )

    @staticmethod
    def _items(root: etree._Element, container: str, tag: str) -> list[etree._Element]:
        found = xml.child(root, container)
        return [] if found is None else xml.children(found, tag)

    def _check_guids(self, root: etree._Element) -> None:
        counts = Counter(_guid(e) for e in root.iter() if isinstance(e.tag, str) and e.get("guid"))
        repeated = sorted(g for g, n in counts.items() if n > 1)
        if repeated:
            self.warnings.append(
                f"{self.name}: {len(repeated)} GUIDs are used by more than one object "
                f"(first: {repeated[0]}); references to them are ambiguous"
            )
        dangling = {
            _guid(e, "targetGUID")
            for e in root.iter()
            if isinstance(e.tag, str)
            and e.get("targetGUID")
            and _guid(e, "targetGUID") not in counts
        }
        if dangling:
            self.warnings.append(
                f"{self.name}: {len(dangling)} references point at no object "
                f"(first: {sorted(dangling)[0]}); they are ignored"
            )

    # -- variables and cases -------------------------------------------------------

    def _values(self, element: etree._Element, owner: str) -> tuple[refi.VariableValue, ...]:
        values: list[refi.VariableValue] = []
        for item in xml.children(element, "VariableValue"):
            ref = xml.child(item, "VariableRef")
            variable = self.variables.get(_guid(ref, "targetGUID")) if ref is not None else None
            if variable is None:
                self.drop("variable value", owner, "its VariableRef names no variable")
                continue
            given = next((c for c in item if xml.local(c) in _VALUE_TYPES), None)
            if given is None:
                continue  # a variable without a value for this owner
            values.append(
                refi.VariableValue(
                    variable=variable.guid,
                    value=(given.text or "").strip(),
                    type=_VALUE_TYPES[xml.local(given)],
                )
            )
        return tuple(values)

    def _case(self, element: etree._Element) -> refi.Case:
        guid = _guid(element)
        name = element.get("name") or ""
        return refi.Case(
            guid=guid,
            name=name,
            description=xml.child_text(element, "Description").strip(),
            values=self._values(element, f"case {name or guid}"),
            sources=_refs(element, "SourceRef"),
            codes=_refs(element, "CodeRef"),
            selections=_refs(element, "SelectionRef"),
        )

    # -- sources -------------------------------------------------------------------

    def _sources(self, root: etree._Element) -> Iterator[refi.Source]:
        container = xml.child(root, "Sources")
        if container is None:
            return
        for element in container:
            tag = xml.local(element)
            path = element.get("plainTextPath") or element.get("path") or ""
            name = element.get("name") or path.rpartition("/")[2] or _guid(element)
            if tag == "TextSource":
                source = self._text_source(element, name=name, kind="text")
            elif tag == "PDFSource":
                source = self._pdf_source(element, name=name)
            elif tag in _MEDIA:
                kind = _MEDIA[tag]
                selections = sum(1 for c in element if xml.local(c).endswith("Selection"))
                self.drop(
                    f"{kind} source",
                    name,
                    f"qualcode codes text only; {selections} selections on it not imported",
                )
                continue
            else:
                continue
            if source is not None:
                yield source

    def _pdf_source(self, element: etree._Element, *, name: str) -> refi.Source | None:
        areas = len(xml.children(element, "PDFSelection"))
        representation = xml.child(element, "Representation")
        if representation is None:
            self.drop("PDF source", name, "no plain-text representation to code on")
            return None
        if areas:
            self.drop(
                "PDF source", name, f"{areas} area selections (page coordinates) not imported"
            )
        source = self._text_source(representation, name=name, kind="pdf")
        if source is None:
            return None
        return replace(source, guid=_guid(element))

    def _raw_text(self, element: etree._Element, *, name: str, kind: str) -> str | None:
        inline = xml.child(element, "PlainTextContent")
        if inline is not None and inline.text:
            return inline.text
        path = element.get("plainTextPath") or ""
        if not path:
            self.drop(kind, name, "has neither plainTextPath nor PlainTextContent")
            return None
        member, why = self.archive.resolve(path)
        if member is None:
            self.drop(kind, name, why)
            return None
        data = self.archive.read(member)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.warnings.append(f"{self.name}: {member} is not UTF-8; read as Windows-1252")
            return data.decode("cp1252", errors="replace")

    def _codings(self, element: etree._Element, *, where: str) -> tuple[refi.Coding, ...]:
        codings: list[refi.Coding] = []
        for coding in xml.children(element, "Coding"):
            ref = xml.child(coding, "CodeRef")
            code = _guid(ref, "targetGUID") if ref is not None else ""
            if code not in self.code_guids:
                self.drop("coding", where, f"its CodeRef {code or '(none)'} names no code")
                continue
            codings.append(
                refi.Coding(
                    guid=_guid(coding),
                    code=code,
                    creating_user=_guid(coding, "creatingUser"),
                    created=coding.get("creationDateTime") or "",
                )
            )
        return tuple(codings)

    def _text_source(self, element: etree._Element, *, name: str, kind: str) -> refi.Source | None:
        raw = self._raw_text(element, name=name, kind=f"{kind} source")
        if raw is None:
            return None
        spans: list[tuple[etree._Element, int, int]] = []
        for sel in xml.children(element, "PlainTextSelection"):
            try:
                spans.append(
                    (sel, int(sel.get("startPosition", "")), int(sel.get("endPosition", "")))
                )
            except ValueError:
                self.drop("selection", f"{name} {_guid(sel)}", "its positions are not integers")
        text_map, fit, warning = choose_counting(
            raw, [(a, b) for _, a, b in spans], origin=self.origin
        )
        if warning:
            self.warnings.append(f"{self.name}: source {name!r}: {warning}")
        selections: list[refi.PlainTextSelection] = []
        for sel, a, b in spans:
            label = f"{name} [{a}:{b}]"
            start, end = text_map.to_text(a), text_map.to_text(b, end=True)
            if start is None or end is None:
                self.drop("selection", label, f"outside the text ({text_map.length} positions)")
                continue
            if end <= start:
                self.drop("selection", label, "empty, or ends before it starts")
                continue
            codings = self._codings(sel, where=label)
            description = xml.child_text(sel, "Description").strip()
            if not codings:
                why = "has no code" + (
                    f" (its comment: {description[:60]!r})" if description else ""
                )
                self.drop("selection", label, why)
                continue
            selections.append(
                refi.PlainTextSelection(
                    guid=_guid(sel),
                    start=start,
                    end=end,
                    codings=codings,
                    name=sel.get("name") or "",
                    description=description,
                    creating_user=_guid(sel, "creatingUser"),
                    created=sel.get("creationDateTime") or "",
                )
            )
        return refi.Source(
            guid=_guid(element),
            name=name,
            kind=kind,
            text=text_map.text,
            selections=tuple(selections),
            codings=self._codings(element, where=name),
            description=xml.child_text(element, "Description").strip(),
            values=self._values(element, f"source {name}"),
            plain_text_path=element.get("plainTextPath") or "",
            rich_text_path=element.get("richTextPath") or "",
            creating_user=_guid(element, "creatingUser"),
            created=element.get("creationDateTime") or "",
            counting=fit.counting.name,
        )

    # -- notes and sets ------------------------------------------------------------

    def _notes(self, root: etree._Element) -> tuple[refi.Note, ...]:
        targets: dict[str, list[str]] = defaultdict(list)
        for ref in root.iter("{*}NoteRef"):
            parent = ref.getparent()
            owner = "" if parent is None or parent is root else _guid(parent)
            targets[_guid(ref, "targetGUID")].append(owner)
        notes_el = xml.child(root, "Notes")
        notes = xml.children(notes_el, "Note") if notes_el is not None else []
        note_guids = {_guid(n) for n in notes}
        for link in self._items(root, "Links", "Link"):
            # NVivo ties annotations to selections with a Link between note and selection.
            origin, target = _guid(link, "originGUID"), _guid(link, "targetGUID")
            if origin in note_guids and target not in note_guids:
                targets[origin].append(target)
            elif target in note_guids and origin not in note_guids:
                targets[target].append(origin)
        result: list[refi.Note] = []
        for note in notes:
            guid = _guid(note)
            name = note.get("name") or ""
            raw = self._raw_text(note, name=name or guid, kind="note")
            if raw is None:
                continue
            result.append(
                refi.Note(
                    guid=guid,
                    name=name,
                    text=raw.lstrip("\ufeff").replace("\r\n", "\n").strip(),
                    targets=tuple(dict.fromkeys(t for t in targets.get(guid, []) if t)),
                    creating_user=_guid(note, "creatingUser"),
                    created=note.get("creationDateTime") or "",
                )
            )
        return tuple(result)
