"""Pretrain on a source data set, then continue on the target: four strategies."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import attrs_to_dict, format_value, html_table, jsonable
from mllifecycle._validation import (
    check_callable,
    check_int,
    check_rng,
    check_same_n_features,
    check_scalar,
    described,
    fail,
)
from mllifecycle.transfer._common import (
    FloatArray,
    check_estimator_instance,
    check_pair_xy,
    check_xy,
    folds_for,
    new_seed,
    resolve_scorer,
    seeded_clone,
)

__all__ = [
    "STRATEGIES",
    "FinetuneResult",
    "StageReport",
    "ProgressiveResult",
    "finetune",
    "progressive",
]

#: Strategies in the order ``strategy="auto"`` tries them.
STRATEGIES = ("weighted", "partial_fit", "warm_start", "stacked")

_NEEDS = {
    "weighted": "fit(X, y, sample_weight=...)",
    "partial_fit": "partial_fit()",
    "warm_start": "a warm_start parameter",
    "stacked": "fit() and predict()",
}
_WHY = {
    "weighted": "its fit() accepts sample_weight, so one fit on source and target "
    "with the source down-weighted by a factor tuned by cross-validation on the "
    "target (a factor of 0 falls back to target-only training)",
    "partial_fit": "it has partial_fit(), so epochs on the source, then epochs on "
    "the target continuing from the source model",
    "warm_start": "it has a warm_start parameter, so fit on the source, then fit "
    "on the target starting from the source solution",
    "stacked": "it supports none of weighted/partial_fit/warm_start, so the source "
    "model's outputs become extra features of a target model",
}


def _missing(estimator: Any, strategy: str) -> str | None:
    """Return what ``estimator`` lacks for ``strategy`` (None if it supports it)."""
    from sklearn.utils.validation import has_fit_parameter

    if strategy == "weighted":
        ok = callable(getattr(estimator, "fit", None)) and has_fit_parameter(
            estimator, "sample_weight"
        )
    elif strategy == "partial_fit":
        ok = callable(getattr(estimator, "partial_fit", None))
    elif strategy == "warm_start":
        ok = hasattr(estimator, "get_params") and "warm_start" in estimator.get_params()
    else:
        ok = callable(getattr(estimator, "fit", None)) and callable(
            getattr(estimator, "predict", None)
        )
    return None if ok else _NEEDS[strategy]


def _resolve_strategy(estimator: Any, strategy: Any, caller: str) -> tuple[str, str]:
    """Pick the strategy to use and say why."""
    name = type(estimator).__name__
    if isinstance(strategy, str):
        if strategy == "auto":
            wanted: tuple[str, ...] = STRATEGIES
        elif strategy in STRATEGIES:
            wanted = (strategy,)
        else:
            fail("strategy", "'auto', one of " + ", ".join(repr(s) for s in STRATEGIES)
                 + " or a list of them", strategy, caller)
    elif isinstance(strategy, Sequence) and strategy and all(
        isinstance(s, str) and s in STRATEGIES for s in strategy
    ):
        wanted = tuple(strategy)
    else:
        fail("strategy", "'auto', one of " + ", ".join(repr(s) for s in STRATEGIES)
             + " or a list of them", strategy, caller)
    lacks = []
    for s in wanted:
        miss = _missing(estimator, s)
        if miss is None:
            how = "'auto' chose" if strategy == "auto" else "using"
            return s, f"{how} {s!r} for {name}: {_WHY[s]}"
        lacks.append(f"{miss} for {s!r}")
    fail(
        "estimator",
        "an estimator supporting strategy " + " or ".join(repr(s) for s in wanted),
        described(f"{name}, which lacks " + "; ".join(lacks)),
        caller,
    )


@attrs.frozen(kw_only=True, repr=False)
class FinetuneResult:
    """A model pretrained on the source and continued on the target.

    Attributes
    ----------
    model : estimator
        The fitted model (for ``"stacked"``, a fitted
        :class:`StackedTransferClassifier` or :class:`StackedTransferRegressor`).
        Predict with ``result.model.predict(X)``.
    strategy : str
        ``"weighted"``, ``"partial_fit"``, ``"warm_start"`` or ``"stacked"``.
    reason : str
        Why this strategy was used (what ``"auto"`` found the estimator supports).
    source_weight : float or None
        Weight of one source row relative to a target row (``"weighted"``).
    n_source, n_target : int
        Rows used from each domain.
    details : dict
        Strategy evidence: the cross-validated score of each candidate weight,
        the epochs run, the estimators added.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import finetune
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(size=(500, 4)); ys = (Xs[:, 0] > 0).astype(int)
    >>> Xt = rng.normal(size=(40, 4)); yt = (Xt[:, 0] > 0.1).astype(int)
    >>> res = finetune(LogisticRegression(), (Xs, ys), (Xt, yt), rng=0)
    >>> res.strategy, res.to_dict()["model"]
    ('weighted', 'LogisticRegression')
    """

    model: Any
    strategy: str
    reason: str
    source_weight: float | None
    n_source: int
    n_target: int
    details: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict (the model by class name)."""
        out = attrs_to_dict(self, exclude=("model",))
        out["model"] = type(self.model).__name__
        return out

    def __repr__(self) -> str:
        w = "None" if self.source_weight is None else format_value(self.source_weight)
        return (
            f"FinetuneResult(strategy={self.strategy!r}, "
            f"model={type(self.model).__name__}, source_weight={w}, "
            f"n_source={self.n_source}, n_target={self.n_target})"
        )

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [["strategy", self.strategy], ["model", type(self.model).__name__],
                ["source_weight", "-" if self.source_weight is None
                 else self.source_weight],
                ["n_source", self.n_source], ["n_target", self.n_target],
                ["reason", self.reason]]
        return html_table(rows, ("", "value"), caption="FinetuneResult")


