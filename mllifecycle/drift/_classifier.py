"""Classifier two-sample test: can a model tell current from reference rows."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import seeded_clone
from mllifecycle._scaling import pow2_scale
from mllifecycle._validation import check_has_methods, check_int, described, fail
from mllifecycle.drift._common import FloatArray, canonical_order, check_common, check_pair_2d
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._result import make_result as _result

__all__ = ["classifier_drift"]


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


def _standardise(z: FloatArray) -> FloatArray:
    """Columns centred on their median and divided by their spread, in float64.

    Many estimators (scikit-learn's forests among them) work in float32, whose
    resolution at ``1e9`` is 64: without this, ``1e9 + N(0, 1)`` data look
    constant to them. The spread is the interquartile range (the standard
    deviation when it is 0; 1 for a constant column); values are scaled by a
    power of two first so huge magnitudes do not overflow.
    """
    big = float(np.max(np.abs(z))) if z.size else 0.0
    if big > 1e100:
        z = z * pow2_scale(big)
    med = np.median(z, axis=0)
    z = z - med
    q75, q25 = np.percentile(z, [75, 25], axis=0)
    spread = q75 - q25
    sd = z.std(axis=0)
    spread = np.where(spread > 0, spread, np.where(sd > 0, sd, 1.0))
    out: FloatArray = z / spread
    return out


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


def _grouped_folds(
    z: FloatArray, y: npt.NDArray[np.int64], k: int, gen: np.random.Generator
) -> npt.NDArray[np.intp]:
    """Stratified fold labels that keep small groups of identical rows together.

    ``z`` is in canonical order, so identical rows are adjacent. A row whose
    twin (the same features, the other label) sits in a training fold is
    predicted as its twin's label: ``X`` against ``X.copy()`` gave AUC 0.06.
    Groups of fewer than ``2 k`` identical rows therefore go to one fold
    whole; larger groups (the levels of discrete data) are dealt over all
    ``k`` folds in random order, so every model still learns them. Which
    rows share a fold depends on the group sizes, not on the labels within
    a group, so labels stay exchangeable under the null. Without repeated
    rows these are the folds of :func:`_stratified_folds`.
    """
    n = y.shape[0]
    new = np.r_[True, np.any(z[1:] != z[:-1], axis=1)] if n else np.zeros(0, bool)
    if new.all():
        return _stratified_folds(y, k, gen)
    starts = np.flatnonzero(new)
    sizes = np.diff(np.r_[starts, n])
    fold = np.empty(n, dtype=np.intp)
    count = np.zeros((k, 2))
    for s, g in zip(starts[sizes >= 2 * k], sizes[sizes >= 2 * k], strict=True):
        # dealt without looking at the labels: a group dealt class by class
        # puts its label share in every fold, so a model learns a chance
        # majority at ``x`` and is scored on it (30% false positives at 5%)
        offset = int(gen.integers(k))
        fold[s + gen.permutation(g)] = (np.arange(g) + offset) % k
        np.add.at(count, (fold[s : s + g], y[s : s + g]), 1.0)
    small = np.flatnonzero(sizes < 2 * k)
    total = np.array([n - y.sum(), y.sum()], dtype=float)
    # whole groups, the largest first (ties in random order), each to the fold
    # whose class counts it fills least (as StratifiedGroupKFold)
    small = small[gen.permutation(small.shape[0])]
    small = small[np.argsort(-sizes[small], kind="stable")]
    for gi in small:
        s, g = starts[gi], sizes[gi]
        add = np.bincount(y[s : s + g], minlength=2).astype(float)
        share = (count + add) / total
        f = int(np.lexsort((count.sum(axis=1), share.max(axis=1)))[0])
        fold[s : s + g] = f
        count[f] += add
    return fold


#: A fold with fewer rows of one sample than this gets an exact fold p-value.
SMALL_FOLD = 10
_FOLD_RESAMPLES = 9999


def _fold_p_value(
    ranks: FloatArray, yt: npt.NDArray[np.int64], u_obs: float, gen: np.random.Generator
) -> float:
    """Permutation p-value of one fold's U (relabelling its test rows), ``(b + 1) / (B + 1)``.

    Given the fold's model the test scores are exchangeable under the null,
    so this is exact at any size; relabellings are drawn as random subsets of
    the smaller class (cheap: used for small folds only).
    """
    nk = yt.shape[0]
    n1 = int(yt.sum())
    small = min(n1, nk - n1)
    b = _FOLD_RESAMPLES
    idx = gen.integers(0, nk, size=(b, small))
    while True:  # redraw the subsets holding a row twice
        srt = np.sort(idx, axis=1)
        bad = np.flatnonzero((srt[:, 1:] == srt[:, :-1]).any(axis=1))
        if not bad.shape[0]:
            break
        idx[bad] = gen.integers(0, nk, size=(bad.shape[0], small))
    picked = ranks[idx].sum(axis=1)
    rank_sum_1 = picked if small == n1 else nk * (nk + 1.0) / 2.0 - picked
    u = rank_sum_1 - n1 * (n1 + 1.0) / 2.0
    hits = int(np.count_nonzero(u >= u_obs - 1e-9 * max(1.0, abs(u_obs))))
    return (hits + 1.0) / (b + 1.0)


def classifier_drift(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    estimator: Any = None,
    cv: int = 2,
    alpha: float = 0.05,
    min_effect: float | None = None,
    rng: int | np.random.Generator | None = None,
) -> DriftResult:
    """Classifier two-sample test: can a model tell current from reference rows.

    Parameters
    ----------
    reference, current : array-like of shape (n, d)
        The two samples; two tables (pandas, polars, pyarrow) must have the same column
        names in the same order.
    estimator : scikit-learn classifier, optional
        Cloned, never mutated. Needs ``predict_proba`` or ``decision_function``.
        A classifier of the user's own without ``get_params`` (a plain class
        with ``fit`` and one of those methods) is deep-copied for each fold
        instead of cloned (and not seeded by ``rng``: it has no parameters to
        set).
        Default: ``RandomForestClassifier(n_estimators=50, min_samples_leaf=5)``.
    cv : int, default=2
        Stratified, shuffled folds; every row is scored by a model that did
        not see it. Under the dependence-free bound below, fewer folds give
        more power: at n = 50 + 50 with a 0.6 sd shift, ``cv=2`` detected 40%
        of shifts in our simulation and ``cv=5`` 3% (mmd and energy: 65-72%).
    alpha : float, default=0.05
        Significance level.
    min_effect : float, optional
        Minimum ``2 AUC - 1`` for a detection.
    rng : int, Generator or None
        Seeds the folds and the estimator's ``random_state`` parameters left
        at None (its own and its sub-estimators', e.g. a pipeline step's).

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
    Features are centred on their median and divided by their interquartile
    range (in float64) before the estimator sees them: forests work in
    float32, which cannot resolve ``1e9 + N(0, 1)``.

    Rows are put in a canonical (lexicographic) order before the folds are
    drawn, so the result does not depend on the row order. Identical rows
    (the same row in both samples) go to one fold while fewer than
    ``2 cv`` share a value, so no row is scored by a model that saw its twin
    with the other label (``X`` against ``X.copy()`` gave AUC 0.23, and
    shared rows masked a shift); more frequent values (discrete data) are
    dealt over all folds, so every model learns them. Scores are only
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

    The normal tail needs folds holding more than a handful of rows of each
    sample: with one or two reference rows in a fold and tied scores (a
    nearest-neighbour or tree model), it was a tenth of the true tail (8-9%
    false positives at alpha = 0.05 for 3 rows against 60). When a fold holds
    fewer than 10 rows of one sample, the p-value is therefore at least the
    Bonferroni combination ``K * min_k p_k`` of the K scored folds' exact permutation
    p-values (9999 relabellings of each fold's test rows, seeded by ``rng``),
    which is valid under any dependence between the folds
    (``details["p_value_method"]`` says so).

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
    if isinstance(estimator, type):  # sklearn's clone fails without naming the argument
        fail("estimator", "an estimator instance (e.g. RandomForestClassifier())",
             described(f"the class {estimator.__name__}"), caller)
    check_has_methods(estimator, "estimator", ["fit"], caller)
    if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
        fail(
            "estimator",
            "a classifier with predict_proba() or decision_function()",
            described(type(estimator).__name__),
            caller,
        )
    seed = int(gen.integers(0, 2**31 - 1))
    z = _standardise(np.concatenate([ref, cur], axis=0))
    y = np.r_[np.zeros(n, dtype=np.int64), np.ones(m, dtype=np.int64)]
    order = canonical_order(np.column_stack([z, y]))
    z, y = z[order], y[order]
    # every random_state left at None is seeded, also a pipeline step's
    # (``randomforestclassifier__random_state``): the same rng, the same result.
    # A user's classifier written as a plain class (fit and predict_proba, no
    # get_params) is copied instead: sklearn's clone refused it with a TypeError
    est = seeded_clone(estimator, seed)  # (a deep copy of an object without get_params)
    fresh = clone if hasattr(estimator, "get_params") else copy.deepcopy
    fold_of = _grouped_folds(z, y, k, np.random.default_rng(seed))
    imp = np.zeros(z.shape[1])
    have_imp = True
    u_sum = u_mean = u_sd = pairs = 0.0
    scored: list[tuple[FloatArray, npt.NDArray[np.int64], float]] = []
    for f in range(k):
        train, test = np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)
        yt = y[test]
        n1k = float(yt.sum())
        n0k = float(yt.shape[0]) - n1k
        if n1k * n0k == 0:
            continue  # no pair to compare (possible when identical rows share a fold)
        if np.unique(y[train]).shape[0] < 2:
            # the other folds hold one class only: no model can rank, all scores tie
            u_sum += n1k * n0k / 2.0
            u_mean += n1k * n0k / 2.0
            pairs += n1k * n0k
            continue
        e = fresh(est)
        e.fit(z[train], y[train])  # not its return value: a user's fit may return None
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
        ranks, tie_counts = _average_ranks(sc)
        nk = n1k + n0k
        tie = float(((tie_counts**3) - tie_counts).sum())
        u_k = float(ranks[yt == 1].sum()) - n1k * (n1k + 1.0) / 2.0
        u_sum += u_k
        scored.append((ranks, yt, u_k))
        u_mean += n1k * n0k / 2.0
        var_k = n1k * n0k / 12.0 * ((nk + 1.0) - tie / (nk * (nk - 1.0)))
        u_sd += float(np.sqrt(max(var_k, 0.0)))
        pairs += n1k * n0k
    if pairs == 0:
        fail(
            "reference",
            "rows that can be split into folds holding both samples (groups of "
            f"fewer than 2 * cv = {2 * k} identical rows are kept in one fold, so that no "
            "row is scored by a model that saw its twin)",
            described(f"{np.unique(z, axis=0).shape[0]} distinct rows over both samples"),
            caller,
        )
    auc = u_sum / pairs
    # sd of a sum <= sum of sds, whatever the dependence between folds
    p = float(special.ndtr(-(u_sum - u_mean - 0.5) / u_sd)) if u_sd > 0 else 1.0
    details: dict[str, Any] = {
        "p_value_method": "within-fold Mann-Whitney U, dependence-free bound",
    }
    if scored and min(min(yt.sum(), yt.shape[0] - yt.sum()) for _, yt, _ in scored) < SMALL_FOLD:
        # a fold holding a few rows of one sample: its U is far from normal
        # (with one or two such rows and tied scores, the normal tail was a
        # tenth of the true one: 8-9% false positives at alpha = 0.05). The
        # exact fold p-values combined by Bonferroni hold under any
        # dependence between folds; the larger of the two p-values is kept.
        fold_gen = np.random.default_rng([seed, 1])
        p_folds = [_fold_p_value(r_k, yt_k, u_k, fold_gen) for r_k, yt_k, u_k in scored]
        p = max(p, min(1.0, len(p_folds) * min(p_folds)))
        details["p_value_method"] = (
            "within-fold Mann-Whitney U, dependence-free bound and Bonferroni of exact "
            "fold p-values (small folds)"
        )
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
            **details,
        },
    )
