"""Evaluation against a gold standard: metrics pinned by a hand-computed example; CV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.coding.crossval import cross_validate
from qualcode.coding.evaluation import evaluate
from qualcode.corpus import load_corpus
from qualcode.errors import CodingError

PARAGRAPHS = [
    "Eerste alinea over geld.",
    "Tweede alinea over de planning.",
    "Derde alinea over geld en planning.",
    "Vierde alinea over de planning.",
    "Vijfde alinea over geld.",
    "Zesde alinea zonder codes.",
]


@pytest.fixture
def corpus(tmp_path: Path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "t.txt").write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation\nt.txt,R1,Org\n", encoding="utf-8"
    )
    return load_corpus(folder)


def span(corpus, k: int) -> tuple[int, int]:
    seg = corpus.get("t.txt").segments("paragraph")[k]
    return seg.start, seg.end


def frame(corpus, rows: list[tuple[int, str, str, float]], coder: str) -> pd.DataFrame:
    records = []
    for k, code, variable, score in rows:
        start, end = span(corpus, k)
        records.append(
            {
                "file": "t.txt",
                "start": start,
                "end": end,
                "code": code,
                "variable": variable,
                "coder": coder,
                "score": score,
            }
        )
    return pd.DataFrame.from_records(records)


# Segments 0..4 (paragraphs 1..5); A and B are variables, GOED a valence code.
GOLD = [
    (0, "A", "A", 1),
    (0, "GOED", "VALENCE", 1),
    (1, "B", "B", 1),
    (2, "A", "A", 1),
    (2, "B", "B", 1),
    (3, "B", "B", 1),
    (4, "A", "A", 1),
]
PRED = [
    (0, "A_SUB", "A", 2.0),
    (0, "GOED", "VALENCE", 1.0),
    (1, "A", "A", 1.5),
    (1, "B", "B", 1.0),
    (1, "GOED", "VALENCE", 1.0),
    (2, "B", "B", 2.0),
    (2, "A", "A", 1.0),
    (4, "A", "A", 1.0),
    (4, "B", "B", 1.0),  # a tie: A comes first
]


def test_hand_computed_example(corpus) -> None:
    result = evaluate(frame(corpus, PRED, "auto"), frame(corpus, GOLD, "gold"), corpus)
    assert (result.segments, result.gold_segments, result.predicted_segments) == (6, 5, 4)
    by_label = {s.label: s for s in result.labels}
    assert [s.label for s in result.labels] == ["A", "B", "GOED"]
    # A: gold {0,2,4}, predicted {0,1,2,4} (A_SUB rolls up to A)
    a = by_label["A"]
    assert (a.gold, a.predicted, a.tp, a.fp, a.fn) == (3, 4, 3, 1, 0)
    assert a.precision == 0.75 and a.recall == 1.0 and a.f1 == pytest.approx(6 / 7)
    # B: gold {1,2,3}, predicted {1,2,4}
    b = by_label["B"]
    assert (b.tp, b.fp, b.fn) == (2, 1, 1)
    assert b.precision == pytest.approx(2 / 3) and b.f1 == pytest.approx(2 / 3)
    g = by_label["GOED"]
    assert (g.tp, g.fp, g.fn, g.is_variable) == (1, 1, 0, False)
    assert result.macro_f1 == pytest.approx((6 / 7 + 2 / 3) / 2)
    assert result.micro_f1 == pytest.approx(10 / 13)
    # Top variable (predicted, gold label): (A,A) (A,B) (B,B) (NONE,B) (A,A)
    # p_o = 3/5; predicted marginals A 3, B 1, NONE 1; gold A 2, B 3;
    # p_e = (3*2 + 1*3) / 25 = 0.36; kappa = (0.6 - 0.36) / 0.64 = 0.375
    top = result.top
    assert (top.segments, top.predicted, top.correct) == (5, 4, 3)
    assert top.accuracy == 0.6 and top.accuracy_when_predicted == 0.75
    assert top.kappa == pytest.approx(0.375)
    # top-2: one more segment has a gold variable second in its prediction
    assert top.top2_accuracy == 0.8


def test_a_coding_counts_for_every_segment_it_overlaps(corpus) -> None:
    first, second = span(corpus, 0), span(corpus, 1)
    gold = pd.DataFrame(
        [
            {
                "file": "t.txt",
                "start": first[0] + 5,
                "end": second[0] + 3,
                "code": "A",
                "variable": "A",
                "coder": "gold",
                "score": 1,
            }
        ]
    )
    pred = frame(corpus, [(1, "A", "A", 1.0)], "auto")
    result = evaluate(pred, gold, corpus)
    a = result.labels[0]
    assert (a.gold, a.tp, a.fn) == (2, 1, 1)


def test_codebook_rolls_codes_up(corpus) -> None:
    book = parse_codebook(
        "language: nl\ncodes:\n  - {id: A, name: a, description: d}\n"
        "  - {id: A_SUB, name: s, description: d, parent: A}\n"
        "  - {id: B, name: b, description: d}\n",
        path="b.yaml",
    )
    pred = frame(corpus, [(0, "A_SUB", "", 1.0)], "auto")
    gold = frame(corpus, [(0, "A", "", 1)], "gold")
    result = evaluate(pred, gold, corpus, codebook=book)
    assert [(s.label, s.tp) for s in result.labels] == [("A", 1), ("B", 0)]
    with pytest.raises(CodingError) as err:
        evaluate(frame(corpus, [(0, "C", "", 1.0)], "auto"), gold, corpus, codebook=book)
    assert str(err.value) == (
        "predicted, row 2: unknown code 'C' in codebook 'b' (see 'qualcode codebook show' for "
        "all ids)"
    )


def test_unknown_file(corpus) -> None:
    gold = frame(corpus, GOLD, "gold")
    pred = gold.assign(file="other.txt")
    with pytest.raises(CodingError) as err:
        evaluate(pred, gold, corpus)
    assert str(err.value) == (
        f"predicted, row 2: file 'other.txt' is not a transcript in {corpus.root}; known files: "
        "t.txt (fix the file name, or read the transcripts the codings were made on) "
        "(and 6 more refused rows)"
    )


# -- cross-validation -------------------------------------------------------------------

BOOK = """\
language: nl
dimensions:
  - {id: MSM, name: m}
  - {id: VALENCE, name: v}
