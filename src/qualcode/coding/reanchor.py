"""Re-anchoring: finding a coded passage again after its transcript changed.

A coding keeps the passage it was made on (its stored snippet) with some
context either side. When the transcript's text changes, :func:`locate` looks
for the passage in the new text:

1. **exact**: every occurrence of the snippet, the one whose surrounding text
   best matches the stored context and that lies nearest to where the old
   position maps to wins;
2. **fuzzy**: the old span carried through a character alignment of the old
   and new text, or the best partial match in a window around it, when its
   similarity to the snippet reaches the threshold (a typo fixed inside the
   passage, a word changed);
3. otherwise nothing: the caller marks the coding *orphaned*.

The module is pure: texts and anchors in, placements out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

__all__ = [
    "ANCHOR_CONTEXT",
    "FUZZY_THRESHOLD",
    "Anchor",
    "Alignment",
    "Placement",
    "locate",
    "nearest_occurrence",
]

#: Minimum similarity (0-100) between the snippet and a fuzzy match to accept it.
FUZZY_THRESHOLD = 80.0

#: A context similarity (0-100) at or above which an exact match far from the old place is trusted.
_CONTEXT_TRUSTED = 60.0

#: Largest old x new middle section aligned character by character; beyond it lines are aligned.
_MAX_CHAR_ALIGNMENT = 100_000_000


#: Characters of context kept on each side of a coded passage, for re-anchoring.
ANCHOR_CONTEXT = 60


@dataclass(frozen=True)
class Anchor:
    """The coded passage as it was when coded (``snippet``) with some text either side.

    The stored snippet is the one copy of coded text qualcode keeps: it exists
    only to find the passage again after the transcript changed.
    """

    snippet: str
    before: str = ""
    after: str = ""

    @classmethod
    def of(cls, text: str, start: int, end: int, *, context: int = ANCHOR_CONTEXT) -> Anchor:
        """The anchor of ``text[start:end]``."""
        return cls(
            text[start:end], text[max(0, start - context) : start], text[end : end + context]
        )


@dataclass(frozen=True)
class Placement:
    """Where a passage is in the new text, how it was found, and how sure that is (0-100)."""

    start: int
    end: int
    method: str  # "exact" or "fuzzy"
    score: float


class Alignment:
    """Carries offsets of an old text into a new one, through a character alignment.

    Unchanged text maps exactly; inserted text is never inside a mapped span;
    deleted text collapses to the point where it was.
    """

    def __init__(self, old: str, new: str) -> None:
        self.old_length = len(old)
        self.new_length = len(new)
        self._pos = _align(old, new)

    def start(self, i: int) -> int:
        """The new offset of the old start offset *i*."""
        for k in range(max(i, 0), self.old_length):
            if self._pos[k] >= 0:
                return self._pos[k]
        return self.new_length

    def end(self, e: int) -> int:
        """The new offset of the old (exclusive) end offset *e*."""
        for k in range(min(e, self.old_length) - 1, -1, -1):
            if self._pos[k] >= 0:
                return self._pos[k] + 1
        return 0


def _align(old: str, new: str) -> list[int]:
    """For every character of *old*, its offset in *new*, or -1 when deleted."""
    pos = [-1] * len(old)
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        pos[prefix] = prefix
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        pos[len(old) - 1 - suffix] = len(new) - 1 - suffix
        suffix += 1
    a, b = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if not a or not b:
        return pos
    if len(a) * len(b) <= _MAX_CHAR_ALIGNMENT:
        for op in Indel.opcodes(a, b):
            if op.tag == "equal":
                for k in range(op.src_end - op.src_start):
                    pos[prefix + op.src_start + k] = prefix + op.dest_start + k
        return pos
    # Very long changed sections: align whole lines (equal lines map exactly).
    old_lines, new_lines = a.splitlines(keepends=True), b.splitlines(keepends=True)
    old_at = _line_starts(old_lines)
    new_at = _line_starts(new_lines)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        width = old_at[i2] - old_at[i1]
        for k in range(width):
            pos[prefix + old_at[i1] + k] = prefix + new_at[j1] + k
    return pos


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How well the text around ``[start:end]`` matches the anchor's context (0-100)."""
    before = text[max(0, start - len(anchor.before)) : start]
    after = text[end : end + len(anchor.after)]
    return (fuzz.ratio(anchor.before, before) + fuzz.ratio(anchor.after, after)) / 2


