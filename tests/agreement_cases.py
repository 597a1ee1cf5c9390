"""Shared cases for the agreement tests: published reference data and small made-up corpora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qualcode import load_corpus
from qualcode.agreement import MISSING
from qualcode.corpus import Corpus

KRIPPENDORFF_OBSERVERS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}

# A made-up interview passage, repeated and cut to exactly 1,000 characters.
THOUSAND = (
    "De gemeente kreeg de regie over de inburgering, maar de planning bleef krap. "
    "Wij zaten aan tafel bij elke werkgroep en zagen de invoeringsdatum twee keer schuiven. "
) * 7
THOUSAND = THOUSAND[:1000]

TWELVE_PARAGRAPHS = "\n\n".join(
    f"Alinea {i}: de respondent vertelt over overleg nummer {i} met het ministerie."
    for i in range(1, 13)
)

CODEBOOK_YAML = """\
name: proef
language: nl
dimensions:
  - id: MSM
    name: Analysekader
  - id: VALENCE
    name: Valentie
codes:
  - id: PLANNING
    name: Planning
    description: Tijdpad en haalbaarheid.
  - id: TIJDSDRUK
    name: Tijdsdruk
    description: Te weinig tijd.
    parent: PLANNING
  - id: UITSTEL
    name: Uitstel
    description: De invoering schoof op.
    parent: PLANNING
  - id: DERDE_UITSTEL
    name: Derde uitstel
    description: Het laatste uitstel.
    parent: UITSTEL
  - id: REPRESENTATIE
    name: Representatie
    description: Wie zit aan tafel.
  - id: BEVORDEREND
    name: Bevorderend
    description: Hielp het proces.
    dimension: VALENCE
  - id: BELEMMEREND
    name: Belemmerend
    description: Hinderde het proces.
    dimension: VALENCE
"""


def reliability_matrix(observers: dict[str, list[int | None]]) -> np.ndarray:
    """A (units, coders) reliability matrix, values 1..5 as indices 0..4."""
    rows = [[MISSING if v is None else v - 1 for v in values] for values in observers.values()]
    return np.array(rows, dtype=np.int64).T


def make_corpus(folder: Path, texts: dict[str, str]) -> Corpus:
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_corpus(folder)


def codings_frame(rows: list[tuple[str, int, int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["file", "start", "end", "code", "coder"])


def write_csv(path: Path, rows: list[tuple[str, int, int, str, str]], corpus: Corpus) -> Path:
    frame = codings_frame(rows)
    frame["text"] = [corpus.get(f).text[s:e] for f, s, e, _, _ in rows]
    frame.to_csv(path, index=False)
    return path


def reference_rows() -> tuple[
    list[tuple[str, int, int, str, str]], list[tuple[str, int, int, str, str]]
]:
    """The two-coder character case: both 50, only anna 100, only bram 50, neither 800."""
    anna = [("verslag.txt", 0, 150, "PLANNING", "anna")]
    bram = [
        ("verslag.txt", 0, 50, "PLANNING", "bram"),
        ("verslag.txt", 150, 200, "PLANNING", "bram"),
    ]
    return anna, bram


def thousand_corpus(folder: Path) -> Corpus:
    """A corpus of one 1,000-character transcript, ``verslag.txt``, written to *folder*."""
    corpus = make_corpus(folder, {"verslag.txt": THOUSAND})
    assert len(corpus.get("verslag.txt").text) == 1000
    return corpus


def twelve_corpus(folder: Path) -> Corpus:
    """A corpus of one transcript of twelve paragraphs, ``overleg.txt``, written to *folder*."""
    return make_corpus(folder, {"overleg.txt": TWELVE_PARAGRAPHS})


def krippendorff_codings(corpus: Corpus) -> pd.DataFrame:
    segments = corpus.get("overleg.txt").segments("paragraph")
    assert len(segments) == 12
    rows = [
        ("overleg.txt", segments[u].start, segments[u].end, f"WAARDE_{value}", coder)
        for coder, values in KRIPPENDORFF_OBSERVERS.items()
        for u, value in enumerate(values)
        if value is not None
    ]
    return codings_frame(rows)


@pytest.fixture(name="thousand")
def thousand_fixture(tmp_path: Path) -> Corpus:
    """Fixture ``thousand``: :func:`thousand_corpus` in a temporary folder."""
    return thousand_corpus(tmp_path / "verslagen")


@pytest.fixture(name="twelve")
def twelve_fixture(tmp_path: Path) -> Corpus:
    """Fixture ``twelve``: :func:`twelve_corpus` in a temporary folder."""
    return twelve_corpus(tmp_path / "verslagen")
