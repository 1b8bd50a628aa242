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
import numpy.typing as npt

from mllifecycle.drift._common import FloatArray

__all__ = [
    "ks_statistic_columns",
    "ks_pvalues",
    "ks_statistic_fitted",
    "sortable_keys",
    "MAX_EXACT_N",
]

MAX_EXACT_N = 10000  # scipy's MAX_AUTO_N


_SIGN = np.uint64(1 << 63)
_ONE = np.uint64(1)


_LOW63 = np.uint64(0x7FFFFFFFFFFFFFFF)


def sortable_keys(z_t: FloatArray, *, overwrite: bool = False) -> npt.NDArray[np.uint64]:
    """Order-preserving unsigned integer keys of finite floats (-0.0 == +0.0).

    With ``overwrite`` the keys are computed in ``z_t``'s own memory.
    """
    if overwrite:
        np.add(z_t, 0.0, out=z_t)  # -0.0 -> +0.0
        bits = z_t.view(np.uint64)
    else:
        bits = (z_t + 0.0).view(np.uint64)
    mask = bits >> np.uint64(63)
    mask *= _LOW63
    mask |= _SIGN  # all ones for negatives, the sign bit for the rest
    bits ^= mask
    return bits


def _d_from_keys(keys: npt.NDArray[np.uint64], n1: int, n2: int) -> FloatArray:
    """Sup |F1 - F2| from the pooled keys (p, n1 + n2), reference first.

    Two fast (SIMD) sorts replace an argsort: one of the keys with the sample
    label written into the lowest bit, one of the full keys. Where two pooled
    values differ only in that lowest bit (adjacent floats, which the label
    bit would merge) the column falls back to an argsort, so the result is
    always exact: scipy's floats, recovered from exact integer counts.
    """
    p = keys.shape[0]
    packed = keys & ~_ONE
    packed[:, :n1] |= _ONE
    packed.sort(axis=1)
    # adjacent equal keys once the label bit is dropped: ties, or (rarely) two
    # values one unit in the last place apart; only then is a second sort of
    # the full keys needed to tell them apart
    merged = (packed[:, 1:] ^ packed[:, :-1]) <= _ONE
    if merged.any():
        full = np.sort(keys, axis=1)
        step = full[:, 1:] ^ full[:, :-1]  # 0: tie, 1: values the label bit merges
        clash = np.flatnonzero((step == _ONE).any(axis=1))
        end = step != 0
    else:
        clash = np.zeros(0, dtype=np.intp)
        end = None
    small = n1 * n2 < 2**31 - 1
    w: Any = (packed & _ONE).astype(np.int32 if small else np.int64)
    w *= n1 + n2
    w -= n1  # reference +n2, current -n1
    v = np.cumsum(w, axis=1, dtype=w.dtype)  # n2 * c1 - n1 * c2 at each position
    if end is not None:
        v[:, :-1] *= end  # tie-group ends only; 0 is attained at the end anyway
    rows = np.arange(p)

    def value_at(idx: Any) -> FloatArray:
        t = idx + 1
        vv = v[rows, idx].astype(np.int64)
        c1 = (vv + n1 * t) // (n1 + n2)
        # v == 0 means F1 == F2 exactly (also where v was masked inside a tie)
        out: FloatArray = np.where(vv == 0, 0.0, c1 / n1 - (t - c1) / n2)
        return out

    max_s = value_at(v.argmax(axis=1))
    min_s = np.clip(-value_at(v.argmin(axis=1)), 0.0, 1.0)
    out = np.maximum(max_s, min_s)
    for r in clash.tolist():  # exact fallback
        out[r] = _d_argsort(keys[r : r + 1], n1, n2)[0]
    return np.asarray(out, dtype=np.float64)


def _d_argsort(keys: npt.NDArray[np.uint64], n1: int, n2: int) -> FloatArray:
    order = np.argsort(keys, axis=1, kind="stable")
    ks = np.take_along_axis(keys, order, axis=1)
    c1 = np.cumsum(order < n1, axis=1)
    c2 = np.arange(1, n1 + n2 + 1) - c1
    diff = c1 / n1 - c2 / n2
    diff[:, :-1][ks[:, 1:] == ks[:, :-1]] = 0.0
    out: FloatArray = np.maximum(diff.max(axis=1), np.clip(-diff.min(axis=1), 0.0, 1.0))
    return out


def _blocks(p: int, n_total: int) -> range:
    """Column blocks small enough (~256 kB a temporary) to stay in cache."""
    step = max(1, (1 << 15) // max(1, n_total))
    return range(0, p, step)


def ks_statistic_columns(x: FloatArray, y: FloatArray) -> FloatArray:
    """KS statistic of every column of ``x`` (n1, p) against ``y`` (n2, p)."""
    n1, n2 = x.shape[0], y.shape[0]
    p = x.shape[1]
    out = np.empty(p)
    x_t = np.ascontiguousarray(x.T)
    y_t = np.ascontiguousarray(y.T)
    blocks = _blocks(p, n1 + n2)
    for start in blocks:
        stop = min(p, start + blocks.step)
        z_t = np.empty((stop - start, n1 + n2))
        z_t[:, :n1] = x_t[start:stop]
        z_t[:, n1:] = y_t[start:stop]
        out[start:stop] = _d_from_keys(sortable_keys(z_t, overwrite=True), n1, n2)
    return out


def ks_statistic_fitted(ref_keys: npt.NDArray[np.uint64], y: FloatArray) -> FloatArray:
    """KS statistics against a reference whose keys (p, n1) were computed once."""
    p, n1 = ref_keys.shape
    n2 = y.shape[0]
    out = np.empty(p)
    y_t = np.ascontiguousarray(y.T, dtype=np.float64)
    if y_t is y or np.shares_memory(y_t, y):
        y_t = y_t.copy()
    y_keys = sortable_keys(y_t, overwrite=True)
    blocks = _blocks(p, n1 + n2)
    for start in blocks:
        stop = min(p, start + blocks.step)
        keys = np.empty((stop - start, n1 + n2), dtype=np.uint64)
        keys[:, :n1] = ref_keys[start:stop]
        keys[:, n1:] = y_keys[start:stop]
        out[start:stop] = _d_from_keys(keys, n1, n2)
    return out


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
