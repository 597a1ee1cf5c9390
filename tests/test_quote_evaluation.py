"""The quote check on two independent writers' drafts (evaluation/quote-reports/).

Writer 3's draft is held out: nothing in the checker was changed for it. These tests
report on it (and on writer 2's development draft) so that a regression shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from review_eval import load_key, score

from qualcode.corpus import Corpus
from qualcode.review import check_quotes

SETS = Path(__file__).resolve().parents[1] / "evaluation" / "quote-reports"


@pytest.mark.parametrize(
    ("report", "quotes", "attribution", "alarms"),
    [("heldout/notitie.md", 71, 0.94, 1), ("dev2/report.md", 101, 0.95, 1)],
)
def test_independent_drafts(
    sample_corpus: Corpus, report: str, quotes: int, attribution: float, alarms: int
) -> None:
    path = SETS / report
    result = score(check_quotes(path, sample_corpus), load_key(path.parent / "key.csv"))
    assert (result.quotes, result.found) == (quotes, quotes)
    assert result.attribution >= attribution, result.misses
    assert result.verdicts >= attribution, result.misses
    assert result.false_alarms <= alarms, result.misses
