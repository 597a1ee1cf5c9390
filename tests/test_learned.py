"""The learned model: Dutch morphology, training, calibration, ranking, learning from codings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import qualcode
from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.coding import read_codings_csv
from qualcode.coding.autocoder import Selection, autocode_text
from qualcode.coding.features import FeatureWeights, WordFeatures, compound_parts
from qualcode.coding.learned import ModelSettings, Passage, train
from qualcode.coding.learning import passages_from_codings
from qualcode.errors import CodingError

ROOT = Path(__file__).resolve().parents[1]
MSM = ROOT / "codebook" / "msm.yaml"

BOOK = """\
name: klein
language: nl
dimensions:
  - {id: MSM, name: variables}
  - {id: VALENCE, name: valence}
codes:
  - {id: GELD, name: geld, description: d, dimension: MSM, patterns: [budget]}
  - {id: TIJD, name: tijd, description: d, dimension: MSM, patterns: [deadline]}
  - {id: BEVORDEREND, name: goed, description: d, dimension: VALENCE, patterns: [goed]}
  - {id: BELEMMEREND, name: slecht, description: d, dimension: VALENCE, patterns: [slecht]}
"""

MONEY = [
    "Er was gewoon te weinig geld voor de uitvoering.",
    "De financiering schoot tekort, dat merkten we overal.",
    "Het budget werd pas laat verhoogd.",
    "Gemeenten kregen geen geld voor de extra taken.",
    "Over de bekostiging is lang onderhandeld.",
    "Zonder extra middelen lukt het niet.",
]
TIME = [
    "De planning was veel te krap.",
    "Alles moest in korte tijd af, het tempo was hoog.",
    "De invoering is drie keer uitgesteld.",
    "We hadden te weinig tijd om ons voor te bereiden.",
    "De datum van invoering schoof steeds op.",
    "Het was een race tegen de klok.",
]


@pytest.fixture(scope="module")
def book():
    return parse_codebook(BOOK)


@pytest.fixture(scope="module")
def small(book, tmp_path_factory):
    passages = [Passage(t, ("GELD",), "belemmerend", group="a") for t in MONEY] + [
        Passage(t, ("TIJD",), "belemmerend", group="b") for t in TIME
    ]
    passages += [Passage("Dat ging goed, fijn.", ("GEEN",), "bevorderend", group="a")] * 2
    return train(book, passages, settings=ModelSettings(calibrate=False))


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("financieringstekort", ("financiering", "tekort")),
        ("klankbordgroep", ("klankbord", "groep")),
        ("geld", None),
        ("2022", None),
    ],
)
def test_compound_parts(word: str, parts: tuple[str, str] | None) -> None:
    assert compound_parts(word) == parts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("betrokken", "betrokkenheid"),
        ("vertegenwoordigd", "vertegenwoordigen"),
        ("gemeenten", "gemeente"),
    ],
)
def test_inflections_share_their_word_feature(a: str, b: str) -> None:
    words = WordFeatures("nl", FeatureWeights())
    assert words.stem_key(a) == words.stem_key(b) != ""


def test_unseen_wording_is_placed_by_the_model(book, small) -> None:
    # neither 'middelen' nor 'geld' is a pattern; 'financieringsgat' was never seen
    codings = autocode_text("Het financieringsgat bij gemeenten was groot.", book, model=small)
    best = [c for c in codings if c.rank == 1 and c.code in ("GELD", "TIJD")]
    assert [c.code for c in best] == ["GELD"]
    assert 0.5 < best[0].confidence <= 1
    assert "model: " in best[0].evidence and "financieringsgat" in best[0].evidence


def test_every_segment_gets_its_best_variable(book, small) -> None:
    text = "R: Goedemorgen.\n\nR: Het weer was mooi vandaag.\n"
    codings = autocode_text(text, book, model=small)
    ranked = sorted((c.start, c.rank) for c in codings if c.code in ("GELD", "TIJD"))
    assert [rank for _, rank in ranked if rank == 1] == [1, 1]
    assert all(c.confidence is not None for c in codings)


def test_rules_alone_have_no_confidence(book) -> None:
    codings = autocode_text("Het budget was op.", book, model=False, selection=Selection(1.0))
    assert [(c.code, c.confidence, c.rank) for c in codings] == [("GELD", None, 1)]


def test_training_is_deterministic(book, monkeypatch) -> None:
    from qualcode.coding import learned

    monkeypatch.setenv("QUALCODE_CACHE_DIR", "off")
    passages = [Passage(t, ("GELD",), "", group="x") for t in MONEY] + [
        Passage(t, ("TIJD",), "", group="y") for t in TIME
    ]
    first = train(book, passages)
    monkeypatch.setattr(learned, "_MODELS", {})
    second = train(book, passages)
    assert first is not None and second is not None and first is not second
    assert np.array_equal(first.heads["variables"][0], second.heads["variables"][0])
    assert first.heads["variables"][2] == second.heads["variables"][2]


def test_the_disk_cache_round_trips_and_survives_damage(book, tmp_path, monkeypatch) -> None:
    from qualcode.coding import learned

    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path))
    passages = [Passage(t, ("GELD",), "", group="x") for t in MONEY[:5]] + [
        Passage(t, ("TIJD",), "", group="y") for t in TIME[:5]
    ]
    fitted = train(book, passages, settings=ModelSettings(calibrate=False, c=3.0))
    (file,) = tmp_path.glob("model-*.npz")
    monkeypatch.setattr(learned, "_MODELS", {})
    loaded = train(book, passages, settings=ModelSettings(calibrate=False, c=3.0))
    assert loaded is not fitted
    text = "Er was te weinig budget."
    assert autocode_text(text, book, model=loaded) == autocode_text(text, book, model=fitted)
    file.write_bytes(b"not a model")
    monkeypatch.setattr(learned, "_MODELS", {})
    refitted = train(book, passages, settings=ModelSettings(calibrate=False, c=3.0))
    assert autocode_text(text, book, model=refitted) == autocode_text(text, book, model=fitted)


def test_too_little_to_learn_from_gives_no_model(book) -> None:
    assert (
        train(book, [Passage("Het budget.", ("GELD",))] * 4 + [Passage("Te laat.", ("TIJD",))])
        is None
    )


def test_a_label_outside_the_codebook_is_refused(book) -> None:
    with pytest.raises(CodingError) as err:
        train(book, [Passage("Iets over regie.", ("REGIE",))])
    assert str(err.value) == (
        "training passage 'Iets over regie.': 'REGIE' is not a variable of the codebook; "
        "choose from GELD, TIJD, GEEN"
    )


# -- learning from codings --------------------------------------------------------------


def test_passages_from_codings(book) -> None:
    frame = pd.DataFrame(
        {
            "file": ["a.txt"] * 4,
            "start": ["0", "0", "0", "10"],
            "end": ["9", "9", "9", "20"],
            "code": ["TIJD", "BEVORDEREND", "BELEMMEREND", "GELD"],
            "coder": ["anna", "anna", "anna", "auto"],
            "text": ["Te laat.", "Te laat.", "Te laat.", "Het budget."],
        }
    )
    assert passages_from_codings(frame, book, name="mine.csv") == [
        Passage("Te laat.", ("TIJD",), "gemengd", 3.0, "mine.csv")
    ]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"code": ["GELD"], "coder": ["anna"]}),
            "mine.csv: no 'text' column; learning needs the coded text of every row "
            "(export codings with qualcode, which writes it)",
        ),
        (
            pd.DataFrame({"code": ["REGIE"], "coder": ["anna"], "text": ["x"]}),
            "mine.csv, row 2: code 'REGIE' is not in the codebook 'klein'",
        ),
    ],
)
def test_passages_from_codings_errors(book, frame, message) -> None:
    with pytest.raises(CodingError) as err:
        passages_from_codings(frame, book, name="mine.csv")
    assert str(err.value) == message


def _write(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "mine.csv"
    pd.DataFrame(
        {
            "file": [f"f{i}.txt" for i in range(len(rows))],
            "start": 0,
            "end": [len(t) for t, _ in rows],
            "code": [c for _, c in rows],
            "coder": "anna",
            "text": [t for t, _ in rows],
        }
    ).to_csv(path, index=False)
    return path


def test_cli_autocode_learns_from_hand_coding(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.txt").write_text("Het financieringsgat was groot.\n", encoding="utf-8")
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    mine = _write(tmp_path, [(t, "GELD") for t in MONEY] + [(t, "TIJD") for t in TIME])
    out = tmp_path / "out.csv"
    args = [
        "autocode",
        "--transcripts",
        str(tmp_path / "t"),
        "--codebook",
        str(tmp_path / "book.yaml"),
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, [*args, "--learn-from", str(mine)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("learned from 12 hand-coded passages in 1 file(s)\n")
    frame = read_codings_csv(out)
    assert list(frame.columns[-3:]) == ["confidence", "rank", "suggestion"]
    best = frame[frame["rank"] == "1"]
    assert best["code"].tolist()[0] == "GELD"
    refused = CliRunner().invoke(main, [*args, "--learn-from", str(mine), "--rules-only"])
    assert refused.exit_code == 2
    assert "Error: --learn-from trains the model: leave out --rules-only" in refused.stderr
    few = _write(tmp_path, [("Het budget.", "GELD")])
    noted = CliRunner().invoke(main, [*args, "--learn-from", str(few)])
    assert noted.exit_code == 0
    assert noted.stderr.startswith(
        "note: 1 hand-coded passages are too few to learn from (each of two variables needs 5); "
        "coding with the patterns alone\n"
    )


# -- the shipped model on everyday Dutch ------------------------------------------------


@pytest.fixture(scope="module")
def msm():
    return qualcode.load_codebook(MSM)


@pytest.mark.parametrize(
    ("text", "variable"),
    [
        (
            "Wie er niet bij zaten? De mensen om wie het allemaal draait, de nieuwkomers zelf.",
            "REPRESENTATIE",
        ),
        (
            "Het geld was gewoon op, de gemeenten konden het niet betalen.",
            "FINANCIELE_RANDVOORWAARDEN",
        ),
        ("De invoering is drie keer uitgesteld, steeds weer een nieuwe datum.", "PLANNING"),
    ],
)
def test_shipped_model_places_everyday_wording(msm, text: str, variable: str) -> None:
    codings = autocode_text(text, msm)
    best = [c for c in codings if c.rank == 1 and msm.get(c.code).dimension == "MSM"]
    assert {msm.variable_of(c.code) for c in best} == {variable}


@pytest.mark.parametrize(
    ("text", "hindered"),
    [
        ("Die planning was echt een drama, funest voor de uitvoering.", True),
        ("Zorg dat je de gemeenten vroeg betrekt, dan loopt het goed.", False),
    ],
)
def test_everyday_valence_words(msm, text: str, hindered: bool) -> None:
    codes = {c.code for c in autocode_text(text, msm)}
    assert ("BELEMMEREND" in codes) is hindered


@pytest.mark.parametrize("before", [[], ["tafel", "koffie"]])
def test_a_preloaded_word_table_gives_the_vectors_computed_words_get(before: list[str]) -> None:
    """Preloading a cached table into a fresh table takes it whole; into one that already
    has words (some of them in the cache too), row by row: the same rows either way."""
    cached = WordFeatures("nl", FeatureWeights())
    cached.rows(["geld", "budget", "tafel", "gemeenten", "2020"])
    loaded = WordFeatures("nl", FeatureWeights())
    loaded.rows(list(before))
    loaded.preload(cached.table())
    computed = WordFeatures("nl", FeatureWeights())
    computed.rows(list(before))
    computed.rows(["geld", "budget", "tafel", "gemeenten", "2020"])
    assert loaded.forms == computed.forms and loaded.stems == computed.stems
    assert (loaded.matrix() != computed.matrix()).nnz == 0
    rows = np.arange(len(computed))
    assert np.array_equal(loaded.is_word(rows), computed.is_word(rows))
    assert np.array_equal(loaded.is_content(rows), computed.is_content(rows))