def _occurrences(text: str, snippet: str) -> list[int]:
    found = []
    i = text.find(snippet)
    while i >= 0:
        found.append(i)
        i = text.find(snippet, i + 1)
    return found


def nearest_occurrence(text: str, snippet: str, *, near: int) -> int | None:
    """The start of the occurrence of *snippet* in *text* nearest to offset *near*, or None."""
    found = _occurrences(text, snippet) if snippet else []
    return min(found, key=lambda p: (abs(p - near), p)) if found else None


def _plausible(anchor: Anchor, text: str, start: int, end: int, expected: int) -> float | None:
    """A rank for a candidate place (higher is better), or None when it is another passage.

    A candidate counts when its surroundings match the stored context, or when
    it lies about where the old position maps to.
    """
    context = _context_score(anchor, text, start, end)
    distance = abs(start - expected)
    if context < _CONTEXT_TRUSTED and distance > max(len(anchor.snippet), 40):
        return None  # the same words elsewhere, in another passage
    return context - 20.0 * min(1.0, distance / 2000)


def _exact(anchor: Anchor, text: str, expected: int) -> Placement | None:
    length = len(anchor.snippet)
    best: tuple[float, int] | None = None
    for p in _occurrences(text, anchor.snippet):
        rank = _plausible(anchor, text, p, p + length, expected)
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, p)
    if best is None:
        return None
    return Placement(best[1], best[1] + length, "exact", 100.0)


def _snap(text: str, start: int, end: int, anchor: Anchor) -> tuple[int, int]:
    """Widen a partial match to whole words where the stored passage began/ended on a word edge."""
    snippet = anchor.snippet
    if snippet[:1].isalnum() and not anchor.before[-1:].isalnum():
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    if snippet[-1:].isalnum() and not anchor.after[:1].isalnum():
        while end < len(text) and text[end].isalnum():
            end += 1
    return start, end


def _fuzzy(
    anchor: Anchor, text: str, expected: tuple[int, int], threshold: float
) -> Placement | None:
    snippet = anchor.snippet
    candidates: list[tuple[float, int, int]] = []
    a, b = expected
    if b > a:
        candidates.append((fuzz.ratio(snippet, text[a:b]), a, b))
    margin = len(snippet) + 200
    lo = max(0, a - margin)
    window = text[lo : max(b, a) + margin]
    if window:
        found = fuzz.partial_ratio_alignment(snippet, window)
        if found is not None:
            s, e = _snap(text, lo + found.dest_start, lo + found.dest_end, anchor)
            if _plausible(anchor, text, s, e, a) is not None:
                candidates.append((fuzz.ratio(snippet, text[s:e]), s, e))
    if not candidates:
        return None
    score, s, e = max(candidates, key=lambda c: c[0])
    if score < threshold or e <= s:
        return None
    return Placement(s, e, "fuzzy", round(score, 1))


def locate(
    anchor: Anchor,
    text: str,
    *,
    old_span: tuple[int, int],
    alignment: Alignment | None = None,
    threshold: float = FUZZY_THRESHOLD,
) -> Placement | None:
    """Find the passage *anchor* describes in the new *text*; None when it is gone.

    *old_span* is the passage's ``(start, end)`` in the old text; *alignment*
    (old text to new) carries it to where it should now be. Without one the
    old offsets are taken as they are.
    """
    if not anchor.snippet:
        return None
    if alignment is not None:
        expected = (alignment.start(old_span[0]), alignment.end(old_span[1]))
    else:
        expected = (min(old_span[0], len(text)), min(old_span[1], len(text)))
    return _exact(anchor, text, expected[0]) or _fuzzy(anchor, text, expected, threshold)
