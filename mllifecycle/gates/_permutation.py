"""The paired permutation (swap) test: exact for small and imbalanced samples.

Under H0 "the two models are interchangeable", swapping the champion's and the
challenger's outputs on any set of rows leaves the joint distribution of the
data unchanged, so the observed difference is one draw from the distribution
of the difference over all ``2^k`` swaps of the ``k`` rows on which the models
differ. Referring the observed difference to that distribution gives a test
whose level is exact at every sample size (Fisher 1935; Good 2005). For ROC
AUC each model's scores are first replaced by their ranks, so that swapping
never mixes two scales (Venkatraman & Begg 1996).

This module computes the swap distribution for every metric the gates know:

- *linear* metrics (accuracy, error rate, log loss, Brier score, MAE, MSE):
  the difference is ``sum_i e_i D_i / W`` with signs ``e_i = +-1``; its exact
  distribution is a convolution of scaled binomials over the distinct values
  of ``|D_i|`` (one binomial for unweighted accuracy: the exact McNemar test);
- *ratio-of-sums* metrics (precision, recall, F1, ECE): the swapped sums are
  ``S + M @ D`` for a 0/1 swap matrix ``M``;
- ROC AUC: the rank-sum of the positives in each swapped rank vector;
- callables: one call per swap (the slow path).

The full set of ``2^k`` swaps is enumerated when it has at most
``n_resamples`` members; otherwise ``n_resamples`` random swaps are drawn and
the p-value is ``(1 + #{T* >= T}) / (1 + n_resamples)``, which is also a valid
p-value (Phipson & Smyth 2010).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._progress import make_progress
from mllifecycle._resample import map_chunks
from mllifecycle.gates._metrics import Problem, _beyond_float, _call

__all__ = [
    "SwapDistribution",
    "swap_distribution",
    "differing_rows",
    "permutation_seconds",
    "LINEAR_METRICS",
    "MAX_PERMUTATION_SECONDS",
]

FloatArray = npt.NDArray[np.float64]

#: metrics whose value is a weighted mean of per-example terms
LINEAR_METRICS = (
    "accuracy",
    "error_rate",
    "log_loss",
    "brier_score",
    "mean_absolute_error",
    "mean_squared_error",
)

# largest support of an exact convolution, and rows per block of swaps
_MAX_SUPPORT = 1 << 20
_BLOCK_ELEMENTS = 1 << 21


@attrs.frozen
class SwapDistribution:
    """The swap distribution of the difference ``challenger - champion``.

    ``values`` with probabilities ``weights`` (exact) or equal weights
    (Monte-Carlo draws, ``exact=False``). ``observed`` is the difference
    without a swap, computed by the same arithmetic as ``values`` (the
    difference of the two metric values can differ from it by rounding: on
    close models with large metric values, by more than the spacing of
    ``values``); refer it, not that difference, to ``values``.
    """

    values: FloatArray
    weights: FloatArray | None
    exact: bool
    n_differing: int
    n_resamples: int
    how: str
    observed: float = 0.0

    def p_greater(self, observed: float) -> float:
        """P(T* >= observed): one-sided p-value of H1 difference > 0."""
        # equal in exact arithmetic: within rounding of the largest |value|
        tol = 1e-9 * max(abs(observed), float(np.abs(self.values).max(initial=0.0)))
        hit = self.values >= observed - tol
        if self.exact:
            assert self.weights is not None
            return float(min(1.0, self.weights[hit].sum()))
        return float((1.0 + np.count_nonzero(hit)) / (1.0 + self.values.size))

    def p_less(self, observed: float) -> float:
        """P(T* <= observed): one-sided p-value of H1 difference < 0."""
        flipped = attrs.evolve(self, values=-self.values)
        return flipped.p_greater(-observed)


def _ranks(x: FloatArray) -> FloatArray:
    from scipy.stats import rankdata

    return np.asarray(rankdata(x, method="average"), dtype=np.float64)


def _swap_columns(problem: Problem) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Columns of ``problem.F`` that belong to the champion and to the challenger."""
    name = problem.spec.name
    if name in ("precision", "recall", "f1"):
        return np.arange(3), np.arange(3, 6)
    if name == "expected_calibration_error":
        k = problem.n_bins
        return np.arange(k), np.arange(k, 2 * k)
    return np.array([0]), np.array([1])


