"""Timestamps of quotes from .vtt/.srt records: in quotes.csv and next to the attribution."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.analysis import Analysis
from qualcode.analysis.quotes import QUOTE_COLUMNS, clock, cue_timestamp
from qualcode.codebook import parse_codebook
from qualcode.coding import Coding
from qualcode.corpus import Corpus, read_transcript
from qualcode.report.model import time_note

pytest_plugins = ["analysis_fixtures"]

SRT = """1
00:00:01,000 --> 00:00:04,000
Interviewer: Hoe ging het met het geld?

2
00:01:05,500 --> 00:01:09,000
Respondent: Het geld was veel te laat.

3
01:02:03,900 --> 01:02:09,000
Respondent: En de planning was krap.
"""

BOOK = """\
name: mini
language: nl
dimensions:
  - {id: MSM, name: MSM}
codes:
  - {id: GELD, name: Geld, description: Over geld.}
"""


@pytest.mark.parametrize(
    ("ms", "shown"),
    [(0, "00:00:00"), (999, "00:00:00"), (65_500, "00:01:05"), (3_723_900, "01:02:03")],
)
def test_clock(ms: int, shown: str) -> None:
    assert clock(ms) == shown


@pytest.fixture
def srt(tmp_path: Path):
    path = tmp_path / "gesprek.srt"
    path.write_text(SRT, encoding="utf-8")
    return read_transcript(path).with_metadata(respondent="R9", organisation="DUO", attributes={})


def test_cue_timestamp_is_the_first_cue_the_span_touches(srt) -> None:
    start = srt.text.index("Het geld")
    end = srt.text.index("krap.") + 5
    assert cue_timestamp(srt, start, end) == "00:01:05"
    assert cue_timestamp(srt, srt.text.index("krap"), end) == "01:02:03"
    plain = srt.__class__(file="a.txt", text="x", format="txt", turns=(), paragraphs=())
    assert cue_timestamp(plain, 0, 1) == ""


def test_quotes_of_a_subtitle_record_carry_their_time(srt, corpus) -> None:
    book = parse_codebook(BOOK, path="mini.yaml")
    start = srt.text.index("Het geld")
    coding = Coding(srt.file, start, start + len("Het geld was veel te laat."), "GELD", coder="t")
    both = Corpus(Path("x"), (srt, corpus.transcripts[1]))
    other = corpus.transcripts[1]
    plain_start = other.text.index("Geld bleef")
    codings = [coding, Coding(other.file, plain_start, plain_start + 10, "GELD", coder="t")]
    quotes = Analysis(codings, both, book).quotes("GELD", by_score=False)
    assert list(quotes.columns) == list(QUOTE_COLUMNS)
    assert dict(zip(quotes["file"], quotes["timestamp"], strict=True)) == {
        "gesprek.srt": "00:01:05",
        "b.txt": "",
    }
    listed = Analysis(codings, both, book).quote_list("GELD", by_score=False)
    assert [time_note(q) for q in listed] == [", 00:01:05", ""]


def test_sample_report_shows_the_time_of_vtt_quotes(gold_report) -> None:
    out, result = gold_report
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "quotes.csv").read_text(encoding="utf-8").splitlines()))
    vtt = [r for r in rows if r["file"] == "implementatiemanager.vtt"]
    assert vtt
    assert all(len(r["timestamp"]) == 8 and r["timestamp"][2] == ":" for r in vtt)
    assert all(r["timestamp"] == "" for r in rows if not r["file"].endswith((".vtt", ".srt")))
    pages = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.md"))
    html = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.html"))
    shown = [r["timestamp"] for r in vtt if f"{r['timestamp']} (implementatiemanager.vtt" in pages]
    assert shown
    assert all(f"*Implementatiemanager*, {t} (implementatiemanager.vtt" in pages for t in shown)
    assert f"Implementatiemanager, {shown[0]} &middot;" in html
