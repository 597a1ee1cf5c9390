"""Verifying quotes against respondent speech: statuses, offsets, diffs, and the draft report."""

from __future__ import annotations

from pathlib import Path

import pytest

import qualcode
from qualcode.errors import ArgumentError, ReviewError
from qualcode.review import QuoteCheck, check_quotes
from qualcode.review.align import DiffOp, diff_text
from qualcode.review.tokens import norm_word, tokenize

DATA = Path(__file__).parent / "data" / "review"

ALFA = (
    "Interview Alfa\n\n"
    "I: Hoe keek u terug op de planning van het hele traject?\n\n"
    "R: Het tempo was soms moordend, met consultaties van twee weken over een heel besluit, "
    "midden in de zomer. Zo’n tempo – dat hou je niet vol.\n\n"
    "I: En de samenwerking?\n\n"
    "R: Hij stond er echt achter, dat merkte je aan alles in de stuurgroep.\n"
    "Later werd het stiller en kregen we stukken pas in de internetconsultatie te zien.\n"
)

BETA = (
    "Gespreksverslag Beta\n\n"
    "De respondent is kritisch over de regie. “Wij werden vooral gebeld als het al besloten was, "
    "en dan mochten we nog iets over de komma’s zeggen.” Over geld wordt niet gesproken.\n"
)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A corpus of two organisations, Alfa (with interviewer turns) and Beta (a record)."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "alfa.txt").write_text(ALFA, encoding="utf-8")
    (folder / "beta.txt").write_text(BETA, encoding="utf-8")
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation,aliases\nalfa.txt,R1,Alfa,de alfagroep\n"
        "beta.txt,R2,Beta,BT\n",
        encoding="utf-8",
    )
    return folder


def check(tmp_path: Path, corpus: Path, report: str, **kwargs: object) -> QuoteCheck:
    path = tmp_path / "draft.md"
    path.write_text(report, encoding="utf-8")
    return check_quotes(path, corpus, **kwargs)  # type: ignore[arg-type]


def passage(result: QuoteCheck, k: int, m: int = 0) -> str:
    match = result.results[k].matches[m]
    assert result.corpus is not None
    return result.corpus.get(match.file).text[match.start : match.end]


def test_a_quote_as_said_is_verified_with_its_offsets(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path, tiny, "Alfa zegt: “het TEMPO was soms moordend, met consultaties van twee weken”."
    )
    (r,) = result.results
    assert (r.status, r.attributed_to, r.diff_text) == ("verified", "Alfa", None)
    assert [(m.file, m.organisation, m.similarity) for m in r.matches] == [
        ("alfa.txt", "Alfa", 1.0)
    ]
    assert passage(result, 0) == "Het tempo was soms moordend, met consultaties van twee weken"
    assert r.matches[0].start == ALFA.index("Het tempo")


def test_quote_marks_apostrophes_dashes_and_punctuation_are_normalised(
    tmp_path: Path, tiny: Path
) -> None:
    result = check(
        tmp_path,
        tiny,
        "De alfagroep: “midden in de zomer; zo'n tempo - dat hou je "
        "niet vol”.\nBT: “Wij werden vooral gebeld als het al besloten was en dan "
        "mochten we nog iets over de komma's zeggen.”",
    )
    assert [(r.status, r.attributed_to) for r in result] == [
        ("verified", "Alfa"),
        ("verified", "Beta"),
    ]
    assert passage(result, 0) == "midden in de zomer. Zo’n tempo – dat hou je niet vol"
    assert passage(result, 1).endswith("over de komma’s zeggen")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Het", "het"),
        ("is", "ís"),
        ("een", "één"),
        ("coordinatie", "coördinatie"),
        ("zo'n", "zo’n"),
        ("G40-gemeente", "G40‑gemeente"),
        ("financien", "ﬁnanciën"),
        ("samenwerking", "samen\u00adwerking"),
    ],
)
def test_words_compare_without_case_accents_and_typographic_variants(
    written: str, said: str
) -> None:
    assert norm_word(written) == norm_word(said)
    assert tokenize(said)[0].end == len(said)


