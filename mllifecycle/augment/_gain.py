"""Did augmentation help? Repeated cross-validation, augmenting training folds only."""

from __future__ import annotations

import copy
import inspect
import re
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import fit_weighted, new_seed, seeded_clone, weight_keyword
from mllifecycle._frames import (
    frame_kind,
    frame_to_numpy,
    in_row_order,
    is_frame,
    like,
    series_kind,
    series_like,
)
from mllifecycle._gain import (
    GainResult,
    check_groups,
    cv_plan,
    known_classes_scorer,
    repeated_cv_gain,
    scoring_name,
)
from mllifecycle._progress import check_progress
from mllifecycle._validation import (
    RNGLike,
    check_has_methods,
    check_probability,
    check_rng,
    described,
    fail,
)
from mllifecycle._weights import check_weights
from mllifecycle.augment._common import check_X, check_y, is_continuous
from mllifecycle.exceptions import InvalidParameterError

__all__ = ["AugmentationGainResult", "augmentation_gain"]


@attrs.frozen(kw_only=True, repr=False)
class AugmentationGainResult(GainResult):
    """Score with and without augmentation on the same cross-validation folds.

    The fields are those of every gain estimate (the same as
    :class:`mllifecycle.transfer.TransferGainResult`):

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
    verdict : str
        ``"helped"`` (interval above 0), ``"hurt"`` (below 0) or
        ``"no detectable effect"`` (interval contains 0).
    helped, hurt : bool
        The verdict as two decisions.
    method : str
        The augmenter (its function or class name).
    scoring : str
        The scorer used.
    baseline_score, candidate_score : float
        Mean test scores without and with augmentation.
    baseline_scores, candidate_scores : tuple of float
        Per-split test scores.
    n_splits : int
        Number of train/test splits.
    n_train, n_test : int
        Mean training and test fold sizes (before augmentation).
    details : dict
        ``differences``: the per-split gains.

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
    >>> sorted(res.to_metrics())[:3]
    ['baseline_score', 'candidate_score', 'ci_high']
    """


def _has_text_columns(X: Any) -> bool:
    """Whether ``X`` is a table with a column that is not numbers (text, objects)."""
    if not is_frame(X):
        return False
    try:
        return bool(frame_to_numpy(X).dtype == object)
    except (TypeError, ValueError):
        return False


def _n_rows(X: Any) -> int:
    return int(X.num_rows) if frame_kind(X) == "pyarrow" else len(X)


def _take_rows(X: Any, idx: npt.NDArray[np.intp]) -> Any:
    """Rows ``idx`` of a pandas, polars or pyarrow table, of the same kind."""
    kind = frame_kind(X)
    if kind == "pandas":
        return X.iloc[idx].reset_index(drop=True)
    if kind == "polars":
        return X[idx.tolist()]
    return X.take(idx)


def _augmenter_name(augmenter: Any) -> str:
    fn = getattr(augmenter, "func", augmenter)  # functools.partial
    name = getattr(fn, "__name__", None)
    return str(name) if name else type(augmenter).__name__


def _n_columns(X: Any) -> int | None:
    """Return the number of columns of a 2-D array or table, None when not 2-D."""
    shape = getattr(X, "shape", None)
    if shape is None:
        shape = np.shape(X)
    return int(shape[1]) if len(shape) == 2 else None


def _fresh_copy(augmenter: Any) -> Any:
    """Return a deep copy of an augmenter that cannot be cloned (itself if not copyable)."""
    try:
        return copy.deepcopy(augmenter)
    except Exception:  # e.g. holding a lock or a connection: used as it is
        return augmenter


