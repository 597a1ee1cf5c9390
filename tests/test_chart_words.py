"""The words drawn inside the report's charts follow the report's language."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from qualcode import plots
from qualcode.codebook import load_codebook
from qualcode.report.i18n import LANGUAGES, strings

matplotlib.use("Agg")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_word_exists_in_every_language(language: str) -> None:
    s = strings(language)
    assert {key: s(f"chart_{key}") for key in plots.CHART_WORDS}  # no KeyError


def test_a_dutch_code_profile_draws_dutch_words(sample_dir) -> None:
    codebook = load_codebook(sample_dir.parent / "codebook" / "msm.yaml")
    s = strings("nl")
    words = {key: s(f"chart_{key}") for key in plots.CHART_WORDS}
    organisations = pd.Series({"PLANNING": 20, "REPRESENTATIE": 1})
    split = pd.DataFrame(
        {"BEVORDEREND": [3, 0], "BELEMMEREND": [5, 1], "mixed": [1, 0], "none": [0, 0]},
        index=["PLANNING", "REPRESENTATIE"],
    )
    fig = plots.code_profile(organisations, split, codebook=codebook, total=21, words=words)
    left, right = fig.axes[:2]
    assert left.get_xlabel() == "organisaties"
    assert right.get_xlabel() == "gecodeerde segmenten naar valentie"
    assert [t.get_text() for t in left.texts] == ["20 van 21", "1 van 21"]
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert "Gemengd" in legend and "Geen valentie" in legend
    english = plots.code_profile(organisations, split, codebook=codebook, total=21)
    assert english.axes[0].get_xlabel() == "organisations"
    assert [t.get_text() for t in english.axes[0].texts] == ["20 of 21", "1 of 21"]
