"""The four ways to carry a source model over to a target.

``weighted``, ``partial_fit``, ``warm_start`` and ``stacked``, shared by
:func:`~mllifecycle.transfer.finetune` and :func:`~mllifecycle.transfer.progressive`.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import fit_weighted, seeded_clone, weight_keyword
from mllifecycle._gain import check_cv, cv_plan, is_splitter
from mllifecycle._validation import (
    check_callable,
    check_int,
    check_scalar,
    described,
    fail,
)
from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer._common import (
    FloatArray,
    check_estimator_instance,
    folds_for,
    resolve_scorer,
)

__all__ = ["STRATEGIES"]

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


def _missing(estimator: Any, strategy: str, chosen: bool = True) -> str | None:
    """Return what ``estimator`` lacks for ``strategy`` (None if it supports it).

    ``chosen``: the caller named ``strategy`` (a ``fit(X, y, **kwargs)`` is
    then taken to accept ``sample_weight``; ``'auto'`` does not count on it).
    """
    if strategy == "weighted":
        if not callable(getattr(estimator, "fit", None)):
            return _NEEDS[strategy]
        # one rule with replay and augment: a Pipeline's weights go to its
        # final step, or where metadata routing sends them
        key, why = weight_keyword(estimator, assume_kwargs=chosen)
        if key is not None:
            return None
        plain = f"{type(estimator).__name__}, whose fit takes no sample_weight"
        return _NEEDS[strategy] + ("" if why == plain else f" ({why})")
    elif strategy == "partial_fit":
        ok = callable(getattr(estimator, "partial_fit", None))
    elif strategy == "warm_start":
        ok = hasattr(estimator, "get_params") and "warm_start" in estimator.get_params()
    else:
        ok = callable(getattr(estimator, "fit", None)) and callable(
            getattr(estimator, "predict", None)
        )
    return None if ok else _NEEDS[strategy]


def _resolve_strategy(estimator: Any, strategy: Any, caller: str,
                      name: str = "strategy") -> tuple[str, str]:
    """Pick the strategy to use and say why (``name``: the caller's argument)."""
    arg = name
    name = type(estimator).__name__
    if isinstance(strategy, str):
        if strategy == "auto":
            wanted: tuple[str, ...] = STRATEGIES
        elif strategy in STRATEGIES:
            wanted = (strategy,)
        else:
            fail(arg, "'auto', one of " + ", ".join(repr(s) for s in STRATEGIES)
                 + " or a list of them", strategy, caller)
    elif isinstance(strategy, Sequence) and strategy and all(
        isinstance(s, str) and s in STRATEGIES for s in strategy
    ):
        wanted = tuple(strategy)
    else:
        fail(arg, "'auto', one of " + ", ".join(repr(s) for s in STRATEGIES)
             + " or a list of them", strategy, caller)
    lacks = []
    for s in wanted:
        miss = _missing(estimator, s, chosen=strategy != "auto")
        if miss is None:
            how = "'auto' chose" if strategy == "auto" else "using"
            why = _WHY[s]
            key = weight_keyword(estimator)[0] if s == "weighted" else "sample_weight"
            if key != "sample_weight":  # a Pipeline: its final step takes them
                why = why.replace("its fit() accepts sample_weight",
                                  f"its fit() accepts {key}", 1)
            return s, f"{how} {s!r} for {name}: {why}"
        lacks.append(f"{miss} for {s!r}")
    fail(
        "estimator",
        "an estimator supporting strategy " + " or ".join(repr(s) for s in wanted),
        described(f"{name}, which lacks " + "; ".join(lacks)),
        caller,
    )


@attrs.define
class _Options:
    """Validated strategy options."""

    source_weight: float | None  # None = tune by CV
    cv: Any  # an int >= 2 or a scikit-learn splitter
    scorer: Any
    source_epochs: int
    target_epochs: int
    batch_size: int | None
    schedule: Callable[[int], float] | None
    extra_estimators: int | None
    tab: Callable[[Any], Any]  # rebuilds the caller's table kind (identity for arrays)


def _ident(x: Any) -> Any:
    return x


def _check_options(
    estimator: Any, strategy: str, caller: str, *, source_weight: Any, cv: Any,
    scoring: Any, source_epochs: Any, target_epochs: Any, batch_size: Any,
    schedule: Any, extra_estimators: Any, tab: Callable[[Any], Any] | None = None,
) -> _Options:
    if isinstance(source_weight, str) and source_weight == "auto":
        sw = None
    else:
        if isinstance(source_weight, str):
            fail("source_weight", "'auto' or a float >= 0", source_weight, caller)
        sw = check_scalar(source_weight, "source_weight", caller=caller, low=0.0)
    k = check_cv(cv, caller)
    scorer = resolve_scorer(estimator, scoring, caller)
    se = check_int(source_epochs, "source_epochs", caller=caller)
    te = check_int(target_epochs, "target_epochs", caller=caller)
    bs = None if batch_size is None else check_int(batch_size, "batch_size",
                                                   caller=caller)
    sched = None if schedule is None else check_callable(schedule, "schedule", caller)
    params = estimator.get_params() if hasattr(estimator, "get_params") else {}
    if sched is not None and strategy == "partial_fit" and "eta0" not in params:
        fail("schedule", "None for an estimator without an eta0 learning rate "
             "(SGDClassifier, SGDRegressor, Perceptron have one)",
             schedule, caller)
    if sched is not None and strategy == "partial_fit" and params.get(
            "learning_rate") == "optimal":
        # SGD's "optimal" rate (SGDClassifier's default) ignores eta0: the schedule
        # changed nothing, while details["learning_rates"] listed the rates
        fail("schedule", "None for an estimator whose learning_rate ignores eta0 (set "
             "learning_rate='constant', 'invscaling' or 'adaptive' to use a schedule)",
             described(f"a schedule with {type(estimator).__name__}"
                       "(learning_rate='optimal')"), caller)
    extra = None if extra_estimators is None else check_int(
        extra_estimators, "extra_estimators", caller=caller)
    if extra is not None and strategy == "warm_start" and _size_param(estimator) is None:
        # the estimator does not grow by members: extra_estimators changed nothing
        fail("extra_estimators", "None for an estimator that is not an ensemble grown "
             "by warm_start (one with n_estimators, or HistGradientBoosting's max_iter)",
             described(f"{extra} with {type(estimator).__name__}"), caller)
    return _Options(sw, k, scorer, se, te, bs, sched, extra, tab or _ident)


def _is_classifier(estimator: Any) -> bool:
    from sklearn.base import is_classifier

    return bool(is_classifier(estimator))


def _epochs(model: Any, x: FloatArray, y: npt.NDArray[Any], *, epochs: int,
            batch_size: int | None, classes: npt.NDArray[Any] | None,
            schedule: Callable[[int], float] | None, gen: np.random.Generator,
            first: bool, tab: Callable[[Any], Any] = _ident,
            tick: Callable[[], None] | None = None, caller: str = "finetune") -> list[float]:
    """Run ``epochs`` shuffled passes of ``partial_fit``; return the rates used.

    ``tick`` (a progress step) is called after each pass; ``caller`` names the
    public function in the errors about ``schedule``.
    """
    n = x.shape[0]
    bs = n if batch_size is None else min(batch_size, n)
    base: Any = model.get_params().get("eta0") if schedule is not None else None
    rates: list[float] = []
    for e in range(epochs):
        if schedule is not None:
            given = schedule(e)
            expected = "a callable schedule(epoch) returning a positive, finite multiplier of eta0"
            if isinstance(given, str | bytes | bool | np.bool_):
                # "0.5" was parsed as a number and True read as 1 (a bare
                # TypeError for None): the multiplier must be a number
                fail("schedule", expected,
                     described(f"a schedule whose schedule({e}) returned {given!r}"), caller)
            try:
                mult = float(given)
            except (TypeError, ValueError):
                fail("schedule", expected,
                     described(f"a schedule whose schedule({e}) returned {given!r}"), caller)
            rate = float(base) * mult
            if not np.isfinite(rate) or rate <= 0.0:
                fail("schedule", expected,
                     described(f"a schedule whose schedule({e}) gave a learning rate of "
                               f"{rate} ({mult!r} x eta0={base!r})"), caller)
            model.set_params(eta0=rate)
            rates.append(rate)
        order = gen.permutation(n)
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            if first and classes is not None:
                model.partial_fit(tab(x[idx]), y[idx], classes=classes)
            else:
                model.partial_fit(tab(x[idx]), y[idx])
            first = False
        if tick is not None:
            tick()
    if schedule is not None:
        model.set_params(eta0=base)
    return rates


def _warm_continue(model: Any, x: FloatArray, y: npt.NDArray[Any], extra: int | None,
                   caller: str, tab: Callable[[Any], Any] = _ident,
                   name: str = "target", source: str = "the source"
                   ) -> tuple[Any, dict[str, Any]]:
    """Deep-copy ``model`` and fit it on ``(x, y)`` with ``warm_start=True``.

    ``name`` is the caller's argument holding ``(x, y)`` and ``source`` what
    ``model`` was fitted on (for the errors).
    """
    m = copy.deepcopy(model)
    params = m.get_params()
    upd: dict[str, Any] = {"warm_start": True}
    details: dict[str, Any] = {}
    size_param = _size_param(m)
    before = _n_members(m)
    if size_param is not None:
        # from the members the model has: an early-stopped source (82 of 100
        # trees) grew by 118 for extra_estimators=100, and estimators_added
        # said 100 where early stopping on the target added 23
        have = int(params[size_param]) if before is None else before
        add = have if extra is None else extra
        upd[size_param] = have + add
    if hasattr(m, "classes_"):
        known = set(np.asarray(m.classes_).tolist())
        new = set(np.unique(y).tolist())
        if new != known:
            fail(name, f"labels with the same classes as {source} for "
                 "strategy 'warm_start' (use 'weighted' or 'partial_fit')",
                 described(f"classes {sorted(new, key=str)} after "
                           f"{sorted(known, key=str)}"), caller)
    m.set_params(**upd)
    m.fit(tab(x), y)
    if size_param is not None:
        after = _n_members(m)
        details["estimators_added"] = (
            int(upd[size_param]) - int(params[size_param]) if before is None or after is None
            else after - before)
    return m, details


def _size_param(model: Any) -> str | None:
    """Return the parameter counting the members ``warm_start`` adds (None: none)."""
    params = model.get_params() if hasattr(model, "get_params") else {}
    if "n_estimators" in params:
        return "n_estimators"
    if type(model).__name__.startswith("HistGradientBoosting") and "max_iter" in params:
        return "max_iter"
    return None


def _n_members(model: Any) -> int | None:
    """Return the members a fitted ensemble holds (early stopping may leave fewer)."""
    if type(model).__name__.startswith("HistGradientBoosting"):
        n = getattr(model, "n_iter_", None)
    else:
        n = getattr(model, "n_estimators_", None)  # gradient boosting
        if n is None and hasattr(model, "estimators_"):
            n = len(model.estimators_)  # forests, bagging
    return None if n is None else int(n)


def _weighted_fit(estimator: Any, seed: int, xs: FloatArray, ys: npt.NDArray[Any],
                  ws: FloatArray, xt: FloatArray, yt: npt.NDArray[Any],
                  tab: Callable[[Any], Any] = _ident, caller: str | None = None) -> Any:
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(ws.sum())
    if not np.isfinite(total):
        # beyond the float range (source_weight=1e306 on 300 rows): the
        # estimator's weighted sums overflowed, and LogisticRegression
        # returned all-zero coefficients with only RuntimeWarnings
        fail("source_weight", "a weight whose total over the source rows is a finite float",
             described(f"source weights totalling {total} over {ws.shape[0]} row(s)"), caller)
    est = seeded_clone(estimator, seed)
    if total == 0.0:
        return est.fit(tab(xt), yt)
    x = np.concatenate([xs, xt])
    y = np.concatenate([ys, yt])
    # sample_weight=, or <final step>__sample_weight= for a Pipeline
    key, _ = weight_keyword(estimator)
    return fit_weighted(est, tab(x), y, np.concatenate([ws, np.ones(xt.shape[0])]), key)


def _weight_grid(total_base: float, n_target: int) -> list[float]:
    """Per-row source weights: total source weight 0, 0.3, 3, 30x the target's, and 1."""
    ratios = (0.0, 0.3, 3.0, 30.0)
    grid = {min(1.0, r * n_target / total_base) for r in ratios} | {1.0}
    return sorted(grid)


def tuning_fits(total_base: float, n_target: int, n_splits: int) -> int:
    """Return the number of fits :func:`_tune_weight` makes on ``n_splits`` splits."""
    return len(_weight_grid(max(total_base, 1e-300), n_target)) * n_splits


Splits = list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]


