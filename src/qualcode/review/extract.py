"""Finding quotes in a report's text: passages between double quotation marks.

Straight (``"``), curly (``“ ”``), Dutch low-high (``„ ”``) and guillemets
(``« »``) all count, also when the opening and closing marks differ in style.
Whether a mark opens or closes is read from its neighbours (an opening mark
has text on its right and space or punctuation on its left); a quotation
mark of another style inside an open quote opens a nested quote. Single
quotes inside a double-quoted passage belong to it; outside one, a passage in
single quotes (‘…’, for reports that quote that way) counts like one in
double quotes, so a short one is a term ('race to the bottom'). A quote does
not run over a paragraph break; one left open is reported in the notes, not
checked.

Inside a quote, ``[…]``, ``[...]``, ``(…)`` and a bare ``…`` or ``...`` mark
left-out text; any other ``[bracketed text]`` is the author's insertion.
Passages with fewer than *min_words* spoken words are terms, not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qualcode.corpus.model import count_words
from qualcode.review.reading import ReportText

__all__ = ["DraftQuote", "QuotePart", "QuoteScan", "QuotedTerm", "find_quotes", "parse_quote"]

PartKind = Literal["said", "elision", "insertion"]

_STYLE = {
    '"': "straight",
    "″": "straight",
    "“": "curly",
    "”": "curly",
    "„": "curly",
    "‟": "curly",
    "«": "guillemet",
    "»": "guillemet",
}
_MARKS = re.compile(r"[\"″“”„‟«»]|\n[ \t]*\n")
_OPEN_LEFT = set("([{—–-/:;‘'*_") | set(_STYLE)
_CLOSE_RIGHT = set(".,;:!?)]}[…—–-’'*_¹²³⁴⁵⁶⁷⁸⁹⁰") | set(_STYLE)
_SINGLE = re.compile(r"[‘’']|\n[ \t]*\n")
_CONTRACTION = re.compile(r"(?:t|s|n|k|\d\d)(?!\w)", re.IGNORECASE)
_GAP = re.compile(
    r"(?P<elision>[\[(]\s*(?:…|\.{2,4})\s*[\])]|…|\.{3,4})|(?P<insertion>\[[^\[\]]*\])"
)
_SPACE = re.compile(r"\s+")
#: Longest a quote may be (characters) before it is taken for a mark left open.
MAX_QUOTE_CHARS = 6000


@dataclass(frozen=True)
class QuotePart:
    """A piece of a quote: words said, a gap for left-out text, or the author's insertion."""

    kind: PartKind
    text: str


@dataclass(frozen=True)
class DraftQuote:
    """A quoted passage of a report.

    ``text`` is the passage as written (page furniture removed, line breaks and
    hyphenation undone); ``start``/``end`` span it, quotation marks included, in
    the report's clean text; ``line`` is the report line (or ``.docx``
    paragraph) where it opens; ``page`` and ``page_line`` (1-based) where it
    opens in a report with pages (a PDF, or text with form feeds), else None.
    """

    text: str
    line: int
    start: int
    end: int
    parts: tuple[QuotePart, ...]
    page: int | None = None
    page_line: int | None = None

    @property
    def said(self) -> tuple[str, ...]:
        """The pieces of the quote that claim to be the respondent's words, in order."""
        return tuple(p.text for p in self.parts if p.kind == "said")

    @property
    def words(self) -> int:
        """Number of words the quote claims were said (insertions not counted)."""
        return sum(count_words(p.text) for p in self.parts if p.kind == "said")

    @property
    def elided(self) -> bool:
        """Whether the quote leaves text out (``[…]``)."""
        return any(p.kind == "elision" for p in self.parts)


@dataclass(frozen=True)
class QuotedTerm:
    """A short passage in quotation marks: a term or title, not a quote."""

    text: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class QuoteScan:
    """What :func:`find_quotes` found: quotes, terms, and notes on marks it could not pair."""

    quotes: tuple[DraftQuote, ...]
    terms: tuple[QuotedTerm, ...]
    notes: tuple[str, ...]


def parse_quote(text: str) -> tuple[QuotePart, ...]:
    """Split the inside of a quote into said text, elisions and insertions."""
    text = _SPACE.sub(" ", text.replace("\u00ad", "")).strip()
    parts: list[QuotePart] = []
    pos = 0
    for m in _GAP.finditer(text):
        said = text[pos : m.start()].strip()
        if count_words(said):
            parts.append(QuotePart("said", said))
        kind: PartKind = "elision" if m.group("elision") else "insertion"
        parts.append(QuotePart(kind, m.group()))
        pos = m.end()
    tail = text[pos:].strip()
    if count_words(tail):
        parts.append(QuotePart("said", tail))
    return tuple(parts)


