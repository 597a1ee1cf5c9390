"""The auto-coder: pattern semantics, scores and evidence, respondent-only coding, the sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import qualcode
from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.coding import CODINGS_COLUMNS, Coding, read_codings_csv
from qualcode.coding.autocoder import Selection, autocode, autocode_frame, autocode_text
from qualcode.coding.matcher import repeat_score
from qualcode.corpus import transcript_from_text

ROOT = Path(__file__).resolve().parents[1]
MSM = ROOT / "codebook" / "msm.yaml"

BOOK = """\
name: test
language: nl
dimensions:
  - {id: MSM, name: variables}
  - {id: VALENCE, name: valence}
codes:
  - id: GELD
    name: geld
    description: d
    dimension: MSM
    patterns:
      - geld|budget
      - {near: [geld, tafel], within: 3, weight: 2}
  - id: GELD_TEKORT
    parent: GELD
    name: tekort
    description: d
    patterns:
      - {phrase: "*financ*", weight: 0.5}
      - "onderfinanc*"
  - id: SIGNAAL
    name: signaal
    description: d
    dimension: MSM
    patterns:
      - signalen
      - "*regie*"
      - te laat
      - =teams
      - "*werking"
  - id: GOED
    name: goed
    description: d
    dimension: VALENCE
    patterns:
      - {phrase: goed|prettig, unless: niet|geen}
  - id: SLECHT
    name: slecht
    description: d
    dimension: VALENCE
    patterns:
      - lastig|probleem
