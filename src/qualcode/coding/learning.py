"""Learning from the researcher's own coding, and measuring the model on labelled passages.

* :func:`passages_from_codings` turns hand-coded rows of a codings CSV (any
  coder but ``auto``; rejected rows of a project are left out) into training
  passages: the ``text`` column is the passage, so the transcripts they came
  from are not needed; the codes on one span give its variables (in row order)
  and valence (``BEVORDEREND`` and/or ``BELEMMEREND``).
* :func:`learn_from` fits the model on the shipped passages plus those, which
  weigh ``LEARN_WEIGHT`` times as much.
* :func:`evaluate_passages` codes each passage of labelled passage CSVs (such as
  ``evaluation/independent/``) and scores the result; :func:`cross_validate_learning`
  measures what learning from 80% of a gold coding does for the other 20%.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qualcode.coding.learned import (
    NONE_LABEL,
    VALENCES,
    LearnedModel,
    Passage,
    read_passages,
    train,
)
from qualcode.errors import CodingError

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook.model import Codebook
    from qualcode.coding.autocoder import Selection

__all__ = [
    "LEARN_WEIGHT",
    "LearningCV",
    "PassageScores",
    "cross_validate_learning",
    "evaluate_passages",
    "learn_from",
    "learn_from_frame",
    "passages_from_codings",
    "score_passages",
]

#: How much more a passage the researcher coded weighs than a shipped one.
LEARN_WEIGHT = 3.0
_VALENCE_CODES = {"BEVORDEREND": "bevorderend", "BELEMMEREND": "belemmerend"}


def passages_from_codings(
    frame: pd.DataFrame, codebook: Codebook, *, name: str = "codings", weight: float = LEARN_WEIGHT
) -> list[Passage]:
    """Training passages from the hand-coded rows of a codings frame (see the module docstring).

    Raises ``CodingError`` naming *name* and the row for a missing ``text``
    column or a code that is not in *codebook*.
    """
    if "text" not in frame.columns:
        raise CodingError(
            f"{name}: no 'text' column; learning needs the coded text of every row "
            "(export codings with qualcode, which writes it)"
        )
    spans: dict[tuple[str, str, str], tuple[list[str], set[str], str]] = {}
    for number, row in enumerate(frame.to_dict(orient="records"), start=2):
        coder = str(row.get("coder", "")).strip()
        if coder == "auto" or str(row.get("status", "")).strip() in ("rejected", "suggested"):
            continue
        code, text = str(row["code"]).strip(), str(row["text"]).strip()
        if code not in codebook:
            raise CodingError(
                f"{name}, row {number}: code {code!r} is not in the codebook {codebook.name!r}"
            )
        if not text:
            continue
        key = (str(row.get("file", "")), str(row.get("start", "")), text)
        variables, valence, _ = spans.setdefault(key, ([], set(), text))
        top = codebook.top_of(code)
        if top in _VALENCE_CODES:
            valence.add(_VALENCE_CODES[top])
        elif codebook.variable_of(code) == top and top not in variables:
            variables.append(top)
    out = []
    for variables, valence, text in spans.values():
        mood = "gemengd" if len(valence) == 2 else next(iter(valence), "")
        out.append(Passage(text, tuple(variables) or (NONE_LABEL,), mood, weight, name))
    return out


def learn_from_frame(codebook: Codebook, frame: pd.DataFrame, *, name: str) -> LearnedModel | bool:
    """The model that learned from the hand-coded rows of a codings *frame*; True (the
    shipped model) when they are too few to learn from."""
    passages = passages_from_codings(frame, codebook, name=name)
    return (train(codebook, extra=passages) if passages else None) or True


def learn_from(
    codebook: Codebook, codings: Iterable[str | Path], *, weight: float = LEARN_WEIGHT
) -> tuple[LearnedModel | None, int]:
    """The model fitted on the shipped passages plus the hand-coded rows of *codings* files;
    and how many passages those gave."""
    from qualcode.coding.csvio import read_codings_csv

    extra: list[Passage] = []
    for path in codings:
        frame = read_codings_csv(path, required=("code", "coder", "text"), offsets=False)
        extra.extend(passages_from_codings(frame, codebook, name=Path(path).name, weight=weight))
    return train(codebook, extra=extra), len(extra)


# -- measuring on labelled passages -----------------------------------------------------


@dataclass(frozen=True)
class PassageScores:
    """The auto-coder measured on labelled passages (each coded as a text of its own).

    Top-variable figures are over the passages with a variable (not ``GEEN``):
    ``top1`` is the share whose best coded variable is one of theirs, ``top2``
    the share where one of the best two is; ``coverage`` the share that got any
    variable. ``kappa`` compares the best variable with the passage's (its first,
    unless the best is another of its variables); these see best guesses (a
    passage's best variable written below the thresholds). ``macro_f1`` is over
    the variables, every variable written as a coding (not a best guess) counting;
    ``valence_f1`` the mean F1 of ``BEVORDEREND`` and ``BELEMMEREND`` over all passages
    with a valence.
    """

    passages: int
    with_variable: int
    top1: float
    top2: float
    kappa: float | None
    macro_f1: float | None
    coverage: float
    valence_f1: float | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def format_table(self) -> str:
        """One line per figure."""
        return "\n".join(
            f"{k:<14}{'-' if v is None else (f'{v:.3f}' if isinstance(v, float) else v)}"
            for k, v in self.to_dict().items()
        )


def _f1(gold: Sequence[set[str]], pred: Sequence[set[str]], label: str) -> float | None:
    tp = sum(label in g and label in p for g, p in zip(gold, pred, strict=True))
    fp = sum(label not in g and label in p for g, p in zip(gold, pred, strict=True))
    fn = sum(label in g and label not in p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None


def score_passages(
    passages: Sequence[Passage],
    ranked: Sequence[list[str]],
    coded: Sequence[set[str]],
    valences: Sequence[set[str]],
    variables: Sequence[str],
) -> PassageScores:
    """Score per-passage predictions: *ranked* variables (best first), all *coded* variables
    and the *valences* codes written."""
    from qualcode.agreement.coefficients import cohen_kappa

    with_var = [i for i, p in enumerate(passages) if p.variables[0] != NONE_LABEL]
    top1 = sum(bool(ranked[i]) and ranked[i][0] in passages[i].variables for i in with_var)
    top2 = sum(any(v in passages[i].variables for v in ranked[i][:2]) for i in with_var)
    covered = sum(bool(ranked[i]) for i in with_var)
    order = [*variables, NONE_LABEL]
    truth, guess = [], []
    for i in with_var:
        best = ranked[i][0] if ranked[i] else NONE_LABEL
        guess.append(order.index(best))
        own = best if best in passages[i].variables else passages[i].variables[0]
        truth.append(order.index(own))
    kappa = cohen_kappa(np.array(guess), np.array(truth)) if with_var else None
    gold_sets = [set(p.variables) for p in passages]
    f1s = [f for v in variables if (f := _f1(gold_sets, list(coded), v)) is not None]
    gold_val = [
        {c for c, name in _VALENCE_CODES.items() if p.valence in (name, "gemengd")}
        for p in passages
    ]
    judged = [i for i, p in enumerate(passages) if p.valence in VALENCES]
    vf = [
        f
        for code in _VALENCE_CODES
        if (f := _f1([gold_val[i] for i in judged], [valences[i] for i in judged], code))
        is not None
    ]
    n = max(len(with_var), 1)
    return PassageScores(
        len(passages),
        len(with_var),
        top1 / n,
        top2 / n,
        None if kappa is None else float(kappa),
        sum(f1s) / len(f1s) if f1s else None,
        covered / n,
        sum(vf) / len(vf) if vf else None,
    )


def evaluate_passages(
    paths: Iterable[str | Path],
    codebook: Codebook,
    *,
    model: LearnedModel | bool = True,
    selection: Selection | None = None,
) -> PassageScores:
    """Auto-code every passage of the labelled passage CSVs *paths* and score the result."""
    passages = [p for path in paths for p in read_passages(path)]
    return _score_model(passages, codebook, model=model, selection=selection)


def _score_model(
    passages: Sequence[Passage],
    codebook: Codebook,
    *,
    model: LearnedModel | bool,
    selection: Selection | None,
) -> PassageScores:
    variables = [c.id for c in codebook.variables()]
    predicted = _predict(passages, codebook, model=model, selection=selection)
    return score_passages(passages, *predicted, variables)


_Predicted = tuple[list[list[str]], list[set[str]], list[set[str]]]


def _predict(
    passages: Sequence[Passage],
    codebook: Codebook,
    *,
    model: LearnedModel | bool | None,
    selection: Selection | None,
) -> _Predicted:
    """Per passage: its coded variables best first, the same as a set, its valence codes."""
    from qualcode.coding.autocoder import iter_autocode_texts

    variables = [c.id for c in codebook.variables()]
    texts = [(f"p{i:05d}", p.text) for i, p in enumerate(passages)]
    ranked: list[list[str]] = []
    coded: list[set[str]] = []
    valences: list[set[str]] = []
    chosen = False if model is None else model
    for _, codings in iter_autocode_texts(texts, codebook, selection=selection, model=chosen):
        weight: dict[str, float] = {}
        mood: set[str] = set()
        sure: set[str] = set()
        for c in codings:
            top = codebook.top_of(c.code)
            if top in _VALENCE_CODES:
                mood.add(top)
            elif top in variables and c.confidence is not None:
                weight[top] = max(weight.get(top, 0.0), c.confidence)
            elif top in variables:
                weight[top] = weight.get(top, 0.0) + c.score
            if top in variables and not c.best_guess:
                sure.add(top)
        ranked.append(sorted(weight, key=lambda v: (-weight[v], variables.index(v))))
        coded.append(sure)
        valences.append(mood)
    return ranked, coded, valences


@dataclass(frozen=True)
class LearningCV:
    """What learning from the rest of a gold coding does for each fifth of it."""

    folds: int
    passages: int
    shipped: PassageScores
    learned: PassageScores

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def format_table(self) -> str:
        """The figures of the shipped model and of the model that learned, side by side."""
        lines = [
            f"learning from the gold coding ({self.folds} folds over {self.passages} coded "
            "passages: each fold coded by a model that learned from the others)",
            f"{'':<14}{'shipped':>9}{'learned':>9}",
        ]
        for key, value in self.shipped.to_dict().items():
            if isinstance(value, float) or value is None:
                other = self.learned.to_dict()[key]
                lines.append(f"{key:<14}{_num(value):>9}{_num(other):>9}")
        return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def cross_validate_learning(
    gold: pd.DataFrame,
    codebook: Codebook,
    *,
    folds: int = 5,
    passages: Sequence[Passage] | None = None,
    name: str = "gold",
) -> LearningCV:
    """Split the passages of a *gold* coding into *folds* (seeded); code each fold with the
    shipped model and with one that also learned from the other folds; pool the results.

    *passages* replaces the shipped training passages (for tests).
    """
    data = passages_from_codings(gold, codebook, name=name)
    if len(data) < folds:
        raise CodingError(f"{name}: {len(data)} coded passages; learning needs at least {folds}")
    fold_of = np.random.default_rng(2021).permutation(len(data)) % folds
    variables = [c.id for c in codebook.variables()]
    shipped = train(codebook, passages)
    results: dict[str, _Predicted] = {"shipped": ([], [], []), "learned": ([], [], [])}
    order: list[int] = []
    for k in range(folds):
        test = [data[i] for i in np.flatnonzero(fold_of == k).tolist()]
        rest = [data[i] for i in np.flatnonzero(fold_of != k).tolist()]
        order.extend(np.flatnonzero(fold_of == k).tolist())
        learned = train(codebook, passages, extra=rest)
        for key, model in (("shipped", shipped), ("learned", learned)):
            for pooled, part in zip(
                results[key], _predict(test, codebook, model=model, selection=None), strict=True
            ):
                pooled.extend(part)  # type: ignore[attr-defined]
    ordered = [data[i] for i in order]
    return LearningCV(
        folds,
        len(data),
        score_passages(ordered, *results["shipped"], variables),
        score_passages(ordered, *results["learned"], variables),
    )
