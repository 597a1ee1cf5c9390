"""Frozen records of a REFI-QDA codebook or project, as read from (or written to) a file.

These mirror the exchange format, not qualcode's store: GUIDs are the keys, codes
form a tree through ``parent``, and notes say which objects they are attached to.
Text positions of a ``PlainTextSelection`` are already converted to qualcode's coordinate
system: 0-based code-point offsets into ``Source.text`` (normalised: NFC, LF, no
BOM), end exclusive. Import modules with ``from qualcode.interop import model as
refi`` so the names read ``refi.Code``, ``refi.Project``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "Case",
    "Code",
    "Codebook",
    "Coding",
    "Counts",
    "Dropped",
    "Note",
    "Project",
    "Report",
    "PlainTextSelection",
    "Set",
    "Source",
    "SOURCE_KINDS",
    "User",
    "Variable",
    "VariableValue",
    "VARIABLE_TYPES",
]

SOURCE_KINDS: tuple[str, ...] = ("text", "pdf", "picture", "audio", "video")
VARIABLE_TYPES: tuple[str, ...] = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


@dataclass(frozen=True)
class User:
    """A person (or program) who created objects in the project."""

    guid: str
    name: str = ""
    id: str = ""


@dataclass(frozen=True)
class Code:
    """A code; ``parent`` is the GUID of the enclosing code, ``""`` at the top level."""

    guid: str
    name: str
    is_codable: bool = True
    color: str = ""
    description: str = ""
    parent: str = ""


@dataclass(frozen=True)
class Set:
    """A named group of codes, sources and notes (MAXQDA's document groups, for instance)."""

    guid: str
    name: str
    description: str = ""
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The codes of a ``.qdc`` file or of a project, in document order (parents first)."""

    codes: tuple[Code, ...] = ()
    sets: tuple[Set, ...] = ()
    origin: str = ""

    def get(self, guid: str) -> Code | None:
        """The code with *guid*, or None."""
        return next((c for c in self.codes if c.guid == guid), None)

    def children(self, guid: str) -> tuple[Code, ...]:
        """The codes directly under *guid* (``""`` for the top level), in document order."""
        return tuple(c for c in self.codes if c.parent == guid)

    def path(self, guid: str) -> tuple[str, ...]:
        """Names from the top-level code down to *guid*."""
        by_guid = {c.guid: c for c in self.codes}
        names: list[str] = []
        code = by_guid.get(guid)
        while code is not None and len(names) <= len(by_guid):
            names.append(code.name)
            code = by_guid.get(code.parent)
        return tuple(reversed(names))


@dataclass(frozen=True)
class Variable:
    """An attribute of cases or sources (``typeOfVariable`` is one of ``VARIABLE_TYPES``)."""

    guid: str
    name: str
    type: str = "Text"
    description: str = ""


@dataclass(frozen=True)
class VariableValue:
    """The value of *variable* (a GUID) for a case or source, in its XML lexical form."""

    variable: str
    value: str
    type: str = "Text"


@dataclass(frozen=True)
class Case:
    """A unit of analysis (a respondent) grouping sources and carrying variable values."""

    guid: str
    name: str = ""
    description: str = ""
    values: tuple[VariableValue, ...] = ()
    sources: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coding:
    """One code applied to a selection (or to a whole source)."""

    guid: str
    code: str
    creating_user: str = ""
    created: str = ""


@dataclass(frozen=True)
class PlainTextSelection:
    """A span of a text source, ``text[start:end]``, with the codes applied to it."""

    guid: str
    start: int
    end: int
    codings: tuple[Coding, ...] = ()
    name: str = ""
    description: str = ""
    creating_user: str = ""
    created: str = ""


@dataclass(frozen=True)
class Source:
    """A source document; only text sources (and PDFs with a text representation) carry text.

    ``text`` is normalised (NFC, LF, no BOM); ``counting`` names the position model
    the producer's offsets were read with (see ``qualcode.interop.positions``).
    """

    guid: str
    name: str
    kind: str = "text"
    text: str | None = None
    selections: tuple[PlainTextSelection, ...] = ()
    codings: tuple[Coding, ...] = ()
    description: str = ""
    values: tuple[VariableValue, ...] = ()
    plain_text_path: str = ""
    rich_text_path: str = ""
    creating_user: str = ""
    created: str = ""
    counting: str = ""


@dataclass(frozen=True)
class Note:
    """A memo: text with an author, attached to the objects in ``targets`` (GUIDs).

    A note attached to nothing is a project memo.
    """

    guid: str
    name: str = ""
    text: str = ""
    targets: tuple[str, ...] = ()
    creating_user: str = ""
    created: str = ""


@dataclass(frozen=True)
class Project:
    """Everything a ``.qdpx`` project holds that qualcode reads or writes."""

    name: str
    origin: str = ""
    users: tuple[User, ...] = ()
    codebook: Codebook = field(default_factory=Codebook)
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[Note, ...] = ()
    sets: tuple[Set, ...] = ()
    description: str = ""
    creating_user: str = ""
    created: str = ""

    def user_name(self, guid: str) -> str:
        """The name of user *guid* (its GUID when it has no name; ``""`` for no user)."""
        user = next((u for u in self.users if u.guid == guid), None)
        if user is None:
            return ""
        return user.name or user.id or user.guid

    def notes_on(self, guid: str) -> tuple[Note, ...]:
        """The notes attached to the object *guid*."""
        return tuple(n for n in self.notes if guid in n.targets)

    def selections(self) -> Iterator[tuple[Source, PlainTextSelection]]:
        """Every selection with its source, in document order."""
        for source in self.sources:
            for selection in source.selections:
                yield source, selection

    def counts(self) -> Counts:
        """How many objects of each kind the project holds."""
        selections = [s for _, s in self.selections()]
        return Counts(
            codes=len(self.codebook.codes),
            sources=len(self.sources),
            selections=len(selections),
            codings=sum(len(s.codings) for s in selections)
            + sum(len(src.codings) for src in self.sources),
            cases=len(self.cases),
            variables=len(self.variables),
            notes=len(self.notes),
            users=len(self.users),
            sets=len(self.sets) + len(self.codebook.sets),
        )


@dataclass(frozen=True)
class Counts:
    """Numbers of objects per kind, as printed after an import or export."""

    codes: int = 0
    sources: int = 0
    selections: int = 0
    codings: int = 0
    cases: int = 0
    variables: int = 0
    notes: int = 0
    users: int = 0
    sets: int = 0

    def describe(self) -> str:
        """One line such as ``12 codes, 3 sources, 40 selections (41 codings), ...``."""
        return (
            f"{self.codes} codes, {self.sources} sources, {self.selections} selections "
            f"({self.codings} codings), {self.cases} cases, {self.variables} variables, "
            f"{self.notes} notes, {self.users} users"
        )


@dataclass(frozen=True)
class Dropped:
    """Something in the file that was not imported: *kind* and *name* say what, *reason* why."""

    kind: str
    name: str
    reason: str

    def describe(self) -> str:
        """One line for the import summary."""
        return (
            f"{self.kind} {self.name}: {self.reason}"
            if self.name
            else f"{self.kind}: {self.reason}"
        )


@dataclass(frozen=True)
class Report:
    """What reading a file had to say: schema and structure warnings, and what was dropped."""

    warnings: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()
