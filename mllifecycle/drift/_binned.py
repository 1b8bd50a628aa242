"""Binned divergences on one feature: PSI, Jensen-Shannon and Hellinger."""

from __future__ import annotations

import datetime as _dt
import numbers
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle._validation import check_int, check_option
from mllifecycle.drift._chi_square import category_codes, warn_id_like
from mllifecycle.drift._common import (
    FloatArray,
    _is_missing_value,
    check_common,
    check_pair_1d,
    check_pair_categorical,
    permutation_p_value,
)
from mllifecycle.drift._grouped import groups_from_codes, permutation_statistics
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result

__all__ = ["psi", "jensen_shannon", "hellinger"]


_EPS = 1e-4
_TIMES = (_dt.date, _dt.timedelta, np.datetime64, np.timedelta64)


def _is_categorical(x: Any) -> bool:
    arr = np.asarray(x.to_numpy() if hasattr(x, "to_numpy") else x)
    if arr.dtype.kind == "O":
        # numbers with missing values (a list of floats with None, ints beyond
        # int64) are an object array too: binned as numbers, not one category
        # per value
        vals = [v for v in arr.ravel().tolist() if not _is_missing_value(v)]
        # datetimes and durations (Python, pandas Timestamps, also a tz-aware
        # Series) are measurements, as a datetime64 array is: as categories
        # every instant was its own category ("no drift", p = 1, for any shift)
        if vals and all(isinstance(v, _TIMES) for v in vals):
            return False
        # numbers: also Decimal, which is no numbers.Real (it was binned as one
        # category per value: "no drift", p = 1), as detect and ks take it
        return not vals or not all(
            isinstance(v, numbers.Number)
            and not isinstance(v, bool | np.bool_ | complex | np.complexfloating)
            for v in vals
        )
    return arr.dtype.kind in "USb"


def _psi_value(p: FloatArray, q: FloatArray) -> FloatArray:
    p = np.maximum(p, _EPS)
    q = np.maximum(q, _EPS)
    out: FloatArray = ((q - p) * np.log(q / p)).sum(axis=-1)
    return out


def _js_value(p: FloatArray, q: FloatArray) -> FloatArray:
    mid = (p + q) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log2(p / np.where(mid > 0, mid, 1.0)), 0.0).sum(axis=-1)
        kl_q = np.where(q > 0, q * np.log2(q / np.where(mid > 0, mid, 1.0)), 0.0).sum(axis=-1)
    out: FloatArray = np.sqrt(np.clip((kl_p + kl_q) / 2.0, 0.0, 1.0))
    return out


def _hellinger_value(p: FloatArray, q: FloatArray) -> FloatArray:
    bc = np.sqrt(p * q).sum(axis=-1)
    out: FloatArray = np.sqrt(np.clip(1.0 - bc, 0.0, 1.0))
    return out


_DIVERGENCES = {
    "psi": _psi_value,
    "jensen_shannon": _js_value,
    "hellinger": _hellinger_value,
}


def _quantiles(srt: FloatArray, n_bins: int) -> FloatArray:
    """Return the ``k / n_bins`` quantiles of sorted data (k = 1 .. n_bins - 1), as NumPy.

    The default ("linear") method of NumPy, with each quantile's position
    ``(n - 1) k / n_bins`` split into its integer part and fraction exactly,
    in integers: from ``np.linspace`` probabilities a position that is a whole
    number comes out a hair above or below it, so a quantile that is a data
    value came out a hair off it, and that value's bin depended on the scale
    of the data (the statistic changed with the unit of measurement).
    """
    num = (srt.shape[0] - 1) * np.arange(1, n_bins, dtype=np.int64)
    lo = num // n_bins
    t = (num % n_bins) / n_bins
    a, b = srt[lo], srt[np.minimum(lo + 1, srt.shape[0] - 1)]
    diff = b - a
    # NumPy's lerp: from the nearer end, so that t = 0 gives a exactly
    out: FloatArray = np.where(t >= 0.5, b - diff * (1.0 - t), a + diff * t)
    return out


