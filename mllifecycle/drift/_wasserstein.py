"""Wasserstein-1 (earth mover's) distance test on one feature."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle.drift._common import (
    FloatArray,
    check_common,
    check_pair_1d,
    permutation_p_value,
    pow2_scale,
    safe_scale,
    warn_constant,
)
from mllifecycle.drift._grouped import Groups, coarsen, permutation_statistics, pooled_groups
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result

__all__ = ["wasserstein", "cdf_distance_from_counts"]


def cdf_distance_from_counts(cnt: FloatArray, groups: Groups, power: int) -> FloatArray:
    """``sum |F_ref - F_cur|^power * dz`` over the pooled groups, per row of counts."""
    n, m = groups.n, groups.m
    cum_a = np.cumsum(cnt, axis=1)[:, :-1]
    cum_t = np.cumsum(groups.sizes)[:-1].astype(np.float64)
    diff = np.abs(cum_a / n - (cum_t - cum_a) / m)
    widths = np.diff(groups.values)
    out: FloatArray = (diff**power if power != 1 else diff) @ widths
    return out


def _spread(srt: FloatArray) -> float:
    """Return the standard deviation of sorted values, 0.0 (not rounding noise) for a constant."""
    return 0.0 if srt[0] == srt[-1] else float(srt.std())


def wasserstein(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    threshold: float | None = None,
    n_resamples: int = 999,
    min_effect: float | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Wasserstein-1 (earth mover's) distance between two 1-D samples.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        The two samples.
    alpha : float, default=0.05
        Significance level of the permutation test.
    threshold : float, optional
        Decide by ``statistic >= threshold`` (in the data's units) instead of
        a permutation test (then ``p_value`` is None).
    n_resamples : int, default=999
        Permutations for the p-value.
    min_effect : float, optional
        Minimum effect size (distance over the reference's standard deviation).
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with NaN values.
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
        ``statistic`` equals :func:`scipy.stats.wasserstein_distance`;
        ``effect_size`` is it divided by the reference's standard deviation
        (by the pooled one if the reference is constant).

    Notes
    -----
    The p-value is a permutation test of the distance. Above 4000 pooled
    values it is drawn as hypergeometric counts on at most 1000 pooled groups
    (consecutive values merged), an exact test of the distance between the
    coarsened samples, at a cost independent of the number of rows; values
    are scaled by a power of two first, so magnitudes up to 1e308 neither
    overflow nor lose bits.

    References
    ----------
    .. [1] Ramdas, A., García Trillos, N. and Cuturi, M. (2017). On Wasserstein
       two-sample testing and related families of nonparametric tests.
       Entropy, 19(2), 47.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import wasserstein
    >>> rng = np.random.default_rng(0)
    >>> res = wasserstein(rng.normal(size=400), rng.normal(0.5, size=400), rng=0)
    >>> res.drift_detected, round(res.effect_size, 1)
    (True, 0.5)
    """
    caller = "wasserstein"
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
    ref, cur = check_pair_1d(reference, current, caller, nan_policy)
    warn_constant(ref, cur, caller)
    n, m = ref.shape[0], cur.shape[0]
    s = safe_scale(ref, cur)  # a power of two: no overflow in std or widths
    ref_s, cur_s = ref * s, cur * s
    groups = pooled_groups(ref_s, cur_s, max_groups=None)
    counts = groups.ref_counts[None, :].astype(np.float64)
    stat = float(cdf_distance_from_counts(counts, groups, 1)[0]) / s
    # standard deviations of the sorted values: the same bits for any row order
    # (a fitted Reference holds its columns sorted); a constant's is 0 exactly
    # (its float std is rounding noise, ~1e-17 for 0.1, and the effect ~1e15)
    scale = _spread(np.sort(ref_s)) or _spread(np.sort(np.concatenate([ref_s, cur_s])))
    effect = stat * s / scale if scale > 0 else 0.0
    p_value: float | None = None
    details: dict[str, Any] = {}
    if th is None:
        assert nb is not None
        test_groups = coarsen(groups)
        # the permuted distances in units of the pooled range (a power of two,
        # exact): the p-value's tie tolerance has an absolute floor of 1e-12,
        # which made every relabelling a tie on data spread over ~1e-13
        spread = float(groups.values[-1] - groups.values[0])
        unit = pow2_scale(spread) if spread > 0.0 else 1.0

        def perm_stat(cnt: FloatArray) -> FloatArray:
            out: FloatArray = cdf_distance_from_counts(cnt, test_groups, 1) * unit
            return out

        obs, perm = permutation_statistics(
            test_groups, perm_stat, gen, nb, n_jobs=jobs, progress=progress, caller=caller
        )
        details["p_value_method"] = test_groups.mode
        p_value = permutation_p_value(obs, perm, alpha=a, caller=caller, details=details)
    return _result(
        "wasserstein",
        stat,
        p_value,
        effect,
        n,
        m,
        alpha=a,
        threshold=th,
        min_effect=me,
        details=details,
    )
