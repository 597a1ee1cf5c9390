"""Reading a draft report into clean text that remembers where each line came from.

Plain text (``.txt``, ``.md``) is read line by line; text extracted from a PDF
is plain text too, with page furniture in it: running headers and footers,
page numbers, form feeds (``\\f``) between pages, and words hyphenated at the end
of a line. Those lines are dropped and hyphenated words joined, while every
kept line keeps its line number in the file. A ``.docx`` or ``.odt`` report is
read paragraph by paragraph; its "line" is the paragraph's number among the
document's non-empty paragraphs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qualcode.corpus.model import normalise
from qualcode.errors import CorpusError, ReviewError
from qualcode.review.layout import Line, clean_paragraph, undo_layout
from qualcode.review.office import read_docx_paragraphs

__all__ = ["REPORT_SUFFIXES", "ReportText", "clean_lines", "read_report", "report_from_text"]

REPORT_SUFFIXES = (".txt", ".md", ".docx", ".odt", ".pdf")

#: Digits, masked as ``#`` when page-edge lines are compared.
_DIGITS = re.compile(r"\d+")
#: A line that is nothing but a page number: ``12``, ``- 12 -``, ``pagina 12``, ``12 van 40``.
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?"
    r"(?:\s*[-–—])?",
    re.IGNORECASE,
)
#: A title with a page number: ``Evaluatie Wet inburgering — pagina 12``, ``12 | Evaluatie``.
_TITLED_PAGE = re.compile(
    r"[^\n]{1,90}?\s[|·•—–-]\s*(?:pagina|page|blz\.?|p\.)\s*\d{1,4}(?:\s*(?:van|of)\s*\d{1,4})?"
    r"|[^\n]{1,90}?\s*[|·•]\s*\d{1,4}"
    r"|(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,4}\s*[|·•]\s*[^\n]{1,90}",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_MARKUP_START = re.compile(r"\s*(?:[#>*+|`-]|\d+[.)]\s)")
_CONJUNCTIONS = frozenset({"en", "of", "tot", "noch", "and", "or"})
_HYPHEN_END = re.compile(r"(?P<stem>\w+)(?P<mark>[-\u00ad‐¬])$")
_FIRST_WORD = re.compile(r"(?P<word>(?P<letters>\w[\w'’-]*)\S*)(?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class ReportText:
    """A report's clean text and, for any offset into it, the report line it came from.

    ``numbers[k]`` is the line (or paragraph) number of the text that starts at
    ``starts[k]``; ``removed`` counts the page-furniture lines left out.
    """

    path: str
    text: str
    starts: tuple[int, ...]
    numbers: tuple[int, ...]
    removed: int = 0
    paragraph_numbers: bool = False
    pages: tuple[int, ...] = ()
    page_lines: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int:
        """The 1-based report line (or paragraph) where *offset* of :attr:`text` lies."""
        k = bisect_right(self.starts, offset) - 1
        return self.numbers[max(k, 0)]

    def page_at(self, offset: int) -> tuple[int, int] | None:
        """``(page, line within the page)``, 1-based, where *offset* lies; None without pages."""
        if not self.pages:
            return None
        k = max(bisect_right(self.starts, offset) - 1, 0)
        return (self.pages[k], self.page_lines[k]) if self.pages[k] else None


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(line.strip()))


def _is_titled_page(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= 110
        and _DIGIT.search(stripped) is not None
        and bool(_TITLED_PAGE.fullmatch(stripped))
    )


def _mask(line: str) -> str:
    return _DIGITS.sub("#", line.replace("\f", "").strip())


def _repeated_furniture(lines: Sequence[str], pages: bool) -> set[str]:
    """Lines repeated at page edges (digits masked): running headers and footers.

    With form feeds, a short line that is among the first or last three lines
    of at least two pages counts. Without them, a short line that recurs at
    least three times, at least 15 lines apart, and is no Markdown or list
    syntax, counts.
    """
    found: set[str] = set()
    if pages:
        edges: Counter[str] = Counter()
        page: list[str] = []
        for line in [*lines, "\f"]:
            if "\f" in line:
                head, _, tail = line.partition("\f")
                if head.strip():
                    page.append(head)
                filled = [x for x in page if x.strip() and len(x.strip()) <= 110]
                edges.update({_mask(x) for x in filled[:3] + filled[-3:]})
                page = [tail] if tail.strip() else []
            else:
                page.append(line)
        return {k for k, n in edges.items() if n >= 2}
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and len(stripped) <= 100 and not _MARKUP_START.match(line):
            where.setdefault(_mask(stripped), []).append(i)
    for k, idx in where.items():
        if len(idx) >= 3 and all(b - a >= 15 for a, b in zip(idx, idx[1:], strict=False)):
            found.add(k)
    return found


def _furniture(lines: Sequence[str]) -> list[bool]:
    """For each line: is it page furniture (page number, running header or footer)?"""
    pages = any("\f" in line for line in lines)
    repeated = _repeated_furniture(lines, pages)
    out = []
    for line in lines:
        stripped = line.replace("\f", "").strip()
        out.append(
            bool(stripped)
            and (
                _is_page_number(stripped)
                or _is_titled_page(stripped)
                or (bool(repeated) and _mask(stripped) in repeated)
            )
        )
    return out


def _join_hyphenated(lines: list[Line], known: Callable[[str], bool] | None) -> None:
    """Join words hyphenated at a line end, in place (the joined word moves up one line).

    ``samen-`` + ``werking`` becomes ``samenwerking``; a hyphen after a digit or
    capital (``G40-`` + ``gemeente``), before a capital (``Noord-`` +
    ``Holland``) or before a conjunction (``zorg-`` + ``en welzijn``) is real and
    kept. *known*, when given, decides between ``samen-werking`` and
    ``samenwerking`` by which form it knows. A soft hyphen at a line end is
    always a break in one word.
    """
    for i in range(len(lines) - 1):
        line = lines[i].text.rstrip()
        m = _HYPHEN_END.search(line) if line.endswith(("-", "\u00ad", "‐", "¬")) else None
        nxt = lines[i + 1].text
        w = _FIRST_WORD.match(nxt.lstrip())
        if not m or not w or w.group("letters").lower() in _CONJUNCTIONS:
            continue
        stem, word, letters = m.group("stem"), w.group("word"), w.group("letters")
        if m.group("mark") == "\u00ad":
            keep = False
        else:
            soft = stem[-1].islower() and letters[0].islower()
            keep = not soft
            if soft and known is not None:
                keep = known(f"{stem}-{letters}") and not known(stem + letters)
        lines[i] = replace(
            lines[i], text=line[: m.start("stem")] + stem + ("-" if keep else "") + word
        )
        lines[i + 1] = replace(lines[i + 1], text=w.group("rest").lstrip())


def clean_lines(
    lines: Sequence[str] | Sequence[Line], *, known: Callable[[str], bool] | None = None
) -> tuple[list[Line], int]:
    """Report lines without page furniture, hyphenated line ends joined.

    *lines* are plain strings (numbered from 1) or :class:`Line` records.
    Returns the kept lines and the number of furniture lines removed. A page
    break inside a paragraph (the text before it does not end a sentence, or
    the text after it starts in lower case) disappears with the blank lines
    around it, so the paragraph, and a quote in it, runs on.
    """
    rows = [x if isinstance(x, Line) else Line(i, str(x)) for i, x in enumerate(lines, start=1)]
    texts = [x.text for x in rows]
    furniture = _furniture(texts)
    kept: list[Line] = []
    i = 0
    while i < len(rows):
        if not furniture[i] and "\f" not in texts[i]:
            kept.append(rows[i])
            i += 1
            continue
        if not furniture[i] and texts[i].replace("\f", "").strip():
            kept.append(replace(rows[i], text=texts[i].replace("\f", "")))
            i += 1
            continue
        # a run of furniture and blank lines: the page break
        j = i
        while j < len(rows) and (furniture[j] or not texts[j].replace("\f", "").strip()):
            j += 1
        while kept and not kept[-1].text.strip():
            kept.pop()
        before = kept[-1].text.rstrip() if kept else ""
        after = texts[j].replace("\f", "").lstrip() if j < len(rows) else ""
        runs_on = bool(before and after) and (
            not before.endswith((".", "!", "?", ":")) or after[:1].islower()
        )
        if not runs_on and kept and after:
            kept.append(replace(rows[i], text=""))
        i = j
    _join_hyphenated(kept, known)
    return kept, sum(furniture)


def _assemble(
    path: str, blocks: Sequence[Line], sep: str, *, removed: int, paragraphs: bool
) -> ReportText:
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for block in blocks:
        if parts:
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text)
    paged = any(b.page for b in blocks)
    return ReportText(
        path,
        "".join(parts),
        tuple(starts),
        tuple(b.number for b in blocks),
        removed,
        paragraphs,
        tuple(b.page for b in blocks) if paged else (),
        tuple(b.page_line for b in blocks) if paged else (),
    )


def report_from_text(
    text: str, *, path: str = "<text>", known: Callable[[str], bool] | None = None
) -> ReportText:
    """A plain-text (or PDF-extracted) report, cleaned: see :func:`clean_lines`."""
    lines = undo_layout(normalise(text).split("\n"))
    blocks, removed = clean_lines(lines, known=known)
    return _assemble(path, blocks, "\n", removed=removed, paragraphs=False)


def read_pdf_text(path: Path) -> str:
    """The text of the PDF at *path*, page after page, pages separated by form feeds.

    Read with pypdf (pure Python), in the order of each page's content stream.
    Raises ``ReviewError`` for a file that is no PDF, is encrypted, or has no
    text layer (a scan).
    """
    return pdf_text_of(path, read_pdf_pages(path))


def read_pdf_pages(path: Path, first: int = 0, step: int = 1) -> list[str]:
    """The text of pages *first*, *first* + *step*, … of the PDF at *path* (see
    :func:`read_pdf_text`; several readers can share the pages of a long report).

    Raises ``ReviewError`` for a file that is no PDF or is encrypted.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReviewError(
                f"{path.name}: the PDF is password-protected; save an unprotected copy "
                "(or export the report as .docx) and check that"
            )
        pages = reader.pages
        return [pages[k].extract_text() or "" for k in range(first, len(pages), step)]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise ReviewError(
            f"{path.name}: not a readable PDF; export the report again as PDF, or check its .docx"
        ) from None


