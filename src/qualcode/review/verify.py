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
from dataclasses import dataclass, replace

import numpy as np

from qualcode.review.align import INSERTION_SKIP, QuoteAlignment, align, diff_ops
from qualcode.review.attribute import Attribution
from qualcode.review.extract import DraftQuote
from qualcode.review.index import Candidate, SpeechIndex
from qualcode.review.model import PROBLEMS, Match, QuoteResult
from qualcode.review.tokens import WORD, norm_word

__all__ = ["DEFAULT_THRESHOLD", "ELISION_SKIP", "verify_quote", "verify_quotes"]

#: Least similarity for a passage to count as the source of an altered quote.
DEFAULT_THRESHOLD = 0.7
#: Most words that ``[…]`` may leave out.
ELISION_SKIP = 400
#: Rounding room when a similarity bound is compared (similarities have 3 decimals).
_MARGIN = 1e-3


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


def _prepare(quote: DraftQuote, index: SpeechIndex) -> _Prepared:
    written: list[str] = []
    norms: list[str] = []
    gaps: list[tuple[int, int]] = []
    labels: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    for part in quote.parts:
        if part.kind != "said":
            pending.append((part.kind, part.text))
            continue
        said = WORD.findall(part.text)
        if pending and written:
            skip = sum(ELISION_SKIP if k == "elision" else INSERTION_SKIP for k, _ in pending)
            kind = "elision" if any(k == "elision" for k, _ in pending) else "insertion"
            gaps.append((len(written), skip))
            labels.append((kind, " ".join(t for _, t in pending)))
        pending = []
        written.extend(said)
        norms.extend(map(norm_word, said))
    return _Prepared(tuple(written), tuple(index.encode(norms)), tuple(gaps), tuple(labels))


@dataclass(frozen=True)
class _Aligned:
    """A match before its diff is made (most matches never need one)."""

    match: Match
    alignment: QuoteAlignment
    doc: int
    lo: int
    hi: int


