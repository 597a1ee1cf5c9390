"""The hand-coded gold standards agree with the transcripts they code."""

from __future__ import annotations

from pathlib import Path

import pytest

import qualcode
from qualcode.coding import read_codings_csv

ROOT = Path(__file__).resolve().parents[1]
VARIABLES = {
    "REPRESENTATIE", "LEIDERSCHAP_REGIE", "PARTICIPATIE_RECHTVAARDIGHEID",
    "TRANSPARANTIE_AANSPRAKELIJKHEID", "FINANCIELE_RANDVOORWAARDEN", "AANPASSINGSVERMOGEN",
    "PLANNING", "VERTROUWEN_COMMITMENT",
}  # fmt: skip


@pytest.mark.parametrize(
    ("folder", "gold", "coder"),
    [
        ("transcripts_sample", "codings_gold.csv", "gold"),
        ("transcripts_sample", "codings_coder2.csv", "coder2"),
        ("evaluation/holdout", "codings_gold.csv", "gold"),
    ],
)
def test_gold_codings_match_the_text_and_code_respondent_speech(
    folder: str, gold: str, coder: str
) -> None:
    corpus = qualcode.load_corpus(ROOT / folder)
    assert corpus.errors == ()
    frame = read_codings_csv(ROOT / folder / gold)
    assert set(frame.coder) == {coder}
    assert set(frame.code) <= VARIABLES | {"BEVORDEREND", "BELEMMEREND"}
    assert set(frame.code) >= VARIABLES
    for row in frame.itertuples():
        t = corpus.get(row.file)
        assert t.text[row.start : row.end] == row.text
        assert (t.respondent, t.organisation) == (row.respondent, row.organisation)
        speech = [s for s in t.segments("paragraph") if s.start < row.end and row.start < s.end]
        assert speech and all(s.is_respondent for s in speech), (row.file, row.start)
