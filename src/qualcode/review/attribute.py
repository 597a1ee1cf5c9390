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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

import yaml

from qualcode.review.extract import Quote
from qualcode.review.names import OrganisationNames

__all__ = ["Attribution", "attribute_quotes"]

Kind = Literal["respondent", "document", "none"]

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[:;,()\[\]]")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s+[\"“„‘'«A-ZÀ-Ý]|\s*$)|\n[ \t>]*\n")
_CLOSED = re.compile(r"[.!?…]\W*$")
_PARA_BREAK = re.compile(r"\n[ \t>]*\n")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}[a-z]?\b")
_PAGE = re.compile(r"\b(?:p|pp|blz|pag)\.\s*\d+|\bpagina\s+\d+", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\s*(?:\[\^?\w{1,8}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_SKIP_AFTER_ORG = frozenset(
    {
        "zelf",
        "ook",
        "hier",
        "daar",
        "daarover",
        "hierover",
        "is",
        "was",
        "zijn",
        "waren",
        "niet",
        "erg",
        "zeer",
        "heel",
        "nogal",
        "wel",
        "daarbij",
        "bovendien",
        "echter",
        "dan",
        "nu",
        "toen",
    }
)
_INTERVIEW = frozenset(
    {
        "interview",
        "gesprek",
        "gespreksverslag",
        "interviewverslag",
        "respondent",
        "geïnterviewde",
        "geinterviewde",
    }
)
_AFTER_OPENERS = frozenset({"aldus", "volgens", "zo", "zegt", "meent", "vindt", "stelt"})


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


#: Phrases by their first word, longest first.
Phrases = Mapping[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class _Cues:
    speech: frozenset[str]
    markers: Phrases
    respondent_nouns: frozenset[str]
    document_verbs: Phrases
    document_nouns: Phrases
    citations: frozenset[str]
    content: frozenset[str]
    continuation: Phrases
    articles: frozenset[str]


@cache
def _cues(language: str = "nl") -> _Cues:
    data = yaml.safe_load(
        resources.files("qualcode.data").joinpath("quote_cues.yaml").read_text(encoding="utf-8")
    )[language]

    def phrases(key: str) -> Phrases:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for p in sorted((tuple(p.split()) for p in data[key]), key=len, reverse=True):
            by_first.setdefault(p[0], []).append(p)
        return MappingProxyType({k: tuple(v) for k, v in by_first.items()})

    return _Cues(
        speech=frozenset(data["speech"]),
        markers=phrases("speaker_markers"),
        respondent_nouns=frozenset(data["respondent_nouns"]),
        document_verbs=phrases("document_verbs"),
        document_nouns=phrases("document_nouns"),
        citations=frozenset(c.rstrip(".") for c in data["citations"]),
        content=frozenset(data["content_words"]),
        continuation=phrases("continuation"),
        articles=frozenset(data["articles"]),
    )


@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "org", "punct"
    norm: str
    start: int
    end: int
    org: str | None = None
    written: str = ""


def _tokens(text: str, start: int, end: int, names: OrganisationNames) -> list[_Tok]:
    mentions = names.find(text, start, end)
    out: list[_Tok] = []
    pos = start
    for m in [*mentions, None]:
        stop = m.start if m is not None else end
        for t in _TOKEN.finditer(text, pos, stop):
            word = t.group()
            kind = "punct" if len(word) == 1 and not word.isalnum() else "word"
            out.append(
                _Tok(kind, word.lower().rstrip(".") if kind == "word" else word, t.start(), t.end())
            )
        if m is not None:
            out.append(_Tok("org", "", m.start, m.end, m.organisation, m.written))
            pos = m.end
    return out


def _phrase_at(toks: Sequence[_Tok], i: int, phrases: Phrases) -> int:
    """Length of the phrase of *phrases* that starts at token *i* (0 when none)."""
    if toks[i].kind != "word":
        return 0
    for p in phrases.get(toks[i].norm, ()):
        if i + len(p) <= len(toks) and all(
            toks[i + k].kind == "word" and toks[i + k].norm == w for k, w in enumerate(p)
        ):
            return len(p)
    return 0


def _phrase_before(toks: Sequence[_Tok], i: int, phrases: Phrases) -> bool:
    """Whether a phrase of *phrases* ends right before token *i*."""
    return any(_phrase_at(toks, j, phrases) == i - j for j in range(max(0, i - 4), i))


@dataclass(frozen=True)
class _Found:
    kind: Kind
    organisation: str | None
    mention: str
    pos: int  # where the cue is, in report text
    score: int


class _Reader:
    """Reads cues from token runs of one report."""

    def __init__(self, text: str, names: OrganisationNames, cues: _Cues) -> None:
        self.text, self.names, self.cues = text, names, cues

    def _prev_word(self, toks: Sequence[_Tok], i: int) -> int:
        j = i - 1
        while j >= 0 and toks[j].kind == "word" and toks[j].norm in self.cues.articles:
            j -= 1
        return j

    def _content_from(self, toks: Sequence[_Tok]) -> int:
        """Index where the talked-about part starts.

        That is the first subordinator or preposition (``dat``, ``hoe``, ``over``,
        ``op`` ...) after a verb of saying: ``vertelt dat de VNG ...``, ``wijst op
        de rol van de VNG``.
        """
        seen_verb = False
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            if t.norm in self.cues.speech:
                seen_verb = True
            elif seen_verb and t.norm in self.cues.content:
                return i
        return len(toks)

    def _is_content(self, toks: Sequence[_Tok], i: int, content_from: int) -> bool:
        j = self._prev_word(toks, i)
        if _phrase_before(toks, j + 1, self.cues.markers):
            return False  # "volgens de VNG", "in het gesprek met de VNG"
        if i >= content_from:
            return True
        return j >= 0 and toks[j].kind == "word" and toks[j].norm in self.cues.content

    def _documents(self, toks: Sequence[_Tok], content_from: int) -> list[int]:
        """Indices of document cues that are not merely talked about."""
        out = []
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            cited = t.norm in self.cues.citations or _phrase_at(toks, i, self.cues.document_verbs)
            named = _phrase_at(toks, i, self.cues.document_nouns) and not self._is_content(
                toks, i, content_from
            )
            if cited or named:
                out.append(i)
        return out

    def _has_cue(self, toks: Sequence[_Tok]) -> bool:
        return any(
            t.kind == "word"
            and (
                t.norm in self.cues.speech
                or t.norm in self.cues.respondent_nouns
                or _phrase_at(toks, i, self.cues.markers)
            )
            for i, t in enumerate(toks)
        ) or bool(toks and toks[-1].norm == ":")

    def _org_score(self, toks: Sequence[_Tok], i: int) -> int:
        cues = self.cues
        j = self._prev_word(toks, i)
        if _phrase_before(toks, j + 1, cues.markers):
            return 5
        if j >= 0 and toks[j].norm in {"van", "bij", "uit", "binnen", "vanuit", "namens"}:
            k = self._prev_word(toks, j)
            if k >= 0 and toks[k].norm in cues.respondent_nouns:
                return 4
        k = i + 1
        while k < len(toks) and toks[k].kind == "word" and toks[k].norm in _SKIP_AFTER_ORG:
            k += 1
        if k < len(toks) and toks[k].kind == "word" and toks[k].norm in cues.speech:
            return 4
        if any(t.kind == "word" and t.norm in cues.speech for t in toks[max(0, i - 4) : i]):
            return 3
        rest = toks[i + 1 :]
        if rest and rest[-1].norm == ":" and len(rest) <= 4:
            return 3
        return 1

    def lead(self, start: int, end: int, *, min_score: int = 1) -> list[_Found]:
        """Cues in the lead-in ``text[start:end]`` (nearest the quote last)."""
        toks = _tokens(self.text, start, end, self.names)
        if not toks:
            return []
        content_from = self._content_from(toks)
        documents = self._documents(toks, content_from)
        found = [_Found("document", None, "", toks[i].end, 9) for i in documents]
        if not self._has_cue(toks):
            return found
        for i, t in enumerate(toks):
            if t.kind == "org" and not self._is_content(toks, i, content_from):
                score = self._org_score(toks, i)
                if score >= min_score:
                    found.append(_Found("respondent", t.org, t.written, t.end, score))
        if not any(f.organisation for f in found):
            found.append(_Found("respondent", None, "", start, 0))
        return found

    def after(self, start: int, end: int, *, closed: bool) -> tuple[list[_Found], int]:
        """Cues right after a quote, in ``text[start:end]`` (up to the sentence end).

        *closed* says the quote ended its sentence (``moordend.”``): then only a
        reference right after it counts (``(VWN)``, ``[1]``), or a sentence that
        opens with ``Aldus``. Returns the cues and where the attributing words end.
        """
        note = _FOOTNOTE.match(self.text, start, end)
        if note:  # a footnote marker: [1], [^3], ²
            return [_Found("document", None, "", start, 9)], note.end()
        toks = _tokens(self.text, start, end, self.names)
        i = 0
        while i < len(toks) and toks[i].norm in {",", ";", ":"}:
            i += 1
        if i < len(toks) and toks[i].norm in {"(", "["}:
            close = next((k for k in range(i, len(toks)) if toks[k].norm in {")", "]"}), len(toks))
            inner = toks[i + 1 : close]
            stop = toks[close].end if close < len(toks) else end
            raw = self.text[toks[i].start : stop]
            at = toks[i].start
            orgs = [t for t in inner if t.kind == "org"]
            if orgs and any(t.norm in _INTERVIEW for t in inner):  # (interview VNG, 2023)
                return [_Found("respondent", orgs[0].org, orgs[0].written, at, 5)], stop
            if (
                _YEAR.search(raw)
                or _PAGE.search(raw)
                or _FOOTNOTE.match(raw)
                or any(
                    t.norm in self.cues.citations or _phrase_at(inner, k, self.cues.document_nouns)
                    for k, t in enumerate(inner)
                )
            ):
                return [_Found("document", None, "", at, 9)], stop
            if orgs:
                return [_Found("respondent", orgs[0].org, orgs[0].written, at, 5)], stop
            if any(t.norm in self.cues.respondent_nouns for t in inner):
                return [_Found("respondent", None, "", at, 0)], stop
            i = close + 1
            while i < len(toks) and toks[i].norm in {",", ";"}:
                i += 1
        if i >= len(toks) or toks[i].kind != "word" or closed and toks[i].norm != "aldus":
            return [], start
        first = toks[i].norm
        if not (first in _AFTER_OPENERS or first in self.cues.speech):
            return [], start
        clause = toks[i:]
        at = toks[i].start
        content_from = self._content_from(clause)
        if self._documents(clause, content_from):
            return [_Found("document", None, "", at, 9)], end
        for k, t in enumerate(clause):
            if t.kind == "org" and not self._is_content(clause, k, content_from):
                return [_Found("respondent", t.org, t.written, at, 5)], end
        if first == "zo" and not (len(clause) > 1 and clause[1].norm in self.cues.speech):
            return [], start
        return [_Found("respondent", None, "", at, 0)], end

    def continues(self, start: int, end: int) -> bool:
        """Whether the lead-in says the previous speaker goes on (``Dezelfde ... vervolgt:``)."""
        toks = _tokens(self.text, start, end, self.names)
        return not any(t.kind == "org" for t in toks) and any(
            _phrase_at(toks, i, self.cues.continuation) for i in range(len(toks))
        )


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence that contains *pos* (not before *lo*)."""
    start = lo
    for end in _SENTENCE_END.finditer(text, lo, pos):
        start = end.end()
    while start < pos and text[start] in " \t\n>":
        start += 1
    note = _FOOTNOTE.match(text, start, pos)
    return _sentence_start(text, note.end(), pos) if note and note.end() > start else start


def _sentence_end(text: str, pos: int, hi: int) -> int:
    m = _SENTENCE_END.search(text, pos, hi)
    return m.end() if m else hi


def _best(found: Sequence[_Found], *, before: int, after: int) -> _Found | None:
    """The nearest cue that names an organisation or a document, else a bare respondent cue."""

    def distance(f: _Found) -> int:
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
    text: str, quotes: Sequence[Quote], names: OrganisationNames, *, language: str = "nl"
) -> list[Attribution]:
    """The attribution of each quote of *quotes* (found in *text*), in the same order."""
    reader = _Reader(text, names, _cues(language))
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
        following, s1 = reader.after(q.end, s1, closed=closed)
        found = reader.lead(s0, q.start) + following
        best = _best(found, before=q.start, after=q.end)
        if best is not None and (best.organisation is not None or best.kind == "document"):
            where = "before" if best.pos <= q.start else "after"
            words = text[s0 : q.start] if where == "before" else text[q.end : s1]
            out.append(Attribution(best.kind, best.organisation, _clip(words), best.mention, where))
            continue
        if k and out and reader.continues(s0, q.start) and out[-1].kind == "respondent":
            prev = out[-1]
            out.append(
                Attribution(
                    "respondent",
                    prev.organisation,
                    _clip(text[s0 : q.start]),
                    prev.mention,
                    "continued",
                )
            )
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


def _previous(reader: _Reader, text: str, lo: int, para: int, s0: int) -> Attribution | None:
    """A clear speaker cue in the two sentences before *s0* (or the lead-in paragraph)."""
    end = s0
    floor = para
    if s0 == para and para > lo:
        # the quote opens its paragraph: read the previous paragraph's last sentence,
        # when it leads in with a colon
        prev_end = para
        while prev_end > lo and text[prev_end - 1] in " \t\n>":
            prev_end -= 1
        if prev_end <= lo or text[prev_end - 1] != ":":
            return None
        end = prev_end
        floor = max((m.end() for m in _PARA_BREAK.finditer(text, lo, prev_end)), default=lo)
        start = _sentence_start(text, floor, end - 1)
        found = reader.lead(start, end)
        best = _best(found, before=end, after=end)
        if best is None or (best.organisation is None and best.kind != "document"):
            return None
        return Attribution(
            best.kind, best.organisation, _clip(text[start:end]), best.mention, "previous"
        )
    for _ in range(2):
        if end <= floor:
            return None
        start = _sentence_start(text, floor, max(floor, end - 1))
        found = [f for f in reader.lead(start, end, min_score=3) if f.score >= 3]
        best = _best(found, before=end, after=end)
        if best is not None:
            return Attribution(
                best.kind, best.organisation, _clip(text[start:end]), best.mention, "previous"
            )
        end = start
    return None
