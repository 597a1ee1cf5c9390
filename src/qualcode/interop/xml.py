"""Safe XML for REFI-QDA files: parsing untrusted input, namespaces, schema validation, output.

A ``.qde`` or ``.qdc`` comes from elsewhere, so it is parsed without a DTD: a
document declaring one (``<!DOCTYPE``, where entity bombs live) is refused, no
entity is ever resolved, nothing is fetched from the network and libxml2's limits
on huge documents stay on. Element names are compared by local name, so that
namespace variants (``urn:QDA-XML:codebook:1:0``) still read, with a warning.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

from lxml import etree

from qualcode.errors import InteropError

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "SchemaKind",
    "child",
    "child_text",
    "children",
    "local",
    "namespace_warnings",
    "parse",
    "schema",
    "schema_warning",
    "serialise",
    "validate",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SchemaKind = Literal["project", "codebook"]
_NAMESPACES: dict[str, str] = {"project": PROJECT_NS, "codebook": CODEBOOK_NS}
_ROOTS: dict[str, str] = {"project": "Project", "codebook": "CodeBook"}

# How many schema errors a warning lists before summarising the rest.
MAX_SCHEMA_MESSAGES = 5
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _declares_dtd(data: bytes) -> bool:
    """True when the prolog (before the root element) holds a ``<!DOCTYPE``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data[:65536].decode("utf-16", errors="ignore").encode("utf-8")
    root = _ROOT_START.search(data)
    prolog = data[: root.start()] if root else data
    return _DOCTYPE.search(prolog) is not None


def parse(data: bytes, *, name: str) -> etree._Element:
    """Parse the XML document *data* (called *name* in messages) and return its root.

    Raises ``InteropError`` when the document declares a DTD or is not well-formed.
    """
    if _declares_dtd(data):
        raise InteropError(
            f"{name}: the XML declares a DTD (<!DOCTYPE ...>), which REFI-QDA files never have; "
            "it is refused because entity declarations can expand without bound "
            "(export the file again from its program)"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise InteropError(
            f"{name}: not well-formed XML ({exc.msg}); the file is damaged or not a REFI-QDA file"
        ) from None
    if root is None:
        raise InteropError(f"{name}: the XML document is empty")
    return root


def local(element: etree._Element) -> str:
    """The local name of *element* (without its namespace)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements of *element* whose local name is *name*, in document order."""
    return [c for c in element if local(c) == name]


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child element called *name*, or None."""
    return next((c for c in element if local(c) == name), None)


def child_text(element: etree._Element, name: str) -> str:
    """The text of the first child called *name* (``""`` when absent or empty)."""
    found = child(element, name)
    return "" if found is None else (found.text or "")


def namespace_warnings(root: etree._Element, *, kind: SchemaKind, name: str) -> list[str]:
    """Warnings about the root element's name and namespace, for a *kind* document."""
    expected_ns = _NAMESPACES[kind]
    expected_root = _ROOTS[kind]
    if local(root) != expected_root:
        raise InteropError(
            f"{name}: the root element is <{local(root)}>, not <{expected_root}>; "
            f"this is not a REFI-QDA {kind} file"
        )
    namespace = etree.QName(root).namespace or ""
    if namespace == expected_ns:
        return []
    shown = namespace or "no namespace"
    return [f"{name}: namespace {shown!r} instead of {expected_ns!r}; read as {expected_ns}"]


@cache
def schema(kind: SchemaKind) -> etree.XMLSchema:
    """The REFI-QDA XML schema for *kind* (shipped with qualcode: ``data/refi-qda/``)."""
    file = "Project.xsd" if kind == "project" else "Codebook.xsd"
    data = resources.files("qualcode").joinpath("data", "refi-qda", file).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


def validate(root: etree._Element, *, kind: SchemaKind) -> list[str]:
    """Schema errors of the document *root* against the *kind* XSD (empty when valid).

    A document in a variant namespace is checked as if it used the standard one,
    so that its other errors still show.
    """
    expected_ns = _NAMESPACES[kind]
    if (etree.QName(root).namespace or "") != expected_ns:
        root = _renamespaced(root, expected_ns)
    xsd = schema(kind)
    if xsd.validate(root.getroottree()):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def _renamespaced(root: etree._Element, namespace: str) -> etree._Element:
    copy = etree.fromstring(etree.tostring(root), _parser())
    for element in copy.iter():
        if isinstance(element.tag, str):
            element.tag = f"{{{namespace}}}{local(element)}"
    etree.cleanup_namespaces(copy)
    return copy


def schema_warning(errors: list[str], *, name: str, kind: SchemaKind) -> str:
    """One warning line summarising the schema *errors* of document *name*."""
    shown = "; ".join(errors[:MAX_SCHEMA_MESSAGES])
    more = len(errors) - MAX_SCHEMA_MESSAGES
    tail = f"; and {more} more" if more > 0 else ""
    file = "Project.xsd" if kind == "project" else "Codebook.xsd"
    return f"{name}: does not validate against {file} ({shown}{tail}); read anyway"


def serialise(root: etree._Element) -> bytes:
    """*root* as a UTF-8 document with an XML declaration, indented."""
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
