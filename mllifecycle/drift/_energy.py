"""Energy-distance two-sample test with a permutation p-value."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle._scaling import pow2_scale
from mllifecycle.drift._common import (
    FloatArray,
    check_common,
    check_pair_2d,
    permutation_p_value,
)
from mllifecycle.drift._grouped import coarsen, permutation_statistics, pooled_groups
from mllifecycle.drift._kernel import TIE_RTOL, prepare, quadratic_forms, sq_dists, subsample
from mllifecycle.drift._mmd import check_max_samples
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result
from mllifecycle.drift._wasserstein import cdf_distance_from_counts

__all__ = ["energy"]


#: Multivariate energy distances below this fraction of the cross term are noise.
_NOISE = 1e-12


def _distances(x: FloatArray, y: FloatArray, x_sq: FloatArray, y_sq: FloatArray) -> FloatArray:
    d2 = sq_dists(x, y, x_sq, y_sq)
    out: FloatArray = np.sqrt(d2, out=d2)
    return out


def _prepare(ref: FloatArray, cur: FloatArray) -> tuple[FloatArray, float, float]:
    """:func:`prepare`, then a further power of two bringing subnormal data to unit scale.

    ``prepare`` caps its scale at ``2 ** 1023`` (``s`` must stay finite), which
    leaves data below about 1e-308 at a scale of about 1e-12, under the
    absolute tie tolerance of the permutation p-value: every relabelling tied
    with the observed statistic, p = 1. Distances in the returned sample are
    ``s * extra`` times the original ones (``extra`` is 1 unless the data are
    subnormal).
    """
    z, s = prepare(ref, cur)
    big = float(np.max(np.abs(z))) if z.size else 0.0
    extra = 1.0 if big == 0.0 else pow2_scale(big)
    return z * extra, s, extra


def energy(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_resamples: int = 500,
    max_samples: int | None = 10_000,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Energy-distance two-sample test with a permutation p-value.

    Parameters
    ----------
    reference, current : array-like of shape (n, d) or (n,)
        The two samples; two tables (pandas, polars, pyarrow) must have the same column
        names in the same order.
    alpha : float, default=0.05
        Significance level.
    n_resamples : int, default=500
        Permutations; ``p = (b + 1) / (B + 1)``.
    max_samples : int or None, default=10000
        With more than one feature and more pooled rows than this, the test
        runs on a uniform random subsample of this many rows (both samples in
        proportion); None: all rows. One feature never needs it: its
        permutations cost ``O(B min(N, 1000))`` after one sort.
    min_effect : float, optional
        Minimum effect size (homogeneity coefficient, in [0, 1]).
    rng : int, Generator or None
        Seed for the permutations (and the subsample).
    n_jobs : int or None, default=None
        Workers, through joblib (``-1``: every core; inside
        ``joblib.parallel_backend(...)``, that backend, e.g. Dask): the
        permutation chunks with one feature, the strips of the distance matrix
        with several. The result does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar (needs tqdm), or a callable
        ``progress(done, total)``: over the permutations with one feature,
        over the strips of the distance matrix with several.

    Returns
    -------
    DriftResult
        ``statistic`` is the energy distance
        ``sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|)`` (V-statistic means; for
        1-D data it equals :func:`scipy.stats.energy_distance`).
        ``effect_size`` is Székely and Rizzo's homogeneity coefficient
        ``(2 E|X-Y| - E|X-X'| - E|Y-Y'|) / (2 E|X-Y|)``. ``details`` holds
        ``n_resamples``, ``p_value_std_error`` and ``subsampled``.

    Notes
    -----
    With one feature, ``E = 2 int (F - G)^2`` is computed from the pooled
    sorted sample and the permutations are drawn on pooled groups as in
    :func:`wasserstein`. With several, the distance matrix of the pooled
    sample is computed once (upper triangle, float32, on centred data) and
    every permuted statistic is a quadratic form in it, as in :func:`mmd`.

    References
    ----------
    .. [1] Székely, G. J. and Rizzo, M. L. (2013). Energy statistics: a class
       of statistics based on distances. J. Stat. Plan. Inference, 143(8).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import energy
    >>> rng = np.random.default_rng(0)
    >>> ref, cur = rng.normal(size=(150, 2)), rng.normal(size=(150, 2))
    >>> energy(ref, cur, rng=0).drift_detected
    False
    """
    caller = "energy"
    a, me, _, nb, gen = check_common(
        caller, alpha, min_effect, None, n_resamples, rng, need_permutations=True
    )
    assert nb is not None
    ms = check_max_samples(max_samples, caller)
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    ref, cur = check_pair_2d(reference, current, caller)
    details: dict[str, Any] = {"subsampled": False}
    rtol = 0.0
    noise = 0.0  # 1-D: a sum of squares of exact ECDF differences, no cancellation
    if ref.shape[1] == 1:
        n, m = ref.shape[0], cur.shape[0]
        z, s, extra = _prepare(ref, cur)
        groups = pooled_groups(z[:n, 0], z[n:, 0], max_groups=None)
        counts = groups.ref_counts[None, :].astype(np.float64)
        e_obs = 2.0 * float(cdf_distance_from_counts(counts, groups, 2)[0])
        f_r = np.cumsum(groups.ref_counts)[:-1] / n
        f_c = (np.cumsum(groups.sizes - groups.ref_counts)[:-1]) / m
        cross = float((f_r * (1 - f_c) + f_c * (1 - f_r)) @ np.diff(groups.values))
        test_groups = coarsen(groups)

        def stat(cnt: FloatArray) -> FloatArray:
            out: FloatArray = 2.0 * cdf_distance_from_counts(cnt, test_groups, 2)
            return out

        obs_t, perm = permutation_statistics(
            test_groups, stat, gen, nb, n_jobs=jobs, progress=progress, caller=caller
        )
        details["p_value_method"] = test_groups.mode
    else:
        ref, cur, sub = subsample(ref, cur, ms, gen)
        details["subsampled"] = sub
        n, m = ref.shape[0], cur.shape[0]
        z, s, extra = _prepare(ref, cur)
        q, r, total, q_obs = quadratic_forms(
            z, n, nb, gen, _distances, n_jobs=jobs, progress=progress, caller=caller
        )
        e_all = 2.0 * (r - q) / (n * m) - q / n**2 - (total - 2.0 * r + q) / m**2
        r0 = float(r[0])
        e_obs = 2.0 * (r0 - q_obs) / (n * m) - q_obs / n**2 - (total - 2.0 * r0 + q_obs) / m**2
        obs_t, perm = float(e_all[0]), e_all[1:]
        cross = float((r0 - q_obs) / (n * m))
        rtol = TIE_RTOL
        # rounding noise of identical samples: ~1e-15 of the cross term (a
        # coarser cut, 1e-6, zeroed true distances up to ~1e-3 sd)
        noise = _NOISE
    if e_obs <= noise * cross:
        e_obs = 0.0
    p = permutation_p_value(obs_t, perm, alpha=a, caller=caller, details=details, rtol=rtol)
    stat_v = float(np.sqrt(max(e_obs, 0.0) / extra / s))  # two steps: s * extra may be inf
    effect = float(max(e_obs, 0.0) / (2.0 * cross)) if cross > 0 else 0.0
    return _result(
        "energy", stat_v, p, min(effect, 1.0), n, m, alpha=a, min_effect=me, details=details
    )
