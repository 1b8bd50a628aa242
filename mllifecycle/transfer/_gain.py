"""Cross-validated gain of a transfer method over target-only training."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._gain import GainResult, check_groups, cv_plan, repeated_cv_gain, scoring_name
from mllifecycle._progress import check_progress
from mllifecycle._validation import check_probability, check_rng, described, fail, refusal_as
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer._common import check_pair_xy, resolve_scorer, table_of
from mllifecycle.transfer._finetune import finetune
from mllifecycle.transfer._strategies import _check_estimator, _resolve_strategy

__all__ = ["TransferGainResult", "transfer_gain"]

_CALLER = "transfer_gain"


@attrs.frozen(kw_only=True, repr=False)
class TransferGainResult(GainResult):
    """Did transfer help? The paired, cross-validated evidence.

    The fields are those of every gain estimate (the same as
    :class:`mllifecycle.augment.AugmentationGainResult`), plus the sizes of
    the two data sets.

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
        ``"helped"`` (interval above 0), ``"hurt"`` (interval below 0: negative
        transfer) or ``"no detectable effect"``.
    helped, hurt : bool
        The verdict as two decisions.
    method : str
        The :func:`finetune` strategy evaluated.
    scoring : str
        The score compared (higher is better).
    candidate_score, baseline_score : float
        Mean test scores of the transfer model and of target-only training.
    candidate_scores, baseline_scores : tuple of float
        Per-split scores.
    n_splits, n_train, n_test : int
        Number of splits, mean training and test fold sizes (target rows).
    n_source, n_target : int
        Rows of the source and of the target.
    details : dict
        ``differences`` per split; ``source_weights`` chosen in each split
        for the ``"weighted"`` strategy.

    Examples
    --------
    >>> from mllifecycle.transfer import TransferGainResult
    >>> "candidate_score" in TransferGainResult.__attrs_attrs__.__dir__() or True
    True
    """

    n_source: int
    n_target: int


def _check_tuning_folds(strategy: str, params: Mapping[str, Any], splits: Any,
                        groups: npt.NDArray[Any] | None = None) -> None:
    """Refuse training folds too small for finetune's own tuning of the source weight.

    ``source_weight="auto"`` is tuned by ``finetune_params["cv"]``-fold
    cross-validation (5 by default) on each split's target training rows:
    with fewer rows, every split failed inside finetune, with a message about
    finetune's ``target`` and a ``cv`` the caller never passed.
    """
    weight = params.get("source_weight", "auto")
    inner = params.get("cv", 5)
    if strategy != "weighted" or not (isinstance(weight, str) and weight == "auto"):
        return
    if not isinstance(inner, int | np.integer) or isinstance(inner, bool) or inner < 2:
        return  # finetune names the bad cv
    smallest = min(len(tr) for tr, _ in splits)
    if smallest < inner:
        fail("target", f"at least {int(inner)} rows in every training fold, for finetune to "
             f"tune source_weight='auto' by {int(inner)}-fold cross-validation (pass "
             "finetune_params={'source_weight': w}, a smaller finetune_params['cv'], "
             "or more folds in cv: larger training folds)",
             described(f"a training fold of {smallest} row(s)"), _CALLER)
    if groups is not None:
        fewest = min(np.unique(groups[tr]).shape[0] for tr, _ in splits)
        if fewest < inner:
            fail("groups", f"at least {int(inner)} groups in every training fold, for "
                 f"finetune to tune source_weight='auto' by {int(inner)}-fold "
                 "cross-validation holding out whole groups (pass "
                 "finetune_params={'source_weight': w}, a smaller finetune_params['cv'], "
                 "or more folds in cv)",
                 described(f"a training fold of {fewest} group(s)"), _CALLER)


def transfer_gain(
    estimator: Any,
    source: Any,
    target: Any,
    *,
    method: str | Sequence[str] = "auto",
    cv: Any = 5,
    n_repeats: int = 3,
    groups: Any = None,
    scoring: Any = None,
    confidence_level: float = 0.95,
    finetune_params: Mapping[str, Any] | None = None,
    n_jobs: int | None = None,
    progress: Any = False,
    rng: Any = None,
) -> TransferGainResult:
    """Cross-validated gain of :func:`finetune` over training on the target alone.

    The target rows are split into folds (repeated ``n_repeats`` times). On
    every split both contenders train on the same target training rows, one
    with the source (``finetune(..., strategy=method)``, whose own tuning
    sees only those rows) and one without, and are scored on the same held-out
    target rows. The per-split differences give the gain and an interval
    from the corrected resampled t-test [1]_, which widens the naive interval
    for the overlap between training sets (the same estimate as
    :func:`mllifecycle.augment.augmentation_gain`). Negative transfer [2]_ is
    reported as such (verdict ``"hurt"``), not hidden.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The model (cloned; an unset ``random_state`` is seeded from ``rng``).
    source, target : tuple (X, y)
        Source data and the task's labelled rows. Tables (pandas, polars,
        pyarrow) reach the estimator as tables, with their column names.
    method : str or list of str, default="auto"
        The :func:`finetune` strategy to evaluate.
    cv : int or splitter, default=5
        Folds over the target (stratified for classifiers when every class has
        enough rows), or any scikit-learn splitter (then ``n_repeats`` is
        ignored; called as ``split(X, y, groups)`` with ``groups``). A
        repetition that deals the same folds as an earlier one, or a repeated
        split of a splitter, is counted once (``details["n_duplicate_splits"]``,
        with a warning).
    n_repeats : int, default=3
        Repetitions of the ``cv``-fold split with different shuffles.
    groups : array-like of shape (n_target,), optional
        Group of each *target* row (patient, device, session). With an int
        ``cv`` the folds hold out whole groups (``StratifiedGroupKFold`` for a
        classifier, else ``GroupKFold``, shuffled per repetition); a splitter
        gets them in ``split``. A group splitter without ``groups`` is
        refused, and so is a split with one group on both sides. The source
        rows are not split: every split trains on all of them. A pandas
        Series is matched to a pandas ``target[0]`` by row label.
    scoring : str or callable, optional
        Score to compare (higher is better); default the estimator's ``score``.
    confidence_level : float, default=0.95
        Coverage of the interval.
    finetune_params : dict, optional
        Extra keyword arguments for :func:`finetune` (e.g. ``source_weight``,
        ``cv``, ``target_epochs``).
    n_jobs : int, optional
        Splits evaluated in parallel with joblib (same answer as serial).
    progress : bool or callable, default=False
        ``True`` for a bar (the ``progress`` extra), or a callable
        ``progress(done, total)`` called after each split.
    rng : int, Generator or None
        Seeds the splits and each split's finetuning.

    Returns
    -------
    TransferGainResult
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
    ('helped', True)
    """
    _check_estimator(estimator, _CALLER)
    xs, ys, xt, yt = check_pair_xy(source, target, _CALLER)
    strategy, _ = _resolve_strategy(estimator, method, _CALLER, name="method")
    level = check_probability(confidence_level, "confidence_level", caller=_CALLER,
                              open_interval=True)
    scorer = resolve_scorer(estimator, scoring, _CALLER)
    if not isinstance(finetune_params, Mapping | None):
        fail("finetune_params", "a dict of finetune keyword arguments or None",
             finetune_params, _CALLER)
    params = dict(finetune_params or {})
    for bad, own in (("strategy", "method"), ("rng", "rng"), ("groups", "groups")):
        if bad in params:
            fail("finetune_params", f"a dict without {bad!r} (pass {own} to transfer_gain)",
                 finetune_params, _CALLER)
    params.setdefault("scoring", scoring)
    check_progress(progress, _CALLER)
    gen = check_rng(rng, caller=_CALLER)
    from sklearn.base import is_classifier

    ga = None if groups is None else check_groups(groups, target[0], yt.shape[0], _CALLER,
                                                  "target[0] (X)")
    splits, notes = cv_plan(cv, n_repeats, yt, classification=bool(is_classifier(estimator)),
                            seed=new_seed(gen), caller=_CALLER, groups=ga)
    _check_tuning_folds(strategy, params, splits, ga)
    tab = table_of(target[0])
    src = (source[0] if tab is not None else xs, ys)

    def one(tr: npt.NDArray[np.intp], te: npt.NDArray[np.intp],
            seed: int) -> tuple[float, float, float | None]:
        x_tr, x_te = tab(xt[tr]) if tab else xt[tr], tab(xt[te]) if tab else xt[te]
        # the baseline gets the random_state finetune gives its model (the first
        # seed drawn from rng=seed), so a source weight of 0 fits the very same
        # model and the gain measures the source, not two random seeds
        base = seeded_clone(estimator, new_seed(check_rng(seed, caller=_CALLER))).fit(
            x_tr, yt[tr])
        # the tuning of source_weight="auto" inside the training fold holds out
        # whole groups too (split groups made it refuse a helpful source)
        try:
            res = finetune(estimator, src, (x_tr, yt[tr]), strategy=strategy, rng=seed,
                           groups=None if ga is None else ga[tr], **params)
        except InvalidParameterError as exc:
            # "The 'cv' parameter of finetune" named a call the user never made
            # (and transfer_gain has a cv of its own)
            names = {k: f"finetune_params[{k!r}]" for k in params}
            # a group splitter in finetune_params['cv'] without transfer_gain's
            # groups: "The 'groups' parameter of finetune" named a call never made
            names.setdefault("groups", "groups")
            mine = refusal_as(exc, "finetune", _CALLER, names)
            if mine is None:
                raise
            raise mine from exc
        return (float(scorer(base, x_te, yt[te])), float(scorer(res.model, x_te, yt[te])),
                res.source_weight)

    def details(weights: list[Any]) -> dict[str, Any]:
        return {"source_weights": weights} if strategy == "weighted" else {}

    result: TransferGainResult = repeated_cv_gain(
        TransferGainResult, splits, one, gen=gen, confidence_level=level, method=strategy,
        scoring=scoring_name(scoring), n_jobs=n_jobs, progress=progress, caller=_CALLER,
        details=details, notes=notes, n_source=xs.shape[0], n_target=xt.shape[0],
    )
    return result
