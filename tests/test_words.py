"""Word frequencies and keyness: respondent speech only, lemmas, stop words, G2 by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner
from scipy.stats import power_divergence

from qualcode.analysis.words import KEYNESS_COLUMNS, WORD_COLUMNS, keyness, speech_words, words
from qualcode.cli import main
from qualcode.corpus import Corpus, transcript_from_text
from qualcode.errors import CorpusError

pytest_plugins = ["analysis_fixtures"]


def _doc(file: str, text: str, group: str) -> object:
    t = transcript_from_text(text, file=file)
    return t.with_metadata(
        respondent=file.split(".")[0], organisation=file, attributes={"group": group}
    )


# group ja: 1000 words, "geld" 10 times; group nee: 1000 words, "geld" twice
JA = " ".join(["geld"] * 10 + ["boom"] * 990)
NEE = " ".join(["geld"] * 2 + ["vis"] * 998)


@pytest.fixture(scope="module")
def toy() -> Corpus:
    return Corpus(Path("toy"), (_doc("ja.txt", JA, "ja"), _doc("nee.txt", NEE, "nee")))


def test_keyness_figures_match_a_hand_computation(toy) -> None:
    table = words(toy, by="group", min_count=1)
    assert list(table.columns) == ["group", *KEYNESS_COLUMNS]
    row = table[(table["group"] == "ja") & (table["lemma"] == "geld")].iloc[0]
    assert (row["count"], row["words"], row["rest_count"], row["rest_words"]) == (10, 1000, 2, 1000)
    # by hand: E1 = E2 = 6; G2 = 2 (10 ln(10/6) + 2 ln(2/6))
    assert row["g2"] == pytest.approx(2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6)), abs=1e-3)
    assert row["g2"] == pytest.approx(5.822, abs=1e-3)
    # the same statistic and p-value from scipy's G-test of the two observed counts
    stat, p = power_divergence([10, 2], f_exp=[6, 6], lambda_="log-likelihood")
    assert row["g2"] == pytest.approx(stat, abs=1e-3)
    assert row["p"] == pytest.approx(p, rel=1e-6)
    assert row["log_ratio"] == pytest.approx(math.log2(5), abs=1e-3)
    assert row["per_10000"] == 100.0
    # the other side: under-used in nee, a negative log ratio, sorted after the over-used
    nee = table[table["group"] == "nee"].reset_index(drop=True)
    assert list(nee["lemma"]) == ["vis", "geld"]
    assert nee.loc[1, "log_ratio"] == pytest.approx(-math.log2(5), abs=1e-3)


@pytest.mark.parametrize(
    ("a", "b", "c", "d"),
    [(30, 5, 2000, 5000), (1, 40, 300, 9000), (7, 0, 800, 1200), (12, 12, 1000, 1000)],
)
def test_keyness_agrees_with_scipy(a: int, b: int, c: int, d: int) -> None:
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    stat, p = power_divergence([a, b], f_exp=[e1, e2], lambda_="log-likelihood")
    g2, p_ours, ratio = keyness([a], [b], [c], [d])
    assert g2[0] == pytest.approx(stat, abs=1e-9)
    assert p_ours[0] == pytest.approx(p, rel=1e-9, abs=1e-15)
    assert ratio[0] == pytest.approx(math.log2((max(a, 0.5) / c) / (max(b, 0.5) / d)))


def test_only_respondent_speech_counts_without_labels_and_with_lemmas() -> None:
    text = (
        "Interviewer: Hoeveel signalen gaf u?\n\n"
        "Respondent: Wij kwamen veel signalen over taal-signalen.\n\n"
        "Interviewer: En toen?"
    )
    t = transcript_from_text(text, file="a.txt")
    found = [(text[w.start : w.end], w.lemma, w.stop) for w in speech_words(t)]
    assert found == [
        ("Wij", "wij", True),
        ("kwamen", "komen", False),
        ("veel", "veel", True),
        ("signalen", "signaal", False),
        ("over", "over", True),
        ("taal-signalen", "taal-signaal", False),
    ]


def test_stop_words_count_in_the_size_but_are_not_listed(toy) -> None:
    corpus = Corpus(Path("x"), (_doc("a.txt", "De boom en de vis en de boom.", "ja"),))
    table = words(corpus, min_count=1)
    assert list(table.columns) == list(WORD_COLUMNS)
    assert table.to_dict(orient="records") == [
        {"lemma": "boom", "count": 2, "per_10000": 2500.0, "respondents": 1},
        {"lemma": "vis", "count": 1, "per_10000": 1250.0, "respondents": 1},
    ]


def test_bad_groupings_say_what_to_choose(toy) -> None:
    with pytest.raises(CorpusError, match="cannot group by 'colour'.*choose one of: file, "):
        words(toy, by="colour")
    one = Corpus(Path("x"), (_doc("a.txt", JA, "ja"),))
    with pytest.raises(CorpusError, match=r"grouping by 'group' gives one group \(ja\)"):
        words(one, by="group")


def test_sample_corpus_keywords_by_steering_group(sample_corpus) -> None:
    table = words(sample_corpus, by="steering_group", top=10)
    assert set(table["steering_group"]) == {"ja", "nee"}
    for _, rows in table.groupby("steering_group"):
        assert len(rows) == 10
        assert (rows["log_ratio"] > 0).all()
        assert (rows["g2"] > 3.84).all()  # p < 0.05 for the ten strongest of each group
        assert list(rows["g2"]) == sorted(rows["g2"], reverse=True)
    listed = set(table["lemma"])
    assert not listed & {"de", "het", "en", "interviewer"}


def test_analysis_words_uses_the_codebook_language(analysis) -> None:
    table = analysis.words(by="steering_group", min_count=1)
    geld = table[(table["lemma"] == "geld") & (table["steering_group"] == "nee")]
    # b.txt (nee): "Geld bleef een taboe." and not the heading-free interviewer line
    assert geld["count"].tolist() == [1]


def test_cli_words_table_csv_json_and_plot(sample_dir, tmp_path) -> None:
    runner = CliRunner()
    base = ["words", "--transcripts", str(sample_dir)]
    result = runner.invoke(main, [*base, "--by", "steering_group", "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "steering_group = ja (" in result.output
    assert "steering_group = nee (" in result.output
    assert "log_ratio" in result.output
    result = runner.invoke(main, [*base, "--format", "json", "--top", "3"])
    rows = json.loads(result.output)
    assert [sorted(r) for r in rows] == [sorted(WORD_COLUMNS)] * 3
    result = runner.invoke(main, [*base, "--by", "organisation", "--format", "csv", "--top", "2"])
    assert result.output.splitlines()[0] == "organisation," + ",".join(KEYNESS_COLUMNS)
    assert len(result.output.splitlines()) == 1 + 2 * 21
    plot = tmp_path / "keywords"
    result = runner.invoke(main, [*base, "--by", "steering_group", "--plot", str(plot)])
    assert result.exit_code == 0
    assert (tmp_path / "keywords.png").stat().st_size > 10_000
    assert "ja" in (tmp_path / "keywords.svg").read_text(encoding="utf-8")


def test_cli_words_errors(sample_dir) -> None:
    runner = CliRunner()
    base = ["words", "--transcripts", str(sample_dir)]
    result = runner.invoke(main, [*base, "--by", "colour"])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot group by 'colour': no such column")
    result = runner.invoke(main, [*base, "--plot", "x"])
    assert result.exit_code == 2
    assert "--plot draws keywords per group; add --by" in result.output


def test_keyword_plot_has_one_panel_per_group(sample_corpus) -> None:
    from qualcode import plots

    table = words(sample_corpus, by="steering_group")
    fig = plots.keyword_bars(table, by="steering_group", top=5)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["steering_group = ja", "steering_group = nee"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    top = table[(table["steering_group"] == "ja")].head(5)["lemma"].tolist()
    assert labels == top
    assert matplotlib.get_backend()  # nothing switched the global backend off