# ----------------------------------------------------------------------------
# strategy mechanics (shared by finetune and progressive)


@attrs.define
class _Options:
    """Validated strategy options."""

    source_weight: float | None  # None = tune by CV
    cv: int
    scorer: Any
    source_epochs: int
    target_epochs: int
    batch_size: int | None
    schedule: Callable[[int], float] | None
    extra_estimators: int | None


def _check_options(
    estimator: Any, strategy: str, caller: str, *, source_weight: Any, cv: Any,
    scoring: Any, source_epochs: Any, target_epochs: Any, batch_size: Any,
    schedule: Any, extra_estimators: Any,
) -> _Options:
    if isinstance(source_weight, str) and source_weight == "auto":
        sw = None
    else:
        if isinstance(source_weight, str):
            fail("source_weight", "'auto' or a float >= 0", source_weight, caller)
        sw = check_scalar(source_weight, "source_weight", caller=caller, low=0.0)
    k = check_int(cv, "cv", caller=caller, low=2)
    scorer = resolve_scorer(estimator, scoring, caller)
    se = check_int(source_epochs, "source_epochs", caller=caller)
    te = check_int(target_epochs, "target_epochs", caller=caller)
    bs = None if batch_size is None else check_int(batch_size, "batch_size",
                                                   caller=caller)
    sched = None if schedule is None else check_callable(schedule, "schedule", caller)
    if sched is not None and strategy == "partial_fit" and "eta0" not in (
        estimator.get_params() if hasattr(estimator, "get_params") else {}
    ):
        fail("schedule", "None for an estimator without an eta0 learning rate "
             "(SGDClassifier, SGDRegressor, Perceptron have one)",
             schedule, caller)
    extra = None if extra_estimators is None else check_int(
        extra_estimators, "extra_estimators", caller=caller)
    return _Options(sw, k, scorer, se, te, bs, sched, extra)


def _is_classifier(estimator: Any) -> bool:
    from sklearn.base import is_classifier

    return bool(is_classifier(estimator))


