"""Cutting a transcript into units of analysis: paragraphs, turns or sentences."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from qualcode.corpus.model import UNITS, Segment, Turn, Unit
from qualcode.errors import ArgumentError

if TYPE_CHECKING:
    from qualcode.corpus.model import Transcript

__all__ = ["respondent_spans", "segment_transcript", "sentence_spans"]


def _turn_finder(turns: tuple[Turn, ...]) -> Callable[[int], Turn | None]:
    """A function from an offset to the first of *turns* that holds it (None: no turn).

    Turns in text order, not overlapping (as ``find_turns`` makes them), are found
    by bisection; any others by trying each in turn.
    """
    starts = [t.start for t in turns]
    ordered = all(a.end <= b.start and a.start <= b.start for a, b in itertools.pairwise(turns))

    def bisect(offset: int) -> Turn | None:
        i = bisect_right(starts, offset) - 1
        return turns[i] if i >= 0 and offset < turns[i].end else None

    def scan(offset: int) -> Turn | None:
        for turn in turns:
            if turn.start <= offset < turn.end:
                return turn
        return None

    return bisect if ordered else scan


def sentence_spans(text: str, *, language: str = "nl") -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in *text*, by spaCy's sentencizer."""
    from qualcode.nlp import pipeline

    doc = pipeline(language, lemmas=False)(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


_HEADING = Turn(0, 0, "", False)  # stands for "nobody's speech" on heading segments


def _paragraph_spans(transcript: Transcript) -> list[tuple[int, int, Turn | None]]:
    headings = set(transcript.headings)
    turn_for = _turn_finder(transcript.turns)
    spans: list[tuple[int, int, Turn | None]] = []
    for start, end in transcript.paragraphs:
        turn = _HEADING if (start, end) in headings else turn_for(start)
        spans.append((start, end, turn))
    return spans


def respondent_spans(transcript: Transcript, unit: Unit) -> list[tuple[int, int]]:
    """``(start, end)`` of the respondent segments of *transcript* for *unit*, in order.

    The spans of ``segment_transcript(transcript, unit)`` with ``is_respondent``
    true, found without building the segments (except for sentences).
    """
    if unit == "paragraph":
        spans = _paragraph_spans(transcript)
        return [(a, b) for a, b, turn in spans if turn is None or turn.is_respondent]
    if unit == "turn":
        return [(t.start, t.end) for t in transcript.turns if t.is_respondent]
    return [(s.start, s.end) for s in segment_transcript(transcript, unit) if s.is_respondent]


def check_unit(unit: str, choices: Sequence[str] = UNITS) -> Unit:
    """*unit* when it is one of *choices* (default: the segment units); else ``ArgumentError``.

    The one check of a unit argument for every command; with other *choices*
    (agreement adds ``character``) the result may be one of those.
    """
    if unit not in choices:
        raise ArgumentError(f"unknown segment unit {unit!r}; choose one of: {', '.join(choices)}")
    return cast(Unit, unit)


def segment_transcript(transcript: Transcript, unit: Unit) -> tuple[Segment, ...]:
    """The segments of *transcript* for *unit*; cached per transcript content."""
    return _segments(transcript, check_unit(unit))


@lru_cache(maxsize=256)
def _segments(transcript: Transcript, unit: Unit) -> tuple[Segment, ...]:
    text = transcript.text
    raw: list[tuple[int, int, Turn | None]]
    if unit == "turn":
        raw = [(t.start, t.end, t) for t in transcript.turns]
    elif unit == "paragraph":
        raw = _paragraph_spans(transcript)
    else:
        raw = []
        for start, end, turn in _paragraph_spans(transcript):
            for a, b in sentence_spans(text[start:end]):
                raw.append((start + a, start + b, turn))
    out = []
    for i, (start, end, turn) in enumerate(raw):
        out.append(
            Segment(
                file=transcript.file,
                unit=unit,
                index=i,
                start=start,
                end=end,
                speaker=turn.speaker if turn else "",
                is_respondent=turn.is_respondent if turn else True,
                text=text[start:end],
            )
        )
    return tuple(out)