def _edges(
    edges_from: FloatArray, n_bins: int
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Distinct quantile edges and which are point masses (one sort of the data)."""
    srt = np.sort(edges_from)
    with np.errstate(over="ignore", invalid="ignore"):
        qs = _quantiles(srt, n_bins)
    bad = ~np.isfinite(qs)
    if bad.any():
        # interpolating between values of opposite sign near the float limit
        # overflows (b - a = inf); halving is exact for normal floats, and the
        # doubled quantile lies between two data values, so it is finite
        qs[bad] = _quantiles(srt * 0.5, n_bins)[bad] * 2.0
    edges, mult = np.unique(qs, return_counts=True)
    heavy = mult > 1
    # also a point mass: an edge value repeated in edges_from at least as often
    # as a bin's worth of values
    if edges.shape[0] and not heavy.all():
        left = np.searchsorted(srt, edges, side="left")
        right = np.searchsorted(srt, edges, side="right")
        heavy |= (right - left) * n_bins >= edges_from.shape[0]
    return edges, heavy


def _quantile_codes(
    edges_from: FloatArray, x: FloatArray, n_bins: int
) -> tuple[npt.NDArray[np.intp], int]:
    """Bin codes at the quantiles of ``edges_from``; tied quantiles get their own bin.

    An edge that several quantiles share is a point mass of ``edges_from``
    (e.g. a reference with 60% zeros): it becomes a bin of its own, with the
    values below it and the values above it in separate bins, so that a
    sample sitting just above (or below) a heavily tied value is not merged
    with it.
    """
    return _codes_at(*_edges(edges_from, n_bins), x)


def _codes_at(
    edges: FloatArray, heavy: npt.NDArray[np.bool_], x: FloatArray
) -> tuple[npt.NDArray[np.intp], int]:
    """Codes of ``x`` for the bins of :func:`_edges`."""
    lo = np.searchsorted(edges, x, side="left")
    hi = np.searchsorted(edges, x, side="right")
    if not heavy.any():
        return hi, edges.shape[0] + 1
    # layout: for each edge j, bin "below/between" then, if heavy, bin "== e_j"
    extra = np.cumsum(heavy)  # heavy edges up to and including j
    base = hi + np.r_[0, extra][hi]  # between-bin index, shifted by point bins before it
    on_point = (hi > lo) & heavy[np.clip(lo, 0, edges.shape[0] - 1)]
    codes = np.where(on_point, lo + np.r_[0, extra][lo] + 1, base)
    return codes.astype(np.intp), edges.shape[0] + 1 + int(heavy.sum())


def _binned_test(
    method: str,
    reference: Any,
    current: Any,
    *,
    alpha: Any,
    n_bins: Any,
    threshold: Any,
    n_resamples: Any,
    categorical: Any,
    min_effect: Any,
    nan_policy: Any,
    rng: Any,
    n_jobs: Any = None,
    progress: Any = False,
) -> DriftResult:
    caller = method
    a, me, th, nb, gen = check_common(
        caller,
        alpha,
        min_effect,
        threshold,
        n_resamples,
        rng,
        need_permutations=threshold is None,
    )
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    nbins = check_int(n_bins, "n_bins", caller=caller, low=2)
    if categorical is None:
        categorical = _is_categorical(reference) or _is_categorical(current)
    check_option(categorical, "categorical", (True, False, None), caller)
    fn = _DIVERGENCES[method]
    if categorical:
        ref, cur = check_pair_categorical(reference, current, caller, nan_policy)
        cats, rc, cc = category_codes(ref, cur)
        k = int(max(rc.max(), cc.max())) + 1
        warn_id_like(cats.shape[0], rc.shape[0] + cc.shape[0], caller, stacklevel=4)
        binning = "categories"
    else:
        ref, cur = check_pair_1d(reference, current, caller, nan_policy)
        pooled_edges = _edges(np.concatenate([ref, cur]), nbins)
        if method == "psi":
            # conventional PSI: bins at the reference's quantiles
            ref_edges = _edges(ref, nbins)
            rc, k = _codes_at(*ref_edges, ref)
            cc = _codes_at(*ref_edges, cur)[0]
            binning = "reference quantiles"
        else:
            rc, k = _codes_at(*pooled_edges, ref)
            cc = _codes_at(*pooled_edges, cur)[0]
            binning = "pooled quantiles"
    n, m = ref.shape[0], cur.shape[0]
    p_ref = np.bincount(rc, minlength=k) / n
    p_cur = np.bincount(cc, minlength=k) / m
    stat = float(fn(p_ref, p_cur))
    details: dict[str, Any] = {"n_bins": int(k), "binning": binning}
    if method == "psi":
        details["band"] = "stable" if stat < 0.1 else ("moderate" if stat < 0.25 else "major")
    p_value: float | None = None
    if th is None:
        assert nb is not None
        codes_r, codes_c = rc, cc
        if method == "psi" and not categorical:
            # Under relabelling the reference quantiles move; bins on the pooled
            # sample's quantiles are invariant, which makes the test exact.
            codes_r = _codes_at(*pooled_edges, ref)[0]
            codes_c = _codes_at(*pooled_edges, cur)[0]
            details["p_value_binning"] = "pooled quantiles"
        groups = groups_from_codes(codes_r, codes_c)
        tot = groups.sizes.astype(np.float64)

        def perm_stat(cnt: FloatArray) -> FloatArray:
            return fn(cnt / n, (tot - cnt) / m)

        obs, perm = permutation_statistics(
            groups, perm_stat, gen, nb, n_jobs=jobs, progress=progress, caller=caller
        )
        details["p_value_method"] = groups.mode
        p_value = permutation_p_value(
            obs, perm, alpha=a, caller=caller, details=details, kind="bins"
        )
    return _result(
        method,
        stat,
        p_value,
        stat,
        n,
        m,
        alpha=a,
        threshold=th,
        min_effect=me,
        details=details,
    )


def psi(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_bins: int = 10,
    threshold: float | None = None,
    n_resamples: int = 999,
    categorical: bool | None = None,
    min_effect: float | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Compute the population stability index on reference-quantile bins.

    ``PSI = sum_b (q_b - p_b) ln(q_b / p_b)`` with ``p``, ``q`` the reference
    and current bin proportions (floored at 1e-4 so empty bins stay finite).
    Conventional reading: < 0.1 stable, 0.1-0.25 moderate, >= 0.25 major
    (``details["band"]``); pass ``threshold=0.25`` to decide that way.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Numeric values (binned at quantiles) or category labels.
    alpha : float, default=0.05
        Significance level of the permutation test.
    n_bins : int, default=10
        Number of quantile bins for numeric data (fewer when quantiles tie).
    threshold : float, optional
        Decide by ``statistic >= threshold`` instead of a permutation test
        (then ``p_value`` is None).
    n_resamples : int, default=999
        Permutations for the p-value, ``p = (b + 1) / (B + 1)``.
    categorical : bool, optional
        Treat values as categories (default: unless every value is a number,
        a datetime or a duration, or missing; strings, bools and other objects
        are categories).
    min_effect : float, optional
        Minimum effect size (the statistic) for a detection.
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with missing values.
    rng : int, Generator or None
        Seed for the permutations.
    n_jobs : int or None, default=None
        Workers for the permutations, through joblib (``-1``: every core;
        inside ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        permutations come in chunks with their own random streams, so the
        result for a given ``rng`` does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the permutations (needs tqdm), or a
        callable ``progress(done, total)``.

    Returns
    -------
    DriftResult
        ``statistic`` and ``effect_size`` are the PSI.

    Notes
    -----
    A fixed threshold is not a level-alpha test: with small samples PSI
    exceeds 0.25 by chance alone, so the default decides by a permutation
    test. Its p-value bins at the pooled sample's quantiles (invariant under
    relabelling, which makes the test exact); the reported statistic uses the
    reference's quantiles, as is conventional.

    References
    ----------
    .. [1] Yurdakul, B. (2018). Statistical properties of population stability
       index. PhD thesis, Western Michigan University.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import psi
    >>> rng = np.random.default_rng(0)
    >>> res = psi(rng.normal(size=1000), rng.normal(0.3, size=1000), rng=0)
    >>> res.details["band"], res.drift_detected
    ('moderate', True)
    """
    return _binned_test(
        "psi",
        reference,
        current,
        alpha=alpha,
        n_bins=n_bins,
        threshold=threshold,
        n_resamples=n_resamples,
        categorical=categorical,
        min_effect=min_effect,
        nan_policy=nan_policy,
        rng=rng,
        n_jobs=n_jobs,
        progress=progress,
    )


def jensen_shannon(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_bins: int = 10,
    threshold: float | None = None,
    n_resamples: int = 999,
    categorical: bool | None = None,
    min_effect: float | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Jensen-Shannon distance (base 2, in [0, 1]) between binned distributions.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Numeric values (binned at quantiles) or category labels.
    alpha : float, default=0.05
        Significance level of the permutation test.
    n_bins : int, default=10
        Number of quantile bins for numeric data (fewer when quantiles tie).
    threshold : float, optional
        Decide by ``statistic >= threshold`` instead of a permutation test
        (then ``p_value`` is None).
    n_resamples : int, default=999
        Permutations for the p-value, ``p = (b + 1) / (B + 1)``.
    categorical : bool, optional
        Treat values as categories (default: unless every value is a number,
        a datetime or a duration, or missing; strings, bools and other objects
        are categories).
    min_effect : float, optional
        Minimum effect size (the statistic) for a detection.
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with missing values.
    rng : int, Generator or None
        Seed for the permutations.
    n_jobs : int or None, default=None
        Workers for the permutations, through joblib (``-1``: every core;
        inside ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        permutations come in chunks with their own random streams, so the
        result for a given ``rng`` does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the permutations (needs tqdm), or a
        callable ``progress(done, total)``.

    Returns
    -------
    DriftResult
        ``statistic`` and ``effect_size`` are the JS distance, as
        :func:`scipy.spatial.distance.jensenshannon` with ``base=2``, on bins
        at the pooled sample's quantiles (numeric data) or on categories.

    References
    ----------
    .. [1] Lin, J. (1991). Divergence measures based on the Shannon entropy.
       IEEE Trans. Inf. Theory, 37(1), 145-151.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import jensen_shannon
    >>> rng = np.random.default_rng(0)
    >>> ref, cur = rng.normal(size=500), rng.normal(1.0, size=500)
    >>> jensen_shannon(ref, cur, rng=0).drift_detected
    True
    """
    return _binned_test(
        "jensen_shannon",
        reference,
        current,
        alpha=alpha,
        n_bins=n_bins,
        threshold=threshold,
        n_resamples=n_resamples,
        categorical=categorical,
        min_effect=min_effect,
        nan_policy=nan_policy,
        rng=rng,
        n_jobs=n_jobs,
        progress=progress,
    )


def hellinger(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_bins: int = 10,
    threshold: float | None = None,
    n_resamples: int = 999,
    categorical: bool | None = None,
    min_effect: float | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Hellinger distance ``sqrt(1 - sum sqrt(p q))`` between binned distributions.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Numeric values (binned at quantiles) or category labels.
    alpha : float, default=0.05
        Significance level of the permutation test.
    n_bins : int, default=10
        Number of quantile bins for numeric data (fewer when quantiles tie).
    threshold : float, optional
        Decide by ``statistic >= threshold`` instead of a permutation test
        (then ``p_value`` is None).
    n_resamples : int, default=999
        Permutations for the p-value, ``p = (b + 1) / (B + 1)``.
    categorical : bool, optional
        Treat values as categories (default: unless every value is a number,
        a datetime or a duration, or missing; strings, bools and other objects
        are categories).
    min_effect : float, optional
        Minimum effect size (the statistic) for a detection.
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with missing values.
    rng : int, Generator or None
        Seed for the permutations.
    n_jobs : int or None, default=None
        Workers for the permutations, through joblib (``-1``: every core;
        inside ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        permutations come in chunks with their own random streams, so the
        result for a given ``rng`` does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the permutations (needs tqdm), or a
        callable ``progress(done, total)``.

    Returns
    -------
    DriftResult
        ``statistic`` and ``effect_size`` are the distance, in [0, 1], on bins
        at the pooled sample's quantiles (numeric data) or on categories.

    References
    ----------
    .. [1] Hellinger, E. (1909). Neue Begründung der Theorie quadratischer
       Formen von unendlichvielen Veränderlichen. J. Reine Angew. Math., 136.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import hellinger
    >>> rng = np.random.default_rng(0)
    >>> hellinger(rng.normal(size=500), rng.normal(size=500), rng=0).drift_detected
    False
    """
    return _binned_test(
        "hellinger",
        reference,
        current,
        alpha=alpha,
        n_bins=n_bins,
        threshold=threshold,
        n_resamples=n_resamples,
        categorical=categorical,
        min_effect=min_effect,
        nan_policy=nan_policy,
        rng=rng,
        n_jobs=n_jobs,
        progress=progress,
    )