def _matches(
    prep: _Prepared,
    index: SpeechIndex,
    attributed: str | None,
    threshold: float,
    *,
    limit: int = 8,
) -> list[_Aligned]:
    """The best passage per transcript among the candidates worth aligning, best first.

    Aligned are the candidates with at least a third of the best one's votes
    (at most *limit*), and the best candidate in each transcript of the
    *attributed* organisation.
    """
    own_docs = index.docs_of(attributed) if attributed is not None else []
    candidates = index.candidates(prep.ids, spread=prep.spread, force=own_docs)
    if not candidates:
        return []
    floor = max(1, candidates[0].votes // 3)
    chosen = [c for c in candidates if c.votes >= floor][:limit]
    own = set(own_docs)
    for c in candidates:
        if c.doc in own and c not in chosen:
            chosen.append(c)
            own.discard(c.doc)
    best: dict[int, tuple[int, _Aligned]] = {}  # transcript -> (candidate's rank, best passage)
    later: list[tuple[int, Candidate, float]] = []
    exact_votes = 0
    for k, c in enumerate(chosen):
        if c.votes < exact_votes:
            break  # an exact passage of the named organisation is found; the rest is noise
        bound = _bound(prep.ids, index.docs[c.doc].ids[c.lo : c.hi])
        if bound < threshold - _MARGIN:
            later.append((k, c, bound))  # below the threshold: matters only if it is the closest
            continue
        found = _align(prep, index, c)
        if found is not None and (c.doc not in best or _better(found, k, best[c.doc])):
            best[c.doc] = (k, found)
            if found.match.exact and found.match.organisation == attributed:
                exact_votes = c.votes
    top = max((f.match.similarity for _, f in best.values()), default=-1.0)
    for k, c, bound in later:
        if bound + _MARGIN < top:
            continue  # it cannot be as close as the best passage found
        found = _align(prep, index, c)
        if found is not None and (c.doc not in best or _better(found, k, best[c.doc])):
            best[c.doc] = (k, found)
    return sorted(
        (f for _, f in best.values()),
        key=lambda f: (-f.match.similarity, f.match.file, f.match.start),
    )


def _bound(ids: Sequence[int], words: np.ndarray) -> float:
    """The highest similarity an alignment of *ids* with *words* can have.

    Every quote word that is not one of *words* costs an edit, and the
    similarity is at most the share of quote words matched (see
    ``QuoteAlignment.similarity``).
    """
    if not ids:
        return 1.0
    present = set(words.tolist())
    return sum(1 for i in ids if i in present) / len(ids)


def _better(found: _Aligned, rank: int, held: tuple[int, _Aligned]) -> bool:
    """Whether *found* replaces the passage *held* for its transcript: more similar, or as
    similar and from a candidate ranked earlier (the first best one wins)."""
    s, t = found.match.similarity, held[1].match.similarity
    return s > t or (s == t and rank < held[0])


def _align(prep: _Prepared, index: SpeechIndex, c: Candidate) -> _Aligned | None:
    """The alignment of the quote with candidate passage *c*, as a match (None: no overlap)."""
    doc = index.docs[c.doc]
    a = align(prep.ids, prep.gaps, doc.ids[c.lo : c.hi])
    if a is None or a.last < a.first:
        return None
    pieces = tuple(
        (int(doc.starts[c.lo + f]), int(doc.ends[c.lo + la])) for f, la in a.pieces if f >= 0
    )
    match = Match(
        file=doc.transcript.file,
        organisation=doc.transcript.organisation,
        start=int(doc.starts[c.lo + a.first]),
        end=int(doc.ends[c.lo + a.last]),
        similarity=a.similarity,
        pieces=pieces,
    )
    return _Aligned(match, a, c.doc, c.lo, c.hi)


def _with_diff(found: _Aligned, prep: _Prepared, index: SpeechIndex) -> Match:
    """The match with its word diff (none when it is exact)."""
    if found.match.exact:
        return found.match
    doc = index.docs[found.doc]
    text = doc.transcript.text
    said = [
        text[a:b]
        for a, b in zip(
            doc.starts[found.lo : found.hi].tolist(),
            doc.ends[found.lo : found.hi].tolist(),
            strict=True,
        )
    ]
    ops = diff_ops(
        found.alignment,
        prep.ids,
        doc.ids[found.lo : found.hi].tolist(),
        (prep.written, said),
        prep.labels,
    )
    return replace(found.match, diff=ops)


def _source(found: _Aligned, index: SpeechIndex) -> str:
    """Whose words a matched passage is: ``respondent``, ``paraphrase`` or ``interviewer``."""
    if index.interviewer:
        return "interviewer"
    spans = index.quoted_spans(found.doc)
    if spans is None:
        return "respondent"
    m = found.match
    inside = sum(max(0, min(b, m.end) - max(a, m.start)) for a, b in spans)
    return "respondent" if inside >= 0.8 * (m.end - m.start) else "paraphrase"


def verify_quote(
    quote: DraftQuote,
    attribution: Attribution,
    index: SpeechIndex,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    interviewer: SpeechIndex | None = None,
) -> QuoteResult:
    """Check one *quote*, attributed as *attribution*, against the speech in *index*.

    *interviewer*, an index of interviewer speech, is searched when the quote
    is not verified in respondent speech: a quote found there better than in
    any respondent's speech gets its verdict from there, with source
    ``interviewer``.
    """
    result = _verdict(quote, attribution, index, threshold)
    if interviewer is not None and interviewer.size and result.status in PROBLEMS:
        best = result.closest.similarity if result.closest is not None else 0.0
        other = _verdict(quote, attribution, interviewer, threshold)
        if other.closest is not None and other.closest.similarity > max(best, threshold - 1e-9):
            return other
    return result


def _verdict(
    quote: DraftQuote, attribution: Attribution, index: SpeechIndex, threshold: float
) -> QuoteResult:
    org = attribution.organisation if attribution.kind == "respondent" else None
    prep = _prepare(quote, index)
    found = _matches(prep, index, org, threshold)
    above = [f for f in found if f.match.similarity >= threshold]
    own = [f for f in above if f.match.organisation == org]
    other = [f for f in above if f.match.organisation != org]
    s_own = own[0].match.similarity if own else 0.0
    s_other = other[0].match.similarity if other else 0.0
    if org is None:
        status, ranked = "unattributed", above
    elif own and own[0].match.exact:
        status, ranked = "verified", own + other
    elif other and (other[0].match.exact or s_other > s_own):
        status, ranked = "misattributed", other + own
    elif own:
        status, ranked = "altered", own + other
    else:
        status, ranked = "not_found", []
    matches = [m.match for m in ranked]
    if matches:
        matches[0] = _with_diff(ranked[0], prep, index)
    closest = None
    if found:
        closest = (
            matches[0] if ranked and ranked[0] is found[0] else _with_diff(found[0], prep, index)
        )
    source = _source(ranked[0], index) if ranked else None
    return QuoteResult(quote, attribution, status, tuple(matches), closest, source)


def verify_quotes(
    quotes: Sequence[DraftQuote],
    attributions: Sequence[Attribution],
    index: SpeechIndex,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    interviewer: SpeechIndex | None = None,
) -> list[QuoteResult]:
    """Check every quote of *quotes* with its attribution (same order).

    *progress*, when given, wraps the iteration over quote numbers (a progress
    bar); *interviewer* is passed on to :func:`verify_quote`.
    """
    steps: Iterable[int] = range(len(quotes))
    if progress is not None:
        steps = progress(steps)
    return [
        verify_quote(
            quotes[i], attributions[i], index, threshold=threshold, interviewer=interviewer
        )
        for i in steps
    ]
