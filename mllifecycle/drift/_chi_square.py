"""Chi-square test of homogeneity for one categorical feature."""

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
    check_pair_categorical,
    permutation_p_value,
)
from mllifecycle.drift._grouped import permutation_statistics, pooled_groups
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["chi_square", "category_codes", "warn_id_like"]


def _pearson(a: FloatArray, tot: FloatArray, n: int, m: int) -> FloatArray:
    """Pearson's chi-square of 2 x K tables (rows: reference counts ``a``)."""
    big_n = float(n + m)
    e_r = tot * (n / big_n)
    e_c = tot * (m / big_n)
    dev = np.abs(a - e_r)  # the same in both rows
    if tot.shape[0] == 2:  # Yates' correction, as scipy
        dev = dev - np.minimum(0.5, dev)
    out: FloatArray = (dev * dev * (1.0 / e_r + 1.0 / e_c)).sum(axis=1)
    return out


def warn_id_like(n_categories: int, n_values: int, caller: str, stacklevel: int = 3) -> None:
    """Warn when nearly every value is its own category (an ID-like column)."""
    if n_values >= 20 and n_categories > 0.5 * n_values:
        warnings.warn(
            f"{caller}: {n_categories} distinct categories in {n_values} values: nearly "
            "every value is its own category (an ID, a timestamp or a continuous "
            "value stored as text?), so a test on category counts sees nothing; "
            "drop the column, convert it to numbers, or bin it",
            DegenerateDataWarning,
            stacklevel=stacklevel,
        )


def category_codes(
    ref: npt.NDArray[Any], cur: npt.NDArray[Any]
) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    pooled = np.concatenate([ref, cur])
    try:
        cats, inv = np.unique(pooled, return_inverse=True)
    except TypeError:  # mixed, unorderable objects
        cats, inv = np.unique(pooled.astype(str), return_inverse=True)
    inv = inv.ravel()
    return cats, inv[: ref.shape[0]], inv[ref.shape[0] :]


def chi_square(
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
    """Chi-square test of homogeneity for one categorical feature.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Category labels of any dtype (strings, ints, bools).
    alpha : float, default=0.05
        Significance level.
    n_resamples : int, default=999
        Permutations for the p-value when expected counts are small.
    min_effect : float, optional
        Minimum Cramér's V for a detection.
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with missing values (NaN or None).
    rng : int, Generator or None
        Seed for the permutations (used only with small expected counts).
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
        ``statistic``, ``p_value`` as :func:`scipy.stats.chi2_contingency` on
        the 2 x K table of counts (with Yates' correction when K = 2).
        ``effect_size`` is Cramér's V, ``sqrt(chi2 / N)``. ``details`` holds
        the categories, both count vectors and ``"unseen"``: categories of
        ``current`` absent from ``reference``.

    Notes
    -----
    Categories seen in only one sample are part of the table (a category new
    in ``current`` is strong evidence of drift, not an error). The chi-square
    approximation needs expected counts of about 5 or more (Cochran, 1954);
    when any expected count is below 5 the p-value comes instead from a
    permutation test of the same statistic (exact at every sample size;
    ``details["p_value_method"]``). When more than half of the values are distinct categories (an ID
    or timestamp column) a
    :class:`~mllifecycle.exceptions.DegenerateDataWarning` says the test
    cannot see anything.

    References
    ----------
    .. [1] Pearson, K. (1900). On the criterion that a given system of
       deviations ... Philosophical Magazine, 50(302), 157-175.

    Examples
    --------
    >>> from mllifecycle.drift import chi_square
    >>> res = chi_square(["a"] * 50 + ["b"] * 50, ["a"] * 20 + ["b"] * 60 + ["c"] * 20)
    >>> res.drift_detected, res.details["unseen"]
    (True, ['c'])
    """
    from scipy import stats

    caller = "chi_square"
    a, me, _, nb, gen = check_common(
        caller, alpha, min_effect, None, n_resamples, rng, need_permutations=True
    )
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    assert nb is not None
    ref, cur = check_pair_categorical(reference, current, caller, nan_policy)
    cats, rc, cc = category_codes(ref, cur)
    k = cats.shape[0]
    warn_id_like(k, rc.shape[0] + cc.shape[0], caller)
    cnt_r = np.bincount(rc, minlength=k)
    cnt_c = np.bincount(cc, minlength=k)
    n, m = ref.shape[0], cur.shape[0]
    unseen = [c for c, r in zip(cats.tolist(), cnt_r.tolist(), strict=True) if r == 0]
    details = {
        "categories": cats.tolist(),
        "reference_counts": cnt_r.tolist(),
        "current_counts": cnt_c.tolist(),
        "unseen": unseen,
    }
    if k < 2:
        warnings.warn(
            "chi_square: both samples hold a single category; the test cannot see drift",
            DegenerateDataWarning,
            stacklevel=2,
        )
        return _result("chi_square", 0.0, 1.0, 0.0, n, m, alpha=a, min_effect=me, details=details)
    r = stats.chi2_contingency(np.vstack([cnt_r, cnt_c]))
    chi2 = float(r.statistic)
    effect = float(np.sqrt(chi2 / (n + m)))
    details["dof"] = int(r.dof)
    p = float(r.pvalue)
    total = (cnt_r + cnt_c).astype(np.int64)
    if float(total.min()) * min(n, m) / (n + m) < 5.0:
        groups = pooled_groups(rc.astype(np.float64), cc.astype(np.float64), max_groups=None)
        tot = groups.sizes.astype(np.float64)

        def stat(cnt: FloatArray) -> FloatArray:
            return _pearson(cnt, tot, n, m)

        obs, perm = permutation_statistics(
            groups, stat, gen, nb, n_jobs=jobs, progress=progress, caller=caller
        )
        details["p_value_method"] = groups.mode
        p = permutation_p_value(
            obs, perm, alpha=a, caller=caller, details=details, kind="categories"
        )
    else:
        details["p_value_method"] = "asymptotic"
    return _result(
        "chi_square",
        chi2,
        p,
        min(effect, 1.0),
        n,
        m,
        alpha=a,
        min_effect=me,
        details=details,
    )