def test_a_changed_word_is_altered_with_a_word_diff(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "Alfa: “Het tempo was vaak moordend, met consultaties van "
        "twee weken over een heel besluit.”",
    )
    (r,) = result.results
    assert (r.status, r.attributed_to) == ("altered", "Alfa")
    assert r.diff_text == "Het tempo was [-soms-] {+vaak+} moordend met consultaties …"
    assert r.matches[0].similarity == pytest.approx(0.929)
    assert passage(result, 0) == (
        "Het tempo was soms moordend, met consultaties van twee weken over een heel besluit"
    )


def test_a_word_left_out_without_marking_is_altered(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "Alfa: “Het tempo was moordend, met consultaties van twee weken over een heel besluit.”",
    )
    (r,) = result.results
    assert r.status == "altered"
    assert r.diff_text == "Het tempo was [-soms-] moordend met consultaties …"


def test_a_quote_of_another_organisation_is_misattributed(tmp_path: Path, tiny: Path) -> None:
    result = check(tmp_path, tiny, "“Wij werden vooral gebeld als het al besloten was” (Alfa).")
    (r,) = result.results
    assert (r.status, r.attributed_to) == ("misattributed", "Alfa")
    assert [(m.file, m.organisation, m.similarity) for m in r.matches] == [
        ("beta.txt", "Beta", 1.0)
    ]
    assert passage(result, 0) == "Wij werden vooral gebeld als het al besloten was"


def test_an_invented_quote_is_not_found(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "“De minister heeft alle gemeenten persoonlijk gebeld over het budget”, aldus Beta.",
    )
    (r,) = result.results
    assert (r.status, r.attributed_to, r.matches, r.diff_text) == ("not_found", "Beta", (), None)
    assert r.closest is None or r.closest.similarity < 0.7


def test_interviewer_speech_is_never_a_respondent_quote(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path, tiny, "Alfa zegt: “Hoe keek u terug op de planning van het hele traject?”"
    )
    assert [(r.status, r.source) for r in result] == [("verified", "interviewer")]


def test_an_unattributed_quote_is_searched_and_its_matches_listed(
    tmp_path: Path, tiny: Path
) -> None:
    result = check(
        tmp_path,
        tiny,
        "Een respondent zegt: “Later werd het stiller en kregen we "
        "stukken pas in de internetconsultatie te zien.”",
    )
    (r,) = result.results
    assert (r.status, r.attributed_to, r.attribution.kind) == ("unattributed", None, "respondent")
    assert [m.file for m in r.matches] == ["alfa.txt"]
    assert result.ok and result.exit_code == 0


def test_an_elision_matches_the_whole_span_and_each_piece(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "Alfa: “Het tempo was soms moordend, met consultaties […] midden in de zomer.”",
    )
    (r,) = result.results
    assert r.status == "verified"
    assert passage(result, 0) == (
        "Het tempo was soms moordend, met consultaties van twee weken "
        "over een heel besluit, midden in de zomer"
    )
    text = ALFA
    assert [text[a:b] for a, b in r.matches[0].pieces] == [
        "Het tempo was soms moordend, met consultaties",
        "midden in de zomer",
    ]


def test_pieces_of_an_elision_must_come_in_order(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "Alfa: “midden in de zomer […] Het tempo was soms moordend, met consultaties.”",
    )
    (r,) = result.results
    assert (r.status, r.matches) == ("not_found", ())
    assert r.closest is not None and r.closest.file == "alfa.txt"
    assert r.closest.similarity == pytest.approx(0.636)


