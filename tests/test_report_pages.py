"""Variable pages: each passage once with all its codes, counts that agree, plurals, languages."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from qualcode.analysis import Analysis
from qualcode.errors import ArgumentError
from qualcode.report import build_report
from qualcode.report.i18n import strings

pytest_plugins = ["analysis_fixtures"]

_QUOTE = re.compile(r'<blockquote class="quote".*?</blockquote>', re.S)
_WHERE = re.compile(r"(\S+), (?:tekens|characters) (\d+)–(\d+)")


def _quotes(html: str) -> list[str]:
    return _QUOTE.findall(html)


@pytest.fixture(scope="module")
def pages(analysis_fixture_codings, corpus, codebook, tmp_path_factory) -> dict[str, Path]:
    """The mini report set in Dutch (the codebook's language) and in English (``--lang en``)."""
    out = {}
    for language in ("nl", "en"):
        folder = tmp_path_factory.mktemp(f"pages_{language}")
        build_report(
            Analysis(analysis_fixture_codings, corpus, codebook),
            folder,
            formats="html,md",
            workers=1,
            language=None if language == "nl" else language,
        )
        out[language] = folder
    return out


@pytest.fixture(scope="module")
def analysis_fixture_codings(codings, corpus):
    from analysis_fixtures import A_TEXT, coding

    # the first passage also carries its variable itself: still one quote, three tags
    return [*codings, coding("a.txt", A_TEXT, "Het geld was op.", "GELD", 1.0)]


def test_each_passage_once_with_all_its_codes(pages: dict[str, Path]) -> None:
    html = (pages["nl"] / "GELD.html").read_text(encoding="utf-8")
    quotes = _quotes(html)
    places = [_WHERE.search(unescape(re.sub("<[^>]+>", "", q))).groups() for q in quotes]
    assert len(places) == len(set(places))  # no passage twice on the page
    first = next(q for q in quotes if "Het geld was op." in q)
    tags = re.findall(r'<span class="tag (\w+)">([^<]+)</span>', first)
    assert tags == [("code", "Geld"), ("code", "Tekort"), ("valence", "Belemmerend")]
    assert html.count("Het geld was op.") == 1


def test_group_counts_agree_with_the_codes_table(pages: dict[str, Path]) -> None:
    html = (pages["nl"] / "GELD.html").read_text(encoding="utf-8")
    headers = re.findall(r"<th>([^<]+)</th>", html)
    row = re.search(r'<td class="code">Geld</td>(.*?)</tr>', html).group(1)
    cells = [unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", row)]
    table = dict(zip(headers[1:], cells, strict=False))
    groups = dict(
        re.findall(r'<h3 class="group">([^<]+?) <span class="muted">\((.*?)\)</span>', html)
    )
    for label, count in groups.items():
        header = "Gemengd" if label.startswith("Gemengd") else label
        segments = re.search(r"uit (\d+) gecodeerde? segment", count).group(1)
        assert segments == table[header], (label, count, table)
    total = sum(int(re.search(r"uit (\d+)", c).group(1)) for c in groups.values())
    assert total == int(table["Gecodeerde segmenten"])


def test_plurals_and_languages(pages: dict[str, Path]) -> None:
    nl = (pages["nl"] / "PLANNING.html").read_text(encoding="utf-8")
    en = (pages["en"] / "PLANNING.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in nl and '<html lang="en">' in en
    assert "(1 citaat uit 1 gecodeerd segment)" in nl
    assert "(1 quote from 1 coded segment)" in en
    assert ">Overzicht</a>" in nl and ">Overview</a>" in en
    assert "<h2>Citaten</h2>" in nl and "<h2>Quotes</h2>" in en
    for text in (nl, en):
        assert "1 quotes" not in text and "1 coded segments" not in text
    md = (pages["en"] / "PLANNING.md").read_text(encoding="utf-8")
    assert "## Quotes" in md and "(1 quote from 1 coded segment)" in md


@pytest.mark.parametrize(
    ("key", "values", "nl", "en"),
    [
        ("quotes_count", {"n": 1}, "1 citaat", "1 quote"),
        ("quotes_count", {"n": 0}, "0 citaten", "0 quotes"),
        (
            "summary_respondents",
            {"count": 1, "n": 22},
            "1 van 22 respondenten",
            "1 of 22 respondents",
        ),
        ("summary_respondents", {"count": 1, "n": 1}, "1 van 1 respondent", "1 of 1 respondent"),
        ("summary_segments", {"n": 1}, "1 gecodeerd segment", "1 coded segment"),
    ],
)
def test_strings(key: str, values: dict[str, int], nl: str, en: str) -> None:
    assert strings("nl")(key, **values) == nl
    assert strings("en-GB")(key, **values) == en


def test_unknown_language() -> None:
    assert strings("de").language == "en"  # a codebook in another language: English pages
    with pytest.raises(
        ArgumentError, match=r"^no report strings for language 'de'; choose one of: en, nl$"
    ):
        strings("de", strict=True)


def test_valence_colours_are_reused_by_no_variable() -> None:
    from conftest import CODEBOOK

    from qualcode import plots
    from qualcode.codebook import load_codebook

    book = load_codebook(CODEBOOK)
    colours = plots.code_colours(book)
    valence = {colours[v.id].lower() for v in book.valence_codes()}
    valence |= {plots.MIXED_COLOUR.lower(), plots.NONE_COLOUR.lower()}
    assert valence == {"#0072b2", "#d55e00", "#cc79a7", "#bbbbbb"}  # Okabe-Ito
    variables = [colours[v.id].lower() for v in book.variables()]
    assert len(set(variables)) == 8 and not set(variables) & valence
    assert not {c.lower() for c in plots.FALLBACK} & valence
