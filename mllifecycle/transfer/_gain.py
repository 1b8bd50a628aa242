"""Cross-validated gain of a transfer method over target-only training."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._results import attrs_to_dict, format_value, html_table
from mllifecycle._validation import (
    check_int,
    check_probability,
    check_rng,
    described,
    fail,
)
from mllifecycle.transfer._common import (
    FloatArray,
    check_pair_xy,
    folds_for,
    new_seed,
    resolve_scorer,
    seeded_clone,
)
from mllifecycle.transfer._finetune import _check_estimator, _resolve_strategy, finetune

__all__ = ["TransferGain", "transfer_gain"]

_CALLER = "transfer_gain"


@attrs.frozen(kw_only=True, repr=False)
class TransferGain:
    """Did transfer help? The paired, cross-validated evidence.

    Attributes
    ----------
    gain : float
        Mean over splits of (transfer score - target-only score) on the same
        target test fold; positive means transfer helped.
    ci_low, ci_high : float
        Confidence interval of the gain from the corrected resampled t of
        Nadeau and Bengio, which accounts for the overlap of training sets.
    p_value : float
        Two-sided p-value for a zero gain.
    std_error : float
        Corrected standard error of ``gain``.
    confidence_level : float
        Coverage of the interval.
    verdict : str
        ``"transfer helps"`` (interval above 0), ``"negative transfer"``
        (interval below 0) or ``"no detectable gain"``.
    transfer_helps, negative_transfer : bool
        The verdict as two decisions.
    method : str
        The :func:`finetune` strategy evaluated.
    scoring : str
        The score compared (higher is better).
    transfer_score, baseline_score : float
        Mean test scores of the transfer model and of target-only training.
    transfer_scores, baseline_scores : tuple of float
        Per-split scores.
    n_splits, n_source, n_target : int
        Number of splits and rows.
    details : dict
        Per-split extras (e.g. the source weight chosen in each split).

    Examples
    --------
    >>> from mllifecycle.transfer import TransferGain
    >>> sorted(attrs.name for attrs in TransferGain.__attrs_attrs__)[:3]
    ['baseline_score', 'baseline_scores', 'ci_high']
    """

    gain: float
    ci_low: float
    ci_high: float
    p_value: float
    std_error: float
    confidence_level: float
    verdict: str
    transfer_helps: bool
    negative_transfer: bool
    method: str
    scoring: str
    transfer_score: float
    baseline_score: float
    transfer_scores: tuple[float, ...]
    baseline_scores: tuple[float, ...]
    n_splits: int
    n_source: int
    n_target: int
    details: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict."""
        return attrs_to_dict(self)

    def __repr__(self) -> str:
        return (
            f"TransferGain(verdict={self.verdict!r}, method={self.method!r}, "
            f"gain={format_value(self.gain)}, ci=[{format_value(self.ci_low)}, "
            f"{format_value(self.ci_high)}], p_value={format_value(self.p_value)}, "
            f"transfer_score={format_value(self.transfer_score)}, "
            f"baseline_score={format_value(self.baseline_score)}, "
            f"n_splits={self.n_splits})"
        )

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [["verdict", self.verdict], ["method", self.method],
                ["scoring", self.scoring], ["gain", self.gain],
                [f"{format_value(100 * self.confidence_level)}% interval",
                 f"[{format_value(self.ci_low)}, {format_value(self.ci_high)}]"],
                ["p_value", self.p_value], ["transfer_score", self.transfer_score],
                ["baseline_score", self.baseline_score], ["n_splits", self.n_splits],
                ["n_source", self.n_source], ["n_target", self.n_target]]
        return html_table(rows, ("", "value"), caption="TransferGain")


def _splits(cv: Any, n_repeats: int, y: Any, seed: int, classifier: bool,
            n: int) -> list[tuple[Any, Any]]:
    if isinstance(cv, int | np.integer) and not isinstance(cv, bool):
        k = check_int(cv, "cv", caller=_CALLER, low=2)
        if k > n:
            fail("cv", f"at most the number of target rows ({n})", cv, _CALLER)
        splitter = folds_for(y, k, seed, classifier=classifier, n_repeats=n_repeats)
    elif not isinstance(cv, str) and callable(getattr(cv, "split", None)):
        splitter = cv
    else:
        fail("cv", "an int >= 2 or a scikit-learn splitter (with split())", cv, _CALLER)
    out = list(splitter.split(np.zeros((n, 1)), y))
    if len(out) < 2:
        fail("cv", "a splitter giving at least 2 splits",
             described(f"{len(out)} split(s)"), _CALLER)
    return out


