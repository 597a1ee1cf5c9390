"""Word alignment of a quote with a passage of respondent speech, and the word-level diff.

The quote's said words are aligned with a stretch of a transcript by edit
distance on words (substituted, added or dropped words cost 1), where the
stretch may start and end anywhere. Between two said pieces the transcript may
run on for free: up to ``max_skip`` words, unbounded for left-out text
(``[…]``) and up to 4 words for an author's insertion (``[de stuurgroep]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["BREAK", "QuoteAlignment", "DiffOp", "align", "diff_text"]

#: Words the transcript may run on at an author's insertion.
INSERTION_SKIP = 4
#: The word id between two turns: it matches nothing, and a said piece never runs over it.
BREAK = -1
_OVER_BREAK = 1_000_000


@dataclass(frozen=True)
class DiffOp:
    """One step of a word diff between what was said and what the report writes.

    *kind* is ``equal``, ``replace``, ``delete`` (said, left out of the
    quote), ``insert`` (written, never said), ``elision`` (``[…]``: said words
    left out, as marked) or ``insertion`` (the author's ``[bracketed words]``).
    """

    kind: str
    said: tuple[str, ...] = ()
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteAlignment:
    """Where a quote aligns in a word sequence, and how well.

    ``first``/``last`` are the first and last aligned word places (inclusive);
    ``pieces`` the ``(first, last)`` places of each said piece; ``cost`` the word
    edits; ``steps`` pairs of (quote word index or -1, transcript place or -1),
    with ``(-2, piece)`` marking a gap after said piece ``piece``.
    """

    cost: int
    first: int
    last: int
    pieces: tuple[tuple[int, int], ...]
    steps: tuple[tuple[int, int], ...]
    quote_words: int
    passage_words: int

    @property
    def similarity(self) -> float:
        """1 minus word edits per word (of the quote or the passage, whichever is longer)."""
        size = max(self.quote_words, self.passage_words, 1)
        return round(max(0.0, 1.0 - self.cost / size), 3)


def align(
    quote: Sequence[int],
    gaps: Sequence[tuple[int, int]],
    words: np.ndarray,
) -> QuoteAlignment | None:
    """Best alignment of the word ids *quote* inside *words* (a transcript stretch).

    *gaps* are ``(after, max_skip)``: after ``quote[:after]`` (0 < after <
    len(quote)) the transcript may skip up to *max_skip* words for free.
    Returns None for an empty quote or stretch.
    """
    m, n = len(quote), len(words)
    if not m or not n:
        return None
    skip_after = {a: g for a, g in gaps if 0 < a < m}
    if not skip_after:
        exact = _exact(quote, words)
        if exact is not None:
            return exact
    step = np.where(words == BREAK, _OVER_BREAK, 1).astype(np.int64)  # cost of passing a word
    cols = np.concatenate(([0], np.cumsum(step)))
    rows = np.empty((m + 1, n + 1), dtype=np.int64)
    pre: dict[int, np.ndarray] = {}
    rows[0] = 0
    # the cost of taking transcript word j for quote word i, for all of them at once
    mismatches = np.where(words[None, :] == np.asarray(quote, dtype=np.int64)[:, None], 0, step)
    for i in range(1, m + 1):
        prev, row = rows[i - 1], rows[i]
        best = prev + 1
        np.minimum(best[1:], prev[:-1] + mismatches[i - 1], out=best[1:])
        best -= cols
        np.minimum.accumulate(best, out=row)
        row += cols
        if i in skip_after:
            pre[i] = row.copy()
            rows[i] = _skip(row, skip_after[i])
    last_row = rows[m]
    end = int(n - np.argmin(last_row[::-1]))  # rightmost best end
    return _trace(rows, pre, skip_after, quote, words, end)


def _exact(quote: Sequence[int], words: np.ndarray) -> QuoteAlignment | None:
    """The alignment of a quote (without gaps) that occurs word for word in *words*, else None.

    The same alignment as the full table gives: cost 0 is only reached by an
    unbroken run of equal words, and the table takes the rightmost such run.
    """
    m, n = len(quote), len(words)
    if m > n:
        return None
    q = np.asarray(quote, dtype=np.int64)
    for s in np.flatnonzero(words[: n - m + 1] == q[0])[::-1].tolist():
        if np.array_equal(words[s : s + m], q):
            steps = tuple((i, s + i) for i in range(m))
            return QuoteAlignment(0, s, s + m - 1, ((s, s + m - 1),), steps, m, m)
    return None


def _skip(row: np.ndarray, limit: int) -> np.ndarray:
    """Row after a free skip of up to *limit* words: a running minimum over the window."""
    if limit >= len(row):
        return np.minimum.accumulate(row)
    out = row.copy()
    for k in range(1, limit + 1):
        np.minimum(out[k:], row[:-k], out=out[k:])
    return out


def _trace(
    rows: np.ndarray,
    pre: dict[int, np.ndarray],
    skip_after: dict[int, int],
    quote: Sequence[int],
    words: np.ndarray,
    end: int,
) -> QuoteAlignment:
    """Walk back from ``(len(quote), end)``: diagonal steps first, then quote-only, then skips."""
    i, j = len(quote), end
    steps: list[tuple[int, int]] = []
    piece = len(pre)
    bounds: list[list[int]] = [[] for _ in range(piece + 1)]
    after_skip = True  # at row i, in the row as it is after a free skip
    while i > 0:
        if i in pre and after_skip:
            target = rows[i][j]
            k = j
            while pre[i][k] != target:
                k -= 1
            piece -= 1
            steps.append((-2, piece))
            j, after_skip = k, False
            continue
        row = pre[i] if i in pre else rows[i]
        here = row[j]
        passing = _OVER_BREAK if words[j - 1] == BREAK else 1
        if j > 0 and rows[i - 1][j - 1] + (0 if words[j - 1] == quote[i - 1] else passing) == here:
            steps.append((i - 1, j - 1))
            bounds[piece].append(j - 1)
            i, j, after_skip = i - 1, j - 1, True
        elif rows[i - 1][j] + 1 == here:
            steps.append((i - 1, -1))
            i, after_skip = i - 1, True
        else:
            steps.append((-1, j - 1))
            bounds[piece].append(j - 1)
            j -= 1
    steps.reverse()
    places = [p for b in bounds for p in b]
    first, last = (min(places), max(places)) if places else (j, j - 1)
    pieces = tuple((min(b), max(b)) if b else (-1, -1) for b in bounds)
    return QuoteAlignment(
        int(rows[len(quote)][end]), first, last, pieces, tuple(steps), len(quote), len(places)
    )


def diff_ops(
    alignment: QuoteAlignment,
    quote: Sequence[int],
    words: Sequence[int],
    texts: tuple[Sequence[str], Sequence[str]],
    gap_labels: Sequence[tuple[str, str]],
) -> tuple[DiffOp, ...]:
    """The word diff of an alignment of word ids *quote* with *words*, grouped into runs.

    *texts* are the quote's words as written and the stretch's words as said;
    *gap_labels* ``(kind, text)`` of each gap between said pieces
    (``("elision", "[…]")``, ``("insertion", "[de VNG]")``).
    """
    written, said = texts
    ops: list[DiffOp] = []

    def add(kind: str, old: tuple[str, ...] = (), new: tuple[str, ...] = ()) -> None:
        if ops and ops[-1].kind == kind and kind in ("equal", "replace", "insert", "delete"):
            last = ops[-1]
            ops[-1] = DiffOp(kind, last.said + old, last.written + new)
        else:
            ops.append(DiffOp(kind, old, new))

    for q, w in alignment.steps:
        if q == -2:
            kind, text = gap_labels[w] if w < len(gap_labels) else ("elision", "[…]")
            add(kind, (), (text,))
        elif q >= 0 and w >= 0:
            add("equal" if quote[q] == words[w] else "replace", (said[w],), (written[q],))
        elif q >= 0:
            add("insert", (), (written[q],))
        else:
            add("delete", (said[w],), ())
    return tuple(_merge_changes(ops))


def _merge_changes(ops: list[DiffOp]) -> list[DiffOp]:
    """Adjacent replace/insert/delete runs become one replace: ``[-a b-] {+c+}``."""
    out: list[DiffOp] = []
    for op in ops:
        if (
            out
            and op.kind in ("replace", "insert", "delete")
            and out[-1].kind in ("replace", "insert", "delete")
        ):
            last = out[-1]
            out[-1] = DiffOp("replace", last.said + op.said, last.written + op.written)
        else:
            out.append(op)
    return [
        DiffOp("delete", op.said, ())
        if op.kind == "replace" and not op.written
        else DiffOp("insert", (), op.written)
        if op.kind == "replace" and not op.said
        else op
        for op in out
    ]


def diff_text(ops: Sequence[DiffOp], *, context: int = 3) -> str:
    """A diff as one line: ``… de [-gemeenten-] {+gemeente+} …``.

    Said words the quote changed are in ``[-…-]``, written words never said in
    ``{+…+}``; elisions and insertions are shown as written. Unchanged runs keep
    *context* words on each side of a change. No change: ``""``.
    """
    if all(op.kind in ("equal", "elision", "insertion") for op in ops):
        return ""
    parts: list[str] = []
    for k, op in enumerate(ops):
        if op.kind == "equal":
            words = list(op.written)
            keep_left = context if k > 0 else 0
            keep_right = context if k < len(ops) - 1 else 0
            if len(words) > keep_left + keep_right:
                head = words[:keep_left]
                tail = words[len(words) - keep_right :] if keep_right else []
                parts.extend([*head, "…", *tail])
            else:
                parts.extend(words)
        elif op.kind in ("elision", "insertion"):
            parts.extend(op.written)
        else:
            if op.said:
                parts.append("[-" + " ".join(op.said) + "-]")
            if op.written:
                parts.append("{+" + " ".join(op.written) + "+}")
    return " ".join(parts)