def differing_rows(problem: Problem) -> npt.NDArray[np.intp]:
    """Return the rows a swap changes (where the models' outputs differ)."""
    if problem.F is not None:
        ia, ib = _swap_columns(problem)
        D = problem.F[:, ib] - problem.F[:, ia]
        return np.flatnonzero(np.any(D != 0, axis=1))
    if problem.scores is not None:
        ra, rb = _ranks(problem.scores[0]), _ranks(problem.scores[1])
        rows = np.flatnonzero(ra != rb)
        if problem.group_of is not None:  # cluster swaps: the groups holding such rows
            return np.unique(problem.group_of[rows])
        return rows
    assert problem.arrays is not None
    _, a, b = problem.arrays
    ne: npt.NDArray[np.bool_] = np.asarray(a != b, dtype=bool)
    if ne.ndim > 1:
        ne = np.asarray(ne.reshape(ne.shape[0], -1).any(axis=1), dtype=bool)
    return np.flatnonzero(ne)


def _masks_all(k: int) -> npt.NDArray[np.bool_]:
    """All ``2^k`` subsets of ``k`` rows as a (2^k, k) boolean matrix."""
    codes = np.arange(1 << k, dtype=np.int64)
    return ((codes[:, None] >> np.arange(k)) & 1).astype(bool)