def pdf_text_of(path: Path, pages: Sequence[str]) -> str:
    """The report text of a PDF's *pages* (all of them, in order): joined by form feeds.

    Raises ``ReviewError`` when no page has text (a scan).
    """
    if not any(p.strip() for p in pages):
        raise ReviewError(
            f"{path.name}: the PDF has no text layer (a scanned report?); run OCR on it "
            "or check the .docx"
        )
    return "\f".join(pages)


def read_report(
    path: str | Path,
    *,
    known: Callable[[str], bool] | None = None,
    pdf_text: Callable[[], str] | None = None,
) -> ReportText:
    """Read the draft report at *path* (``.txt``, ``.md``, ``.docx``, ``.odt`` or ``.pdf``).

    *known* tells whether a word exists (e.g. in the transcripts), to choose how
    a word hyphenated at a line end is joined. *pdf_text*, when given, supplies
    a PDF's text (already being read elsewhere) instead of reading it here.
    Raises ``ReviewError`` for a missing, empty or unreadable file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReviewError(f"{path}: report not found; pass the path of an existing draft report")
    if suffix not in REPORT_SUFFIXES:
        raise ReviewError(
            f"{path.name}: unsupported report format {suffix or '(none)'}; "
            f"use one of {', '.join(REPORT_SUFFIXES)}"
        )
    data = path.read_bytes()
    if not data.strip(b"\xef\xbb\xbf \t\r\n\f"):
        raise ReviewError(f"{path.name}: the report is empty; pass a draft report with text")
    if suffix == ".pdf":
        text = pdf_text() if pdf_text is not None else read_pdf_text(path)
        return report_from_text(text, path=str(path), known=known)
    from qualcode.corpus.readers import read_odt, read_text

    if suffix == ".docx":
        return _paragraphs_report(path, read_docx_paragraphs(path))
    reader = read_odt if suffix == ".odt" else read_text
    try:
        raw = reader(path).text  # text: UTF-8, else cp1252 with a warning
    except CorpusError:
        if reader is read_text:
            raise ReviewError(
                f"{path.name}: looks like a binary file, not a text report; pass the report "
                "as .pdf, .docx, .odt, .md or .txt"
            ) from None
        raise ReviewError(
            f"{path.name}: not a readable {suffix} file; open and re-save it "
            f"({'Word' if suffix == '.docx' else 'LibreOffice'}), or export it as .txt"
        ) from None
    if suffix == ".odt":
        return _paragraphs_report(path, raw.split("\n\n"))
    return report_from_text(raw, path=str(path), known=known)


def _paragraphs_report(path: Path, paragraphs: Sequence[str]) -> ReportText:
    """A word-processor report: one block per non-empty paragraph, numbered from 1."""
    kept = [clean_paragraph(normalise(p)) for p in paragraphs if p.strip()]
    blocks = [Line(n, p) for n, p in enumerate((p for p in kept if p.strip()), start=1)]
    if not blocks:
        raise ReviewError(f"{path.name}: the report has no text; pass a draft report with text")
    return _assemble(str(path), blocks, "\n\n", removed=0, paragraphs=True)
