"""Render a Markdown draft report the ways reviewers receive it (test fixtures).

    python tests/data/review/render_report.py REPORT.md OUTDIR [--columns FROM-TO]

Writes into OUTDIR, named after the report:

- ``NAME.docx``: python-docx, with real footnotes (a footnotes part), the
  tables, and every third block quote in a text box;
- ``NAME.pdf``: reportlab, A4, running header and page footer, justified
  text hyphenated with pyphen (nl_NL), footnotes at the foot of their page
  under a rule, and the chapters FROM-TO (e.g. ``6-8``) in two columns;
- that PDF's text as extractors give it: ``NAME.pypdf.txt`` (pypdf),
  ``NAME.pdftotext.txt``, ``NAME.layout.txt`` (``-layout``), ``NAME.raw.txt``
  (``-raw``; all poppler-utils), and ``NAME.double.txt``: the pdftotext text
  with an empty line after every line, as some extraction tools give it.

Needs reportlab, pyphen, pypdf, python-docx and poppler's ``pdftotext``;
the tests only read the committed outputs.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[\^(\w+)\]")


@dataclass
class Block:
    kind: str  # h1 h2 h3 p quote li table note
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    key: str = ""


def parse(md: str) -> tuple[list[Block], dict[str, str]]:
    """Blocks of a simple Markdown report, and its footnotes by key."""
    blocks: list[Block] = []
    notes: dict[str, str] = {}
    for chunk in re.split(r"\n\s*\n", md.strip()):
        lines = chunk.split("\n")
        first = lines[0]
        if m := re.match(r"(#{1,3}) (.*)", first):
            blocks.append(Block(f"h{len(m.group(1))}", m.group(2)))
        elif first.startswith(">"):
            blocks.append(Block("quote", " ".join(x.lstrip("> ").strip() for x in lines)))
        elif first.startswith("|"):
            rows = [
                [c.strip() for c in x.strip().strip("|").split("|")]
                for x in lines
                if not re.fullmatch(r"\|[-|: ]+\|", x.strip())
            ]
            blocks.append(Block("table", rows=rows))
        elif re.match(r"\[\^(\w+)\]:", first):
            for m in re.finditer(r"^\[\^(\w+)\]:\s*(.*(?:\n(?!\[\^).*)*)", chunk, re.M):
                notes[m.group(1)] = " ".join(m.group(2).split())
        elif re.match(r"\d+\. ", first):
            blocks.extend(Block("li", x.strip()) for x in lines)
        else:
            blocks.append(Block("p", " ".join(x.strip() for x in lines)))
    return blocks, notes


def _runs(text: str) -> list[tuple[str, str]]:
    """Inline pieces: (style, text) with style '', 'b', 'i' or 'note' (text: the key)."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(("", text[pos : m.start()]))
        if m.group(1):
            out.append(("b", m.group(1)))
        elif m.group(2):
            out.append(("i", m.group(2)))
        else:
            out.append(("note", m.group(3)))
        pos = m.end()
    if pos < len(text):
        out.append(("", text[pos:]))
    return out


# ---------------------------------------------------------------- Word


def write_docx(blocks: list[Block], notes: dict[str, str], path: Path) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    ids: dict[str, int] = {}

    def fill(paragraph: object, text: str) -> None:
        for style, piece in _runs(text):
            if style == "note":
                n = ids.setdefault(piece, len(ids) + 1)
                paragraph._p.append(  # type: ignore[attr-defined]
                    parse_xml(
                        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/>'
                        f'</w:rPr><w:footnoteReference w:id="{n}"/></w:r>'
                    )
                )
                continue
            run = paragraph.add_run(piece)  # type: ignore[attr-defined]
            run.bold = style == "b"
            run.italic = style == "i"

    quotes = 0
    for b in blocks:
        if b.kind.startswith("h"):
            document.add_heading(b.text, level=int(b.kind[1]) - 1 if b.kind != "h1" else 0)
        elif b.kind == "table":
            table = document.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    fill(table.cell(r, c).paragraphs[0], cell)
        elif b.kind == "quote":
            quotes += 1
            if quotes % 3 == 0:  # a text box anchored in an empty paragraph
                text = "".join(t for _, t in _runs(b.text))
                box = parse_xml(
                    f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
                    '<w:pict><v:shape style="width:400pt;height:120pt"><v:textbox>'
                    f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{_xml(text)}'
                    "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
                )
                document.add_paragraph()._p.append(box)
            else:
                fill(document.add_paragraph(style="Quote"), b.text)
        elif b.kind == "li":
            fill(document.add_paragraph(style="List Number"), re.sub(r"^\d+\. ", "", b.text))
        else:
            fill(document.add_paragraph(), b.text)
    w = nsdecls("w")
    parts = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for key, n in ids.items():
        parts.append(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f'</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {_xml(notes[key])}'
            "</w:t></w:r></w:p></w:footnote>"
        )
    xml = f"<w:footnotes {w}>{''.join(parts)}</w:footnotes>"
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    document.core_properties.author = "qualcode tests"
    document.save(str(path))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- PDF