def _roles(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at *i* can open and whether it can close a quote, from its neighbours.

    „ and « only open, » only closes; any other mark opens with text on its
    right and space or an opening bracket on its left, and closes with text on
    its left and space or punctuation on its right.
    """
    mark = text[i]
    if mark in "„«»":
        return mark != "»", mark == "»"
    right = text[i + 1] if i + 1 < len(text) else " "
    left = text[i - 1] if i > 0 else " "
    can_open = not right.isspace() and (left.isspace() or left in _OPEN_LEFT)
    can_close = not left.isspace() and (right.isspace() or right in _CLOSE_RIGHT)
    return can_open, can_close


def find_quotes(report: ReportText, *, min_words: int = 6) -> QuoteScan:
    """The quotes (and terms) of *report*, in reading order.

    A passage with fewer than *min_words* said words is a term. Marks that
    cannot be paired (a quote left open at a paragraph break, a stray closing
    mark) are described in ``notes``, each naming its report line.
    """
    text = report.text
    quotes: list[DraftQuote] = []
    terms: list[QuotedTerm] = []
    notes: list[str] = []
    stack: list[int] = []  # positions of open marks; stack[0] is the outer quote

    def unclosed(at: int, why: str) -> None:
        where = "paragraph" if report.paragraph_numbers else "line"
        notes.append(
            f"{where} {report.line_at(at)}: quotation mark {text[at]} opens a passage that "
            f"{why}; not checked (add the closing mark)"
        )

    def close(at: int, end: int) -> None:
        inner = text[at + 1 : end]
        parts = parse_quote(inner)
        line = report.line_at(at)
        written = _SPACE.sub(" ", inner.replace("\u00ad", "")).strip()
        page, page_line = report.page_at(at) or (None, None)
        quote = DraftQuote(written, line, at, end + 1, parts, page, page_line)
        if quote.words >= min_words:
            quotes.append(quote)
        else:
            terms.append(QuotedTerm(written, line, at, end + 1))

    for m in _MARKS.finditer(text):
        i = m.start()
        if m.group().startswith("\n"):  # a paragraph break ends every open quote
            if stack:
                unclosed(stack[0], "does not close before the paragraph ends")
            stack.clear()
            continue
        can_open, can_close = _roles(text, i)
        if not stack:
            if can_open:
                stack.append(i)
            continue
        if i - stack[0] > MAX_QUOTE_CHARS:
            unclosed(stack[0], f"runs on for more than {MAX_QUOTE_CHARS} characters")
            stack = [i] if can_open else []
            continue
        if can_close:
            opened = stack.pop()
            if not stack:
                close(opened, i)
        elif can_open and _STYLE[text[i]] != _STYLE[text[stack[-1]]]:
            stack.append(i)  # a quote inside the quote
        elif can_open:
            unclosed(stack[0], "is opened again before it closes")
            stack = [i]
    if stack:
        unclosed(stack[0], "does not close before the report ends")
    taken = [(q.start, q.end) for q in quotes] + [(t.start, t.end) for t in terms]
    for at, end in _single_quoted(text, taken):
        close(at, end)
    quotes.sort(key=lambda q: q.start)
    terms.sort(key=lambda t: t.start)
    return QuoteScan(tuple(quotes), tuple(terms), tuple(notes))


def _single_quoted(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(opening, closing)`` mark positions of passages in single quotes outside *taken*.

    Some reports quote with single quotes (‘…’). An opening mark has space or
    a bracket on its left and a letter or digit on its right, and is no
    contraction (``’t``, ``’s``, ``'90``); a closing mark has no space on its
    left and space or punctuation on its right (so ``zo’n`` and ``auto’s``
    are apostrophes). Unpaired marks are apostrophes too: no note.
    """
    spans: list[tuple[int, int]] = []
    ends = sorted(taken)
    k = 0
    opened: int | None = None
    for m in _SINGLE.finditer(text):
        i = m.start()
        if m.group().startswith("\n"):
            opened = None
            continue
        while k < len(ends) and ends[k][1] <= i:
            k += 1
        if k < len(ends) and ends[k][0] <= i:
            opened = None  # inside a double-quoted passage: nested, not ours
            continue
        left = text[i - 1] if i else " "
        right = text[i + 1] if i + 1 < len(text) else " "
        closes = not left.isspace() and (right.isspace() or right in _CLOSE_RIGHT)
        if opened is not None and closes and m.group() in "’'":
            spans.append((opened, i))
            opened = None
            continue
        if (
            m.group() in "‘'"
            and (left.isspace() or left in "([{")
            and right.isalnum()
            and not _CONTRACTION.match(text, i + 1)
        ):
            opened = i
    return spans
