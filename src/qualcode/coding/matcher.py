"""Compiled codebook patterns: the evidence for each code in each segment of a text.

A text is tokenised once; its tokens are resolved to word ids
(:class:`~qualcode.coding.lexicon.Lexicon`), which gives the (token, atom)
pairs of the text. Every rule of every code is then evaluated at once with
array operations, whatever the number of rules: the words of a phrase are
checked at their offsets from its rarest word, ``near`` and ``unless`` are
searches in the sorted positions of each atom. No match crosses the bounds of
a segment, and tokens outside the segments (interviewer speech) match nothing.

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
        """A one-word phrase without 'unless': counted straight from its atom's positions."""
        return self.pattern.kind == "phrase" and len(self.items[0]) == 1 and self.unless < 0


def _ints(values: Sequence[int]) -> Ints:
    return np.array(values, dtype=np.intp).reshape(len(values))


def _ranges(starts: Ints, counts: Ints) -> Ints:
    """The indices ``starts[i] .. starts[i] + counts[i] - 1`` for every i, concatenated."""
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return np.asarray(shift + np.arange(len(shift), dtype=np.intp), dtype=np.intp)


def _small(values: Ints) -> npt.NDArray[Any]:
    """*values* (small, non-negative) in the narrowest type a radix sort takes, if they fit."""
    return values.astype(np.uint16) if not len(values) or values.max() < 2**16 else values


def _objects(texts: list[str]) -> npt.NDArray[np.object_]:
    """*texts* as an array of Python strings (not converted to a fixed-width string array)."""
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _padded(rows: Sequence[Sequence[int]]) -> Ints:
    """*rows* as a matrix, short rows padded with -1."""
    width = max((len(row) for row in rows), default=0)
    out = np.full((len(rows), width), -1, dtype=np.intp)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


