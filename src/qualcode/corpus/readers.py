"""Readers: one function per file format, each returning the file's text before normalisation.

The readers know formats, not interviews: speaker turns and segments come
later, from the normalised text (see ``structure``).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import CorpusError, QualcodeWarning
from qualcode.files.zips import Limits, SafeZip, open_regular

__all__ = [
    "DEFAULT_MAX_BYTES",
    "OFFICE_LIMITS",
    "READERS",
    "RawDocument",
    "QualcodeWarning",
    "decode_text",
    "open_package",
    "read_document",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: An office file (.docx, .odt, .xlsx) may hold at most twice the default size limit
#: uncompressed, and no large part may expand more than 100 times: a zip bomb is
#: refused from its headers.
OFFICE_LIMITS = Limits(max_members=5_000, max_total_bytes=2 * DEFAULT_MAX_BYTES, max_ratio=100)


@dataclass(frozen=True)
class RawCue:
    """A cue's text with its timing, before the cues are joined into one text."""

    text: str
    begin_ms: int
    end_ms: int
    speaker: str


@dataclass(frozen=True)
class RawDocument:
    """What a reader found: the text, or for subtitles the cues to build it from.

    ``metadata`` holds record fields the format keeps apart from the text (a
    WebVTT ``NOTE`` block); ``front`` is the length of a leading part of ``text``
    that is metadata (a ``.docx`` table), whose fields are in ``metadata`` too.
    """

    text: str
    cues: tuple[RawCue, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    front: int = 0


def _read_bytes(path: Path) -> bytes:
    with open_regular(path, CorpusError) as handle:  # a FIFO or device is refused, unread
        data = handle.read()
    if not data.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n") or data in (b"\xff\xfe", b"\xfe\xff"):
        raise CorpusError(
            f"{path.name}: the file is empty; add the interview text or remove the file"
        )
    return data


_CONTROL_BYTES = tuple(c for c in range(32) if c not in (9, 10, 12, 13))


def decode_text(
    name: str, data: bytes, *, fix: str = "save the interview as plain text (UTF-8) or .docx"
) -> str:
    """The text of the file *name* from its bytes *data*: one line of ``CorpusError`` if binary.

    UTF-16 with a byte-order mark and UTF-8 (with or without one) are read as they
    are; anything else as Windows-1252 (cp1252) with a warning. A NUL character
    anywhere means the file is binary or damaged and is refused; the message ends
    with *fix*.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CorpusError(
                f"{name}: starts like UTF-16 text but is damaged; save it again as UTF-8"
            ) from None
        text = text.lstrip("\ufeff")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            controls = sum(data.count(bytes([c])) for c in _CONTROL_BYTES)
            if controls > len(data) // 100:  # text has next to none; random bytes one in eight
                raise CorpusError(
                    f"{name}: looks like a binary file, not text ({controls} control "
                    f"characters); {fix}"
                ) from None
            if b"\x00" not in data:
                warnings.warn(
                    f"{name}: not valid UTF-8, read as Windows-1252 (cp1252); "
                    "save it as UTF-8 to silence this warning",
                    QualcodeWarning,
                    stacklevel=3,
                )
            text = data.decode("cp1252", errors="replace")
    nul = text.find("\x00")
    if nul >= 0:
        where = (
            "" if nul < 8192 else f" (a NUL character on line {text.count(chr(10), 0, nul) + 1})"
        )
        raise CorpusError(f"{name}: looks like a binary file, not text{where}; {fix}")
    return text


def _decode_text(path: Path, data: bytes) -> str:
    return decode_text(path.name, data)


def read_text(path: Path) -> RawDocument:
    """A ``.txt`` or ``.md`` file: UTF-8 or UTF-16 (with a BOM), else cp1252 with a warning."""
    return RawDocument(_decode_text(path, _read_bytes(path)))


def open_package(path: Path, data: bytes, *, kind: str) -> io.BytesIO:
    """The bytes *data* of the office file *path*, checked as a hostile zip archive.

    Refuses (``CorpusError``, one line naming the file) a zip bomb by its headers
    (``OFFICE_LIMITS``), encrypted or oddly compressed members, and XML parts with a
    DTD or nesting deeper than ``MAX_XML_DEPTH`` (see :mod:`qualcode.files.zips`).
    Returns a stream over *data* for the format's library to read.
    """
    with SafeZip(
        data, name=path.name, limits=OFFICE_LIMITS, error=CorpusError, kind=kind,
        fix="open and re-save it, or export it as .txt",
    ) as archive:  # fmt: skip
        for member in archive.names:
            if member.lower().endswith((".xml", ".rels")):
                archive.check_xml(member)
    return io.BytesIO(data)


def read_docx(path: Path) -> RawDocument:
    """A ``.docx`` file: its paragraphs, and table cells row by row, in reading order."""
    package = open_package(path, _read_bytes(path), kind=".docx")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(package)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise CorpusError(
            f"{path.name}: not a readable .docx file ({_short(exc)}); "
            "open and re-save it in Word, or export it as .txt"
        ) from None
    blocks: list[str] = []
    metadata: dict[str, str] = {}
    front = 0

    def cells(table: Table) -> list[list[object]]:
        rows = []
        seen: set[object] = set()  # holds the cell elements, so identities stay unique
        for row in table.rows:
            unique = []
            for cell in row.cells:
                if cell._tc not in seen:  # a merged cell repeats in every grid position
                    seen.add(cell._tc)
                    unique.append(cell)
            rows.append(unique)
        return rows

    def walk(container: object) -> None:
        for item in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(item, Paragraph):
                blocks.append(item.text)
            elif isinstance(item, Table):
                walk_table(item)

    def walk_table(table: Table) -> None:
        for row in cells(table):
            for cell in row:
                walk(cell)

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
            continue
        fields = {} if any(b.strip() for b in blocks) else _metadata_table(cells(item))
        walk_table(item)
        if fields:  # a key/value table before any text: the record's metadata
            metadata.update(fields)
            front = len("\n\n".join(b.strip() for b in blocks if b.strip()))
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    return RawDocument(text, metadata=metadata, front=front)


def _metadata_table(rows: list[list[object]]) -> dict[str, str]:
    """The fields of a two-column key/value table (short keys), or {} when it is not one."""
    fields: dict[str, str] = {}
    if not rows or len(rows) > 25:
        return {}
    for row in rows:
        texts = [c.text.strip() for c in row]  # type: ignore[attr-defined]
        if len(texts) < 2 or not texts[0] or len(texts[0].split()) > 4 or len(texts[0]) > 40:
            return {}
        fields[texts[0].rstrip(":")] = " ".join(t for t in texts[1:] if t)
    return fields


def read_odt(path: Path) -> RawDocument:
    """An ``.odt`` file: headings and paragraphs (also inside tables), in reading order."""
    package = open_package(path, _read_bytes(path), kind=".odt")
    from xml.parsers.expat import ExpatError
    from xml.sax import SAXException

    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(package)
    except (zipfile.BadZipFile, KeyError, ValueError, ExpatError, SAXException) as exc:
        raise CorpusError(
            f"{path.name}: not a readable .odt file ({_short(exc)}); "
            "open and re-save it, or export it as .txt"
        ) from None
    blocks: list[str] = []
    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}

    def walk(node: object) -> None:
        for child in getattr(node, "childNodes", []):
            if getattr(child, "qname", None) in wanted:
                blocks.append(teletype.extractText(child))
            else:
                walk(child)

    walk(document.text)
    return RawDocument("\n\n".join(b.strip() for b in blocks if b.strip()))


_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


def _ms(stamp: str) -> int:
    m = _TIME.fullmatch(stamp.strip())
    if not m:
        raise ValueError(stamp)
    h, mi, s, ms = (int(g) if g else 0 for g in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def _read_cues(path: Path, *, vtt: bool) -> RawDocument:
    raw = _decode_text(path, _read_bytes(path)).replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", raw.strip())
    metadata: dict[str, str] = {}
    if vtt:
        if not blocks[0].startswith("WEBVTT"):
            raise CorpusError(
                f"{path.name}: a .vtt file must start with 'WEBVTT'; is it really WebVTT?"
            )
        title, _, header = blocks[0][len("WEBVTT") :].partition("\n")
        if title.strip(" \t-"):
            metadata["title"] = title.strip(" \t-")
        _note_fields(header, metadata)
        blocks = blocks[1:]
    cues: list[RawCue] = []
    for block in blocks:
        lines = [ln for ln in block.split("\n") if ln.strip()]
        timing = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if timing is None:
            if vtt and block.startswith("NOTE") and (len(block) == 4 or block[4].isspace()):
                _note_fields(block[4:], metadata)
            continue  # STYLE, REGION blocks, or cue numbers alone
        begin, _, rest = lines[timing].partition("-->")
        try:
            begin_ms, end_ms = _ms(begin), _ms(rest.split()[0])
        except (ValueError, IndexError):
            raise CorpusError(
                f"{path.name}: cannot read the cue timing {lines[timing].strip()!r}; "
                "expected 'hh:mm:ss.mmm --> hh:mm:ss.mmm'"
            ) from None
        body = " ".join(ln.strip() for ln in lines[timing + 1 :])
        voice = _VOICE.search(body)
        speaker = voice.group(1).strip() if voice else ""
        body = _TAG.sub("", body).strip()
        if body:
            cues.append(RawCue(body, begin_ms, end_ms, speaker))
    if not cues:
        raise CorpusError(f"{path.name}: no cues with text found; is the file empty or damaged?")
    return RawDocument("", tuple(cues), metadata=metadata)


_FIELD = re.compile(r"([^\W\d_][\w'’ ./()-]{0,40}?)[ \t]*:[ \t]+(\S.*)")


def _note_fields(text: str, metadata: dict[str, str]) -> None:
    """Add the ``Key: value`` lines of a WebVTT NOTE (or header) to *metadata*; other lines
    go under ``note``."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        m = _FIELD.fullmatch(line)
        key, value = (m.group(1).strip(), m.group(2).strip()) if m else ("note", line)
        metadata[key] = f"{metadata[key]} {value}" if key in metadata else value


def read_vtt(path: Path) -> RawDocument:
    """A WebVTT file: cue text (voice tags become speaker labels), timings kept as cues."""
    return _read_cues(path, vtt=True)


def read_srt(path: Path) -> RawDocument:
    """A SubRip file: cue text, timings kept as cues."""
    return _read_cues(path, vtt=False)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:80]


READERS: dict[str, Callable[[Path], RawDocument]] = {
    "txt": read_text,
    "md": read_text,
    "docx": read_docx,
    "odt": read_odt,
    "vtt": read_vtt,
    "srt": read_srt,
}


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read *path* with the reader for its extension.

    Raises ``CorpusError`` for an unknown extension, a file above *max_bytes*
    (checked before reading), or a file that cannot be read.
    """
    ext = path.suffix.lower().lstrip(".")
    reader = READERS.get(ext)
    if reader is None:
        raise CorpusError(
            f"{path.name}: unsupported file type '.{ext}'; "
            f"supported: {', '.join('.' + e for e in READERS)} (convert the file or move it out)"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            f"{path.name}: {size / 1e6:.1f} MB is above the size limit of "
            f"{max_bytes / 1e6:.1f} MB; "
            "split the file or raise the size limit",
            option="max_size",
        )
    return reader(path)
