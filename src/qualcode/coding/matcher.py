"""Compiled codebook patterns: find the evidence for each code in a tokenised segment.

Every pattern slot (``Term``) becomes an *atom*. The first time a word form
is seen, the atoms it satisfies are worked out from its folded surface form and
its lookup lemma, and cached by spaCy's hash of the lower-cased form; after that
a token costs one dictionary look-up. A rule is only tried when its rarest slot
occurs in the segment.

Score of a code in a segment: for each of its patterns that matched ``n`` times,
``weight * (2 - 0.5 ** (n - 1))`` (the first match counts in full, each repeat
half as much as the one before, so one pattern never counts more than twice its
weight); the code's score is the sum over its patterns. Scores are not divided
by the segment's length: a paragraph with more evidence scores higher.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import TYPE_CHECKING, Any

from qualcode.codebook.model import Codebook, Pattern, Term
from qualcode.codebook.patterns import fold, lemmatizer

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CodeEvidence", "Matcher", "Scan", "repeat_score"]


def repeat_score(weight: float, count: int) -> float:
    """The score of a pattern of *weight* that matched *count* times (diminishing returns)."""
    return weight * (2.0 - 0.5 ** (count - 1)) if count > 0 else 0.0


@dataclass(frozen=True)
class CodeEvidence:
    """The evidence for one code in one segment: its score and why."""

    code: str
    score: float
    evidence: str


@dataclass(frozen=True)
class _Rule:
    code: int
    pattern: Pattern
    items: tuple[tuple[int, ...], ...]  # atom ids per item, per slot
    key_item: int
    key_slot: int
    unless: int  # atom id, or -1


def _stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of *language*, folded (empty when it has none)."""
    import spacy

    words: set[str] = getattr(spacy.util.get_lang_class(language).Defaults, "stop_words", set())
    return frozenset(fold(w) for w in words)


class Scan:
    """What :meth:`Matcher.scan` found in one segment.

    ``found`` maps a code's index to ``(score, rule index, spans)`` per matched rule;
    a span is a tuple of token positions.
    """

    __slots__ = ("found", "hashes", "strings")

    def __init__(
        self,
        hashes: list[int],
        found: dict[int, list[tuple[float, int, list[tuple[int, ...]]]]],
        strings: Any,
    ) -> None:
        self.hashes = hashes
        self.found = found
        self.strings = strings

    def __bool__(self) -> bool:
        return bool(self.found)

    def word(self, i: int) -> str:
        """The lower-cased form of token *i*."""
        return str(self.strings[self.hashes[i]])


class _Wildcards:
    """Wildcard alternatives, indexed so that a new word is checked against few of them.

    ``abc*`` is found through the word's first three letters, ``*abc`` through
    its last three, ``*abc*`` by substring; other shapes (``a*bc``) by regex.
    """

    def __init__(self) -> None:
        self.prefix: dict[str, list[tuple[str, int]]] = {}
        self.suffix: dict[str, list[tuple[str, int]]] = {}
        self.infix: list[tuple[str, int]] = []
        self.other: list[tuple[re.Pattern[str], int]] = []

    def add(self, alt: str, atom: int) -> None:
        core = alt.strip("*")
        if "*" not in core and len(core) >= 3:
            if alt.startswith("*") and alt.endswith("*"):
                self.infix.append((core, atom))
                return
            if alt.endswith("*"):
                self.prefix.setdefault(core[:3], []).append((core, atom))
                return
            if alt.startswith("*"):
                self.suffix.setdefault(core[-3:], []).append((core, atom))
                return
        self.other.append((re.compile(".*".join(re.escape(p) for p in alt.split("*"))), atom))

    def matches(self, word: str) -> Iterator[int]:
        for core, atom in self.prefix.get(word[:3], ()):
            if word.startswith(core):
                yield atom
        for core, atom in self.suffix.get(word[-3:], ()):
            if word.endswith(core):
                yield atom
        for core, atom in self.infix:
            if core in word:
                yield atom
        for regex, atom in self.other:
            if regex.fullmatch(word):
                yield atom