def _epochs(model: Any, x: FloatArray, y: npt.NDArray[Any], *, epochs: int,
            batch_size: int | None, classes: npt.NDArray[Any] | None,
            schedule: Callable[[int], float] | None, gen: np.random.Generator,
            first: bool) -> list[float]:
    """Run ``epochs`` shuffled passes of ``partial_fit``; return the rates used."""
    n = x.shape[0]
    bs = n if batch_size is None else min(batch_size, n)
    base: Any = model.get_params().get("eta0") if schedule is not None else None
    rates: list[float] = []
    for e in range(epochs):
        if schedule is not None:
            rate = float(base) * float(schedule(e))
            if not np.isfinite(rate) or rate <= 0.0:
                raise ValueError(
                    f"schedule({e}) gave a learning rate of {rate}; it must be "
                    "a positive multiplier of eta0"
                )
            model.set_params(eta0=rate)
            rates.append(rate)
        order = gen.permutation(n)
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            if first and classes is not None:
                model.partial_fit(x[idx], y[idx], classes=classes)
            else:
                model.partial_fit(x[idx], y[idx])
            first = False
    if schedule is not None:
        model.set_params(eta0=base)
    return rates


def _warm_continue(model: Any, x: FloatArray, y: npt.NDArray[Any], extra: int | None,
                   caller: str) -> tuple[Any, dict[str, Any]]:
    """Deep-copy ``model`` and fit it on ``(x, y)`` with ``warm_start=True``."""
    m = copy.deepcopy(model)
    params = m.get_params()
    upd: dict[str, Any] = {"warm_start": True}
    details: dict[str, Any] = {}
    size_param = None
    if "n_estimators" in params:
        size_param = "n_estimators"
    elif type(m).__name__.startswith("HistGradientBoosting") and "max_iter" in params:
        size_param = "max_iter"
    if size_param is not None:
        add = int(params[size_param]) if extra is None else extra
        upd[size_param] = int(params[size_param]) + add
        details["estimators_added"] = add
    if hasattr(m, "classes_"):
        known = set(np.asarray(m.classes_).tolist())
        new = set(np.unique(y).tolist())
        if new != known:
            fail("target", "labels with the same classes as the source for "
                 "strategy 'warm_start' (use 'weighted' or 'partial_fit')",
                 described(f"classes {sorted(new, key=str)} after "
                           f"{sorted(known, key=str)}"), caller)
    m.set_params(**upd)
    m.fit(x, y)
    return m, details


def _weighted_fit(estimator: Any, seed: int, xs: FloatArray, ys: npt.NDArray[Any],
                  ws: FloatArray, xt: FloatArray, yt: npt.NDArray[Any]) -> Any:
    est = seeded_clone(estimator, seed)
    if ws.sum() == 0.0:
        return est.fit(xt, yt)
    x = np.concatenate([xs, xt])
    y = np.concatenate([ys, yt])
    return est.fit(x, y, sample_weight=np.concatenate([ws, np.ones(xt.shape[0])]))


def _weight_grid(total_base: float, n_target: int) -> list[float]:
    """Per-row source weights: total source weight 0, 0.3, 3, 30x the target's, and 1."""
    ratios = (0.0, 0.3, 3.0, 30.0)
    grid = {min(1.0, r * n_target / total_base) for r in ratios} | {1.0}
    return sorted(grid)


