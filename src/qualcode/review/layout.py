"""Undoing the layout of extracted report text, detected from the text itself.

PDF extractors lay the same page out in different ways: ``pdftotext`` keeps
blank lines between blocks, ``-layout`` keeps columns side by side with runs of
spaces, ``-raw`` follows the content stream, some tools put an empty line after
every line (double-spaced output). Before quotes are looked for, the lines of
a report pass through here:

- characters: ligatures (``ﬁ`` ``ﬂ`` …) spelled out, non-breaking and thin
  spaces made spaces, zero-width characters dropped;
- columns: on a page where many lines have a gap of three or more spaces at
  one column position with text on both sides, the left column is read
  before the right one (only for the lines of that two-column region);
- double spacing: when nearly every line is followed by one empty line, a
  single empty line is no paragraph break (two or more are);
- footnotes: inline markers (``[^2]``, superscripts, a digit glued after a
  word's final punctuation: ``gemaakt.1``) are dropped; separator lines
  (``_____``) and, on a page of a PDF, the footnote text under them or at
  the page's foot are moved to the end of the report, so a quote that runs
  over a page break is not cut by them.

Every line keeps the number it had in the extracted text (a line split into
two columns gives two lines with one number), and its page when the text has
pages (form feeds ``\\f`` between pages, as ``pdftotext`` and the PDF reader
give them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

__all__ = ["Line", "clean_paragraph", "undo_layout"]

_DIGITS = re.compile(r"\d+")
_CHARS = str.maketrans(
    {
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200a": " ",
        "\t": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
#: Any character that ``_CHARS`` changes (most lines hold none: translating them is slow).
_ODD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHARS) + "]")
#: Footnote markers inside running text: ``[^2]``, superscript digits after a
#: letter or punctuation, and a digit glued to a word's final punctuation or
#: closing quotation mark (``gemaakt.1``, ``toe.”2``); never at a line's start.
_MARKER = re.compile(
    r"(?<=\S)\[\^\w{1,8}\]"
    r"|(?<=[^\W\d_]|[.,;:!?”\"’»)])[¹²³⁴⁵⁶⁷⁸⁹⁰]+"
    r"|(?<=[^\W\d_][.,;:!?])\d{1,2}(?=\s|$)"
    r"|(?<=[^\W\d_][.,;:!?][”\"’»])\d{1,2}(?=\s|$)"
    r"|(?<=[^\W\d_]{4}[”\"’»])\d{1,2}(?=\s|$)"
)
#: A quick test whether a line may hold a marker at all (most lines hold none).
_MAYBE_MARKER = re.compile(r"\[\^|[¹²³⁴⁵⁶⁷⁸⁹⁰]|[.,;:!?”\"’»)]\d")
_SEPARATOR = re.compile(r"\s*(?:[_‗]{3,}|[-–—=]{5,}|(?:\*\s*){3,}|[─━]{3,})\s*")
_FOOTNOTE_LINE = re.compile(r"\s*(?P<n>\d{1,2})\s+\S")
_GAP = re.compile(r" {3,}")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


@dataclass(frozen=True)
class Line:
    """A line of report text: its *number* in the extracted text, its *page* (0 when unknown)."""

    number: int
    text: str
    page: int = 0
    page_line: int = 0


def _pages(lines: Sequence[str]) -> list[list[Line]]:
    """The lines split at form feeds into pages (one page when there is none)."""
    pages: list[list[Line]] = [[]]
    has_pages = any("\f" in line for line in lines)
    for number, raw in enumerate(lines, start=1):
        pieces = raw.split("\f")
        for k, piece in enumerate(pieces):
            if k:
                pages.append([])
            if piece or k == len(pieces) - 1:
                page = len(pages) if has_pages else 0
                at = len(pages[-1]) + 1 if has_pages else 0
                if _ODD_CHARS.search(piece):
                    piece = piece.translate(_CHARS)
                pages[-1].append(Line(number, piece, page, at))
    return pages


def _gutter(lines: Sequence[Line]) -> int | None:
    """The column where a two-column region of *lines* splits, or None.

    That is the position most often inside a gap of three or more spaces with
    text on both sides, when at least four lines share it (whether they form
    a two-column region is decided by :func:`_split_columns`).
    """
    counts: dict[int, int] = {}
    for line in lines:
        text = line.text.rstrip()
        if "   " not in text or not text.strip():
            continue
        for m in _GAP.finditer(text):
            if m.start() == 0 or not text[: m.start()].strip():
                continue
            for c in range(m.start() + 1, m.end() - 1):
                counts[c] = counts.get(c, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    if best < 4:
        return None
    columns = [c for c, n in counts.items() if n == best]
    return columns[len(columns) // 2]


def _split_columns(page: list[Line], edges: set[str]) -> list[Line]:
    """A page with the two-column regions read left column first, then right.

    Running headers and footers (*edges*) are never part of a region. In a
    column, an empty row is a paragraph break only when the whole row is
    empty or the column stays empty for two rows (the columns' lines need
    not share rows).
    """
    column = _gutter(page)
    if column is None:
        return page

    def fits(x: Line) -> bool:
        text = x.text
        if " ".join(_DIGITS.sub("#", text).split()) in edges:
            return False
        return len(text) <= column or not text[column - 1 : column + 2].strip()

    def side(region: list[Line], cut: slice) -> list[Line]:
        parts = [x.text[cut].strip() for x in region]
        out = []
        for k, (x, part) in enumerate(zip(region, parts, strict=True)):
            if not part:
                whole = not x.text.strip()
                near = [parts[j] for j in (k - 1, k + 1) if 0 <= j < len(parts)]
                if not whole and all(near):
                    continue
            out.append(Line(x.number, part, x.page, x.page_line))
        return out

    out: list[Line] = []
    i = 0
    while i < len(page):
        j = i
        both = 0
        while j < len(page) and fits(page[j]):
            row = page[j].text
            both += bool(row[:column].strip() and row[column:].strip())
            j += 1
        if both >= 4 and _labels(page[i:j], column):
            out += _table_rows(page[i:j], column)
            i = j
        elif both >= 4:
            region = page[i:j]
            left = side(region, slice(None, column))
            right = side(region, slice(column, None))
            while left and not left[-1].text:
                left.pop()
            while right and not right[0].text:
                right.pop(0)
            out += left
            if left and right and left[-1].text.endswith((".", "!", "?", ":", '"', "”")):
                out.append(Line(right[0].number, "", right[0].page, right[0].page_line))
            out += right
            i = j
        else:
            out.append(page[i])
            i += 1
    return out


def _labels(region: Sequence[Line], column: int) -> bool:
    """Whether the left column of *region* holds labels (a table), not running text.

    Running text fills its column: most lines are about as long as the
    longest, and as the other column's; labels vary (``VNG``, ``Ministerie
    van OCW``) or are much shorter than the cells beside them.
    """
    widths = [len(x.text[:column].strip()) for x in region if x.text[:column].strip()]
    right = [len(x.text[column:].strip()) for x in region if x.text[column:].strip()]
    if not widths or not right:
        return False
    return median(widths) < 0.6 * max(widths) or median(widths) < 0.6 * median(right)


def _table_rows(region: Sequence[Line], column: int) -> list[Line]:
    """A table laid out in columns, row by row: each row's cells left to right.

    Rows are the groups of lines between empty lines; a cell is a piece of a
    line set off by three or more spaces, and belongs to the column whose left
    edge is nearest at or before its start (the edges are where pieces start).
    """
    pieces: list[tuple[int, int, str, Line]] = []  # (row, start, text, line)
    row = 0
    for x in region:
        if not x.text.strip():
            row += 1
            continue
        pos = 0
        for part in re.split(r"( {3,})", x.text):
            if part.strip() and not part.startswith("   "):
                pieces.append((row, pos + len(part) - len(part.lstrip()), part.strip(), x))
            pos += len(part)
    edges: list[int] = []
    for start in sorted({p[1] for p in pieces}):
        if not edges or start - edges[-1] > 2:
            edges.append(start)
    out: list[Line] = []
    for r in sorted({p[0] for p in pieces}):
        cells = [p for p in pieces if p[0] == r]
        for k in range(len(edges)):
            lo = edges[k]
            hi = edges[k + 1] if k + 1 < len(edges) else 10**6
            for _, _, text, x in (p for p in cells if lo - 1 <= p[1] < hi - 1):
                out.append(Line(x.number, text, x.page, x.page_line))
        last = cells[-1][3]
        out.append(Line(last.number, "", last.page, last.page_line))
    return out


def _blank(line: Line) -> bool:
    return not line.text.strip() and "\f" not in line.text


def _is_double_spaced(lines: Sequence[Line]) -> bool:
    """Whether nearly every line with text is followed by an empty line, in hard-wrapped text.

    Text with a paragraph per line (lines mostly longer than 150 characters)
    is not double-spaced: its empty lines are paragraph breaks.
    """
    filled = followed = 0
    widths = []
    for k, line in enumerate(lines[:-1]):
        if line.text.strip():
            filled += 1
            followed += _blank(lines[k + 1])
            widths.append(len(line.text.strip()))
    return filled >= 8 and followed >= 0.75 * filled and median(widths) <= 150


def _undouble(lines: list[Line]) -> list[Line]:
    """Double-spaced lines: one empty line dropped, two or more kept as one paragraph break.

    When the text has no run of two empty lines at all, a line that ends a
    sentence and is clearly shorter than the usual line ends its paragraph.
    """
    runs = []
    k = 0
    while k < len(lines):
        if not _blank(lines[k]):
            k += 1
            continue
        j = k
        while j < len(lines) and _blank(lines[j]):
            j += 1
        runs.append((k, j))
        k = j
    any_long = any(j - k >= 2 for k, j in runs)
    widths = [len(x.text.strip()) for x in lines if x.text.strip()]
    usual = median(widths) if widths else 0
    drop: set[int] = set()
    for k, j in runs:
        if j - k >= 2:
            drop.update(range(k + 1, j))
            continue
        before = lines[k - 1].text.strip() if k else ""
        short_end = (
            not any_long
            and before.endswith((".", "!", "?", ":", "”", '"'))
            and len(before) < 0.75 * usual
        )
        if not short_end:
            drop.add(k)
    return [x for k, x in enumerate(lines) if k not in drop]


def _footnote_tail(page: list[Line], markers: set[int]) -> int:
    """Index where the footnotes at the foot of *page* begin (``len(page)`` when none).

    A separator line (``_____``) in the lower part of the page starts them;
    without one, a line among the page's last ten that opens with a note
    number already used as a marker (``2 Zie voor …``, or ``2`` alone above
    the note's text) does.
    """
    filled = [k for k, x in enumerate(page) if x.text.strip()]
    for k in filled:
        if _SEPARATOR.fullmatch(page[k].text) and k >= len(page) // 3:
            return k
    top = max(markers, default=0)
    for n, k in enumerate(filled[-10:]):
        text = page[k].text.strip()
        m = _FOOTNOTE_LINE.match(text)
        alone = text.isdigit() and len(text) <= 2 and n + 1 < len(filled[-10:])
        number = int(m.group("n")) if m else int(text) if alone else 0
        if 1 <= number <= top and not text[-1:].isdigit() or alone and 1 <= number <= top:
            return k
    return len(page)


def _markers(text: str) -> tuple[str, set[int]]:
    """*text* without footnote markers, and the marker numbers it held."""
    found: set[int] = set()
    if not _MAYBE_MARKER.search(text):
        return text, found

    def drop(m: re.Match[str]) -> str:
        digits = m.group().strip("[]^").translate(str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890"))
        if digits.isdigit():
            found.add(int(digits))
        return ""

    return _MARKER.sub(drop, text), found


def _edge_lines(pages: Sequence[Sequence[Line]]) -> set[str]:
    """Lines (digits masked, spaces collapsed) at the top or foot of two pages or more."""
    seen: dict[str, int] = {}
    for page in pages:
        filled = [x.text for x in page if x.text.strip()]
        for key in {" ".join(_DIGITS.sub("#", x).split()) for x in filled[:3] + filled[-3:]}:
            seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n >= 2}


def clean_paragraph(text: str) -> str:
    """A paragraph of a word-processor report with ligatures, odd spaces and note markers undone."""
    return _markers(text.translate(_CHARS))[0]


def undo_layout(lines: Sequence[str]) -> list[Line]:
    """The lines of extracted text in reading order, layout undone (see the module docstring)."""
    pages = _pages(lines)
    paged = len(pages) > 1
    edges = _edge_lines(pages) if paged else set()
    body: list[Line] = []
    notes: list[Line] = []
    seen: set[int] = set()
    for page in pages:
        cleaned: list[Line] = []
        for x in page:
            text, found = _markers(x.text)
            seen |= found
            cleaned.append(Line(x.number, text, x.page, x.page_line))
        tail = _footnote_tail(cleaned, seen) if paged else len(cleaned)
        kept = _split_columns(cleaned[:tail], edges)
        for x in kept:
            if " " * 3 in x.text.strip():
                x = Line(x.number, _INNER_SPACES.sub(" ", x.text), x.page, x.page_line)
            if not _SEPARATOR.fullmatch(x.text):
                body.append(x)
        notes.extend(x for x in cleaned[tail:] if not _SEPARATOR.fullmatch(x.text))
        if paged:
            body.append(Line(0, "\f", 0, 0))
    if _is_double_spaced(body):
        body = _undouble(body)
    if notes:
        body += [Line(0, "", 0, 0), *notes]
    return body
