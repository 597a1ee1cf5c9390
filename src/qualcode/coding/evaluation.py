"""Measuring codings against a gold standard, per segment.

Both codings are mapped onto the segments of one unit (``paragraph`` by
default): a segment has a label when a coding overlaps it by at least one
character. Labels roll up: a sub-code counts as its variable (the ``variable``
column, or the codebook's tree when one is given); codes of other dimensions
(``BEVORDEREND``/``BELEMMEREND`` under ``VALENCE``) count as themselves.

* Per label: precision, recall and F1 over segments.
* Top variable: over the segments the gold coded with at least one variable,
  the prediction's top variable (the one with the highest summed score in the
  segment; ties go to the variable listed first in the codebook, or
  alphabetically without one; ``NONE`` when it predicted no variable) is
  correct when it is one of the gold's variables for that segment.
  Accuracy is the share correct; Cohen's kappa compares the predicted label
  with the gold label, taken to be the predicted one when the gold has it and
  otherwise the gold's strongest variable (highest score, then first in the
  gold file). Codings with a ``confidence`` (the learned model's probability)
  are weighed by it instead of their score.
* Best guesses (rows whose ``suggestion`` is ``best_guess``: a segment's best
  variable written below the auto-coder's thresholds) are the ranked
  suggestion, not codings: the top-variable figures (accuracy, top-2, kappa,
  the segments with a prediction) see them, the per-label precision, recall
  and F1 (and so macro and micro F1) count only the codings.

Cross-validation (tuning the auto-coder leave-one-organisation-out) is in
:mod:`qualcode.coding.crossval`; it uses the tallies of this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from qualcode.corpus.model import Unit
from qualcode.errors import CodingError

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook import Codebook
    from qualcode.corpus import Corpus

__all__ = [
    "Evaluation",
    "LabelScore",
    "TopVariable",
    "evaluate",
    "evaluate_files",
]

NONE = "NONE"


@dataclass(frozen=True)
class LabelScore:
    """Segment-level agreement on one label (a variable or a valence code)."""

    label: str
    is_variable: bool
    gold: int
    predicted: int
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class TopVariable:
    """Agreement on the top variable of the segments the gold coded with a variable."""

    segments: int
    predicted: int
    correct: int
    accuracy: float | None
    accuracy_when_predicted: float | None
    kappa: float | None
    top2_accuracy: float | None = None  # one of the best two predicted is a gold variable


@dataclass(frozen=True)
class Evaluation:
    """Codings measured against a gold standard (see the module docstring)."""

    unit: Unit
    segments: int
    gold_segments: int
    predicted_segments: int
    labels: tuple[LabelScore, ...]
    top: TopVariable
    macro_f1: float | None
    micro_f1: float | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``--format json`` contract)."""
        return asdict(self)

    def format_table(self) -> str:
        """A plain-text report."""
        lines = [
            f"unit {self.unit}: {self.segments} segments, {self.gold_segments} coded in the gold, "
            f"{self.predicted_segments} in the prediction",
            "",
            f"{'label':<34}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}"
            f"{'precision':>11}{'recall':>8}{'F1':>7}",
        ]
        for s in self.labels:
            lines.append(
                f"{s.label:<34}{s.gold:>6}{s.predicted:>6}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
                f"{fmt(s.precision):>11}{fmt(s.recall):>8}{fmt(s.f1):>7}"
            )
        t = self.top
        lines += [
            "",
            f"variables: macro F1 {fmt(self.macro_f1)}, micro F1 {fmt(self.micro_f1)}",
            f"top variable over {t.segments} gold-coded segments: accuracy {fmt(t.accuracy)} "
            f"({t.correct} correct), Cohen's kappa {fmt(t.kappa)}; "
            f"predicted in {t.predicted}, accuracy there {fmt(t.accuracy_when_predicted)}; "
            f"top-2 accuracy {fmt(t.top2_accuracy)}",
        ]
        return "\n".join(lines)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


