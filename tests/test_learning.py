"""Learning from a researcher's coding: a project's suggestions, the learning cross-validation,
and scores on labelled passages."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.coding.learned import Passage
from qualcode.coding.learning import cross_validate_learning, score_passages
from qualcode.store import Project

ROOT = Path(__file__).resolve().parents[1]
MSM = ROOT / "codebook" / "msm.yaml"

TEXT = (
    "Interviewer: Hoe verliep het?\n\n"
    "Respondent: Er was veel te weinig geld voor de gemeenten.\n\n"
    "De invoering werd drie keer uitgesteld.\n\n"
    "Interviewer: En verder?\n\n"
    "Respondent: De kleine gemeenten zaten niet aan tafel.\n"
)


def test_project_suggests_for_uncoded_segments_only(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    with Project.create(tmp_path / "p.db", transcripts=folder, codebook=MSM) as project:
        t = project.transcript("a.txt")
        coded = next(s for s in t.segments("paragraph") if s.text.startswith("De invoering"))
        project.code("a.txt", coded.start, coded.end, "PLANNING", coder="anna")
        # learn=True would first refit the model on the shipped passages plus anna's coding
        result = project.suggest(learn=False)
        sug = project.codings(status="suggested")
        assert result.added == len(sug) > 0
        # every respondent paragraph but the coded one gets a variable, nothing else does
        variables = {c.id for c in project.codebook.variables()}
        spans = {
            (int(s), int(e))
            for s, e, v in zip(sug.start, sug.end, sug.variable, strict=True)
            if v in variables
        }
        respondent = {(s.start, s.end) for s in t.segments("paragraph") if s.is_respondent}
        assert spans == respondent - {(coded.start, coded.end)}
        assert project.suggest(learn=False).added == 0  # nothing new the second time


def test_score_passages_figures() -> None:
    passages = [
        Passage("a", ("X",), "bevorderend"),
        Passage("b", ("Y", "X"), "belemmerend"),
        Passage("c", ("Y",), "gemengd"),
        Passage("d", ("GEEN",), "neutraal"),
    ]
    ranked = [["X", "Y"], ["X"], ["X", "Y"], ["Y"]]
    coded = [{"X"}, {"X"}, {"X", "Y"}, {"Y"}]
    valences = [{"BEVORDEREND"}, set(), {"BELEMMEREND"}, set()]
    scores = score_passages(passages, ranked, coded, valences, ["X", "Y"])
    assert (scores.passages, scores.with_variable) == (4, 3)
    assert (scores.top1, scores.top2, scores.coverage) == (2 / 3, 1.0, 1.0)
    # X: tp 2 (a, b), fp 1 (c); Y: tp 1 (c), fp 1 (d), fn 1 (b)
    assert scores.macro_f1 == pytest.approx((4 / 5 + 2 / 4) / 2)
    # BEVORDEREND gold a, c: tp 1, fn 1; BELEMMEREND gold b, c: tp 1, fn 1
    assert scores.valence_f1 == pytest.approx(2 / 3)


BOOK = """\
name: klein
language: nl
dimensions:
  - {id: MSM, name: variables}
codes:
  - {id: GELD, name: geld, description: d, dimension: MSM, patterns: [budget]}
  - {id: TIJD, name: tijd, description: d, dimension: MSM, patterns: [deadline]}
"""


def _gold(n: int) -> pd.DataFrame:
    money = ["Het geld was op.", "Te weinig budget.", "De financiering schoot tekort."]
    time = ["Het was te laat.", "De deadline was krap.", "Alles werd uitgesteld."]
    rows = [(t, "GELD") for t in money * n] + [(t, "TIJD") for t in time * n]
    return pd.DataFrame(
        {
            "file": [f"f{i}.txt" for i in range(len(rows))],
            "start": 0,
            "end": [len(t) for t, _ in rows],
            "code": [c for _, c in rows],
            "coder": "gold",
            "text": [t for t, _ in rows],
        }
    )


def test_cross_validate_learning_pools_the_folds() -> None:
    book = parse_codebook(BOOK)
    cv = cross_validate_learning(_gold(3), book, folds=3, passages=[])
    assert (cv.folds, cv.passages) == (3, 18)
    assert cv.learned.with_variable == 18
    assert cv.learned.top1 == 1.0  # the same sentences recur in every fold
    assert cv.shipped.top1 < 1.0  # the patterns alone miss most of them
    assert "learning from the gold coding (3 folds over 18 coded passages" in cv.format_table()


def test_cli_evaluate_passages(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,text,variables,valence,register,writer\n"
        'x1,"Er was veel te weinig geld voor de uitvoering.",FINANCIELE_RANDVOORWAARDEN,'
        "belemmerend,r,x\n",
        encoding="utf-8",
    )
    args = ["evaluate", "--codebook", str(MSM), "--passages", str(path), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["passages"], data["top1"], data["coverage"]) == (1, 1.0, 1.0)
    refused = CliRunner().invoke(main, ["evaluate", "--passages", str(path)])
    assert refused.exit_code == 2
    assert "Error: --passages needs --codebook (the auto-coder's codebook)" in refused.stderr


def test_cli_cross_validate_reports_learning(tmp_path: Path) -> None:
    money = ["Het geld was op.", "Te weinig budget.", "De financiering schoot tekort."]
    time = ["Het was te laat.", "De deadline was krap.", "Alles werd uitgesteld."]
    paragraphs = (money + time) * 3
    text = "\n\n".join(paragraphs) + "\n"
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    rows, at = [], 0
    for p in paragraphs:
        start = text.index(p, at)
        rows.append(("a.txt", start, start + len(p), "GELD" if p in money else "TIJD", p))
        at = start + len(p)
    gold = pd.DataFrame(rows, columns=["file", "start", "end", "code", "text"]).assign(coder="gold")
    gold.to_csv(folder / "gold.csv", index=False)
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    args = ["evaluate", "--cross-validate", "--codebook", str(tmp_path / "book.yaml")]
    result = CliRunner().invoke(
        main, [*args, "--gold", str(folder / "gold.csv"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    learning = json.loads(result.stdout)["learning"]
    assert (learning["folds"], learning["passages"]) == (5, 18)
    assert learning["learned"]["top1"] > learning["shipped"]["top1"]
