"""Who a quote is attributed to, read from the words around it.

For each quote the checker reads, in this order of preference:

1. the same sentence: the lead-in before the quote (``Zo stelt een respondent
   van Divosa:``) and what follows it (``(VWN).``, ``, zo vertelt de VNG.``,
   ``, aldus Divosa.``); of the cues found there the nearest one that names an
   organisation or a document wins;
2. a continuation (``Dezelfde respondent vervolgt:``): the previous quote's
   attribution;
3. up to two previous sentences of the paragraph (or the last sentence of the
   previous paragraph when it ends in a colon), when they name a speaker
   clearly (``De VNG is kritisch.``).

An organisation is the speaker when it is named as such: after ``volgens``,
``namens``, ``in de woorden van``; after a respondent noun (``een respondent
van``); as the subject or inverted subject of a verb of saying; in a
parenthesis after the quote; before a colon that opens the quote. An
organisation after a subordinator (``vertelt dat de VNG ...``) or a preposition
such as ``over`` is what is talked about, and never one named inside the quote.
A document reference (a letter, a plan, ``ibid.``, a page, a year in
parentheses, ``[1]``) makes the quote a document quote: unattributed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.review.cues import (
    FOOTNOTE_MARK,
    AttributionCue,
    CueReader,
    Kind,
    cue_tokens,
    load_cues,
)
from qualcode.review.extract import DraftQuote
from qualcode.review.names import OrganisationNames

__all__ = ["Attribution", "attribute_quotes"]

_SENTENCE_END = re.compile(
    r"[.!?…][\"”’»)\]*_]*(?=\s+[*_]*[\"“„‘'«A-ZÀ-Ý]|\s*$)|\n[ \t>]*\n"
    r"|(?<=[.!?:*])\n(?=[ \t]*(?:\d{1,2}[.)]|[-*+•])[ \t]+[*_]*[\"“„‘'«A-ZÀ-Ý])"
    r"|(?<=[\"”»])[ \t]*\([^()\n]{1,80}\)(?=\s+[*_]*[\"“„‘'«A-ZÀ-Ý])"
)
_CLOSED = re.compile(r"[.!?…]\W*$")
_PARA_BREAK = re.compile(r"\n[ \t>]*\n")


@dataclass(frozen=True)
class Attribution:
    """Who a quote is attributed to.

    *kind* is ``respondent`` (an interviewee: *organisation* set when the words
    name one of the respondents' organisations), ``document`` or ``none``;
    *text* the words that attribute it, as written; *mention* how the
    organisation is named there; *where* ``before``, ``after``, ``previous``
    (an earlier sentence) or ``continued`` (from the previous quote).
    """

    kind: Kind
    organisation: str | None = None
    text: str = ""
    mention: str = ""
    where: str = ""


NONE = Attribution("none")


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence that contains *pos* (not before *lo*)."""
    start = lo
    for end in _SENTENCE_END.finditer(text, lo, pos):
        start = end.end()
    while start < pos and text[start] in " \t\n>":
        start += 1
    note = FOOTNOTE_MARK.match(text, start, pos)
    return _sentence_start(text, note.end(), pos) if note and note.end() > start else start


def _sentence_end(text: str, pos: int, hi: int) -> int:
    m = _SENTENCE_END.search(text, pos, hi)
    return m.end() if m else hi


def _best(found: Sequence[AttributionCue], *, before: int, after: int) -> AttributionCue | None:
    """The nearest cue that names an organisation or a document, else a bare respondent cue."""

    def distance(f: AttributionCue) -> int:
        return before - f.pos if f.pos <= before else f.pos - after

    named = [f for f in found if f.organisation is not None or f.kind == "document"]
    if named:
        top = (
            max(f.score for f in named if f.kind == "respondent")
            if any(f.kind == "respondent" for f in named)
            else 0
        )
        strong = [f for f in named if f.kind == "document" or f.score >= min(top, 3)]
        return min(strong, key=distance)
    return found[0] if found else None


def _clip(text: str) -> str:
    text = " ".join(text.split()).lstrip(",;:—– ")
    return text if len(text) <= 160 else "…" + text[-159:]


def attribute_quotes(
    text: str, quotes: Sequence[DraftQuote], names: OrganisationNames, *, language: str = "nl"
) -> list[Attribution]:
    """The attribution of each quote of *quotes* (found in *text*), in the same order."""
    reader = CueReader(text, names, load_cues(language))
    out: list[Attribution] = []
    for k, q in enumerate(quotes):
        lo = quotes[k - 1].end if k else 0
        hi = quotes[k + 1].start if k + 1 < len(quotes) else len(text)
        para = max((m.end() for m in _PARA_BREAK.finditer(text, lo, q.start)), default=lo)
        s0 = _sentence_start(text, para, q.start)
        s1 = _sentence_end(text, q.end, hi)
        # a quote that ends its sentence ("moordend.”) takes no cue from what follows,
        # unless a comma carries the sentence on ("moordend.”, aldus Divosa)
        closed = bool(_CLOSED.search(q.text)) and text[q.end : q.end + 1] not in (",", ";")
        # "“…?” vragen de G4 zich af": a lower-case word after the quote goes on with its sentence
        closed = closed and not text[q.end : q.end + 3].lstrip(" \t\n")[:1].islower()
        following, s1 = reader.after(q.end, s1, closed=closed)
        found = reader.lead(s0, q.start) + following
        best = _best(found, before=q.start, after=q.end)
        lead = _colon_lead(text, lo, para, s0)
        refer = (
            reader.refers_back(s0, q.start)
            or reader.refers_back(q.end, s1)
            or (lead is not None and reader.refers_back(*lead))
        )
        named = best is not None and (best.organisation is not None or best.kind == "document")
        weak = refer and best is not None and best.kind == "respondent" and best.score < 3
        if best is not None and named and not weak:
            where = "before" if best.pos <= q.start else "after"
            words = text[s0 : q.start] if where == "before" else text[q.end : s1]
            out.append(Attribution(best.kind, best.organisation, _clip(words), best.mention, where))
            continue
        continued = reader.continues(s0, q.start) or reader.continues(q.end, s1)
        if k and out and continued and out[-1].kind == "respondent":
            prev = out[-1]
            words = text[s0 : q.start] if reader.continues(s0, q.start) else text[q.end : s1]
            prev_org, mention = prev.organisation, prev.mention
            out.append(Attribution("respondent", prev_org, _clip(words), mention, "continued"))
            continue
        label = (
            _row_cell(reader, text, q, hi)
            or _cell_column(reader, text, q)
            or _label(reader, text, lo, q)
            if best is None or best.organisation is None
            else None
        )
        if label is not None:
            out.append(label)
            continue
        colon = _previous(reader, text, lo, para, s0) if lead is not None else None
        if colon is not None and colon.organisation is not None:
            out.append(colon)
            continue
        after = _speaker_after(reader, text, q, s0, s1, hi, para)
        if after is not None:
            out.append(after)
            continue
        if refer:
            at = lead[0] if lead is not None else s0
            floor = lead[0] if lead is not None else para
            back = _refer_back(reader, text, lo, floor, at, out[-1] if out else None)
            if back is not None:
                out.append(back)
                continue
        earlier = _previous(reader, text, lo, para, s0)
        if earlier is not None:
            out.append(earlier)
            continue
        if best is not None:
            where = "before" if best.pos <= q.start else "after"
            words = text[s0 : q.start] if where == "before" else text[q.end : s1]
            out.append(Attribution("respondent", None, _clip(words), "", where))
        else:
            out.append(NONE)
    return out


def _speaker_after(
    reader: CueReader, text: str, q: DraftQuote, s0: int, s1: int, hi: int, para: int
) -> Attribution | None:
    """The sentence after the quote's, when it names the quote's speaker (``De VNG erkent …``).

    A quote that stands alone in its paragraph (a block quote) may take the
    first sentence of the next paragraph.
    """
    start = s1
    while start < hi and text[start] in " \t>":
        start += 1
    if _PARA_BREAK.match(text, start):
        alone = _opens_paragraph(text, para, s0) and not text[q.end : s1].strip(' \t.,;:”"’»)')
        if not alone:
            return None
        while start < hi and text[start] in " \t\n>":
            start += 1
    while start < hi and text[start] in " \t\n>":
        start += 1
    if start >= hi:
        return None
    end = _sentence_end(text, start, hi)
    if end >= hi and hi < len(text):
        return None  # the sentence leads in to the next quote: it is that quote's
    f = reader.speaker_sentence(start, end)
    if f is None:
        return None
    return Attribution("respondent", f.organisation, _clip(text[start:end]), f.mention, "after")


def _refer_back(
    reader: CueReader, text: str, lo: int, para: int, s0: int, prev: Attribution | None
) -> Attribution | None:
    """The organisation a back reference (``De respondent vertelt:``) points to.

    Read are up to four sentences before the quote, back to the start of the
    previous paragraph (never into the previous quote): the nearest sentence
    that names an organisation gives it, its subject first. Without one, the
    previous quote's organisation.
    """
    floor = max((m.end() for m in _PARA_BREAK.finditer(text, lo, max(lo, para - 1))), default=lo)
    end = s0
    read = 0
    while read < 4 and end > floor:
        start = _sentence_start(text, floor, max(floor, end - 1))
        toks = cue_tokens(text, start, end, reader.names)
        if not any(t.kind != "punct" for t in toks):
            end = start
            continue
        read += 1
        orgs = [i for i, t in enumerate(toks) if t.kind == "org" and t.org is not None]
        if orgs:
            first = next((i for i, t in enumerate(toks) if t.norm not in {"ook", "en"}), 0)
            i = max(orgs, key=lambda i: (5 if i == first else reader._org_score(toks, i), i))
            t = toks[i]
            return Attribution("respondent", t.org, _clip(text[start:end]), t.written, "previous")
        end = start
    if prev is not None and prev.kind == "respondent" and prev.organisation is not None:
        return Attribution("respondent", prev.organisation, "", prev.mention, "continued")
    return None


def _opens_paragraph(text: str, para: int, s0: int) -> bool:
    while para < s0 and text[para] in " \t>":
        para += 1
    return para == s0


def _colon_lead(text: str, lo: int, para: int, s0: int) -> tuple[int, int] | None:
    """The lead-in sentence ending in a colon that closes the paragraph before the quote's.

    Only when the quote opens its paragraph (a block quote); else None.
    """
    if not _opens_paragraph(text, para, s0) or para <= lo:
        return None
    prev_end = para
    while prev_end > lo and text[prev_end - 1] in " \t\n>":
        prev_end -= 1
    if prev_end <= lo or text[prev_end - 1] != ":":
        return None
    floor = max((m.end() for m in _PARA_BREAK.finditer(text, lo, prev_end)), default=lo)
    return _sentence_start(text, floor, prev_end - 1), prev_end


def _previous(reader: CueReader, text: str, lo: int, para: int, s0: int) -> Attribution | None:
    """A clear speaker cue in the two sentences before *s0* (or the lead-in paragraph)."""
    end = s0
    floor = para
    if _opens_paragraph(text, para, s0) and para > lo:
        # the quote opens its paragraph: read the previous paragraph's last sentence,
        # when it leads in with a colon
        lead = _colon_lead(text, lo, para, s0)
        if lead is None:
            return None
        start, end = lead
        found = reader.lead(start, end)
        best = _best(found, before=end, after=end)
        if best is None or (best.organisation is None and best.kind != "document"):
            return None
        return Attribution(
            best.kind, best.organisation, _clip(text[start:end]), best.mention, "previous"
        )
    read = 0
    while read < 2:
        if end <= floor:
            return None
        start = _sentence_start(text, floor, max(floor, end - 1))
        if not text[start:end].strip(" \t\n>*_"):
            end = start
            continue
        read += 1
        found = [f for f in reader.lead(start, end, min_score=3) if f.score >= 3]
        best = _best(found, before=end, after=end)
        if best is not None:
            return Attribution(
                best.kind, best.organisation, _clip(text[start:end]), best.mention, "previous"
            )
        end = start
    return None


_CELL = " \t|>*_:–—-"


_MARKS = "\"“”„‘’'«»"


def _cells_before(text: str, pos: int, count: int) -> list[tuple[int, int]]:
    """Up to *count* non-empty lines (start, end) before the line that starts at *pos*."""
    out: list[tuple[int, int]] = []
    end = pos - 1
    while end > 0 and len(out) < count:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip(_CELL):
            out.append((start, end))
        end = start - 1
    return out


def _cell_after(text: str, pos: int) -> tuple[int, int] | None:
    """The first non-empty line after *pos* (start, end)."""
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].strip(_CELL):
            return pos, end
        pos = end + 1
    return None


