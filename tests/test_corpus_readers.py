"""Readers: every format gives the same normalised text model."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from qualcode.corpus import QualcodeWarning, normalise, read_transcript
from qualcode.errors import CorpusError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffHallo", "Hallo"),
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("cafe\u0301", "café"),  # NFD -> NFC
        ("  spaties  blijven  ", "  spaties  blijven  "),
        ("“curly” ‘quotes’ – dash", "“curly” ‘quotes’ – dash"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_txt_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffR: Eén zin.\r\nNog één.\r\n".encode())
    t = read_transcript(p)
    assert t.text == "R: Eén zin.\nNog één.\n"
    assert t.format == "txt"


def test_txt_cp1252_fallback_warns_naming_file(tmp_path: Path) -> None:
    p = tmp_path / "oud.txt"
    p.write_bytes("Het café was “vol”.".encode("cp1252"))
    with pytest.warns(QualcodeWarning, match=r"^oud.txt: not valid UTF-8, read as Windows-1252"):
        t = read_transcript(p)
    assert t.text == "Het café was “vol”."


def test_md_is_read_as_text(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("# Titel\n\nR: Tekst.\n", encoding="utf-8")
    assert read_transcript(p).text == "# Titel\n\nR: Tekst.\n"


def test_docx_paragraphs_and_table_in_reading_order(tmp_path: Path, write_docx) -> None:
    p = write_docx(
        tmp_path / "a.docx",
        ["I: Eerste vraag?", "", "R: Antwoord één."],
        table=[["Organisatie", "COA"], ["Datum", "3 maart"]],
    )
    t = read_transcript(p)
    assert (
        t.text == "Organisatie\n\nCOA\n\nDatum\n\n3 maart\n\nI: Eerste vraag?\n\nR: Antwoord één."
    )
    assert [s.speaker for s in t.segments("turn")][-2:] == ["I", "R"]


def test_odt(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Verslag"))
    doc.text.addElement(P(text="Interviewer: Hoe ging het?"))
    doc.text.addElement(P(text="Respondent: Het ging goed."))
    p = tmp_path / "a.odt"
    doc.save(str(p))
    t = read_transcript(p)
    assert t.text == "Verslag\n\nInterviewer: Hoe ging het?\n\nRespondent: Het ging goed."
    assert [(s.speaker, s.is_respondent) for s in t.segments("turn")] == [
        ("Interviewer", False),
        ("Respondent", True),
    ]
    assert t.headings == ((0, 7),)


VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.500
<v Interviewer>Hoe begon het?</v>

2
00:00:04.000 --> 00:00:06.000
<v Respondent>Met veel urgentie.</v>

3
00:00:06.000 --> 00:01:02.250
<v Respondent>En <i>veel</i> overleg.</v>
"""


def test_vtt_cues_become_turns_and_keep_timestamps(tmp_path: Path) -> None:
    p = tmp_path / "a.vtt"
    p.write_text(VTT, encoding="utf-8")
    t = read_transcript(p)
    assert (
        t.text == "Interviewer: Hoe begon het?\n\nRespondent: Met veel urgentie.\nEn veel overleg."
    )
    assert [(c.begin_ms, c.end_ms, c.speaker) for c in t.cues] == [
        (1000, 3500, "Interviewer"),
        (4000, 6000, "Respondent"),
        (6000, 62250, "Respondent"),
    ]
    assert [t.text[c.start : c.end] for c in t.cues] == [
        "Hoe begon het?",
        "Met veel urgentie.",
        "En veel overleg.",
    ]
    turns = t.segments("turn")
    assert [(s.text, s.is_respondent) for s in turns] == [
        ("Hoe begon het?", False),
        ("Met veel urgentie.\nEn veel overleg.", True),
    ]


def test_srt(tmp_path: Path) -> None:
    p = tmp_path / "a.srt"
    p.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nI: Vraag?\n\n2\n00:00:02,500 --> 00:00:04,000\n"
        "R: Een antwoord\nover twee regels.\n",
        encoding="utf-8",
    )
    t = read_transcript(p)
    assert t.text == "I: Vraag?\nR: Een antwoord over twee regels."
    assert [(c.begin_ms, c.end_ms) for c in t.cues] == [(1000, 2000), (2500, 4000)]
    assert [(s.speaker, s.text) for s in t.segments("turn")] == [
        ("I", "Vraag?"),
        ("R", "Een antwoord over twee regels."),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", b"", "leeg.txt: the file is empty; add the interview text or remove the file"),
        (
            "wit.txt",
            b" \r\n\t\n",
            "wit.txt: the file is empty; add the interview text or remove the file",
        ),
        (
            "bin.txt",
            b"\x00\x01\x02PK\x00",
            "bin.txt: looks like a binary file, not text; save the "
            "interview as plain text (UTF-8) or .docx",
        ),
        ("kapot.docx", b"PK\x03\x04 not really a zip", "kapot.docx: not a readable .docx file"),
        ("kapot.odt", b"garbage", "kapot.odt: not a readable .odt file"),
        (
            "scan.pdf",
            b"%PDF-1.4",
            "scan.pdf: unsupported file type '.pdf'; supported: .txt, .md, "
            ".docx, .odt, .vtt, .srt (convert the file or move it out)",
        ),
        (
            "geen.vtt",
            b"1\n00:00:01.000 --> 00:00:02.000\nhoi\n",
            "geen.vtt: a .vtt file must start with 'WEBVTT'; is it really WebVTT?",
        ),
        ("tijd.srt", b"1\n00:00:01 --> 00:00:02\nhoi\n", "tijd.srt: cannot read the cue timing"),
    ],
)
def test_bad_files_raise_one_line_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        read_transcript(p)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_size_limit_refuses_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "groot.txt"
    p.write_text("R: " + "woord " * 1000, encoding="utf-8")

    def boom(self: Path) -> bytes:  # reading would be a failure of the size check
        raise AssertionError("file was read")

    monkeypatch.setattr(Path, "read_bytes", boom)
    with pytest.raises(
        CorpusError,
        match=r"^groot.txt: 0.0 MB is above the size limit of 0.0 MB; "
        r"split the file or raise the size limit$",
    ):
        read_transcript(p, max_bytes=100)


def test_no_warning_for_clean_utf8(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("R: Schoon.", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_transcript(p)
