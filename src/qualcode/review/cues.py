"""Reading attribution cues in report text: the cue words, tokens and one reader of cues.

The cue words live in ``data/quote_cues.yaml``. :class:`CueReader` reads the
words of a stretch of report text as tokens (words, punctuation and
organisation names) and finds what they say about a quote's speaker: in a
lead-in, right after the quote, in a back reference, in the sentence after.
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

from qualcode.review.names import OrganisationNames

__all__ = ["FOOTNOTE_MARK", "AttributionCue", "CueReader", "Kind", "cue_tokens", "load_cues"]

Kind = Literal["respondent", "document", "none"]

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[:;,()\[\]]")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}[a-z]?\b")
_PAGE = re.compile(r"\b(?:p|pp|blz|pag)\.\s*\d+|\bpagina\s+\d+", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(r"\s*(?:\[\^?\w{1,8}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
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
        "men",
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
_DASH_BYLINE = re.compile(r"[ \t]*[–—-][ \t]*")
#: Prepositions that make an organisation the topic of a colon lead-in ("Voor de G40 …:").
_TOPIC = frozenset({"voor", "bij", "binnen", "door"})
_DEFINITE = frozenset({"de", "het", "deze", "die", "dit", "dat"})
_PRONOUNS = frozenset({"zij", "hij", "ze", "zich"})
_RELATIVE = frozenset({"dat", "die", "wat", "waar", "waarvan", "waarin"})
#: Nouns that refer back to an organisation named before ("De uitvoeringsorganisatie vertelt").
_ORG_NOUNS = frozenset(
    {
        "organisatie",
        "uitvoeringsorganisatie",
        "uitvoeringsorgaan",
        "orgaan",
        "uitvoerder",
        "vereniging",
        "koepel",
        "koepelorganisatie",
        "branchevereniging",
        "instelling",
        "stichting",
        "expertisecentrum",
        "kenniscentrum",
        "instituut",
        "dienst",
        "gemeente",
        "partij",
    }
)
#: Words that open a sentence pointing back at the quote before it ("Dat zegt de VNG").
_POINTING = frozenset({"dat", "dit", "zo", "met", "daarmee", "hiermee", "aldus", "die"})
#: Word ends that make a compound a document ("programmabrief", "stappenplan").
_DOCUMENT_ENDS = ("brief", "brieven", "plan", "plannen", "nota", "notitie", "rapport", "memo")
_AFTER_OPENERS = frozenset({"aldus", "volgens", "zo", "zegt", "meent", "vindt", "stelt"})


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
def load_cues(language: str = "nl") -> _Cues:
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


def cue_tokens(text: str, start: int, end: int, names: OrganisationNames) -> list[_Tok]:
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
class AttributionCue:
    kind: Kind
    organisation: str | None
    mention: str
    pos: int  # where the cue is, in report text
    score: int


class CueReader:
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
        if j >= 1 and toks[j].norm in {"van", "uit"} and self.document_noun(toks, j - 1):
            return True  # "de Kamerbrief van het ministerie": who wrote it, not who speaks
        return j >= 0 and toks[j].kind == "word" and toks[j].norm in self.cues.content

    def _documents(self, toks: Sequence[_Tok], content_from: int) -> list[int]:
        """Indices of document cues that are not merely talked about."""
        out = []
        speech = next((i for i, t in enumerate(toks) if t.norm in self.cues.speech), len(toks))
        relative = next(
            (i for i in range(speech, len(toks)) if toks[i].norm in _RELATIVE), content_from
        )
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            # a document verb after "dat"/"die" is talked about ("…, die achter het stelsel stond")
            verb = i < relative and bool(_phrase_at(toks, i, self.cues.document_verbs))
            cited = t.norm in self.cues.citations or verb
            named = self.document_noun(toks, i) and not self._is_content(toks, i, content_from)
            if cited or named:
                out.append(i)
        return out

    def _topic_lead(self, toks: Sequence[_Tok], i: int) -> bool:
        """Whether the organisation at *i* is whom a colon lead-in is about.

        ``Voor de G40 voelde de regie anders:``, ``Ook voor Blik op Werk was …:``,
        ``Het akkoord was essentieel, ook voor de VNG:``.
        """
        j = self._prev_word(toks, i)
        if j < 0 or toks[j].norm not in _TOPIC:
            return False
        k = j - 1
        if k >= 0 and toks[k].norm == "ook":
            k -= 1
        opens = k < 0 or toks[k].norm in {",", ";"} and i + 3 >= len(toks)
        return opens or i + 2 >= len(toks)

    def refers_back(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` names its speaker by a reference back.

        ``De respondent vertelt:``, ``zeggen zij``, ``Zij vat het samen:``, ``De
        uitvoeringsorganisatie vertelt:``: a definite respondent noun or a
        personal pronoun next to a verb of saying.
        """
        toks = cue_tokens(self.text, start, end, self.names)
        words = [t.norm if t.kind == "word" else "" for t in toks]
        speech = [k for k, w in enumerate(words) if w in self.cues.speech]
        for k in range(len(words) - 2):
            if (
                _phrase_at(toks, k, self.cues.markers) == 1
                and words[k + 1] in _DEFINITE
                and (words[k + 2] in self.cues.respondent_nouns or words[k + 2] in _ORG_NOUNS)
            ):
                return True  # "volgens de stichting", "namens de koepel"
        if not speech:
            return False
        for k, w in enumerate(words):
            if (
                w in _DEFINITE
                and k + 1 < len(words)
                and (words[k + 1] in self.cues.respondent_nouns or words[k + 1] in _ORG_NOUNS)
            ):
                return True
            if w in _PRONOUNS and any(abs(v - k) <= 2 for v in speech):
                return True
        return False

    def speaker_sentence(self, start: int, end: int) -> AttributionCue | None:
        """An organisation named as the speaker of the quote just before ``text[start:end]``.

        ``De VNG erkent daarmee dat …``, ``Dat zegt ook de MBO Raad, …``, ``Met die
        woorden vat de G4 samen …``: the sentence opens with the organisation and a
        verb of saying follows within three words, or it opens with a word that
        points back (``dat``, ``met die woorden``) and a verb of saying comes
        before the organisation.
        """
        toks = cue_tokens(self.text, start, end, self.names)
        k = 0
        while k < len(toks) and toks[k].kind == "word" and toks[k].norm in {"ook", "en"}:
            k += 1
        if k >= len(toks):
            return None
        first = toks[k]
        if first.kind == "org" and first.org is not None:
            near = toks[k + 1 : k + 4]
            if any(t.kind == "word" and t.norm in self.cues.speech for t in near):
                return AttributionCue("respondent", first.org, first.written, first.start, 4)
            return None
        if first.kind != "word" or first.norm not in _POINTING:
            return None
        seen_verb = False
        for t in toks[k : k + 8]:
            if t.kind == "word" and t.norm in self.cues.speech:
                seen_verb = True
            elif t.kind == "org" and seen_verb and t.org is not None:
                return AttributionCue("respondent", t.org, t.written, t.start, 4)
            elif t.kind == "punct" and t.norm in {",", ":"} and seen_verb:
                return None
        return None

    def document_noun(self, toks: Sequence[_Tok], i: int) -> bool:
        """Whether a document is named at token *i*: a listed noun, or a compound of one.

        ``programmabrief``, ``stappenplan`` and ``beleidsnotitie`` are documents
        like ``brief``, ``plan`` and ``notitie``.
        """
        if _phrase_at(toks, i, self.cues.document_nouns):
            return True
        word = toks[i].norm if toks[i].kind == "word" else ""
        return any(word.endswith(x) and len(word) >= len(x) + 4 for x in _DOCUMENT_ENDS)

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

    @staticmethod
    def _after_relative(toks: Sequence[_Tok], k: int) -> int:
        """Index after a relative clause between commas at *k* (``, dat … ,``), else *k*."""
        if k + 1 < len(toks) and toks[k].norm == "," and toks[k + 1].norm in _RELATIVE:
            close = next((j for j in range(k + 2, len(toks)) if toks[j].norm == ","), None)
            if close is not None:
                return close + 1
        return k

    def _org_score(self, toks: Sequence[_Tok], i: int) -> int:
        cues = self.cues
        j = self._prev_word(toks, i)
        if _phrase_before(toks, j + 1, cues.markers):
            return 5
        if j >= 0 and toks[j].norm in {"van", "bij", "uit", "binnen", "vanuit", "namens"}:
            k = self._prev_word(toks, j)
            if k >= 0 and toks[k].norm in cues.respondent_nouns:
                return 4
        k = self._after_relative(toks, i + 1)
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

    def lead(self, start: int, end: int, *, min_score: int = 1) -> list[AttributionCue]:
        """Cues in the lead-in ``text[start:end]`` (nearest the quote last)."""
        toks = cue_tokens(self.text, start, end, self.names)
        if not toks:
            return []
        content_from = self._content_from(toks)
        documents = self._documents(toks, content_from)
        found = [AttributionCue("document", None, "", toks[i].end, 9) for i in documents]
        if not self._has_cue(toks):
            return found
        colon = toks[-1].norm == ":"
        for i, t in enumerate(toks):
            if t.kind != "org":
                continue
            if not self._is_content(toks, i, content_from):
                score = self._org_score(toks, i)
            elif colon and self._topic_lead(toks, i):
                score = 3
            else:
                continue
            if score >= min_score:
                found.append(AttributionCue("respondent", t.org, t.written, t.end, score))
        if not any(f.organisation for f in found):
            found.append(AttributionCue("respondent", None, "", start, 0))
        return found

    def after(self, start: int, end: int, *, closed: bool) -> tuple[list[AttributionCue], int]:
        """Cues right after a quote, in ``text[start:end]`` (up to the sentence end).

        *closed* says the quote ended its sentence (``moordend.”``): then only a
        reference right after it counts (``(VWN)``, ``[1]``), or a sentence that
        opens with ``Aldus``. Returns the cues and where the attributing words end.
        """
        note = FOOTNOTE_MARK.match(self.text, start, end)
        if note:  # a footnote marker: [1], [^3], ²
            return [AttributionCue("document", None, "", start, 9)], note.end()
        dash = _DASH_BYLINE.match(self.text, start, end)
        if dash:  # a byline: “…” – VNG
            found = self.names.find(self.text, dash.end(), end)
            rest = self.text[found[0].end : end] if found else "x"
            if found and found[0].start == dash.end() and not rest.strip(" \t\n.,;)"):
                m = found[0]
                return [AttributionCue("respondent", m.organisation, m.written, start, 5)], m.end
        toks = cue_tokens(self.text, start, end, self.names)
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
                return [AttributionCue("respondent", orgs[0].org, orgs[0].written, at, 5)], stop
            if (
                _YEAR.search(raw)
                or _PAGE.search(raw)
                or FOOTNOTE_MARK.match(raw)
                or any(
                    t.norm in self.cues.citations or self.document_noun(inner, k)
                    for k, t in enumerate(inner)
                )
            ):
                return [AttributionCue("document", None, "", at, 9)], stop
            if orgs:
                return [AttributionCue("respondent", orgs[0].org, orgs[0].written, at, 5)], stop
            if any(t.norm in self.cues.respondent_nouns for t in inner):
                return [AttributionCue("respondent", None, "", at, 0)], stop
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
            return [AttributionCue("document", None, "", at, 9)], end
        for k, t in enumerate(clause):
            if t.kind == "org" and not self._is_content(clause, k, content_from):
                return [AttributionCue("respondent", t.org, t.written, at, 5)], end
        if first == "zo" and not (len(clause) > 1 and clause[1].norm in self.cues.speech):
            return [], start
        return [AttributionCue("respondent", None, "", at, 0)], end

    def continues(self, start: int, end: int) -> bool:
        """Whether the lead-in says the previous speaker goes on (``Dezelfde ... vervolgt:``)."""
        toks = cue_tokens(self.text, start, end, self.names)
        return not any(t.kind == "org" for t in toks) and any(
            _phrase_at(toks, i, self.cues.continuation) for i in range(len(toks))
        )
