"""Measuring codings against a gold standard, per segment; and leave-one-organisation-out tuning.

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
* Cross-validation (:func:`cross_validate`): the auto-coder's thresholds are
  tuned on all organisations but one and applied to the one left out, for each
  organisation in turn; the pooled held-out figures are what to expect on
  interviews nobody tuned on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from qualcode.errors import CodingError

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook import Codebook
    from qualcode.corpus import Corpus

__all__ = [
    "CrossValidation",
    "Evaluation",
    "LabelScore",
    "TopVariable",
    "cross_validate",
    "cross_validate_files",
    "evaluate",
    "evaluate_files",
]

NONE = "NONE"
#: The thresholds tried by :func:`cross_validate` (min_score, relative, valence_min_score).
DEFAULT_GRID: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] = (
    (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0),
    (0.0, 0.2, 0.35, 0.5, 0.65),
    (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0),
)


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

    unit: str
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
                f"{_fmt(s.precision):>11}{_fmt(s.recall):>8}{_fmt(s.f1):>7}"
            )
        t = self.top
        lines += [
            "",
            f"variables: macro F1 {_fmt(self.macro_f1)}, micro F1 {_fmt(self.micro_f1)}",
            f"top variable over {t.segments} gold-coded segments: accuracy {_fmt(t.accuracy)} "
            f"({t.correct} correct), Cohen's kappa {_fmt(t.kappa)}; "
            f"predicted in {t.predicted}, accuracy there {_fmt(t.accuracy_when_predicted)}; "
            f"top-2 accuracy {_fmt(t.top2_accuracy)}",
        ]
        return "\n".join(lines)


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
                f"{f.valence_min_score:>6g}{_fmt(f.top_accuracy):>9}{_fmt(f.macro_f1):>10}"
            )
        tuned = ", ".join(f"{k} {v:g}" for k, v in self.tuned_on_all.items())
        lines += ["", f"tuned on all organisations: {tuned}"]
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


# -- segments and labels ----------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    file: str
    organisation: str
    start: int
    end: int


class _Labels:
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


def _segments(
    corpus: Corpus, unit: str, files: Iterable[str] | None = None
) -> tuple[list[_Segment], dict[str, list[int]]]:
    segments: list[_Segment] = []
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
            segments.append(_Segment(t.file, t.organisation or t.file, s.start, s.end))
    return segments, by_file


def _map_codings(
    frame: pd.DataFrame,
    name: str,
    labels: _Labels,
    segments: list[_Segment],
    corpus: Corpus,
    only: frozenset[str] | None = None,
) -> list[dict[str, float]]:
    """Per segment: label -> summed score of the codings in *frame* that overlap it.

    Every row is checked first (the one codings check of every command). With
    *only*, rows of other files (transcripts left out of the evaluation) are ignored.
    """
    import pandas as pd

    from qualcode.coding.codings import SOURCE_COLUMNS, check_codings, overlaps

    if not all(c in frame.columns for c in SOURCE_COLUMNS):
        frame = frame.assign(source=name, row=np.arange(len(frame), dtype=np.int64) + 2)
    if only is not None:
        frame = frame[frame["file"].map(lambda f: str(f).strip()).isin(only)]
    if "variable" not in frame.columns and labels.codebook is None:
        raise CodingError(f"{name}: no 'variable' column; give the codebook to roll codes up")
    checked = check_codings(frame, corpus, codebook=labels.codebook, source=name)
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
class _Tally:
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
    def empty(cls, n_labels: int, n_variables: int) -> _Tally:
        zeros = np.zeros(n_labels, dtype=np.int64)
        return cls(
            n_labels,
            n_variables,
            zeros.copy(),
            zeros.copy(),
            zeros.copy(),
            np.zeros((n_variables + 1, n_variables), dtype=np.int64),
        )

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(
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

    def add(self, gold: dict[str, float], pred: dict[str, float], order: list[str]) -> None:
        """Count one segment; *order* lists the labels, variables first."""
        self.segments += 1
        self.gold_segments += bool(gold)
        self.predicted_segments += bool(pred)
        for k, label in enumerate(order):
            g, p = label in gold, label in pred
            self.tp[k] += g and p
            self.fp[k] += p and not g
            self.fn[k] += g and not p
        variables = order[: self.n_variables]
        gold_vars = [v for v in variables if v in gold]
        if not gold_vars:
            return
        pred_vars = [(pred[v], -k) for k, v in enumerate(variables) if v in pred]
        top = variables[-max(pred_vars)[1]] if pred_vars else NONE
        self.top2 += any(variables[-k] in gold_vars for _, k in sorted(pred_vars)[-2:])
        if top in gold_vars:
            truth = top
        else:
            truth = max(gold_vars, key=lambda v: (gold[v], -list(gold).index(v)))
        row = variables.index(top) if top != NONE else self.n_variables
        self.confusion[row, variables.index(truth)] += 1

    def evaluation(self, unit: str, order: list[str]) -> Evaluation:
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
    unit: str = "paragraph",
    codebook: Codebook | None = None,
    files: Iterable[str] | None = None,
    names: tuple[str, str] = ("predicted", "gold"),
) -> Evaluation:
    """Measure the codings *predicted* against *gold* (both codings-CSV frames) on *corpus*.

    *files* limits the evaluation to those transcripts (default: all of *corpus*).
    """
    labels = _Labels([predicted, gold], codebook)
    segments, by_file = _segments(corpus, unit, files)
    only = frozenset(by_file) if files is not None else None
    pred_map = _map_codings(predicted, names[0], labels, segments, corpus, only)
    gold_map = _map_codings(gold, names[1], labels, segments, corpus, only)
    tally = _Tally.empty(len(labels.order), len(labels.variables))
    for g, p in zip(gold_map, pred_map, strict=True):
        tally.add(g, p, labels.order)
    return tally.evaluation(unit, labels.order)


def evaluate_files(
    predicted: str | Path,
    gold: str | Path,
    *,
    transcripts: str | Path | None = None,
    respondents: str | Path | None = None,
    unit: str = "paragraph",
    codebook: str | Path | None = None,
    files: Iterable[str] | None = None,
) -> Evaluation:
    """:func:`evaluate` on two codings CSVs; *transcripts* defaults to the gold file's folder."""
    from qualcode.codebook import load_codebook
    from qualcode.coding.codings import read_codings

    pred_frame = read_codings(predicted)
    gold_frame, corpus = _gold_and_corpus(gold, transcripts, respondents)
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


