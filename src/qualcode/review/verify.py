"""Verifying quotes against respondent speech: a status per quote, its matches and diff.

A quote's words are compared with the transcripts word by word (see
``tokens`` for what is normalised: whitespace, quote marks, apostrophes,
dashes, case, and punctuation between words). The status, for a quote
attributed to organisation *A*, with *sA* the best similarity in *A*'s
transcripts and *sB* the best in the others':

- ``verified``: sA = 1 (every word as said, left-out text marked ``[…]``);
- ``misattributed``: sB = 1 > sA, or sB ≥ threshold and sB > sA;
- ``altered``: threshold ≤ sA < 1 (and no better passage elsewhere);
- ``not_found``: neither reaches the threshold;
- ``unattributed``: the quote names no organisation (or a document); it is
  searched all the same and its matches listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qualcode.review.align import INSERTION_SKIP, align, diff_ops
from qualcode.review.attribute import Attribution
from qualcode.review.extract import Quote
from qualcode.review.index import SpeechIndex
from qualcode.review.model import Match, QuoteResult
from qualcode.review.tokens import tokenize

__all__ = ["DEFAULT_THRESHOLD", "ELISION_SKIP", "verify_quote", "verify_quotes"]

#: Least similarity for a passage to count as the source of an altered quote.
DEFAULT_THRESHOLD = 0.7
#: Most words that ``[…]`` may leave out.
ELISION_SKIP = 400


@dataclass(frozen=True)
class _Prepared:
    """A quote's said words ready to match: forms as written, ids, gaps between pieces."""

    written: tuple[str, ...]
    ids: tuple[int, ...]
    gaps: tuple[tuple[int, int], ...]
    labels: tuple[tuple[str, str], ...]

    @property
    def spread(self) -> int:
        return sum(g for _, g in self.gaps)


def _prepare(quote: Quote, index: SpeechIndex) -> _Prepared:
    written: list[str] = []
    norms: list[str] = []
    gaps: list[tuple[int, int]] = []
    labels: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    for part in quote.parts:
        if part.kind != "said":
            pending.append((part.kind, part.text))
            continue
        toks = tokenize(part.text)
        if pending and written:
            skip = sum(ELISION_SKIP if k == "elision" else INSERTION_SKIP for k, _ in pending)
            kind = "elision" if any(k == "elision" for k, _ in pending) else "insertion"
            gaps.append((len(written), skip))
            labels.append((kind, " ".join(t for _, t in pending)))
        pending = []
        written.extend(part.text[t.start : t.end] for t in toks)
        norms.extend(t.norm for t in toks)
    return _Prepared(tuple(written), tuple(index.encode(norms)), tuple(gaps), tuple(labels))


def _matches(
    prep: _Prepared, index: SpeechIndex, attributed: str | None, *, limit: int = 8
) -> list[Match]:
    """The best passage per transcript among the candidates worth aligning, best first."""
    candidates = index.candidates(prep.ids, spread=prep.spread)
    chosen = candidates[:limit]
    if attributed is not None:
        own = [c for c in candidates if index.docs[c.doc].transcript.organisation == attributed]
        chosen += [c for c in own[:3] if c not in chosen]
    best: dict[int, Match] = {}
    for c in chosen:
        doc = index.docs[c.doc]
        a = align(prep.ids, prep.gaps, doc.ids[c.lo : c.hi])
        if a is None or a.last < a.first:
            continue
        if c.doc in best and best[c.doc].similarity >= a.similarity:
            continue
        words = [
            doc.transcript.text[s:e]
            for s, e in zip(doc.starts[c.lo : c.hi], doc.ends[c.lo : c.hi], strict=True)
        ]
        pieces = tuple(
            (int(doc.starts[c.lo + f]), int(doc.ends[c.lo + la])) for f, la in a.pieces if f >= 0
        )
        best[c.doc] = Match(
            file=doc.transcript.file,
            organisation=doc.transcript.organisation,
            start=int(doc.starts[c.lo + a.first]),
            end=int(doc.ends[c.lo + a.last]),
            similarity=a.similarity,
            pieces=pieces,
            diff=diff_ops(a, prep.written, words, prep.labels),
        )
    return sorted(best.values(), key=lambda m: (-m.similarity, m.file, m.start))


def verify_quote(
    quote: Quote,
    attribution: Attribution,
    index: SpeechIndex,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> QuoteResult:
    """Check one *quote*, attributed as *attribution*, against the speech in *index*."""
    org = attribution.organisation if attribution.kind == "respondent" else None
    prep = _prepare(quote, index)
    found = _matches(prep, index, org)
    closest = found[0] if found else None
    above = [m for m in found if m.similarity >= threshold]
    if org is None:
        return QuoteResult(quote, attribution, "unattributed", tuple(above), closest)
    own = [m for m in above if m.organisation == org]
    other = [m for m in above if m.organisation != org]
    s_own = own[0].similarity if own else 0.0
    s_other = other[0].similarity if other else 0.0
    if own and own[0].exact:
        status = "verified"
    elif other and (other[0].exact or s_other > s_own):
        status = "misattributed"
        return QuoteResult(quote, attribution, status, tuple(other + own), closest)
    elif own:
        status = "altered"
    else:
        status = "not_found"
    return QuoteResult(quote, attribution, status, tuple(own + other), closest)


def verify_quotes(
    quotes: Sequence[Quote],
    attributions: Sequence[Attribution],
    index: SpeechIndex,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> list[QuoteResult]:
    """Check every quote of *quotes* with its attribution (same order).

    *progress*, when given, wraps the iteration over quote numbers (a progress bar).
    """
    steps: Iterable[int] = range(len(quotes))
    if progress is not None:
        steps = progress(steps)
    return [verify_quote(quotes[i], attributions[i], index, threshold=threshold) for i in steps]
