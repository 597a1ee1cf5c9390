"""The report set as a reader sees it: every page opened in headless Chromium at 1400 and 420 px.

Needs Debian's ``chromium`` (``apt-get install chromium chromium-driver``) and Playwright's
Python package (``pip install playwright``, in the ``dev`` extra); the browser itself is
never downloaded. Without them these tests are skipped, saying how to install them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytest_plugins = ["analysis_fixtures"]

_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_INSTALL = (
    "headless Chromium not available: install it with "
    "'apt-get install -y chromium chromium-driver' and 'pip install playwright' "
    "(or 'pip install -e .[dev]'); the browser is not downloaded"
)


def _chromium() -> str | None:
    for name in (os.environ.get("QUALCODE_CHROMIUM", ""), "chromium", "chromium-browser"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(_INSTALL)
    if executable is None:
        pytest.skip(_INSTALL)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def report(gold_report) -> Path:
    out, result = gold_report
    assert result.exit_code == 0, result.stderr
    return out


def _pages(report: Path) -> list[Path]:
    pages = sorted(report.glob("*.html"))
    assert len(pages) >= 9  # the overview and eight variables
    return pages


@pytest.mark.parametrize("width", [1400, 420])
def test_pages_fit_images_load_links_resolve(browser, report: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    transcripts = sorted((report / "transcripts").glob("*.html"))
    assert len(transcripts) == 22
    for path in [*_pages(report), transcripts[0], transcripts[-1]]:
        page.goto(path.as_uri())
        where = f"{path.name} at {width} px"
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{where}: the page scrolls sideways ({scroll} > {client})"
        if width == 1400:
            hidden = page.evaluate(
                "[...document.querySelectorAll('.scroll')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1)"
                ".map(e => e.querySelector('caption').textContent)"
            )
            assert hidden == [], f"{where}: tables hide columns: {hidden}"
        images = page.evaluate(
            "[...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth,"
            " i.getBoundingClientRect().width])"
        )
        for src, complete, natural, shown in images:
            assert complete and natural > 0, f"{where}: image {src} did not load"
            if width == 420:  # not shrunk past reading: shown at its own size, scrolled
                assert shown >= natural - 1, f"{where}: {src} shrunk to {shown} of {natural} px"
        links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        for link in links:
            parts = urlsplit(link)
            if parts.scheme != "file":
                continue
            assert Path(unquote(parts.path)).is_file(), f"{where}: broken link {link}"
    page.close()


def test_every_quote_links_to_its_highlighted_passage(browser, report: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((report / "PLANNING.html").as_uri())
    quotes = page.evaluate(
        "[...document.querySelectorAll('blockquote.quote')].map(q => "
        "[q.querySelector('p').textContent, q.querySelector('footer a')?.href])"
    )
    assert quotes and all(href for _, href in quotes)
    for text, href in quotes[:3] + quotes[-2:]:
        page.goto(href)
        page.wait_for_function("document.querySelectorAll('.hl').length > 0")
        marked = page.evaluate(
            "[...document.querySelectorAll('.hl')].map(e => e.textContent).join('')"
        )
        assert marked == text
        top = page.evaluate("document.querySelector('.hl').getBoundingClientRect().top")
        assert 0 <= top < 900  # scrolled into view
    page.close()


def test_transcript_view_marks_speakers_metadata_and_codings(browser, report: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((report / "transcripts" / "coa.txt.html").as_uri())
    assert page.locator(".para.metadata").count() == 2  # the title and the Datum line
    assert "Annelies" in page.locator("dl.metadata").inner_text()
    assert page.locator(".para.interviewer").count() > 5
    assert page.locator("b.speaker").first.inner_text() == "I:"
    stripes = page.locator(".para.speech .stripe")
    assert stripes.count() > 10
    assert page.locator(".para.metadata .stripe").count() == 0
    assert page.locator(".para.interviewer .stripe").count() == 0
    page.close()
