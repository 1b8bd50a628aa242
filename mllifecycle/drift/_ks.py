"""Two-sample Kolmogorov-Smirnov statistics and p-values for many columns at once.

The p-values reproduce :func:`scipy.stats.ks_2samp` with ``method='auto'``:
exact when both samples have at most 10 000 values, Smirnov's asymptotic
distribution (``kstwo`` at the effective size) otherwise, and the statistic is
rounded to a multiple of ``1/lcm(n1, n2)`` in the exact branch, as scipy does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mllifecycle.drift._common import FloatArray

__all__ = [
    "ks_statistic_columns",
    "ks_statistic_sorted_ref",
    "ks_pvalues",
    "MAX_EXACT_N",
]

MAX_EXACT_N = 10000  # scipy's MAX_AUTO_N


def _d_from_order(z: FloatArray, order: Any, n1: int, n2: int) -> FloatArray:
    """Sup |F1 - F2| given the pooled values ``z`` (p, N) and their sort order."""
    zs = np.take_along_axis(z, order, axis=1)
    cum_ref = np.cumsum(order < n1, axis=1)
    cum_cur = np.arange(1, n1 + n2 + 1) - cum_ref
    diff = cum_ref / n1 - cum_cur / n2
    # evaluate only at the last element of each tie group (searchsorted 'right')
    not_end = np.zeros(zs.shape, dtype=bool)
    not_end[:, :-1] = zs[:, :-1] == zs[:, 1:]
    diff[not_end] = 0.0  # 0 is attained at the last point anyway
    max_s = diff.max(axis=1)
    min_s = np.clip(-diff.min(axis=1), 0.0, 1.0)
    out: FloatArray = np.maximum(max_s, min_s)
    return out


def ks_statistic_columns(x: FloatArray, y: FloatArray) -> FloatArray:
    """KS statistic of every column of ``x`` (n1, p) against ``y`` (n2, p)."""
    n1, n2 = x.shape[0], y.shape[0]
    z = np.concatenate([x, y], axis=0).T.copy()
    order = np.argsort(z, axis=1)
    return _d_from_order(z, order, n1, n2)


def ks_statistic_sorted_ref(xs_t: FloatArray, y: FloatArray) -> FloatArray:
    """KS statistics with a pre-sorted, transposed reference ``xs_t`` (p, n1).

    The current sample is sorted, then the two sorted runs are merged by a
    stable sort, which is linear for two runs.
    """
    n1, n2 = xs_t.shape[1], y.shape[0]
    ys_t = np.sort(np.ascontiguousarray(y.T), axis=1)
    z = np.concatenate([xs_t, ys_t], axis=1)
    order = np.argsort(z, axis=1, kind="stable")
    return _d_from_order(z, order, n1, n2)


def _prob_outside_square(n: int, h: int) -> float:
    """Vectorised twin of scipy's ``_compute_prob_outside_square(n, h)``.

    ``P(D_{n,n} >= h/n) = 2 * sum_k (-1)^k prod_{i<=k} p_i`` with
    ``p_k = prod_{j<h} (n - k h - j) / (n + k h + j + 1)`` (Hodges 1958).
    """
    k_max = n // h
    k = np.arange(k_max + 1)[:, None]
    j = np.arange(h)[None, :]
    terms = (n - k * h - j) / (n + k * h + j + 1.0)
    p1 = np.prod(terms, axis=1)
    cp = np.cumprod(p1)
    signs = np.where(np.arange(k_max + 1) % 2 == 0, 1.0, -1.0)
    return float(2.0 * np.sum(signs * cp))


def _exact_unequal(n1: int, n2: int, d: float) -> tuple[bool, float, float]:
    from scipy.stats import _stats_py

    g = math.gcd(n1, n2)
    ok, d2, prob = _stats_py._attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
    return bool(ok), float(d2), float(prob)


def ks_pvalues(
    d: FloatArray, n1: int, n2: int, cache: dict[Any, Any] | None = None
) -> tuple[FloatArray, FloatArray]:
    """Return (statistic, p-value) per column, as scipy's ``ks_2samp`` 'auto'.

    ``cache`` maps ``(n1, n2, h)`` to exact p-values; a fitted reference keeps
    one, because windows of one size hit the same few lattice values.
    """
    from scipy import stats

    d = np.asarray(d, dtype=np.float64).copy()
    p = np.empty_like(d)
    asymp = np.zeros(d.shape, dtype=bool)
    if max(n1, n2) <= MAX_EXACT_N:
        g = math.gcd(n1, n2)
        lcm = (n1 // g) * n2
        hs = np.round(d * lcm).astype(np.int64)
        d = hs * 1.0 / lcm
        for h in np.unique(hs).tolist():
            sel = hs == h
            key = (n1, n2, h)
            if cache is not None and key in cache:
                ok, prob = cache[key]
            elif h == 0:
                ok, prob = True, 1.0
            elif n1 == n2:
                with np.errstate(all="ignore"):
                    prob = _prob_outside_square(n1, int(h))
                ok = bool(0.0 <= prob <= 1.0)
            else:
                ok, _, prob = _exact_unequal(n1, n2, h * 1.0 / lcm)
                ok = ok and bool(0.0 <= prob <= 1.0)
            if cache is not None:
                cache[key] = (ok, prob)
            if ok:
                p[sel] = prob
            else:
                asymp[sel] = True
    else:
        asymp[:] = True
    if asymp.any():
        m, n = sorted([float(n1), float(n2)], reverse=True)
        en = m * n / (m + n)
        p[asymp] = stats.kstwo.sf(d[asymp], np.round(en))
    return d, np.clip(p, 0.0, 1.0)
