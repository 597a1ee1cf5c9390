"""Agreement coefficients: percent agreement, Cohen's and Fleiss' kappa, Gwet's AC1, alpha.

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
    "alpha_interval",
    "cohen_kappa",
    "coincidence_matrix",
    "fleiss_kappa",
    "gwet_ac1",
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


def _value_counts(data: IntArray, n_values: int) -> FloatArray:
    """Per unit, how many coders gave each value: shape ``(units, n_values)``."""
    counts = np.zeros((data.shape[0], n_values), dtype=np.float64)
    units, coders = np.nonzero(data != MISSING)
    np.add.at(counts, (units, data[units, coders]), 1.0)
    return counts


def _n_values(data: IntArray, n_values: int | None) -> int:
    return max(int(data.max(initial=MISSING)) + 1, 2) if n_values is None else n_values


def fleiss_kappa(
    values: npt.ArrayLike, *, n_values: int | None = None, weights: npt.ArrayLike | None = None
) -> float | None:
    """Fleiss' kappa of a reliability matrix: agreement of any number of coders beyond chance.

    Fleiss' kappa assumes that every unit was rated by the same coders, so
    only units where every coder gave a value count. With ``n_uc`` coders
    giving unit ``u`` value ``c`` and ``m`` coders:
    ``P_u = (sum_c n_uc ** 2 - m) / (m * (m - 1))``, ``p_c`` the share of all
    values that are ``c``, ``kappa = (mean(P_u) - sum_c p_c ** 2) / (1 - sum_c p_c ** 2)``.
    Returns ``None`` with fewer than two coders, no complete unit, or one value only.
    """
    data = _matrix(values)
    w = _weights(data.shape[0], weights)
    m = data.shape[1]
    complete = (data != MISSING).all(axis=1)
    total = float(w[complete].sum())
    if m < 2 or total == 0:
        return None
    counts = _value_counts(data[complete], _n_values(data, n_values))
    w = w[complete]
    per_unit = ((counts**2).sum(axis=1) - m) / (m * (m - 1))
    observed = float(w @ per_unit) / total
    shares = (w @ counts) / (total * m)
    expected = float(shares @ shares)
    if np.isclose(expected, 1.0, rtol=0.0, atol=1e-12):
        return None
    return (observed - expected) / (1.0 - expected)


def gwet_ac1(
    values: npt.ArrayLike, *, n_values: int | None = None, weights: npt.ArrayLike | None = None
) -> float | None:
    """Gwet's AC1 of a reliability matrix: chance-corrected agreement robust to rare values.

    Kappa-type coefficients collapse when one value is very common (a code
    applied to few units): chance agreement then nears 1. AC1 (Gwet 2008)
    estimates chance agreement as ``p_e = sum_c pi_c * (1 - pi_c) / (q - 1)``,
    which is small exactly then. ``q`` is *n_values* (the number of possible
    values; 2 for a code applied or not); ``pi_c`` the mean over units with a
    value of the share of their values that are ``c``; observed agreement
    ``p_a`` the mean over units with two or more values of
    ``sum_c n_uc * (n_uc - 1) / (m_u * (m_u - 1))``. Missing values allowed.
    Returns ``None`` with no pairable unit or fewer than two possible values.
    """
    data = _matrix(values)
    w = _weights(data.shape[0], weights)
    q = _n_values(data, n_values)
    counts = _value_counts(data, q)
    per_unit = counts.sum(axis=1)
    rated, pairable = per_unit >= 1, per_unit >= 2
    n_rated, n_pairable = float(w[rated].sum()), float(w[pairable].sum())
    if q < 2 or n_pairable == 0:
        return None
    c, m = counts[pairable], per_unit[pairable]
    observed = float(w[pairable] @ ((c * (c - 1)).sum(axis=1) / (m * (m - 1)))) / n_pairable
    shares = (w[rated] @ (counts[rated] / per_unit[rated][:, None])) / n_rated
    expected = float((shares * (1.0 - shares)).sum()) / (q - 1)
    if np.isclose(expected, 1.0, rtol=0.0, atol=1e-12):
        return None
    return (observed - expected) / (1.0 - expected)


def alpha_interval(
    values: npt.ArrayLike,
    *,
    samples: int,
    seed: int = 0,
    n_values: int | None = None,
    weights: npt.ArrayLike | None = None,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """A bootstrap *level* interval for Krippendorff's alpha (percentile method).

    Each of *samples* replicates draws the units again with replacement (a
    row of weight ``w`` stands for ``w`` units, so character runs are drawn in
    proportion to their length) and computes alpha; the interval is the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the replicates
    where alpha is defined. The same *seed* gives the same interval.
    Returns ``None`` when no replicate has an alpha.
    """
    data = _matrix(values)
    w = _weights(data.shape[0], weights)
    total = int(round(float(w.sum())))
    if samples < 1 or total == 0:
        return None
    q = _n_values(data, n_values)
    counts = _value_counts(data, q)
    per_unit = counts.sum(axis=1)
    keep = per_unit >= 2
    # Each pairable unit's contribution to the coincidence matrix, flattened.
    c = counts[keep]
    contrib = (c[:, :, None] * c[:, None, :]) / (per_unit[keep] - 1.0)[:, None, None]
    diagonal = np.arange(q)
    contrib[:, diagonal, diagonal] -= c / (per_unit[keep] - 1.0)[:, None]
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(total, w / w.sum(), size=samples)[:, keep]
    matrices = (draws @ contrib.reshape(len(c), q * q)).reshape(samples, q, q)
    alphas = [a for a in (nominal_alpha(o) for o in matrices) if a is not None]
    if not alphas:
        return None
    low, high = np.quantile(alphas, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(low), float(high)
