"""Which codes a segment gets, ranked: from rule evidence alone, or from the learned model.

Both return, for a scan of segments, the codes to write (segments x codes),
each with its ``rank`` (1 = the segment's best variable; valence codes are
ranked among the valence codes) and, with the model, its ``confidence``.

With the model (:func:`rank_with_model`), every segment's best variable is
written whatever its probability (a first guess for the reviewer; below
``min_confidence`` it is marked a best guess, not a coding), and any
other variable whose probability is at least ``min_confidence``; a valence code
is written when its probability is at least ``valence_min_confidence`` (the
probability that a passage helped is that of ``bevorderend`` plus ``gemengd``,
likewise for hindered). The codes written for a variable are its codes with
rule evidence, or else the variable's own code; rule evidence is explained by
its patterns, the model's part by the words that weighed most for the variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from qualcode.coding.autocoder import CodeGroups, Selection
    from qualcode.coding.learned import LearnedModel, Segments
    from qualcode.coding.matcher import TextScan

__all__ = ["Ranked", "rank_by_rules", "rank_with_model"]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
#: The valence classes whose probability counts for each valence code (by code id).
VALENCE_CLASSES = {
    "BEVORDEREND": ("bevorderend", "gemengd"),
    "BELEMMEREND": ("belemmerend", "gemengd"),
}


@dataclass(frozen=True, eq=False)
class Ranked:
    """The codes to write: ``keep`` (segments x codes), and per kept code in
    ``np.nonzero(keep)`` order its confidence (NaN: none), rank, evidence and
    whether it is only a best guess (its variable written below the thresholds)."""

    keep: Bools
    confidence: Floats
    rank: Ints
    evidence: list[str]
    best_guess: Bools


def _ranks(values: Floats, among: Bools) -> Ints:
    """Segments x groups: each group's rank among the groups *among* (by value, then order)."""
    masked = np.where(among[None, :], values, -np.inf)
    order = np.argsort(-masked, axis=1, kind="stable")
    ranks = np.zeros(values.shape, dtype=np.intp)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[1] + 1)[None, :], axis=1)
    return np.where(among[None, :], ranks, 0)


def _group_ranks(values: Floats, groups: CodeGroups) -> Ints:
    return _ranks(values, groups.is_variable) + _ranks(values, ~groups.is_variable)


def rank_by_rules(scan: TextScan, groups: CodeGroups, selection: Selection) -> Ranked:
    """The codes the rules' thresholds keep, ranked by their variable's summed evidence."""
    keep = selection.keep(scan.scores, groups)
    segments, codes = np.nonzero(keep)
    ranks = _group_ranks(groups.sums(scan.scores), groups)
    return Ranked(
        keep,
        np.full(len(segments), np.nan),
        ranks[segments, groups.group_of[codes]],
        scan.explain_all(keep),
        np.zeros(len(segments), dtype=bool),
    )


def _group_probabilities(
    model: LearnedModel, scan: TextScan, groups: CodeGroups, rules: Floats
) -> tuple[Floats, Bools, Segments]:
    """Segments x groups: the probability of each top-level code; which ones have one."""
    prediction = model.probabilities(scan, rules)
    probs = np.zeros(rules.shape, dtype=np.float64)
    known = np.zeros(len(groups.groups), dtype=bool)
    index = {g: i for i, g in enumerate(groups.groups)}
    for k, label in enumerate(model.classes):
        if label in index:
            probs[:, index[label]] = prediction.variables[:, k]
            known[index[label]] = True
    if prediction.valence is not None:
        for code, counted in VALENCE_CLASSES.items():
            if code in index:
                cols = [model.valences.index(v) for v in counted]
                probs[:, index[code]] = prediction.valence[:, cols].sum(axis=1)
                known[index[code]] = True
    return probs, known, prediction.segments


def rank_with_model(
    scan: TextScan, groups: CodeGroups, selection: Selection, model: LearnedModel
) -> Ranked:
    """The codes to write by the model's calibrated probabilities (see the module docstring)."""
    rules = groups.sums(scan.scores)
    probs, known, segments = _group_probabilities(model, scan, groups, rules)
    variable = groups.is_variable & known
    ranks = _group_ranks(np.where(known[None, :], probs, rules), groups)
    kept_group = variable[None, :] & ((ranks == 1) | (probs >= selection.min_confidence))
    valence = ~groups.is_variable & known
    kept_group |= valence[None, :] & (probs >= selection.valence_min_confidence)
    # codes without a model (other dimensions) keep the rules' choice
    rule_keep = selection.keep(scan.scores, groups) & ~known[groups.group_of][None, :]
    scored = scan.scores > 0
    keep = (scored & kept_group[:, groups.group_of]) | rule_keep
    # a kept group none of whose codes has evidence is written as its top-level code
    bare = kept_group & ~groups.sums(keep.astype(np.float64)).astype(bool)
    top_code = groups.top_code
    rows, cols = np.nonzero(bare)
    keep[rows, top_code[cols]] = True
    segs, codes = np.nonzero(keep)
    group = groups.group_of[codes]
    confidence = np.where(known[group], probs[segs, group], np.nan)
    evidence = np.empty(len(segs), dtype=object)
    evidence[:] = ""
    with_rules = scored[segs, codes]
    evidence[with_rules] = scan.explain_all(keep & scored)
    label_of = {g: k for k, g in enumerate(model.classes)}
    for code, counted in VALENCE_CLASSES.items():
        if model.valences:
            label_of[code] = model.valences.index(counted[0])
    classes = np.array([label_of.get(g, 0) for g in groups.groups], dtype=np.intp)
    # the model's words for every variable; for a valence code only where no pattern speaks
    for head, among in (("variables", variable), ("valence", valence)):
        model_rows = np.flatnonzero(among[group] & ((head == "variables") | ~with_rules))
        said = np.empty(len(model_rows), dtype=object)
        said[:] = model.explain(segments, segs[model_rows], classes[group[model_rows]], head=head)
        model_rows, said = model_rows[said != ""], said[said != ""]
        alone = evidence[model_rows] == ""
        evidence[model_rows[alone]] = "model: " + said[alone]
        joined = model_rows[~alone]
        evidence[joined] = evidence[joined] + ("; model: " + said[~alone])
    # kept only as the segment's best variable: a first guess, not a coding
    guess = variable[group] & (probs[segs, group] < selection.min_confidence)
    return Ranked(keep, confidence, ranks[segs, group], evidence.tolist(), guess)