def tuning_splits(estimator: Any, yt: npt.NDArray[Any], opts: _Options, seed: int,
                  caller: str, name: str = "target",
                  groups: npt.NDArray[Any] | None = None) -> tuple[Splits, dict[str, Any]]:
    """Return the train/test splits of the target rows tuning ``source_weight="auto"``.

    An int ``cv`` without ``groups`` gives shuffled (stratified when every
    class has ``cv`` rows) folds seeded by ``seed``; with ``groups``, or a
    splitter, the splits are those of the gain functions
    (:func:`mllifecycle._gain.cv_plan`, one repetition): folds of whole groups
    for an int, a splitter called as ``split(X, y, groups)`` when it reads
    groups, a group splitter without ``groups`` and a split with one group on
    both sides refused, boolean masks read as masks, a repeated split counted
    once. Also returns ``cv_plan``'s notes (``n_groups``,
    ``n_duplicate_splits``). ``name`` is the caller's argument holding the
    target rows (for the errors).
    """
    classifier = _is_classifier(estimator)
    if not is_splitter(opts.cv):
        if yt.shape[0] < opts.cv:
            fail(name, f"at least cv={opts.cv} rows to tune source_weight='auto' "
                 "(or pass a fixed source_weight)",
                 described(f"{yt.shape[0]} row(s)"), caller)
        if groups is None:
            # the splits (and answers) an int cv always gave
            folds = folds_for(yt, opts.cv, seed, classifier=classifier)
            return list(folds.split(np.zeros((yt.shape[0], 1)), yt)), {}
    # rows of a group scored by a model trained on the group's other rows made
    # the tuning optimistic (the target-only candidate looked best)
    return cv_plan(opts.cv, 1, yt, classification=classifier, seed=seed, caller=caller,
                   groups=groups)


