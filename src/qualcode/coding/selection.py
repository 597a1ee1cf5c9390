"""The thresholds that turn evidence into codings, and the code groups they apply to.

:class:`Selection` holds the thresholds; :class:`CodeGroups` knows which
top-level code each code rolls up to. The auto-coder and the cross-validation
that tunes the thresholds both use them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qualcode.codebook.model import Codebook

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_RELATIVE",
    "DEFAULT_VALENCE_MIN_CONFIDENCE",
    "DEFAULT_VALENCE_MIN_SCORE",
    "CodeGroups",
    "Selection",
]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]

# The defaults are the thresholds that ``qualcode evaluate --cross-validate`` tuned on the
# whole sample gold standard; its leave-one-organisation-out figures (README) are what
# to expect from them on interviews nobody tuned on.
#: A variable needs at least this much evidence in a segment (two patterns of weight 1).
DEFAULT_MIN_SCORE = 2.0
#: ... and at least this share of the segment's best variable score.
DEFAULT_RELATIVE = 0.5
#: A valence code needs at least this much evidence (one weak cue is enough).
DEFAULT_VALENCE_MIN_SCORE = 0.5
#: With the learned model: a variable other than a segment's best needs this probability.
DEFAULT_MIN_CONFIDENCE = 0.25
#: With the learned model: a valence code needs this probability.
DEFAULT_VALENCE_MIN_CONFIDENCE = 0.4


@dataclass(frozen=True)
class Selection:
    """The thresholds that turn evidence into codings (see the module docstring).

    ``min_score``, ``relative`` and ``valence_min_score`` apply to rule evidence
    alone; ``min_confidence`` and ``valence_min_confidence`` to the learned
    model's probabilities (:mod:`qualcode.coding.ranking`).
    """

    min_score: float = DEFAULT_MIN_SCORE
    relative: float = DEFAULT_RELATIVE
    valence_min_score: float = DEFAULT_VALENCE_MIN_SCORE
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    valence_min_confidence: float = DEFAULT_VALENCE_MIN_CONFIDENCE

    def keep(self, scores: Floats, groups: CodeGroups) -> Bools:
        """Which codes to write: *scores* is segments x codes (codebook order)."""
        totals = groups.sums(scores)
        variable = groups.is_variable
        best = np.where(variable, totals, 0.0).max(axis=1, initial=0.0)
        positive = totals > 0
        kept_variable = (
            variable
            & positive
            & (totals >= self.min_score)
            & (totals >= self.relative * best[:, None])
        )
        any_variable = kept_variable.any(axis=1)
        kept_other = (
            ~variable & positive & (totals >= self.valence_min_score) & any_variable[:, None]
        )
        kept: Bools = (scores > 0) & (kept_variable | kept_other)[:, groups.group_of]
        return kept


@dataclass(frozen=True, eq=False)
class CodeGroups:
    """Which top-level code (group) each code belongs to, and which groups are variables.

    Arrays in codebook order; build with :meth:`of`.
    """

    groups: tuple[str, ...]  # top-level code ids
    group_of: Ints  # per code: index into groups
    is_variable: Bools  # per group: a variable (primary dimension)
    top_code: Ints  # per group: the index of its own (top-level) code

    def sums(self, scores: Floats) -> Floats:
        """Segments x groups: the sum of each group's columns of *scores* (segments x codes)."""
        totals = np.zeros((scores.shape[0], len(self.groups)), dtype=np.float64)
        for g in range(len(self.groups)):
            totals[:, g] = scores[:, self.group_of == g].sum(axis=1)
        return totals

    @classmethod
    def of(cls, codebook: Codebook) -> CodeGroups:
        """The groups of *codebook*."""
        groups = tuple(c.id for c in codebook.top_level())
        index = {g: i for i, g in enumerate(groups)}
        group_of = np.array([index[codebook.top_of(c.id)] for c in codebook.codes], dtype=np.intp)
        variables = {c.id for c in codebook.variables()}
        is_variable = np.array([g in variables for g in groups], dtype=bool)
        position = {c.id: i for i, c in enumerate(codebook.codes)}
        top_code = np.array([position[g] for g in groups], dtype=np.intp)
        return cls(groups, group_of, is_variable, top_code)
