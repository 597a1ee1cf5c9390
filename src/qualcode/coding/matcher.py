"""Compiled codebook patterns: the evidence for each code in each segment of a text.

A text is tokenised once; its tokens are resolved to word ids
(:class:`~qualcode.coding.lexicon.Lexicon`), which gives a boolean matrix
token x atom. Every rule is then evaluated for all tokens at once with array
operations: a phrase is the AND of shifted atom columns, ``near`` and
``unless`` are window counts over cumulative sums. No match crosses the bounds
of a segment, and tokens outside the segments (interviewer speech) match nothing.

Score of a code in a segment: for each of its patterns that matched ``n`` times,
``weight * (2 - 0.5 ** (n - 1))`` (the first match counts in full, each repeat
half as much as the one before, so one pattern never counts more than twice its
weight); the code's score is the sum over its patterns. Scores are not divided
by the segment's length: a paragraph with more evidence scores higher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from qualcode.codebook.model import Codebook, Pattern
from qualcode.coding.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CodeEvidence", "Matcher", "TextScan", "repeat_score"]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]


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
    unless: int  # atom id, or -1

    @property
    def simple(self) -> bool:
        """A one-word phrase without 'unless': counted straight from its atom's column."""
        return self.pattern.kind == "phrase" and len(self.items[0]) == 1 and self.unless < 0


