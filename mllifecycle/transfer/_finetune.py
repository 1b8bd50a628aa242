"""Pretrain on a source data set, then continue on the target: :func:`finetune`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._gain import check_groups
from mllifecycle._progress import check_progress, make_progress
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import check_rng
from mllifecycle.transfer._common import check_pair_xy, table_of
from mllifecycle.transfer._strategies import (
    _check_estimator,
    _check_options,
    _classes,
    _epochs,
    _is_classifier,
    _resolve_strategy,
    _stacked,
    _tune_weight,
    _warm_continue,
    _weighted_fit,
    tuning_fits,
    tuning_splits,
)

__all__ = ["FinetuneResult", "finetune"]


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

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat ``name -> float`` dict (for metric trackers)."""
        return flat_metrics(self.to_dict())

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



def finetune(
    estimator: Any,
    source: Any,
    target: Any,
    *,
    strategy: str | Sequence[str] = "auto",
    source_weight: float | str = "auto",
    cv: Any = 5,
    groups: Any = None,
    scoring: Any = None,
    source_epochs: int = 5,
    target_epochs: int = 10,
    batch_size: int | None = None,
    schedule: Callable[[int], float] | None = None,
    extra_estimators: int | None = None,
    rng: Any = None,
    progress: Any = False,
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
        The task's own labelled rows (same features as the source). In each
        pair, a pandas ``y`` whose index holds ``X``'s row labels in another
        order is read in ``X``'s row order (with a default 0..n-1 index on
        one side, refused).
    strategy : str or list of str, default="auto"
        ``"weighted"``: one fit on source and target, each source row weighted
        ``source_weight`` relative to a target row (the factor tuned by
        ``cv``-fold cross-validation on the target among total source weights
        of 0, 0.3, 3 and 30 times the target's, and a per-row weight of 1);
        a ``Pipeline`` passes the weights to its final step (or where
        scikit-learn's metadata routing sends them, when enabled).
        ``"partial_fit"``: ``source_epochs`` shuffled passes over the source,
        then ``target_epochs`` over the target, optionally with a
        learning-rate ``schedule``. ``"warm_start"``: fit on the source, then
        fit on the target with ``warm_start=True`` (ensembles grow by
        ``extra_estimators`` members trained on the target). ``"stacked"``:
        the source model's outputs become extra features of a target model
        (:class:`StackedTransferClassifier` / :class:`StackedTransferRegressor`);
        it predicts the target's classes only (a source class the target
        lacks is lost, with a :class:`~mllifecycle.exceptions.DegenerateDataWarning`).
        ``"auto"`` takes the first the estimator supports in that order; a list
        restricts the choice. ``result.reason`` says which and why.
    source_weight : float or "auto", default="auto"
        Weight of one source row relative to one target row (``"weighted"``).
    cv : int or splitter, default=5
        Splits of the target rows for tuning ``source_weight``: an int gives
        that many shuffled folds (stratified for a classifier when every
        class has enough rows), or any scikit-learn splitter (``KFold``,
        ``StratifiedKFold``, ``GroupKFold``, a repeated splitter...), called as
        ``split(X, y, groups)`` when it reads groups. As in the gain
        functions, a group splitter without ``groups`` is refused naming
        ``groups``, a split with one group on both sides (``KFold`` given
        ``groups``) naming ``cv``; boolean masks are read as masks, and a
        split given again (a repeated leave-one-out) is counted once, with a
        warning. ``details["n_splits"]`` counts the splits used.
    groups : array-like of shape (n_target,), optional
        Group of each *target* row (patient, device, session). The tuning of
        ``source_weight="auto"`` then holds out whole groups (with an int
        ``cv``, ``StratifiedGroupKFold`` for a classifier, else
        ``GroupKFold``): folds that split a group score the candidates on rows
        they nearly saw, which favours the weights that fit the target's
        groups closest. An int ``cv`` must not exceed the number of groups.
        A pandas Series is matched to a pandas ``target[0]`` by row label.
        Only that tuning cross-validates: with a fixed ``source_weight`` or
        another strategy the groups are checked and not needed.
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
        many as the source model has (after early stopping, if any). Refused
        for a ``"warm_start"`` estimator that does not grow by members (no
        ``n_estimators``, nor HistGradientBoosting's ``max_iter``).
        ``details["estimators_added"]`` counts the members actually added
        (early stopping on the target may add fewer).
    rng : int, Generator or None
        Seeds the folds, the epoch shuffles and unset ``random_state``.
    progress : bool or callable, default=False
        ``True`` for a bar (the ``progress`` extra) or a callable
        ``progress(done, total)``, called after each model fit (each
        ``partial_fit`` pass for ``"partial_fit"``, each tuning fit of
        ``source_weight="auto"``).

    Returns
    -------
    FinetuneResult
        ``model`` (fitted), ``strategy``, ``reason``, ``source_weight``.

    Raises
    ------
    InvalidParameterError
        Mismatched feature counts, an empty target, an estimator that
        supports none of the requested strategies (the message names the
        missing methods), or a ``progress`` that is neither a bool nor a
        callable.

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

    Tuning ``source_weight`` on folds of whole groups of target rows, with a
    scikit-learn splitter:

    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GroupKFold
    >>> groups = np.repeat(np.arange(10), 5)
    >>> res = finetune(LogisticRegression(), (Xs, ys), (Xt, yt), cv=GroupKFold(5),
    ...                groups=groups, rng=0)
    >>> res.details["cv"], res.details["n_splits"], res.details["n_groups"]
    ('GroupKFold', 5, 10)
    """
    caller = "finetune"
    _check_estimator(estimator, caller)
    xs, ys, xt, yt = check_pair_xy(source, target, caller)
    chosen, reason = _resolve_strategy(estimator, strategy, caller)
    tab = table_of(source[0]) or table_of(target[0])
    opts = _check_options(
        estimator, chosen, caller, source_weight=source_weight, cv=cv,
        scoring=scoring, source_epochs=source_epochs, target_epochs=target_epochs,
        batch_size=batch_size, schedule=schedule, extra_estimators=extra_estimators,
        tab=tab,
    )
    tab = opts.tab
    ga = None if groups is None else check_groups(groups, target[0], yt.shape[0], caller,
                                                  "target[0] (X)")
    gen = check_rng(rng, caller=caller)
    check_progress(progress, caller)
    # the model's seed is the first draw from rng: transfer_gain seeds its
    # target-only baseline the same way (keep this the first draw)
    seed = new_seed(gen)
    planned = None
    if chosen == "weighted" and opts.source_weight is None:
        # made (and checked) before any fit, and counted for the progress total
        planned = tuning_splits(estimator, yt, opts, seed, caller, groups=ga)
    if chosen == "weighted":
        total = 1 + (0 if planned is None else
                     tuning_fits(float(xs.shape[0]), xt.shape[0], len(planned[0])))
    elif chosen == "partial_fit":
        total = opts.source_epochs + opts.target_epochs
    else:
        total = 2
    with make_progress(progress, total=total, desc=caller, caller=caller) as bar:
        model, weight, details = _finetune_fit(
            estimator, chosen, opts, gen, seed, xs, ys, xt, yt, caller, bar.update, planned)
    return FinetuneResult(model=model, strategy=chosen, reason=reason,
                          source_weight=weight, n_source=xs.shape[0],
                          n_target=xt.shape[0], details=details)


def _finetune_fit(
    estimator: Any, chosen: str, opts: Any, gen: np.random.Generator, seed: int, xs: Any,
    ys: Any, xt: Any, yt: Any, caller: str, tick: Callable[[], None], planned: Any = None,
) -> tuple[Any, float | None, dict[str, Any]]:
    """Train by the chosen strategy (``planned``: the tuning splits); ``tick`` after each fit."""
    tab = opts.tab
    details: dict[str, Any] = {}
    weight: float | None = None
    if chosen == "weighted":
        ws = np.ones(xs.shape[0])
        if opts.source_weight is None:
            weight, details = _tune_weight(estimator, seed, xs, ys, ws, xt, yt, opts,
                                           caller, tick, planned=planned)
        else:
            weight = opts.source_weight
        model = _weighted_fit(estimator, seed, xs, ys, ws * weight, xt, yt, tab, caller)
        tick()
    elif chosen == "partial_fit":
        classifier = _is_classifier(estimator)
        model = seeded_clone(estimator, seed)
        classes = _classes([ys, yt], classifier)
        _epochs(model, xs, ys, epochs=opts.source_epochs, batch_size=opts.batch_size,
                classes=classes, schedule=None, gen=gen, first=True, tab=tab, tick=tick)
        rates = _epochs(model, xt, yt, epochs=opts.target_epochs,
                        batch_size=opts.batch_size, classes=classes,
                        schedule=opts.schedule, gen=gen, first=False, tab=tab, tick=tick)
        details = {"epochs": [opts.source_epochs, opts.target_epochs]}
        if rates:
            details["learning_rates"] = rates
    elif chosen == "warm_start":
        pre = seeded_clone(estimator, seed).set_params(warm_start=False).fit(tab(xs), ys)
        tick()
        model, details = _warm_continue(pre, xt, yt, opts.extra_estimators, caller, tab)
        tick()
    else:
        pre = seeded_clone(estimator, seed).fit(tab(xs), ys)
        tick()
        model = _stacked(pre, estimator, seed, xt, yt, tab)
        tick()
        details = {"n_source_features": int(model.n_source_features_)}
    return model, weight, details