codes:
  - {id: GELD, name: g, description: d, dimension: MSM,
     patterns: [geld, {phrase: budget, weight: 3}]}
  - {id: TIJD, name: t, description: d, dimension: MSM, patterns: [planning]}
  - {id: GOED, name: g, description: d, dimension: VALENCE, patterns: [goed]}
"""


def test_cross_validation_scores_each_organisation_with_the_others_thresholds(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    rows = ["file,respondent,organisation"]
    for org in ("X", "Y", "Z"):
        text = "Het budget was goed.\n\nHet geld en de planning.\n\nNiets.\n"
        (folder / f"{org}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{org}.txt,R{org},{org}")
    (folder / "respondents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corpus = load_corpus(folder)
    book = parse_codebook(BOOK, path="b.yaml")
    gold_rows = []
    for t in corpus.transcripts:
        first, second, _ = t.segments("paragraph")
        gold_rows += [
            {"file": t.file, "start": first.start, "end": first.end, "code": "GELD"},
            {"file": t.file, "start": first.start, "end": first.end, "code": "GOED"},
            {"file": t.file, "start": second.start, "end": second.end, "code": "TIJD"},
        ]
    gold = pd.DataFrame(gold_rows).assign(coder="gold", score=1.0)
    grid = ((0.5, 2.0), (0.0,), (0.5,))
    cv = cross_validate(corpus, book, gold, grid=grid)
    # Per organisation: paragraph 1 scores GELD 3 and GOED 1, paragraph 2 GELD 1 and TIJD 1.
    # min_score 0.5 keeps both in paragraph 2 (macro F1 over labels (2/3 + 1 + 1) / 3);
    # 2.0 loses TIJD ((1 + 0 + 1) / 3): every fold picks 0.5 from the other two.
    assert [f.organisation for f in cv.folds] == ["X", "Y", "Z"]
    assert [f.min_score for f in cv.folds] == [0.5, 0.5, 0.5]
    assert [f.segments for f in cv.folds] == [3, 3, 3]
    assert cv.tuned_on_all == {"min_score": 0.5, "relative": 0.0, "valence_min_score": 0.5}
    held = {s.label: s for s in cv.held_out.labels}
    assert (held["GELD"].tp, held["GELD"].fp) == (3, 3)
    assert (held["TIJD"].tp, held["TIJD"].fn) == (3, 0)
    assert (held["GOED"].tp, held["GOED"].fp) == (3, 0)
    # Paragraph 2 is a tie between GELD and TIJD: GELD comes first in the codebook.
    assert cv.held_out.segments == 9
    assert (cv.held_out.top.segments, cv.held_out.top.correct) == (6, 3)
    assert "tuned on all organisations: min_score 0.5, relative 0, valence_min_score 0.5" in (
        cv.format_table()
    )


# -- CLI --------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write_pair(corpus, tmp_path: Path) -> tuple[Path, Path]:
    gold_path = corpus.root / "gold.csv"
    pred_path = tmp_path / "pred.csv"
    frame(corpus, GOLD, "gold").to_csv(gold_path, index=False)
    frame(corpus, PRED, "auto").to_csv(pred_path, index=False)
    return pred_path, gold_path


def test_cli_evaluate_table_and_json(corpus, tmp_path: Path) -> None:
    pred, gold = write_pair(corpus, tmp_path)
    code, out, err = run("evaluate", "--codings", str(pred), "--gold", str(gold))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "unit paragraph: 6 segments, 5 coded in the gold, 4 in the prediction"
    assert lines[3] == (
        "A                                      3     4     3     1     0       0.75    1.00   0.86"
    )
    assert lines[-1] == (
        "top variable over 5 gold-coded segments: accuracy 0.60 (3 correct), Cohen's kappa "
        "0.38; predicted in 4, accuracy there 0.75; top-2 accuracy 0.80"
    )
    code, out, _ = run("evaluate", "--codings", str(pred), "--gold", str(gold), "--format", "json")
    payload = json.loads(out)
    assert set(payload) == {
        "unit",
        "segments",
        "gold_segments",
        "predicted_segments",
        "labels",
        "top",
        "macro_f1",
        "micro_f1",
    }
    assert payload["top"]["kappa"] == pytest.approx(0.375)
    assert payload["labels"][0] == {
        "label": "A",
        "is_variable": True,
        "gold": 3,
        "predicted": 4,
        "tp": 3,
        "fp": 1,
        "fn": 0,
        "precision": 0.75,
        "recall": 1.0,
        "f1": pytest.approx(6 / 7),
    }


def test_cli_evaluate_usage_errors(corpus, tmp_path: Path) -> None:
    _, gold = write_pair(corpus, tmp_path)
    code, _, err = run("evaluate", "--gold", str(gold))
    assert code == 2
    assert "Error: pass --codings PRED.csv, or --cross-validate with --codebook" in err
    code, _, err = run("evaluate", "--gold", str(gold), "--cross-validate")
    assert code == 2
    assert "Error: --cross-validate needs --codebook (the auto-coder's patterns)" in err


def test_cli_evaluate_missing_column(corpus, tmp_path: Path) -> None:
    pred, gold = write_pair(corpus, tmp_path)
    pd.read_csv(pred).drop(columns=["coder"]).to_csv(pred, index=False)
    code, _, err = run("evaluate", "--codings", str(pred), "--gold", str(gold))
    assert code == 1
    assert (
        err == "error: pred.csv: missing column coder; a codings CSV needs file, start, end, code, "
        "coder\n"
    )


def test_only_some_files(corpus) -> None:
    pred, gold = frame(corpus, PRED, "auto"), frame(corpus, GOLD, "gold")
    other = pred.assign(file="elders.txt")  # rows of left-out transcripts are ignored
    result = evaluate(pd.concat([pred, other]), gold, corpus, files=["t.txt"])
    assert result.top.kappa == pytest.approx(0.375)
    with pytest.raises(CodingError) as err:
        evaluate(pred, gold, corpus, files=["x.txt"])
    assert str(err.value) == "x.txt: not in the transcripts folder; choose from t.txt"
