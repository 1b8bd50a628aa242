"""Did augmentation help? Repeated cross-validation, augmenting training folds only."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._results import attrs_to_dict, format_value, html_table
from mllifecycle._validation import (
    RNGLike,
    check_has_methods,
    check_int,
    check_probability,
    check_rng,
    described,
    fail,
)
from mllifecycle.augment._common import check_X, check_y, is_continuous

__all__ = ["AugmentationGainResult", "augmentation_gain"]


@attrs.frozen(kw_only=True, repr=False)
class AugmentationGainResult:
    """Score with and without augmentation on the same cross-validation folds.

    Attributes
    ----------
    gain : float
        Mean over splits of ``augmented - baseline`` test score (positive
        means augmentation helped, for a score where higher is better).
    ci_low, ci_high : float
        Corrected resampled t confidence interval of ``gain`` (Nadeau and
        Bengio), which accounts for overlapping training sets.
    p_value : float
        Two-sided p-value of a zero mean gain.
    std_error : float
        Corrected standard error of ``gain``.
    confidence_level : float
    baseline_score, augmented_score : float
        Mean test scores without and with augmentation.
    baseline_scores, augmented_scores : tuple of float
        Per-split test scores.
    verdict : str
        ``"helped"`` (interval above 0), ``"hurt"`` (below 0) or
        ``"no detectable effect"`` (interval contains 0).
    scoring : str
        The scorer used.
    n_splits : int
        Number of train/test splits.
    n_train, n_test : int
        Mean training and test fold sizes (before augmentation).
    method : str

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.augment import augmentation_gain, smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (300, 2)), rng.normal(1.5, 1, (30, 2))]
    >>> y = np.r_[np.zeros(300, int), np.ones(30, int)]
    >>> res = augmentation_gain(GaussianNB(), X, y, smote, rng=0)
    >>> type(res).__name__, res.ci_low <= res.gain <= res.ci_high
    ('AugmentationGainResult', True)
    """

    gain: float
    ci_low: float
    ci_high: float
    p_value: float = attrs.field(
        validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    std_error: float
    confidence_level: float
    baseline_score: float
    augmented_score: float
    baseline_scores: tuple[float, ...]
    augmented_scores: tuple[float, ...]
    verdict: str
    scoring: str
    n_splits: int
    n_train: int
    n_test: int
    method: str

    @property
    def helped(self) -> bool:
        """Whether the whole confidence interval lies above zero."""
        return self.verdict == "helped"

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def __repr__(self) -> str:
        return (
            f"AugmentationGainResult(gain={format_value(self.gain)}, "
            f"ci=[{format_value(self.ci_low)}, {format_value(self.ci_high)}], "
            f"p_value={format_value(self.p_value)}, verdict={self.verdict!r}, "
            f"scoring={self.scoring!r}, n_splits={self.n_splits})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (k, v) for k, v in self.to_dict().items()
            if k not in ("baseline_scores", "augmented_scores")
        ]
        return html_table(rows, ["field", "value"], caption="AugmentationGainResult")


def _augment(augmenter: Any, X: npt.NDArray[Any], y: npt.NDArray[Any],
             seed: int) -> tuple[Any, Any]:
    """Apply a sampler (cloned, reseeded) or a function taking ``rng``."""
    if hasattr(augmenter, "fit_resample"):
        from sklearn.base import clone

        sampler = clone(augmenter) if hasattr(augmenter, "get_params") else augmenter
        if hasattr(sampler, "get_params") and "random_state" in sampler.get_params():
            sampler.set_params(random_state=seed)
        out = sampler.fit_resample(X, y)
    else:
        out = augmenter(X, y, rng=seed)
    return out[0], out[1]


def augmentation_gain(
    estimator: Any,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    augmenter: Any,
    *,
    cv: Any = 5,
    n_repeats: int = 5,
    scoring: Any = None,
    confidence_level: float = 0.95,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> AugmentationGainResult:
    """Estimate whether augmenting the training data improves held-out scores.

    Repeated (stratified, for class labels) k-fold cross-validation: in each
    split, a clone of ``estimator`` is fitted on the training fold as is and
    another on the training fold augmented by ``augmenter``; both are scored
    on the untouched test fold. Only the training fold is ever augmented, so
    no synthetic child of a test row can reach training (augmenting before
    splitting is the classic leak, and shows large false gains for a
    memorising model). The per-split differences get the corrected
    resampled t interval of Nadeau and Bengio [1]_, which widens the naive
    interval for the overlap of training sets.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Cloned for every fit; never mutated.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    augmenter : sampler or callable
        An object with ``fit_resample(X, y)`` (cloned per split, its
        ``random_state`` set from ``rng``), or a function called as
        ``augmenter(X_train, y_train, rng=seed)`` returning ``(X, y, ...)``,
        such as :func:`smote` or a ``functools.partial`` of it.
    cv : int or cross-validation splitter, default=5
        Number of folds (repeated ``n_repeats`` times, shuffled with ``rng``),
        or a splitter with ``split(X, y)`` used as given.
    n_repeats : int, default=5
        Repetitions when ``cv`` is an int.
    scoring : str or callable, optional
        A scikit-learn scorer (higher is better); default the estimator's
        ``score``.
    confidence_level : float, default=0.95
        Coverage of the interval.
    n_jobs : int, optional
        Splits evaluated in parallel with joblib.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the splits and the augmenter.

    Returns
    -------
    AugmentationGainResult
        ``gain``, ``ci_low``, ``ci_high``, ``p_value``, ``verdict`` and the
        per-split scores.

    References
    ----------
    .. [1] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52, 239-281 (2003).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.augment import augmentation_gain, smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (1000, 2)), rng.normal(1.5, 1, (50, 2))]
    >>> y = np.r_[np.zeros(1000, int), np.ones(50, int)]
    >>> res = augmentation_gain(GaussianNB(), X, y, smote,
    ...                         scoring="balanced_accuracy", rng=0)
    >>> res.verdict
    'helped'
    """
    caller = "augmentation_gain"
    check_has_methods(estimator, "estimator", ["fit"], caller)
    if not (hasattr(augmenter, "fit_resample") or callable(augmenter)):
        fail("augmenter", "a sampler with fit_resample(X, y) or a callable "
             "augmenter(X, y, rng=...)", augmenter, caller)
    if not hasattr(augmenter, "fit_resample"):
        try:
            params = inspect.signature(augmenter).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        if params and "rng" not in params and not any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
        ):
            fail("augmenter", "a callable accepting the keyword 'rng'",
                 described(f"{getattr(augmenter, '__name__', augmenter)!r} without "
                           "an rng keyword"), caller)
    Xa, _ = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    level = check_probability(confidence_level, "confidence_level", caller=caller,
                              open_interval=True)
    gen = check_rng(rng, caller=caller)
    from sklearn.base import clone
    from sklearn.metrics import check_scoring
    from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold

    continuous = is_continuous(ya)
    if isinstance(cv, int) and not isinstance(cv, bool):
        folds = check_int(cv, "cv", caller=caller, low=2)
        reps = check_int(n_repeats, "n_repeats", caller=caller, low=1)
        seed = int(gen.integers(2**31 - 1))
        splitter: Any = (
            RepeatedKFold(n_splits=folds, n_repeats=reps, random_state=seed)
            if continuous
            else RepeatedStratifiedKFold(n_splits=folds, n_repeats=reps,
                                         random_state=seed)
        )
        if not continuous:
            smallest = int(np.unique(ya, return_counts=True)[1].min())
            if smallest < folds:
                fail("cv", f"at most the size of the smallest class ({smallest}) "
                     "for stratified folds", cv, caller)
    elif hasattr(cv, "split") and not isinstance(cv, str):
        splitter = cv
    else:
        fail("cv", "an int >= 2 or a splitter with split(X, y)", cv, caller)
    scorer = check_scoring(estimator, scoring=scoring)
    splits = list(splitter.split(Xa, ya))
    if len(splits) < 2:
        fail("cv", "at least 2 train/test splits", described(f"{len(splits)} split(s)"),
             caller)
    seeds = gen.integers(2**31 - 1, size=len(splits))

    def one(train: npt.NDArray[np.intp], test: npt.NDArray[np.intp],
            seed: int) -> tuple[float, float]:
        Xt, yt = Xa[train], ya[train]
        base = clone(estimator).fit(Xt, yt)
        Xg, yg = _augment(augmenter, Xt, yt, int(seed))
        aug = clone(estimator).fit(Xg, yg)
        return (float(scorer(base, Xa[test], ya[test])),
                float(scorer(aug, Xa[test], ya[test])))

    if n_jobs is None or n_jobs == 1:
        pairs = [one(tr, te, s) for (tr, te), s in zip(splits, seeds, strict=True)]
    else:
        from joblib import Parallel, delayed

        pairs = Parallel(n_jobs=n_jobs)(
            delayed(one)(tr, te, s) for (tr, te), s in zip(splits, seeds, strict=True)
        )
    base_s = np.array([p[0] for p in pairs])
    aug_s = np.array([p[1] for p in pairs])
    n_train = round(np.mean([len(tr) for tr, _ in splits]))
    n_test = round(np.mean([len(te) for _, te in splits]))
    ci = corrected_resampled_t(aug_s - base_s, n_train=n_train, n_test=n_test,
                               confidence_level=level)
    if ci.ci_low > 0:
        verdict = "helped"
    elif ci.ci_high < 0:
        verdict = "hurt"
    else:
        verdict = "no detectable effect"
    name = scoring if isinstance(scoring, str) else (
        "score" if scoring is None else getattr(scoring, "__name__", "custom"))
    return AugmentationGainResult(
        gain=ci.mean, ci_low=ci.ci_low, ci_high=ci.ci_high, p_value=ci.p_value,
        std_error=ci.std_error, confidence_level=level,
        baseline_score=float(base_s.mean()), augmented_score=float(aug_s.mean()),
        baseline_scores=tuple(base_s.tolist()), augmented_scores=tuple(aug_s.tolist()),
        verdict=verdict, scoring=name, n_splits=len(splits), n_train=n_train,
        n_test=n_test,
        method="repeated CV, training folds augmented, corrected resampled t "
               "(Nadeau & Bengio 2003)",
    )