def _tune_weight(estimator: Any, seed: int, xs: FloatArray, ys: npt.NDArray[Any],
                 ws: FloatArray, xt: FloatArray, yt: npt.NDArray[Any], opts: _Options,
                 caller: str) -> tuple[float, dict[str, Any]]:
    """Choose the source weight by cross-validation on the target rows."""
    if xt.shape[0] < opts.cv:
        fail("target", f"at least cv={opts.cv} rows to tune source_weight='auto' "
             "(or pass a fixed source_weight)",
             described(f"{xt.shape[0]} row(s)"), caller)
    grid = _weight_grid(max(float(ws.sum()), 1e-300), xt.shape[0])
    folds = folds_for(yt, opts.cv, seed, classifier=_is_classifier(estimator))
    scores = np.zeros((len(grid), opts.cv))
    n_failed = 0
    for j, (tr, te) in enumerate(folds.split(xt, yt)):
        for i, w in enumerate(grid):
            try:
                m = _weighted_fit(estimator, seed, xs, ys, ws * w, xt[tr], yt[tr])
                scores[i, j] = opts.scorer(m, xt[te], yt[te])
            except ValueError:
                # e.g. a target-only fold with a single class: this candidate
                # cannot be trained there, so it cannot win
                scores[i, j] = -np.inf
                n_failed += 1
    mean = scores.mean(axis=1)
    if not np.isfinite(mean).any():
        fail("target", "rows on which at least one candidate source weight can be "
             "cross-validated (pass a fixed source_weight)",
             described(f"{xt.shape[0]} row(s) on which every candidate failed"), caller)
    best = int(np.argmax(mean))  # first maximum: the smallest such weight
    return grid[best], {"candidates": grid,
                        "cv_scores": [float(v) if np.isfinite(v) else None
                                      for v in mean],
                        "cv": opts.cv, "n_failed_fits": n_failed}


def _classes(ys: Sequence[npt.NDArray[Any]], classifier: bool) -> npt.NDArray[Any] | None:
    return np.unique(np.concatenate(list(ys))) if classifier else None


def _stacked(previous: Any, estimator: Any, seed: int, x: FloatArray,
             y: npt.NDArray[Any]) -> Any:
    from sklearn.frozen import FrozenEstimator

    from mllifecycle.transfer._stacked import (
        StackedTransferClassifier,
        StackedTransferRegressor,
    )

    cls = StackedTransferClassifier if _is_classifier(estimator) else (
        StackedTransferRegressor)
    wrapper = cls(source_model=FrozenEstimator(previous),
                  estimator=seeded_clone(estimator, seed))
    return wrapper.fit(x, y)


def _check_estimator(estimator: Any, caller: str) -> None:
    check_estimator_instance(estimator, ["fit", "predict"], caller)
    if not hasattr(estimator, "get_params"):
        fail("estimator", "a scikit-learn estimator (with get_params())",
             described(type(estimator).__name__), caller)


