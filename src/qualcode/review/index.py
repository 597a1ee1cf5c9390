"""An index of respondent speech: built once, then asked where a quote may come from.

Each transcript's respondent speech (``Segment.is_respondent``; interviewer
speech is never a quote) becomes a sequence of word ids, with a separator
between turns. Word pairs (bigrams) point to their places. A quote's bigrams
vote for the diagonal (place in transcript minus place in quote) they fall
on; a run of votes close together is a candidate passage, and only those are
aligned word by word. Pairs so common that they say nothing (more than
``common`` places) do not vote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qualcode.corpus.model import Transcript
from qualcode.review.align import BREAK
from qualcode.review.tokens import tokenize

__all__ = ["Candidate", "SpeechDoc", "SpeechIndex", "BREAK"]

_SHIFT = 24  # bits for a place inside one transcript


@dataclass(frozen=True)
class SpeechDoc:
    """One transcript's respondent speech as word ids, with each word's offsets."""

    transcript: Transcript
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


@dataclass(frozen=True)
class Candidate:
    """A passage of ``docs[doc]`` (word places ``lo`` to ``hi``) that a quote may come from."""

    doc: int
    lo: int
    hi: int
    votes: int


class SpeechIndex:
    """Respondent speech of a set of transcripts, indexed by word pairs."""

    def __init__(self, transcripts: Iterable[Transcript], *, common: int = 2000) -> None:
        """Index *transcripts*; word pairs met more than *common* times do not vote."""
        self.vocab: dict[str, int] = {}
        self.docs: list[SpeechDoc] = []
        self.common = common
        postings: defaultdict[int, list[int]] = defaultdict(list)
        singles: defaultdict[int, list[int]] = defaultdict(list)
        for transcript in transcripts:
            ids: list[int] = []
            starts: list[int] = []
            ends: list[int] = []
            for seg in transcript.segments("turn"):
                if not seg.is_respondent:
                    continue
                if ids and ids[-1] != BREAK:
                    ids.append(BREAK)
                    starts.append(seg.start)
                    ends.append(seg.start)
                for tok in tokenize(transcript.text, seg.start, seg.end):
                    ids.append(self.vocab.setdefault(tok.norm, len(self.vocab)))
                    starts.append(tok.start)
                    ends.append(tok.end)
            d = len(self.docs)
            base = d << _SHIFT
            for pos, (a, b) in enumerate(zip(ids, ids[1:], strict=False)):
                if a != BREAK and b != BREAK:
                    postings[self._pair(a, b)].append(base | pos)
            for pos, a in enumerate(ids):
                if a != BREAK:
                    singles[a].append(base | pos)
            self.docs.append(
                SpeechDoc(
                    transcript,
                    np.array(ids, dtype=np.int64),
                    np.array(starts, dtype=np.int64),
                    np.array(ends, dtype=np.int64),
                )
            )
        self._pairs = dict(postings)
        self._singles = dict(singles)

    def _pair(self, a: int, b: int) -> int:
        return a * 4_000_037 + b

    def known(self, word: str) -> bool:
        """Whether *word* (normalised) occurs in respondent speech."""
        return word in self.vocab

    def encode(self, words: Sequence[str]) -> list[int]:
        """Word ids of normalised *words*; a word never said gets an id that matches nothing."""
        unknown = -2
        out = []
        for w in words:
            i = self.vocab.get(w)
            if i is None:
                i, unknown = unknown, unknown - 1
            out.append(i)
        return out

    def candidates(
        self, ids: Sequence[int], *, spread: int, slack: int = 8, per_doc: int = 2
    ) -> list[Candidate]:
        """Passages where the quote with word ids *ids* may come from, most votes first.

        *spread* is how far (in words) the quote's words may lie apart in a
        transcript beyond their distance in the quote (for left-out text);
        *slack* words are added on both sides of a passage.
        """
        hits: defaultdict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for qi, (a, b) in enumerate(zip(ids, ids[1:], strict=False)):
            places = self._pairs.get(self._pair(a, b), ()) if a >= 0 and b >= 0 else ()
            if len(places) > self.common:
                continue
            for packed in places:
                pos = packed & ((1 << _SHIFT) - 1)
                hits[packed >> _SHIFT].append((pos - qi, qi, pos))
        if not hits:
            self._single_hits(ids, hits)
        out: list[Candidate] = []
        m = len(ids)
        for d, doc_hits in hits.items():
            doc_hits.sort()
            out.extend(_clusters(d, doc_hits, m, spread, slack, len(self.docs[d].ids), per_doc))
        out.sort(key=lambda c: (-c.votes, c.doc, c.lo))
        return out

    def _single_hits(
        self, ids: Sequence[int], hits: defaultdict[int, list[tuple[int, int, int]]]
    ) -> None:
        """Votes of single rare words, for a quote none of whose word pairs was found."""
        ranked = sorted((len(self._singles.get(a, ())), qi) for qi, a in enumerate(ids) if a >= 0)
        for n, qi in ranked[:3]:
            if not n or n > self.common:
                continue
            for packed in self._singles[ids[qi]]:
                pos = packed & ((1 << _SHIFT) - 1)
                hits[packed >> _SHIFT].append((pos - qi, qi, pos))


def _clusters(
    d: int,
    hits: list[tuple[int, int, int]],
    m: int,
    spread: int,
    slack: int,
    size: int,
    per_doc: int,
) -> list[Candidate]:
    """The best runs of votes in one transcript: diagonals within *spread* + *slack* of each other.

    *hits* are ``(diagonal, place in quote, place in transcript)``, sorted.
    """
    width = spread + slack
    runs: list[tuple[int, int, int]] = []  # (distinct quote places, i, j)
    counts: defaultdict[int, int] = defaultdict(int)
    j = 0
    for i in range(len(hits)):
        while j < len(hits) and hits[j][0] - hits[i][0] <= width:
            counts[hits[j][1]] += 1
            j += 1
        runs.append((len(counts), i, j))
        counts[hits[i][1]] -= 1
        if not counts[hits[i][1]]:
            del counts[hits[i][1]]
    runs.sort(key=lambda r: (-r[0], r[1]))
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for votes, i, j in runs:
        lo = min(h[2] - h[1] for h in hits[i:j]) - slack - spread
        hi = max(h[2] + (m - h[1]) for h in hits[i:j]) + slack + spread
        if any(lo < b and a < hi for a, b in taken):
            continue
        taken.append((lo, hi))
        found.append(Candidate(d, max(0, lo), min(size, hi), votes))
        if len(found) >= per_doc:
            break
    return found
