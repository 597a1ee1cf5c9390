"""Agreement checked against independent implementations, and over the codable units only.

The peers are test-only dependencies: the ``krippendorff`` package (alpha),
``statsmodels.stats.inter_rater`` (Cohen's and Fleiss' kappa) and ``irrCAC``
(Gwet's AC1). Data: random reliability matrices with coders missing on some
units, and random codings of three coders over the sample corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from agreement_cases import codings_frame, reference_rows, thousand_fixture  # noqa: F401
from click.testing import CliRunner
from irrCAC.raw import CAC
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from qualcode import CodingError
from qualcode.agreement import (
    MISSING,
    agreement,
    alpha_interval,
    cohen_kappa,
    fleiss_kappa,
    format_html,
    gwet_ac1,
    krippendorff_alpha,
)
from qualcode.cli import main
from qualcode.corpus import Corpus
from qualcode.corpus.segments import respondent_spans

SEEDS = [1, 2, 3, 4, 5]


def _random_matrix(seed: int, *, units: int = 80, coders: int = 4, values: int = 3):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, values, size=units)
    data = np.where(
        rng.random((units, coders)) < 0.7, truth[:, None], rng.integers(0, values, (units, coders))
    )
    return rng, data


def _nan(data: np.ndarray) -> np.ndarray:
    return np.where(data == MISSING, np.nan, data).astype(float)


@pytest.mark.parametrize("seed", SEEDS)
def test_alpha_with_missing_coders_equals_the_krippendorff_package(seed: int) -> None:
    rng, data = _random_matrix(seed)
    data[rng.random(data.shape) < 0.25] = MISSING
    theirs = krippendorff.alpha(reliability_data=_nan(data).T, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_and_cohen_equal_statsmodels(seed: int) -> None:
    _, data = _random_matrix(seed, coders=5)
    table, _ = aggregate_raters(data, n_cat=3)
    assert fleiss_kappa(data, n_values=3) == pytest.approx(sm_fleiss(table), abs=1e-9)
    pair = pd.crosstab(data[:, 0], data[:, 1]).to_numpy()
    assert cohen_kappa(data[:, 0], data[:, 1]) == pytest.approx(cohens_kappa(pair).kappa)


def test_fleiss_counts_only_units_every_coder_rated() -> None:
    _, data = _random_matrix(7)
    holed = data.copy()
    holed[::5, 2] = MISSING
    complete = np.delete(data, np.s_[::5], axis=0)
    assert fleiss_kappa(holed, n_values=3) == pytest.approx(fleiss_kappa(complete, n_values=3))


@pytest.mark.parametrize("seed", SEEDS)
def test_gwet_ac1_with_missing_coders_equals_irrcac(seed: int) -> None:
    rng, data = _random_matrix(seed)
    data[rng.random(data.shape) < 0.2] = MISSING
    theirs = CAC(pd.DataFrame(_nan(data)), categories=[0, 1, 2]).gwet()
    # irrCAC rounds its estimate to four decimals.
    assert gwet_ac1(data, n_values=3) == pytest.approx(theirs["est"]["coefficient_value"], abs=5e-5)


def test_ac1_stays_high_where_kappa_collapses_on_a_rare_code() -> None:
    # 100 units, one rare code: the coders agree on 98 units and differ on two.
    first = np.zeros(100, dtype=np.int64)
    second = np.zeros(100, dtype=np.int64)
    first[0], second[1] = 1, 1
    data = np.stack([first, second], axis=1)
    assert cohen_kappa(first, second) == pytest.approx(-0.0101, abs=1e-4)
    assert gwet_ac1(data, n_values=2) == pytest.approx(0.9796, abs=1e-4)


def test_weights_stand_for_repeated_units_in_every_coefficient() -> None:
    _, data = _random_matrix(3, units=30)
    weights = np.arange(1, 31)
    repeated = np.repeat(data, weights, axis=0)
    assert fleiss_kappa(data, weights=weights) == pytest.approx(fleiss_kappa(repeated))
    assert gwet_ac1(data, weights=weights) == pytest.approx(gwet_ac1(repeated))


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    _, data = _random_matrix(9, units=120)
    alpha = krippendorff_alpha(data)
    first = alpha_interval(data, samples=400, seed=5)
    assert first == alpha_interval(data, samples=400, seed=5)
    assert first != alpha_interval(data, samples=400, seed=6)
    assert first is not None and first[0] < alpha < first[1]
    assert 0.05 < first[1] - first[0] < 0.4
    assert alpha_interval(data, samples=0) is None


# -- over the sample corpus: three random coders, respondent paragraphs only ----------------


def _three_coders(corpus: Corpus, seed: int = 21) -> pd.DataFrame:
    """Random codings: each coder applies each code to a respondent paragraph, or part of it."""
    rng = np.random.default_rng(seed)
    rows = []
    for transcript in corpus:
        for start, end in respondent_spans(transcript, "paragraph"):
            truth = rng.random(3) < 0.3
            for coder in ("anna", "bram", "cas"):
                codes = ("PLANNING", "REPRESENTATIE", "BEVORDEREND")
                for code, base in zip(codes, truth, strict=True):
                    if (rng.random() < 0.8) == base:
                        cut = int(rng.integers(start, end))
                        rows.append((transcript.file, cut, end, code, coder))
    return codings_frame(rows)


def test_three_coders_over_respondent_paragraphs_match_the_krippendorff_package(
    sample_corpus: Corpus,
) -> None:
    codings = _three_coders(sample_corpus)
    result = agreement(codings, sample_corpus, files=sample_corpus.files)
    spans = [(t.file, s) for t in sample_corpus for s in respondent_spans(t, "paragraph")]
    every = sum(len(t.segments("paragraph")) for t in sample_corpus)
    assert result.n_units == len(spans)
    assert result.n_left_out == every - len(spans) > 0
    for code in result.per_code:
        matrix = np.array(
            [
                [
                    any(
                        r.file == file and r.start < end and start < r.end
                        for r in codings.itertuples()
                        if r.code == code.code and r.coder == coder
                    )
                    for coder in ("anna", "bram", "cas")
                ]
                for file, (start, end) in spans
            ],
            dtype=float,
        )
        theirs = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement="nominal")
        assert code.alpha == pytest.approx(theirs, abs=0.001), code.code
        table, _ = aggregate_raters(matrix.astype(int), n_cat=2)
        assert code.fleiss_kappa == pytest.approx(sm_fleiss(table), abs=1e-9), code.code
        assert code.kappa is None  # Cohen's kappa is for two coders
    everything = agreement(codings, sample_corpus, files=sample_corpus.files, units="all")
    assert everything.n_units == every
    # Units nobody may code inflate agreement: every coder "agrees" to leave them empty.
    assert all(a.alpha > c.alpha for a, c in zip(everything.per_code, result.per_code, strict=True))


def test_character_units_are_the_characters_of_respondent_paragraphs(
    sample_corpus: Corpus,
) -> None:
    codings = _three_coders(sample_corpus, seed=4)
    result = agreement(codings, sample_corpus, files=sample_corpus.files, unit="character")
    codable = sum(b - a for t in sample_corpus for a, b in respondent_spans(t, "paragraph"))
    total = sum(len(t.text) for t in sample_corpus)
    assert (result.n_units, result.n_units + result.n_left_out) == (codable, total)
    for d in result.disagreements:
        spans = respondent_spans(sample_corpus.get(d.file), "paragraph")
        assert any(a <= d.start and d.end <= b for a, b in spans)


# -- the command line -----------------------------------------------------------------------


def _run(*args: object):
    return CliRunner().invoke(main, ["agreement", *map(str, args)])


def test_units_all_reproduces_the_published_kappa(tmp_path: Path, thousand: Corpus) -> None:
    anna, bram = reference_rows()
    path = tmp_path / "team.csv"
    codings_frame(anna + bram).to_csv(path, index=False)
    folder = tmp_path / "verslagen"
    result = _run(
        path, "--transcripts", folder, "--units", "all", "--unit", "character", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["units"] == "all"
    assert round(payload["per_code"]["PLANNING"]["kappa"], 3) == 0.318


def test_bootstrap_intervals_in_json_are_seeded(tmp_path: Path, thousand: Corpus) -> None:
    anna, bram = reference_rows()
    path = tmp_path / "team.csv"
    codings_frame(anna + bram).to_csv(path, index=False)
    folder = tmp_path / "verslagen"
    runs = [
        json.loads(
            _run(
                path,
                "--transcripts",
                folder,
                "--unit",
                "character",
                "--bootstrap",
                300,
                "--seed",
                seed,
                "--format",
                "json",
            ).output
        )
        for seed in (1, 1, 2)
    ]
    ci = runs[0]["per_code"]["PLANNING"]["alpha_ci"]
    assert runs[0]["bootstrap"] == {"samples": 300, "seed": 1, "level": 0.95}
    assert ci == runs[1]["per_code"]["PLANNING"]["alpha_ci"]
    assert ci != runs[2]["per_code"]["PLANNING"]["alpha_ci"]
    assert ci[0] < runs[0]["per_code"]["PLANNING"]["alpha"] < ci[1]


def test_html_says_which_units_and_lists_codes_below_the_thresholds(
    tmp_path: Path, thousand: Corpus
) -> None:
    anna, bram = reference_rows()
    path = tmp_path / "team.csv"
    codings_frame(anna + bram).to_csv(path, index=False)
    result = _run(
        path, "--transcripts", tmp_path / "verslagen", "--unit", "character", "--format", "html"
    )
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith("<!DOCTYPE html>")
    assert "units: respondent speech only" in page
    assert '<tr class="unreliable"><td>PLANNING</td><td>1000</td><td>85.0%</td>' in page
    assert "<h3>PLANNING: alpha 0.315 (unreliable), 2 disagreements</h3>" in page
    assert page.count("<blockquote>") == 2


def test_html_escapes_transcript_text(thousand: Corpus) -> None:
    rows = [("verslag.txt", 0, 10, "A<b>", "anna"), ("verslag.txt", 0, 5, "A<b>", "bram")]
    page = format_html(agreement(codings_frame(rows), thousand, unit="character"))
    assert "A&lt;b&gt;" in page and "A<b>" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--units", "some"],
            "Invalid value for '--units': 'some' is not one of 'codable', 'all'.",
        ),
        (["--bootstrap", "-1"], "Invalid value for '--bootstrap': -1 is not in the range x>=0."),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, thousand: Corpus, args: list[str], message: str
) -> None:
    anna, bram = reference_rows()
    path = tmp_path / "team.csv"
    codings_frame(anna + bram).to_csv(path, index=False)
    result = _run(path, "--transcripts", tmp_path / "verslagen", *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"units": "some"}, "unknown units 'some'; choose one of: codable, all"),
        ({"bootstrap": -1}, "the number of bootstrap samples must be 0 or more, got -1"),
    ],
)
def test_bad_arguments_in_the_api(thousand: Corpus, options: dict, message: str) -> None:
    anna, bram = reference_rows()
    with pytest.raises(CodingError) as caught:
        agreement(codings_frame(anna + bram), thousand, **options)
    assert str(caught.value) == message