def test_an_insertion_stands_for_a_few_words_or_none(tmp_path: Path, tiny: Path) -> None:
    result = check(
        tmp_path,
        tiny,
        "Alfa: “[De minister] stond er echt achter, dat merkte je "
        "aan alles [in het overleg] in de stuurgroep.”\n\nAlfa: “Zo’n tempo "
        "[van werken] – dat hou je niet vol, zegt men.”",
    )
    assert [r.status for r in result] == ["verified", "altered"]
    assert passage(result, 0) == "stond er echt achter, dat merkte je aan alles in de stuurgroep"
    assert result.results[1].diff_text == "Zo’n tempo [van werken] dat hou je niet vol {+zegt men+}"
    assert passage(result, 1) == "Zo’n tempo – dat hou je niet vol"


def test_speech_of_two_turns_is_not_one_quote(tmp_path: Path, tiny: Path) -> None:
    result = check(tmp_path, tiny, "Alfa: “dat hou je niet vol. Hij stond er echt achter.”")
    (r,) = result.results
    assert r.status == "not_found"
    assert r.closest is not None and r.closest.similarity == pytest.approx(0.5)
    marked = check(tmp_path, tiny, "Alfa: “dat hou je niet vol. […] Hij stond er echt achter.”")
    assert marked.results[0].status == "verified"


def test_attributed_and_exact_elsewhere_is_misattributed(tmp_path: Path, tiny: Path) -> None:
    (tiny / "gamma.txt").write_text(
        "R: Het tempo was soms moordend, met consultaties van drie weken over een heel besluit.",
        encoding="utf-8",
    )
    with (tiny / "respondents.csv").open("a", encoding="utf-8") as f:
        f.write("gamma.txt,R3,Gamma,\n")
    result = check(
        tmp_path,
        tiny,
        "Gamma: “Het tempo was soms moordend, met consultaties van "
        "twee weken over een heel besluit.”",
    )
    (r,) = result.results
    assert r.status == "misattributed"
    assert [(m.file, m.similarity) for m in r.matches] == [("alfa.txt", 1.0), ("gamma.txt", 0.929)]


def test_a_report_without_quotes_is_fine(tmp_path: Path, tiny: Path) -> None:
    result = check(tmp_path, tiny, 'Geen citaten hier, alleen een "term".')
    assert (len(result), result.ok, [t.text for t in result.terms]) == (0, True, ["term"])
    assert result.summary == {
        "verified": 0,
        "altered": 0,
        "misattributed": 0,
        "not_found": 0,
        "unattributed": 0,
    }


def test_no_organisations_known_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "a.txt").write_text("R: iets", encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        check(tmp_path, folder, "“een twee drie vier vijf zes”")
    assert str(info.value) == (
        f"{folder}: no organisations known, so no quote can be attributed; give a respondents "
        "table (file, respondent, organisation, aliases)"
    )
    assert info.value.option == "respondents"  # the CLI names its flag


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_words": 0}, "min_words must be at least 1, got 0"),
        ({"threshold": 1.5}, "threshold must be above 0 and at most 1, got 1.5"),
    ],
)
def test_bad_options_are_errors(
    tmp_path: Path, tiny: Path, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ArgumentError) as info:
        check(tmp_path, tiny, "x", **kwargs)
    assert str(info.value) == message


def test_diff_text_keeps_context_around_changes() -> None:
    ops = (
        DiffOp("equal", tuple("abcdefg"), tuple("abcdefg")),
        DiffOp("replace", ("x",), ("y",)),
        DiffOp("equal", tuple("hijklmn"), tuple("hijklmn")),
        DiffOp("elision", (), ("[…]",)),
        DiffOp("delete", ("z",), ()),
    )
    assert diff_text(ops) == "… e f g [-x-] {+y+} h i j … l m n […] [-z-]"
    assert diff_text((DiffOp("equal", ("a",), ("a",)),)) == ""


