"""The chart palette: no two colours drawn together look alike, also to colour-blind readers.

Colours drawn together: in the overview chart (and the quote groups and transcript
stripes) the eight variables beside the four valence categories (helping,
hindering, mixed, none); in a variable's chart that variable and the shades of its
sub-codes beside the same four; in a group comparison the group colours. Sub-code
shades of one variable are meant to be alike (each bar is named on its axis), so
they are only compared with the valence colours, whose legend a reader matches.
"""

from __future__ import annotations

from functools import partial
from itertools import combinations

import pytest
from colour_distance import VISIONS, ciede2000, delta_e, hue_chroma_distance
from conftest import CODEBOOK

from qualcode import plots
from qualcode.codebook import Codebook, load_codebook

# Thresholds (CIEDE2000): apart at a glance; not one colour lighter or darker than the other;
# still apart under simulated protanopia, deuteranopia and tritanopia.
APART, NOT_A_SHADE, APART_COLOUR_BLIND = 20.0, 10.0, 9.0
# A sub-code shade against a valence colour, in normal vision.
SHADE_APART = 15.0


@pytest.fixture(scope="module")
def book() -> Codebook:
    return load_codebook(CODEBOOK)


def _valence(book: Codebook) -> dict[str, str]:
    colours = plots.code_colours(book)
    out = {v.name: colours[v.id] for v in book.valence_codes()}
    return out | {"mixed": plots.MIXED_COLOUR, "no valence": plots.NONE_COLOUR}


def _too_close(
    pairs: list[tuple[tuple[str, str], tuple[str, str]]], measure, minimum: float
) -> list[str]:
    return [
        f"{a} {ca} ~ {b} {cb}: {measure(ca, cb):.1f}"
        for (a, ca), (b, cb) in pairs
        if measure(ca, cb) < minimum
    ]


def _confusable(pairs: list[tuple[tuple[str, str], tuple[str, str]]]) -> list[str]:
    """Pairs not told apart at a glance, one a shade of the other, or alike to a dichromat."""
    found = _too_close(pairs, delta_e, APART)
    found += _too_close(pairs, hue_chroma_distance, NOT_A_SHADE)
    for vision in VISIONS:
        seen = _too_close(pairs, partial(delta_e, vision=vision), APART_COLOUR_BLIND)
        found += [f"{vision}: {pair}" for pair in seen]
    return found


def test_the_measure_is_ciede2000() -> None:
    # Reference pairs of Sharma, Wu and Dalal (2005), with their published differences.
    for one, two, expected in (
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ):
        assert ciede2000(one, two) == pytest.approx(expected, abs=1e-4)


def test_the_measures_catch_the_confusions_users_reported() -> None:
    # The old Planning (wine) and mixed (reddish purple); Samenwerking (grey) and no valence.
    assert hue_chroma_distance("#882255", "#CC79A7") < NOT_A_SHADE
    assert hue_chroma_distance("#555555", "#BBBBBB") < NOT_A_SHADE
    # The old Planning and Samenwerking to a reader with deuteranopia.
    assert delta_e("#882255", "#555555", vision="deuteranopia") < APART_COLOUR_BLIND


def test_variables_and_valence_categories_are_told_apart(book: Codebook) -> None:
    colours = plots.code_colours(book)
    shown = {v.name: colours[v.id] for v in book.variables()} | _valence(book)
    assert len(shown) == 12
    pairs = list(combinations(shown.items(), 2))
    assert _confusable(pairs) == []


def test_sub_code_shades_are_not_taken_for_a_valence_colour(book: Codebook) -> None:
    colours = plots.code_colours(book)
    valence = _valence(book)
    pairs = [
        ((code.name, colours[code.id]), category)
        for variable in book.variables()
        for code in book.descendants(variable.id)
        for category in valence.items()
    ]
    assert len(pairs) > 4 * len(book.variables())
    assert _too_close(pairs, delta_e, SHADE_APART) == []
    assert _too_close(pairs, hue_chroma_distance, NOT_A_SHADE) == []


def test_group_colours_are_told_apart() -> None:
    pairs = list(combinations((("group", c) for c in plots.GROUP_COLOURS), 2))
    assert _confusable(pairs) == []


def test_the_sample_codebook_uses_the_palette(book: Codebook) -> None:
    """One palette: a codebook without colours is drawn exactly as the sample codebook."""
    assert [v.color.upper() for v in book.variables()] == list(plots.FALLBACK)
    valence = [c.color.upper() for c in book.valence_codes() if c.parent is None]
    assert valence == list(plots._VALENCE_DEFAULTS)