def _exact_blocks(k: int, width: int) -> Any:
    """Yield all ``2^k`` swap masks in blocks (rows: swaps, columns: differing rows)."""
    per = max(1, _BLOCK_ELEMENTS // max(width, 1))
    allm = _masks_all(k)
    for s in range(0, 1 << k, per):
        yield allm[s : s + per]


def _random_values(
    values_of: Callable[[npt.NDArray[np.bool_]], FloatArray], k: int, width: int
) -> Callable[[int, np.random.Generator], FloatArray]:
    """One chunk's work: ``size`` random swaps drawn from its own stream, in blocks."""
    per = max(1, _BLOCK_ELEMENTS // max(width, 1))

    def chunk(size: int, gen: np.random.Generator) -> FloatArray:
        parts = []
        done = 0
        while done < size:
            m = min(per, size - done)
            parts.append(values_of(gen.random((m, k)) < 0.5))
            done += m
        return np.concatenate(parts)

    return chunk


def _linear_exact(
    D: FloatArray, total: float
) -> tuple[FloatArray, FloatArray, float] | None:
    """Exact distribution of ``sum_i e_i D_i / total`` over random signs ``e``.

    Returns ``(values, probabilities, observed)``; ``observed`` (all signs
    +1) is computed on the same grid of rounded magnitudes as ``values``.
    """
    from scipy.stats import binom

    mags = np.abs(D)
    scale = float(mags.max(initial=0.0))
    if scale == 0.0:
        return np.zeros(1), np.ones(1), 0.0
    # group equal magnitudes (relative tolerance) so the support stays small
    key = np.round(mags / scale * 1e9).astype(np.int64)
    grid_sum = int(np.sum(np.where(D < 0, -key, key)))  # exact: integers
    observed = float(np.asarray(grid_sum / 1e9 * scale, dtype=np.float64) / total)
    uniq, counts = np.unique(key, return_counts=True)
    if float(np.prod(counts + 1.0)) > _MAX_SUPPORT:
        return None
    values: FloatArray = np.zeros(1)
    probs: FloatArray = np.ones(1)
    for u, c in zip(uniq.tolist(), counts.tolist(), strict=True):
        v = u / 1e9 * scale
        if values.size * (c + 1) > _MAX_SUPPORT:
            return None
        j = np.arange(c + 1)
        step = v * (2 * j - c)  # j positive signs among c
        pm = binom.pmf(j, c, 0.5)
        values = (values[:, None] + step[None, :]).ravel()
        probs = (probs[:, None] * pm[None, :]).ravel()
        # merge equal sums
        r = np.round(values / scale * 1e9).astype(np.int64)
        r_u, inv = np.unique(r, return_inverse=True)
        probs = np.asarray(np.bincount(inv, weights=probs), dtype=np.float64)
        values = np.asarray(r_u / 1e9 * scale, dtype=np.float64)
    return values / total, probs, observed


def swap_distribution(
    problem: Problem,
    n_resamples: int,
    rng: np.random.Generator,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
) -> SwapDistribution:
    """Distribution of the difference over swaps of the models' outputs per row.

    Random swaps are drawn in chunks with their own streams
    (:func:`mllifecycle._resample.map_chunks`), so the distribution is the
    same for every ``n_jobs`` and joblib backend.
    """
    rows = differing_rows(problem)
    k = int(rows.size)
    if k == 0:
        return SwapDistribution(
            values=np.zeros(1),
            weights=np.ones(1),
            exact=True,
            n_differing=0,
            n_resamples=1,
            how="exact: the models agree on every example",
            observed=0.0,
        )
    exact = k < 63 and (1 << k) <= n_resamples
    name = problem.spec.name
    values_of: Callable[[npt.NDArray[np.bool_]], FloatArray]
    if problem.F is not None and name in LINEAR_METRICS:
        ia, ib = _swap_columns(problem)
        D = problem.F[rows, ib[0]] - problem.F[rows, ia[0]]
        total = float(problem.F[:, 2].sum())
        dist = _linear_exact(D, total)
        if dist is not None:
            vals, probs, obs = dist
            return SwapDistribution(
                values=vals,
                weights=probs,
                exact=True,
                n_differing=k,
                n_resamples=int(vals.size),
                how=f"exact sign-flip distribution over 2^{k} swaps",
                observed=obs,
            )
        values_of = _linear_values(D, total)
        width = k
    elif problem.F is not None:
        values_of = _sums_values(problem, rows)
        width = k + problem.F.shape[1]
    elif problem.scores is not None and problem.group_of is not None:
        values_of = _auc_group_values(problem, rows)
        width = problem.n
    elif problem.scores is not None:
        values_of = _auc_values(problem, rows)
        width = problem.n
    else:
        values_of = _callable_values(problem, rows)
        width = k
    if exact:
        parts = []
        with make_progress(progress, 1 << k, "permutation", caller) as bar:
            for M in _exact_blocks(k, width):
                parts.append(values_of(M))
                bar.update(M.shape[0])
        values = np.concatenate(parts)
    else:
        chunks = map_chunks(
            _random_values(values_of, k, width),
            n_resamples,
            rng,
            n_jobs=n_jobs,
            progress=progress,
            caller=caller,
            desc="permutation",
        )
        values = np.concatenate(chunks)
    # the unswapped difference, by the same arithmetic as every swap
    observed = float(values_of(np.zeros((1, k), dtype=bool))[0])
    ok = np.isfinite(values)
    if not ok.all():
        values = values[ok]
    m = values.size
    unit = "rows" if problem.n_groups is None else "groups"
    kind = f"all 2^{k} swaps" if exact else f"{m} random swaps of {k} differing {unit}"
    return SwapDistribution(
        values=values,
        weights=np.full(m, 1.0 / m) if exact else None,
        exact=exact,
        n_differing=k,
        n_resamples=m,
        how=("exact: " if exact else "Monte-Carlo: ") + kind,
        observed=observed,
    )


def _linear_values(D: FloatArray, total: float) -> Callable[[npt.NDArray[np.bool_]], FloatArray]:
    def values_of(M: npt.NDArray[np.bool_]) -> FloatArray:
        eps = 1.0 - 2.0 * M
        return np.asarray(eps @ D / total, dtype=np.float64)

    return values_of


def _sums_values(
    problem: Problem, rows: npt.NDArray[np.intp]
) -> Callable[[npt.NDArray[np.bool_]], FloatArray]:
    assert problem.F is not None
    ia, ib = _swap_columns(problem)
    S = problem.F.sum(axis=0)
    D = problem.F[np.ix_(rows, ib)] - problem.F[np.ix_(rows, ia)]

    def values_of(M: npt.NDArray[np.bool_]) -> FloatArray:
        shift = M.astype(np.float64) @ D
        Sm = np.broadcast_to(S, (M.shape[0], S.size)).copy()
        Sm[:, ia] += shift
        Sm[:, ib] -= shift
        a, b = problem.evaluate(Sm)
        return np.asarray(b - a, dtype=np.float64)

    return values_of


def _auc_rows(R: FloatArray, positive: npt.NDArray[np.bool_], w: FloatArray | None) -> FloatArray:
    """ROC AUC of every row of scores ``R`` (b, n) whose values lie in [0, n]."""
    m = int(positive.sum())
    b, n = R.shape
    l_ = n - m
    if w is not None:
        from mllifecycle.gates._metrics import auc_weighted

        return np.array([auc_weighted(positive, r, w[None, :])[0] for r in R])
    # offset each row so that one flat sorted array serves every row's search
    off = (np.arange(b, dtype=np.float64) * (n + 2.0))[:, None]
    flat = np.sort(R, axis=1) + off
    flat = flat.ravel()
    q = (R[:, positive] + off).ravel()
    lo = np.searchsorted(flat, q, side="left")
    hi = np.searchsorted(flat, q, side="right")
    base = np.repeat(np.arange(b) * n, m)
    # midrank of each positive among all n values of its row (1-based)
    mid = (lo - base) + (hi - lo + 1) / 2.0
    s_pos = mid.reshape(b, m).sum(axis=1)
    return np.asarray((s_pos - m * (m + 1) / 2.0) / (m * l_), dtype=np.float64)


def _auc_few(
    ra: FloatArray, rb: FloatArray, positive: npt.NDArray[np.bool_], full: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """AUCs of both swapped models when one class has few examples.

    With ``k`` examples in the rarer class, each of them takes one of two
    values (its rank under either model) and its Mann-Whitney count against
    the other class is linear in the other class's swap indicators: all
    swaps' counts are one (b, l) @ (l, 2k) matrix product.
    """
    n = ra.size
    m = int(positive.sum())
    l_ = n - m
    q = positive if m <= l_ else ~positive
    qi = np.flatnonzero(q)
    oi = np.flatnonzero(~q)
    k = qi.size
    V = np.stack([ra[qi], rb[qi]], axis=1)  # (k, 2): the query's value under a / b

    def psi(x: FloatArray) -> FloatArray:
        d = V[:, :, None] - x[None, None, :]
        return np.asarray((d > 0) + 0.5 * (d == 0), dtype=np.float64)

    Pa = psi(ra[oi])
    Pb = psi(rb[oi])
    Ca = Pa.sum(axis=2)
    Cb = Pb.sum(axis=2)
    W = (Pb - Pa).reshape(2 * k, oi.size)
    G = (full[:, oi].astype(np.float64) @ W.T).reshape(-1, k, 2)
    sq = full[:, qi]
    num_a = np.where(sq, Ca[:, 1] + G[:, :, 1], Ca[:, 0] + G[:, :, 0]).sum(axis=1)
    num_b = np.where(sq, Cb[:, 0] - G[:, :, 0], Cb[:, 1] - G[:, :, 1]).sum(axis=1)
    auc_a = num_a / (m * l_)
    auc_b = num_b / (m * l_)
    if m > l_:  # the query class was the negatives: psi counted the other way
        auc_a, auc_b = 1.0 - auc_a, 1.0 - auc_b
    return np.asarray(auc_a, dtype=np.float64), np.asarray(auc_b, dtype=np.float64)


def _auc_values(
    problem: Problem, rows: npt.NDArray[np.intp]
) -> Callable[[npt.NDArray[np.bool_]], FloatArray]:
    assert problem.scores is not None
    assert problem.positive is not None
    positive = problem.positive
    weights = problem.weights
    ra = _ranks(problem.scores[0])
    rb = _ranks(problem.scores[1])
    n = ra.size
    k = rows.size
    m = int(positive.sum())
    small = min(m, n - m)
    few = small <= 64 and 2 * small * (n - small) <= _FEW_ENTRIES

    def values_of(M: npt.NDArray[np.bool_]) -> FloatArray:
        if k == n:
            full = M
        else:
            full = np.zeros((M.shape[0], n), dtype=bool)
            full[:, rows] = M
        if weights is None and few:
            aa, ab = _auc_few(ra, rb, positive, full)
        else:
            A = np.where(full, rb, ra)
            B = np.where(full, ra, rb)
            aa = _auc_rows(A, positive, weights)
            ab = _auc_rows(B, positive, weights)
        return np.asarray(ab - aa, dtype=np.float64)

    return values_of


def _auc_group_values(
    problem: Problem, groups: npt.NDArray[np.intp]
) -> Callable[[npt.NDArray[np.bool_]], FloatArray]:
    """Swap whole groups: a mask over the differing ``groups`` swaps all their rows."""
    assert problem.group_of is not None
    assert problem.n_groups is not None
    codes = problem.group_of
    n_groups = problem.n_groups
    by_rows = _auc_values(problem, np.arange(problem.n))

    def values_of(M: npt.NDArray[np.bool_]) -> FloatArray:
        full = np.zeros((M.shape[0], n_groups), dtype=bool)
        full[:, groups] = M
        return by_rows(full[:, codes])

    return values_of


def _swappable(
    a0: npt.NDArray[Any], b0: npt.NDArray[Any]
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Both models' outputs of one dtype, so rows can be swapped.

    Writing a row of one model into a copy of the other's array casts it to
    that array's dtype: a float prediction into an int array was truncated
    (0.7 became 0), a label ``"yes"`` into a ``<U2`` array became ``"ye"``,
    and the swap distribution (so the p-value) was that of other predictions.
    """
    if a0.dtype == b0.dtype:
        return a0, b0
    if a0.dtype.kind in "iu" and b0.dtype.kind in "iu":
        # int64 with uint64 promotes to float64: stay integers where they fit
        for dt in (np.int64, np.uint64):
            info = np.iinfo(dt)
            if all(x.size == 0 or (int(x.min()) >= info.min and int(x.max()) <= info.max)
                   for x in (a0, b0)):
                return a0.astype(dt), b0.astype(dt)
    try:
        common = np.promote_types(a0.dtype, b0.dtype)
    except TypeError:  # text and numbers: keep each value as it is
        common = np.dtype(object)
    if common.kind == "f" and (_beyond_float(a0) or _beyond_float(b0)):
        common = np.dtype(object)  # float64 would merge integers beyond 2**53
    return a0.astype(common), b0.astype(common)


def _callable_values(
    problem: Problem, rows: npt.NDArray[np.intp]
) -> Callable[[npt.NDArray[np.bool_]], FloatArray]:
    assert problem.arrays is not None
    assert problem.spec.func is not None
    func = problem.spec.func
    weights = problem.weights
    y, a0, b0 = problem.arrays
    a0, b0 = _swappable(a0, b0)

    def values_of(M: npt.NDArray[np.bool_]) -> FloatArray:
        out = np.empty(M.shape[0])
        for i, mrow in enumerate(M):
            a = a0.copy()
            b = b0.copy()
            sw = rows[mrow]
            a[sw], b[sw] = b0[sw], a0[sw]
            out[i] = _call(func, y, b, weights) - _call(func, y, a, weights)
        return out

    return values_of


#: Above this estimated time ``test="auto"`` does not run the permutation test
#: (large imbalanced samples): it warns and keeps the bootstrap or DeLong;
#: ``test="permutation"`` with fewer ``n_resamples`` forces it.
MAX_PERMUTATION_SECONDS = 30.0

# the rare-class AUC shortcut holds a (2k, l) matrix: at most this many entries
_FEW_ENTRIES = 1 << 23


def permutation_seconds(problem: Problem, n_resamples: int) -> float:
    """Rough time of :func:`swap_distribution` on one core of a typical machine.

    From the work of each path at measured rates: matrix products ~5e9
    flop/s, sorting ~1e8 elements * log2(n) per second, other array work
    ~1e9 elements per second, a callable metric ~1e-4 s per call plus its
    O(n) work.
    """
    k = int(differing_rows(problem).size)
    if k == 0:
        return 0.0
    swaps = float(min(n_resamples, 2.0**k)) if k < 63 else float(n_resamples)
    n = problem.n
    if problem.scores is not None and problem.positive is not None:
        m = int(problem.positive.sum())
        small = min(m, n - m)
        if small <= 64 and 2 * small * (n - small) <= _FEW_ENTRIES:
            return swaps * n * 2 * small / 5e9 + swaps * n / 1e9
        return 2 * swaps * n * max(1.0, float(np.log2(n))) / 1e8
    if problem.F is None:  # a callable: two calls per swap
        return swaps * 2 * (1e-4 + n / 1e8)
    if problem.spec.name in LINEAR_METRICS:
        # few distinct |differences|: an exact convolution, no swaps drawn
        distinct = np.unique(np.abs(problem.F[:, 1] - problem.F[:, 0])).size
        return float(swaps * k / 1e9 if distinct > 20 else k / 1e9)
    return float(swaps * k * problem.F.shape[1] / 1e9)


def n_effective(problem: Problem) -> tuple[int, int | None]:
    """(rows on which the models differ, examples of the rarer class or None)."""
    return int(differing_rows(problem).size), problem.minority