def finetune(
    estimator: Any,
    source: Any,
    target: Any,
    *,
    strategy: str | Sequence[str] = "auto",
    source_weight: float | str = "auto",
    cv: int = 5,
    scoring: Any = None,
    source_epochs: int = 5,
    target_epochs: int = 10,
    batch_size: int | None = None,
    schedule: Callable[[int], float] | None = None,
    extra_estimators: int | None = None,
    rng: Any = None,
) -> FinetuneResult:
    """Pretrain ``estimator`` on ``source`` and continue training on ``target``.

    The cheapest remedy for scarce target labels: learn from a large, related
    (often noisier) data set first, then adapt to the few labels of the task
    itself [1]_. The estimator passed in is cloned, never mutated.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The model to train (cloned). A ``random_state`` left at None is seeded
        from ``rng``.
    source : tuple (X, y)
        The large, related data set.
    target : tuple (X, y)
        The task's own labelled rows (same features as the source).
    strategy : str or list of str, default="auto"
        ``"weighted"``: one fit on source and target, each source row weighted
        ``source_weight`` relative to a target row (the factor tuned by
        ``cv``-fold cross-validation on the target among total source weights
        of 0, 0.3, 3 and 30 times the target's, and a per-row weight of 1).
        ``"partial_fit"``: ``source_epochs`` shuffled passes over the source,
        then ``target_epochs`` over the target, optionally with a
        learning-rate ``schedule``. ``"warm_start"``: fit on the source, then
        fit on the target with ``warm_start=True`` (ensembles grow by
        ``extra_estimators`` members trained on the target). ``"stacked"``:
        the source model's outputs become extra features of a target model
        (:class:`StackedTransferClassifier` / :class:`StackedTransferRegressor`).
        ``"auto"`` takes the first the estimator supports in that order; a list
        restricts the choice. ``result.reason`` says which and why.
    source_weight : float or "auto", default="auto"
        Weight of one source row relative to one target row (``"weighted"``).
    cv : int, default=5
        Folds over the target for tuning ``source_weight``.
    scoring : str or callable, optional
        Scorer for that tuning (higher is better); default the estimator's
        ``score``.
    source_epochs, target_epochs : int, default=5 and 10
        Passes over each data set (``"partial_fit"``).
    batch_size : int, optional
        Rows per ``partial_fit`` call; default the whole data set.
    schedule : callable, optional
        ``schedule(epoch) -> multiplier`` of the estimator's ``eta0`` for each
        target epoch (``"partial_fit"``; needs an ``eta0`` parameter and a
        learning-rate setting that uses it, e.g. ``learning_rate="constant"``).
    extra_estimators : int, optional
        Ensemble members added on the target (``"warm_start"``); default as
        many as the source model has.
    rng : int, Generator or None
        Seeds the folds, the epoch shuffles and unset ``random_state``.

    Returns
    -------
    FinetuneResult
        ``model`` (fitted), ``strategy``, ``reason``, ``source_weight``.

    Raises
    ------
    InvalidParameterError
        Mismatched feature counts, an empty target, or an estimator that
        supports none of the requested strategies (the message names the
        missing methods).

    Notes
    -----
    For convex models (logistic regression, ridge) ``"warm_start"`` converges
    to the target-only solution: the source only changes the starting point.
    ``"weighted"`` is the dependable choice for them, and because a weight of
    0 is among the candidates it can refuse an unhelpful source. Whether
    transfer helped is for :func:`transfer_gain` to say.

    References
    ----------
    .. [1] J. Yosinski, J. Clune, Y. Bengio and H. Lipson, "How transferable
       are features in deep neural networks?", NIPS 27 (2014).
    .. [2] H. Daumé III, "Frustratingly easy domain adaptation", ACL (2007)
       (source down-weighting as the simplest baseline).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import SGDClassifier
    >>> from mllifecycle.transfer import finetune
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(size=(2000, 5)); ys = (Xs @ [1, 1, 0, 0, 0] > 0).astype(int)
    >>> Xt = rng.normal(size=(50, 5)); yt = (Xt @ [1, 1.2, 0, 0, 0] > 0).astype(int)
    >>> res = finetune(SGDClassifier(), (Xs, ys), (Xt, yt), strategy="partial_fit",
    ...                rng=0)
    >>> res.strategy, res.details["epochs"]
    ('partial_fit', [5, 10])
    """
    caller = "finetune"
    _check_estimator(estimator, caller)
    xs, ys, xt, yt = check_pair_xy(source, target, caller)
    chosen, reason = _resolve_strategy(estimator, strategy, caller)
    opts = _check_options(
        estimator, chosen, caller, source_weight=source_weight, cv=cv,
        scoring=scoring, source_epochs=source_epochs, target_epochs=target_epochs,
        batch_size=batch_size, schedule=schedule, extra_estimators=extra_estimators,
    )
    gen = check_rng(rng, caller=caller)
    seed = new_seed(gen)
    details: dict[str, Any] = {}
    weight: float | None = None
    if chosen == "weighted":
        ws = np.ones(xs.shape[0])
        if opts.source_weight is None:
            weight, details = _tune_weight(estimator, seed, xs, ys, ws, xt, yt, opts,
                                           caller)
        else:
            weight = opts.source_weight
        model = _weighted_fit(estimator, seed, xs, ys, ws * weight, xt, yt)
    elif chosen == "partial_fit":
        classifier = _is_classifier(estimator)
        model = seeded_clone(estimator, seed)
        classes = _classes([ys, yt], classifier)
        _epochs(model, xs, ys, epochs=opts.source_epochs, batch_size=opts.batch_size,
                classes=classes, schedule=None, gen=gen, first=True)
        rates = _epochs(model, xt, yt, epochs=opts.target_epochs,
                        batch_size=opts.batch_size, classes=classes,
                        schedule=opts.schedule, gen=gen, first=False)
        details = {"epochs": [opts.source_epochs, opts.target_epochs]}
        if rates:
            details["learning_rates"] = rates
    elif chosen == "warm_start":
        pre = seeded_clone(estimator, seed).set_params(warm_start=False).fit(xs, ys)
        model, details = _warm_continue(pre, xt, yt, opts.extra_estimators, caller)
    else:
        pre = seeded_clone(estimator, seed).fit(xs, ys)
        model = _stacked(pre, estimator, seed, xt, yt)
        details = {"n_source_features": int(model.n_source_features_)}
    return FinetuneResult(model=model, strategy=chosen, reason=reason,
                          source_weight=weight, n_source=xs.shape[0],
                          n_target=xt.shape[0], details=details)


