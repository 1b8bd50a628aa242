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

from mllifecycle._ks_null import exact_unequal, prob_outside_square
from mllifecycle.drift._common import FloatArray

__all__ = [
    "ks_statistic_columns",
    "ks_pvalues",
    "ks_statistic_sorted",
    "MAX_EXACT_N",
]

MAX_EXACT_N = 10000  # scipy's MAX_AUTO_N


_ONE = np.uint64(1)
_NEGATIVE_ZERO = np.uint64(1 << 63)  # the bits of -0.0


def _d_from_pooled(z_t: FloatArray, n1: int, n2: int) -> FloatArray:
    """Sup |F1 - F2| from the pooled sample rows ``z_t`` (p, n1 + n2), reference first.

    ``z_t`` holds no -0.0 (see :func:`ks_statistic_columns`) and is left as
    given. The sample label is written into the lowest mantissa bit of each
    value and the rows are sorted as floats (one fast SIMD sort, no argsort
    and no integer keys). Clearing or setting that bit moves a value by at
    most one unit in the last place, so values keep their order except where
    two pooled values differ only in that bit (ties, or adjacent floats): only
    there is a second sort of the plain values needed, and where adjacent
    floats meet the column falls back to an argsort. A packed infinity
    becomes NaN (sorted last), and such columns take the argsort fallback too.
    The result is always exact: scipy's floats, recovered from exact integer
    counts.
    """
    bits = z_t.view(np.uint64)
    packed_bits = bits & ~_ONE
    packed_bits[:, :n1] |= _ONE
    packed = packed_bits.view(np.float64)
    packed.sort(axis=1)
    # adjacent values equal once the label bit is dropped: ties, or (rarely)
    # two values one unit in the last place apart; only then is a sort of the
    # plain values needed to tell them apart. A -5e-324 of the current sample
    # packs to -0.0, which sorts among the +0.0s, so a tie of -5e-324s need not
    # be adjacent: where -0.0 appears, the plain values are sorted too. (The
    # reordered values are all of the current sample, so at the tie-group ends
    # of the plain sort the walk is right.)
    merged = (packed_bits[:, 1:] ^ packed_bits[:, :-1]) <= _ONE
    fallback = np.flatnonzero(np.isnan(packed[:, -1]))  # a packed infinity
    if merged.any() or (packed_bits == _NEGATIVE_ZERO).any():
        full = np.sort(z_t, axis=1).view(np.uint64)
        step = full[:, 1:] ^ full[:, :-1]  # 0: tie, 1: values the label bit merges
        clash = np.flatnonzero((step == _ONE).any(axis=1))
        fallback = np.union1d(fallback, clash)
        end = step != 0
    else:
        end = None
    small = n1 * n2 < 2**31 - 1
    v: Any = np.empty(packed_bits.shape, dtype=np.int32 if small else np.int64)
    np.bitwise_and(packed_bits, _ONE, out=v, casting="unsafe")  # the labels
    v *= n1 + n2
    v -= n1  # reference +n2, current -n1
    np.cumsum(v, axis=1, out=v)  # n2 * c1 - n1 * c2 at each position
    if end is not None:
        v[:, :-1] *= end  # tie-group ends only; 0 is attained at the end anyway
    out = _d_from_walk(v, n1, n2)
    for r in fallback.tolist():  # exact fallback
        out[r] = _d_argsort(z_t[r : r + 1], n1, n2)[0]
    return out


def _d_from_walk(v: Any, n1: int, n2: int) -> FloatArray:
    """D from the walk ``v = n2 * c1 - n1 * c2`` along the pooled sorted sample.

    The float is taken at the first position attaining the integer extreme, as
    ``c1 / n1 - c2 / n2`` (scipy's expression), so that every path computing
    the statistic (pooled sort, argsort fallback, fitted reference) returns
    the same bits.
    """
    p = v.shape[0]
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
    return np.asarray(np.maximum(max_s, min_s), dtype=np.float64)


def _d_argsort(z: FloatArray, n1: int, n2: int) -> FloatArray:
    order = np.argsort(z, axis=1, kind="stable")
    ks = np.take_along_axis(z, order, axis=1)
    w = np.where(order < n1, np.int64(n2), np.int64(-n1))
    v = np.cumsum(w, axis=1)
    v[:, :-1] *= ks[:, 1:] != ks[:, :-1]
    return _d_from_walk(v, n1, n2)


