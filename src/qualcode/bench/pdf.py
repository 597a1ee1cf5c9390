"""A minimal PDF writer for benchmark and test material: lines of text on pages, nothing else.

The PDF has one standard font (Helvetica, WinAnsi encoding: the characters of
Dutch text, curly quotes included) and each page's lines set top to bottom,
so every PDF reader extracts the lines as written. For realistic layouts
(columns, hyphenation, footnotes) the tests use PDFs made with reportlab.
"""

from __future__ import annotations

__all__ = ["simple_pdf"]


def simple_pdf(pages: list[list[str]]) -> bytes:
    """The bytes of a PDF whose page *k* shows the lines ``pages[k]`` (9 pt, 11 pt apart)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        body = ["BT /F1 9 Tf 11 TL 56 800 Td"]
        for line in lines:
            raw = line.encode("cp1252", "replace")
            escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            body.append("(" + escaped.decode("latin-1") + ") Tj T*")
        body.append("ET")
        stream = "\n".join(body).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
