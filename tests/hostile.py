"""A generator of hostile and broken inputs, made at test time (nothing large is committed).

Each function writes one input into a folder the test owns and returns its path;
``snapshot`` records a folder so that a test can assert nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import zipfile
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


def run(*args: object) -> Any:
    """The result of ``qualcode ARGS`` (each argument made a string) through click's runner."""
    from click.testing import CliRunner

    from qualcode.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def one_error(result: Any, message: str, *, code: int = 1) -> str:
    """The one ``error:`` line of *result*, checked to hold *message*, and the exit *code*."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, result.output
    assert message in errors[0], errors[0]
    return errors[0]


def snapshot(*roots: Path) -> dict[str, tuple[str, str]]:
    """Every entry under *roots*: its kind (file, link, dir, other) and a digest of its bytes."""
    seen: dict[str, tuple[str, str]] = {}
    for root in roots:
        entries = [root, *root.rglob("*")] if root.is_dir() else [root]
        for entry in entries:
            st = entry.lstat()
            if stat.S_ISLNK(st.st_mode):
                seen[str(entry)] = ("link", os.readlink(entry))
            elif stat.S_ISREG(st.st_mode):
                seen[str(entry)] = ("file", hashlib.sha256(entry.read_bytes()).hexdigest())
            elif stat.S_ISDIR(st.st_mode):
                seen[str(entry)] = ("dir", "")
            else:
                seen[str(entry)] = ("other", oct(st.st_mode))
    return seen


# --- zip archives ------------------------------------------------------------------------

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_MIME = "application/vnd.oasis.opendocument.text"
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
    + ODT_MIME
    + '"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def docx_document(body: str) -> str:
    """A ``word/document.xml`` whose body is *body* (WordprocessingML elements)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )


def odt_content(body: str) -> str:
    """An ODF ``content.xml`` whose text body is *body*."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODT_NS}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def write_zip(path: Path, members: list[tuple[str, bytes | str]]) -> Path:
    """A zip of *members* ``(name, data)``, deflated (``mimetype`` stored, as ODF wants)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=kind)
    return path


def docx(path: Path, body: str = "<w:p><w:r><w:t>Hallo wereld.</w:t></w:r></w:p>") -> Path:
    """A minimal valid ``.docx`` with *body*."""
    return write_zip(
        path,
        [
            ("[Content_Types].xml", DOCX_TYPES),
            ("_rels/.rels", DOCX_RELS),
            ("word/document.xml", docx_document(body)),
        ],
    )


def odt(path: Path, body: str = "<text:p>Hallo wereld.</text:p>") -> Path:
    """A minimal valid ``.odt`` with *body*."""
    return write_zip(
        path,
        [
            ("mimetype", ODT_MIME),
            ("META-INF/manifest.xml", ODT_MANIFEST),
            ("content.xml", odt_content(body)),
        ],
    )


def _bomb_paragraphs(megabytes: int) -> str:
    para = "<w:p><w:r><w:t>" + "bom " * 250 + "</w:t></w:r></w:p>"
    return para * (megabytes * MIB // len(para) + 1)


def docx_bomb(path: Path, megabytes: int = 200) -> Path:
    """A ``.docx`` of a few hundred KB whose document part is *megabytes* of paragraphs."""
    return docx(path, _bomb_paragraphs(megabytes))


def odt_bomb(path: Path, megabytes: int = 200) -> Path:
    """An ``.odt`` whose ``content.xml`` is *megabytes* of paragraphs."""
    para = "<text:p>" + "bom " * 250 + "</text:p>"
    return odt(path, para * (megabytes * MIB // len(para) + 1))


def xlsx_bomb(path: Path, megabytes: int = 200) -> Path:
    """An ``.xlsx``-named zip whose sheet part is *megabytes* of repeated rows."""
    row = '<row><c t="inlineStr"><is><t>' + "x" * 200 + "</t></is></c></row>"
    rows = row * (megabytes * MIB // len(row))
    sheet = f"<worksheet><sheetData>{rows}</sheetData></worksheet>"
    return write_zip(
        path, [("[Content_Types].xml", "<Types/>"), ("xl/worksheets/sheet1.xml", sheet)]
    )


def qdpx_bomb(path: Path, megabytes: int = 200) -> Path:
    """A ``.qdpx`` whose one source file is *megabytes* of one letter."""
    return write_zip(
        path, [("project.qde", "<Project/>"), ("sources/a.txt", b"a" * (megabytes * MIB))]
    )


def _headers(data: bytes, path: Path, member: str) -> tuple[int, int]:
    """The offsets of *member*'s local header and central directory record."""
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(member).header_offset
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == member.encode():
            return local, central
        start = central + 4
    raise KeyError(member)


def lie_about_sizes(path: Path, member: str, *, size: int) -> Path:
    """Rewrite the zip at *path* so that *member* declares *size* uncompressed bytes.

    Both the local header and the central directory say so; the CRC is left alone.
    """
    data = bytearray(path.read_bytes())
    local, central = _headers(bytes(data), path, member)
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
    return path


def _patch_member(path: Path, member: str, *, flag: int = 0, method: int | None = None) -> Path:
    """Set general-purpose *flag* bits and/or the compression *method* of *member*."""
    data = bytearray(path.read_bytes())
    local, central = _headers(bytes(data), path, member)
    for at in (local, central + 2):  # the central record has one more field first
        bits = struct.unpack_from("<H", data, at + 6)[0]
        struct.pack_into("<H", data, at + 6, bits | flag)
        if method is not None:
            struct.pack_into("<H", data, at + 8, method)
    path.write_bytes(bytes(data))
    return path


def encrypt_flag(path: Path, member: str) -> Path:
    """Mark *member* as encrypted (bit 0), as a password-protected zip does."""
    return _patch_member(path, member, flag=0x1)


def implode_method(path: Path, member: str) -> Path:
    """Mark *member* as compressed with method 6 (implode), which ``zipfile`` cannot read."""
    return _patch_member(path, member, method=6)