def write_pdf(
    blocks: list[Block], notes: dict[str, str], path: Path, columns: tuple[int, int]
) -> None:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Table,
    )

    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body",
        parent=base["BodyText"],
        fontName="Helvetica",
        fontSize=10,
        leading=13.5,
        alignment=TA_JUSTIFY,
        hyphenationLang="nl_NL",
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        spaceAfter=6,
    )
    quote = ParagraphStyle("quote", parent=body, leftIndent=1 * cm, rightIndent=1 * cm)
    item = ParagraphStyle("item", parent=body, leftIndent=0.6 * cm)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    heads = {
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName="Helvetica-Bold"),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold"),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName="Helvetica-Bold"),
    }
    pending: list[str] = []  # footnotes anchored on the page being drawn
    numbers: dict[str, int] = {}

    class Anchor(Flowable):  # zero-size: registers a footnote on the page it lands on
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

        def wrap(self, *args: float) -> tuple[float, float]:
            return (0, 0)

        def draw(self) -> None:
            pending.append(self.key)

    def markup(text: str) -> tuple[str, list[str]]:
        out, keys = [], []
        for style, piece in _runs(text):
            if style == "note":
                n = numbers.setdefault(piece, len(numbers) + 1)
                out.append(f"<super>{n}</super>")
                keys.append(piece)
            else:
                piece = _xml(piece)
                out.append(f"<{style}>{piece}</{style}>" if style else piece)
        return "".join(out), keys

    def page_end(canvas: object, doc: object) -> None:
        c = canvas
        c.saveState()  # type: ignore[attr-defined]
        c.setFont("Helvetica", 8)  # type: ignore[attr-defined]
        c.drawString(2.5 * cm, A4[1] - 1.5 * cm, "Evaluatie totstandkoming Wet inburgering 2021")  # type: ignore[attr-defined]
        c.drawRightString(A4[0] - 2.5 * cm, A4[1] - 1.5 * cm, "Concept – niet citeren")  # type: ignore[attr-defined]
        c.drawCentredString(A4[0] / 2, 1.5 * cm, f"pagina {doc.page}")  # type: ignore[attr-defined]
        if pending:
            c.line(2.5 * cm, 4.2 * cm, 7 * cm, 4.2 * cm)  # type: ignore[attr-defined]
            y = 4.2 * cm
            for key in pending:
                p = Paragraph(f"<super>{numbers[key]}</super> {_xml(notes[key])}", small)
                _, h = p.wrap(A4[0] - 5 * cm, 3 * cm)
                y -= h + 2
                p.drawOn(c, 2.5 * cm, y)
            pending.clear()
        c.restoreState()  # type: ignore[attr-defined]

    width, height = A4[0] - 5 * cm, A4[1] - 2.5 * cm - 4.5 * cm
    one = Frame(2.5 * cm, 4.5 * cm, width, height, id="one")
    gap = 0.8 * cm
    half = (width - gap) / 2
    left = Frame(2.5 * cm, 4.5 * cm, half, height, id="left")
    right = Frame(2.5 * cm + half + gap, 4.5 * cm, half, height, id="right")
    doc = BaseDocTemplate(str(path), pagesize=A4, title="Conceptrapport", author="qualcode tests")
    doc.addPageTemplates(
        [
            PageTemplate("one", [one], onPageEnd=page_end),
            PageTemplate("two", [left, right], onPageEnd=page_end),
        ]
    )
    story: list[object] = []
    chapter = 0
    for b in blocks:
        if b.kind == "h2" and (m := re.match(r"(\d+) ", b.text)):
            chapter = int(m.group(1))
            if chapter == columns[0]:
                story += [NextPageTemplate("two"), PageBreak()]
            elif chapter == columns[1] + 1:
                story += [NextPageTemplate("one"), PageBreak()]
        if b.kind.startswith("h"):
            story.append(Paragraph(_xml(b.text), heads[b.kind]))
        elif b.kind == "table":
            cells = [[Paragraph(markup(c)[0], small) for c in row] for row in b.rows]
            first = [3.5 * cm] * (len(b.rows[0]) - 1)
            story.append(Table(cells, colWidths=[*first, width - sum(first)]))
        else:
            text, keys = markup(b.text)
            style = {"quote": quote, "li": item}.get(b.kind, body)
            story.append(Paragraph(text, style))
            story += [Anchor(k) for k in keys]
    doc.build(story)


# ---------------------------------------------------------------- text


def extract(pdf: Path, out: Path, stem: str) -> None:
    from pypdf import PdfReader

    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    (out / f"{stem}.pypdf.txt").write_text("\f".join(pages), encoding="utf-8")
    for flag, name in (("", "pdftotext"), ("-layout", "layout"), ("-raw", "raw")):
        args = ["pdftotext", "-enc", "UTF-8", *([flag] if flag else []), str(pdf), "-"]
        text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
        (out / f"{stem}.{name}.txt").write_text(text, encoding="utf-8")
    plain = (out / f"{stem}.pdftotext.txt").read_text(encoding="utf-8")
    doubled = "".join(line + "\n\n" for line in plain.split("\n"))
    (out / f"{stem}.double.txt").write_text(doubled, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--columns", default="0-0", help="chapters in two columns, e.g. 6-8")
    args = parser.parse_args()
    blocks, notes = parse(args.report.read_text(encoding="utf-8"))
    stem = args.report.stem
    args.out.mkdir(parents=True, exist_ok=True)
    first, last = (int(x) for x in args.columns.split("-"))
    write_docx(blocks, notes, args.out / f"{stem}.docx")
    write_pdf(blocks, notes, args.out / f"{stem}.pdf", (first, last))
    extract(args.out / f"{stem}.pdf", args.out, stem)


if __name__ == "__main__":
    main()