def _augment(
    augmenter: Any, X: Any, y: Any, seed: int, caller: str
) -> tuple[Any, Any, Any]:
    """Apply a sampler (cloned, reseeded) or a function taking ``rng``.

    Returns ``(X, y, sample_weight)``, the weights None unless the augmenter
    returned them (a third element).
    """
    if not hasattr(augmenter, "get_params"):
        # a duck-typed sampler (or a callable object) cannot be cloned: a fresh
        # copy per split, so state it keeps (its own generator, what it learned
        # in fit_resample) is not carried from split to split. Reused as it
        # was, the answer depended on the order of the splits (n_jobs=2 gave
        # another gain than serial) and on earlier calls with the same object
        augmenter = _fresh_copy(augmenter)
    if hasattr(augmenter, "fit_resample"):
        sampler = seeded_clone(augmenter, seed, overwrite=True)
        out = sampler.fit_resample(X, y)
    else:
        out = augmenter(X, y, rng=seed)
    if not isinstance(out, tuple | list) or len(out) < 2:
        got = (described(f"a {len(out)}-tuple") if isinstance(out, tuple | list)
               else described(f"a {type(out).__name__}"))
        fail("augmenter", "a sampler or function returning (X, y) or (X, y, sample_weight)",
             got, caller)
    Xg, yg = out[0], out[1]
    n_x = len(Xg) if is_frame(Xg) else np.shape(Xg)[0] if np.ndim(Xg) else -1
    n_y = len(yg) if np.ndim(yg) or series_kind(yg) else -1
    if n_x < 0 or n_y < 0 or n_x != n_y:
        fail("augmenter", "an (X, y) pair with one label per row",
             described(f"X with {n_x} row(s) and y with {n_y} label(s)"), caller)
    if np.ndim(yg) != 1 and series_kind(yg) is None:
        # mixup(labels="soft") gives class probabilities: the estimator failed
        # with scikit-learn's bare "y should be a 1d array"
        fail("augmenter", "an (X, y) pair with a 1-D y of labels or targets, as y came "
             "(for mixup, labels='hard')",
             described(f"y of shape {np.shape(yg)}"), caller)
    p_in, p_out = _n_columns(X), _n_columns(Xg)
    if p_in is not None and p_out is not None and p_in != p_out:
        # the model fitted on the augmented rows failed on the test fold with
        # scikit-learn's "X has 3 features, but ... is expecting 2", naming no augmenter
        fail("augmenter", f"rows with the {p_in} feature(s) of X",
             described(f"rows with {p_out} feature(s)"), caller)
    wg = out[2] if len(out) > 2 else None
    if wg is not None:
        n_w = np.shape(wg)[0] if np.ndim(wg) == 1 else -1
        if n_w != n_x:
            fail("augmenter", "(X, y, sample_weight) with one weight per row",
                 described(f"{n_x} row(s) and sample_weight of shape {np.shape(wg)}"), caller)
        # the library's one check of weights: a negative weight was fitted as
        # it came (GaussianNB, a tree: a score for a nonsensical model), or
        # failed inside the estimator (LogisticRegression: ZeroDivisionError)
        try:
            wg = check_weights(wg, n_x, None, positive_sum=True)
        except InvalidParameterError as exc:
            m = re.fullmatch(r"The 'sample_weight' parameter must be (.*)\. Got (.*) instead\.",
                             str(exc), re.S)
            why = f"sample_weight that is not {m[1]}: {m[2]}" if m else str(exc)
            fail("augmenter", "(X, y, sample_weight) with finite, non-negative weights "
                 "of positive sum", described(why), caller)
    return Xg, yg, wg