def _lone_name(reader: CueReader, text: str, start: int, end: int) -> str | None:
    """The organisation when ``text[start:end]`` is only its bare name (a table cell)."""
    mentions = reader.names.find(text, start, end)
    if len(mentions) != 1 or mentions[0].organisation is None:
        return None
    m = mentions[0]
    if (text[start : m.start] + text[m.end : end]).strip(_CELL) or not m.written[:1].isupper():
        return None
    return m.organisation


def _cell_column(reader: CueReader, text: str, q: DraftQuote) -> Attribution | None:
    """A quote cell on its own line, its organisation cell on the next line.

    Text extracted from a table cell by cell (``“…”``, ``Pharos``, ``“…”``,
    ``MBO Raad``) is read by its first row: when the run of alternating
    quote and name lines starts with a quote, each name follows its quote;
    when it starts with a name, the name leads (see :func:`_label`).
    """
    line0 = text.rfind("\n", 0, q.start) + 1
    eol = text.find("\n", q.end)
    eol = len(text) if eol < 0 else eol
    if text[line0 : q.start].strip(_CELL + _MARKS) or text[q.end : eol].strip(_CELL + _MARKS):
        return None
    nxt = _cell_after(text, eol + 1)
    if nxt is None or (org := _lone_name(reader, text, *nxt)) is None:
        return None
    back = _cells_before(text, line0, 40)
    first_is_quote = True
    for k, (a, b) in enumerate(back):
        cell = text[a:b].strip(_CELL)
        is_name = _lone_name(reader, text, a, b) is not None
        is_quote = cell[:1] in _MARKS and cell[-1:] in _MARKS
        if k % 2 == 0 and is_name:
            first_is_quote = False  # so far the run starts with a name
        elif k % 2 == 1 and is_quote:
            first_is_quote = True
        else:
            break
    if not first_is_quote:
        return None
    return Attribution("respondent", org, _clip(text[nxt[0] : nxt[1]]), org, "after")


