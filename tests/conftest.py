"""Shared fixtures: the sample corpus (loaded once) and helpers that write small test files."""

from __future__ import annotations

from pathlib import Path

import pytest

import qualcode

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebook" / "msm.yaml"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The sample corpus folder."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_corpus() -> qualcode.Corpus:
    """The sample corpus, loaded once per test session."""
    return qualcode.load_corpus(SAMPLE)


@pytest.fixture
def write_docx():
    """Write a .docx with the given paragraphs (and an optional leading table)."""

    def write(path: Path, paragraphs: list[str], *, table: list[list[str]] | None = None) -> Path:
        import docx

        document = docx.Document()
        if table:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
        for p in paragraphs:
            document.add_paragraph(p)
        document.save(str(path))
        return path

    return write