def augmentation_gain(
    estimator: Any,
    X: Any,
    y: Any,
    augmenter: Any,
    *,
    cv: Any = 5,
    n_repeats: int = 5,
    groups: Any = None,
    scoring: Any = None,
    confidence_level: float = 0.95,
    n_jobs: int | None = None,
    progress: Any = False,
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
    interval for the overlap of training sets (the same estimate as
    :func:`mllifecycle.transfer.transfer_gain`).

    Parameters
    ----------
    estimator : scikit-learn estimator
        Cloned for every fit (an unset ``random_state`` seeded from ``rng``);
        never mutated.
    X : array-like or table of shape (n_samples, n_features)
        A pandas, polars or pyarrow table is passed on to the augmenter and
        the estimator as a table of the same kind (column names kept). A
        table with text columns (for :func:`smote_nc`) is passed on as it is,
        its values checked by the augmenter and the estimator.
    y : array-like of shape (n_samples,)
        A pandas ``y`` whose index holds ``X``'s row labels in another order
        is read in ``X``'s row order (with a default 0..n-1 index on one
        side, refused).
    augmenter : sampler or callable
        An object with ``fit_resample(X, y)`` (cloned per split, its
        ``random_state`` set from ``rng``; one without ``get_params``, such
        as a plain class of your own, deep-copied per split, so every split
        starts from the state it was given in), or a function called as
        ``augmenter(X_train, y_train, rng=seed)`` returning ``(X, y)`` or
        ``(X, y, sample_weight)``, such as :func:`smote` or a
        ``functools.partial`` of it. Weights it returns are passed to the
        augmented model's ``fit`` (a ``Pipeline``'s final step, or where
        scikit-learn's metadata routing sends them when it is enabled; an
        estimator whose ``fit`` takes no ``sample_weight`` is then refused).
    cv : int or cross-validation splitter, default=5
        Number of folds (repeated ``n_repeats`` times, shuffled with ``rng``;
        stratified for class labels, not for a regressor's target, even of
        whole numbers), or a splitter with ``split(X, y)`` used as given
        (``split(X, y, groups)`` with ``groups``). A repetition that deals the
        same folds as an earlier one (``cv`` equal to the number of rows or
        groups), or a repeated split of a splitter, is counted once
        (``details["n_duplicate_splits"]``, with a warning).
    n_repeats : int, default=5
        Repetitions when ``cv`` is an int.
    groups : array-like of shape (n_samples,), optional
        Group of each row (patient, device, session). With an int ``cv``
        the folds hold out whole groups (scikit-learn's
        ``StratifiedGroupKFold`` for class labels, else ``GroupKFold``,
        shuffled per repetition), and only the training groups' rows are
        augmented, so no synthetic row is made from a test group; a splitter
        gets them as ``split(X, y, groups)`` (a group splitter such as
        ``GroupKFold`` without ``groups`` is refused, and so is a split that
        puts one group on both sides). A pandas Series is matched to a
        pandas ``X`` by row label, as ``y`` is; missing labels are refused.
    scoring : str or callable, optional
        A scikit-learn scorer (higher is better); default the estimator's
        ``score``.
    confidence_level : float, default=0.95
        Coverage of the interval.
    n_jobs : int, optional
        Splits evaluated in parallel with joblib (same answer as serial).
    progress : bool or callable, default=False
        ``True`` for a bar (the ``progress`` extra), or a callable
        ``progress(done, total)`` called after each split.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the splits, the estimator clones and the augmenter.

    Returns
    -------
    AugmentationGainResult
        ``gain``, ``ci_low``, ``ci_high``, ``p_value``, ``verdict`` and the
        per-split scores.

    Raises
    ------
    InvalidParameterError
        Naming the argument: an estimator without ``fit``, an augmenter that
        is neither a sampler nor a callable taking ``rng`` or that does not
        return ``(X, y, ...)``, bad ``X``/``y``/``groups``, ``cv`` larger than
        the smallest class (or the number of groups), a group splitter
        without ``groups``, a bad ``confidence_level`` or ``progress``.

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
    if isinstance(augmenter, type):
        # a class is callable: SMOTE (for SMOTE()) failed in the first split
        # with scikit-learn's bare "Cannot clone object ... instead of a class"
        fail("augmenter", "a sampler instance or an augmenting function",
             described(f"the class {augmenter.__name__} (write {augmenter.__name__}())"),
             caller)
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
    # pandas X and y holding the same row labels in two orders are paired by label:
    # a y sorted by index was cross-validated against another row's features
    y = in_row_order(y, X, "y", "X", caller)
    mixed = _has_text_columns(X)
    if mixed:
        # a table with text columns (for smote_nc): its rows are handed on as
        # they are; the augmenter and the estimator check its values
        Xa = np.empty((_n_rows(X), 0))
    else:
        Xa, _ = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    level = check_probability(confidence_level, "confidence_level", caller=caller,
                              open_interval=True)
    check_progress(progress, caller)
    gen = check_rng(rng, caller=caller)
    from sklearn.base import is_regressor
    from sklearn.metrics import check_scoring

    # a regressor's whole-number target (counts, prices in cents) is no set of
    # classes: stratifying it refused the folds for a "class" of one row
    classification = not is_continuous(ya) and not is_regressor(estimator)
    if classification:
        present = np.unique(ya)
        if present.shape[0] < 2:
            # every fold of one class: a classifier failed in the first split
            # with its own error, or (GaussianNB) "no detectable effect" was
            # reported for a model that could only ever predict that class
            fail("y", "labels of at least 2 classes (a classifier's held-out score)",
                 described(f"only the class {present.tolist()[0]!r}"), caller)
    ga = None if groups is None else check_groups(groups, X, ya.shape[0], caller)
    splits, notes = cv_plan(cv, n_repeats, ya, classification=classification,
                            seed=new_seed(gen), caller=caller, require_stratified=True,
                            groups=ga)
    try:
        scorer = check_scoring(estimator, scoring=scoring)
    except (ValueError, TypeError) as exc:
        fail("scoring", "None, a scikit-learn scorer name or a callable",
             described(f"{scoring!r} ({exc})"), caller)
    # a model that knows a class a test fold lacks (folds of whole groups) is
    # scored by log loss and its kin over its own classes
    scorer = known_classes_scorer(scorer)
    frame_X = is_frame(X)
    series_y = series_kind(y) is not None
    weight_key, no_weights = weight_keyword(estimator)

    def rows(idx: npt.NDArray[np.intp]) -> tuple[Any, Any]:
        if mixed:
            return _take_rows(X, idx), (series_like(y, ya[idx]) if series_y else ya[idx])
        Xi = like(X, Xa[idx]) if frame_X else Xa[idx]
        yi = series_like(y, ya[idx]) if series_y else ya[idx]
        return Xi, yi

    def one(train: npt.NDArray[np.intp], test: npt.NDArray[np.intp],
            seed: int) -> tuple[float, float, None]:
        Xt, yt = rows(train)
        Xs, ys = rows(test)
        base = seeded_clone(estimator, seed).fit(Xt, yt)
        Xg, yg, wg = _augment(augmenter, Xt, yt, seed, caller)
        # weights the augmenter returned (e.g. down-weighted synthetic rows)
        # are part of the augmented data: fitting without them was another model
        # (a Pipeline's go to its final step, as in replay and transfer)
        if wg is not None and weight_key is None:
            fail("estimator", "an estimator whose fit takes sample_weight (the augmenter "
                 "returned weights for its rows; a Pipeline passes them to its final step)",
                 described(no_weights), caller)
        aug = fit_weighted(seeded_clone(estimator, seed), Xg, yg, wg, weight_key)
        return float(scorer(base, Xs, ys)), float(scorer(aug, Xs, ys)), None

    result: AugmentationGainResult = repeated_cv_gain(
        AugmentationGainResult, splits, one, gen=gen, confidence_level=level,
        method=_augmenter_name(augmenter), scoring=scoring_name(scoring), n_jobs=n_jobs,
        progress=progress, caller=caller, notes=notes,
    )
    return result
