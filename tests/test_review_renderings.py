"""One report in every form a reviewer receives it: the same quotes, verdicts and matches.

The report (``data/review/writer/draft_report.md``) and its answer key were
written by a writer who never saw the checker's code, quoting the sample
corpus with planted errors. ``render_report.py`` made the other forms: a
.docx (footnotes, a table, text boxes), a PDF (reportlab: running header,
page footer, justified and hyphenated text, footnotes at the page foot,
chapters 6-8 in two columns) and that PDF's text from pypdf and from
poppler's ``pdftotext`` (default, ``-layout``, ``-raw``), plus the default
text double-spaced (an empty line after every line).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_eval import load_key, score

from qualcode.cli import main
from qualcode.corpus import Corpus
from qualcode.review import QuoteCheck, SpeechIndex, check_quotes

WRITER = Path(__file__).parent / "data" / "review" / "writer"
KEY = load_key(WRITER / "key.csv")
RENDERINGS = [
    "draft_report.md",
    "draft_report.docx",
    "draft_report.pdf",
    "draft_report.pypdf.txt",
    "draft_report.pdftotext.txt",
    "draft_report.layout.txt",
    "draft_report.raw.txt",
    "draft_report.double.txt",
]
#: Quotes that pdftotext's default reading order cuts apart (it reads the top of the
#: right column of page 6 and 7 before the end of the left one); every other form finds all.
CUT_BY_PDFTOTEXT = {"draft_report.pdftotext.txt": 2, "draft_report.double.txt": 2}


@pytest.fixture(scope="module")
def checks(sample_corpus: Corpus) -> dict[str, QuoteCheck]:
    index = SpeechIndex(sample_corpus.transcripts)
    return {name: check_quotes(WRITER / name, sample_corpus, index=index) for name in RENDERINGS}


def _verdicts(check: QuoteCheck) -> dict[str, tuple[object, ...]]:
    out = {}
    for r in check.results:
        first = r.matches[0] if r.matches else None
        key = " ".join(r.text.split())[:60]
        out[key] = (
            r.status,
            r.attributed_to,
            r.attribution.kind == "document",
            r.source,
            (first.file, first.start, first.end) if first else None,
        )
    return out


@pytest.mark.parametrize("name", RENDERINGS[1:])
def test_every_rendering_gives_the_markdown_verdicts(
    checks: dict[str, QuoteCheck], name: str
) -> None:
    reference = _verdicts(checks["draft_report.md"])
    got = _verdicts(checks[name])
    assert len(got) == len(reference) - CUT_BY_PDFTOTEXT.get(name, 0)
    assert {k: reference[k] for k in got} == got


@pytest.mark.parametrize("name", RENDERINGS)
def test_every_rendering_meets_the_key(checks: dict[str, QuoteCheck], name: str) -> None:
    s = score(checks[name], KEY)
    assert s.recall >= 0.97
    assert s.attribution >= 0.95, s.misses
    assert s.verdicts >= 0.95, s.misses
    assert s.false_alarms <= 2, s.misses
    assert checks[name].exit_code == 1


def test_a_pdf_gives_page_and_line_in_page_in_json() -> None:
    result = CliRunner().invoke(
        main,
        [
            "check-quotes",
            str(WRITER / "draft_report.pdf"),
            "--transcripts",
            str(Path(__file__).parents[1] / "transcripts_sample"),
            "--format",
            "json",
            "--quiet",
        ],
    )
    assert result.exit_code == 1
    quotes = json.loads(result.stdout)["quotes"]
    first = quotes[0]
    assert first["text"].startswith("Iedere inburgeraar krijgt")
    assert (first["page"], first["line_in_page"], first["line"]) == (1, 10, 10)
    last = quotes[-1]
    assert last["text"].startswith("De wet is er nu.")
    assert last["page"] == 11
    assert last["line"] > last["line_in_page"]
