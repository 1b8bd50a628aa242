"""Maximum mean discrepancy test with an RBF kernel and a permutation p-value."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle._validation import check_int, check_scalar
from mllifecycle.drift._common import (
    FloatArray,
    canonical_order,
    check_common,
    check_pair_2d,
    permutation_p_value,
)
from mllifecycle.drift._kernel import TIE_RTOL, prepare, quadratic_forms, sq_dists, subsample
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["mmd", "median_bandwidth"]

_MEDIAN_MAX = 2000
_FLOAT_MAX = float(np.finfo(np.float64).max)


def median_bandwidth(z: FloatArray, *, nonzero: bool = False) -> float:
    """Median of the pairwise Euclidean distances of the pooled sample.

    Above 2000 rows the median is taken over 2000 rows chosen evenly along the
    lexicographic order of the rows, so the result depends on the set of rows
    and not on their order. With ``nonzero``, over the distances that are not
    0 only (0.0 when there are none).
    """
    n = z.shape[0]
    if n > _MEDIAN_MAX:
        order = canonical_order(z)
        z = z[order[np.linspace(0, n - 1, _MEDIAN_MAX).astype(np.intp)]]
    from scipy.spatial.distance import pdist

    d = pdist(z)
    if nonzero:
        d = d[d > 0.0]
        if d.shape[0] == 0:
            return 0.0
    return float(np.median(d))


def check_max_samples(value: Any, caller: str) -> int | None:
    """Validate ``max_samples`` (None, or an int >= 4)."""
    if value is None:
        return None
    return check_int(value, "max_samples", caller=caller, low=4)


def mmd(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_resamples: int = 500,
    bandwidth: float | None = None,
    max_samples: int | None = 10_000,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
) -> DriftResult:
    """Maximum mean discrepancy test with an RBF kernel and a permutation p-value.

    Parameters
    ----------
    reference, current : array-like of shape (n, d) or (n,)
        The two samples, same number of features; two tables (pandas, polars,
        pyarrow) must have the same column names in the same order.
    alpha : float, default=0.05
        Significance level.
    n_resamples : int, default=500
        Permutations; ``p = (b + 1) / (B + 1)`` with ``b`` the number of
        permuted statistics at least the observed one.
    bandwidth : float, optional
        RBF length scale ``sigma`` in ``k(x, y) = exp(-|x - y|^2 / (2 sigma^2))``.
        Default: the median pairwise distance of the pooled sample (when that
        is 0, many rows being identical, the median of the non-zero distances,
        with a :class:`~mllifecycle.exceptions.DegenerateDataWarning`).
    max_samples : int or None, default=10000
        Above this many pooled rows, the test runs on a uniform random
        subsample of this many rows (both samples in proportion): a valid
        test at any size, with cost bounded by ``max_samples``; None: all
        rows (cost quadratic in the number of rows).
    min_effect : float, optional
        Minimum ``sqrt(max(MMD^2, 0))`` for a detection.
    rng : int, Generator or None
        Seed for the permutations (and the subsample).
    n_jobs : int or None, default=None
        Workers for the kernel matrix and its permutation products, through
        joblib (``-1``: every core; inside ``joblib.parallel_backend(...)``,
        that backend, e.g. Dask). The result does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the strips of the kernel matrix (needs
        tqdm), or a callable ``progress(done, total)``.

    Returns
    -------
    DriftResult
        ``statistic`` is the unbiased estimate of MMD^2;
        ``effect_size`` is ``sqrt(max(MMD^2, 0))``; ``details["bandwidth"]``
        (in the data's units), ``n_resamples``, ``p_value_std_error`` (the
        Monte-Carlo error of the p-value) and ``subsampled``.

    Notes
    -----
    The kernel matrix of the pooled sample is computed once, in blocks of its
    upper triangle only; the observed and all permuted statistics are
    quadratic forms ``a' K a`` of 0/1 membership vectors, obtained together
    by matrix products in float32 on centred labels (see
    :mod:`mllifecycle.drift._kernel`). The data are centred and scaled by a
    power of two first, so a large common offset (``1e9 + N(0, 1)``) or huge
    magnitudes (1e300) do not cost power or overflow. Cost
    ``O(N^2 (B + d) / 2)`` with ``N = min(n + m, max_samples)``. Features are
    not scaled: standardise them first if their units differ.

    References
    ----------
    .. [1] Gretton, A., Borgwardt, K. M., Rasch, M. J., Schölkopf, B. and
       Smola, A. (2012). A kernel two-sample test. JMLR, 13, 723-773.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import mmd
    >>> rng = np.random.default_rng(0)
    >>> ref, cur = rng.normal(size=(200, 3)), rng.normal(0.5, 1.0, size=(200, 3))
    >>> mmd(ref, cur, n_resamples=200, rng=0).drift_detected
    True
    """
    caller = "mmd"
    a, me, _, nb, gen = check_common(
        caller, alpha, min_effect, None, n_resamples, rng, need_permutations=True
    )
    assert nb is not None
    ms = check_max_samples(max_samples, caller)
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    ref, cur = check_pair_2d(reference, current, caller)
    ref, cur, sub = subsample(ref, cur, ms, gen)
    n, m = ref.shape[0], cur.shape[0]
    z, s = prepare(ref, cur)
    if bandwidth is None:
        sigma = median_bandwidth(z)
        if sigma == 0.0:
            # a bandwidth of 1.0 in the data's units was no bandwidth at all on
            # data of another scale: around 1e-300 the kernel was 1 everywhere
            # ("no drift" for any shift), around 1e300 its gamma divided by zero
            sigma = median_bandwidth(z, nonzero=True)
            if sigma == 0.0:
                sigma = 1.0  # every row the same: any bandwidth gives MMD 0
            warnings.warn(
                "mmd: the median pairwise distance is 0 (many identical rows); using the "
                f"median of the non-zero distances, {sigma / s:.6g}, as the bandwidth",
                DegenerateDataWarning,
                stacklevel=2,
            )
    else:
        given = check_scalar(bandwidth, "bandwidth", caller=caller, low=0.0, low_inclusive=False)
        sigma = s * given
    reported = sigma / s if bandwidth is None else given  # as given: s * it may underflow
    # 1 / (2 sigma^2), capped at the largest float: with a tiny bandwidth
    # sigma^2 underflowed (1e-200: "float division by zero") or gamma was inf,
    # and inf * 0 on the diagonal made the statistic NaN, reported as drift
    # (p = 0.002) between two samples of one distribution. Capped, the kernel
    # is 1 on identical rows and 0 elsewhere, its limit as the bandwidth shrinks.
    two_s2 = 2.0 * sigma * sigma
    gamma = _FLOAT_MAX if two_s2 * _FLOAT_MAX <= 1.0 else 1.0 / two_s2

    def kernel(x: FloatArray, y: FloatArray, x_sq: FloatArray, y_sq: FloatArray) -> FloatArray:
        d2 = sq_dists(x, y, x_sq, y_sq)
        with np.errstate(over="ignore"):  # -inf: a kernel value of 0
            d2 *= -gamma
        out: FloatArray = np.exp(d2, out=d2)
        return out

    q, r, total, q_obs = quadratic_forms(
        z, n, nb, gen, kernel, n_jobs=jobs, progress=progress, caller=caller
    )
    sxx = q - n
    sxy = r - q
    syy = total - 2.0 * r + q - m
    stats_ = sxx / (n * (n - 1.0)) + syy / (m * (m - 1.0)) - 2.0 * sxy / (n * m)
    r0 = float(r[0])
    obs = float(
        (q_obs - n) / (n * (n - 1.0))
        + (total - 2.0 * r0 + q_obs - m) / (m * (m - 1.0))
        - 2.0 * (r0 - q_obs) / (n * m)
    )
    details: dict[str, Any] = {
        "bandwidth": reported,
        "kernel": "rbf",
        "subsampled": sub,
    }
    p = permutation_p_value(
        float(stats_[0]), stats_[1:], alpha=a, caller=caller, details=details, rtol=TIE_RTOL
    )
    effect = float(np.sqrt(max(obs, 0.0)))
    return _result("mmd", obs, p, effect, n, m, alpha=a, min_effect=me, details=details)
