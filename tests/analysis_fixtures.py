"""Fixtures of the analysis, plots and report tests (a pytest plugin: ``pytest_plugins``).

A mini corpus, codebook and codings, small enough to check every number by eye;
and the sample corpus's report set from the gold codings, written once per
session through ``qualcode report`` and then inspected by several tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.analysis import Analysis
from qualcode.codebook import parse_codebook
from qualcode.coding import Coding
from qualcode.corpus import Corpus, transcript_from_text

CODEBOOK_YAML = """\
name: mini
language: nl
dimensions:
  - {id: MSM, name: MSM}
  - {id: VALENCE, name: Valentie}
codes:
  - {id: GELD, name: Geld, description: Over geld., color: "#1f77b4"}
  - {id: GELD_TEKORT, name: Tekort, description: Te weinig geld., parent: GELD}
  - {id: GELD_TAFEL, name: Tafel, description: Geld op tafel., parent: GELD}
  - {id: PLANNING, name: Planning, description: Over tijd., color: "#ff7f0e"}
  - {id: PLANNING_DRUK, name: Tijdsdruk, description: Haast., parent: PLANNING}
  - {id: BEVORDEREND, name: Bevorderend, description: Hielp., dimension: VALENCE}
  - {id: BELEMMEREND, name: Belemmerend, description: Hinderde., dimension: VALENCE}
"""

# a.txt: interview with turns. Respondent paragraphs at known offsets (see fixtures).
A_TEXT = (
    "Interviewer: Hoe ging het met het geld?\n\n"
    "Respondent: Het geld was op.\n\n"
    "Er was haast.\n\n"
    "Interviewer: En de planning?\n\n"
    "Respondent: Te krap."
)
B_TEXT = "Verslag van het gesprek.\n\nGeld bleef een taboe.\n\nDe planning was goed."
C_TEXT = "Alles liep op tijd.\n\nHet geld kwam er."


def _transcript(file: str, text: str, respondent: str, organisation: str, sg: str):
    t = transcript_from_text(text, file=file)
    return t.with_metadata(
        respondent=respondent,
        organisation=organisation,
        attributes={"steering_group": sg, "name": ""},
    )


@pytest.fixture(scope="module")
def codebook():
    return parse_codebook(CODEBOOK_YAML, path="mini.yaml")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(
        Path("mini"),
        (
            _transcript("a.txt", A_TEXT, "R1", "Org A", "ja"),
            _transcript("b.txt", B_TEXT, "R2", "Org B", "nee"),
            _transcript("c.txt", C_TEXT, "R3", "Org A", "ja"),
        ),
    )


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def coding(file: str, text: str, part: str, code: str, score: float = 1.0) -> Coding:
    start, end = span(text, part)
    return Coding(file, start, end, code, coder="test", score=score)


@pytest.fixture(scope="module")
def codings() -> list[Coding]:
    return [
        coding("a.txt", A_TEXT, "Het geld was op.", "GELD_TEKORT", 2.0),
        coding("a.txt", A_TEXT, "geld was op", "GELD_TEKORT", 3.0),  # inside the first: merged
        coding("a.txt", A_TEXT, "Het geld was op.", "BELEMMEREND"),
        coding("a.txt", A_TEXT, "Er was haast.", "PLANNING_DRUK", 1.5),
        coding("a.txt", A_TEXT, "Er was haast.", "GELD_TEKORT", 1.0),
        coding("b.txt", B_TEXT, "Geld bleef een taboe.", "GELD_TAFEL", 0.5),
        coding("b.txt", B_TEXT, "De planning was goed.", "PLANNING", 1.0),
        coding("b.txt", B_TEXT, "De planning was goed.", "BEVORDEREND"),
        coding("c.txt", C_TEXT, "Het geld kwam er.", "GELD", 1.2),
        coding("c.txt", C_TEXT, "Het geld kwam er.", "BEVORDEREND"),
        coding("c.txt", C_TEXT, "Het geld kwam er.", "BELEMMEREND"),
    ]


@pytest.fixture(scope="module")
def analysis(codings, corpus, codebook) -> Analysis:
    return Analysis(codings, corpus, codebook)


ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
GOLD = SAMPLE / "codings_gold.csv"
MSM = ROOT / "codebook" / "msm.yaml"


@pytest.fixture(scope="session")
def gold_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """``qualcode report`` of the sample corpus with the gold codings: (folder, CLI result)."""
    from qualcode.cli import main

    out = tmp_path_factory.mktemp("gold") / "reports"
    args = [
        "report",
        "--transcripts",
        str(SAMPLE),
        "--codebook",
        str(MSM),
        "--codings",
        str(GOLD),
        "--out",
        str(out),
        "--quiet",
    ]
    return out, CliRunner().invoke(main, args)