# The draft report of tests/data/review against the sample corpus: every quote pinned.
# (line, status, attributed_to, file of the first match, the matched passage)
DRAFT = [
    (
        10,
        "verified",
        "COA",
        "coa.txt",
        "En wat ik echt heb gewaardeerd, is dat de minister er zelf achter stond",
    ),
    (
        11,
        "verified",
        "DUO",
        "duo.docx",
        "Die was helder. SZW is onze opdrachtgever en was ook de partij die het proces trok",
    ),
    (
        14,
        "verified",
        "VNG",
        "vng.txt",
        "Het ministerie was systeemverantwoordelijk en voorzitter van de stuurgroep, en dat hebben "
        "we nooit betwist",
    ),
    (
        15,
        "verified",
        "Vluchtelingenwerk",
        "vluchtelingenwerk.docx",
        "Als je aan tafel zit, zie je een ministerie dat luistert. Als je erbuiten staat, zie je "
        "vooral een ministerie dat besluit",
    ),
    (
        19,
        "verified",
        "Ministerie van OCW",
        "ministerie-ocw.txt",
        "Achteraf hadden we er veel eerder bij moeten zijn",
    ),
    (
        20,
        "verified",
        "MBO Raad",
        "mbo-raad.txt",
        "Bij SZW zeiden ze: dat is onderwijs, daar gaat OCW over. En bij OCW hoorden we: dit is "
        "een "
        "inburgeringswet, dat is van SZW",
    ),
    (
        27,
        "verified",
        "G40",
        "g40.txt",
        "Maar de VNG moet alle gemeenten bedienen, van de kleinste plattelandsgemeente tot "
        "Amsterdam",
    ),
    (
        28,
        "verified",
        "Kleinere gemeente",
        "kleinere-gemeente.docx",
        "Die hebben de capaciteit om notities te schrijven en binnen twee weken op een consultatie "
        "te reageren",
    ),
    (
        31,
        "verified",
        "G40",
        "g40.txt",
        "Geen reactie, geen “we hebben het meegenomen” of “we doen het niet, omdat”. Dat vond ik "
        "misschien wel het meest frustrerende",
    ),
    (
        34,
        "altered",
        "Vluchtelingenwerk",
        "vluchtelingenwerk.docx",
        "Het perspectief van de nieuwkomer zelf is in dit hele traject nauwelijks gehoord",
    ),
    (
        35,
        "misattributed",
        "Divosa",
        "g4.txt",
        "Je zit er via een tussenpersoon bij. Dan hoor je op donderdag wat er dinsdag besproken "
        "is, "
        "en moet je op vrijdag je reactie hebben ingeleverd",
    ),
    (
        39,
        "unattributed",
        None,
        "pharos.md",
        "Dan kregen we op dinsdag een conceptparagraaf en moesten we vrijdag reageren",
    ),
    (
        44,
        "verified",
        "Implementatiemanager",
        "implementatiemanager.vtt",
        "Ik heb de mensen van DUO pas na anderhalf jaar voor het eerst fysiek gezien. Dat zegt wel "
        "iets",
    ),
    (
        45,
        "verified",
        "IND",
        "ind.txt",
        "Als ik iets wilde weten van DUO, ging dat in de praktijk vaak via het ministerie. "
        "Achteraf "
        "denk ik: we hadden elkaar gewoon moeten bellen",
    ),
    (
        52,
        "verified",
        "Ministerie van SZW",
        "ministerie-szw-beleid.docx",
        "Het was een beetje een taboe. Eerst moest de inhoud staan, daarna zouden we het over de "
        "centen hebben. Achteraf gezien was dat naïef",
    ),
    (
        53,
        "verified",
        "Ministerie van SZW",
        "ministerie-szw-beleid.docx",
        "Dat onderzoek heeft de lucht geklaard. Niet iedereen was blij met elk getal, maar er lag "
        "tenminste een gedeelde basis",
    ),
    (
        57,
        "verified",
        "VNG",
        "vng.txt",
        "De boodschap was simpel: “We willen graag verder, maar niet zonder zicht op een "
        "realistisch budget",
    ),
    (
        59,
        "verified",
        "NRTO",
        "nrto.txt",
        "We waren bang voor een race to the bottom en die angst bleek niet ongegrond",
    ),
    (62, "unattributed", None, None, None),
    (63, "unattributed", None, None, None),
    (68, "verified", "DUO", "duo.docx", None),  # elided: pinned below
    (
        70,
        "verified",
        "VNG Realisatie",
        "vng-realisatie.txt",
        "Wij hebben definitieve regels nodig. Een koppelvlak kun je niet bouwen op basis van een "
        "concept dat volgende maand misschien anders is",
    ),
    (
        73,
        "verified",
        "Divosa",
        "divosa.txt",
        "Het tempo was soms moordend, met consultaties van twee weken over een heel besluit, "
        "midden "
        "in de zomer",
    ),
    (
        74,
        "verified",
        "VNG",
        "vng.txt",
        "De eerste invoeringsdatum was politiek bepaald, niet op basis van wat gemeenten nodig "
        "hadden",
    ),
    (77, "not_found", "IND", None, None),
    (
        82,
        "verified",
        "Pharos",
        "pharos.md",
        "Het lag niet aan de mensen. Ze hadden het gewoon ontzettend druk, en wij stonden niet "
        "bovenaan de lijst",
    ),
    (
        84,
        "misattributed",
        "G4",
        "vng.txt",
        "Iedereen wilde dat oplossen, en dat gevoel van urgentie heeft ons ook door de crisis over "
        "het geld heen geholpen",
    ),
]


