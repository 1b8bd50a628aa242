"""Multivariate (2-D) two-sample drift tests: MMD, energy distance, classifier."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    check_has_methods,
    check_int,
    check_scalar,
    described,
    fail,
)
from mllifecycle.drift._common import (
    FloatArray,
    canonical_order,
    check_common,
    check_pair_2d,
    perm_labels,
    perm_p_value,
)
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._univariate import _cdf_stats, _result
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["mmd", "energy", "classifier_drift", "median_bandwidth"]

_BLOCK_BYTES = 64 * 2**20
_MEDIAN_MAX = 2000


def _sq_dists(a: FloatArray, b: FloatArray, a_sq: FloatArray, b_sq: FloatArray) -> FloatArray:
    d2 = a_sq[:, None] + b_sq[None, :] - 2.0 * (a @ b.T)
    out: FloatArray = np.maximum(d2, 0.0)
    return out


def _euclidean(a: FloatArray, b: FloatArray, a_sq: FloatArray, b_sq: FloatArray) -> FloatArray:
    """Exact Euclidean distances (differences, not the expansion, so 0 stays 0)."""
    from scipy.spatial.distance import cdist

    out: FloatArray = cdist(a, b)
    return out


def median_bandwidth(z: FloatArray) -> float:
    """Median of the pairwise Euclidean distances of the pooled sample.

    Above 2000 rows the median is taken over 2000 rows chosen evenly along the
    lexicographic order of the rows, so the result depends on the set of rows
    and not on their order.
    """
    n = z.shape[0]
    if n > _MEDIAN_MAX:
        order = canonical_order(z)
        z = z[order[np.linspace(0, n - 1, _MEDIAN_MAX).astype(np.intp)]]
    from scipy.spatial.distance import pdist

    return float(np.median(pdist(z)))


def _quadratic_forms(
    z: FloatArray,
    labels: npt.NDArray[np.float64],
    kernel: Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray],
) -> tuple[FloatArray, FloatArray, float]:
    """``q_b = a_b' K a_b``, ``r_b = a_b' K 1`` and ``1' K 1`` in one pass over K.

    ``K`` is the (N, N) kernel matrix of ``z``, computed once in row blocks of
    bounded memory; ``labels`` is (B, N) with rows ``a_b`` (1 = reference).
    """
    n = z.shape[0]
    sq = (z * z).sum(axis=1)
    blk = max(1, min(n, _BLOCK_BYTES // (8 * n)))
    at = np.ascontiguousarray(labels.T)  # (N, B)
    q = np.zeros(labels.shape[0])
    rs = np.zeros(n)
    for start in range(0, n, blk):
        stop = min(n, start + blk)
        kb = kernel(z[start:stop], z, sq[start:stop], sq)
        rs[start:stop] = kb.sum(axis=1)
        q += ((kb @ at) * at[start:stop]).sum(axis=0)
    r = labels @ rs
    return q, r, float(rs.sum())


def mmd(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_permutations: int = 500,
    bandwidth: float | None = None,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
) -> DriftResult:
    """Maximum mean discrepancy test with an RBF kernel and a permutation p-value.

    Parameters
    ----------
    reference, current : array-like of shape (n, d) or (n,)
        The two samples, same number of features.
    alpha : float, default=0.05
        Significance level.
    n_permutations : int, default=500
        Permutations; ``p = (b + 1) / (B + 1)`` with ``b`` the number of
        permuted statistics at least the observed one.
    bandwidth : float, optional
        RBF length scale ``sigma`` in ``k(x, y) = exp(-|x - y|^2 / (2 sigma^2))``.
        Default: the median pairwise distance of the pooled sample.
    min_effect : float, optional
        Minimum ``sqrt(max(MMD^2, 0))`` for a detection.
    rng : int, Generator or None
        Seed for the permutations.

    Returns
    -------
    DriftResult
        ``statistic`` is the unbiased estimate of MMD^2;
        ``effect_size`` is ``sqrt(max(MMD^2, 0))``; ``details["bandwidth"]``.

    Notes
    -----
    The (n + m) x (n + m) kernel matrix is computed once (in row blocks, so
    memory stays bounded); the observed and all permuted statistics are
    quadratic forms ``a' K a`` of 0/1 membership vectors, obtained together by
    matrix products. Cost ``O((n + m)^2 (B + d))``. Features are not scaled:
    standardise them first if their units differ.

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
    >>> mmd(ref, cur, n_permutations=200, rng=0).drift_detected
    True
    """
    caller = "mmd"
    a, me, _, nb, gen = check_common(
        caller, alpha, min_effect, None, n_permutations, rng, need_permutations=True
    )
    assert nb is not None
    ref, cur = check_pair_2d(reference, current, caller)
    z = np.concatenate([ref, cur], axis=0)
    n, m = ref.shape[0], cur.shape[0]
    if bandwidth is None:
        sigma = median_bandwidth(z)
        if sigma == 0.0:
            warnings.warn(
                "mmd: the median pairwise distance is 0 (many identical rows); using bandwidth 1.0",
                DegenerateDataWarning,
                stacklevel=2,
            )
            sigma = 1.0
    else:
        sigma = check_scalar(bandwidth, "bandwidth", caller=caller, low=0.0, low_inclusive=False)
    gamma = 1.0 / (2.0 * sigma * sigma)

    def kernel(a: FloatArray, b: FloatArray, a_sq: FloatArray, b_sq: FloatArray) -> FloatArray:
        out: FloatArray = np.exp(-gamma * _sq_dists(a, b, a_sq, b_sq))
        return out

    labels = np.vstack(
        [
            np.r_[np.ones(n), np.zeros(m)][None, :],
            perm_labels(gen, n + m, n, nb).astype(np.float64),
        ]
    )
    q, r, total = _quadratic_forms(z, labels, kernel)
    sxx = q - n
    sxy = r - q
    syy = total - 2.0 * r + q - m
    stats_ = sxx / (n * (n - 1.0)) + syy / (m * (m - 1.0)) - 2.0 * sxy / (n * m)
    obs = float(stats_[0])
    p = perm_p_value(obs, stats_[1:])
    effect = float(np.sqrt(max(obs, 0.0)))
    return _result(
        "mmd",
        obs,
        p,
        effect,
        n,
        m,
        alpha=a,
        min_effect=me,
        details={"bandwidth": sigma, "kernel": "rbf", "p_value_method": "permutation"},
    )


def energy(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.05,
    n_permutations: int = 500,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
) -> DriftResult:
    """Energy-distance two-sample test with a permutation p-value.

    Parameters
    ----------
    reference, current : array-like of shape (n, d) or (n,)
        The two samples.
    alpha : float, default=0.05
        Significance level.
    n_permutations : int, default=500
        Permutations; ``p = (b + 1) / (B + 1)``.
    min_effect : float, optional
        Minimum effect size (homogeneity coefficient, in [0, 1]).
    rng : int, Generator or None
        Seed for the permutations.

    Returns
    -------
    DriftResult
        ``statistic`` is the energy distance
        ``sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|)`` (V-statistic means; for
        1-D data it equals :func:`scipy.stats.energy_distance`).
        ``effect_size`` is Székely and Rizzo's homogeneity coefficient
        ``(2 E|X-Y| - E|X-X'| - E|Y-Y'|) / (2 E|X-Y|)``.

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
        caller, alpha, min_effect, None, n_permutations, rng, need_permutations=True
    )
    assert nb is not None
    ref, cur = check_pair_2d(reference, current, caller)
    n, m = ref.shape[0], cur.shape[0]
    if ref.shape[1] == 1:
        pooled = np.concatenate([ref[:, 0], cur[:, 0]])
        order = np.argsort(pooled, kind="stable")
        zs = pooled[order]
        lab = (order < n)[None, :]
        e_obs = 2.0 * float(_cdf_stats(zs, lab, n, 2)[0])
        cr = np.cumsum(lab[0, :-1]) / n
        cc = (np.arange(1, n + m) - np.cumsum(lab[0, :-1])) / m
        cross = float(((cr * (1 - cc) + cc * (1 - cr)) * np.diff(zs)).sum())
        perm = np.concatenate([2.0 * _cdf_stats(zs, lb, n, 2) for lb in _blocks(gen, n + m, n, nb)])
    else:
        z = np.concatenate([ref, cur], axis=0)
        labels = np.vstack(
            [
                np.r_[np.ones(n), np.zeros(m)][None, :],
                perm_labels(gen, n + m, n, nb).astype(np.float64),
            ]
        )
        q, r, total = _quadratic_forms(z, labels, _euclidean)
        e_all = 2.0 * (r - q) / (n * m) - q / n**2 - (total - 2.0 * r + q) / m**2
        e_obs, perm = float(e_all[0]), e_all[1:]
        cross = float((r[0] - q[0]) / (n * m))
    if e_obs <= 1e-12 * cross:  # rounding noise of identical samples
        e_obs = 0.0
    stat = float(np.sqrt(max(e_obs, 0.0)))
    p = perm_p_value(e_obs, perm)
    effect = float(max(e_obs, 0.0) / (2.0 * cross)) if cross > 0 else 0.0
    return _result(
        "energy",
        stat,
        p,
        min(effect, 1.0),
        n,
        m,
        alpha=a,
        min_effect=me,
        details={"p_value_method": "permutation"},
    )


