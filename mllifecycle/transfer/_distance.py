"""How far apart two domains are, with a plain reading for transfer."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from mllifecycle._estimators import new_seed
from mllifecycle._resampling import canonical_order
from mllifecycle._results import flat_metrics, format_value, html_table, jsonable
from mllifecycle._validation import (
    check_alpha,
    check_array,
    check_int,
    check_rng,
    check_same_n_features,
    check_scalar,
    described,
    fail,
)
from mllifecycle.transfer._common import (
    as_numpy,
    check_estimator_instance,
    check_same_columns,
    scale_columns,
)

__all__ = ["DomainDistance", "domain_distance"]

_CALLER = "domain_distance"


@attrs.frozen(kw_only=True, repr=False)
class DomainDistance:
    """How far the target domain is from the source, and what that means.

    Attributes
    ----------
    risk : str
        ``"low"``, ``"moderate"`` or ``"high"``.
    reading : str
        A plain sentence: whether transfer is likely safe or risky, and why.
    auc : float
        Out-of-fold AUC of a classifier telling target rows from source rows
        (0.5: indistinguishable; 1: fully separable).
    mmd : DriftResult
        Result of :func:`mllifecycle.drift.mmd` on standardised features.
    classifier : DriftResult
        Result of :func:`mllifecycle.drift.classifier_drift`.
    shift_detected : bool
        Whether either test detected a difference at ``alpha``.
    n_source, n_target : int
        Rows compared (after subsampling for MMD, see ``details``).
    details : dict
        Thresholds used and subsample sizes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import domain_distance
    >>> rng = np.random.default_rng(0)
    >>> d = domain_distance(rng.normal(size=(300, 3)), rng.normal(2.0, 1.0, (300, 3)),
    ...                     estimator=LogisticRegression(), n_resamples=100, rng=0)
    >>> d.risk, d.auc > 0.9
    ('high', True)
    """

    risk: str
    reading: str
    auc: float
    mmd: Any
    classifier: Any
    shift_detected: bool
    n_source: int
    n_target: int
    details: dict[str, Any] = attrs.field(factory=dict)

    @property
    def transfer_likely_safe(self) -> bool:
        """True when the risk is low."""
        return self.risk == "low"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict."""
        return {
            "risk": self.risk,
            "reading": self.reading,
            "auc": jsonable(self.auc),
            "shift_detected": self.shift_detected,
            "transfer_likely_safe": self.transfer_likely_safe,
            "mmd": self.mmd.to_dict(),
            "classifier": self.classifier.to_dict(),
            "n_source": self.n_source,
            "n_target": self.n_target,
            "details": jsonable(self.details),
        }

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat dict (``auc``, ``mmd.p_value``, ...)."""
        return flat_metrics(self.to_dict())

    def __repr__(self) -> str:
        return (
            f"DomainDistance(risk={self.risk!r}, auc={format_value(self.auc)}, "
            f"mmd={format_value(self.mmd.statistic)} "
            f"(p={format_value(self.mmd.p_value)}), "
            f"shift_detected={self.shift_detected}, n_source={self.n_source}, "
            f"n_target={self.n_target})\n{self.reading}"
        )

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [["risk", self.risk], ["reading", self.reading],
                ["classifier AUC", self.auc],
                ["classifier p-value", self.classifier.p_value],
                ["MMD^2", self.mmd.statistic], ["MMD p-value", self.mmd.p_value],
                ["n_source", self.n_source], ["n_target", self.n_target]]
        return html_table(rows, ("", "value"), caption="DomainDistance")


def _subsample(x: Any, k: int, gen: np.random.Generator) -> Any:
    if x.shape[0] <= k:
        return x
    return x[np.sort(gen.choice(x.shape[0], k, replace=False))]


def domain_distance(
    X_source: Any,
    X_target: Any,
    *,
    alpha: float = 0.05,
    estimator: Any = None,
    cv: int = 5,
    n_resamples: int = 200,
    max_samples: int = 1000,
    thresholds: tuple[float, float] = (0.6, 0.8),
    rng: Any = None,
) -> DomainDistance:
    """How far apart the source and target domains are, read for transfer.

    Pretrained models lose value as the task drifts from their source [1]_.
    This runs two tests from :mod:`mllifecycle.drift` on the features: the
    kernel MMD test [2]_ (on features standardised by the pooled mean and
    standard deviation) and a classifier two-sample test [3]_, whose
    out-of-fold AUC is a scale-free distance, and reads them.

    Parameters
    ----------
    X_source, X_target : array-like of shape (n, n_features)
        Features of the two domains (no labels needed).
    alpha : float, default=0.05
        Level of both tests.
    estimator : classifier, optional
        Domain classifier for :func:`mllifecycle.drift.classifier_drift`
        (default there: a random forest).
    cv : int, default=5
        Folds of the classifier test.
    n_resamples : int, default=200
        Permutations of the MMD test.
    max_samples : int, default=1000
        Rows per domain used by MMD (a random subsample above it; MMD costs
        ``(n + m)^2`` kernel evaluations per permutation batch).
    thresholds : tuple of float, default=(0.6, 0.8)
        AUC limits between low, moderate and high risk.
    rng : int, Generator or None
        Seeds the subsample, the permutations and the folds. They are drawn
        over each sample's rows in a canonical (lexicographic) order, so the
        same rows in another order give the same answer.

    Returns
    -------
    DomainDistance
        ``risk``, ``reading``, ``auc`` and both test results.

    Notes
    -----
    ``risk`` is ``"low"`` when neither test detects a shift or the AUC is below
    ``thresholds[0]``; ``"high"`` when the AUC reaches ``thresholds[1]`` (most
    target rows look unlike any source row); ``"moderate"`` in between. The
    thresholds are conventions, not laws: a high risk says a pretrained model
    may lose value, :func:`transfer_gain` says whether it did.

    References
    ----------
    .. [1] S. Ben-David, J. Blitzer, K. Crammer, A. Kulesza, F. Pereira and
       J. W. Vaughan, "A theory of learning from different domains",
       Machine Learning 79, 151-175 (2010).
    .. [2] A. Gretton, K. M. Borgwardt, M. J. Rasch, B. Schölkopf and A. Smola,
       "A kernel two-sample test", JMLR 13, 723-773 (2012).
    .. [3] D. Lopez-Paz and M. Oquab, "Revisiting classifier two-sample tests",
       ICLR (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import domain_distance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 3))
    >>> d = domain_distance(X[:200], X[200:], estimator=LogisticRegression(),
    ...                     n_resamples=100, rng=0)
    >>> d.risk, d.transfer_likely_safe
    ('low', True)
    """
    from mllifecycle.drift import classifier_drift, mmd

    a = check_alpha(alpha, caller=_CALLER)
    check_same_columns(X_source, X_target, ("X_source", "X_target"), _CALLER)
    xs = check_array(as_numpy(X_source, "X_source", _CALLER), "X_source", caller=_CALLER,
                     ndim=2, min_samples=2)
    xt = check_array(as_numpy(X_target, "X_target", _CALLER), "X_target", caller=_CALLER,
                     ndim=2, min_samples=2)
    check_same_n_features(xs, xt, ("X_source", "X_target"), _CALLER)
    xs, xt = scale_columns(xs, xt)
    # one memory layout: sums over a Fortran-ordered X ran in another order,
    # and the MMD statistic of the same numbers moved in the last bit
    xs, xt = np.ascontiguousarray(xs), np.ascontiguousarray(xt)
    # each sample in a canonical (lexicographic) row order: the MMD subsample
    # is drawn by position, so the same rows in another order gave another
    # statistic and p-value (the classifier puts its rows in order itself)
    xs, xt = xs[canonical_order(xs)], xt[canonical_order(xt)]
    nperm = check_int(n_resamples, "n_resamples", caller=_CALLER)
    ms = check_int(max_samples, "max_samples", caller=_CALLER, low=2)
    k = check_int(cv, "cv", caller=_CALLER, low=2)
    if k > min(xs.shape[0], xt.shape[0]):
        # checked here so the error names domain_distance, not classifier_drift
        fail("cv", f"at most the smaller sample size ({min(xs.shape[0], xt.shape[0])}) "
             "(each fold of the domain classifier needs rows of both domains)", k, _CALLER)
    if estimator is not None:
        check_estimator_instance(estimator, ["fit"], _CALLER)
        if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
            fail("estimator", "a classifier with predict_proba() or decision_function()",
                 described(type(estimator).__name__), _CALLER)
    if not (isinstance(thresholds, tuple | list) and len(thresholds) == 2):
        fail("thresholds", "a pair (low, high) of AUCs", thresholds, _CALLER)
    lo = check_scalar(thresholds[0], "thresholds[0]", caller=_CALLER, low=0.5, high=1.0)
    hi = check_scalar(thresholds[1], "thresholds[1]", caller=_CALLER, low=0.5, high=1.0)
    if lo > hi:
        fail("thresholds", "a pair (low, high) with low <= high",
             described(f"({lo}, {hi})"), _CALLER)
    gen = check_rng(rng, caller=_CALLER)
    z = np.concatenate([xs, xt])
    mu, sd = z.mean(axis=0), z.std(axis=0)
    sd[sd == 0.0] = 1.0
    ss = _subsample((xs - mu) / sd, ms, gen)
    st = _subsample((xt - mu) / sd, ms, gen)
    m_res = mmd(ss, st, alpha=a, n_resamples=nperm, rng=new_seed(gen))
    c_res = classifier_drift(xs, xt, estimator=estimator, cv=k, alpha=a,
                             rng=new_seed(gen))
    auc = float(c_res.statistic)
    shift = bool(m_res.drift_detected or c_res.drift_detected)
    if not shift:
        risk = "low"
        reading = (f"Transfer likely safe: no shift detected at alpha={a:g} "
                   f"(classifier AUC {auc:.2f}, MMD p={m_res.p_value:.3g}).")
    elif auc < lo:
        risk = "low"
        reading = (f"Transfer likely safe: the domains differ only slightly "
                   f"(classifier AUC {auc:.2f} < {lo:g}); importance weighting "
                   "can absorb the shift.")
    elif auc < hi:
        risk = "moderate"
        reading = (f"Transfer risky: the domains differ (classifier AUC {auc:.2f}). "
                   "Reweight (importance_weights) or align (CORAL) the source, and "
                   "check with transfer_gain before relying on a pretrained model.")
    else:
        risk = "high"
        reading = (f"Transfer risky: the domains are far apart (classifier AUC "
                   f"{auc:.2f} >= {hi:g}); a pretrained model is likely to lose "
                   "value here. Measure with transfer_gain and prefer target data.")
    return DomainDistance(
        risk=risk, reading=reading, auc=auc, mmd=m_res, classifier=c_res,
        shift_detected=shift, n_source=xs.shape[0], n_target=xt.shape[0],
        details={"thresholds": [lo, hi], "mmd_rows": [ss.shape[0], st.shape[0]],
                 "standardised": True},
    )