def _tune_weight(estimator: Any, seed: int, xs: FloatArray, ys: npt.NDArray[Any],
                 ws: FloatArray, xt: FloatArray, yt: npt.NDArray[Any], opts: _Options,
                 caller: str, tick: Callable[[], None] | None = None,
                 name: str = "target", groups: npt.NDArray[Any] | None = None,
                 planned: tuple[Splits, dict[str, Any]] | None = None,
                 ) -> tuple[float, dict[str, Any]]:
    """Choose the source weight by cross-validation on the target rows.

    The splits are :func:`tuning_splits`' (``planned``, when the caller made
    them already). ``tick`` (a progress step) is called after each of the
    ``len(grid) * n_splits`` fits (see :func:`tuning_fits`). ``name`` is the
    caller's argument holding the target rows (for the errors).
    """
    splits, notes = planned if planned is not None else tuning_splits(
        estimator, yt, opts, seed, caller, name, groups)
    grid = _weight_grid(max(float(ws.sum()), 1e-300), xt.shape[0])
    scores = np.zeros((len(grid), len(splits)))
    n_failed = 0
    first_error = ""
    for j, (tr, te) in enumerate(splits):
        for i, w in enumerate(grid):
            try:
                m = _weighted_fit(estimator, seed, xs, ys, ws * w, xt[tr], yt[tr],
                                  opts.tab)
                score = float(opts.scorer(m, opts.tab(xt[te]), yt[te]))
                if np.isnan(score):
                    # e.g. R^2 on a one-row fold: np.argmax took a NaN mean for the
                    # best, so a candidate that could not be scored was chosen
                    raise ValueError(
                        "the scorer returned NaN on a fold of "
                        f"{te.shape[0]} row(s) (e.g. R^2 needs at least 2; use fewer "
                        "cv folds or another scoring)")
                scores[i, j] = score
            except ValueError as exc:
                # e.g. a target-only fold with a single class: this candidate
                # cannot be trained there, so it cannot win
                scores[i, j] = -np.inf
                n_failed += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"
            if tick is not None:
                tick()
    mean = scores.mean(axis=1)
    if not np.isfinite(mean).any():
        fail(name, "rows on which at least one candidate source weight can be "
             "cross-validated (pass a fixed source_weight)",
             described(f"{xt.shape[0]} row(s) on which every candidate failed (first "
                       f"error: {first_error[:200]})"), caller)
    if n_failed:
        import warnings

        from sklearn.exceptions import FitFailedWarning

        warnings.warn(
            f"{caller}: {n_failed} of {len(grid) * len(splits)} cross-validation fits for "
            f"source_weight='auto' failed and scored -inf, so a candidate weight that "
            f"failed on any fold could not be chosen (first error: {first_error[:200]}); "
            f"see details['cv_scores'] and details['n_failed_fits']",
            FitFailedWarning,
            stacklevel=3,
        )
    best = int(np.argmax(mean))  # first maximum: the smallest such weight
    return grid[best], {"candidates": grid,
                        "cv_scores": [float(v) if np.isfinite(v) else None
                                      for v in mean],
                        "cv": opts.cv if isinstance(opts.cv, int) else type(opts.cv).__name__,
                        "n_splits": len(splits), "n_failed_fits": n_failed, **notes}


