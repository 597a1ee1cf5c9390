"""Reading a Word report (``.docx``) the way a reviewer reads it: paragraph by paragraph.

Everything with text is read in reading order: body paragraphs, tables (row
by row, cell by cell, nested tables too), content controls, and text boxes
(after the paragraph that anchors them; a text box stored twice, as DrawingML
and as its VML fallback, is read once). Footnotes and endnotes follow the
body, in their order. Deleted text of tracked changes is left out, inserted
text kept; footnote reference marks are not text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from qualcode.errors import ReviewError

__all__ = ["read_docx_paragraphs"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXTBOX = f"{_W}txbxContent"
_NOTES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
)


def _paragraph(p: object, boxes: list[object]) -> str:
    """The text of the paragraph element *p*; text boxes inside it are added to *boxes*."""
    out: list[str] = []

    def walk(node: object) -> None:
        for child in node:  # type: ignore[attr-defined]
            tag = child.tag
            if tag == _MC_FALLBACK or tag == f"{_W}delText" or tag == f"{_W}del":
                continue
            if tag == _TEXTBOX:
                boxes.append(child)
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append(" ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}softHyphen":
                out.append("\u00ad")
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _blocks(container: object, out: list[str]) -> None:
    """Append the paragraphs of *container* (body, cell, text box, note) to *out*."""
    for child in container:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == f"{_W}p":
            boxes: list[object] = []
            out.append(_paragraph(child, boxes))
            for box in boxes:
                _blocks(box, out)
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                if row.getparent() is not child:
                    continue  # a nested table's rows: read through its cell
                for cell in row.iterchildren(f"{_W}tc"):
                    _blocks(cell, out)
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
            _blocks(child, out)


def read_docx_paragraphs(path: Path) -> list[str]:
    """The non-empty paragraphs of the ``.docx`` at *path*, in reading order, notes last.

    Raises ``ReviewError`` when the file is no readable Word document.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError, fromstring

    from qualcode.corpus.readers import open_package
    from qualcode.errors import CorpusError

    try:
        # checked as a hostile archive first (zip bombs, DTDs, deep nesting)
        document = docx.Document(open_package(path, path.read_bytes(), kind=".docx"))
        out: list[str] = []
        _blocks(document.element.body, out)
        for rel in document.part.rels.values():
            if rel.reltype in _NOTES and not rel.is_external:
                root = fromstring(rel.target_part.blob)
                for note in root:
                    if note.get(f"{_W}type") in (None, "normal"):
                        _blocks(note, out)
    except (
        CorpusError,
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        XMLSyntaxError,
    ):
        raise ReviewError(
            f"{path.name}: not a readable .docx file; open and re-save it (Word), "
            "or export it as .txt"
        ) from None
    return [p for p in out if p.strip()]