class Matcher:
    """The patterns of *codebook*, compiled once; :meth:`match_doc` scores a tokenised segment."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.language = codebook.language
        self._lemma = lemmatizer(codebook.language)
        self._atoms: dict[Term, int] = {}
        self._atom_rarity: list[tuple[int, int, int]] = []
        self._stop_words = _stop_words(codebook.language)
        self._surface: dict[str, set[int]] = {}
        self._lemma_keys: dict[str, set[int]] = {}
        self._wild = _Wildcards()
        self._cache: dict[int, tuple[int, ...]] = {}
        # word form hash -> the rule keys it satisfies (only forms that satisfy one)
        self._keys_of: dict[int, tuple[int, ...]] = {}
        self._codes = tuple(c.id for c in codebook.codes)
        self._index = {c: i for i, c in enumerate(self._codes)}
        rules: list[_Rule] = []
        for index, code in enumerate(codebook.codes):
            for pattern in code.patterns:
                items = tuple(tuple(self._atom(t) for t in item) for item in pattern.items)
                key_item, key_slot = max(
                    ((i, j) for i, item in enumerate(items) for j in range(len(item))),
                    key=lambda ij: self._atom_rarity[items[ij[0]][ij[1]]],
                )
                unless = self._atom(pattern.unless) if pattern.unless is not None else -1
                rules.append(
                    _Rule(
                        code=index,
                        pattern=pattern,
                        items=items,
                        key_item=key_item,
                        key_slot=key_slot,
                        unless=unless,
                    )
                )
        self._rules = tuple(rules)
        # Rules by key atom: one-word phrases without 'unless' are counted in bulk.
        by_key: dict[int, list[int]] = {}
        simple: dict[int, list[tuple[int, int, float]]] = {}
        complex_: dict[int, list[int]] = {}
        for r, rule in enumerate(rules):
            key = rule.items[rule.key_item][rule.key_slot]
            by_key.setdefault(key, []).append(r)
            if rule.pattern.kind == "phrase" and len(rule.items[0]) == 1 and rule.unless < 0:
                simple.setdefault(key, []).append((r, rule.code, rule.pattern.weight))
            else:
                complex_.setdefault(key, []).append(r)
        self._by_key = {k: tuple(v) for k, v in by_key.items()}
        self._simple = {k: tuple(v) for k, v in simple.items()}
        self._complex = {k: tuple(v) for k, v in complex_.items()}

    def __reduce__(self) -> tuple[type[Matcher], tuple[Codebook]]:
        return (Matcher, (self.codebook,))

    # -- compiling ------------------------------------------------------------------------

    def _atom(self, term: Term) -> int:
        found = self._atoms.get(term)
        if found is not None:
            return found
        atom = len(self._atoms)
        self._atoms[term] = atom
        # Rarity, to pick each rule's key slot: fewest stop words ('de', 'niet', 'te'),
        # then fewest alternatives, then the longest shortest alternative.
        stops = sum(a in self._stop_words for a in term.alternatives)
        shortest = min(len(a.replace("*", "")) for a in term.alternatives)
        self._atom_rarity.append((-stops, -len(term.alternatives), shortest))
        for alt in term.alternatives:
            if "*" in alt:
                self._wild.add(alt, atom)
            elif alt in term.exact:
                self._surface.setdefault(alt, set()).add(atom)
            else:
                self._surface.setdefault(alt, set()).add(atom)
                self._lemma_keys.setdefault(alt, set()).add(atom)
        for lem in term.lemmas:
            self._surface.setdefault(lem, set()).add(atom)
            self._lemma_keys.setdefault(lem, set()).add(atom)
        return atom

    def atoms_of(self, lower: str) -> tuple[int, ...]:
        """The atoms a token with the lower-cased form *lower* satisfies."""
        surface = fold(lower)
        lemma = fold(self._lemma(lower))
        found = set(self._surface.get(surface, ()))
        found.update(self._lemma_keys.get(lemma, ()))
        found.update(self._wild.matches(surface))
        if lemma != surface:
            found.update(self._wild.matches(lemma))
        return tuple(sorted(found))

    # -- matching -------------------------------------------------------------------------

    def scan(self, doc: Doc) -> Scan:
        """The rules that matched *doc*, a tokenised segment, per code."""
        from spacy.attrs import LOWER

        hashes: list[int] = doc.to_array(LOWER).tolist()
        found = self.scan_tokens(hashes, doc.vocab.strings, [(0, len(hashes))])
        return Scan(hashes, found.get(0, {}), doc.vocab.strings)

    def scan_segments(self, doc: Doc, segments: Sequence[tuple[int, int]]) -> dict[int, Scan]:
        """Scans of the character spans *segments* of *doc* (sorted, not overlapping).

        One tokenised text is matched at once, but no match crosses a segment's
        bounds; returns segment index -> :class:`Scan`, for segments with evidence.
        """
        from spacy.attrs import IDX, LOWER

        array = doc.to_array([LOWER, IDX])
        hashes: list[int] = array[:, 0].tolist()
        offsets: list[int] = array[:, 1].tolist()
        bounds = []
        for start, end in segments:
            bounds.append((bisect_left(offsets, start), bisect_left(offsets, end)))
        found = self.scan_tokens(hashes, doc.vocab.strings, bounds)
        return {k: Scan(hashes, f, doc.vocab.strings) for k, f in found.items()}

    def scan_tokens(
        self, hashes: list[int], strings: Any, bounds: Sequence[tuple[int, int]]
    ) -> dict[int, dict[int, list[tuple[float, int, list[tuple[int, ...]]]]]]:
        """Per segment, per code index: ``(score, rule index, spans)`` of each rule that matched.

        *hashes* are the lower-case forms of a text's tokens; *bounds* are the token
        ranges ``[first, end)`` of its segments. Only tokens that satisfy a rule's *key*
        slot (its rarest) are collected; the rule's other slots are checked around them.
        """
        cache = self._cache
        keys_of = self._keys_of
        for h in set(hashes).difference(cache):
            atoms = cache[h] = self.atoms_of(strings[h])
            keys = tuple(a for a in atoms if a in self._by_key)
            if keys:
                keys_of[h] = keys
        tokens = _Tokens(hashes, cache, bounds)
        positions: dict[int, list[int]] = {}
        for lo, hi in bounds:
            for i in [i for i in range(lo, hi) if hashes[i] in keys_of]:
                for a in keys_of[hashes[i]]:
                    if a in positions:
                        positions[a].append(i)
                    else:
                        positions[a] = [i]
        found: dict[int, dict[int, list[tuple[float, int, list[tuple[int, ...]]]]]] = {}
        rules = self._rules
        segment = tokens.segment
        for key, where in positions.items():
            simple = self._simple.get(key)
            if simple:
                for k, places in groupby(where, key=segment.__getitem__):
                    singles: list[tuple[int, ...]] = [(p,) for p in places]
                    codes = found.setdefault(k, {})
                    for r, code, weight in simple:
                        score = repeat_score(weight, len(singles))
                        codes.setdefault(code, []).append((score, r, singles))
            for r in self._complex.get(key, ()):
                rule = rules[r]
                spans = _find(rule, where, tokens)
                if not spans:
                    continue
                weight = rule.pattern.weight
                for k, matched in groupby(spans, key=lambda span: segment[span[0]]):
                    seg_spans = list(matched)
                    score = repeat_score(weight, len(seg_spans))
                    found.setdefault(k, {}).setdefault(rule.code, []).append((score, r, seg_spans))
        return found

    def scores(self, scan: Scan) -> list[CodeEvidence]:
        """The codes of a :meth:`scan` with their scores (no evidence text), in codebook order."""
        found = scan.found
        return [
            CodeEvidence(self._codes[c], round(sum(p[0] for p in found[c]), 4), "")
            for c in sorted(found)
        ]

    def explain(self, scan: Scan, code: str) -> str:
        """The evidence text of *code* in *scan*: strongest pattern first."""
        parts = sorted(scan.found[self._index[code]], key=lambda p: (-p[0], p[1]))
        return "; ".join(_evidence(self._rules[r].pattern, spans, scan) for _, r, spans in parts)

    def match_doc(self, doc: Doc) -> list[CodeEvidence]:
        """The codes with evidence in *doc* (a tokenised segment), in codebook order."""
        scan = self.scan(doc)
        return [replace(e, evidence=self.explain(scan, e.code)) for e in self.scores(scan)]


class _Tokens:
    """The tokens of one text: their atoms (looked up on demand) and their segments."""

    __slots__ = ("bounds", "cache", "hashes", "segment")

    def __init__(
        self,
        hashes: list[int],
        cache: dict[int, tuple[int, ...]],
        bounds: Sequence[tuple[int, int]],
    ) -> None:
        self.hashes = hashes
        self.cache = cache
        self.bounds = bounds
        segment = [-1] * len(hashes)
        for k, (lo, hi) in enumerate(bounds):
            segment[lo:hi] = [k] * (hi - lo)
        self.segment = segment

    def limits(self, i: int) -> tuple[int, int]:
        """The token range ``[first, end)`` of the segment of token *i*."""
        return self.bounds[self.segment[i]]

    def phrase_at(self, slots: tuple[int, ...], start: int, lo: int, hi: int) -> bool:
        """Whether the phrase *slots* occurs at token *start*, inside ``[lo, hi)``."""
        if start < lo or start + len(slots) > hi:
            return False
        cache, hashes = self.cache, self.hashes
        return all(atom in cache[hashes[start + j]] for j, atom in enumerate(slots))

    def starts(
        self, slots: tuple[int, ...], window: range, lo: int, hi: int, *, skip: int = -1
    ) -> list[int]:
        """The positions in *window* (but *skip*) where *slots* occurs inside ``[lo, hi)``."""
        if len(slots) == 1:
            atom, cache, hashes = slots[0], self.cache, self.hashes
            return [q for q in window if q != skip and atom in cache[hashes[q]]]
        return [q for q in window if q != skip and self.phrase_at(slots, q, lo, hi)]

    def any_of(self, atom: int, window: range) -> bool:
        """Whether a token in *window* satisfies *atom*."""
        cache, hashes = self.cache, self.hashes
        return any(atom in cache[hashes[i]] for i in window)


def _find(rule: _Rule, key_positions: list[int], tokens: _Tokens) -> list[tuple[int, ...]]:
    """Spans (token positions) where *rule* matches, given where its key slot occurs.

    A span never crosses the bounds of the segment it starts in.
    """
    key_item = rule.items[rule.key_item]
    limits = tokens.limits
    if len(key_item) == 1:
        starts = key_positions
    else:
        k = rule.key_slot
        starts = [p - k for p in key_positions if tokens.phrase_at(key_item, p - k, *limits(p))]
    if rule.pattern.kind == "phrase":
        width = len(key_item)
        spans = [tuple(range(s, s + width)) for s in starts]
    else:
        spans = _near_spans(rule, starts, tokens)
    if rule.unless >= 0 and spans:
        w, u = rule.pattern.unless_within, rule.unless
        kept = []
        for span in spans:
            lo, hi = limits(span[0])
            first, last = min(span), max(span)
            if not tokens.any_of(u, range(max(lo, first - w), first)) and not tokens.any_of(
                u, range(last + 1, min(hi, last + 1 + w))
            ):
                kept.append(span)
        spans = kept
    return spans


def _near_spans(rule: _Rule, key_starts: list[int], tokens: _Tokens) -> list[tuple[int, ...]]:
    """One span per occurrence of the first item that has every other item within reach."""
    within = rule.pattern.within
    first = rule.items[0]
    limits = tokens.limits
    if rule.key_item == 0:
        anchors = key_starts
    else:
        found: set[int] = set()
        for q in key_starts:
            lo, hi = limits(q)
            window = range(max(lo, q - within), min(hi, q + within + 1))
            found.update(tokens.starts(first, window, lo, hi))
        anchors = sorted(found)
    spans = []
    for anchor in anchors:
        lo, hi = limits(anchor)
        chosen = [anchor]
        window = range(max(lo, anchor - within), min(hi, anchor + within + 1))
        for item in rule.items[1:]:
            near = tokens.starts(item, window, lo, hi, skip=anchor)
            if not near:
                break
            chosen.append(min(near, key=lambda q: (abs(q - anchor), q)))
        else:
            spans.append(tuple(chosen))
    return spans


def _evidence(pattern: Pattern, spans: Sequence[tuple[int, ...]], scan: Scan) -> str:
    words: list[str] = []
    word = scan.word
    for span in spans:
        if pattern.kind == "phrase":
            text = " ".join(word(i) for i in span)
        else:
            text = "…".join(word(i) for i in sorted(span))
        if text not in words:
            words.append(text)
    shown = "/".join(words[:3]) + ("/…" if len(words) > 3 else "")
    count = f" ({len(spans)}x)" if len(spans) > 1 else ""
    return f'{shown}~"{pattern.source}"{count}'


def match_texts(matcher: Matcher, texts: Iterable[str]) -> list[list[CodeEvidence]]:
    """Evidence per text for *texts*, tokenised in one batch."""
    from qualcode.nlp import tokenizer_only

    tokenizer: Any = tokenizer_only(matcher.language).tokenizer
    return [matcher.match_doc(doc) for doc in tokenizer.pipe(texts)]
