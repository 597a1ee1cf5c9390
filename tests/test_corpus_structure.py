"""Speaker labels, turns and segments."""

from __future__ import annotations

import pytest

from qualcode.corpus import transcript_from_text
from qualcode.corpus.structure import find_paragraphs
from qualcode.errors import QualcodeError


def turns(text: str, **kw: object) -> list[tuple[str, bool, str]]:
    t = transcript_from_text(text, **kw)  # type: ignore[arg-type]
    return [(s.speaker, s.is_respondent, s.text) for s in t.segments("turn")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I: Vraag?\nR: Antwoord.", [("I", False, "Vraag?"), ("R", True, "Antwoord.")]),
        (
            "Interviewer: Vraag?\n\nRespondent: Antwoord.\n\nVervolg zonder label.",
            [
                ("Interviewer", False, "Vraag?"),
                ("Respondent", True, "Antwoord.\n\nVervolg zonder label."),
            ],
        ),
        (
            "I: Vraag?\n\nR1: Eén.\n\nR2: Twee.",
            [("I", False, "Vraag?"), ("R1", True, "Eén."), ("R2", True, "Twee.")],
        ),
        ("Vraag: Hoe?\nAntwoord: Zo.", [("Vraag", False, "Hoe?"), ("Antwoord", True, "Zo.")]),
        # a name label counts when it opens two or more paragraphs
        (
            "Interviewer: Hoe?\n\nAnnemiek: Zo.\n\nInterviewer: En?\n\nAnnemiek: Ook zo.",
            [
                ("Interviewer", False, "Hoe?"),
                ("Annemiek", True, "Zo."),
                ("Interviewer", False, "En?"),
                ("Annemiek", True, "Ook zo."),
            ],
        ),
        (
            "Jan de Vries: Een.\n\nJan de Vries: Twee.",
            [("Jan de Vries", True, "Een."), ("Jan de Vries", True, "Twee.")],
        ),
        # text without labels is respondent speech
        (
            "Een verslag zonder sprekers.\n\nTweede alinea.",
            [("", True, "Een verslag zonder sprekers."), ("", True, "Tweede alinea.")],
        ),
        # a one-off header with a colon is not a speaker: it is record metadata, nobody's speech
        (
            "Datum: 3 maart 2021\n\nI: Vraag?\n\nR: Antwoord.",
            [("I", False, "Vraag?"), ("R", True, "Antwoord.")],
        ),
        # a header word is never a speaker, even when repeated
        (
            "Conclusie: een.\n\nConclusie: twee.",
            [("", True, "Conclusie: een."), ("", True, "Conclusie: twee.")],
        ),
        # a colon inside a sentence is not a label
        ("Het ministerie zei: wacht maar.", [("", True, "Het ministerie zei: wacht maar.")]),
    ],
)
def test_speaker_turns(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert turns(text) == expected


def test_declared_labels_and_interviewer_labels() -> None:
    text = "Piet: Wat vond u?\n\nKlaas: Goed."
    assert turns(text, labels=["Klaas"], interviewer_labels=["Piet"]) == [
        ("Piet", False, "Wat vond u?"),
        ("Klaas", True, "Goed."),
    ]


def test_paragraph_and_sentence_segments_exclude_labels() -> None:
    t = transcript_from_text("I: Hoe ging het? Goed?\n\nR: Het ging goed. Echt.\nNieuwe regel.")
    paras = t.segments("paragraph")
    assert [(p.text, p.speaker) for p in paras] == [
        ("Hoe ging het? Goed?", "I"),
        ("Het ging goed. Echt.\nNieuwe regel.", "R"),
    ]
    sents = t.segments("sentence")
    assert [(s.text, s.is_respondent) for s in sents] == [
        ("Hoe ging het?", False),
        ("Goed?", False),
        ("Het ging goed.", True),
        ("Echt.", True),
        ("Nieuwe regel.", True),
    ]
    assert [s.index for s in sents] == [0, 1, 2, 3, 4]


def test_headings_are_nobodys_speech() -> None:
    text = (
        "Gespreksverslag VNG\nEvaluatie 2021\n\nGeld en inkoop\nDe VNG vond het geld te krap."
        "\n\n## Planning\n\nHet tempo lag hoog.\n\nWie zat er aan tafel?\nDe VNG."
        "\n\nWas dat erg?\n\nNee.\n\nKort slot zonder punt"
    )
    t = transcript_from_text(text)
    assert [t.text[a:b] for a, b in t.headings] == [
        "Gespreksverslag VNG",
        "Evaluatie 2021",
        "Geld en inkoop",
        "## Planning",
        "Wie zat er aan tafel?",
    ]
    paras = [(s.text, s.is_respondent) for s in t.segments("paragraph")]
    assert paras == [
        ("Gespreksverslag VNG", False),
        ("Evaluatie 2021", False),
        ("Geld en inkoop", False),
        ("De VNG vond het geld te krap.", True),
        ("## Planning", False),
        ("Het tempo lag hoog.", True),
        ("Wie zat er aan tafel?", False),
        ("De VNG.", True),
        ("Was dat erg?", True),  # a question standing alone is speech
        ("Nee.", True),
        ("Kort slot zonder punt", True),  # the last paragraph is text, not a title
    ]


def test_long_lines_are_headings_only_when_marked() -> None:
    long = "Een lange Titel " * 10  # 160 characters, no end mark
    text = f"## {long}\n\nTekst.\n\n**{long}**\n\nTekst.\n\n{long}\n\nTekst.\n\nR: Wie: ik.\n"
    t = transcript_from_text(text)
    assert [t.text[a:b] for a, b in t.headings] == [f"## {long}".strip(), f"**{long}**"]
    assert [p.label for p in find_paragraphs(text)] == [None] * 6 + ["R"]


def test_unknown_unit() -> None:
    t = transcript_from_text("R: Tekst.")
    with pytest.raises(
        QualcodeError,
        match=r"^unknown segment unit 'zin'; choose one of: "
        r"paragraph, turn, sentence$",
    ):
        t.segments("zin")


@pytest.mark.parametrize("unit", ["paragraph", "turn", "sentence"])
def test_offsets_slice_the_text_in_the_sample_corpus(sample_corpus, unit: str) -> None:
    n = 0
    for t in sample_corpus:
        for seg in t.segments(unit):
            assert t.text[seg.start : seg.end] == seg.text
            assert seg.text == seg.text.strip() and seg.text
            n += 1
    assert n > 300


def test_segments_frame_columns(sample_corpus) -> None:
    frame = sample_corpus.segments("paragraph")
    assert list(frame.columns[:3]) == ["file", "respondent", "organisation"]
    assert frame.columns[-6:].tolist() == [
        "segment",
        "start",
        "end",
        "speaker",
        "is_respondent",
        "text",
    ]
    assert {"org_type", "steering_group", "aliases"} <= set(frame.columns)
    row = frame[(frame.file == "coa.txt") & (frame.speaker != "")].iloc[0]
    assert row.organisation == "COA" and row.steering_group == "ja"
    assert row.speaker == "I" and not row.is_respondent


def test_interviewer_speech_is_marked_in_every_verbatim_transcript(sample_corpus) -> None:
    verbatim = [t for t in sample_corpus if any(turn.speaker for turn in t.turns)]
    with_interviewer = [
        t.file for t in verbatim if any(not s.is_respondent for s in t.segments("turn"))
    ]
    assert len(with_interviewer) >= 12
    for t in sample_corpus:
        for s in t.segments("turn"):
            if s.speaker in ("I", "Interviewer"):
                assert not s.is_respondent
