"""Agreement coefficients: percent agreement, Cohen's kappa, Krippendorff's alpha.

A *reliability matrix* here is an integer array of shape ``(units, coders)``:
entry ``[u, k]`` is the index of the value coder ``k`` gave unit ``u`` (``0``
to ``n_values - 1``), or :data:`MISSING` when the coder gave none. Optional
*weights* (one non-negative number per unit) say how many identical units a
row stands for; the character unit uses them so that a run of 400 characters
coded alike is one row of weight 400 rather than 400 rows.

Every function returns ``None`` where the coefficient is undefined (for
instance when only one value occurs, so that chance agreement is perfect),
never ``nan``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "MISSING",
    "cohen_kappa",
    "coincidence_matrix",
    "krippendorff_alpha",
    "nominal_alpha",
    "percent_agreement",
]

#: Marks a coder who gave a unit no value.
MISSING = -1

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _weights(n_units: int, weights: npt.ArrayLike | None) -> FloatArray:
    if weights is None:
        return np.ones(n_units, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n_units,):
        raise ValueError(f"weights must have one entry per unit ({n_units}), got shape {w.shape}")
    return w


def _matrix(values: npt.ArrayLike) -> IntArray:
    data = np.asarray(values, dtype=np.int64)
    if data.ndim != 2:
        raise ValueError(f"a reliability matrix is 2-D (units, coders), got {data.ndim}-D")
    return data


def percent_agreement(
    values: npt.ArrayLike, *, weights: npt.ArrayLike | None = None
) -> float | None:
    """Percentage (0-100) of units on which every coder who gave a value gave the same one.

    Only units with at least two values count. Returns ``None`` when there are none.
    """
    data = _matrix(values)
    w = _weights(data.shape[0], weights)
    present = data != MISSING
    pairable = present.sum(axis=1) >= 2
    total = float(w[pairable].sum())
    if total == 0:
        return None
    high = np.where(present, data, np.iinfo(np.int64).min).max(axis=1)
    low = np.where(present, data, np.iinfo(np.int64).max).min(axis=1)
    agreed = float(w[pairable & (high == low)].sum())
    return 100.0 * agreed / total


def cohen_kappa(
    first: npt.ArrayLike, second: npt.ArrayLike, *, weights: npt.ArrayLike | None = None
) -> float | None:
    """Cohen's kappa of two coders' values over the same units (no missing values).

    ``kappa = (p_o - p_e) / (1 - p_e)``, with ``p_o`` the observed share of
    agreement and ``p_e`` the agreement expected from each coder's own value
    frequencies. Returns ``None`` when ``p_e`` is 1 (both coders used one
    and the same value throughout) or there are no units.
    """
    a = np.asarray(first, dtype=np.int64)
    b = np.asarray(second, dtype=np.int64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("cohen_kappa needs two 1-D arrays of equal length")
    if (a == MISSING).any() or (b == MISSING).any():
        raise ValueError("cohen_kappa is defined without missing values")
    w = _weights(a.shape[0], weights)
    total = float(w.sum())
    if total == 0:
        return None
    observed = float(w[a == b].sum()) / total
    n_values = int(max(a.max(initial=0), b.max(initial=0))) + 1
    share_a = np.bincount(a, weights=w, minlength=n_values) / total
    share_b = np.bincount(b, weights=w, minlength=n_values) / total
    expected = float(share_a @ share_b)
    if np.isclose(expected, 1.0, rtol=0.0, atol=1e-12):
        return None
    return (observed - expected) / (1.0 - expected)


def coincidence_matrix(
    values: npt.ArrayLike, *, n_values: int | None = None, weights: npt.ArrayLike | None = None
) -> FloatArray:
    """Krippendorff's coincidence matrix ``o[c, k]`` of a reliability matrix.

    Each unit ``u`` with ``m_u >= 2`` values contributes, for every ordered
    pair of values from two different coders, ``1 / (m_u - 1)``; so a unit
    adds exactly ``m_u`` to the matrix total, and units with fewer than two
    values add nothing (they are not *pairable*). In counts per unit
    ``n_uc``: ``o[c, k] = sum_u (n_uc * n_uk - [c == k] * n_uc) / (m_u - 1)``.
    The matrix is symmetric; its total ``n`` is the number of pairable values.
    """
    data = _matrix(values)
    w = _weights(data.shape[0], weights)
    if n_values is None:
        n_values = int(data.max(initial=MISSING)) + 1
    counts = np.zeros((data.shape[0], n_values), dtype=np.float64)
    units, coders = np.nonzero(data != MISSING)
    np.add.at(counts, (units, data[units, coders]), 1.0)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    counts, per_unit, w = counts[pairable], per_unit[pairable], w[pairable]
    scaled = counts * (w / (per_unit - 1.0))[:, None]
    matrix: FloatArray = scaled.T @ counts
    matrix[np.diag_indices(n_values)] -= scaled.sum(axis=0)
    return matrix


def nominal_alpha(coincidences: npt.ArrayLike) -> float | None:
    """Krippendorff's alpha for nominal values from a coincidence matrix.

    ``alpha = 1 - D_o / D_e = 1 - (n - 1) * (n - sum_c o_cc) / (n ** 2 - sum_c n_c ** 2)``,
    where ``n_c`` are the row sums and ``n`` the total. Binary data (a code
    applied or not) is the two-value case. Returns ``None`` when fewer than
    two pairable values exist or only one value occurs (``D_e = 0``).
    """
    o = np.asarray(coincidences, dtype=np.float64)
    marginals = o.sum(axis=1)
    n = float(marginals.sum())
    expected = n * n - float((marginals**2).sum())
    if n <= 1 or np.isclose(expected, 0.0, rtol=0.0, atol=1e-9):
        return None
    disagreement = n - float(np.trace(o))
    return 1.0 - (n - 1.0) * disagreement / expected


def krippendorff_alpha(
    values: npt.ArrayLike, *, weights: npt.ArrayLike | None = None
) -> float | None:
    """Krippendorff's alpha (nominal) of a reliability matrix ``(units, coders)``.

    Missing values (:data:`MISSING`) are allowed; any number of coders.
    """
    return nominal_alpha(coincidence_matrix(values, weights=weights))
