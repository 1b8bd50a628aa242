"""Two-sample Cramér-von Mises test on one feature (tie-correct p-value)."""

from __future__ import annotations

import warnings
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
    warn_constant,
)
from mllifecycle.drift._grouped import coarsen, permutation_statistics, pooled_groups
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result

__all__ = ["cramer_von_mises"]

# Up to this many pooled values the p-value is a permutation one even without
# ties: cheap there, and scipy's exact/asymptotic choice rejected 6.5-8.5% of
# nulls at 5/5 and 10/20 in our calibration matrix.
_SMALL = 200
# Below this many values in either sample, too: scipy's asymptotic p-value
# rejected 6.3% of true nulls at alpha = 0.05 with 2 against 200 values (12.8%
# at 0.1), 5.6% with 3 and 5.4% with 5 against 400 (40 000 simulations each).
_SMALL_SAMPLE = 6


def _sum_sq_run(k: FloatArray, d: FloatArray) -> FloatArray:
    """``sum_{t=1..k} (d - t)^2``, in a form without cancellation."""
    c = d - (k + 1.0) / 2.0
    out: FloatArray = k * c * c + k * (k * k - 1.0) / 12.0
    return out


def cvm_from_counts(a: FloatArray, sizes: npt.NDArray[Any], n: int, m: int) -> FloatArray:
    """Scipy's two-sample ``T`` (midranks) from reference counts per tie group.

    ``U = n sum_i (r_i - i)^2 + m sum_j (s_j - j)^2`` with ``r``/``s`` the
    sorted midranks of each sample in the pooled one; all values of a tie group
    share its midrank, so each group contributes a closed-form sum.
    """
    big_n = n + m
    c = sizes.astype(np.float64)
    b = c - a
    start = np.cumsum(c) - c
    mid = start + (c + 1.0) / 2.0
    before_a = np.cumsum(a, axis=1) - a
    before_b = np.cumsum(b, axis=1) - b
    u = n * _sum_sq_run(a, mid - before_a).sum(axis=1) + m * _sum_sq_run(b, mid - before_b).sum(
        axis=1
    )
    out: FloatArray = u / (n * m * big_n) - (4.0 * n * m - 1.0) / (6.0 * big_n)
    return out


def cramer_von_mises(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_resamples: int = 999,
    min_effect: float | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Two-sample Cramér-von Mises test on one feature.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        The two samples (at least 2 values each).
    alpha : float, default=0.05
        Significance level.
    n_resamples : int, default=999
        Permutations for the p-value when the pooled sample has ties or at
        most 200 values, or either sample fewer than 6 values.
    min_effect : float, optional
        Minimum effect size for a detection.
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
        ``statistic`` as :func:`scipy.stats.cramervonmises_2samp` (midranks
        for ties). ``effect_size`` is the L2 distance between the two ECDFs,
        ``sqrt(T (n + m) / (n m))`` clipped to [0, 1].
        ``details["p_value_method"]``: ``"asymptotic"`` (scipy's, without
        ties, above 200 values, at least 6 in each sample) or
        ``"permutation"``; with permutations also ``n_resamples`` and
        ``p_value_std_error`` (Monte-Carlo error).

    Notes
    -----
    More sensitive than KS to shifts spread over the whole distribution.
    scipy's exact and asymptotic null distributions assume no ties; with ties
    the midrank statistic is inflated (two identical samples of zeros get
    p = 0.0003), so whenever the pooled sample has ties, whenever it
    has at most 200 values, and whenever either sample has fewer than 6
    values, the p-value comes from a permutation test of the same statistic,
    which is exact for any distribution; otherwise it is scipy's asymptotic
    one. (The asymptotic null is anticonservative for a tiny sample against a
    large one: 2 values against 200 were rejected in 6.3% of true nulls at
    alpha = 0.05.) Above 4000 pooled values the permutations are drawn as
    hypergeometric counts per tie group (cost independent of the number of
    rows; see :mod:`mllifecycle.drift._grouped`).

    References
    ----------
    .. [1] Anderson, T. W. (1962). On the distribution of the two-sample
       Cramér-von Mises criterion. Ann. Math. Statist., 33(3), 1148-1159.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import cramer_von_mises
    >>> rng = np.random.default_rng(0)
    >>> cramer_von_mises(rng.normal(size=300), rng.normal(size=300)).drift_detected
    False
    >>> res = cramer_von_mises([0, 0, 1, 1, 2], [0, 1, 1, 2, 2, 2], rng=0)
    >>> res.details["p_value_method"]  # ties: scipy's null does not apply
    'permutation'
    """
    from scipy import stats

    caller = "cramer_von_mises"
    a, me, _, nb, gen = check_common(
        caller, alpha, min_effect, None, n_resamples, rng, need_permutations=True
    )
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    assert nb is not None
    ref, cur = check_pair_1d(reference, current, caller, nan_policy)
    warn_constant(ref, cur, caller)
    n, m = ref.shape[0], cur.shape[0]
    groups = pooled_groups(ref, cur, max_groups=None)
    has_ties = groups.sizes.shape[0] < n + m
    details: dict[str, Any] = {}
    if not has_ties and n + m > _SMALL and min(n, m) >= _SMALL_SAMPLE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = stats.cramervonmises_2samp(ref, cur)
        t_stat, p = float(r.statistic), float(r.pvalue)
        details["p_value_method"] = "asymptotic"
    else:
        def stat(cnt: FloatArray) -> FloatArray:
            return cvm_from_counts(cnt, groups.sizes, n, m)

        t_stat = float(stat(groups.ref_counts[None, :].astype(np.float64))[0])
        test_groups = coarsen(groups)  # at most MAX_GROUPS groups, for the test only

        def test_stat(cnt: FloatArray) -> FloatArray:
            return cvm_from_counts(cnt, test_groups.sizes, n, m)

        obs, perm = permutation_statistics(
            test_groups, test_stat, gen, nb, n_jobs=jobs, progress=progress, caller=caller
        )
        details["p_value_method"] = test_groups.mode
        p = permutation_p_value(obs, perm, alpha=a, caller=caller, details=details)
    if has_ties:
        # the L2 distance between the ECDFs at the pooled values, from the
        # counts: the midrank T is inflated by ties (two samples with one
        # ECDF, [0, 0, 1, 1] * 10 and [0, 1] * 10, had effect 0.22, not 0)
        f_r = np.cumsum(groups.ref_counts) / n
        f_c = np.cumsum(groups.sizes - groups.ref_counts) / m
        effect = float(np.sqrt(float(groups.sizes @ (f_r - f_c) ** 2) / (n + m)))
    else:  # the same distance, (n + m) / (n m) T without ties
        effect = float(np.sqrt(max(t_stat, 0.0) * (n + m) / (n * m)))
    return _result(
        "cramer_von_mises",
        t_stat,
        p,
        min(effect, 1.0),
        n,
        m,
        alpha=a,
        min_effect=me,
        details=details,
    )