"""


@pytest.fixture(scope="module")
def book():
    return parse_codebook(BOOK, path="test.yaml")


def codes_of(text: str, book, **kw) -> dict[str, tuple[float, str]]:
    codings = autocode_text(text, book, selection=Selection(0.1, 0.0, 0.1), **kw)
    return {c.code: (c.score, c.evidence) for c in codings}


# -- pattern semantics ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er kwam een signaal binnen.", {"SIGNAAL"}),  # pattern 'signalen', text 'signaal'
        ("De signalen waren duidelijk.", {"SIGNAAL"}),
        ("SIGNALEN!", {"SIGNAAL"}),  # case-insensitive
        ("Er was weinig geld.", {"GELD"}),
        ("Het budget was op.", {"GELD"}),  # alternative
        ("De budgetten waren op.", {"GELD"}),  # lemma of the alternative
        ("De financiering schoot tekort.", {"GELD_TEKORT"}),  # infix wildcard
        ("Er was onderfinanciering.", {"GELD_TEKORT"}),  # prefix wildcard
        ("Financiële zorgen.", {"GELD_TEKORT"}),  # accent folded, still matches
        ("De ketenregie ontbrak.", {"SIGNAAL"}),  # wildcard inside a compound
        ("De samenwerking was stroef.", {"SIGNAAL"}),  # suffix wildcard
        ("Het kwam te laat.", {"SIGNAAL"}),  # phrase
        ("Het was laat te.", set()),  # phrase order matters
        ("Het kwam laat.", set()),
        ("Wij overlegden via Teams.", {"SIGNAAL"}),  # exact form
        ("Ons team was klein.", set()),  # '=teams' does not match its lemma
        ("Daar was niets over te zeggen.", set()),
    ],
)
def test_pattern_semantics(book, text: str, expected: set[str]) -> None:
    assert {c for c in codes_of(text, book) if c in {"GELD", "GELD_TEKORT", "SIGNAAL"}} == expected


def test_proximity_within_window(book) -> None:
    near = codes_of("Het geld lag op tafel.", book)["GELD"]
    assert near == (3.0, 'geld…tafel~"near(geld, tafel; 3)"; geld~"geld|budget"')
    far = codes_of("Het geld lag toen echt nog op tafel.", book)["GELD"]
    assert far == (1.0, 'geld~"geld|budget"')
    before = codes_of("Op tafel lag het geld.", book)["GELD"]  # either order
    assert before[0] == 3.0


def test_repeats_have_diminishing_returns(book) -> None:
    assert [repeat_score(2.0, n) for n in (0, 1, 2, 3)] == [0.0, 2.0, 3.0, 3.5]
    score, evidence = codes_of("Geld, geld en nog eens budget.", book)["GELD"]
    assert score == 1.75
    assert evidence == 'geld/budget~"geld|budget" (3x)'


def test_negation_cancels_a_cue(book) -> None:
    assert "GOED" in codes_of("Het geld was goed geregeld.", book)
    assert "GOED" not in codes_of("Het geld was niet goed geregeld.", book)
    assert "GOED" not in codes_of("Geen prettig gesprek over geld.", book)


def test_valence_only_alongside_a_variable(book) -> None:
    assert codes_of("Het was lastig.", book) == {}
    assert set(codes_of("Het budget was lastig.", book)) == {"GELD", "SLECHT"}


def test_thresholds() -> None:
    book = parse_codebook(BOOK, path="test.yaml")
    text = "Het geld lag op tafel en er kwamen signalen."  # GELD 3.0, SIGNAAL 1.0
    codings = autocode_text(text, book, selection=Selection(2.0, 0.0, 1.0))
    assert [c.code for c in codings] == ["GELD"]
    codings = autocode_text(text, book, selection=Selection(1.0, 0.4, 1.0))
    assert [c.code for c in codings] == ["GELD"]
    codings = autocode_text(text, book, selection=Selection(1.0, 0.3, 1.0))
    assert [c.code for c in codings] == ["GELD", "SIGNAAL"]


def test_variable_score_sums_its_codes(book) -> None:
    # The top-level code alone (1.0) is below 1.2; with its sub-code (0.5 + 1) it passes.
    text = "Geld en financiering, en onderfinanciering."
    codings = autocode_text(text, book, selection=Selection(1.2, 0.0, 1.0))
    assert {c.code: c.score for c in codings} == {"GELD": 1.0, "GELD_TEKORT": 1.75}
    assert autocode_text("Geld.", book, selection=Selection(1.2, 0.0, 1.0)) == []


# -- segments and speakers --------------------------------------------------------------


def test_interviewer_turns_never_coded(book) -> None:
    text = "I: Hoe zat het met het geld en de signalen?\n\nR: Het budget was lastig.\n"
    codings = autocode_text(text, book, selection=Selection(0.1, 0.0, 0.1))
    t = transcript_from_text(text)
    assert {c.code for c in codings} == {"GELD", "SLECHT"}
    for c in codings:
        assert t.text[c.start : c.end] == "Het budget was lastig."
        assert t.speaker_at(c.start).is_respondent


@pytest.mark.parametrize("unit", ["paragraph", "turn", "sentence"])
def test_only_interviewer_speech_gives_no_codings(book, unit: str) -> None:
    text = "I: Hoe zat het met het geld en de signalen?\n\nI: En het budget?\n"
    assert autocode_text(text, book, unit=unit, selection=Selection(0.1, 0.0, 0.1)) == []


@pytest.mark.parametrize("unit", ["paragraph", "turn", "sentence"])
def test_units(book, unit: str) -> None:
    text = "R: Het geld was op. Er kwamen signalen.\n\nDe regie ontbrak.\n"
    codings = autocode_text(text, book, unit=unit, selection=Selection(0.1, 0.0, 0.1))
    spans = {(c.start, c.end) for c in codings}
    expected = {"paragraph": 2, "turn": 1, "sentence": 3}[unit]
    assert len(spans) == expected


def test_unknown_unit(book) -> None:
    with pytest.raises(qualcode.QualcodeError) as err:
        autocode_text("geld", book, unit="page")
    assert str(err.value) == "unknown segment unit 'page'; choose one of: paragraph, turn, sentence"


def test_workers_give_the_same_codings(book) -> None:
    transcripts = [
        transcript_from_text(f"Het geld lag op tafel, deel {i}.\n\nSignalen {i}.\n", file=f"t{i}")
        for i in range(6)
    ]
    selection = Selection(1.0, 0.0, 1.0)
    one = autocode(transcripts, book, workers=1, selection=selection)
    two = autocode(transcripts, book, workers=2, selection=selection)
    assert one == two and len(one) == 12


def test_a_pool_in_small_chunks_codes_the_sample_as_one_process_does(
    sample_corpus, monkeypatch
) -> None:
    """The pool's first chunk (finished here), the middle ones and the last one (cut among
    the workers), with the shipped model: the same codings as one process makes."""
    from qualcode.codebook import load_codebook
    from qualcode.coding import autocoder

    codebook = load_codebook(Path(__file__).parents[1] / "codebook" / "msm.yaml")
    texts = [(t.file, t.text) for t in sample_corpus.transcripts]
    alone = list(autocoder.iter_autocode_texts(texts, codebook, workers=1))
    monkeypatch.setattr(autocoder, "_FIRST_CHUNK_CHARS", 5_000)
    monkeypatch.setattr(autocoder, "_CHUNK_CHARS", 12_000)
    pooled = list(autocoder.iter_autocode_texts(texts, codebook, workers=3))
    assert pooled == alone
    assert sum(len(c) for _, c in alone) > 100


@pytest.mark.parametrize("fillable", [True, False])
def test_codings_are_plain_records(book, monkeypatch, fillable: bool) -> None:
    from dataclasses import asdict

    from qualcode.coding import autocoder

    monkeypatch.setattr(autocoder, "_FILLABLE", fillable)
    text = "Het geld lag op tafel.\n\nEr kwamen signalen, te laat.\n"
    codings = autocode_text(text, book, file="a.txt", selection=Selection(0.1, 0.0, 0.1))
    assert [(c.code, c.start, c.end) for c in codings] == [
        ("GELD", 0, 22),
        ("SIGNAAL", 24, 52),
    ]
    for c in codings:
        made = Coding(**asdict(c))
        assert type(c) is Coding and c == made and hash(c) == hash(made)
        assert vars(c) == vars(made) and repr(c) == repr(made)
        with pytest.raises(AttributeError):
            c.score = 0.0  # type: ignore[misc]


# -- the sample corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_frame(sample_corpus) -> pd.DataFrame:
    return autocode_frame(sample_corpus, qualcode.load_codebook(MSM))


def test_sample_every_variable_occurs(sample_frame: pd.DataFrame) -> None:
    book = qualcode.load_codebook(MSM)
    assert list(sample_frame.columns) == list(CODINGS_COLUMNS)
    assert set(sample_frame["variable"]) == {c.id for c in book.variables()} | {"VALENCE"}
    assert set(sample_frame["coder"]) == {"auto"}
    for row in sample_frame.itertuples():
        assert row.variable == book.variable_of(row.code)
        # rule evidence gives a score; the learned model a calibrated confidence
        assert row.score > 0 or 0 < row.confidence <= 1
        # patterns always explain themselves; the model names content words only, so a
        # greeting ("Ja, prima. Goedemorgen.") may have none to name
        assert row.evidence or row.score == 0


def test_sample_text_is_the_slice_and_respondent_speech(sample_frame, sample_corpus) -> None:
    assert len(sample_frame) > 100
    for row in sample_frame.itertuples():
        t = sample_corpus.get(row.file)
        assert row.text == t.text[row.start : row.end]
        assert row.organisation == t.organisation
        segment = next(s for s in t.segments("paragraph") if s.start == row.start)
        assert segment.is_respondent and segment.end == row.end


# -- CLI --------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_autocode(tmp_path: Path, files: dict[str, str], *options: str) -> tuple[int, str, str]:
    """``qualcode autocode`` on a folder holding *files*, with the test codebook."""
    folder = tmp_path / "t"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text(BOOK, encoding="utf-8")
    out = tmp_path / "codings.csv"
    return run(
        "autocode",
        "--transcripts",
        str(folder),
        "--codebook",
        str(book),
        "--out",
        str(out),
        *options,
    )


def test_cli_autocode_writes_the_contract(tmp_path: Path) -> None:
    files = {"a.txt": "I: En het geld?\n\nR: Het budget was lastig.\n", "b.txt": "Over signalen.\n"}
    code, stdout, err = run_autocode(
        tmp_path, files, "--quiet", "--min-score", "1", "--valence-min-score", "1"
    )
    out = tmp_path / "codings.csv"
    assert code == 0, err
    assert stdout == f"wrote 3 codings (3 variables) for 2 transcripts to {out}\n"
    frame = read_codings_csv(out)
    assert list(frame.columns) == list(CODINGS_COLUMNS)
    assert frame[["file", "code", "variable", "text"]].values.tolist() == [
        ["a.txt", "GELD", "GELD", "Het budget was lastig."],
        ["a.txt", "SLECHT", "VALENCE", "Het budget was lastig."],
        ["b.txt", "SIGNAAL", "SIGNAAL", "Over signalen."],
    ]


def test_cli_autocode_reports_corpus_errors_after_writing(tmp_path: Path) -> None:
    files = {"a.txt": "Het geld was op.\n", "leeg.txt": "  \n"}
    code, _, err = run_autocode(tmp_path, files, "--min-score", "0.5")
    assert code == 1
    assert err == (
        f"warning: {tmp_path / 't'}: no respondents table (respondents.csv), so quotes and "
        "tables cannot name organisations; add respondents.csv to the folder with the columns "
        "file, respondent, organisation (one row per transcript) or pass --respondents PATH\n"
        "error: leeg.txt: the file is empty; add the interview text or remove the file\n"
    )
    assert read_codings_csv(tmp_path / "codings.csv")["file"].tolist() == ["a.txt"]


def test_cli_autocode_bad_codebook(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("name: x\nlanguage: nl\ncodes: []\n", encoding="utf-8")
    out = tmp_path / "codings.csv"
    code, _, err = run(
        "autocode", "--transcripts", str(tmp_path), "--codebook", str(book), "--out", str(out)
    )
    assert code == 1
    assert err == "error: book.yaml, line 3: codes is empty; add at least one code\n"
    assert not out.exists()


def test_public_api() -> None:
    for name in (
        "load_codebook",
        "autocode",
        "autocode_text",
        "autocode_frame",
        "Codebook",
        "Code",
        "evaluate",
    ):
        assert name in qualcode.__all__


def test_matcher_explains_one_doc(book) -> None:
    from qualcode.coding.matcher import CodeEvidence, Matcher
    from qualcode.nlp import tokenizer_only

    matcher = Matcher(book)
    doc = tokenizer_only("nl").tokenizer("Het geld lag op tafel; het budget was lastig.")
    assert matcher.match_doc(doc) == [
        CodeEvidence(
            "GELD", 3.5, 'geld…tafel~"near(geld, tafel; 3)"; geld/budget~"geld|budget" (2x)'
        ),
        CodeEvidence("SLECHT", 1.0, 'lastig~"lastig|probleem"'),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_streams_are_coded_in_order_reading_little_ahead(book, monkeypatch, workers) -> None:
    from qualcode.coding import autocoder

    monkeypatch.setattr(autocoder, "_CHUNK_CHARS", 10)  # one text per chunk
    monkeypatch.setattr(autocoder, "_FIRST_CHUNK_CHARS", 10)
    pulled: list[int] = []

    def texts():
        for i in range(12):
            pulled.append(i)
            yield f"t{i}.txt", f"Het geld lag op tafel ({i}).\n"

    stream = autocoder.iter_autocode_texts(texts(), book, workers=workers)
    first, codings = next(stream)
    assert first == "t0.txt" and [c.code for c in codings] == ["GELD"]
    # the first results wait for the first text alone (one process) or for the second
    # too (a pool: it is sent to a worker before the first is finished here)
    assert len(pulled) == workers
    rest = [name for name, _ in stream]
    assert rest == [f"t{i}.txt" for i in range(1, 12)]
