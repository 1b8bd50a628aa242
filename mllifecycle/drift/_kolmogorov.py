"""Two-sample Kolmogorov-Smirnov test on one feature."""

from __future__ import annotations

import numpy.typing as npt

from mllifecycle.drift._common import check_common, check_pair_1d, warn_constant
from mllifecycle.drift._ks import ks_pvalues, ks_statistic_columns
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result

__all__ = ["ks"]


def ks(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    min_effect: float | None = None,
    nan_policy: str = "raise",
) -> DriftResult:
    """Two-sample Kolmogorov-Smirnov test on one feature.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        The two samples (at least 2 values each).
    alpha : float, default=0.05
        Significance level, in (0, 1).
    min_effect : float, optional
        Also require ``effect_size >= min_effect`` (the KS distance) for a
        detection, so that tiny but "significant" shifts in large samples are
        not reported.
    nan_policy : {"raise", "omit"}, default="raise"
        What to do with NaN values.

    Returns
    -------
    DriftResult
        ``statistic`` is ``D = sup |F_ref - F_cur|``; ``effect_size`` is D.

    Notes
    -----
    Statistic and p-value equal :func:`scipy.stats.ks_2samp` (``method='auto'``):
    the exact null distribution when both samples have at most 10 000 values
    (Hodges 1958), Smirnov's asymptotic one otherwise. With ties (discrete
    data) the test is conservative: its false-positive rate is below alpha.

    References
    ----------
    .. [1] Hodges, J. L. (1958). The significance probability of the Smirnov
       two-sample test. Arkiv för Matematik, 3(5), 469-486.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import ks
    >>> rng = np.random.default_rng(0)
    >>> res = ks(rng.normal(size=500), rng.normal(0.3, 1.0, size=500))
    >>> res.drift_detected
    True
    """
    caller = "ks"
    a, me, _, _, _ = check_common(caller, alpha, min_effect)
    ref, cur = check_pair_1d(reference, current, caller, nan_policy)
    warn_constant(ref, cur, caller)
    d = ks_statistic_columns(ref[:, None], cur[:, None])
    d, p = ks_pvalues(d, ref.shape[0], cur.shape[0])
    return _result("ks", d[0], p[0], d[0], ref.shape[0], cur.shape[0], alpha=a, min_effect=me)
