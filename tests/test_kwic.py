"""Keywords in context: the codebook's pattern language, respondent speech only, exact offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.analysis.kwic import KWIC_COLUMNS, kwic
from qualcode.analysis.words import speech_ranges
from qualcode.cli import main
from qualcode.corpus import Corpus, transcript_from_text
from qualcode.errors import CodebookError

pytest_plugins = ["analysis_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "transcripts_sample" / "codings_gold.csv"
MSM = ROOT / "codebook" / "msm.yaml"

TEXT = (
    "Interviewer: Was het geld te laat?\n\n"
    "Respondent: Het geld kwam te laat. De financiering en de signalen, en een signaal.\n\n"
    "Interviewer: Geld?\n\n"
    "Respondent: Geld, budget: alles was te\n\nlaat."
)


@pytest.fixture(scope="module")
def one() -> Corpus:
    t = transcript_from_text(TEXT, file="a.txt").with_metadata(
        respondent="R1", organisation="Org A", attributes={}
    )
    return Corpus(Path("one"), (t,))


def _matches(frame) -> list[str]:
    return frame["match"].tolist()


@pytest.mark.parametrize(
    ("term", "lemma", "expected"),
    [
        ("geld", False, ["geld", "Geld"]),
        ("te laat", False, ["te laat"]),  # not across the paragraph break, not the interviewer's
        ("signaal", False, ["signaal"]),
        ("signaal", True, ["signalen", "signaal"]),
        ("signalen", True, ["signalen", "signaal"]),
        ("financ*", False, ["financiering"]),
        ("geld|budget", False, ["geld", "Geld", "budget"]),
    ],
)
def test_terms_in_the_pattern_language(one, term: str, lemma: bool, expected: list[str]) -> None:
    frame = kwic(one, term, lemma=lemma)
    assert list(frame.columns) == list(KWIC_COLUMNS)
    assert _matches(frame) == expected
    for row in frame.itertuples():
        assert TEXT[row.start : row.end] == row.match


def test_context_is_window_words_of_the_same_paragraph(one) -> None:
    row = kwic(one, "kwam", window=2).iloc[0]
    assert (row.left, row.match, row.right) == ("Het geld", "kwam", "te laat")
    row = kwic(one, "budget", window=3).iloc[0]
    assert (row.left, row.right) == ("Geld,", ": alles was te")
    assert kwic(one, "budget", window=0).iloc[0].left == ""
    assert (row.file, row.respondent, row.organisation) == ("a.txt", "R1", "Org A")


def test_within_keeps_matches_inside_the_ranges(one) -> None:
    start = TEXT.index("Geld, budget")
    frame = kwic(one, "geld|budget", within=[("a.txt", start, start + 12)])
    assert _matches(frame) == ["Geld", "budget"]


def test_a_bad_term_names_the_fix(one) -> None:
    with pytest.raises(CodebookError, match=r"search term 'a\*': wildcard 'a\*' keeps 1 letter"):
        kwic(one, "a*")


def test_sample_corpus_matches_are_exact_and_respondent_speech(sample_corpus) -> None:
    frame = kwic(sample_corpus, "stuurgroep", lemma=True)
    assert len(frame) > 40
    by_file = {t.file: t for t in sample_corpus.transcripts}
    for row in frame.itertuples():
        t = by_file[row.file]
        assert t.text[row.start : row.end] == row.match
        assert any(a <= row.start and row.end <= b for a, b in speech_ranges(t))
        turn = t.speaker_at(row.start)
        assert turn is None or turn.is_respondent


def test_analysis_kwic_inside_one_code(analysis) -> None:
    # mini corpus: "geld" is coded GELD (with sub-codes) in a.txt, b.txt and c.txt
    everywhere = analysis.kwic("geld")
    inside = analysis.kwic("geld", code="GELD_TAFEL")
    assert len(everywhere) == 3
    assert inside[["file", "match"]].values.tolist() == [["b.txt", "Geld"]]
    assert len(analysis.kwic("geld", code="GELD")) == 3


def test_cli_kwic_formats(sample_dir) -> None:
    runner = CliRunner()
    base = ["kwic", "te laat", "--transcripts", str(sample_dir)]
    result = runner.invoke(main, [*base, "--window", "4"])
    assert result.exit_code == 0, result.output
    assert "[te laat]" in result.output
    assert result.output.rstrip().endswith("7 occurrences in 7 transcripts")
    rows = json.loads(runner.invoke(main, [*base, "--format", "json"]).output)
    assert len(rows) == 7
    assert list(rows[0]) == list(KWIC_COLUMNS)
    csv = runner.invoke(main, [*base, "--format", "csv"]).output
    assert csv.splitlines()[0] == ",".join(KWIC_COLUMNS)


def test_cli_kwic_inside_a_code(sample_dir) -> None:
    runner = CliRunner()
    args = ["kwic", "geld", "--transcripts", str(sample_dir), "--format", "json"]
    every = json.loads(runner.invoke(main, args).output)
    code = ["--code", "FINANCIELE_RANDVOORWAARDEN", "--codings", str(GOLD), "--codebook", str(MSM)]
    result = runner.invoke(main, [*args, *code])
    assert result.exit_code == 0, result.output
    inside = json.loads(result.output)
    assert 0 < len(inside) < len(every)
    assert {(r["file"], r["start"]) for r in inside} <= {(r["file"], r["start"]) for r in every}


@pytest.mark.parametrize(
    ("extra", "status", "message"),
    [
        (["--code", "GELD"], 2, "--code looks inside codings: add --codings CSV and --codebook F"),
        (["--codings", str(GOLD)], 2, "--codings is used with --code ID"),
        (
            ["--code", "GELD", "--codings", str(GOLD), "--codebook", str(MSM)],
            1,
            "error: unknown code 'GELD' in codebook",
        ),
    ],
)
def test_cli_kwic_errors(sample_dir, extra: list[str], status: int, message: str) -> None:
    result = CliRunner().invoke(main, ["kwic", "geld", "--transcripts", str(sample_dir), *extra])
    assert result.exit_code == status
    assert message in result.output


def test_cli_kwic_bad_term_is_one_line(sample_dir) -> None:
    result = CliRunner().invoke(main, ["kwic", "x*", "--transcripts", str(sample_dir)])
    assert result.exit_code == 1
    assert result.output.startswith("error: search term 'x*': wildcard 'x*' keeps 1 letter")
    assert "Traceback" not in result.output


def test_matches_in_a_vtt_record_carry_the_cue_time(sample_corpus) -> None:
    frame = kwic(sample_corpus, "gemeente", lemma=True)
    vtt = frame[frame["file"] == "implementatiemanager.vtt"]
    assert len(vtt) > 0
    transcript = sample_corpus.get("implementatiemanager.vtt")
    for row in vtt.itertuples():
        cue = next(c for c in transcript.cues if c.start <= row.start < c.end)
        seconds = cue.begin_ms // 1000
        assert row.timestamp == f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    assert (frame[frame["file"] != "implementatiemanager.vtt"]["timestamp"] == "").all()