class Matcher:
    """The patterns of *codebook*, compiled once; :meth:`scan_segments` scores a text."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.language = codebook.language
        self.codes = tuple(c.id for c in codebook.codes)
        self.lexicon = Lexicon(codebook.language)
        rules: list[_Rule] = []
        for index, code in enumerate(codebook.codes):
            for pattern in code.patterns:
                items = tuple(tuple(self.lexicon.atom(t) for t in item) for item in pattern.items)
                unless = self.lexicon.atom(pattern.unless) if pattern.unless is not None else -1
                rules.append(_Rule(index, pattern, items, unless))
        self.rules = tuple(rules)
        self._simple = np.array([r for r, rule in enumerate(rules) if rule.simple], dtype=np.intp)
        self._simple_atoms = np.array(
            [rules[r].items[0][0] for r in self._simple.tolist()], dtype=np.intp
        )
        self._complex = [r for r, rule in enumerate(rules) if not rule.simple]
        self._weights = np.array([rule.pattern.weight for rule in rules], dtype=np.float64)
        self._code_rules: list[list[int]] = [[] for _ in self.codes]
        for r, rule in enumerate(rules):
            self._code_rules[rule.code].append(r)
        # for explain_all(): each one-word rule with its atom, each rule's code and weight
        self._simple_rule_atoms = [(r, rules[r].items[0][0]) for r in self._simple.tolist()]
        self._rule_code_array = np.array([rule.code for rule in rules], dtype=np.intp)
        self._weight_list = [rule.pattern.weight for rule in rules]
        # per rule: a phrase's width (0 for near), and the pattern as evidence shows it
        self._widths = [len(r.items[0]) if r.pattern.kind == "phrase" else 0 for r in rules]
        self._sources = [f'~"{r.pattern.source}"' for r in rules]
        # rules come in code order: where each code's rules start (codes with rules only)
        self._codes_with_rules = np.array(
            [c for c in range(len(self.codes)) if self._code_rules[c]], dtype=np.intp
        )
        self._code_starts = np.array(
            [self._code_rules[c][0] for c in self._codes_with_rules.tolist()], dtype=np.intp
        )

    def __reduce__(self) -> tuple[type[Matcher], tuple[Codebook]]:
        return (Matcher, (self.codebook,))

    def scan_texts(self, texts: Sequence[tuple[Doc, Sequence[tuple[int, int]]]]) -> TextScan:
        """Match the segments of several tokenised texts at once.

        *texts* holds ``(doc, segments)`` pairs, *segments* being character spans
        ``(start, end)`` of the doc's text, sorted and not overlapping. In the
        result, segments are numbered across all texts in order. Matching many
        texts at once makes each array operation worth its overhead.
        """
        from spacy.attrs import IDX, LOWER

        hashes: list[npt.NDArray[Any]] = []
        lows: list[Ints] = []
        highs: list[Ints] = []
        base = 0
        strings = None
        for doc, segments in texts:
            array = doc.to_array([LOWER, IDX])
            offsets = array[:, 1]
            starts = np.array([s for s, _ in segments], dtype=np.int64)
            ends = np.array([e for _, e in segments], dtype=np.int64)
            lows.append(np.searchsorted(offsets, starts, side="left") + base)
            highs.append(np.searchsorted(offsets, ends, side="left") + base)
            hashes.append(array[:, 0])
            base += len(array)
            strings = doc.vocab.strings
        if not hashes:
            empty = np.zeros(0, dtype=np.intp)
            return TextScan(self, empty, empty, empty)
        ids = self.lexicon.ids(np.concatenate(hashes), strings)
        return TextScan(self, ids, np.concatenate(lows), np.concatenate(highs))

    def scan(self, doc: Doc) -> TextScan:
        """Match *doc* as one segment."""
        return self.scan_texts([(doc, [(0, len(doc.text))])])

    def match_doc(self, doc: Doc) -> list[CodeEvidence]:
        """The codes with evidence in *doc* (one segment), in codebook order, with evidence."""
        scan = self.scan(doc)
        return [
            CodeEvidence(self.codes[c], float(scan.scores[0, c]), scan.explain(0, c))
            for c in np.flatnonzero(scan.scores[0] > 0).tolist()
        ]


class TextScan:
    """The rules that matched each segment of one or more texts, and the codes' scores.

    ``scores[k, c]`` is the score of code ``c`` (codebook order) in segment ``k``;
    :meth:`explain` says why.
    """

    def __init__(self, matcher: Matcher, ids: Ints, lo: Ints, hi: Ints) -> None:
        self.matcher = matcher
        self.ids = ids
        self.lo = lo
        self.hi = hi
        n, n_segments, n_atoms = len(ids), len(lo), len(matcher.lexicon)
        # segment index of each token, -1 outside (segments are sorted and do not overlap)
        positions = np.arange(n, dtype=np.intp)
        segment = np.searchsorted(lo, positions, side="right") - 1
        inside = (segment >= 0) & (positions < hi[np.maximum(segment, 0)])
        segment[~inside] = -1
        self.segment = segment
        self.token_lo = np.where(inside, lo[segment], 0)
        self.token_hi = np.where(inside, hi[segment], 0)
        # (token, atom) pairs inside segments, grouped by atom
        tokens, atoms = matcher.lexicon.pairs(ids)
        keep = inside[tokens]
        tokens, atoms = tokens[keep], atoms[keep]
        order = np.argsort(atoms, kind="stable")
        self._places = tokens[order]
        self._place_bounds = np.searchsorted(atoms[order], np.arange(n_atoms + 1))
        self._columns: dict[int, Bools] = {}
        per_atom = np.bincount(segment[tokens] * n_atoms + atoms, minlength=n_segments * n_atoms)
        counts = np.zeros((n_segments, len(matcher.rules)), dtype=np.int64)
        counts[:, matcher._simple] = per_atom.reshape(n_segments, n_atoms)[:, matcher._simple_atoms]
        self.starts: dict[int, Ints] = {}
        self._spans: dict[int, dict[int, tuple[int, ...]]] = {}  # near rule -> anchor -> span
        for r in matcher._complex:
            where = self._match(matcher.rules[r], r)
            if len(where):
                self.starts[r] = where
                counts[:, r] = np.bincount(segment[where], minlength=n_segments)
        self.counts = counts
        rule_scores = np.zeros(counts.shape, dtype=np.float64)
        matched = np.nonzero(counts)
        rule_scores[matched] = matcher._weights[matched[1]] * (2.0 - 0.5 ** (counts[matched] - 1.0))
        self.rule_scores: Floats = rule_scores
        # code scores: sum the rule scores of each code (no BLAS: it would spin threads)
        scores = np.zeros((n_segments, len(matcher.codes)), dtype=np.float64)
        if len(matcher.rules) and n_segments:
            sums = np.add.reduceat(rule_scores, matcher._code_starts, axis=1)
            scores[:, matcher._codes_with_rules] = sums
        self.scores: Floats = np.round(scores, 4)
        self._ids: list[int] = []

    def places(self, atom: int) -> Ints:
        """Token positions (ascending) that satisfy *atom*, inside segments."""
        bounds = self._place_bounds
        return self._places[bounds[atom] : bounds[atom + 1]]

    def column(self, atom: int) -> Bools:
        """Per token: whether it satisfies *atom* (inside a segment)."""
        found = self._columns.get(atom)
        if found is None:
            found = np.zeros(len(self.ids), dtype=bool)
            found[self.places(atom)] = True
            self._columns[atom] = found
        return found

    def _phrase(self, slots: tuple[int, ...]) -> Ints:
        """Sorted token positions where the phrase *slots* starts, wholly inside one segment.

        Candidates come from the slot with the fewest occurrences; the other slots
        are checked at their offsets.
        """
        width = len(slots)
        if width == 1:
            return self.places(slots[0])
        key = min(range(width), key=lambda j: len(self.places(slots[j])))
        starts = self.places(slots[key]) - key
        starts = starts[(starts >= 0) & (starts + width <= len(self.ids))]
        for j, atom in enumerate(slots):
            if j != key and len(starts):
                starts = starts[self.column(atom)[starts + j]]
        segment = self.segment
        return starts[segment[starts] == segment[starts + width - 1]]

    def _match(self, rule: _Rule, r: int) -> Ints:
        """Sorted token positions where *rule* matches (a phrase's or a near's first word)."""
        if rule.pattern.kind == "phrase":
            starts = self._phrase(rule.items[0])
            if rule.unless >= 0 and len(starts):
                width = len(rule.items[0])
                negated = self._negated(rule, starts, starts + width - 1)
                starts = starts[~negated]
            return starts
        anchors = self._phrase(rule.items[0])
        chosen = [anchors]
        ok = np.ones(len(anchors), dtype=bool)
        for item in rule.items[1:]:
            if not ok.any():
                break
            nearest = self._nearest(anchors, self._phrase(item), rule.pattern.within)
            ok &= nearest >= 0
            chosen.append(nearest)
        if not ok.any():
            return anchors[:0]
        spans = np.stack(chosen, axis=1)[ok]
        anchors = anchors[ok]
        if rule.unless >= 0:
            kept = ~self._negated(rule, spans.min(axis=1), spans.max(axis=1))
            anchors, spans = anchors[kept], spans[kept]
        self._spans[r] = dict(zip(anchors.tolist(), map(tuple, spans.tolist()), strict=True))
        return anchors

    def _nearest(self, anchors: Ints, places: Ints, within: int) -> Ints:
        """Per anchor, the nearest of *places* (sorted) other than itself, within *within*
        tokens and in its segment (ties: the earlier); -1 where there is none."""
        if not len(places):
            return np.full(len(anchors), -1, dtype=np.intp)
        last = len(places) - 1
        lo = np.maximum(self.token_lo[anchors], anchors - within)
        hi = np.minimum(self.token_hi[anchors], anchors + within + 1)
        after = np.searchsorted(places, anchors, side="right")
        before = np.searchsorted(places, anchors, side="left") - 1
        right = places[np.minimum(after, last)]
        left = places[np.maximum(before, 0)]
        right_ok = (after <= last) & (right < hi)
        left_ok = (before >= 0) & (left >= lo)
        pick_left = left_ok & (~right_ok | (anchors - left <= right - anchors))
        nearest: Ints = np.where(pick_left, left, np.where(right_ok, right, -1))
        return nearest

    def _negated(self, rule: _Rule, firsts: Ints, lasts: Ints) -> Bools:
        """For matches spanning tokens ``firsts[i]..lasts[i]``: is a negation word within
        ``unless_within`` tokens before or after (in the same segment)?"""
        places = self.places(rule.unless)
        w = rule.pattern.unless_within
        before_from = np.maximum(self.token_lo[firsts], firsts - w)
        after_to = np.maximum(np.minimum(self.token_hi[firsts], lasts + 1 + w), lasts + 1)
        before = np.searchsorted(places, firsts) - np.searchsorted(places, before_from)
        after = np.searchsorted(places, after_to) - np.searchsorted(places, lasts + 1)
        negated: Bools = (before > 0) | (after > 0)
        return negated

    def explain(self, k: int, code: int) -> str:
        """The evidence of code index *code* in segment *k*: its patterns, strongest first."""
        keep = np.zeros(self.scores.shape, dtype=bool)
        keep[k, code] = True
        return self.explain_all(keep)[0] if self.scores[k, code] > 0 else ""

    def explain_all(self, keep: Bools) -> list[str]:
        """The evidence of every code *keep* (segments x codes) marks, in ``np.nonzero`` order.

        Each marked code must have evidence (a score above 0).
        """
        matcher = self.matcher
        n_codes = len(matcher.codes)
        kept = keep.ravel()
        # every match: (rule, token position), keyed by segment * n_codes + code
        rules: list[Ints] = []
        places: list[Ints] = []
        for r, atom in matcher._simple_rule_atoms:
            found = self.places(atom)
            rules.append(np.full(len(found), r, dtype=np.intp))
            places.append(found)
        for r, found in self.starts.items():
            rules.append(np.full(len(found), r, dtype=np.intp))
            places.append(found)
        rule = np.concatenate(rules) if rules else np.zeros(0, dtype=np.intp)
        place = np.concatenate(places) if places else np.zeros(0, dtype=np.intp)
        key = self.segment[place] * n_codes + matcher._rule_code_array[rule]
        chosen = kept[key]
        rule, place, key = rule[chosen], place[chosen], key[chosen]
        if not len(key):
            return []
        order = np.lexsort((place, rule, key))
        rule, place, key = rule[order], place[order], key[order]
        # runs of one (key, rule): one part of an explanation
        starts = np.flatnonzero(np.r_[True, (np.diff(key) != 0) | (np.diff(rule) != 0)])
        ends = np.r_[starts[1:], len(key)].tolist()
        run_keys, run_rules = key[starts].tolist(), rule[starts].tolist()
        positions = place.tolist()
        self._ids = self.ids.tolist()
        weights = matcher._weight_list
        out: list[str] = []
        parts: list[tuple[int, list[int]]] = []
        for n, (a, b) in enumerate(zip(starts.tolist(), ends, strict=True)):
            parts.append((run_rules[n], positions[a:b]))
            if n + 1 == len(run_keys) or run_keys[n + 1] != run_keys[n]:
                if len(parts) > 1:
                    parts.sort(key=lambda rp: (-repeat_score(weights[rp[0]], len(rp[1])), rp[0]))
                out.append("; ".join([self._evidence(r, found) for r, found in parts]))
                parts = []
        return out

    def _evidence(self, r: int, starts: list[int]) -> str:
        texts, ids = self.matcher.lexicon.texts, self._ids
        width = self.matcher._widths[r]
        if width == 1 and len(starts) == 1:  # the common case, made cheap
            return texts[ids[starts[0]]] + self.matcher._sources[r]
        if width == 1:
            words = dict.fromkeys([texts[ids[s]] for s in starts])
        elif width > 1:
            words = dict.fromkeys(
                " ".join([texts[ids[i]] for i in range(s, s + width)]) for s in starts
            )
        else:
            spans = self._spans[r]
            words = dict.fromkeys(
                "…".join([texts[ids[i]] for i in sorted(spans[s])]) for s in starts
            )
        shown = "/".join(list(words)[:3]) + ("/…" if len(words) > 3 else "")
        count = f" ({len(starts)}x)" if len(starts) > 1 else ""
        return f"{shown}{self.matcher._sources[r]}{count}"