def _blocks(p: int, n_total: int) -> range:
    """Column blocks small enough (~256 kB a temporary) to stay in cache."""
    step = max(1, (1 << 15) // max(1, n_total))
    return range(0, p, step)


def ks_statistic_columns(x: FloatArray, y: FloatArray) -> FloatArray:
    """KS statistic of every column of ``x`` (n1, p) against ``y`` (n2, p)."""
    n1, n2 = x.shape[0], y.shape[0]
    p = x.shape[1]
    out = np.empty(p)
    blocks = _blocks(p, n1 + n2)
    for start in blocks:
        stop = min(p, start + blocks.step)
        z_t = np.empty((stop - start, n1 + n2))
        # one transposing copy, no intermediate; adding 0.0 makes -0.0 +0.0,
        # so that equal values have equal bits
        np.add(x[:, start:stop].T, 0.0, out=z_t[:, :n1])
        np.add(y[:, start:stop].T, 0.0, out=z_t[:, n1:])
        out[start:stop] = _d_from_pooled(z_t, n1, n2)
    return out


_STRIDE = 16  # window positions looked up first: every 16th


def _right_counts(u: FloatArray) -> npt.NDArray[np.int64]:
    """``#{u[j] <= u[j, k]}`` for rows sorted ascending; shape (m,) without ties."""
    p, m = u.shape
    idx = np.arange(1, m + 1, dtype=np.int64)
    eq = u[:, 1:] == u[:, :-1]
    if not eq.any():
        return idx
    end = np.ones((p, m), dtype=bool)
    end[:, :-1] = ~eq
    last = np.where(end, idx, np.int64(m))  # the count at a tie group's last member
    out: npt.NDArray[np.int64] = np.minimum.accumulate(last[:, ::-1], axis=1)[:, ::-1]
    return out


def _lookup(
    ref: FloatArray,
    u: FloatArray,
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    side: Any,
) -> npt.NDArray[np.int64]:
    """``searchsorted(ref[j], u[j, k], side)`` for pairs ``(j, k)`` sorted by row."""
    out = np.empty(rows.shape[0], dtype=np.int64)
    if rows.shape[0] == 0:
        return out
    vals = u[rows, cols]
    bounds = np.searchsorted(rows, np.arange(ref.shape[0] + 1)).tolist()
    for j in range(ref.shape[0]):
        lo, hi = bounds[j], bounds[j + 1]
        if lo < hi:
            out[lo:hi] = ref[j].searchsorted(vals[lo:hi], side)
    return out


def ks_statistic_sorted(ref: FloatArray, y: FloatArray, stride: int = _STRIDE) -> FloatArray:
    """KS statistics of the columns of ``y`` (m, p) against sorted rows ``ref`` (p, n).

    The reference rows were sorted once (at fit time); only the window is
    sorted here, and the reference is never merged with it. With the window
    sorted, ``u_1 <= ... <= u_m``, ``c_k = #{u <= u_k}`` (``c_0 = 0``),
    ``R_k = #{ref <= u_k}`` and ``L_k = #{ref < u_k}``: between two window
    values only ``F_ref`` moves, upwards, so the supremum is attained just
    before or at a window value::

        D+ = max_k  L_k / n - c_{k-1} / m        D- = max_k  c_k / m - R_k / n

    computed in exact integers ``V = m a - n b``. ``R`` and ``L`` are looked
    up (``searchsorted``) at every 16th window value only. They are
    non-decreasing in ``k``, so for the positions between two looked-up ones
    ``L_k <= R_hi`` and ``R_k >= L_lo`` bound the terms; only the intervals
    whose bound reaches the best looked-up term (a few, near the extremes) are
    looked up in full. Cost: one sort of the window plus
    ``O((m / 16 + r) log n)`` lookups, ``r`` the refined positions, instead of
    a sort of ``n + m`` values per window.

    The float is taken at the first ``k`` attaining the integer extreme, as in
    :func:`_d_from_walk` (those are the same positions of the pooled walk), so
    the result equals :func:`ks_statistic_columns`'s bit for bit. ``ref`` and
    ``y`` must be finite. ``stride`` (>= 1) only trades lookups for bounds.
    """
    ref = np.ascontiguousarray(ref, dtype=np.float64)
    p, n = ref.shape
    m = y.shape[0]
    u = np.array(y.T, dtype=np.float64, order="C")  # a copy, sorted in place
    u.sort(axis=1)
    c = _right_counts(u)  # (m,) or (p, m)
    if m <= 4 * stride:
        stride = 1
    samples = np.arange(0, m, stride)
    if samples[-1] != m - 1:
        samples = np.append(samples, m - 1)
    q = samples.shape[0]
    # exact R and L at the samples (L differs from R only where u ties ref)
    r_s, l_s = _rank_both(ref, u, np.repeat(np.arange(p), q), np.tile(samples, p))
    r_s = r_s.reshape(p, q)
    l_s = l_s.reshape(p, q)
    c_s = c[..., samples]
    cprev_s = np.where(samples > 0, c[..., np.maximum(samples - 1, 0)], 0)
    v_ps = m * l_s - n * cprev_s  # D+ terms at the samples
    v_ms = m * r_s - n * c_s  # D- terms at the samples
    best_p = v_ps.max(axis=1, keepdims=True)
    best_m = v_ms.min(axis=1, keepdims=True)
    # inside interval i (between samples i and i + 1): c_{k-1} >= c at sample
    # i and L_k <= R at sample i + 1 (D+); c_k <= c_{k-1} at sample i + 1 and
    # R_k >= L at sample i (D-). Only intervals whose bound reaches the best
    # sampled term can hold the extreme (or its first occurrence).
    top_r = m * r_s[:, 1:]
    low_l = m * l_s[:, :-1]
    rows_p, ivl_p = np.divmod(np.flatnonzero(top_r - n * c_s[..., :-1] >= best_p), q - 1)
    rows_m, ivl_m = np.divmod(np.flatnonzero(low_l - n * cprev_s[..., 1:] <= best_m), q - 1)
    start_p, stop_p = samples[ivl_p] + 1, samples[ivl_p + 1]
    start_m, stop_m = samples[ivl_m] + 1, samples[ivl_m + 1]
    if c.ndim == 1:
        # no ties in the window: c_k = k + 1, so the bound is known position
        # by position and only a prefix (D+) or suffix (D-) of an interval
        # can reach the best sampled term
        reach = (top_r[rows_p, ivl_p] - best_p[rows_p, 0]) // n + 1
        stop_p = np.minimum(stop_p, reach)
        need = -((best_m[rows_m, 0] - low_l[rows_m, ivl_m]) // n) - 1
        start_m = np.maximum(start_m, need)
    rows_p, cols_p = _spans(rows_p, start_p, stop_p)
    rows_m, cols_m = _spans(rows_m, start_m, stop_m)
    vals_p = m * _lookup(ref, u, rows_p, cols_p, "left") - n * _count(c, rows_p, cols_p - 1)
    vals_m = m * _lookup(ref, u, rows_m, cols_m, "right") - n * _count(c, rows_m, cols_m)
    # each row's extreme and the first position attaining it, over the samples
    # and the refined positions (no (p, m) temporaries: on a busy machine
    # fresh pages cost more than the arithmetic here)
    top_p, k_p = _first_extreme(v_ps, samples, rows_p, cols_p, vals_p, m, np.maximum)
    top_m, k_m = _first_extreme(v_ms, samples, rows_m, cols_m, vals_m, m, np.minimum)
    ar = np.arange(p)
    b_p = _count(c, ar, k_p - 1)
    b_m = _count(c, ar, k_m)
    a_p = (top_p + n * b_p) // m
    a_m = (top_m + n * b_m) // m
    d_plus = np.where(top_p > 0, a_p / n - b_p / m, 0.0)
    d_minus = np.where(top_m < 0, -(a_m / n - b_m / m), 0.0)
    return np.asarray(np.maximum(d_plus, d_minus), dtype=np.float64)


def _spans(
    rows: npt.NDArray[np.intp], start: npt.NDArray[np.intp], stop: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row and column of every position in ``[start, stop)``, span by span."""
    length = np.maximum(stop - start, 0)
    total = int(length.sum())
    offset = np.cumsum(length) - length
    cols = np.arange(total) - np.repeat(offset - start, length)
    return np.repeat(rows, length), cols


def _first_extreme(
    at_samples: npt.NDArray[np.int64],
    samples: npt.NDArray[np.intp],
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    vals: npt.NDArray[np.int64],
    m: int,
    better: np.ufunc,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Per row: the extreme value and the smallest position attaining it."""
    top = better.reduce(at_samples, axis=1)
    if rows.shape[0]:
        better.at(top, rows, vals)
    first = np.where(at_samples == top[:, None], samples, m).min(axis=1)
    hit = vals == top[rows]
    np.minimum.at(first, rows[hit], cols[hit])
    return top, first


def _rank_both(
    ref: FloatArray, u: FloatArray, rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``R = #{ref <= u}`` and ``L = #{ref < u}`` at the pairs (row-major order)."""
    r = _lookup(ref, u, rows, cols, "right")
    val = u[rows, cols]
    n = ref.shape[1]
    before = ref.reshape(-1)[rows * n + np.maximum(r - 1, 0)]
    tie = (before == val) & (r > 0)
    if not tie.any():
        return r, r
    left = r.copy()
    left[tie] = _lookup(ref, u, rows[tie], cols[tie], "left")
    return r, left


def _count(
    c: npt.NDArray[np.int64], rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """``c[rows, cols]`` (``c`` of shape (m,) or (p, m)), 0 where ``cols == -1``."""
    safe = np.maximum(cols, 0)
    got = c[safe] if c.ndim == 1 else c[rows, safe]
    out: npt.NDArray[np.int64] = np.where(cols >= 0, got, 0)
    return out


_prob_outside_square = prob_outside_square  # the one copy, in mllifecycle._ks_null


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
                prob = _prob_outside_square(n1, int(h))
                ok = bool(0.0 <= prob <= 1.0)
            else:
                ok, _, prob = exact_unequal(n1, n2, h * 1.0 / lcm)
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