# -- segments and labels ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    file: str
    organisation: str
    start: int
    end: int


class Labels:
    """Maps coding rows to labels; knows the variables and their tie-breaking order."""

    def __init__(self, frames: Sequence[pd.DataFrame], codebook: Codebook | None) -> None:
        self.codebook = codebook
        if codebook is not None:
            self.variables = [c.id for c in codebook.variables()]
            others = [c.id for c in codebook.top_level() if c.id not in self.variables]
            self.order = self.variables + others
            self.dimensions: set[str] = set()
            return
        codes: set[str] = set()
        variables: set[str] = set()
        for frame in frames:
            codes.update(frame["code"].astype(str))
            variables.update(frame["variable"].astype(str))
        self.dimensions = variables - codes
        self.variables = sorted(variables - self.dimensions)
        others_set = {
            str(r.code)
            for frame in frames
            for r in frame.itertuples()
            if str(r.variable) in self.dimensions
        }
        self.order = self.variables + sorted(others_set)

    def label(self, code: str, variable: str) -> str:
        if self.codebook is not None:
            return self.codebook.top_of(code)
        return code if variable in self.dimensions else variable


def segments_of(
    corpus: Corpus, unit: Unit, files: Iterable[str] | None = None
) -> tuple[list[Segment], dict[str, list[int]]]:
    segments: list[Segment] = []
    by_file: dict[str, list[int]] = {}
    chosen = set(files) if files is not None else None
    if chosen is not None:
        unknown = sorted(chosen - set(corpus.files))
        if unknown:
            raise CodingError(
                f"{', '.join(unknown)}: not in the transcripts folder; choose from "
                f"{', '.join(corpus.files)}"
            )
    for t in corpus.transcripts:
        if chosen is not None and t.file not in chosen:
            continue
        for s in t.segments(unit):
            by_file.setdefault(t.file, []).append(len(segments))
            segments.append(Segment(t.file, t.organisation or t.file, s.start, s.end))
    return segments, by_file


def map_codings(
    frame: pd.DataFrame,
    name: str,
    labels: Labels,
    segments: list[Segment],
    corpus: Corpus,
    only: frozenset[str] | None = None,
    *,
    best_guesses: bool = False,
) -> list[dict[str, float]]:
    """Per segment: label -> summed score of the codings in *frame* that overlap it.

    Every row is checked first (the one codings check of every command). With
    *only*, rows of other files (transcripts left out of the evaluation) are ignored;
    best-guess rows count only with *best_guesses*.
    """
    import pandas as pd

    from qualcode.coding.codings import SOURCE_COLUMNS, check_codings, overlaps

    if not all(c in frame.columns for c in SOURCE_COLUMNS):
        frame = frame.assign(source=name, row=np.arange(len(frame), dtype=np.int64) + 2)
    if only is not None:
        frame = frame[frame["file"].map(lambda f: str(f).strip()).isin(only)]
    if "variable" not in frame.columns and labels.codebook is None:
        raise CodingError(f"{name}: no 'variable' column; give the codebook to roll codes up")
    checked = check_codings(
        frame, corpus, codebook=labels.codebook, source=name, best_guesses=best_guesses
    )
    variables = checked["variable"].astype(str) if "variable" in checked.columns else None
    names = [
        labels.label(code, "" if variables is None else variables.iat[k])
        for k, code in enumerate(checked["code"])
    ]
    coding, segment, _ = overlaps(
        checked["file"].to_numpy(dtype=object),
        checked["start"].to_numpy(),
        checked["end"].to_numpy(),
        np.array([s.file for s in segments], dtype=object),
        np.fromiter((s.start for s in segments), dtype=np.int64, count=len(segments)),
        np.fromiter((s.end for s in segments), dtype=np.int64, count=len(segments)),
    )
    if "confidence" in checked.columns:
        confidence = pd.to_numeric(checked["confidence"], errors="coerce").to_numpy(dtype=float)
    else:
        confidence = np.full(len(checked), np.nan)
    grouped = (
        pd.DataFrame(
            {
                "segment": segment,
                "label": np.asarray(names, dtype=object)[coding],
                "score": checked["score"].to_numpy(dtype=float)[coding],
                "confidence": confidence[coding],
            }
        )
        .groupby(["segment", "label"], sort=False)
        .agg(score=("score", "sum"), confidence=("confidence", "max"))
    )
    # a calibrated probability is its variable's, not a code's: taken once, never summed
    weights = grouped["confidence"].where(grouped["confidence"].notna(), grouped["score"])
    out: list[dict[str, float]] = [{} for _ in segments]
    for (i, label), score in weights.items():
        out[int(i)][str(label)] = float(score)
    return out


