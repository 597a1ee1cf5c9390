"""Record metadata is nobody's speech: found at the top of every format, kept out of coding."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.corpus import read_transcript, transcript_from_text
from qualcode.corpus.segments import respondent_spans

# (record text, the metadata found, the first respondent paragraph)
CASES = [
    pytest.param(
        "Gespreksverslag Divosa\n"
        "Evaluatie totstandkoming Wet inburgering 2021\n"
        "Datum: 16 januari 2023\n"
        "Onderwerp: evaluatie van participatie, planning en financiering\n"
        "Respondent: beleidsadviseur participatie en financiën\n"
        "Dit verslag is door de respondent goedgekeurd.\n\n"
        "De respondent vertelt dat het geld een taboe was.",
        {
            "title": "Gespreksverslag Divosa",
            "subtitle": "Evaluatie totstandkoming Wet inburgering 2021",
            "Datum": "16 januari 2023",
            "Onderwerp": "evaluatie van participatie, planning en financiering",
            "Respondent": "beleidsadviseur participatie en financiën",
            "note": "Dit verslag is door de respondent goedgekeurd.",
        },
        "De respondent vertelt dat het geld een taboe was.",
        id="dutch-block-no-blank-lines",
    ),
    pytest.param(
        "Interview record\n\nDate: 12 May 2023\n\nSubject: participation and funding\n\n"
        "Interviewee: policy officer, municipal association\n\n"
        "Location: Utrecht\n\nThe money was a taboo in the first year.",
        {
            "title": "Interview record",
            "Date": "12 May 2023",
            "Subject": "participation and funding",
            "Interviewee": "policy officer, municipal association",
            "Location": "Utrecht",
        },
        "The money was a taboo in the first year.",
        id="english-keys-blank-lines",
    ),
    pytest.param(
        "Datum: 3 maart 2023 | Locatie: Den Haag | Functie: programmamanager\n"
        "Opdrachtgever: Ministerie van SZW\n\n"
        "I: Hoe begon het?\n\nR: Met veel urgentie.",
        {
            "Datum": "3 maart 2023",
            "Locatie": "Den Haag",
            "Functie": "programmamanager",
            "Opdrachtgever": "Ministerie van SZW",
        },
        "Met veel urgentie.",
        id="pairs-on-one-line-and-an-unknown-key-beside-known-ones",
    ),
    pytest.param(
        "**Gespreksdatum:** 9 februari 2023\n- **Plaats:** online\n- Duur: 75 minuten\n\n"
        "De planning was moordend, zegt de respondent.",
        {"Gespreksdatum": "9 februari 2023", "Plaats": "online", "Duur": "75 minuten"},
        "De planning was moordend, zegt de respondent.",
        id="markdown-bold-keys-and-bullets",
    ),
    pytest.param(
        "Transcript interview NRTO\nI = interviewer; R = beleidsadviseur inburgering\n\n"
        "I: Hoe was het?\n\nR: Wisselend.",
        {
            "title": "Transcript interview NRTO",
            "speakers": "I = interviewer; R = beleidsadviseur inburgering",
        },
        "Wisselend.",
        id="title-and-speaker-legend",
    ),
    pytest.param(
        "Datum: 2 februari 2023. Respondent: strategisch adviseur (Annelies). "
        "I = interviewer, R = respondent.\n\nI: Fijn dat u tijd heeft.\n\nR: Graag.",
        {
            "Datum": "2 februari 2023",
            "Respondent": "strategisch adviseur (Annelies)",
            "speakers": "I = interviewer, R = respondent",
        },
        "Graag.",
        id="sentences-of-fields-on-one-line",
    ),
    pytest.param(
        "Respondent: ja, dat klopt. We zaten vanaf het begin aan tafel.\n\nInterviewer: En daarna?",
        {},
        "ja, dat klopt. We zaten vanaf het begin aan tafel.",
        id="a-header-that-is-really-speech",
    ),
    pytest.param(
        "Datum: dat weet ik niet meer precies, het was in 2019.\n\nToen begon het overleg.",
        {},
        "Datum: dat weet ik niet meer precies, het was in 2019.",
        id="a-known-key-with-a-spoken-value",
    ),
    pytest.param(
        "Planning: veel te krap en slecht afgestemd\n\nDaar heeft iedereen last van gehad.",
        {},
        "Planning: veel te krap en slecht afgestemd",
        id="an-unknown-key-alone-is-speech",
    ),
    pytest.param(
        "Interviewer: Wat was uw rol?\n\nRespondent: Wij zaten in de stuurgroep.",
        {},
        "Wij zaten in de stuurgroep.",
        id="a-transcript-opening-with-a-question",
    ),
]


@pytest.mark.parametrize(("text", "metadata", "first"), CASES)
def test_header_becomes_metadata_and_is_nobodys_speech(
    text: str, metadata: dict[str, str], first: str
) -> None:
    t = transcript_from_text(text)
    assert dict(t.metadata) == metadata
    spans = respondent_spans(t, "paragraph")
    assert t.text[spans[0][0] : spans[0][1]] == first
    for lo, hi in t.metadata_spans:
        assert (lo, hi) in t.headings
        for unit in ("paragraph", "turn", "sentence"):
            assert all(b <= lo or a >= hi for a, b in respondent_spans(t, unit))
            assert not any(
                s.is_respondent and s.start < hi and s.end > lo for s in t.segments(unit)
            )


def test_metadata_spans_cover_every_header_line() -> None:
    t = transcript_from_text("Titel van het verslag\nDatum: 1 mei 2023\n\nTekst van het verslag.")
    assert [t.text[a:b] for a, b in t.metadata_spans] == [
        "Titel van het verslag",
        "Datum: 1 mei 2023",
    ]


def test_md_yaml_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "pharos.md"
    p.write_text(
        "---\nrespondent: senior adviseur gezondheid\ndatum: 2023-03-01\n"
        "onderwerpen: [participatie, planning]\n---\n\n# Gespreksverslag Pharos\n\n"
        "## Achtergrond\n\nHet begin was veelbelovend.\n",
        encoding="utf-8",
    )
    t = read_transcript(p)
    assert dict(t.metadata) == {
        "respondent": "senior adviseur gezondheid",
        "datum": "2023-03-01",
        "onderwerpen": "participatie, planning",
        "title": "Gespreksverslag Pharos",
    }
    assert t.text[t.metadata_spans[0][0] : t.metadata_spans[0][1]].startswith("---\nrespondent")
    spans = respondent_spans(t, "paragraph")
    assert [t.text[a:b] for a, b in spans] == ["Het begin was veelbelovend."]


def test_md_front_matter_that_is_not_yaml_is_kept_whole(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("---\nDatum: [3 maart\n---\nHet ging goed.\n", encoding="utf-8")
    t = read_transcript(p)
    assert dict(t.metadata) == {"front matter": "Datum: [3 maart"}
    assert [t.text[a:b] for a, b in respondent_spans(t, "paragraph")] == ["Het ging goed."]


def test_docx_leading_metadata_table(tmp_path: Path, write_docx) -> None:
    p = write_docx(
        tmp_path / "cvte.docx",
        ["Gespreksverslag CvTE", "Achtergrond", "Het CvTE maakt de examens."],
        table=[["Organisatie", "CvTE"], ["Datum", "28 februari 2023"], ["Functie", "adviseur"]],
    )
    t = read_transcript(p)
    assert dict(t.metadata) == {
        "Organisatie": "CvTE",
        "Datum": "28 februari 2023",
        "Functie": "adviseur",
        "title": "Gespreksverslag CvTE",
    }
    assert [t.text[a:b] for a, b in t.metadata_spans] == [
        "Organisatie",
        "CvTE",
        "Datum",
        "28 februari 2023",
        "Functie",
        "adviseur",
        "Gespreksverslag CvTE",
    ]
    assert [t.text[a:b] for a, b in respondent_spans(t, "paragraph")] == [
        "Het CvTE maakt de examens."
    ]


def test_docx_header_paragraphs(tmp_path: Path, write_docx) -> None:
    p = write_docx(
        tmp_path / "duo.docx",
        [
            "Transcript interview DUO",
            "Datum: 7 maart 2023. Respondent: programmamanager inburgering (Erik).",
            "I: Wat is de rol van DUO?",
            "R: Wij zijn de uitvoerder.",
        ],
    )
    t = read_transcript(p)
    assert t.metadata["Respondent"] == "programmamanager inburgering (Erik)"
    assert [t.text[a:b] for a, b in respondent_spans(t, "turn")] == ["Wij zijn de uitvoerder."]


def test_docx_table_that_is_not_a_header_stays_text(tmp_path: Path, write_docx) -> None:
    p = write_docx(
        tmp_path / "a.docx",
        ["Tekst."],
        table=[["De planning was veel te krap voor iedereen.", "Ja, dat zeker."]],
    )
    t = read_transcript(p)
    assert dict(t.metadata) == {}
    assert "De planning was veel te krap voor iedereen." in [
        t.text[a:b] for a, b in respondent_spans(t, "paragraph")
    ]


def test_vtt_note_blocks_are_metadata(tmp_path: Path) -> None:
    p = tmp_path / "a.vtt"
    p.write_text(
        "WEBVTT - Interview implementatiemanager\n\n"
        "NOTE\nDatum: 14 april 2023\nRespondent: implementatiemanager gemeenten\n\n"
        "NOTE opgenomen via Teams\n\n"
        "1\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>Hoe begon het?</v>\n\n"
        "2\n00:00:02.500 --> 00:00:04.000\n<v Respondent>Met urgentie.</v>\n",
        encoding="utf-8",
    )
    t = read_transcript(p)
    assert dict(t.metadata) == {
        "title": "Interview implementatiemanager",
        "Datum": "14 april 2023",
        "Respondent": "implementatiemanager gemeenten",
        "note": "opgenomen via Teams",
    }
    assert "Datum" not in t.text and "Teams" not in t.text
    assert [t.text[a:b] for a, b in respondent_spans(t, "turn")] == ["Met urgentie."]


def test_odt_header_lines(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Verslag G40"))
    doc.text.addElement(P(text="Functie: beleidsadviseur"))
    doc.text.addElement(P(text="Locatie: Zwolle"))
    doc.text.addElement(P(text="De G40 zat niet aan tafel."))
    p = tmp_path / "a.odt"
    doc.save(str(p))
    t = read_transcript(p)
    assert dict(t.metadata) == {
        "title": "Verslag G40",
        "Functie": "beleidsadviseur",
        "Locatie": "Zwolle",
    }
    assert [t.text[a:b] for a, b in respondent_spans(t, "paragraph")] == [
        "De G40 zat niet aan tafel."
    ]


def test_sample_headers_are_nobodys_speech(sample_corpus) -> None:
    with_header = {t.file: t for t in sample_corpus if t.metadata_spans}
    assert len(with_header) >= 17
    coa = sample_corpus["coa.txt"]
    assert coa.metadata["title"].startswith("Transcript interview COA")
    assert coa.metadata["Respondent"] == "strategisch adviseur inburgering (Annelies)"
    assert sample_corpus["cvte.docx"].metadata["Organisatie"] == "CvTE"
    for t in with_header.values():
        for lo, hi in t.metadata_spans:
            assert all(b <= lo or a >= hi for a, b in respondent_spans(t, "paragraph")), t.file


def test_autocoder_and_quotes_never_touch_metadata(tmp_path: Path, write_docx) -> None:
    from conftest import CODEBOOK

    from qualcode.analysis.quotes import speech_spans
    from qualcode.codebook import load_codebook
    from qualcode.coding.autocoder import autocode_corpus
    from qualcode.corpus import load_corpus

    folder = tmp_path / "t"
    folder.mkdir()
    header = (
        "Onderwerp: participatie, planning, financiering en vertrouwen in de stuurgroep\n"
        "Respondent: beleidsadviseur participatie en financiën\n"
    )
    body = (
        "De planning was moordend en het geld was een taboe. We voelden ons niet gehoord "
        "en de stuurgroep gaf geen terugkoppeling op onze signalen."
    )
    (folder / "a.txt").write_text(f"Gespreksverslag A\n{header}\n{body}\n", encoding="utf-8")
    (folder / "b.md").write_text(
        f"---\nonderwerp: planning en financiering\n---\n\n# Verslag B\n\n{body}\n",
        encoding="utf-8",
    )
    write_docx(
        folder / "c.docx",
        [body],
        table=[["Onderwerp", "participatie en financiering"], ["Functie", "regie en planning"]],
    )
    corpus = load_corpus(folder)
    frame = autocode_corpus(
        corpus, load_codebook(CODEBOOK), tmp_path / "codings.csv", unit="sentence", workers=1
    )
    assert set(frame["file"]) == {"a.txt", "b.md", "c.docx"}
    for t in corpus:
        assert t.metadata_spans
        rows = frame[frame["file"] == t.file]
        for lo, hi in t.metadata_spans:
            assert all(e <= lo or s >= hi for s, e in zip(rows["start"], rows["end"], strict=True))
            assert all(b <= lo or a >= hi for a, b in speech_spans(t))


def test_metadata_survives_the_store() -> None:
    from qualcode.store.texts import from_stored, to_stored

    t = transcript_from_text("Verslag\nDatum: 1 mei\n\nTekst.", file="a.txt")
    back = from_stored(to_stored(t))
    assert back == t
    assert dict(back.metadata) == {"title": "Verslag", "Datum": "1 mei"}
    assert back.metadata_spans == t.metadata_spans