def _blocks(gen: np.random.Generator, n_total: int, n_ref: int, n_perm: int) -> Any:
    from mllifecycle.drift._common import perm_blocks

    return perm_blocks(gen, n_total, n_ref, n_perm, 4)


def _average_ranks(x: FloatArray) -> tuple[FloatArray, npt.NDArray[np.float64]]:
    """Average ranks (1-based, ties share their mean rank) and tie-group sizes."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    new = np.r_[True, xs[1:] != xs[:-1]]
    starts = np.flatnonzero(new)
    counts = np.diff(np.r_[starts, x.shape[0]]).astype(np.float64)
    group = np.cumsum(new) - 1
    avg = starts + (counts + 1.0) / 2.0
    ranks = np.empty(x.shape[0])
    ranks[order] = avg[group]
    return ranks, counts


def _stratified_folds(
    y: npt.NDArray[np.int64], k: int, gen: np.random.Generator
) -> npt.NDArray[np.intp]:
    """Shuffled stratified fold labels: each class dealt round-robin into k folds."""
    fold = np.empty(y.shape[0], dtype=np.intp)
    offset = 0
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        fold[gen.permutation(idx)] = (np.arange(idx.shape[0]) + offset) % k
        offset += idx.shape[0]
    return fold


def classifier_drift(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    estimator: Any = None,
    cv: int = 5,
    alpha: float = 0.05,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
) -> DriftResult:
    """Classifier two-sample test: can a model tell current from reference rows.

    Parameters
    ----------
    reference, current : array-like of shape (n, d)
        The two samples.
    estimator : scikit-learn classifier, optional
        Cloned, never mutated. Needs ``predict_proba`` or ``decision_function``.
        Default: ``RandomForestClassifier(n_estimators=50, min_samples_leaf=5)``.
    cv : int, default=5
        Stratified, shuffled folds; every row is scored by a model that did
        not see it. Under the dependence-free bound below, fewer folds give
        more power (``cv=2`` is nearly exact; ``cv=5`` is conservative).
    alpha : float, default=0.05
        Significance level.
    min_effect : float, optional
        Minimum ``2 AUC - 1`` for a detection.
    rng : int, Generator or None
        Seeds the folds and the estimator's ``random_state`` (when it has one
        set to None).

    Returns
    -------
    DriftResult
        ``statistic`` is the cross-validated ROC AUC of "current vs
        reference" (the folds' Mann-Whitney U summed, over the summed number
        of pairs); ``p_value`` tests AUC > 0.5 (one-sided normal test of the
        summed U, its standard deviation bounded by the sum of the folds'
        standard deviations, with ties and continuity corrected);
        ``effect_size`` is ``max(0, 2 AUC - 1)``.
        ``details["auc"]`` and ``details["feature_importances"]`` (the mean
        over folds of ``feature_importances_`` or ``|coef_|``, normalised to
        sum to 1; None when the estimator has neither).

    Notes
    -----
    Rows are put in a canonical (lexicographic) order before the folds are
    drawn, so the result does not depend on the row order. Scores are only
    compared within a fold: pooling out-of-fold scores of different models
    into one Mann-Whitney test is anticonservative (the models' score scales
    differ; about 9.5% false positives at alpha = 0.05 in our simulation),
    while the within-fold U of one model is exactly distributed under the
    null. The folds' U statistics are positively correlated (each fold's
    model learns the noise the other folds are scored on; summing them as if
    independent also gave about 10% false positives), so the p-value bounds
    the standard deviation of their sum by the sum of their standard
    deviations (Cauchy-Schwarz), which holds under any dependence: the test
    is conservative, with the power of roughly one fold's worth of test
    rows averaged over ``cv`` models.

    References
    ----------
    .. [1] Lopez-Paz, D. and Oquab, M. (2017). Revisiting classifier
       two-sample tests. ICLR.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.drift import classifier_drift
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(size=(300, 3))
    >>> cur = rng.normal(size=(300, 3)); cur[:, 2] += 1.0
    >>> res = classifier_drift(ref, cur, estimator=LogisticRegression(), rng=0)
    >>> res.drift_detected, int(np.argmax(res.details["feature_importances"]))
    (True, 2)
    """
    from scipy import special
    from sklearn.base import clone

    caller = "classifier_drift"
    a, me, _, _, gen = check_common(caller, alpha, min_effect, None, None, rng)
    ref, cur = check_pair_2d(reference, current, caller)
    n, m = ref.shape[0], cur.shape[0]
    k = check_int(cv, "cv", caller=caller, low=2)
    if k > min(n, m):
        fail("cv", f"at most the smaller sample size ({min(n, m)})", k, caller)
    if estimator is None:
        from sklearn.ensemble import RandomForestClassifier

        estimator = RandomForestClassifier(n_estimators=50, min_samples_leaf=5)
    check_has_methods(estimator, "estimator", ["fit"], caller)
    if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
        fail(
            "estimator",
            "a classifier with predict_proba() or decision_function()",
            described(type(estimator).__name__),
            caller,
        )
    seed = int(gen.integers(0, 2**31 - 1))
    z = np.concatenate([ref, cur], axis=0)
    y = np.r_[np.zeros(n, dtype=np.int64), np.ones(m, dtype=np.int64)]
    order = canonical_order(np.column_stack([z, y]))
    z, y = z[order], y[order]
    est = clone(estimator)
    params = est.get_params() if hasattr(est, "get_params") else {}
    if "random_state" in params and params["random_state"] is None:
        est.set_params(random_state=seed)
    fold_of = _stratified_folds(y, k, np.random.default_rng(seed))
    imp = np.zeros(z.shape[1])
    have_imp = True
    u_sum = u_mean = u_sd = pairs = 0.0
    for f in range(k):
        train, test = np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)
        e = clone(est).fit(z[train], y[train])
        if hasattr(e, "predict_proba"):
            sc = np.asarray(e.predict_proba(z[test]))[:, 1]
        else:
            sc = np.asarray(e.decision_function(z[test]), dtype=float)
        if hasattr(e, "feature_importances_"):
            imp += np.asarray(e.feature_importances_, dtype=float)
        elif hasattr(e, "coef_"):
            imp += np.abs(np.asarray(e.coef_, dtype=float)).ravel()[: z.shape[1]]
        else:
            have_imp = False
        # Mann-Whitney U of this fold's scores (one model, exchangeable under H0)
        yt = y[test]
        ranks, tie_counts = _average_ranks(sc)
        n1k = float(yt.sum())
        n0k = float(yt.shape[0]) - n1k
        nk = n1k + n0k
        tie = float(((tie_counts**3) - tie_counts).sum())
        u_sum += float(ranks[yt == 1].sum()) - n1k * (n1k + 1.0) / 2.0
        u_mean += n1k * n0k / 2.0
        var_k = n1k * n0k / 12.0 * ((nk + 1.0) - tie / (nk * (nk - 1.0)))
        u_sd += float(np.sqrt(max(var_k, 0.0)))
        pairs += n1k * n0k
    auc = u_sum / pairs
    # sd of a sum <= sum of sds, whatever the dependence between folds
    p = float(special.ndtr(-(u_sum - u_mean - 0.5) / u_sd)) if u_sd > 0 else 1.0
    importances = (imp / imp.sum()).tolist() if have_imp and imp.sum() > 0 else None
    effect = max(0.0, 2.0 * auc - 1.0)
    return _result(
        "classifier_drift",
        auc,
        p,
        effect,
        n,
        m,
        alpha=a,
        min_effect=me,
        details={
            "auc": auc,
            "feature_importances": importances,
            "cv": k,
            "estimator": type(est).__name__,
            "p_value_method": "within-fold Mann-Whitney U, dependence-free bound",
        },
    )