def _classes(ys: Sequence[npt.NDArray[Any]], classifier: bool) -> npt.NDArray[Any] | None:
    return np.unique(np.concatenate(list(ys))) if classifier else None


def _stacked(previous: Any, estimator: Any, seed: int, x: FloatArray,
             y: npt.NDArray[Any], tab: Callable[[Any], Any] = _ident) -> Any:
    from sklearn.frozen import FrozenEstimator

    from mllifecycle.transfer._stacked import (
        StackedTransferClassifier,
        StackedTransferRegressor,
    )

    cls = StackedTransferClassifier if _is_classifier(estimator) else (
        StackedTransferRegressor)
    known = getattr(previous, "classes_", None)
    if cls is StackedTransferClassifier and known is not None:
        lost = sorted(set(np.asarray(known).tolist()) - set(np.unique(y).tolist()), key=str)
        if lost:
            # the stacked model learns the target's labels only: a class of the
            # source the target lacks vanished from classes_ and predict_proba
            # without a word (warm_start refuses it; weighted/partial_fit keep it)
            warnings.warn(
                f"strategy 'stacked' fits the target's labels only: the source's "
                f"class(es) {lost} absent from the target cannot be predicted by the "
                "transferred model (use 'weighted' or 'partial_fit' to keep them)",
                DegenerateDataWarning, stacklevel=3,
            )
    wrapper = cls(source_model=FrozenEstimator(previous),
                  estimator=seeded_clone(estimator, seed))
    return wrapper.fit(tab(x), y)


def _check_estimator(estimator: Any, caller: str) -> None:
    check_estimator_instance(estimator, ["fit", "predict"], caller)
    if not hasattr(estimator, "get_params"):
        fail("estimator", "a scikit-learn estimator (with get_params())",
             described(type(estimator).__name__), caller)


