"""Counting models: mapping producers' positions onto qualcode's normalised text."""

from __future__ import annotations

import pytest

from qualcode.interop.positions import (
    CODE_POINTS,
    CODE_POINTS_CRLF1,
    UTF16,
    UTF16_CRLF1,
    TextMap,
    choose_counting,
    counting_for_origin,
    on_boundary,
    to_producer,
)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("NVivo for Windows 12.6", UTF16),
        ("NVivo for Mac 15.0.0", UTF16),
        ("ATLAS.ti for Windows 23.2.3.27778", CODE_POINTS_CRLF1),
        ("MAXQDA 24 (Release 24.7.0)", CODE_POINTS_CRLF1),
        ("qc 1.3.2", CODE_POINTS),
        ("", CODE_POINTS),
    ],
)
def test_counting_by_origin(origin: str, expected: object) -> None:
    assert counting_for_origin(origin) == expected


RAW = "\ufeffEen 😀 twee\r\ndrie vier"  # BOM, emoji, CRLF
TEXT = "Een 😀 twee\ndrie vier"


@pytest.mark.parametrize(
    ("counting", "start", "end"),
    [
        # the word "drie": code point 11 in TEXT
        (CODE_POINTS, 12, 16),  # CRLF counts 2
        (CODE_POINTS_CRLF1, 11, 15),
        (UTF16, 13, 17),  # the emoji counts 2, CRLF 2
        (UTF16_CRLF1, 12, 16),
    ],
)
def test_each_model_maps_to_the_same_word(counting: object, start: int, end: int) -> None:
    text_map = TextMap(RAW, counting)  # type: ignore[arg-type]
    assert text_map.text == TEXT
    a, b = text_map.to_text(start), text_map.to_text(end, end=True)
    assert (a, b) == (11, 15)
    assert TEXT[a:b] == "drie"


def test_positions_outside_the_text_are_none() -> None:
    text_map = TextMap(RAW, UTF16)
    assert text_map.length == len(RAW) - 1 + 1 + 0  # BOM off, emoji +1
    assert text_map.to_text(-1) is None
    assert text_map.to_text(text_map.length + 1) is None
    assert text_map.to_text(text_map.length, end=True) == len(TEXT)


def test_position_inside_a_surrogate_pair_rounds_outward() -> None:
    text_map = TextMap("a😀b", UTF16)
    assert text_map.to_text(2) == 1  # start inside the emoji: its start
    assert text_map.to_text(2, end=True) == 2  # end inside the emoji: its end


def test_nfc_composition_is_mapped() -> None:
    raw = "cafe\u0301 en the\u0301"  # decomposed é twice
    text_map = TextMap(raw, CODE_POINTS)
    assert text_map.text == "café en thé"
    # "en" is at 6..8 in the raw text, 5..7 in the normalised text
    assert text_map.text[text_map.to_text(6) : text_map.to_text(8, end=True)] == "en"
    assert text_map.to_text(len(raw), end=True) == len("café en thé")


def test_choose_counting_falls_back_when_origin_model_does_not_fit() -> None:
    text = "😀 " * 50 + "woord een twee drie " + "lange staart " * 10
    raw = text
    start = text.index("woord")
    # a producer that counted UTF-16 units, but claims to be qc
    utf16_start = to_producer(text, start, UTF16)
    words = [(utf16_start, utf16_start + 5), (utf16_start + 6, utf16_start + 9)]
    text_map, fit, warning = choose_counting(raw, words, origin="qc 1.3.2")
    assert text_map.counting == UTF16
    assert (fit.inside, fit.on_boundaries) == (2, 2)
    assert warning == (
        "positions read as UTF-16 units, not code points as expected for qc 1.3.2: "
        "2 of 2 selections on word boundaries (UTF-16 units) against "
        "0 of 2 selections on word boundaries (code points)"
    )


def test_choose_counting_keeps_the_origin_model_when_it_fits() -> None:
    raw = "alpha beta\r\ngamma"
    text_map, fit, warning = choose_counting(raw, [(0, 5), (12, 17)], origin="NVivo")
    assert text_map.counting == UTF16 and fit.good and warning == ""
    assert text_map.text[text_map.to_text(12) : text_map.to_text(17, end=True)] == "gamma"


def test_choose_counting_warns_when_nothing_fits() -> None:
    raw = "abcdefghij\r\nklmnopqrstuvwxyz"
    _, fit, warning = choose_counting(raw, [(1, 3), (14, 16)], origin="")
    assert not fit.good
    assert warning.endswith("; positions may be off")


@pytest.mark.parametrize(
    ("offset", "expected"), [(0, True), (3, True), (4, True), (2, False), (11, True)]
)
def test_on_boundary(offset: int, expected: bool) -> None:
    assert on_boundary("Een woord. ", offset) is expected


def test_export_positions_are_code_points() -> None:
    text = "a😀b"
    assert to_producer(text, 2) == 2
    assert to_producer(text, 2, UTF16) == 3