def _row_cell(reader: CueReader, text: str, q: DraftQuote, hi: int) -> Attribution | None:
    """An organisation standing alone after the quote, to the end of its line: a table row.

    ``| “…” | VNG |`` in a Markdown table, ``“…” VNG`` in PDF text of a table
    whose organisation column follows the quote's. A name with an article
    (``De VNG``) or a next line that goes on in lower case is running text.
    """
    eol = text.find("\n", q.end, hi)
    eol = hi if eol < 0 else eol
    mentions = reader.names.find(text, q.end, eol)
    if len(mentions) != 1 or mentions[0].organisation is None:
        return None
    m = mentions[0]
    if (text[q.end : m.start] + text[m.end : eol]).strip(_CELL) or not m.written[:1].isupper():
        return None
    if m.written.split()[0].lower() in {"de", "het", "een"}:
        return None
    nxt = text[eol:hi].lstrip(" \t\n>")
    if nxt[:1].islower():
        return None
    return Attribution("respondent", m.organisation, _clip(text[q.end : eol]), m.written, "after")


def _label(reader: CueReader, text: str, lo: int, q: DraftQuote) -> Attribution | None:
    """An organisation standing alone right before the quote: a table cell or a label.

    ``| VNG | “…” |`` in a Markdown table, a Word table's cell ``VNG`` followed
    by the quote's cell, a line ``VNG:`` above the quote.
    """
    line = text.rfind("\n", lo, q.start) + 1 or lo
    start, end = max(line, lo), q.start
    if not text[start:end].strip(_CELL):
        end = start
        while end > lo and text[end - 1] in " \t\n>|":
            end -= 1
        start = max(text.rfind("\n", lo, end) + 1, lo)
    mentions = reader.names.find(text, start, end)
    if len(mentions) != 1 or mentions[0].organisation is None:
        return None
    m = mentions[0]
    if (text[start : m.start] + text[m.end : end]).strip(_CELL):
        return None
    return Attribution("respondent", m.organisation, _clip(text[start:end]), m.written, "before")
