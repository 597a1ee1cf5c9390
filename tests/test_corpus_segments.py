"""Segments of a transcript: the respondent spans agree with the segments they stand for."""

from __future__ import annotations

from dataclasses import replace

import pytest

import qualcode
from qualcode.corpus import transcript_from_text
from qualcode.corpus.model import Turn
from qualcode.corpus.segments import respondent_spans


def spans_of_segments(transcript: qualcode.Transcript, unit: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in transcript.segments(unit) if s.is_respondent]


@pytest.mark.parametrize("unit", ["paragraph", "turn", "sentence"])
def test_respondent_spans_are_the_respondent_segments(sample_corpus, unit: str) -> None:
    checked = 0
    for t in sample_corpus.transcripts:
        spans = respondent_spans(t, unit)
        assert spans == spans_of_segments(t, unit)
        checked += len(spans)
    assert checked > 100


def test_respondent_spans_of_a_labelled_record() -> None:
    text = (
        "Verslag gesprek\nGemeente Utrecht\n\nI: Hoe verliep het overleg?\n\n"
        "R: Goed. De regie lag bij ons.\n\nDaarna ging het mis.\n\nI: Waarom?\n\nR: Geld.\n"
    )
    t = transcript_from_text(text)
    assert [t.text[a:b] for a, b in respondent_spans(t, "paragraph")] == [
        "Goed. De regie lag bij ons.",
        "Daarna ging het mis.",
        "Geld.",
    ]
    assert [t.text[a:b] for a, b in respondent_spans(t, "turn")] == [
        "Goed. De regie lag bij ons.\n\nDaarna ging het mis.",
        "Geld.",
    ]


def test_turns_out_of_order_are_still_found() -> None:
    t = transcript_from_text("I: Vraag een.\n\nR: Antwoord een.\n\nI: Vraag twee.\n")
    shuffled = replace(t, turns=tuple(reversed(t.turns)))
    assert respondent_spans(shuffled, "paragraph") == spans_of_segments(shuffled, "paragraph")
    overlapping = replace(t, turns=(Turn(0, len(t.text), "R", True), *t.turns))
    assert respondent_spans(overlapping, "paragraph") == [
        (p.start, p.end) for p in overlapping.segments("paragraph")
    ]


def test_unknown_unit() -> None:
    with pytest.raises(qualcode.QualcodeError) as err:
        respondent_spans(transcript_from_text("Tekst."), "page")
    assert str(err.value) == "unknown segment unit 'page'; choose one of: paragraph, turn, sentence"