# -- tallies ----------------------------------------------------------------------------


@dataclass
class Tally:
    """Summable counts from which an :class:`Evaluation` is computed."""

    n_labels: int
    n_variables: int
    tp: npt.NDArray[np.int64]
    fp: npt.NDArray[np.int64]
    fn: npt.NDArray[np.int64]
    confusion: npt.NDArray[np.int64]  # (variables + NONE) x variables
    segments: int = 0
    gold_segments: int = 0
    predicted_segments: int = 0
    top2: int = 0

    @classmethod
    def empty(cls, n_labels: int, n_variables: int) -> Tally:
        zeros = np.zeros(n_labels, dtype=np.int64)
        return cls(
            n_labels,
            n_variables,
            zeros.copy(),
            zeros.copy(),
            zeros.copy(),
            np.zeros((n_variables + 1, n_variables), dtype=np.int64),
        )

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.n_labels,
            self.n_variables,
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.confusion + other.confusion,
            self.segments + other.segments,
            self.gold_segments + other.gold_segments,
            self.predicted_segments + other.predicted_segments,
            self.top2 + other.top2,
        )

    def add(
        self,
        gold: dict[str, float],
        pred: dict[str, float],
        order: list[str],
        ranked: dict[str, float] | None = None,
    ) -> None:
        """Count one segment; *order* lists the labels, variables first.

        *pred* (the codings) is counted per label; *ranked* (default *pred*: the
        codings plus best guesses) for the segment's top variables.
        """
        self.segments += 1
        self.gold_segments += bool(gold)
        ranked = pred if ranked is None else ranked
        self.predicted_segments += bool(ranked)
        for k, label in enumerate(order):
            g, p = label in gold, label in pred
            self.tp[k] += g and p
            self.fp[k] += p and not g
            self.fn[k] += g and not p
        variables = order[: self.n_variables]
        gold_vars = [v for v in variables if v in gold]
        if not gold_vars:
            return
        pred_vars = [(ranked[v], -k) for k, v in enumerate(variables) if v in ranked]
        top = variables[-max(pred_vars)[1]] if pred_vars else NONE
        self.top2 += any(variables[-k] in gold_vars for _, k in sorted(pred_vars)[-2:])
        if top in gold_vars:
            truth = top
        else:
            truth = max(gold_vars, key=lambda v: (gold[v], -list(gold).index(v)))
        row = variables.index(top) if top != NONE else self.n_variables
        self.confusion[row, variables.index(truth)] += 1

    def evaluation(self, unit: Unit, order: list[str]) -> Evaluation:
        from qualcode.agreement.coefficients import cohen_kappa

        scores = []
        for k, label in enumerate(order):
            tp, fp, fn = int(self.tp[k]), int(self.fp[k]), int(self.fn[k])
            p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
            f1 = _ratio(2 * tp, 2 * tp + fp + fn)
            scores.append(
                LabelScore(label, k < self.n_variables, tp + fn, tp + fp, tp, fp, fn, p, r, f1)
            )
        var_scores = scores[: self.n_variables]
        f1s = [s.f1 for s in var_scores if s.f1 is not None]
        tp = sum(s.tp for s in var_scores)
        fp = sum(s.fp for s in var_scores)
        fn = sum(s.fn for s in var_scores)
        m = self.confusion
        n = int(m.sum())
        correct = int(np.trace(m[: self.n_variables]))
        predicted = n - int(m[self.n_variables].sum())
        rows, cols = np.nonzero(m)
        kappa = cohen_kappa(rows, cols, weights=m[rows, cols]) if n else None
        top = TopVariable(
            n,
            predicted,
            correct,
            _ratio(correct, n),
            _ratio(correct, predicted),
            kappa,
            _ratio(self.top2, n),
        )
        return Evaluation(
            unit,
            self.segments,
            self.gold_segments,
            self.predicted_segments,
            tuple(scores),
            top,
            sum(f1s) / len(f1s) if f1s else None,
            _ratio(2 * tp, 2 * tp + fp + fn),
        )

    def macro_f1_all(self) -> float:
        """Mean F1 over every label with support (the tuning objective)."""
        denom = 2 * self.tp + self.fp + self.fn
        mask = denom > 0
        return float((2 * self.tp[mask] / denom[mask]).mean()) if mask.any() else 0.0