def cross_validate(
    corpus: Corpus,
    codebook: Codebook,
    gold: pd.DataFrame,
    *,
    unit: str = "paragraph",
    grid: tuple[Sequence[float], Sequence[float], Sequence[float]] = DEFAULT_GRID,
) -> CrossValidation:
    """Leave-one-organisation-out evaluation of the auto-coder's thresholds.

    The corpus is auto-coded once with every threshold at zero; for each
    organisation, the (min_score, relative, valence_min_score) of *grid* with
    the best macro F1 over all labels on the *other* organisations is applied
    to it. The held-out result pools those organisations' counts.
    """
    from qualcode.coding.autocoder import CodeGroups, Selection, autocode

    labels = _Labels([gold], codebook)
    segments, _ = _segments(corpus, unit)
    gold_map = _map_codings(gold, "gold", labels, segments, corpus)
    raw = autocode(corpus, codebook, unit=unit, selection=Selection(0.0, 0.0, 0.0))
    scores = _score_matrix(raw, codebook, segments)
    groups = CodeGroups.of(codebook)
    organisations = sorted({s.organisation for s in segments})
    org_index = {o: i for i, o in enumerate(organisations)}
    selections = [Selection(a, b, c) for a, b, c in itertools.product(*grid)]

    def empty() -> _Tally:
        return _Tally.empty(len(labels.order), len(labels.variables))

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
    unit: str = "paragraph",
) -> CrossValidation:
    """:func:`cross_validate` on files; *transcripts* defaults to the gold file's folder."""
    from qualcode.codebook import load_codebook

    gold_frame, corpus = _gold_and_corpus(gold, transcripts, respondents)
    return cross_validate(corpus, load_codebook(codebook), gold_frame, unit=unit)


def _negate(t: _Tally) -> _Tally:
    return _Tally(
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


def _gold_and_corpus(
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


def _score_matrix(
    codings: Sequence[Any], codebook: Codebook, segments: list[_Segment]
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
