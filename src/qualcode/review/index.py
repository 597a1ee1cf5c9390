"""An index of respondent speech: built once, then asked where a quote may come from.

Each transcript's respondent speech (``Segment.is_respondent``; interviewer
speech is never a quote) becomes a sequence of word ids, with a break between
turns. Word pairs (bigrams) are kept in one sorted array that points to their
places. A quote's bigrams vote for the transcripts they occur in; in the
transcripts with most votes, runs of votes on nearby diagonals (place in
transcript minus place in quote) are candidate passages, and only those are
aligned word by word. Pairs so common that they say nothing (more than
``common`` places) do not vote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qualcode.corpus.model import Transcript
from qualcode.review.align import BREAK
from qualcode.review.tokens import WORD, norm_word

__all__ = ["Candidate", "SpeechDoc", "SpeechIndex"]

#: Text split into separators and words: the words are at the odd indices of the split, and
#: each one's offsets follow from the lengths of the pieces before it.
_SPLIT = re.compile(f"({WORD.pattern})")
#: Direct speech in a prose record: a passage in double quotation marks, within a paragraph.
_DIRECT = re.compile(r"[“„\"«][^“”\"„«»\n]{2,}[”\"»]")
_SHIFT = 24  # bits for a place inside one transcript
_PLACE = (1 << _SHIFT) - 1
_SPAN = 1 << 40  # transcript * _SPAN + diagonal: one sort key for both
#: Largest number a (word pair, place) key may be packed into (beyond: sorted as pairs).
_PACKED_LIMIT = 1 << 62


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

    def __init__(
        self,
        transcripts: Iterable[Transcript],
        *,
        common: int = 1000,
        interviewer: bool = False,
    ) -> None:
        """Index *transcripts*; word pairs met more than *common* times do not vote.

        With *interviewer*, the index holds the other speech instead: the
        interviewer's turns (to tell a quote that only the interviewer said).
        """
        self.interviewer = interviewer
        self._quoted: dict[int, tuple[tuple[int, int], ...] | None] = {}
        self.vocab: dict[str, int] = {}
        self.docs: list[SpeechDoc] = []
        self.common = common
        self._by_org: dict[str, list[int]] | None = None
        if interviewer:  # only records with interviewer turns hold any
            transcripts = [t for t in transcripts if not all(u.is_respondent for u in t.turns)]
        transcripts = list(transcripts)
        speech = [_speech(t, interviewer) for t in transcripts]
        # word ids for all transcripts at once: each raw form normalised once, in order of first use
        words = [w for doc_words, _, _ in speech for w in doc_words]
        table: dict[str, int] = {"": BREAK}  # raw word -> id ("" stands for a turn break)
        for raw in dict.fromkeys(words):
            if raw not in table:
                table[raw] = self.vocab.setdefault(norm_word(raw), len(self.vocab))
        ids_all = np.fromiter(map(table.__getitem__, words), dtype=np.int64, count=len(words))
        sizes = np.array([len(doc_words) for doc_words, _, _ in speech], dtype=np.int64)
        bounds = np.cumsum(sizes)
        for d, (transcript, (_, starts, ends)) in enumerate(zip(transcripts, speech, strict=True)):
            self.docs.append(
                SpeechDoc(transcript, ids_all[bounds[d] - sizes[d] : bounds[d]], starts, ends)
            )
        # a word's place: its transcript (high bits) and its place in that transcript
        places_all = (np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) << _SHIFT) | (
            np.arange(len(ids_all), dtype=np.int64) - np.repeat(bounds - sizes, sizes)
        )
        self._width = max(len(self.vocab), 1)
        same_doc = (places_all[1:] >> _SHIFT) == (places_all[:-1] >> _SHIFT)
        ok = same_doc & (ids_all[:-1] >= 0) & (ids_all[1:] >= 0)
        pair_keys = ids_all[:-1][ok] * self._width + ids_all[1:][ok]
        at = np.flatnonzero(ok)  # where each pair starts, in all the words
        total = max(len(ids_all), 1)
        if self._width**2 * total < _PACKED_LIMIT:
            # pairs sorted by key, then place: one plain sort of (key, place) packed in one number
            packed = np.sort(pair_keys * total + at)
            self._pair_keys, at = np.divmod(packed, total)
        else:
            order = np.argsort(pair_keys, kind="stable")
            self._pair_keys, at = pair_keys[order], at[order]
        self._pair_places = places_all[at]
        self._ids_all, self._places_all = ids_all, places_all
        self._size = int(np.count_nonzero(ids_all >= 0))
        self._words_sorted: tuple[np.ndarray, np.ndarray] | None = None

    def _word_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Single words, sorted, and their places: made when first asked for (rarely needed)."""
        if self._words_sorted is None:
            word_ok = self._ids_all >= 0
            order = np.argsort(self._ids_all[word_ok], kind="stable")
            self._words_sorted = (self._ids_all[word_ok][order], self._places_all[word_ok][order])
        return self._words_sorted

    def quoted_spans(self, doc: int) -> tuple[tuple[int, int], ...] | None:
        """Spans of direct speech in a prose record (``docs[doc]``), or None for other records.

        A prose record (a gespreksverslag: no interviewer turns) that puts some
        of the respondent's words in quotation marks presents only those as
        said; the rest is the writer's account. A record with interviewer
        turns, or without any quotation marks, is all speech (None).
        """
        if doc not in self._quoted:
            t = self.docs[doc].transcript
            spans: tuple[tuple[int, int], ...] | None = None
            if all(turn.is_respondent for turn in t.turns):
                found = tuple((m.start(), m.end()) for m in _DIRECT.finditer(t.text))
                spans = found or None
            self._quoted[doc] = spans
        return self._quoted[doc]

    @property
    def size(self) -> int:
        """Number of words indexed."""
        return self._size

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

    def _lookup(
        self, keys: np.ndarray, sorted_keys: np.ndarray, sorted_places: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Places of every key of *keys* (common keys left out) and the index of its key."""
        lo = np.searchsorted(sorted_keys, keys, side="left")
        hi = np.searchsorted(sorted_keys, keys, side="right")
        counts = hi - lo
        counts[(counts > self.common) | (keys < 0)] = 0
        if not counts.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        which = np.repeat(np.arange(len(keys)), counts)
        starts = np.repeat(lo, counts)
        offsets = np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
        return sorted_places[starts + offsets], which

    def candidates(
        self,
        ids: Sequence[int],
        *,
        spread: int,
        slack: int = 8,
        docs: int = 12,
        per_doc: int = 2,
        force: Iterable[int] = (),
    ) -> list[Candidate]:
        """Passages where the quote with word ids *ids* may come from, most votes first.

        *spread* is how far (in words) the quote's words may lie apart in a
        transcript beyond their distance in the quote (for left-out text);
        *slack* words are added on both sides of a passage. Only the *docs*
        transcripts with most votes (and at least a third of the best's) are
        searched, and those in *force* that have any.
        """
        q = np.array(ids, dtype=np.int64)
        if len(q) >= 2:
            keys = np.where((q[:-1] >= 0) & (q[1:] >= 0), q[:-1] * self._width + q[1:], -1)
            places, which = self._lookup(keys, self._pair_keys, self._pair_places)
        else:
            places, which = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if not len(places):
            rare = np.argsort([self._count(int(a)) for a in q])[:3]
            keys = np.where(q[rare] >= 0, q[rare], -1)
            places, idx = self._lookup(keys, *self._word_index())
            which = rare[idx] if len(idx) else idx
        if not len(places):
            return []
        doc = places >> _SHIFT
        # distinct quote places voting for each transcript
        pairs = np.sort(doc * (len(q) + 1) + which)
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        votes = np.bincount(pairs // (len(q) + 1))
        top = np.argsort(-votes, kind="stable")[:docs]
        floor = max(1, int(votes[top[0]]) // 3)
        wanted = {int(d) for d in top if votes[d] >= floor}
        wanted |= {d for d in force if 0 <= d < len(votes) and votes[d] > 0}
        chosen = np.zeros(len(votes), dtype=bool)
        chosen[list(wanted)] = True
        keep = chosen[doc]
        doc, which = doc[keep], which[keep]
        pos = places[keep] & _PLACE
        diagonal = pos - which
        # hits sorted by (transcript, diagonal, quote place, place)
        order = np.lexsort((pos, which, diagonal, doc))
        sizes = {d: len(self.docs[d].ids) for d in wanted}
        out = _clusters(
            doc[order],
            diagonal[order],
            which[order],
            len(q),
            spread,
            slack,
            sizes,
            per_doc,
        )
        out.sort(key=lambda c: (-c.votes, c.doc, c.lo))
        return out

    def _count(self, word: int) -> int:
        if word < 0:
            return 1 << 30
        keys, _ = self._word_index()
        lo = np.searchsorted(keys, word, side="left")
        hi = np.searchsorted(keys, word, side="right")
        return int(hi - lo) or 1 << 30

    def docs_of(self, organisation: str) -> list[int]:
        """Indices of the transcripts of *organisation*."""
        if self._by_org is None:
            by_org: dict[str, list[int]] = {}
            for d, doc in enumerate(self.docs):
                by_org.setdefault(doc.transcript.organisation, []).append(d)
            self._by_org = by_org
        return list(self._by_org.get(organisation, ()))


def _speech(transcript: Transcript, interviewer: bool) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The raw words of one transcript's respondent (or interviewer) speech, starts and ends.

    A turn break is the word ``""`` where the next turn starts. The text is
    split into words once; each turn takes the words inside it (a word across
    a turn's edge, which a speaker label never makes, is read inside the turn).
    """
    text = transcript.text
    turns = [
        (s.start, s.end) for s in transcript.segments("turn") if s.is_respondent != interviewer
    ]
    if not turns:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    parts = _SPLIT.split(text)
    all_words = parts[1::2]
    edges = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    all_starts, all_ends = edges[0:-1:2], edges[1::2]
    firsts = np.searchsorted(all_starts, [a for a, _ in turns], side="left").tolist()
    stops = np.searchsorted(all_ends, [b for _, b in turns], side="right").tolist()
    words: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    said = False  # whether the last thing taken was a word (a break goes before the next turn)
    for (a, b), first, stop in zip(turns, firsts, stops, strict=True):
        if said:
            words.append("")
            starts.append(np.array([a], dtype=np.int64))
            ends.append(starts[-1])
            said = False
        straddles = (first and all_ends[first - 1] > a) or (
            stop < len(all_starts) and all_starts[stop] < b
        )
        if straddles:  # tokenised on its own, as the regex sees the turn alone
            found = list(WORD.finditer(text, a, b))
            words.extend(map(re.Match.group, found))
            starts.append(np.fromiter(map(re.Match.start, found), dtype=np.int64, count=len(found)))
            ends.append(np.fromiter(map(re.Match.end, found), dtype=np.int64, count=len(found)))
        else:
            words.extend(all_words[first:stop])
            starts.append(all_starts[first:stop])
            ends.append(all_ends[first:stop])
        said = said or bool(len(starts[-1]))
    return words, np.concatenate(starts), np.concatenate(ends)


def _clusters(
    doc: np.ndarray,
    diagonal: np.ndarray,
    which: np.ndarray,
    m: int,
    spread: int,
    slack: int,
    sizes: dict[int, int],
    per_doc: int,
) -> list[Candidate]:
    """The best runs of votes in each transcript: diagonals within *spread* + *slack* of each other.

    The hits are given as their transcript, diagonal (place in transcript minus
    place in quote) and place in quote, sorted by transcript and diagonal. A
    run starts at a hit and takes the hits up to *spread* + *slack* diagonals
    further; its votes are the distinct quote places in it. Per transcript,
    the *per_doc* runs with most votes (the first on a tie) whose passages do
    not overlap become candidates, in transcript order.
    """
    width = spread + slack
    key = doc * _SPAN + diagonal
    ends = np.searchsorted(key, key + width, side="right")
    quoted = which.tolist()
    votes = [0] * len(quoted)
    counts: dict[int, int] = {}  # quote place -> hits in the window
    get = counts.get
    j = 0
    for i, stop in enumerate(ends.tolist()):
        if j < stop:
            for w in quoted[j:stop]:
                counts[w] = get(w, 0) + 1
            j = stop
        votes[i] = len(counts)
        w = quoted[i]
        left = counts[w] - 1
        if left:
            counts[w] = left
        else:
            del counts[w]
    order = np.lexsort((np.arange(len(votes)), -np.array(votes, dtype=np.int64), doc))
    # the run's first and last hits bound its diagonals
    los = (diagonal - (slack + spread)).tolist()
    his = (diagonal[ends - 1] + (m + slack + spread)).tolist()
    docs = doc.tolist()
    found: list[Candidate] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    for i in order.tolist():
        d = docs[i]
        held = taken.get(d)
        if held is None:
            held = taken[d] = []
        if len(held) >= per_doc:
            continue
        lo, hi = los[i], his[i]
        for a, b in held:
            if lo < b and a < hi:
                break  # overlaps a run taken before
        else:
            held.append((lo, hi))
            found.append(Candidate(d, max(0, lo), min(sizes[d], hi), votes[i]))
    return found
