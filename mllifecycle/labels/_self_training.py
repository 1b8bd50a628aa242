"""Self-training with calibrated thresholds, class-balanced selection and a CV guard."""

from __future__ import annotations

import numbers
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._frames import column_names, frame_to_numpy, in_row_order, is_frame
from mllifecycle._gain import (
    GainResult,
    check_cv,
    check_groups,
    cv_plan,
    is_splitter,
    known_classes_scorer,
    repeated_cv_gain,
    scoring_name,
)
from mllifecycle._results import ARRAY_EQ, attrs_to_dict, flat_metrics, html_table
from mllifecycle._validation import (
    RNGLike,
    check_array,
    check_has_methods,
    check_int,
    check_probability,
    check_rng,
    described,
    fail,
    label_kinds,
)
from mllifecycle.labels._active import _model_input, _stored_as_given
from mllifecycle.labels._crowd import _label_array

__all__ = ["SelfTraining", "PseudoLabelGainResult", "pseudo_label_gain", "SpreadLabels",
           "spread_labels"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_ONE_KIND_BESIDES_MARKER = ("labels of one kind (all text, all numbers or all booleans) besides "
                            "the unlabelled marker")


def _is_unlabelled(y: npt.NDArray[Any], marker: Any, caller: str | None = None
                   ) -> npt.NDArray[np.bool_]:
    """Mask of the unlabelled rows: ``marker``, NaN, None or pandas' NA.

    A NumPy scalar marker (``np.int64(-1)``) counts on float labels as a
    Python number does; text labels holding ``str(marker)`` (``"-1"`` for the
    default ``-1``) with no row equal to ``marker`` are refused, naming
    ``unlabelled`` (the rows would have become a class of their own).
    """
    out: npt.NDArray[np.bool_]
    if y.dtype.kind == "f":
        out = np.isnan(y)
        if isinstance(marker, numbers.Real) and not np.isnan(float(marker)):
            out |= y == marker
    elif y.dtype.kind == "O":
        out = np.array([_missing_or(v, marker) for v in y.tolist()], dtype=bool)
    else:
        try:
            out = np.asarray(y == marker, dtype=bool)
        except (TypeError, ValueError):
            out = np.zeros(y.shape[0], dtype=bool)
    if y.dtype.kind in "OUS" and not isinstance(marker, str) and marker is not None:
        text = str(marker)
        spelled = np.array([isinstance(v, str) and v == text for v in y.tolist()], dtype=bool)
        if spelled.any() and not (out & ~spelled).any():
            fail("unlabelled", f"the value marking unlabelled rows in y's own type "
                 f"(pass unlabelled={text!r})",
                 described(f"{marker!r}, while y holds {int(spelled.sum())} label(s) "
                           f"{text!r} and none equal to {marker!r}"), caller)
    return out


def _final_step(model: Any) -> Any:
    """Return the model a scikit-learn ``Pipeline`` ends with (nested too), else ``model``.

    ``make_pipeline(StandardScaler(), SelfTraining(...))`` reads the labels with
    its last step: the marker and label checks must look at that step.
    """
    from sklearn.pipeline import Pipeline

    while isinstance(model, Pipeline) and model.steps:
        model = model.steps[-1][1]
    return model


def _check_same_marker(semi_supervised: Any, marker: Any, caller: str) -> None:
    """Refuse a marker that ``semi_supervised`` would read as a class.

    The unlabelled rows reach it marked with ``marker``: :class:`SelfTraining`
    reads its own ``unlabelled`` (and NaN, None) as unlabelled, scikit-learn's
    ``sklearn.semi_supervised`` estimators -1 only. Any other marker became a
    class of its own, and the gain a silently wrong verdict. A ``Pipeline`` is
    judged by its last step (one ending in a :class:`SelfTraining` marking -1
    was handed rows marked ``"?"``: a class ``"?"``, and a "hurt" verdict).
    """
    semi_supervised = _final_step(semi_supervised)
    missing = marker is None or (isinstance(marker, float) and np.isnan(marker))
    if isinstance(semi_supervised, SelfTraining):
        if missing:
            return
        own, also = semi_supervised.unlabelled, ", or NaN or None"
    elif type(semi_supervised).__module__.startswith("sklearn.semi_supervised"):
        own, also = -1, ""
    else:
        return  # a marker we cannot know: the user's estimator's own business

    def kind(v: Any) -> str:
        if isinstance(v, bool | np.bool_):
            return "bool"
        return "number" if isinstance(v, numbers.Real) else type(v).__name__

    if kind(own) != kind(marker) or own != marker:
        fail("unlabelled", f"the marker semi_supervised reads as unlabelled ({own!r}{also}; "
             "other values become a class of their own for it)", marker, caller)


def _check_sklearn_label_kind(semi_supervised: Any, yl: npt.NDArray[Any], caller: str
                              ) -> None:
    """Refuse labels a ``sklearn.semi_supervised`` estimator cannot fit beside its -1 marker.

    Flags joined to the marker ``-1`` are objects scikit-learn reads as an
    "unknown" target type, and ``LabelSpreading``/``LabelPropagation`` sort
    the labels with the marker (``'<' not supported between 'int' and
    'str'``): each split failed inside the fit with scikit-learn's message,
    naming neither ``y`` nor the cure.
    """
    semi_supervised = _final_step(semi_supervised)  # a Pipeline: its last step
    if not type(semi_supervised).__module__.startswith("sklearn.semi_supervised"):
        return
    name = type(semi_supervised).__name__
    kinds = set(label_kinds(yl))
    sorts = name in ("LabelSpreading", "LabelPropagation")
    if "booleans" in kinds or (sorts and "text" in kinds):
        what = "boolean" if "booleans" in kinds else "text"
        fail("y", f"labels {name} can fit beside its unlabelled marker -1 ("
             f"{'numbers' if sorts else 'numbers or text'}: encode {what} labels, e.g. "
             "with sklearn.preprocessing.LabelEncoder)",
             described(f"{what} labels such as {yl.tolist()[0]!r}"), caller)


def _missing_or(v: Any, marker: Any) -> bool:
    """Whether one label of an object array is None, NaN, pandas' NA or ``marker``."""
    if v is None or type(v).__name__ == "NAType":
        return True
    if isinstance(v, float | np.floating) and np.isnan(v):
        return True
    try:
        return bool(v == marker)
    except (TypeError, ValueError):
        return False


def _labels_as_given(y: Any) -> npt.NDArray[Any]:
    """``y`` as an array, as objects when a list mixes kinds NumPy would merge.

    ``np.asarray([True, 1, 0, -1])`` holds the ints ``[1, 1, 0, -1]``: the
    flag ``True`` would silently join the class ``1``.
    """
    arr = _label_array(y)
    if arr.dtype != object and isinstance(y, list | tuple) and len(label_kinds(y)) > 1:
        obj = np.empty(len(y), dtype=object)
        obj[:] = list(y)
        return obj
    return arr


def _object_labels(yl: npt.NDArray[Any], caller: str) -> npt.NDArray[Any]:
    """Return the labelled values of an object array as NumPy stores them, or refuse.

    ``np.asarray([0, "0"])`` reads both as the string ``"0"`` and ``True ==
    1``: labels of two kinds (ints and strings, bools and ints) would
    silently become one class.
    """
    return _stored_as_given(yl.tolist(), "y", caller, expected=_ONE_KIND_BESIDES_MARKER)


def _refuse_continuous(yl: npt.NDArray[Any], caller: str) -> npt.NDArray[Any]:
    """Return float labels as they are when they are whole numbers, or refuse them.

    ``2.5`` is no class label: scikit-learn's splitters and classifiers
    refused it with "Supported target types are: ('binary', 'multiclass').
    Got 'continuous'", naming neither ``y`` nor the value.
    """
    if yl.dtype.kind == "f":
        odd = yl[yl != np.round(yl)]
        if odd.shape[0]:
            fail("y", "class labels (whole numbers when numeric; other floats are "
                 "regression targets)", described(f"{odd.shape[0]} label(s) such as "
                                                  f"{float(odd[0])!r}"), caller)
    return yl


def _marker_column(marker: Any, n: int, dtype: np.dtype[Any]) -> npt.NDArray[Any]:
    """``n`` copies of ``marker`` in ``dtype`` when it holds the marker exactly, else objects.

    ``np.full(n, np.nan, dtype=int)`` gives the integer ``-2**63`` (a class of
    its own) and ``np.full(n, None, dtype=int)`` fails.
    """
    if dtype.kind in "iuf" and isinstance(marker, numbers.Real) \
            and not isinstance(marker, bool | np.bool_):
        if isinstance(marker, float | np.floating) and np.isnan(marker):
            return np.full(n, np.nan)  # float labels mark NaN as NaN
        with np.errstate(invalid="ignore", over="ignore"):
            try:
                held = np.asarray(marker).astype(dtype)
            except (OverflowError, ValueError):
                held = None
        if held is not None and held.item() == marker:
            return np.full(n, held, dtype=dtype)
    out = np.empty(n, dtype=object)
    out[:] = [marker] * n
    return out


def _platt(conf: FloatArray, correct: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Fit ``P(correct | confidence)`` as a logistic curve in logit(confidence)."""
    from sklearn.linear_model import LogisticRegression

    if correct.all() or not correct.any():
        # one outcome only: fall back to the observed rate (shrunk towards 1/2)
        rate = (correct.sum() + 1.0) / (correct.shape[0] + 2.0)
        return 0.0, float(np.log(rate / (1 - rate)))
    z = np.log(np.clip(conf, 1e-6, 1 - 1e-6) / np.clip(1 - conf, 1e-6, 1))
    lr = LogisticRegression(C=1.0).fit(z[:, None], correct.astype(int))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _calibrated(conf: FloatArray, ab: tuple[float, float]) -> FloatArray:
    z = np.log(np.clip(conf, 1e-6, 1 - 1e-6) / np.clip(1 - conf, 1e-6, 1))
    return np.asarray(1.0 / (1.0 + np.exp(-(ab[0] * z + ab[1]))), dtype=np.float64)


class SelfTraining(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Self-training whose pseudo-labels meet a target precision, with a CV guard.

    Rows whose label equals ``unlabelled`` (default -1; NaN and None too)
    are unlabelled. Each iteration:

    1. the current model's top-label confidence is calibrated into
       ``P(correct)`` by Platt scaling [2]_ on out-of-fold predictions of the
       labelled rows (top-label calibration; thresholds are read off
       calibrated probabilities, not fixed at 0.75);
    2. per predicted class, the most confident unlabelled rows are taken
       while the mean calibrated ``P(correct)`` of the chosen rows stays at
       or above ``target_precision`` (so the expected share of wrong
       pseudo-labels is at most ``1 - target_precision``);
    3. class balance: at most ``max_fraction`` of the unlabelled rows per
       iteration, split across classes in proportion to the labelled class
       frequencies, so one easy class cannot flood the training set
       (class-balanced self-training, Zou et al. [3]_);
    4. the model is refitted on labelled + pseudo-labelled rows.

    The loop stops when no row qualifies or after ``max_iter`` iterations.
    The number of iterations kept is chosen by cross-validation on the
    labelled rows (``guard_cv`` folds; each fold runs the whole loop without
    its held-out rows): the iteration with the best mean held-out score
    among those that scored no worse than the labelled-only model on any
    fold and strictly better on average; 0 (the labelled-only model) when
    there is none. A pseudo-labelling loop that hurts is therefore cut back to the
    labelled-only model instead of silently degrading it. Self-training
    itself is Yarowsky's [1]_.

    Parameters
    ----------
    estimator : scikit-learn classifier with ``predict_proba``
        Cloned for every fit (an unset ``random_state`` seeded from
        ``random_state``).
    target_precision : float, default=0.95
        Required mean calibrated probability that the chosen pseudo-labels
        are right.
    max_iter : int, default=5
    max_fraction : float, default=0.25
        Largest share of the unlabelled rows pseudo-labelled per iteration.
    guard_cv : int, default=3
        Folds of the cross-validation choosing the number of iterations
        (``None`` turns the guard off: all iterations are kept).
    calibration_cv : int, default=3
        Folds for the out-of-fold calibration predictions.
    scoring : str or callable, optional
        Scorer for the guard; default accuracy.
    unlabelled : object, default=-1
        Label value marking unlabelled rows.
    random_state : int, numpy.random.SeedSequence, Generator, RandomState or None, default=None
        Seeds the folds and, where the estimator leaves its own unset, the
        estimator clones: the same int (or SeedSequence), the same fit. A
        Generator or RandomState is drawn from (advanced) by each fit, so
        refitting with the same object may give another fit, as in
        scikit-learn.

    Attributes
    ----------
    estimator_ : the fitted model (labelled + kept pseudo-labels)
    classes_ : ndarray
    n_iter_ : int
        Iterations kept (0: the labelled-only model).
    pseudo_indices_ : ndarray of int
        Rows of ``X`` that received a pseudo-label.
    pseudo_labels_ : ndarray
    thresholds_ : list of dict
        Per kept iteration: the calibrated ``P(correct)`` of the least
        confident row taken, per class.
    guard_scores_ : ndarray or None
        Mean held-out score after 0, 1, ... iterations (the guard's evidence).
    termination_condition_ : str

    References
    ----------
    .. [1] D. Yarowsky, "Unsupervised word sense disambiguation rivaling
       supervised methods", ACL (1995).
    .. [2] J. Platt, "Probabilistic outputs for support vector machines and
       comparisons to regularized likelihood methods", Advances in Large
       Margin Classifiers (1999).
    .. [3] Y. Zou, Z. Yu, B. V. K. Kumar and J. Wang, "Unsupervised domain
       adaptation for semantic segmentation via class-balanced
       self-training", ECCV (2018).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import SelfTraining
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-2, 1, (300, 2)), rng.normal(2, 1, (300, 2))]
    >>> y = np.repeat([0, 1], 300)
    >>> y_partial = np.where(rng.random(600) < 0.05, y, -1)
    >>> model = SelfTraining(LogisticRegression(), random_state=0).fit(X, y_partial)
    >>> model.classes_
    array([0, 1])
    >>> bool(model.score(X, y) > 0.9)
    True
    """

    def __init__(
        self,
        estimator: Any,
        *,
        target_precision: float = 0.95,
        max_iter: int = 5,
        max_fraction: float = 0.25,
        guard_cv: int | None = 3,
        calibration_cv: int = 3,
        scoring: Any = None,
        unlabelled: Any = -1,
        random_state: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.target_precision = target_precision
        self.max_iter = max_iter
        self.max_fraction = max_fraction
        self.guard_cv = guard_cv
        self.calibration_cv = calibration_cv
        self.scoring = scoring
        self.unlabelled = unlabelled
        self.random_state = random_state

    # ---------------------------------------------------------------- loop

    def _loop(
        self, XL: FloatArray, yL: npt.NDArray[Any], XU: FloatArray, n_iter: int,
        seed: int, X_eval: FloatArray | None = None, y_eval: Any = None,
        gL: npt.NDArray[Any] | None = None, gU: npt.NDArray[Any] | None = None,
    ) -> tuple[Any, IntArray, npt.NDArray[Any], list[dict[str, float]], list[float], str]:
        """Run up to ``n_iter`` iterations; optionally score after each on (X_eval, y_eval).

        With the groups of the labelled and unlabelled rows (``gL``, ``gU``), the
        calibration folds hold out whole groups, and a fold's model is fitted
        without the pseudo-labelled rows of its held-out groups.
        """
        from sklearn.metrics import check_scoring
        from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

        gen = np.random.default_rng(seed)
        classes, counts = np.unique(yL, return_counts=True)
        prior = counts / counts.sum()
        cap = max(1, int(np.ceil(self.max_fraction * XU.shape[0])))
        taken_idx = np.empty(0, np.intp)
        taken_y = np.empty(0, dtype=yL.dtype)
        # an unset random_state (a forest's) seeded: the same random_state, the same fit
        model = seeded_clone(self.estimator, seed).fit(XL, yL)
        scorer = known_classes_scorer(check_scoring(
            model, scoring=self.scoring if self.scoring is not None else "accuracy"))
        scores = [] if X_eval is None else [float(scorer(model, X_eval, y_eval))]
        thresholds: list[dict[str, float]] = []
        reason = "max_iter reached"
        folds = min(self.calibration_cv, int(counts.min()))
        if gL is not None:
            folds = min(folds, int(np.unique(gL).shape[0]))
        for _ in range(n_iter):
            left = np.setdiff1d(np.arange(XU.shape[0]), taken_idx)
            if left.shape[0] == 0:
                reason = "all unlabelled rows pseudo-labelled"
                break
            # calibration of top-label confidence from out-of-fold labelled predictions
            conf_oof = np.empty(yL.shape[0])
            right = np.zeros(yL.shape[0], dtype=bool)
            if folds >= 2:
                state = int(gen.integers(2**31 - 1))
                if gL is None or gU is None:
                    cal = StratifiedKFold(folds, shuffle=True, random_state=state).split(XL, yL)
                else:
                    # twins of a held-out row (labelled, or pseudo-labelled by a model
                    # that saw its label) would make P(correct) look higher than it is
                    cal = StratifiedGroupKFold(folds, shuffle=True,
                                               random_state=state).split(XL, yL, gL)
                for tr, te in cal:
                    ti = taken_idx
                    ty = taken_y
                    if gU is not None and gL is not None:
                        keep = ~np.isin(gU[taken_idx], gL[te])
                        ti, ty = taken_idx[keep], taken_y[keep]
                    m = seeded_clone(self.estimator, seed).fit(
                        np.r_[XL[tr], XU[ti]], np.r_[yL[tr], ty])
                    p = m.predict_proba(XL[te])
                    conf_oof[te] = p.max(axis=1)
                    right[te] = np.asarray(m.classes_)[p.argmax(axis=1)] == yL[te]
            else:  # too few labels per class for folds: calibrate in-sample
                p = model.predict_proba(XL)
                conf_oof = p.max(axis=1)
                right = np.asarray(model.classes_)[p.argmax(axis=1)] == yL
            ab = _platt(conf_oof, right)
            pu = model.predict_proba(XU[left])
            pred = np.asarray(model.classes_)[pu.argmax(axis=1)]
            q = _calibrated(pu.max(axis=1), ab)
            chosen: list[IntArray] = []
            thr: dict[str, float] = {}
            for c, share in zip(classes.tolist(), prior.tolist(), strict=True):
                rows = np.flatnonzero(pred == c)
                if rows.shape[0] == 0:
                    continue
                order = rows[np.argsort(-q[rows], kind="stable")]
                running = np.cumsum(q[order]) / np.arange(1, order.shape[0] + 1)
                ok = np.flatnonzero(running >= self.target_precision)
                m_c = int(ok[-1] + 1) if ok.size else 0
                m_c = min(m_c, max(1, int(np.ceil(cap * share))))
                if m_c:
                    chosen.append(order[:m_c])
                    thr[str(c)] = float(q[order[m_c - 1]])
            if not chosen:
                reason = "no unlabelled row reached the target precision"
                break
            new = np.concatenate(chosen)
            taken_idx = np.r_[taken_idx, left[new]].astype(np.intp)
            taken_y = np.r_[taken_y, pred[new]]
            thresholds.append(thr)
            model = seeded_clone(self.estimator, seed).fit(np.r_[XL, XU[taken_idx]],
                                                           np.r_[yL, taken_y])
            if X_eval is not None:
                scores.append(float(scorer(model, X_eval, y_eval)))
        return model, taken_idx, taken_y, thresholds, scores, reason

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, groups: Any = None) -> SelfTraining:
        """Fit on labelled rows plus pseudo-labelled unlabelled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels, with ``unlabelled`` (or NaN/None) for unlabelled rows.
        groups : array-like of shape (n_samples,), optional
            Group of every row, labelled or not (a patient, a session,
            near-duplicate rows), as scikit-learn's ``cross_validate`` takes
            them. The guard's and the calibration's folds then hold out whole
            groups of labelled rows (scikit-learn's ``StratifiedGroupKFold``,
            at most as many folds as labelled groups), and the unlabelled
            rows of a guard fold's held-out groups are left out of that
            fold's loop: split between folds, a held-out row's twins in
            training make the guard's scores (``guard_scores_``) and the
            calibrated ``P(correct)`` optimistic. A missing group label is
            refused; a pandas Series is matched to a pandas ``X`` by row
            label, as ``y`` is.

        Returns
        -------
        self
        """
        caller = "SelfTraining"
        check_has_methods(self.estimator, "estimator", ["fit", "predict_proba"], caller)
        check_probability(self.target_precision, "target_precision", caller=caller,
                          open_interval=True)
        check_int(self.max_iter, "max_iter", caller=caller, low=0)
        check_probability(self.max_fraction, "max_fraction", caller=caller,
                          open_interval=True)
        check_int(self.calibration_cv, "calibration_cv", caller=caller, low=2)
        if self.guard_cv is not None:
            check_int(self.guard_cv, "guard_cv", caller=caller, low=2)
        if not isinstance(self.random_state, np.random.RandomState):  # scikit-learn's kind
            # -1 and 1.5 raised NumPy's bare ValueError/TypeError; True was the seed 1
            check_rng(self.random_state, "random_state", caller)
        # a pandas y with X's row labels in another order: matched by label
        y = in_row_order(y, X, "y", "X", caller)
        Xa = check_array(X, "X", caller=caller, ndim=2)
        ya = _labels_as_given(y)  # [0, "a"] stays two types, not two strings
        if ya.ndim != 1 or ya.shape[0] != Xa.shape[0]:
            fail("y", f"a 1-D array with one label per row of X ({Xa.shape[0]})",
                 described(f"shape {ya.shape}"), caller)
        ga = None if groups is None else check_groups(groups, X, Xa.shape[0], caller)
        unl = _is_unlabelled(ya, self.unlabelled, caller)
        lab = ~unl
        if ya.dtype.kind == "O":
            yl = _object_labels(ya[lab], caller)
        elif ya.dtype.kind == "f" and np.all(ya[lab] == np.round(ya[lab])):
            big = ya[lab][np.abs(ya[lab]) >= 2.0**63]
            if big.shape[0]:
                # the int64 cast wrapped 1e19 to -2**63 (a class never given) and
                # scikit-learn reads such floats as a continuous target
                fail("y", "whole-number labels below 2**63 in magnitude "
                     "(encode larger ones, e.g. as text)",
                     described(f"{big.shape[0]} label(s) such as {float(big[0])!r}"),
                     caller)
            yl = ya[lab].astype(np.int64)
        else:
            yl = _refuse_continuous(ya[lab], caller)
        classes, counts = np.unique(yl, return_counts=True)
        if classes.shape[0] < 2:
            fail("y", "labelled rows of at least 2 classes",
                 described(f"{classes.shape[0]} labelled class(es)"), caller)
        XL, XU = Xa[lab], Xa[unl]
        gL = None if ga is None else ga[lab]
        gU = None if ga is None else ga[unl]
        gen = np.random.default_rng(self.random_state)
        n_iter = int(self.max_iter)
        guard = None
        if self.guard_cv is not None and XU.shape[0] and n_iter > 0:
            from sklearn.model_selection import StratifiedKFold

            folds = min(int(self.guard_cv), int(counts.min()))
            if folds < 2:
                fail("y", f"at least 2 labelled rows per class for the guard's "
                     f"{self.guard_cv}-fold cross-validation (or guard_cv=None)",
                     described(f"a class with {int(counts.min())} labelled row"), caller)
            state = int(gen.integers(2**31 - 1))
            if gL is None or gU is None:
                guard_splits = list(StratifiedKFold(folds, shuffle=True, random_state=state)
                                    .split(XL, yl))
            else:
                guard_splits = self._group_folds(folds, XL, yl, gL, state, caller)
            curves = []
            for tr, te in guard_splits:
                XU_fold = XU if gU is None or gL is None else XU[~np.isin(gU, gL[te])]
                gU_fold = None if gU is None or gL is None else gU[~np.isin(gU, gL[te])]
                *_, sc, _ = self._loop(XL[tr], yl[tr], XU_fold, n_iter,
                                       int(gen.integers(2**31 - 1)), XL[te], yl[te],
                                       gL=None if gL is None else gL[tr], gU=gU_fold)
                sc = sc + [sc[-1]] * (n_iter + 1 - len(sc))  # stopped early: flat
                curves.append(sc)
            per_fold = np.asarray(curves)
            guard = per_fold.mean(axis=0)
            # keep t iterations only if no fold got worse and the mean improved
            safe = (per_fold >= per_fold[:, :1]).all(axis=0) & (guard > guard[0])
            n_iter = int(np.flatnonzero(safe)[np.argmax(guard[safe])]) if safe.any() else 0
        model, idx, py, thr, _, reason = self._loop(XL, yl, XU, n_iter,
                                                    int(gen.integers(2**31 - 1)), gL=gL, gU=gU)
        if guard is not None and n_iter < int(self.max_iter):
            reason = (f"guard kept {n_iter} of {self.max_iter} iterations "
                      "(held-out score)")
        self.estimator_ = model
        self.n_features_in_ = Xa.shape[1]
        names = column_names(X)
        if names is not None and all(isinstance(c, str) for c in names):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.classes_ = np.asarray(model.classes_)
        self.n_iter_ = len(thr)
        self.pseudo_indices_ = np.flatnonzero(unl)[idx]
        self.pseudo_labels_ = py
        self.thresholds_ = thr
        self.guard_scores_ = guard
        self.termination_condition_ = reason
        return self

    @staticmethod
    def _group_folds(
        folds: int, XL: FloatArray, yl: npt.NDArray[Any], gL: npt.NDArray[Any], state: int,
        caller: str,
    ) -> list[tuple[IntArray, IntArray]]:
        """Return the guard's folds of whole groups of labelled rows (every class trained)."""
        from sklearn.model_selection import StratifiedGroupKFold

        n_groups = int(np.unique(gL).shape[0])
        folds = min(folds, n_groups)
        if folds < 2:
            fail("groups", "labelled rows in at least 2 groups for the guard's grouped "
                 "cross-validation (or guard_cv=None)",
                 described(f"{n_groups} group(s) of labelled rows"), caller)
        splits = list(StratifiedGroupKFold(folds, shuffle=True, random_state=state)
                      .split(XL, yl, gL))
        classes = np.unique(yl)
        for i, (tr, _) in enumerate(splits):
            missing = np.setdiff1d(classes, yl[tr])
            if missing.shape[0]:
                # a fold's loop would fit a model that has never seen the class
                fail("groups", "labelled rows of every class in more than one group, so "
                     "that every grouped guard fold trains on every class (or "
                     "guard_cv=None)",
                     described(f"fold {i + 1} of {folds} holding out every labelled row of "
                               f"class {missing.tolist()[0]!r}"), caller)
        return splits

    def _fitted(self) -> Any:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "estimator_")  # scikit-learn's NotFittedError
        return self.estimator_

    def _rows(self, X: Any, caller: str) -> Any:
        """``X`` as the fitted model saw its training rows (a table as an array).

        The model was fitted on the rows as an array: a table whose columns
        differ in name or order from the fit's would be read by position.
        """
        if not is_frame(X):
            return X
        _model_input(self, X, None, "X", caller)
        return frame_to_numpy(X)

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Predict classes with the fitted model."""
        model = self._fitted()
        return np.asarray(model.predict(self._rows(X, "SelfTraining.predict")))

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Predict class probabilities with the fitted model."""
        model = self._fitted()
        return np.asarray(model.predict_proba(self._rows(X, "SelfTraining.predict_proba")),
                          dtype=np.float64)


def _fit_takes_groups(model: Any) -> bool:
    """Whether ``model.fit`` has a ``groups`` parameter (a subclass may not)."""
    import inspect

    try:
        return "groups" in inspect.signature(model.fit).parameters
    except (TypeError, ValueError):
        return False


@attrs.frozen(kw_only=True, repr=False)
class PseudoLabelGainResult(GainResult):
    """Held-out score with and without the unlabelled rows, on the same folds.

    The fields are those of every gain estimate (the same as
    :class:`mllifecycle.augment.AugmentationGainResult` and
    :class:`mllifecycle.transfer.TransferGainResult`): ``gain``, its corrected
    resampled t interval ``ci_low``/``ci_high``, ``p_value``, ``std_error``,
    ``verdict`` (``"helped"``, ``"hurt"`` or ``"no detectable effect"``),
    ``helped``/``hurt``, ``baseline_score(s)`` (labelled rows only) and
    ``candidate_score(s)`` (with the unlabelled rows), ``n_splits``,
    ``n_train``, ``n_test``; and

    Attributes
    ----------
    n_labelled, n_unlabelled : int
        Rows with and without a label.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import SelfTraining, pseudo_label_gain
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-1, 1, (100, 2)), rng.normal(1, 1, (100, 2))]
    >>> y = np.repeat([0, 1], 100)
    >>> y_partial = np.where(rng.random(200) < 0.2, y, -1)
    >>> st = SelfTraining(LogisticRegression(), max_iter=2)
    >>> res = pseudo_label_gain(st, X, y_partial, cv=3, n_repeats=1, rng=0)
    >>> res.ci_low <= res.gain <= res.ci_high
    True
    """

    n_labelled: int
    n_unlabelled: int


def pseudo_label_gain(
    semi_supervised: Any,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    baseline: Any = None,
    unlabelled: Any = -1,
    cv: Any = 5,
    n_repeats: int = 3,
    groups: Any = None,
    scoring: Any = None,
    confidence_level: float = 0.95,
    n_jobs: int | None = None,
    progress: Any = False,
    rng: RNGLike = None,
) -> PseudoLabelGainResult:
    """Estimate whether the unlabelled rows improve held-out scores.

    Repeated stratified k-fold cross-validation over the *labelled* rows:
    in each split, ``baseline`` is fitted on the labelled training fold,
    ``semi_supervised`` on the labelled training fold plus every unlabelled
    row, and both are scored on the held-out labelled fold, which neither
    saw (not even as an unlabelled row, so no leakage). The per-split
    differences get the corrected resampled t interval of Nadeau and
    Bengio [1]_, as :func:`mllifecycle.augment.augmentation_gain` does.

    Parameters
    ----------
    semi_supervised : estimator taking ``fit(X, y)`` with unlabelled rows marked
        E.g. :class:`SelfTraining`, scikit-learn's ``SelfTrainingClassifier``
        or ``LabelSpreading`` (they mark unlabelled rows with -1, so they
        cannot fit boolean labels, and ``LabelSpreading`` and
        ``LabelPropagation`` no text labels either: such labels are refused
        naming ``y``).
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels with ``unlabelled`` marking unlabelled rows.
    baseline : estimator, optional
        The labelled-only model; default a clone of ``semi_supervised.estimator``.
    unlabelled : object, default=-1
    cv : int or cross-validation splitter, default=5
        Stratified folds of the labelled rows (repeated ``n_repeats`` times),
        or a splitter whose ``split(X, y)`` (``split(X, y, groups)`` with
        ``groups``) is given the labelled rows only. A repeated split is
        counted once (``details["n_duplicate_splits"]``, with a warning).
    n_repeats : int, default=3
        Repetitions when ``cv`` is an int.
    groups : array-like of shape (n_samples,), optional
        Group of every row, labelled or not (patient, device, session). The
        labelled rows are split by group (an int ``cv``: scikit-learn's
        ``StratifiedGroupKFold``, shuffled per repetition; a splitter gets
        the labelled rows' groups), and the held-out groups are held out
        whole: their *unlabelled* rows are left out of that split's
        semi-supervised training too (``details["n_unlabelled_used"]`` per
        split), so the score is that of groups the models never saw. A
        :class:`SelfTraining` gets the training rows' groups in ``fit`` (its
        guard and calibration folds hold out whole groups too; a subclass
        whose ``fit`` takes no ``groups`` is fitted without). A group
        splitter without ``groups`` is refused. A pandas Series is matched
        to a pandas ``X`` by row label, as ``y`` is.
    scoring : str or callable, optional
        Default accuracy.
    confidence_level : float, default=0.95
    n_jobs : int, optional
        Splits evaluated in parallel with joblib.
    progress : bool or callable, default=False
        True for a bar, or a callable ``progress(done, total)`` per split.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the splits and, through ``random_state``, the estimators.

    Returns
    -------
    PseudoLabelGainResult

    References
    ----------
    .. [1] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52, 239-281 (2003).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import SelfTraining, pseudo_label_gain
    >>> rng = np.random.default_rng(1)
    >>> X = np.r_[rng.normal(-1, 1, (100, 2)), rng.normal(1, 1, (100, 2))]
    >>> y = np.repeat([0, 1], 100)
    >>> y_partial = np.where(rng.random(200) < 0.2, y, -1)
    >>> st = SelfTraining(LogisticRegression(), max_iter=2)
    >>> res = pseudo_label_gain(st, X, y_partial, cv=3, n_repeats=1, rng=0)
    >>> res.n_splits, res.verdict in ("helped", "hurt", "no detectable effect")
    (3, True)
    """
    caller = "pseudo_label_gain"
    check_has_methods(semi_supervised, "semi_supervised", ["fit", "predict"], caller)
    if baseline is None:
        base_est = getattr(semi_supervised, "estimator", None)
        if base_est is None:
            fail("baseline", "an estimator (semi_supervised has no 'estimator' to copy)",
                 None, caller)
        baseline = base_est
    check_has_methods(baseline, "baseline", ["fit", "predict"], caller)
    y = in_row_order(y, X, "y", "X", caller)  # pandas rows matched by label
    Xa = check_array(X, "X", caller=caller, ndim=2)
    ya = _labels_as_given(y)
    if ya.ndim != 1 or ya.shape[0] != Xa.shape[0]:
        fail("y", f"a 1-D array with one label per row of X ({Xa.shape[0]})",
             described(f"shape {ya.shape}"), caller)
    cv = check_cv(cv, caller)
    folds = None if is_splitter(cv) else cv
    reps = check_int(n_repeats, "n_repeats", caller=caller, low=1)
    ga = None if groups is None else check_groups(groups, X, Xa.shape[0], caller)
    level = check_probability(confidence_level, "confidence_level", caller=caller,
                              open_interval=True)
    gen = check_rng(rng, caller=caller)
    unl = _is_unlabelled(ya, unlabelled, caller)
    _check_same_marker(semi_supervised, unlabelled, caller)
    lab_idx = np.flatnonzero(~unl)
    unl_idx = np.flatnonzero(unl)
    yl = ya[lab_idx]
    if yl.dtype.kind == "O":
        yl = _object_labels(yl, caller)
    yl = _refuse_continuous(yl, caller)
    classes, counts = np.unique(yl, return_counts=True)
    if classes.shape[0] < 2:
        fail("y", "labelled rows of at least 2 classes",
             described(f"{classes.shape[0]} labelled class(es)"), caller)
    _check_sklearn_label_kind(semi_supervised, yl, caller)
    if folds is not None and int(counts.min()) < folds:
        fail("cv", f"at most the labelled size of the smallest class ({int(counts.min())})",
             cv, caller)
    if unl_idx.shape[0] == 0:
        fail("y", f"some unlabelled rows (marked {unlabelled!r})",
             described("none"), caller)
    from sklearn.metrics import check_scoring

    # the labelled rows are split (stratified when cv is an int); with groups, the
    # unlabelled rows of a split's test groups are held out with them
    splits, notes = cv_plan(cv if folds is None else folds, reps, yl, classification=True,
                            seed=new_seed(gen), caller=caller, require_stratified=True,
                            groups=None if ga is None else ga[lab_idx])
    # log loss and its kin over each model's classes (a fold of whole groups may
    # lack a class the model knows)
    scorer = known_classes_scorer(
        check_scoring(baseline, scoring=scoring if scoring is not None else "accuracy"))
    marker = unlabelled

    def one(tr: IntArray, te: IntArray, seed: int) -> tuple[float, float, int]:
        Xt, yt = Xa[lab_idx[tr]], yl[tr]
        base = seeded_clone(baseline, seed).fit(Xt, yt)
        use = unl_idx if ga is None else unl_idx[~np.isin(ga[unl_idx], ga[lab_idx[te]])]
        X_semi = np.r_[Xt, Xa[use]]
        fill = _marker_column(marker, use.shape[0], yt.dtype)
        y_semi = np.r_[yt.astype(fill.dtype), fill]
        semi = seeded_clone(semi_supervised, seed)
        if ga is not None and isinstance(semi, SelfTraining) and _fit_takes_groups(semi):
            # its guard and calibration folds split the training rows by group too
            semi.fit(X_semi, y_semi, groups=np.r_[ga[lab_idx[tr]], ga[use]])
        else:
            semi.fit(X_semi, y_semi)
        Xe, ye = Xa[lab_idx[te]], yl[te]
        return float(scorer(base, Xe, ye)), float(scorer(semi, Xe, ye)), int(use.shape[0])

    def details(used: list[int]) -> dict[str, Any]:
        return {} if ga is None else {"n_unlabelled_used": used}

    result: PseudoLabelGainResult = repeated_cv_gain(
        PseudoLabelGainResult,
        splits,
        one,
        gen=gen,
        confidence_level=level,
        method="self-training: unlabelled rows added to the training folds only",
        scoring=scoring_name(scoring if scoring is not None else "accuracy"),
        n_jobs=n_jobs,
        progress=progress,
        caller=caller,
        details=details,
        notes=notes,
        n_labelled=int(lab_idx.shape[0]),
        n_unlabelled=int(unl_idx.shape[0]),
    )
    return result


# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class SpreadLabels:
    """Class distributions spread from the labelled rows over a k-NN graph.

    Attributes
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Row-normalised spread label distribution (uniform for a row that no
        label reaches).
    classes : ndarray of shape (n_classes,)
    labels : ndarray of shape (n_samples,)
        Most probable class of each row (the first class for a row that no
        label reaches; :func:`spread_labels` then warns with
        :class:`~mllifecycle.exceptions.DegenerateDataWarning`).
    labelled : ndarray of bool
        Which rows carried a label.
    clamping : float
    n_neighbors : int

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import spread_labels
    >>> X = np.r_[np.arange(5.0), np.arange(5.0) + 20][:, None]
    >>> y = np.array([0, -1, -1, -1, -1, -1, -1, -1, -1, 1])
    >>> spread_labels(X, y, n_neighbors=2).labels
    array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """

    proba: FloatArray = attrs.field(eq=ARRAY_EQ)
    classes: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    labels: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    labelled: npt.NDArray[np.bool_] = attrs.field(eq=ARRAY_EQ)
    clamping: float
    n_neighbors: int

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return counts and the mean top-class probability."""
        return flat_metrics({"n_labelled": int(self.labelled.sum()),
                             "n_samples": int(self.proba.shape[0]),
                             "mean_confidence": float(self.proba.max(axis=1).mean())})

    def __repr__(self) -> str:
        return (f"SpreadLabels(n_samples={self.proba.shape[0]}, "
                f"n_labelled={int(self.labelled.sum())}, classes={self.classes.tolist()}, "
                f"clamping={self.clamping}, n_neighbors={self.n_neighbors})")

    def _repr_html_(self) -> str:
        return html_table(list(self.to_metrics().items()), ["field", "value"],
                          caption=repr(self))


def spread_labels(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    unlabelled: Any = -1,
    n_neighbors: int = 7,
    clamping: float = 0.99,
) -> SpreadLabels:
    """Spread the known labels to unlabelled rows along a k-nearest-neighbour graph.

    Label spreading of Zhou et al. [1]_: with ``W`` the symmetrised k-NN
    connectivity graph (no self-loops), ``S = D^{-1/2} W D^{-1/2}`` and
    ``Y`` the one-hot labels (zero rows for unlabelled rows), the spread
    labels are the fixed point of ``F = c S F + (1 - c) Y`` (``c`` is ``clamping``,
    Zhou et al.'s alpha), i.e.
    ``F = (1 - c) (I - c S)^{-1} Y``, solved exactly with a sparse
    direct solver (no iteration tolerance that would stop the spread a few
    hops from the labels). Rows are normalised to distributions. The result
    has ``proba`` and ``classes``, so it can feed :func:`find_label_issues`
    or serve as pseudo-labels where the cluster assumption holds.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels with ``unlabelled`` (or NaN/None) for unlabelled rows.
    unlabelled : object, default=-1
    n_neighbors : int, default=7
    clamping : float, default=0.99
        Share of a row's distribution taken from its neighbours, in (0, 1)
        (a weight, not a significance level; the name and default follow the
        paper).

    Returns
    -------
    SpreadLabels

    References
    ----------
    .. [1] D. Zhou, O. Bousquet, T. N. Lal, J. Weston and B. Schoelkopf,
       "Learning with local and global consistency", NeurIPS (2004).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_moons
    >>> from mllifecycle.labels import spread_labels
    >>> X, y = make_moons(300, noise=0.05, random_state=0)
    >>> y_partial = np.full(300, -1)
    >>> y_partial[[np.flatnonzero(y == 0)[0], np.flatnonzero(y == 1)[0]]] = [0, 1]
    >>> res = spread_labels(X, y_partial, n_neighbors=10)
    >>> bool((res.labels == y).mean() > 0.95)
    True
    """
    caller = "spread_labels"
    y = in_row_order(y, X, "y", "X", caller)  # pandas rows matched by label
    Xa = check_array(X, "X", caller=caller, ndim=2)
    ya = _labels_as_given(y)
    if ya.ndim != 1 or ya.shape[0] != Xa.shape[0]:
        fail("y", f"a 1-D array with one label per row of X ({Xa.shape[0]})",
             described(f"shape {ya.shape}"), caller)
    k = check_int(n_neighbors, "n_neighbors", caller=caller, low=1,
                  high=max(1, Xa.shape[0] - 1))
    a = check_probability(clamping, "clamping", caller=caller, open_interval=True)
    unl = _is_unlabelled(ya, unlabelled, caller)
    yl = ya[~unl]
    if yl.dtype.kind == "O":
        yl = _object_labels(yl, caller)
    classes, codes = np.unique(yl, return_inverse=True)
    if classes.shape[0] < 2:
        fail("y", "labelled rows of at least 2 classes",
             described(f"{classes.shape[0]} labelled class(es)"), caller)
    from scipy import sparse
    from scipy.sparse.linalg import spsolve
    from sklearn.neighbors import kneighbors_graph

    from mllifecycle.labels._active import _pow2_rescaled

    # the k-NN graph does not change under an exact power-of-two scale, which keeps
    # the squared distances of huge (tiny) features from overflowing (underflowing)
    A = kneighbors_graph(_pow2_rescaled(Xa), k, mode="connectivity", include_self=False)
    W = ((A + A.T) * 0.5).tocsr()
    d = np.asarray(W.sum(axis=1)).ravel()
    inv = np.where(d > 0, 1.0 / np.sqrt(np.where(d > 0, d, 1.0)), 0.0)
    S = sparse.diags(inv) @ W @ sparse.diags(inv)
    n = Xa.shape[0]
    Y = np.zeros((n, classes.shape[0]))
    Y[np.flatnonzero(~unl), codes] = 1.0
    M = (sparse.identity(n, format="csc") - a * S).tocsc()
    F = np.asarray(spsolve(M, (1.0 - a) * Y), dtype=np.float64).reshape(n, -1)
    F = np.maximum(F, 0.0)
    mass = F.sum(axis=1, keepdims=True)
    proba = np.where(mass > 1e-300, F / np.where(mass > 1e-300, mass, 1.0),
                     1.0 / classes.shape[0])
    unreached = int(np.count_nonzero(mass <= 1e-300))
    if unreached:
        import warnings

        from mllifecycle.exceptions import DegenerateDataWarning

        warnings.warn(
            f"spread_labels: {unreached} row(s) are connected to no labelled row in the "
            f"{k}-NN graph; their proba is uniform and their label is the first class "
            f"{classes[0].item()!r} by default (label a row in each group, or raise "
            "n_neighbors)", DegenerateDataWarning, stacklevel=2)
    return SpreadLabels(proba=proba, classes=classes, labels=classes[proba.argmax(axis=1)],
                        labelled=~unl, clamping=a, n_neighbors=k)