# ----------------------------------------------------------------------------
# progressive


@attrs.frozen(kw_only=True, repr=False)
class StageReport:
    """What one stage of :func:`progressive` did.

    Attributes
    ----------
    name : str
        Stage name.
    n_samples : int
        Rows in the stage.
    score : float
        Validation score of the model trained through this stage.
    previous_score : float or None
        Validation score of the model kept before it (None for the first).
    kept : bool
        Whether the stage was kept (``score >= previous_score - tolerance``).
    details : dict
        Strategy evidence for the stage (e.g. the source weight chosen).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import progressive
    >>> rng = np.random.default_rng(0)
    >>> def task(n, flip):
    ...     X = rng.normal(size=(n, 3)); y = (X[:, 0] > 0).astype(int)
    ...     return X, np.where(rng.random(n) < flip, 1 - y, y)
    >>> res = progressive(LogisticRegression(),
    ...                   {"public": task(2000, 0.3), "gold": task(60, 0.0)},
    ...                   validation=task(300, 0.0), rng=0)
    >>> stage = res.stages[0]
    >>> type(stage).__name__, stage.name
    ('StageReport', 'public')
    """

    name: str
    n_samples: int
    score: float
    previous_score: float | None
    kept: bool
    details: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the stage report as a JSON-safe dict."""
        return attrs_to_dict(self)

    def __repr__(self) -> str:
        prev = "None" if self.previous_score is None else format_value(
            self.previous_score)
        return (f"StageReport(name={self.name!r}, n_samples={self.n_samples}, "
                f"score={format_value(self.score)}, previous_score={prev}, "
                f"kept={self.kept})")


@attrs.frozen(kw_only=True, repr=False)
class ProgressiveResult:
    """The model trained through stages of increasing quality, and the report.

    Attributes
    ----------
    model : estimator
        The model after the last kept stage.
    strategy : str
        How training continued from stage to stage.
    reason : str
        Why that strategy was used.
    scoring : str
        The validation score used.
    stages : tuple of StageReport
        One line per stage, in order.
    final_score : float
        Validation score of ``model``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import progressive
    >>> rng = np.random.default_rng(0)
    >>> def task(n, flip):
    ...     X = rng.normal(size=(n, 3)); y = (X[:, 0] > 0).astype(int)
    ...     return X, np.where(rng.random(n) < flip, 1 - y, y)
    >>> res = progressive(LogisticRegression(),
    ...                   {"public": task(2000, 0.3), "gold": task(60, 0.0)},
    ...                   validation=task(300, 0.0), rng=0)
    >>> type(res).__name__, [s.name for s in res.stages]
    ('ProgressiveResult', ['public', 'gold'])
    """

    model: Any
    strategy: str
    reason: str
    scoring: str
    stages: tuple[StageReport, ...]
    final_score: float

    @property
    def kept(self) -> list[str]:
        """Names of the kept stages."""
        return [s.name for s in self.stages if s.kept]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict (the model by class name)."""
        return {
            "model": type(self.model).__name__,
            "strategy": self.strategy,
            "reason": self.reason,
            "scoring": self.scoring,
            "final_score": jsonable(self.final_score),
            "kept": self.kept,
            "stages": [s.to_dict() for s in self.stages],
        }

    _HEADERS = ("stage", "n_samples", "score", "previous", "kept")

    def _rows(self) -> list[list[Any]]:
        return [[s.name, s.n_samples, s.score,
                 "-" if s.previous_score is None else s.previous_score,
                 "kept" if s.kept else "dropped"] for s in self.stages]

    def _caption(self) -> str:
        return (f"ProgressiveResult: strategy={self.strategy!r}, "
                f"scoring={self.scoring!r}, final_score="
                f"{format_value(self.final_score)}, kept {len(self.kept)} of "
                f"{len(self.stages)} stage(s)")

    def __repr__(self) -> str:
        rows = [[format_value(c) for c in r] for r in self._rows()]
        widths = [max(len(h), *(len(r[i]) for r in rows))
                  for i, h in enumerate(self._HEADERS)]
        lines = [self._caption(),
                 "  ".join(h.ljust(w) for h, w in zip(self._HEADERS, widths,
                                                      strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                  for r in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(self._rows(), self._HEADERS, caption=self._caption())


def _check_stages(stages: Any, caller: str) -> list[tuple[str, FloatArray,
                                                           npt.NDArray[Any]]]:
    if isinstance(stages, Mapping):
        items = [(str(k), v) for k, v in stages.items()]
    elif isinstance(stages, Sequence) and not isinstance(stages, str | bytes):
        items = [(f"stage {i}", v) for i, v in enumerate(stages)]
    else:
        fail("stages", "a list of (X, y) pairs or a dict name -> (X, y)", stages, caller)
    if not items:
        fail("stages", "at least one stage", stages, caller)
    out: list[tuple[str, FloatArray, npt.NDArray[Any]]] = []
    for i, (name, data) in enumerate(items):
        x, y = check_xy(data, f"stages[{i}]", caller)
        if out:
            check_same_n_features(out[0][1], x, ("stages[0][0] (X)", f"stages[{i}][0] (X)"),
                                  caller)
        out.append((name, x, y))
    return out


def progressive(
    estimator: Any,
    stages: Any,
    *,
    validation: Any,
    strategy: str | Sequence[str] = "auto",
    scoring: Any = None,
    tolerance: float = 0.0,
    source_weight: float | str = "auto",
    cv: int = 5,
    epochs: int = 10,
    batch_size: int | None = None,
    schedule: Callable[[int], float] | None = None,
    extra_estimators: int | None = None,
    rng: Any = None,
) -> ProgressiveResult:
    """Train through data sets of increasing quality, keeping only stages that help.

    Start on the first (largest, noisiest) stage, e.g. public data; continue
    on each next stage (weakly labelled data, then a small gold set) with the
    same mechanics as :func:`finetune`; score every stage on ``validation``
    and keep it only if the score did not drop by more than ``tolerance``,
    otherwise go back to the model before it [1]_.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The model (cloned; an unset ``random_state`` is seeded from ``rng``).
    stages : list of (X, y) or dict name -> (X, y)
        The data sets, lowest quality first.
    validation : tuple (X, y)
        Held-out target rows every stage is scored on (never trained on).
    strategy : str or list of str, default="auto"
        As in :func:`finetune`. With ``"weighted"``, the rows of the earlier
        kept stages are the "source" of each next stage and are down-weighted
        again at every stage, so older data count less and less.
    scoring : str or callable, optional
        Validation score (higher is better); default the estimator's ``score``.
    tolerance : float, default=0.0
        A stage is kept if its score is at least ``previous - tolerance``.
    source_weight, cv, batch_size, schedule, extra_estimators
        As in :func:`finetune`.
    epochs : int, default=10
        Passes over each stage (``"partial_fit"``).
    rng : int, Generator or None
        Seeds the folds, shuffles and unset ``random_state``.

    Returns
    -------
    ProgressiveResult
        ``model``, ``stages`` (one :class:`StageReport` each), ``final_score``.

    Notes
    -----
    The first stage is always kept (there is no earlier model to compare
    with). Choosing stages on the validation set makes ``final_score`` an
    optimistic estimate: report performance on a separate test set.

    References
    ----------
    .. [1] S. Gururangan, A. Marasović, S. Swayamdipta, K. Lo, I. Beltagy,
       D. Downey and N. A. Smith, "Don't stop pretraining: adapt language
       models to domains and tasks", ACL (2020).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import progressive
    >>> rng = np.random.default_rng(0)
    >>> def task(n, flip):
    ...     X = rng.normal(size=(n, 3)); y = (X[:, 0] > 0).astype(int)
    ...     return X, np.where(rng.random(n) < flip, 1 - y, y)
    >>> res = progressive(LogisticRegression(),
    ...                   {"public": task(2000, 0.3), "gold": task(60, 0.0)},
    ...                   validation=task(300, 0.0), rng=0)
    >>> res.kept[0], len(res.stages)
    ('public', 2)
    """
    caller = "progressive"
    _check_estimator(estimator, caller)
    items = _check_stages(stages, caller)
    xv, yv = check_xy(validation, "validation", caller)
    check_same_n_features(items[0][1], xv, ("stages[0][0] (X)", "validation[0] (X)"),
                          caller)
    chosen, reason = _resolve_strategy(estimator, strategy, caller)
    opts = _check_options(
        estimator, chosen, caller, source_weight=source_weight, cv=cv,
        scoring=scoring, source_epochs=epochs, target_epochs=epochs,
        batch_size=batch_size, schedule=schedule, extra_estimators=extra_estimators,
    )
    tol = check_scalar(tolerance, "tolerance", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    seed = new_seed(gen)
    classifier = _is_classifier(estimator)
    classes = _classes([y for _, _, y in items] + [yv], classifier)
    scoring_name = scoring if isinstance(scoring, str) else (
        "default score" if scoring is None else getattr(scoring, "__name__", "custom"))

    reports: list[StageReport] = []
    model: Any = None
    best = float("nan")
    acc_x = acc_y = acc_w = None
    for k, (name, x, y) in enumerate(items):
        details: dict[str, Any] = {}
        cand_acc = None
        if k == 0:
            if chosen == "partial_fit":
                cand = seeded_clone(estimator, seed)
                _epochs(cand, x, y, epochs=opts.target_epochs, batch_size=opts.batch_size,
                        classes=classes, schedule=None, gen=gen, first=True)
            else:
                cand = seeded_clone(estimator, seed)
                if chosen == "warm_start":
                    cand.set_params(warm_start=False)
                cand.fit(x, y)
            cand_acc = (x, y, np.ones(x.shape[0]))
        elif chosen == "weighted":
            assert acc_x is not None
            assert acc_y is not None
            assert acc_w is not None
            if opts.source_weight is None:
                w, details = _tune_weight(estimator, seed, acc_x, acc_y, acc_w, x, y,
                                          opts, caller)
            else:
                w = opts.source_weight
            details["source_weight"] = w
            cand = _weighted_fit(estimator, seed, acc_x, acc_y, acc_w * w, x, y)
            cand_acc = (np.concatenate([acc_x, x]), np.concatenate([acc_y, y]),
                        np.concatenate([acc_w * w, np.ones(x.shape[0])]))
        elif chosen == "partial_fit":
            cand = copy.deepcopy(model)
            rates = _epochs(cand, x, y, epochs=opts.target_epochs,
                            batch_size=opts.batch_size, classes=classes,
                            schedule=opts.schedule, gen=gen, first=False)
            if rates:
                details["learning_rates"] = rates
        elif chosen == "warm_start":
            cand, details = _warm_continue(model, x, y, opts.extra_estimators, caller)
        else:
            cand = _stacked(model, estimator, seed, x, y)
        score = float(opts.scorer(cand, xv, yv))
        kept = k == 0 or score >= best - tol
        reports.append(StageReport(name=name, n_samples=x.shape[0], score=score,
                                   previous_score=None if k == 0 else best, kept=kept,
                                   details=details))
        if kept:
            model, best = cand, score
            if cand_acc is not None:
                acc_x, acc_y, acc_w = cand_acc
    return ProgressiveResult(model=model, strategy=chosen, reason=reason,
                             scoring=str(scoring_name), stages=tuple(reports),
                             final_score=best)
