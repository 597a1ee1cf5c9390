"""Leave-one-organisation-out tuning of the auto-coder's thresholds, scored per segment.

The auto-coder's thresholds are tuned on all organisations but one and applied
to the one left out, for each organisation in turn; the pooled held-out figures
are what to expect on interviews nobody tuned on. The scores are those of
:mod:`qualcode.coding.evaluation`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from qualcode.coding.evaluation import (
    Evaluation,
    Labels,
    Segment,
    Tally,
    fmt,
    gold_and_corpus,
    map_codings,
    segments_of,
)
from qualcode.corpus.model import Unit

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook import Codebook
    from qualcode.corpus import Corpus

__all__ = ["CrossValidation", "Fold", "cross_validate", "cross_validate_files"]

#: The thresholds tried by :func:`cross_validate` (min_score, relative, valence_min_score).
DEFAULT_GRID: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] = (
    (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0),
    (0.0, 0.2, 0.35, 0.5, 0.65),
    (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0),
)


@dataclass(frozen=True)
class Fold:
    """One organisation scored with thresholds tuned on the others."""

    organisation: str
    segments: int
    min_score: float
    relative: float
    valence_min_score: float
    top_accuracy: float | None
    macro_f1: float | None


@dataclass(frozen=True)
class CrossValidation:
    """Leave-one-organisation-out figures, plus the thresholds tuned on every organisation."""

    held_out: Evaluation
    folds: tuple[Fold, ...]
    tuned_on_all: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "held_out": self.held_out.to_dict(),
            "folds": [asdict(f) for f in self.folds],
            "tuned_on_all": dict(self.tuned_on_all),
        }

    def format_table(self) -> str:
        """A plain-text report: the held-out figures, then one line per organisation."""
        lines = [
            "leave-one-organisation-out (each organisation scored with thresholds tuned "
            "on the others)",
            "",
            self.held_out.format_table(),
            "",
            f"{'organisation':<28}{'segments':>9}{'min':>6}{'rel':>6}{'val':>6}"
            f"{'top acc':>9}{'macro F1':>10}",
        ]
        for f in self.folds:
            lines.append(
                f"{f.organisation:<28}{f.segments:>9}{f.min_score:>6g}{f.relative:>6g}"
                f"{f.valence_min_score:>6g}{fmt(f.top_accuracy):>9}{fmt(f.macro_f1):>10}"
            )
        tuned = ", ".join(f"{k} {v:g}" for k, v in self.tuned_on_all.items())
        lines += ["", f"tuned on all organisations: {tuned}"]
        return "\n".join(lines)


def cross_validate(
    corpus: Corpus,
    codebook: Codebook,
    gold: pd.DataFrame,
    *,
    unit: Unit = "paragraph",
    grid: tuple[Sequence[float], Sequence[float], Sequence[float]] = DEFAULT_GRID,
) -> CrossValidation:
    """Leave-one-organisation-out evaluation of the auto-coder's thresholds.

    The corpus is auto-coded once with every threshold at zero; for each
    organisation, the (min_score, relative, valence_min_score) of *grid* with
    the best macro F1 over all labels on the *other* organisations is applied
    to it. The held-out result pools those organisations' counts.
    """
    from qualcode.coding.autocoder import CodeGroups, Selection, autocode

    labels = Labels([gold], codebook)
    segments, _ = segments_of(corpus, unit)
    gold_map = map_codings(gold, "gold", labels, segments, corpus)
    raw = autocode(corpus, codebook, unit=unit, selection=Selection(0.0, 0.0, 0.0))
    scores = _score_matrix(raw, codebook, segments)
    groups = CodeGroups.of(codebook)
    organisations = sorted({s.organisation for s in segments})
    org_index = {o: i for i, o in enumerate(organisations)}
    selections = [Selection(a, b, c) for a, b, c in itertools.product(*grid)]

    def empty() -> Tally:
        return Tally.empty(len(labels.order), len(labels.variables))

    # tallies[s][o]: counts of selection s on organisation o
    tallies = [[empty() for _ in organisations] for _ in selections]
    for s, selection in enumerate(selections):
        kept = groups.sums(np.where(selection.keep(scores, groups), scores, 0.0))
        for k, seg in enumerate(segments):
            pred = {groups.groups[g]: float(kept[k, g]) for g in np.flatnonzero(kept[k] > 0)}
            tallies[s][org_index[seg.organisation]].add(gold_map[k], pred, labels.order)
    totals = [sum(row[1:], row[0]) for row in tallies]
    pooled = empty()
    folds = []
    for o, organisation in enumerate(organisations):
        best = max(
            range(len(selections)),
            key=lambda s: ((totals[s] + _negate(tallies[s][o])).macro_f1_all(), -s),
        )
        held = tallies[best][o]
        pooled = pooled + held
        result = held.evaluation(unit, labels.order)
        sel = selections[best]
        folds.append(
            Fold(
                organisation,
                held.segments,
                sel.min_score,
                sel.relative,
                sel.valence_min_score,
                result.top.accuracy,
                result.macro_f1,
            )
        )
    overall = max(range(len(selections)), key=lambda s: (totals[s].macro_f1_all(), -s))
    sel = selections[overall]
    return CrossValidation(
        held_out=pooled.evaluation(unit, labels.order),
        folds=tuple(folds),
        tuned_on_all={
            "min_score": sel.min_score,
            "relative": sel.relative,
            "valence_min_score": sel.valence_min_score,
        },
    )


def cross_validate_files(
    gold: str | Path,
    *,
    codebook: str | Path,
    transcripts: str | Path | None = None,
    respondents: str | Path | None = None,
    unit: Unit = "paragraph",
) -> CrossValidation:
    """:func:`cross_validate` on files; *transcripts* defaults to the gold file's folder."""
    from qualcode.codebook import load_codebook

    gold_frame, corpus = gold_and_corpus(gold, transcripts, respondents)
    return cross_validate(corpus, load_codebook(codebook), gold_frame, unit=unit)


def _negate(t: Tally) -> Tally:
    return Tally(
        t.n_labels,
        t.n_variables,
        -t.tp,
        -t.fp,
        -t.fn,
        -t.confusion,
        -t.segments,
        -t.gold_segments,
        -t.predicted_segments,
        -t.top2,
    )


def _score_matrix(
    codings: Sequence[Any], codebook: Codebook, segments: list[Segment]
) -> npt.NDArray[np.float64]:
    """Segments x codes (codebook order): the scores of the codings made on each segment."""
    index = {c.id: i for i, c in enumerate(codebook.codes)}
    at = {(s.file, s.start, s.end): i for i, s in enumerate(segments)}
    scores = np.zeros((len(segments), len(index)), dtype=np.float64)
    for c in codings:
        i = at.get((c.file, c.start, c.end))
        if i is not None:
            scores[i, index[c.code]] += c.score
    return scores
