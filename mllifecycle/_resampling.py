"""Resampling statistics shared by several packages."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_array, check_int, check_probability

__all__ = ["CorrectedTInterval", "canonical_order", "corrected_resampled_t"]



def canonical_order(x: npt.NDArray[np.floating], groups: npt.ArrayLike | None = None
                    ) -> npt.NDArray[np.intp]:
    """Row order of ``x`` that depends on the rows' values only (lexicographic).

    Random draws made by position (folds, subsamples, relabellings) over the
    rows in this order do not depend on the order the caller's rows came in:
    the same rows in another order get the same answer for the same seed.
    ``groups`` (one label per row) break ties between identical rows, as the
    least significant key.
    """
    if x.shape[0] == 0:
        return np.arange(0, dtype=np.intp)
    keys = list(x.T[::-1])
    if groups is not None:
        keys.insert(0, np.unique(np.asarray(groups), return_inverse=True)[1].reshape(-1))
    if not keys:
        return np.arange(x.shape[0], dtype=np.intp)
    return np.lexsort(keys)

@attrs.frozen(kw_only=True)
class CorrectedTInterval:
    """Mean, interval and p-value from the corrected resampled t-test."""

    mean: float
    ci_low: float
    ci_high: float
    p_value: float
    std_error: float
    n_splits: int


def corrected_resampled_t(
    differences: npt.ArrayLike,
    *,
    n_train: int,
    n_test: int,
    confidence_level: float = 0.95,
) -> CorrectedTInterval:
    """Corrected resampled t interval for a mean difference over CV splits.

    Repeated cross-validation scores are correlated because the training sets
    overlap; the naive standard error of their mean is far too small. Nadeau
    and Bengio [1]_ inflate the variance by ``1/J + n_test/n_train`` instead of
    ``1/J`` (J splits) and use a t distribution with J - 1 degrees of freedom.

    Parameters
    ----------
    differences : array-like of shape (n_splits,)
        Per-split score differences (method minus baseline).
    n_train, n_test : int
        Training and test set sizes of one split.
    confidence_level : float, default=0.95
        Coverage of the two-sided interval.

    Returns
    -------
    CorrectedTInterval
        ``mean``, ``ci_low``, ``ci_high``, two-sided ``p_value`` for a zero mean.

    References
    ----------
    .. [1] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52, 239-281 (2003).

    Examples
    --------
    >>> from mllifecycle._resampling import corrected_resampled_t
    >>> r = corrected_resampled_t([0.02, 0.03, 0.01, 0.04, 0.02], n_train=80, n_test=20)
    >>> round(r.mean, 3), r.ci_low > 0
    (0.024, True)
    """
    from scipy import stats

    d = check_array(differences, "differences", ndim=1, min_samples=2,
                    caller="corrected_resampled_t")
    n_train = check_int(n_train, "n_train", caller="corrected_resampled_t")
    n_test = check_int(n_test, "n_test", caller="corrected_resampled_t")
    level = check_probability(confidence_level, "confidence_level",
                              caller="corrected_resampled_t", open_interval=True)
    j = d.shape[0]
    mean = float(d.mean())
    var = float(d.var(ddof=1))
    se = float(np.sqrt((1.0 / j + n_test / n_train) * var))
    df = j - 1
    if se == 0.0:
        # all splits agree exactly: the interval collapses to the point
        p = 1.0 if mean == 0.0 else 0.0
        return CorrectedTInterval(mean=mean, ci_low=mean, ci_high=mean, p_value=p,
                                  std_error=0.0, n_splits=j)
    q = float(stats.t.ppf(0.5 + level / 2.0, df))
    t = mean / se
    p = float(2.0 * stats.t.sf(abs(t), df))
    return CorrectedTInterval(mean=mean, ci_low=mean - q * se, ci_high=mean + q * se,
                              p_value=min(1.0, p), std_error=se, n_splits=j)


