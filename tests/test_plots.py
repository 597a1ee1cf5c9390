"""Charts: codebook colours, readable labels, PNG and SVG files, no warnings."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.colors import to_hex

from qualcode import plots

pytest_plugins = ["analysis_fixtures"]


def _tick_labels(fig, axis: str = "y") -> list[str]:
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def test_code_colours_use_the_codebook_and_shade_sub_codes(codebook) -> None:
    colours = plots.code_colours(codebook)
    assert colours["GELD"] == "#1f77b4"
    assert colours["PLANNING"] == "#ff7f0e"
    assert colours["GELD_TEKORT"] != colours["GELD_TAFEL"]
    assert len({colours[c.id] for c in codebook.codes}) == len(codebook.codes)


def test_frequency_bars_show_names_counts_and_colours(analysis, codebook) -> None:
    freq = analysis.frequencies(level="variable").set_index("code")
    fig = plots.frequency_bars(
        freq["organisations"], codebook=codebook, total=2, title="Organisations"
    )
    assert _tick_labels(fig) == ["Geld", "Planning"]
    ax = fig.axes[0]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == ["#1f77b4", "#ff7f0e"]
    assert [t.get_text() for t in ax.texts] == ["2 of 2", "2 of 2"]


def test_heatmap_annotates_counts_with_code_names(analysis, codebook) -> None:
    fig = plots.heatmap(analysis.crosstab(), codebook=codebook, title="Variables")
    assert _tick_labels(fig) == ["Geld", "Planning"]
    assert _tick_labels(fig, "x") == ["Org A", "Org B"]
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["1", "1", "1", "3"]


def test_long_labels_are_wrapped(codebook) -> None:
    import pandas as pd

    table = pd.DataFrame(
        {"GELD": [1, 2]},
        index=["Ministerie van Sociale Zaken en Werkgelegenheid, directie Inburgering", "B"],
    )
    fig = plots.stacked_bars(table, codebook=codebook)
    assert "\n" in _tick_labels(fig)[0]


def test_valence_and_group_bars(analysis, codebook) -> None:
    fig = plots.valence_bars(analysis.valence_split(), codebook=codebook)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Bevorderend", "Belemmerend", "Mixed", "No valence"]
    fig = plots.group_bars(analysis.compare("steering_group"), codebook=codebook)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["ja", "nee"]


def test_save_figure_writes_png_and_svg_reproducibly(analysis, codebook, tmp_path) -> None:
    def draw():
        return plots.heatmap(analysis.cooccurrence(), codebook=codebook, title="Samen")

    png, svg = plots.save_figure(draw(), tmp_path / "figures" / "cooc")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and ">Samen</text>" in text  # text stays text
    first = (png.read_bytes(), svg.read_bytes())
    plots.save_figure(draw(), tmp_path / "figures" / "cooc")
    assert (png.read_bytes(), svg.read_bytes()) == first


def test_plots_leave_the_global_backend_alone(analysis, codebook) -> None:
    before = matplotlib.get_backend()
    plots.frequency_bars(analysis.frequencies(level="variable").set_index("code")["segments"])
    assert matplotlib.get_backend() == before


@pytest.mark.parametrize("rows", [0, 1, 30])
def test_heatmap_of_any_size_draws_without_warnings(codebook, rows, tmp_path) -> None:
    import pandas as pd

    matrix = pd.DataFrame(
        [[i, 0] for i in range(rows)],
        columns=["GELD", "PLANNING"],
        index=[f"Organisatie {i}" for i in range(rows)],
    )
    plots.save_figure(plots.heatmap(matrix, codebook=codebook), tmp_path / "h", formats=("png",))
    assert (tmp_path / "h.png").stat().st_size > 1000


def test_profile_of_the_variables_and_of_one_variable(analysis) -> None:
    fig = plots.profile(analysis)
    left, right = fig.axes[:2]
    assert [t.get_text() for t in left.get_yticklabels()] == ["Geld", "Planning"]
    assert [t.get_text() for t in left.texts] == ["2 of 2", "2 of 2"]
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert legend == ["Bevorderend", "Belemmerend", "Mixed", "No valence"]
    fig = plots.profile(analysis, "GELD")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Geld", "Tekort", "Tafel"]
    assert fig.texts[0].get_text() == "Organisations raising Geld, and valence"