class Matcher:
    """The patterns of *codebook*, compiled once; :meth:`scan_texts` scores texts."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.language = codebook.language
        self.codes = tuple(c.id for c in codebook.codes)
        self.lexicon = Lexicon(codebook.language)
        rules: list[_Rule] = []
        for index, code in enumerate(codebook.codes):
            for pattern in code.patterns:
                slots = tuple(tuple(self.lexicon.atom(t) for t in item) for item in pattern.items)
                unless = self.lexicon.atom(pattern.unless) if pattern.unless is not None else -1
                rules.append(_Rule(index, pattern, slots, unless))
        self.rules = tuple(rules)
        simple = [r for r, rule in enumerate(rules) if rule.simple]
        self._simple = _ints(simple)
        self._simple_atoms = _ints([rules[r].items[0][0] for r in simple])
        # the slot sequences of the other rules ("items"), each evaluated once
        items: dict[tuple[int, ...], int] = {}
        rule_items: dict[int, list[int]] = {}
        for r, rule in enumerate(rules):
            if not rule.simple:
                rule_items[r] = [items.setdefault(item, len(items)) for item in rule.items]
        self._item_atoms = _padded(list(items))
        self._item_width = _ints([len(item) for item in items])
        phrases = [r for r in rule_items if rules[r].pattern.kind == "phrase"]
        self._phrase = _ints(phrases)
        self._phrase_item = _ints([rule_items[r][0] for r in phrases])
        nears = [r for r in rule_items if rules[r].pattern.kind == "near"]
        self._near = _ints(nears)
        self._near_items = _padded([rule_items[r] for r in nears])
        self._near_within = _ints([rules[r].pattern.within for r in nears])
        self._unless = _ints([rule.unless for rule in rules])
        self._unless_within = _ints([rule.pattern.unless_within for rule in rules])
        self._weights = np.array([rule.pattern.weight for rule in rules], dtype=np.float64)
        self._rule_code = _ints([rule.code for rule in rules])
        # per rule: a phrase's width (0 for near), and the pattern as evidence shows it
        self._widths = [len(r.items[0]) if r.pattern.kind == "phrase" else 0 for r in rules]
        self._sources = [f'~"{r.pattern.source}"' for r in rules]
        self._source_array = _objects(self._sources)
        self._width_of = _ints(self._widths)
        # rules come in code order: where each code's rules start (codes with rules only)
        code_rules: list[list[int]] = [[] for _ in self.codes]
        for r, rule in enumerate(rules):
            code_rules[rule.code].append(r)
        with_rules = [c for c in range(len(self.codes)) if code_rules[c]]
        self._codes_with_rules = _ints(with_rules)
        self._code_starts = _ints([code_rules[c][0] for c in with_rules])

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

        if not texts:
            empty = np.zeros(0, dtype=np.intp)
            return TextScan(self, empty, empty, empty)
        arrays = [doc.to_array([LOWER, IDX]) for doc, _ in texts]
        tokens = np.concatenate(arrays)
        # the texts end to end: token and segment offsets shifted past the texts before
        # them (by each text's last token and last segment end: doc.text is costly)
        extents = np.array(
            [
                (int(array[-1, 1]) + 1 if len(array) else 0) + max((e for _, e in spans), default=0)
                for array, (_, spans) in zip(arrays, texts, strict=True)
            ],
            dtype=np.int64,
        )
        shift = np.cumsum(extents) - extents
        offsets = tokens[:, 1].astype(np.int64)
        offsets += np.repeat(shift, [len(array) for array in arrays])
        bounds = np.array(
            [span for _, segments in texts for span in segments], dtype=np.int64
        ).reshape(-1, 2)
        bounds += np.repeat(shift, [len(segments) for _, segments in texts])[:, None]
        lo = np.searchsorted(offsets, bounds[:, 0], side="left")
        hi = np.searchsorted(offsets, bounds[:, 1], side="left")
        ids = self.lexicon.ids(tokens[:, 0], texts[0][0].vocab.strings)
        return TextScan(self, ids, lo, hi)

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
    :meth:`explain` says why. Every match is kept as (rule, token position of its
    first word); a ``near`` match also keeps the positions of all its items.
    """

    def __init__(self, matcher: Matcher, ids: Ints, lo: Ints, hi: Ints) -> None:
        self.matcher = matcher
        self.ids = ids
        n, n_segments, n_atoms = len(ids), len(lo), len(matcher.lexicon)
        self._n = n
        # per token: the last segment starting at or before it, and whether it is inside it
        starts = np.bincount(lo, minlength=n + 1)[: n + 1]
        ends = np.bincount(hi, minlength=n + 1)[: n + 1]
        self.segment: Ints = np.cumsum(starts[:n]) - 1
        inside = np.cumsum(starts[:n] - ends[:n]) > 0
        self.inside = inside
        self._lo = np.append(lo, 0)  # [-1] -> 0: harmless for tokens before any segment
        self._hi = np.append(hi, 0)
        # (token, atom) pairs inside segments, grouped by atom: self._keys = atom * n + token
        tokens, atoms = matcher.lexicon.pairs(ids, inside)
        per_atom = np.bincount(atoms, minlength=n_atoms)
        self._bounds = np.zeros(n_atoms + 1, dtype=np.intp)
        np.cumsum(per_atom, out=self._bounds[1:])
        order = np.argsort(_small(atoms), kind="stable")  # a radix sort, much faster
        self._places = tokens[order]
        self._keys = np.repeat(np.arange(n_atoms, dtype=np.int64) * n, per_atom) + self._places
        # every match: simple rules straight from their atoms' positions, then the others
        counts = per_atom[matcher._simple_atoms]
        rule = [np.repeat(matcher._simple, counts)]
        place = [self._places[_ranges(self._bounds[matcher._simple_atoms], counts)]]
        item, item_start = self._items()
        self._item_keys = item.astype(np.int64) * n + item_start
        self._item_bounds = np.zeros(len(matcher._item_width) + 1, dtype=np.intp)
        np.cumsum(np.bincount(item, minlength=len(matcher._item_width)), out=self._item_bounds[1:])
        self._item_start = item_start
        for r, p in (self._phrases(), self._nears()):
            rule.append(r)
            place.append(p)
        self.rule: Ints = np.concatenate(rule)
        self.place: Ints = np.concatenate(place)
        # near matches come last, in the rows of self._spans
        self._first_near = len(self.rule) - len(self._spans)
        n_rules = len(matcher.rules)
        key = self.segment[self.place] * n_rules + self.rule
        counts = np.bincount(key, minlength=n_segments * n_rules).reshape(n_segments, n_rules)
        self.counts = counts
        rule_scores = np.zeros(counts.shape, dtype=np.float64)
        matched = np.flatnonzero(counts != 0)  # 1-d, on booleans: the cheapest search
        times = counts.ravel()[matched]
        rule_scores.ravel()[matched] = matcher._weights[matched % n_rules] * (
            2.0 - 0.5 ** (times - 1.0)
        )
        self.rule_scores: Floats = rule_scores
        # code scores: sum the rule scores of each code (no BLAS: it would spin threads)
        scores = np.zeros((n_segments, len(matcher.codes)), dtype=np.float64)
        if len(matcher.rules) and n_segments:
            sums = np.add.reduceat(rule_scores, matcher._code_starts, axis=1)
            scores[:, matcher._codes_with_rules] = sums
        self.scores: Floats = np.round(scores, 4)

    # -- matching ----------------------------------------------------------------------

    def _bounds_of(self, positions: Ints) -> tuple[Ints, Ints]:
        """The first and the end token of the segment of each of *positions* (inside)."""
        segment = self.segment[positions]
        return self._lo[segment], self._hi[segment]

    def _count(self, atoms: Ints, lows: Ints, highs: Ints) -> Ints:
        """How many tokens satisfying ``atoms[i]`` lie in ``lows[i] .. highs[i] - 1``."""
        base = atoms.astype(np.int64) * self._n
        counted: Ints = np.searchsorted(self._keys, base + highs) - np.searchsorted(
            self._keys, base + lows
        )
        return counted

    def _items(self) -> tuple[Ints, Ints]:
        """``(item, start)`` of every place where an item (a slot sequence) matches, wholly
        inside one segment, sorted by item and then position.

        Candidates come from each item's slot with the fewest occurrences; the other
        slots are checked at their offsets.
        """
        matcher, n = self.matcher, self._n
        atoms, width = matcher._item_atoms, matcher._item_width
        if not len(width):
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        occurs = np.where(atoms >= 0, np.diff(self._bounds)[atoms], n + 1)
        key = np.argmin(occurs, axis=1)
        key_atom = atoms[np.arange(len(width)), key]
        counts = occurs[np.arange(len(width)), key]
        item = np.repeat(np.arange(len(width), dtype=np.intp), counts)
        offset = key[item]
        start = self._places[_ranges(self._bounds[key_atom], counts)] - offset
        ok = (start >= 0) & (start + width[item] <= n)
        item, start, offset = item[ok], start[ok], offset[ok]
        for j in range(atoms.shape[1]):
            atom = atoms[item, j]
            check = (atom >= 0) & (offset != j)
            if not check.any():
                continue
            wanted = atom[check].astype(np.int64) * n + start[check] + j
            found = np.searchsorted(self._keys, wanted)
            hit = self._keys[np.minimum(found, len(self._keys) - 1)] == wanted
            ok = np.ones(len(item), dtype=bool)
            ok[check] = hit
            item, start, offset = item[ok], start[ok], offset[ok]
        last = start + width[item] - 1
        same = self.segment[start] == self.segment[last]
        return item[same], start[same]

    def _item_places(self, items: Ints) -> tuple[Ints, Ints]:
        """For each of *items*, the positions where it starts: ``(index into items, start)``."""
        counts = np.diff(self._item_bounds)[items]
        which = np.repeat(np.arange(len(items), dtype=np.intp), counts)
        return which, self._item_start[_ranges(self._item_bounds[items], counts)]

    def _negated(self, rules: Ints, firsts: Ints, lasts: Ints) -> Bools:
        """For matches of *rules* spanning tokens ``firsts[i]..lasts[i]``: is one of its
        'unless' words within ``unless_within`` tokens before or after (same segment)?"""
        atoms = self.matcher._unless[rules]
        w = self.matcher._unless_within[rules]
        seg_lo, seg_hi = self._bounds_of(firsts)
        before_from = np.maximum(seg_lo, firsts - w)
        after_to = np.maximum(np.minimum(seg_hi, lasts + 1 + w), lasts + 1)
        negated: Bools = (self._count(atoms, before_from, firsts) > 0) | (
            self._count(atoms, lasts + 1, after_to) > 0
        )
        return negated

    def _phrases(self) -> tuple[Ints, Ints]:
        """``(rule, start)`` of every match of a phrase rule that is not simple."""
        matcher = self.matcher
        which, start = self._item_places(matcher._phrase_item)
        rule = matcher._phrase[which]
        has_unless = matcher._unless[rule] >= 0
        if has_unless.any():
            width = matcher._item_width[matcher._phrase_item[which]]
            negated = np.zeros(len(rule), dtype=bool)
            negated[has_unless] = self._negated(
                rule[has_unless], start[has_unless], (start + width - 1)[has_unless]
            )
            rule, start = rule[~negated], start[~negated]
        return rule, start

    def _nears(self) -> tuple[Ints, Ints]:
        """``(rule, anchor)`` of every match of a near rule; ``self._spans`` holds, per match,
        the start of each of its items (-1 beyond the rule's items)."""
        matcher = self.matcher
        items = matcher._near_items
        which, anchor = self._item_places(items[:, 0] if len(items) else _ints([]))
        spans = np.full((len(which), items.shape[1]), -1, dtype=np.intp)
        if len(which):
            spans[:, 0] = anchor
            within = matcher._near_within[which]
            seg_lo, seg_hi = self._bounds_of(anchor)
            lows = np.maximum(seg_lo, anchor - within)
            highs = np.minimum(seg_hi, anchor + within + 1)
            ok = np.ones(len(which), dtype=bool)
            for k in range(1, items.shape[1]):
                item = items[which, k]
                has = item >= 0
                nearest = self._nearest(item[has], anchor[has], lows[has], highs[has])
                spans[has, k] = nearest
                ok[has] &= nearest >= 0
            which, anchor, spans = which[ok], anchor[ok], spans[ok]
        rule = matcher._near[which]
        has_unless = matcher._unless[rule] >= 0
        if has_unless.any():
            real = np.where(spans >= 0, spans, anchor[:, None])
            negated = np.zeros(len(rule), dtype=bool)
            negated[has_unless] = self._negated(
                rule[has_unless], real.min(axis=1)[has_unless], real.max(axis=1)[has_unless]
            )
            rule, anchor, spans = rule[~negated], anchor[~negated], spans[~negated]
        self._spans = spans
        return rule, anchor

    def _nearest(self, items: Ints, anchors: Ints, lows: Ints, highs: Ints) -> Ints:
        """Per anchor, the nearest start of ``items[i]`` other than itself in
        ``lows[i] .. highs[i] - 1`` (ties: the earlier); -1 where there is none."""
        base = items.astype(np.int64) * self._n
        first, end = self._item_bounds[items], self._item_bounds[items + 1]
        after = np.searchsorted(self._item_keys, base + anchors, side="right")
        before = np.searchsorted(self._item_keys, base + anchors, side="left") - 1
        starts = self._item_start
        right = starts[np.minimum(after, len(starts) - 1)] if len(starts) else anchors
        left = starts[np.maximum(before, 0)] if len(starts) else anchors
        right_ok = (after < end) & (right < highs)
        left_ok = (before >= first) & (left >= lows)
        pick_left = left_ok & (~right_ok | (anchors - left <= right - anchors))
        nearest: Ints = np.where(pick_left, left, np.where(right_ok, right, -1))
        return nearest

    # -- evidence ----------------------------------------------------------------------

    def explain(self, k: int, code: int) -> str:
        """The evidence of code index *code* in segment *k*: its patterns, strongest first."""
        keep = np.zeros(self.scores.shape, dtype=bool)
        keep[k, code] = True
        return self.explain_all(keep)[0] if self.scores[k, code] > 0 else ""

    def explain_all(self, keep: Bools) -> list[str]:
        """The evidence of every code *keep* (segments x codes) marks, in ``np.nonzero`` order.

        Each marked code must have evidence (a score above 0). A code's evidence
        lists its patterns by score (then codebook order), each with the words
        that matched it.
        """
        matcher = self.matcher
        segment = self.segment[self.place]
        chosen = np.flatnonzero(keep[segment, matcher._rule_code[self.rule]])
        if not len(chosen):
            return []
        # in order of segment, rule (and so code) and position: within a rule the matches
        # are in position order already, so two stable (radix) sorts do
        chosen = chosen[np.argsort(_small(self.rule[chosen]), kind="stable")]
        chosen = chosen[np.argsort(_small(segment[chosen]), kind="stable")]
        rule, place = self.rule[chosen], self.place[chosen]
        key = segment[chosen] * len(matcher.codes) + matcher._rule_code[rule]
        # runs of one (key, rule): one part of an explanation; parts by score within a key
        starts = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]) | (rule[1:] != rule[:-1])])
        sizes = np.diff(np.r_[starts, len(key)])
        run_rule, run_key = rule[starts], key[starts]
        score = matcher._weights[run_rule] * (2.0 - 0.5 ** (sizes - 1.0))
        runs = np.lexsort((-score, run_key))  # stable: equal scores stay in rule order
        run_rule, run_key, starts, sizes = run_rule[runs], run_key[runs], starts[runs], sizes[runs]
        words = self._words(chosen, rule, place)
        parts = np.empty(len(runs), dtype=object)
        once = sizes == 1
        # one match: its words and the pattern (object arrays: the strings joined in C)
        parts[once] = words[starts[once]] + matcher._source_array[run_rule[once]]
        listed_words = words.tolist()
        parts[~once] = _objects(
            [
                self._part(r, listed_words[a : a + size])
                for r, a, size in zip(
                    run_rule[~once].tolist(),
                    starts[~once].tolist(),
                    sizes[~once].tolist(),
                    strict=True,
                )
            ]
        )
        # the parts of one code are neighbours: join each group of more than one
        cuts = np.flatnonzero(np.r_[True, run_key[1:] != run_key[:-1], True])
        out = parts[cuts[:-1]]
        several = np.flatnonzero(np.diff(cuts) > 1)
        listed = parts.tolist()
        out[several] = _objects(
            [
                "; ".join(listed[a:b])
                for a, b in zip(cuts[several].tolist(), cuts[several + 1].tolist(), strict=True)
            ]
        )
        explained: list[str] = out.tolist()
        return explained

    def _words(self, chosen: Ints, rule: Ints, place: Ints) -> npt.NDArray[np.object_]:
        """The matched words of each match: a word, a phrase, or a near's words joined by '…'."""
        texts = self.matcher.lexicon.texts
        words = self.matcher.lexicon.text_array()[self.ids[place]]
        width = self.matcher._width_of[rule]
        wide = np.flatnonzero(width > 1)
        if len(wide):
            most = int(width[wide].max())
            at = np.minimum(place[wide, None] + np.arange(most), self._n - 1)
            words[wide] = _objects(
                [
                    " ".join([texts[w] for w in row[:size]])
                    for size, row in zip(width[wide].tolist(), self.ids[at].tolist(), strict=True)
                ]
            )
        near = np.flatnonzero(width == 0)
        if len(near):
            spans = np.sort(self._spans[chosen[near] - self._first_near], axis=1)
            words[near] = _objects(
                [
                    "…".join([texts[w] for w, at in zip(row, span, strict=True) if at >= 0])
                    for row, span in zip(self.ids[spans].tolist(), spans.tolist(), strict=True)
                ]
            )
        return words

    def _part(self, r: int, words: list[str]) -> str:
        """One rule's part of an explanation: its words (up to three forms), the pattern,
        and how often it matched."""
        if len(words) == 1:
            return words[0] + self.matcher._sources[r]
        forms = list(dict.fromkeys(words))
        shown = "/".join(forms[:3]) + ("/…" if len(forms) > 3 else "")
        return f"{shown}{self.matcher._sources[r]} ({len(words)}x)"
