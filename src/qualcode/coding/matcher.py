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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from qualcode.codebook.model import Codebook, Pattern, Term
from qualcode.codebook.patterns import fold, lemmatizer

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CodeEvidence", "Matcher", "repeat_score"]


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
    atoms: frozenset[int]
    key_item: int
    key_slot: int
    unless: int  # atom id, or -1


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
        self._atom_rarity: list[int] = []
        self._surface: dict[str, set[int]] = {}
        self._lemma_keys: dict[str, set[int]] = {}
        self._wild = _Wildcards()
        self._cache: dict[int, tuple[int, ...]] = {}
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
                        atoms=frozenset(a for item in items for a in item),
                        key_item=key_item,
                        key_slot=key_slot,
                        unless=unless,
                    )
                )
        self._rules = tuple(rules)
        by_key: dict[int, list[int]] = {}
        for r, rule in enumerate(rules):
            by_key.setdefault(rule.items[rule.key_item][rule.key_slot], []).append(r)
        self._by_key = {k: tuple(v) for k, v in by_key.items()}

    def __reduce__(self) -> tuple[type[Matcher], tuple[Codebook]]:
        return (Matcher, (self.codebook,))

    # -- compiling ------------------------------------------------------------------------

    def _atom(self, term: Term) -> int:
        found = self._atoms.get(term)
        if found is not None:
            return found
        atom = len(self._atoms)
        self._atoms[term] = atom
        # Rarity: the shortest alternative's length (short words such as 'de' are frequent).
        self._atom_rarity.append(min(len(a.replace("*", "")) for a in term.alternatives))
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

    def scan(self, doc: Doc) -> dict[int, list[tuple[float, int, list[tuple[int, ...]]]]]:
        """Per code index: ``(score, rule index, spans)`` of each rule that matched *doc*."""
        from spacy.attrs import LOWER

        hashes: list[int] = doc.to_array(LOWER).tolist()
        cache = self._cache
        at: dict[int, tuple[int, ...]] = {}
        positions: dict[int, list[int]] = {}
        for i, h in enumerate(hashes):
            atoms = cache.get(h)
            if atoms is None:
                atoms = cache[h] = self.atoms_of(doc.vocab.strings[h])
            if atoms:
                at[i] = atoms
                for a in atoms:
                    if a in positions:
                        positions[a].append(i)
                    else:
                        positions[a] = [i]
        found: dict[int, list[tuple[float, int, list[tuple[int, ...]]]]] = {}
        if not positions:
            return found
        present = positions.keys()
        by_key = self._by_key
        for key in [k for k in present if k in by_key]:
            for r in by_key[key]:
                rule = self._rules[r]
                if not rule.atoms <= present:
                    continue
                spans = self._find(rule, positions, at, len(hashes))
                if spans:
                    score = repeat_score(rule.pattern.weight, len(spans))
                    found.setdefault(rule.code, []).append((score, r, spans))
        return found

    def scores(
        self, found: dict[int, list[tuple[float, int, list[tuple[int, ...]]]]]
    ) -> list[CodeEvidence]:
        """The codes of a :meth:`scan` with their scores (no evidence text), in codebook order."""
        return [
            CodeEvidence(self._codes[c], round(sum(p[0] for p in found[c]), 4), "")
            for c in sorted(found)
        ]

    def explain(
        self, doc: Doc, found: dict[int, list[tuple[float, int, list[tuple[int, ...]]]]], code: str
    ) -> str:
        """The evidence text of *code* in a :meth:`scan` of *doc*: strongest pattern first."""
        parts = sorted(found[self._index[code]], key=lambda p: (-p[0], p[1]))
        return "; ".join(_evidence(self._rules[r].pattern, spans, doc) for _, r, spans in parts)

    def match_doc(self, doc: Doc) -> list[CodeEvidence]:
        """The codes with evidence in *doc* (a tokenised segment), in codebook order."""
        found = self.scan(doc)
        return [replace(e, evidence=self.explain(doc, found, e.code)) for e in self.scores(found)]

    def _find(
        self,
        rule: _Rule,
        positions: dict[int, list[int]],
        at: dict[int, tuple[int, ...]],
        length: int,
    ) -> list[tuple[int, ...]]:
        """Spans (token positions) where *rule* matches, negated matches left out."""
        if rule.pattern.kind == "phrase":
            starts = _phrase_starts(rule.items[0], rule.key_slot, positions, at, length)
            spans = [tuple(range(s, s + len(rule.items[0]))) for s in starts]
        else:
            spans = _near_spans(rule, positions, at, length)
        if rule.unless >= 0 and spans:
            w = rule.pattern.unless_within
            u = rule.unless
            spans = [
                span
                for span in spans
                if not any(u in at.get(i, ()) for i in range(min(span) - w, min(span)))
                and not any(u in at.get(i, ()) for i in range(max(span) + 1, max(span) + 1 + w))
            ]
        return spans


def _phrase_starts(
    slots: tuple[int, ...],
    key: int,
    positions: dict[int, list[int]],
    at: dict[int, tuple[int, ...]],
    length: int,
) -> list[int]:
    if len(slots) == 1:
        return list(positions.get(slots[0], ()))
    starts = []
    last = len(slots) - 1
    for p in positions.get(slots[key], ()):
        s = p - key
        if s < 0 or s + last >= length:
            continue
        if all(slots[j] in at.get(s + j, ()) for j in range(len(slots)) if j != key):
            starts.append(s)
    return starts


def _near_spans(
    rule: _Rule,
    positions: dict[int, list[int]],
    at: dict[int, tuple[int, ...]],
    length: int,
) -> list[tuple[int, ...]]:
    """One span per occurrence of the first item that has every other item within reach."""
    within = rule.pattern.within
    occurrences = [_phrase_starts(item, 0, positions, at, length) for item in rule.items]
    spans = []
    for anchor in occurrences[0]:
        chosen = [anchor]
        for others in occurrences[1:]:
            near = [q for q in others if q != anchor and abs(q - anchor) <= within]
            if not near:
                break
            chosen.append(min(near, key=lambda q: abs(q - anchor)))
        else:
            spans.append(tuple(chosen))
    return spans


def _evidence(pattern: Pattern, spans: Sequence[tuple[int, ...]], doc: Doc) -> str:
    words: list[str] = []
    for span in spans:
        if pattern.kind == "phrase":
            text = " ".join(doc[i].lower_ for i in span)
        else:
            text = "…".join(doc[i].lower_ for i in sorted(span))
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