def transfer_gain(
    estimator: Any,
    source: Any,
    target: Any,
    *,
    method: str | Sequence[str] = "auto",
    cv: Any = 5,
    n_repeats: int = 3,
    scoring: Any = None,
    confidence_level: float = 0.95,
    finetune_params: Mapping[str, Any] | None = None,
    rng: Any = None,
) -> TransferGain:
    """Cross-validated gain of :func:`finetune` over training on the target alone.

    The target rows are split into folds (repeated ``n_repeats`` times). On
    every split both contenders train on the same target training rows, one
    with the source (``finetune(..., strategy=method)``, whose own tuning
    sees only those rows) and one without, and are scored on the same held-out
    target rows. The per-split differences give the gain and an interval
    from the corrected resampled t-test [1]_, which widens the naive interval
    for the overlap between training sets. Negative transfer [2]_ is reported
    as such, not hidden.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The model (cloned; an unset ``random_state`` is seeded from ``rng``).
    source, target : tuple (X, y)
        Source data and the task's labelled rows.
    method : str or list of str, default="auto"
        The :func:`finetune` strategy to evaluate.
    cv : int or splitter, default=5
        Folds over the target (stratified for classifiers when every class has
        enough rows), or any scikit-learn splitter (then ``n_repeats`` is
        ignored).
    n_repeats : int, default=3
        Repetitions of the ``cv``-fold split with different shuffles.
    scoring : str or callable, optional
        Score to compare (higher is better); default the estimator's ``score``.
    confidence_level : float, default=0.95
        Coverage of the interval.
    finetune_params : dict, optional
        Extra keyword arguments for :func:`finetune` (e.g. ``source_weight``,
        ``cv``, ``target_epochs``).
    rng : int, Generator or None
        Seeds the splits and each split's finetuning.

    Returns
    -------
    TransferGain
        ``gain``, ``ci_low``, ``ci_high``, ``p_value``, ``verdict``.

    References
    ----------
    .. [1] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52, 239-281 (2003).
    .. [2] Z. Wang, Z. Dai, B. Póczos and J. Carbonell, "Characterizing and
       avoiding negative transfer", CVPR (2019).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import transfer_gain
    >>> rng = np.random.default_rng(1)
    >>> w = rng.normal(size=20)
    >>> Xs = rng.normal(size=(5000, 20))
    >>> ys = (Xs @ w + rng.normal(0, 0.5, 5000) > 0).astype(int)
    >>> Xt = rng.normal(size=(50, 20))
    >>> yt = (Xt @ (w + rng.normal(0, 0.05, 20)) + rng.normal(0, 0.5, 50) > 0).astype(int)
    >>> res = transfer_gain(LogisticRegression(), (Xs, ys), (Xt, yt),
    ...                     scoring="neg_log_loss",
    ...                     finetune_params={"source_weight": 1.0}, rng=0)
    >>> res.verdict, res.ci_low > 0
    ('transfer helps', True)
    """
    _check_estimator(estimator, _CALLER)
    xs, ys, xt, yt = check_pair_xy(source, target, _CALLER)
    strategy, _ = _resolve_strategy(estimator, method, _CALLER)
    reps = check_int(n_repeats, "n_repeats", caller=_CALLER)
    level = check_probability(confidence_level, "confidence_level", caller=_CALLER,
                              open_interval=True)
    scorer = resolve_scorer(estimator, scoring, _CALLER)
    params = dict(finetune_params or {})
    if not isinstance(finetune_params, Mapping | None):
        fail("finetune_params", "a dict of finetune keyword arguments or None",
             finetune_params, _CALLER)
    for bad in ("strategy", "rng"):
        if bad in params:
            fail("finetune_params", f"a dict without {bad!r} (pass "
                 f"{'method' if bad == 'strategy' else 'rng'} to transfer_gain)",
                 finetune_params, _CALLER)
    params.setdefault("scoring", scoring)
    gen = check_rng(rng, caller=_CALLER)
    from sklearn.base import is_classifier

    splits = _splits(cv, reps, yt, new_seed(gen), bool(is_classifier(estimator)),
                     xt.shape[0])
    t_scores: list[float] = []
    b_scores: list[float] = []
    weights: list[float | None] = []
    n_train: list[int] = []
    n_test: list[int] = []
    for tr, te in splits:
        seed = new_seed(gen)
        base = seeded_clone(estimator, seed).fit(xt[tr], yt[tr])
        res = finetune(estimator, (xs, ys), (xt[tr], yt[tr]), strategy=strategy,
                       rng=seed, **params)
        t_scores.append(float(scorer(res.model, xt[te], yt[te])))
        b_scores.append(float(scorer(base, xt[te], yt[te])))
        weights.append(res.source_weight)
        n_train.append(len(tr))
        n_test.append(len(te))
    diffs: FloatArray = np.asarray(t_scores) - np.asarray(b_scores)
    ci = corrected_resampled_t(diffs, n_train=round(float(np.mean(n_train))),
                               n_test=round(float(np.mean(n_test))),
                               confidence_level=level)
    helps = ci.ci_low > 0.0
    hurts = ci.ci_high < 0.0
    verdict = ("transfer helps" if helps else "negative transfer" if hurts
               else "no detectable gain")
    scoring_name = scoring if isinstance(scoring, str) else (
        "default score" if scoring is None else getattr(scoring, "__name__", "custom"))
    details: dict[str, Any] = {"differences": diffs.tolist()}
    if strategy == "weighted":
        details["source_weights"] = weights
    return TransferGain(
        gain=ci.mean, ci_low=ci.ci_low, ci_high=ci.ci_high, p_value=ci.p_value,
        std_error=ci.std_error, confidence_level=level, verdict=verdict,
        transfer_helps=bool(helps), negative_transfer=bool(hurts), method=strategy,
        scoring=str(scoring_name), transfer_score=float(np.mean(t_scores)),
        baseline_score=float(np.mean(b_scores)), transfer_scores=tuple(t_scores),
        baseline_scores=tuple(b_scores), n_splits=len(splits), n_source=xs.shape[0],
        n_target=xt.shape[0], details=details,
    )
