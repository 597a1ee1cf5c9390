"""Cutting a transcript into units of analysis: paragraphs, turns or sentences."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from qualcode.corpus.model import UNITS, Segment, Turn
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.corpus.model import Transcript

__all__ = ["segment_transcript", "sentence_spans"]


def _turn_for(turns: tuple[Turn, ...], start: int) -> Turn | None:
    for turn in turns:
        if turn.start <= start < turn.end:
            return turn
    return None


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
    spans: list[tuple[int, int, Turn | None]] = []
    for start, end in transcript.paragraphs:
        turn = _HEADING if (start, end) in headings else _turn_for(transcript.turns, start)
        spans.append((start, end, turn))
    return spans


def segment_transcript(transcript: Transcript, unit: str) -> tuple[Segment, ...]:
    """The segments of *transcript* for *unit*; cached per transcript content."""
    if unit not in UNITS:
        raise QualcodeError(f"unknown segment unit {unit!r}; choose one of: {', '.join(UNITS)}")
    return _segments(transcript, unit)


@lru_cache(maxsize=256)
def _segments(transcript: Transcript, unit: str) -> tuple[Segment, ...]:
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
