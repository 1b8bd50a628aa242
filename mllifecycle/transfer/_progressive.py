"""Train through data sets of increasing quality: :func:`progressive`."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._gain import check_groups
from mllifecycle._progress import check_progress, make_progress
from mllifecycle._results import (
    attrs_to_dict,
    flat_metrics,
    format_value,
    html_table,
    jsonable,
)
from mllifecycle._validation import (
    check_rng,
    check_same_n_features,
    check_scalar,
    described,
    fail,
    refusal_as,
)
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer._common import (
    FloatArray,
    check_same_columns,
    check_same_label_kind,
    check_xy,
    table_of,
)
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
    tuning_splits,
)

__all__ = ["StageReport", "ProgressiveResult", "progressive"]


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

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat ``name -> float`` dict (for metric trackers)."""
        return flat_metrics(self.to_dict())

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

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat dict: ``final_score``, ``stages.<name>.score``, ...

        Each stage contributes its ``score``, ``previous_score``, ``kept`` (0 or
        1) and ``n_samples``.
        """
        out = flat_metrics({"final_score": self.final_score})
        for s in self.stages:
            out.update(flat_metrics({"score": s.score, "previous_score": s.previous_score,
                                     "kept": s.kept, "n_samples": s.n_samples},
                                    prefix=f"stages.{s.name}"))
        return out

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


def _is_pair(data: Any) -> bool:
    return isinstance(data, Sequence) and not isinstance(data, str | bytes) and len(data) == 2


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
    names = [name for name, _ in items]
    if len(set(names)) < len(names):
        # {1: ..., "1": ...}: two stages reported under one name, so to_metrics()
        # kept only the last one's figures and the groups of one went to both
        twice = next(n for n in names if names.count(n) > 1)
        fail("stages", "a dict whose keys name distinct stages (as text)",
             described(f"keys {[k for k in stages if str(k) == twice]} all named "
                       f"{twice!r}"), caller)
    out: list[tuple[str, FloatArray, npt.NDArray[Any]]] = []
    for i, (name, data) in enumerate(items):
        if i and _is_pair(items[0][1]) and _is_pair(data):
            check_same_columns(items[0][1][0], data[0],
                               ("stages[0][0] (X)", f"stages[{i}][0] (X)"), caller)
        x, y = check_xy(data, f"stages[{i}]", caller)
        if out:
            check_same_n_features(out[0][1], x, ("stages[0][0] (X)", f"stages[{i}][0] (X)"),
                                  caller)
            check_same_label_kind(out[0][2], y, ("stages[0][1] (y)", f"stages[{i}][1] (y)"),
                                  caller)
        out.append((name, x, y))
    return out


def _check_stage_groups(groups: Any, stages: Any, items: Sequence[tuple[str, Any, Any]],
                        caller: str) -> list[npt.NDArray[Any] | None]:
    """Return one checked group array (or None) per stage."""
    if groups is None:
        return [None] * len(items)
    if isinstance(stages, Mapping):
        if not isinstance(groups, Mapping):
            fail("groups", "a dict stage name -> group labels (the stages are a dict)",
                 described(f"a {type(groups).__name__}"), caller)
        unknown = [k for k in groups if str(k) not in {name for name, _, _ in items}]
        if unknown:
            fail("groups", f"a dict whose keys are stage names {[n for n, _, _ in items]}",
                 described(f"the key(s) {unknown}"), caller)
        keys = [str(k) for k in groups]
        if len(set(keys)) < len(keys):
            twice = next(k for k in keys if keys.count(k) > 1)
            fail("groups", "a dict with one entry per stage name",
                 described(f"keys {[k for k in groups if str(k) == twice]} all naming "
                           f"stage {twice!r}"), caller)
        by_name = {str(k): v for k, v in groups.items()}
        given = [by_name.get(name) for name, _, _ in items]
    else:
        if not isinstance(groups, Sequence) or isinstance(groups, str | bytes) or (
                len(groups) != len(items)):
            fail("groups", f"a list of {len(items)} entries, one per stage (None for a "
                 "stage without groups)",
                 described(f"a {type(groups).__name__}"
                           + (f" of {len(groups)} entries"
                              if isinstance(groups, Sequence) else "")), caller)
        given = list(groups)
    pairs = list(stages.values()) if isinstance(stages, Mapping) else list(stages)
    return [None if g is None else check_groups(g, pairs[k][0], items[k][1].shape[0],
                                                caller, f"stages[{k}][0] (X)")
            for k, g in enumerate(given)]


def progressive(
    estimator: Any,
    stages: Any,
    *,
    validation: Any,
    strategy: str | Sequence[str] = "auto",
    scoring: Any = None,
    tolerance: float = 0.0,
    source_weight: float | str = "auto",
    cv: Any = 5,
    groups: Any = None,
    epochs: int = 10,
    batch_size: int | None = None,
    schedule: Callable[[int], float] | None = None,
    extra_estimators: int | None = None,
    rng: Any = None,
    progress: Any = False,
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
    source_weight, batch_size, schedule, extra_estimators
        As in :func:`finetune`.
    cv : int or splitter, default=5
        As in :func:`finetune`: the splits of each later stage's rows tuning
        ``source_weight="auto"`` (an int, or a scikit-learn splitter such as
        ``GroupKFold`` applied to each stage in turn). Every tuned stage's
        splits are made and checked before the first stage is trained.
    groups : list or dict, optional
        Group labels of each stage's rows (patient, device, session), shaped
        as ``stages``: a list with one entry per stage (None for a stage
        without groups) or a dict stage name -> labels (a stage left out has
        none). The tuning of ``source_weight="auto"`` on a stage then holds
        out whole groups, as in :func:`finetune`; only that tuning
        cross-validates (the first stage is never tuned). A group splitter
        as ``cv`` needs the groups of every tuned stage (a missing entry is
        refused naming it, e.g. ``groups[1]``).
    epochs : int, default=10
        Passes over each stage (``"partial_fit"``).
    rng : int, Generator or None
        Seeds the folds, shuffles and unset ``random_state``.
    progress : bool or callable, default=False
        ``True`` for a bar (the ``progress`` extra) or a callable
        ``progress(done, total)``, called after each stage is trained and
        scored.

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

    The gold stage's rows come in 12 groups of 5 (a patient each); its
    source weight is tuned on folds of whole groups:

    >>> from sklearn.model_selection import GroupKFold
    >>> res = progressive(LogisticRegression(),
    ...                   {"public": task(2000, 0.3), "gold": task(60, 0.0)},
    ...                   validation=task(300, 0.0), cv=GroupKFold(4),
    ...                   groups={"gold": np.repeat(np.arange(12), 5)}, rng=0)
    >>> details = res.stages[1].details
    >>> details["cv"], details["n_splits"], details["n_groups"]
    ('GroupKFold', 4, 12)
    """
    caller = "progressive"
    _check_estimator(estimator, caller)
    items = _check_stages(stages, caller)
    first = stages[next(iter(stages))] if isinstance(stages, Mapping) else stages[0]
    if _is_pair(validation):
        check_same_columns(first[0], validation[0], ("stages[0][0] (X)", "validation[0] (X)"),
                           caller)
    xv, yv = check_xy(validation, "validation", caller)
    check_same_n_features(items[0][1], xv, ("stages[0][0] (X)", "validation[0] (X)"),
                          caller)
    check_same_label_kind(items[0][2], yv, ("stages[0][1] (y)", "validation[1] (y)"), caller)
    chosen, reason = _resolve_strategy(estimator, strategy, caller)
    opts = _check_options(
        estimator, chosen, caller, source_weight=source_weight, cv=cv,
        scoring=scoring, source_epochs=epochs, target_epochs=epochs,
        batch_size=batch_size, schedule=schedule, extra_estimators=extra_estimators,
        tab=table_of(first[0]),
    )
    tab = opts.tab
    stage_groups = _check_stage_groups(groups, stages, items, caller)
    for k, ga in enumerate(stage_groups):
        n_groups = 0 if ga is None else int(np.unique(ga).shape[0])
        if k and ga is not None and chosen == "weighted" and opts.source_weight is None \
                and isinstance(opts.cv, int) and n_groups < opts.cv:
            # refused up front, naming the stage, not after training the stages before it
            fail("cv", "at most the number of groups of every stage tuned with groups, "
                 "each tuning fold holding out whole groups",
                 described(f"cv={opts.cv} with {n_groups} group(s) in the groups of "
                           f"stages[{k}] ({items[k][0]!r})"), caller)
    tol = check_scalar(tolerance, "tolerance", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    check_progress(progress, caller)
    seed = new_seed(gen)
    classifier = _is_classifier(estimator)
    classes = _classes([y for _, _, y in items] + [yv], classifier)
    # each tuned stage's splits, made (and checked) before any stage is trained
    planned: list[Any] = [None] * len(items)
    if chosen == "weighted" and opts.source_weight is None:
        for k in range(1, len(items)):
            try:
                planned[k] = tuning_splits(estimator, items[k][2], opts, seed, caller,
                                           f"stages[{k}]", stage_groups[k])
            except InvalidParameterError as exc:
                # a group splitter with no groups for this stage: name its entry
                entry = f"groups[{items[k][0]!r}]" if isinstance(stages, Mapping) else (
                    f"groups[{k}]")
                mine = None if groups is None else refusal_as(
                    exc, caller, caller, {"groups": entry})
                if mine is None:
                    raise
                raise mine from exc
    scoring_name = scoring if isinstance(scoring, str) else (
        "default score" if scoring is None else getattr(scoring, "__name__", "custom"))

    reports: list[StageReport] = []
    model: Any = None
    best = float("nan")
    acc_x = acc_y = acc_w = None
    bar = make_progress(progress, total=len(items), desc=caller, caller=caller)
    for k, (name, x, y) in enumerate(items):
        details: dict[str, Any] = {}
        cand_acc = None
        if k == 0:
            if chosen == "partial_fit":
                cand = seeded_clone(estimator, seed)
                _epochs(cand, x, y, epochs=opts.target_epochs, batch_size=opts.batch_size,
                        classes=classes, schedule=None, gen=gen, first=True, tab=tab,
                        caller=caller)
            else:
                cand = seeded_clone(estimator, seed)
                if chosen == "warm_start":
                    cand.set_params(warm_start=False)
                cand.fit(tab(x), y)
            cand_acc = (x, y, np.ones(x.shape[0]))
        elif chosen == "weighted":
            assert acc_x is not None
            assert acc_y is not None
            assert acc_w is not None
            if opts.source_weight is None:
                w, details = _tune_weight(estimator, seed, acc_x, acc_y, acc_w, x, y,
                                          opts, caller, name=f"stages[{k}]",
                                          planned=planned[k])
            else:
                w = opts.source_weight
            details["source_weight"] = w
            cand = _weighted_fit(estimator, seed, acc_x, acc_y, acc_w * w, x, y, tab,
                                 caller)
            cand_acc = (np.concatenate([acc_x, x]), np.concatenate([acc_y, y]),
                        np.concatenate([acc_w * w, np.ones(x.shape[0])]))
        elif chosen == "partial_fit":
            cand = copy.deepcopy(model)
            rates = _epochs(cand, x, y, epochs=opts.target_epochs,
                            batch_size=opts.batch_size, classes=classes,
                            schedule=opts.schedule, gen=gen, first=False, tab=tab,
                            caller=caller)
            if rates:
                details["learning_rates"] = rates
        elif chosen == "warm_start":
            cand, details = _warm_continue(model, x, y, opts.extra_estimators, caller, tab,
                                           name=f"stages[{k}]",
                                           source="the model kept so far")
        else:
            cand = _stacked(model, estimator, seed, x, y, tab)
        score = float(opts.scorer(cand, tab(xv), yv))
        if np.isnan(score):
            # a NaN score kept stage 0 and then dropped every later stage
            # (score >= NaN is False), with final_score NaN
            fail("validation", "rows on which the scorer gives a number (R^2 needs at "
                 "least 2 rows), or another scoring",
                 described(f"a NaN score for {name!r} on {xv.shape[0]} validation "
                           "row(s)"), caller)
        kept = k == 0 or score >= best - tol
        reports.append(StageReport(name=name, n_samples=x.shape[0], score=score,
                                   previous_score=None if k == 0 else best, kept=kept,
                                   details=details))
        if kept:
            model, best = cand, score
            if cand_acc is not None:
                acc_x, acc_y, acc_w = cand_acc
        bar.update()
    bar.close()
    return ProgressiveResult(model=model, strategy=chosen, reason=reason,
                             scoring=str(scoring_name), stages=tuple(reports),
                             final_score=best)