@pytest.fixture(scope="module")
def draft() -> QuoteCheck:
    corpus = qualcode.load_corpus(Path(__file__).resolve().parents[1] / "transcripts_sample")
    return check_quotes(DATA / "draft_report.md", corpus)


def test_every_quote_of_the_draft_report_gets_its_verdict(draft: QuoteCheck) -> None:
    got = []
    for r in draft:
        m = r.matches[0] if r.matches else None
        text = draft.corpus.get(m.file).text[m.start : m.end] if m and draft.corpus else None
        got.append(
            (
                r.line,
                r.status,
                r.attributed_to,
                m.file if m else None,
                None if r.line == 68 else text,
            )
        )
    assert got == DRAFT
    assert draft.summary == {
        "verified": 20,
        "altered": 1,
        "misattributed": 2,
        "not_found": 1,
        "unattributed": 3,
    }
    assert [t.text for t in draft.terms] == ["voor de bühne", "race to the bottom"]
    assert draft.notes == ()
    assert draft.exit_code == 1


def test_the_draft_diff_and_kinds_of_attribution(draft: QuoteCheck) -> None:
    by_line = {r.line: r for r in draft}
    assert by_line[34].diff_text == "… dit hele traject [-nauwelijks-] {+nergens+} gehoord"
    assert [by_line[n].attribution.kind for n in (39, 62, 63, 77)] == [
        "respondent",
        "document",
        "document",
        "respondent",
    ]
    assert by_line[53].attribution.where == "continued"
    assert by_line[74].attribution.where == "previous"


def test_the_elided_draft_quote_matches_its_pieces(draft: QuoteCheck) -> None:
    (r,) = [r for r in draft if r.line == 68]
    assert draft.corpus is not None
    text = draft.corpus.get("duo.docx").text
    m = r.matches[0]
    assert [text[a:b] for a, b in m.pieces] == [
        "Op het ministerie wordt een wet geschreven, bij ons moet die wet in code",
        "Wij kunnen pas echt bouwen als de regels definitief zijn",
    ]
    assert (m.start, m.end) == (m.pieces[0][0], m.pieces[1][1])


def test_the_pdf_text_draft(draft: QuoteCheck) -> None:
    assert draft.corpus is not None
    result = check_quotes(DATA / "draft_report_pdf.txt", draft.corpus)
    assert [(r.line, r.status, r.attributed_to) for r in result] == [
        (6, "verified", "VNG"),
        (8, "verified", "Vluchtelingenwerk"),
        (13, "verified", "G40"),
        (15, "verified", "Divosa"),
        (21, "verified", "VNG"),
        (26, "altered", "Vluchtelingenwerk"),
        (27, "unattributed", None),
    ]