# -- public API -------------------------------------------------------------------------


def evaluate(
    predicted: pd.DataFrame,
    gold: pd.DataFrame,
    corpus: Corpus,
    *,
    unit: Unit = "paragraph",
    codebook: Codebook | None = None,
    files: Iterable[str] | None = None,
    names: tuple[str, str] = ("predicted", "gold"),
) -> Evaluation:
    """Measure the codings *predicted* against *gold* (both codings-CSV frames) on *corpus*.

    *files* limits the evaluation to those transcripts (default: all of *corpus*).
    """
    labels = Labels([predicted, gold], codebook)
    segments, by_file = segments_of(corpus, unit, files)
    only = frozenset(by_file) if files is not None else None
    ranked_map = map_codings(predicted, names[0], labels, segments, corpus, only, best_guesses=True)
    pred_map = map_codings(predicted, names[0], labels, segments, corpus, only)
    gold_map = map_codings(gold, names[1], labels, segments, corpus, only)
    tally = Tally.empty(len(labels.order), len(labels.variables))
    for g, p, r in zip(gold_map, pred_map, ranked_map, strict=True):
        tally.add(g, p, labels.order, r)
    return tally.evaluation(unit, labels.order)


def evaluate_files(
    predicted: str | Path,
    gold: str | Path,
    *,
    transcripts: str | Path | None = None,
    respondents: str | Path | None = None,
    unit: Unit = "paragraph",
    codebook: str | Path | None = None,
    files: Iterable[str] | None = None,
) -> Evaluation:
    """:func:`evaluate` on two codings CSVs; *transcripts* defaults to the gold file's folder."""
    from qualcode.codebook import load_codebook
    from qualcode.coding.codings import read_codings

    pred_frame = read_codings(predicted)
    gold_frame, corpus = gold_and_corpus(gold, transcripts, respondents)
    book = load_codebook(codebook) if codebook is not None else None
    return evaluate(
        pred_frame,
        gold_frame,
        corpus,
        unit=unit,
        codebook=book,
        files=files,
        names=(Path(predicted).name, Path(gold).name),
    )


def gold_and_corpus(
    gold: str | Path, transcripts: str | Path | None, respondents: str | Path | None
) -> tuple[pd.DataFrame, Corpus]:
    """The gold codings CSV, and the corpus it was coded on (default: the gold's folder)."""
    from qualcode.coding.codings import read_codings
    from qualcode.corpus import load_corpus

    frame = read_codings(gold)
    if frame.empty:
        raise CodingError(
            f"{Path(gold).name}: the gold standard holds no codings (a header only); "
            "code some segments first, or pass the right file"
        )
    folder = Path(transcripts) if transcripts is not None else Path(gold).parent
    return frame, load_corpus(folder, respondents=respondents)