def test_a_docx_rendering_of_the_draft(tmp_path: Path, write_docx, draft: QuoteCheck) -> None:  # type: ignore[no-untyped-def]
    blocks = (DATA / "draft_report.md").read_text(encoding="utf-8").split("\n\n")
    paragraphs = [
        " ".join(b.split())
        for b in blocks
        if b.startswith(("De regierol", "De VNG zegt", "Bij de onderwijsroute"))
    ]
    path = write_docx(tmp_path / "draft.docx", paragraphs)
    assert draft.corpus is not None
    result = check_quotes(path, draft.corpus)
    assert [(r.line, r.status, r.attributed_to) for r in result] == [
        (1, "verified", "COA"),
        (1, "verified", "DUO"),
        (2, "verified", "VNG"),
        (2, "verified", "Vluchtelingenwerk"),
        (3, "verified", "Ministerie van OCW"),
        (3, "verified", "MBO Raad"),
    ]


def _speech_by_regex(transcript: object, interviewer: bool) -> tuple[list[str], list[int]]:
    """The index's words of one transcript as the regex gives them turn by turn (reference)."""
    import re

    from qualcode.review.tokens import WORD

    words: list[str] = []
    starts: list[int] = []
    text = transcript.text  # type: ignore[attr-defined]
    for seg in transcript.segments("turn"):  # type: ignore[attr-defined]
        if seg.is_respondent == interviewer:
            continue
        if words and words[-1]:
            words.append("")
            starts.append(seg.start)
        found = list(WORD.finditer(text, seg.start, seg.end))
        words.extend(map(re.Match.group, found))
        starts.extend(map(re.Match.start, found))
    return words, starts


@pytest.mark.parametrize("interviewer", [False, True])
def test_index_reads_each_turn_as_the_word_regex_does(
    sample_corpus: qualcode.Corpus, interviewer: bool
) -> None:
    from qualcode.review.index import _speech

    for t in sample_corpus.transcripts:
        words, starts, ends = _speech(t, interviewer)
        assert (words, starts.tolist()) == _speech_by_regex(t, interviewer), t.file
        assert [t.text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)] == words


def test_index_reads_a_turn_that_cuts_a_word_as_the_regex_sees_the_turn() -> None:
    from dataclasses import dataclass

    from qualcode.review.index import _speech

    @dataclass
    class Turn:
        start: int
        end: int
        is_respondent: bool = True

    @dataclass
    class Record:
        text: str
        turns: list[Turn]

        def segments(self, unit: str) -> list[Turn]:
            return self.turns

    text = "samenwerking was goed, 1.000 euro per jaar; multi-stakeholder"
    cut = Record(text, [Turn(0, 9), Turn(9, 30, False), Turn(30, 52), Turn(52, len(text))])
    words, starts, _ = _speech(cut, False)
    # the turns cut "samenwerking", "euro" and "stakeholder": each turn keeps its own pieces
    assert words == ["samenwerk", "", "uro", "per", "jaar", "multi-st", "", "akeholder"]
    assert (words, starts.tolist()) == _speech_by_regex(cut, False)


def test_index_pairs_sort_the_same_packed_or_not(
    sample_corpus: qualcode.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from qualcode.review import index

    packed = index.SpeechIndex(sample_corpus.transcripts)
    monkeypatch.setattr(index, "_PACKED_LIMIT", 0)  # as for a huge corpus: an argsort
    plain = index.SpeechIndex(sample_corpus.transcripts)
    assert np.array_equal(packed._pair_keys, plain._pair_keys)
    assert np.array_equal(packed._pair_places, plain._pair_places)
    assert len(packed._pair_keys) > 10_000
