"""Confidence-based performance estimation (CBPE) for classifiers (private)."""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator

from mllifecycle._frames import in_row_order
from mllifecycle._progress import Progress, check_progress, make_progress
from mllifecycle._validation import (
    check_array,
    check_consistent_length,
    check_int,
    check_option,
    check_proba,
    check_rng,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.estimate._calibration import (
    METHODS,
    apply_calibrators,
    brier,
    fit_calibrators,
)
from mllifecycle.estimate._metrics import METRICS, expected_metrics, realized_metrics
from mllifecycle.estimate._result import MetricEstimate, PerformanceEstimate
from mllifecycle.exceptions import DegenerateDataWarning, NotFittedError

__all__ = ["CBPE"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_CALIBRATIONS = ("auto", "isotonic", "sigmoid", "none")


def _real(x: Any, name: str, caller: str) -> Any:
    """Refuse complex probabilities clearly (NumPy would drop the imaginary part)."""
    from mllifecycle._frames import column_to_numpy, frame_to_numpy, is_frame, series_kind

    if is_frame(x):
        x = frame_to_numpy(x)
    elif series_kind(x) is not None:
        x = column_to_numpy(x)
    if np.iscomplexobj(x):
        fail(name, "real probabilities (Complex data not supported)",
             described("complex values"), caller)
    return x


def _binary_names(given: list[Any]) -> list[Any]:
    """Column names of a binary table with flags as the class indices (``True`` is 1).

    Labels are column indices, 0/1 or bools for binary problems: a table named
    ``[True, False]`` (or ``"True"``, ``"False"``, as ``pandas.read_csv`` names
    a header) is read by name like ``[1, 0]``, not by position.
    """
    out = []
    for c in given:
        v = c.item() if isinstance(c, np.generic) else c
        if isinstance(v, bool):
            v = int(v)
        elif v in ("True", "False"):
            v = int(v == "True")
        out.append(v)
    return out


def _label_values(y_true: Any) -> npt.NDArray[Any] | None:
    """``y_true`` as a 1-D array of its labels (kinds kept), or None."""
    from mllifecycle._frames import column_to_numpy, series_kind

    if series_kind(y_true) is not None:
        values = column_to_numpy(y_true)
    elif isinstance(y_true, list | tuple):
        values = np.empty(len(y_true), dtype=object)
        values[:] = list(y_true)
    elif isinstance(y_true, np.ndarray):
        values = y_true
    else:
        return None
    return values if values.ndim == 1 else None


def _named_classes(y_true: Any, y_proba: Any, caller: str) -> list[Any] | None:
    """Return the sorted classes of ``y_true`` when the table ``y_proba`` names them.

    Only for labels that are not already the column indices ``0..K-1`` (or
    flags), which keep their rule: text labels (``"neg"``, ``"pos"``) or
    numbers such as ``5, 6``, with ``y_proba``'s columns named by them in any
    order (:func:`~mllifecycle._frames.columns_by_class`: text by text,
    numbers by value; a table naming only some of them is refused). Labels of
    mixed kinds are left to the label checks.
    """
    from mllifecycle._frames import column_names, columns_by_class, is_frame

    if not is_frame(y_proba):
        return None
    given = column_names(y_proba) or []
    values = _label_values(y_true)
    if len(given) < 2 or values is None or values.size == 0:
        return None
    kinds = label_kinds(values)
    if len(kinds) != 1 or next(iter(kinds)) not in ("text", "numbers"):
        return None
    # Python values: sorted and matched exactly (2**53 + 1 is not 2.0**53)
    items = [v.item() if isinstance(v, np.generic) else v for v in values.tolist()]
    if "numbers" in kinds:
        if any(not isinstance(v, numbers.Real) or v != v for v in items):
            return None  # NaN or complex: the label checks name them
        if set(items) <= set(range(len(given))):
            return None  # class indices: the index rule reads the columns by name
        classes = sorted(dict.fromkeys(items))
    else:
        classes = sorted({str(v) for v in items})
    order = columns_by_class(given, classes, "y_proba", caller)
    return classes if order is not None else None


def _bootstrap_rows(
    y: IntArray, n_classes: int, n_resamples: int, rng: np.random.Generator, caller: str,
    codes: IntArray | None = None,
) -> list[IntArray]:
    """Row indices of ``n_resamples`` resamples that each contain every class.

    Plain (not stratified) resampling, so the uncertainty of the class balance,
    which moves the calibration's intercept, is part of the spread. A resample
    missing a class is drawn again, at most ``_MAX_REDRAWS`` per resample on
    average: with many classes of a row or two such resamples are too rare
    (20 classes of one row: about one draw in 6,000), and an error says so
    rather than the loop running on.

    With ``codes`` (the group of each row, numbered ``0..G-1`` in the order of
    their first row), whole groups are drawn: ``G`` groups with replacement,
    each bringing all its rows, in the order drawn (the cluster bootstrap of
    Davison and Hinkley 1997, section 3.8). One row per group draws exactly
    the rows of the row bootstrap.
    """
    n = len(y)
    out: list[IntArray] = []
    if n_resamples == 0:
        return out
    if codes is not None:
        n_units = int(codes.max()) + 1
        order = np.argsort(codes, kind="stable")
        sizes = np.bincount(codes, minlength=n_units)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    else:
        n_units = n
    limit = _MAX_REDRAWS * n_resamples
    for _ in range(limit):
        idx = rng.integers(0, n_units, n_units)
        if codes is not None:
            # the rows of each drawn group, group after group
            lens = sizes[idx]
            ends = np.cumsum(lens)
            offset = np.repeat(starts[idx] - (ends - lens), lens)
            idx = order[np.arange(int(ends[-1])) + offset]
        if np.unique(y[idx]).size == n_classes:
            out.append(idx)
            if len(out) == n_resamples:
                return out
    counts = np.bincount(y, minlength=n_classes)
    if codes is not None:
        per_class = np.array(
            [np.unique(codes[y == c]).size for c in range(n_classes)], dtype=np.intp
        )
        fail(
            "groups",
            f"enough groups holding each class for bootstrap resamples of whole groups "
            f"that contain every class (n_resamples={n_resamples}: {limit} draws gave "
            f"{len(out)}; use n_resamples=0 or merge rare classes)",
            described(f"{int((per_class <= 2).sum())} class(es) in at most 2 groups "
                      f"among {n_units} groups"),
            caller,
        )
    fail(
        "y_true",
        f"enough rows of each class for bootstrap resamples that contain every class "
        f"(n_resamples={n_resamples}: {limit} draws gave {len(out)}; use n_resamples=0 "
        "or merge rare classes)",
        described(f"{int((counts <= 2).sum())} class(es) of at most 2 rows among {n} rows"),
        caller,
    )


_MAX_REDRAWS = 100


def _probability_rows(y_proba: Any, n_classes: int) -> bool:
    """Whether a list or tuple ``y_proba`` holds rows of ``n_classes`` values.

    ``P.tolist()`` of an ``(n, K)`` table is a list of rows: ``estimate``
    reads it as one table, so ``estimate_many`` must not read it as ``n``
    windows of ``K`` positive-class probabilities each (nor refuse it, with
    ``window_size``, as a list of windows).
    """
    if not isinstance(y_proba, list | tuple) or len(y_proba) == 0:
        return False
    for row in y_proba:
        if isinstance(row, str | bytes) or np.ndim(row) != 1:
            return False
        try:
            if len(row) != n_classes:
                return False
        except TypeError:
            return False
    return True


def _sum_to_one(rows: Any) -> bool:
    """Whether every row of a list of numeric rows sums to 1 (rounding aside)."""
    try:
        arr = np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(arr.ndim == 2 and np.all(np.abs(arr.sum(axis=1) - 1.0) <= 1e-6))


def _refuse_text_labels(y_true: Any, labels: str, caller: str) -> None:
    """Refuse text class labels (``"neg"``, a ``category`` of text) by what they are.

    The generic numeric check said "use a categorical test"; CBPE needs the
    column of ``y_proba`` each label stands for.
    """
    from mllifecycle._frames import column_to_numpy, series_kind

    if series_kind(y_true) is not None:
        values = column_to_numpy(y_true)
    elif isinstance(y_true, np.ndarray | list | tuple):
        try:  # a list of text becomes a text array (read from its dtype, not row by row)
            values = np.asarray(y_true)
        except ValueError:  # ragged: check_array names it
            return
    else:
        return
    if values.ndim != 1:
        return
    kinds = label_kinds(values)
    for kind in ("text", "bytes"):
        if kind in kinds:
            fail(
                "y_true",
                f"class labels in {labels}, the column indices of y_proba (encode text "
                "labels as the column of their class, e.g. "
                "np.searchsorted(model.classes_, y) for scikit-learn's sorted classes_, "
                "or pass y_proba as a table whose columns are named by the classes)",
                described(f"{kind} labels, e.g. {kinds[kind]!r}"),
                caller,
            )


class CBPE(BaseEstimator):  # type: ignore[misc]
    r"""Estimate a classifier's performance on unlabelled data from its confidence.

    Confidence-based performance estimation (after NannyML's CBPE [1]_):
    calibrate the model's probabilities on a labelled reference set, then, on
    a window without labels, treat each calibrated probability as the chance
    the row's label is that class. The expected confusion matrix, hence the
    expected accuracy, precision, recall, F1 and ROC AUC, follow, each with
    the standard error of the metric the labels would realise.

    Parameters
    ----------
    metrics : str or sequence of str, default=("accuracy",)
        Metrics to estimate, from ``"accuracy"``, ``"precision"``,
        ``"recall"``, ``"f1"`` and ``"roc_auc"``.
    calibration : {"auto", "isotonic", "sigmoid", "none"}, default="auto"
        How the raw probabilities are calibrated on the reference set.
        ``"isotonic"`` is isotonic regression [2]_; ``"sigmoid"`` is Platt
        scaling [3]_ of the probability's logit, ``expit(a logit(p) + b)``;
        ``"none"`` trusts the model's probabilities. ``"auto"`` picks, among
        ``"none"``, ``"sigmoid"`` and ``"isotonic"``, the method with the
        lowest Brier score on held-out folds of a stratified ``cv``-fold
        split of the reference (of whole groups when :meth:`fit` is given
        ``groups``; ties go to the simpler method) and records it in
        ``calibration_``. A fitted map never returns exactly 0 or 1:
        an isotonic block with no error among its ``n`` reference rows gets
        the Jeffreys posterior mean ``0.5 / (n + 1)`` of its error rate (1
        minus that at the top), and a sigmoid map is kept that far from 0
        and 1 with ``n`` the reference size, so rows the reference never saw
        misclassified still carry sampling error (``std_error`` was 0.0).
        ``"none"`` chosen by ``"auto"`` is kept as far from 0 and 1; asked
        for, ``"none"`` returns the model's probabilities unchanged.
    cv : int, default=5
        Number of folds used by ``calibration="auto"`` (at least 2; each
        class needs at least ``cv`` reference rows, and with ``groups`` there
        must be at least ``cv`` groups).
    threshold : float, default=0.5
        Binary problems predict the positive class when its raw probability
        is ``>= threshold``. Ignored for three or more classes, where the
        prediction is the arg-max of the raw probabilities.
    confidence_level : float, default=0.95
        Level of the normal-approximation intervals, in (0, 1).
    random_state : int, numpy Generator or None, default=None
        Seeds the shuffled folds of ``calibration="auto"`` and the bootstrap.
        The same ``random_state`` gives the same result. A Generator is drawn
        from (advanced) by every :meth:`fit`, so refitting with the same
        Generator object gives other folds and resamples; pass an int (or a
        ``numpy.random.SeedSequence``) for fits that repeat exactly.
    n_resamples : int, default=0
        If positive, the calibration map is refitted on this many bootstrap
        resamples of the reference (of whole groups when :meth:`fit` is
        given ``groups``); the spread of the estimates
        across them (the calibration standard error) is added in quadrature
        to the sampling standard error. 0 leaves calibration uncertainty out
        of the interval. Each estimate then costs about ``n_resamples + 1``
        times as much.

    Attributes
    ----------
    calibration_ : str
        The calibration method used (the choice, when ``"auto"``).
    calibration_scores_ : dict of str to float
        Mean held-out Brier score of each candidate (``"auto"`` only; empty
        otherwise).
    calibrators_ : list
        The fitted calibration maps (one for binary problems, one per class
        otherwise).
    n_classes_ : int
        Number of classes (2 for binary).
    classes_ : numpy.ndarray
        ``arange(n_classes_)``: labels are the column indices of ``y_proba``;
        or, when fit's ``y_proba`` was a table whose columns are named by the
        classes of ``y_true`` (``"neg"``, ``"pos"``, or numbers other than the
        indices), those classes sorted (the last is the positive class of a
        binary problem).
    n_reference_ : int
        Number of reference rows.
    reference_metrics_ : dict of str to float
        The realised metrics on the reference set (for comparison).
    bootstrap_calibrators_ : list of list
        The calibration maps refitted on bootstrap resamples (empty when
        ``n_resamples=0``).
    n_groups_ : int or None
        Number of distinct groups of the reference rows when :meth:`fit` was
        given ``groups``; None otherwise.

    See Also
    --------
    PerformanceEstimate : the result of :meth:`estimate`.

    Notes
    -----
    ``metrics``, ``threshold`` and ``confidence_level`` are read (and
    checked) by each :meth:`estimate`, :meth:`estimate_many` and
    :meth:`realized` call, so ``set_params`` of one of them after :meth:`fit`
    takes effect without refitting; the other parameters take effect at the
    next :meth:`fit` (``reference_metrics_`` keeps the fit's threshold).

    Let ``p_i`` be the calibrated probability that row ``i`` is positive and
    ``yhat_i`` the model's prediction (from its raw probability and
    ``threshold``). If the labels are independent draws ``y_i ~ Bernoulli(p_i)``
    then the confusion counts have expectations

    .. math::

        E[TP] = \sum_{\hat y_i = 1} p_i,\quad
        E[FP] = \sum_{\hat y_i = 1} (1 - p_i),\quad
        E[FN] = \sum_{\hat y_i = 0} p_i,\quad
        E[TN] = \sum_{\hat y_i = 0} (1 - p_i).

    Accuracy is ``mean(q_i)`` with ``q_i = p_i`` if ``yhat_i = 1`` else
    ``1 - p_i``; its realised value is a mean of independent Bernoulli(q_i),
    so the standard error ``sqrt(sum q_i (1 - q_i)) / n`` is exact. Precision
    ``TP / (TP + FP)`` has a fixed denominator (the predicted positives), so
    its mean and standard error are exact too. Recall ``E[TP] / (E[TP] +
    E[FN])``, F1 ``2 E[TP] / (2 E[TP] + E[FP] + E[FN])`` and ROC AUC are
    ratios of expectations, with first-order (delta-method) standard errors.
    For ROC AUC, write the Mann-Whitney form ``AUC = (U - N_1 (N_1 + 1) / 2)
    / (N_1 (n - N_1))`` with ``U = sum_i r_i y_i`` (``r_i`` the mid-rank of
    the raw score) and ``N_1 = sum_i y_i``; then

    .. math::

        \widehat{AUC} = \frac{\sum_{i \ne j} p_i (1 - p_j) h_{ij}}
                               {\sum_{i \ne j} p_i (1 - p_j)}
        = \frac{\sum_i r_i p_i - (V + P^2 + P) / 2}{n P - V - P^2},

    with ``h_ij = 1`` if ``s_i > s_j`` and ``1/2`` on ties, ``P = sum p_i``
    and ``V = sum p_i (1 - p_i)``: the expected number of correctly ordered
    (positive, negative) pairs over the expected number of such pairs.

    Multiclass problems use the calibrated class probabilities row by row
    (labels drawn from a categorical distribution), accuracy directly and
    the one-vs-rest macro average for the other metrics.

    **What the interval covers.** The standard error is that of the metric
    the window's labels will realise, given the calibrated probabilities:
    the irreducible sampling noise of a finite window. By default it does
    not include the error of the calibration map itself, which shrinks as the
    reference grows (keep the reference several times larger than a window);
    ``n_resamples > 0`` adds a bootstrap estimate of it. The
    interval is valid only while ``P(y | x)`` (more precisely ``P(y | raw
    score)``) is what it was on the reference. Under covariate shift it holds
    when the model's score carries what ``x`` says about ``y`` (a
    well-specified model); a misspecified model can break it. Under concept
    shift the estimate is wrong and the interval does not say so.

    **Grouped reference rows.** Rows of one group (a user, a patient, a
    session) are alike: with :meth:`fit`'s ``groups``, ``calibration="auto"``
    holds out whole groups (``StratifiedGroupKFold``: the classes balanced
    across folds as far as the groups allow), so a held-out row has no twin
    among the rows its map was fitted on and an isotonic map that memorised
    the groups does not look better than it is; and ``n_resamples`` draws
    whole groups (the cluster bootstrap of Davison and Hinkley [5]_, section
    3.8), so the calibration standard error is not understated. ``groups`` do not reach
    the rest: the sampling standard error of :meth:`estimate` still treats
    the monitored window's labels as independent given the scores (rows of
    one user in the window make it too small), and the distance a fitted map
    keeps from 0 and 1 is still counted in rows (``0.5 / (n + 1)``).

    References
    ----------
    .. [1] NannyML. "Performance estimation: Confidence-based Performance
       Estimation (CBPE)". https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
    .. [2] Zadrozny, B. and Elkan, C. (2002). Transforming classifier scores
       into accurate multiclass probability estimates. KDD 2002, 694-699.
    .. [3] Platt, J. (1999). Probabilistic outputs for support vector
       machines and comparisons to regularized likelihood methods. Advances
       in Large Margin Classifiers, 61-74.
    .. [4] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the
       area under a receiver operating characteristic (ROC) curve.
       Radiology 143(1), 29-36.
    .. [5] Davison, A. C. and Hinkley, D. V. (1997). Bootstrap Methods and
       their Application. Cambridge University Press, section 3.8.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.estimate import CBPE
    >>> rng = np.random.default_rng(0)
    >>> p_ref = rng.uniform(size=5000)                # model's P(y=1)
    >>> y_ref = (rng.uniform(size=5000) < p_ref).astype(int)
    >>> est = CBPE(metrics=["accuracy", "roc_auc"], random_state=0).fit(y_true=y_ref, y_proba=p_ref)
    >>> est.calibration_ in {"none", "sigmoid", "isotonic"}
    True
    >>> p_new = rng.beta(5, 1, size=1000)  # covariate shift: mostly confident
    >>> r = est.estimate(p_new)                        # no labels needed
    >>> round(r["accuracy"].value, 2), round(r["accuracy"].std_error, 2)
    (0.84, 0.01)
    >>> y_new = (rng.uniform(size=1000) < p_new).astype(int)  # labels come later
    >>> acc = est.realized(y_new, p_new)["accuracy"]
    >>> bool(r["accuracy"].ci_low <= acc <= r["accuracy"].ci_high)
    True
    """

    def __init__(
        self,
        metrics: str | Sequence[str] = ("accuracy",),
        calibration: str = "auto",
        cv: int = 5,
        threshold: float = 0.5,
        confidence_level: float = 0.95,
        random_state: Any = None,
        n_resamples: int = 0,
    ) -> None:
        self.metrics = metrics
        self.calibration = calibration
        self.cv = cv
        self.threshold = threshold
        self.confidence_level = confidence_level
        self.random_state = random_state
        self.n_resamples = n_resamples
        self._validate_params()

    # ------------------------------------------------------------------ checks
    def _validate_params(self, caller: str = "CBPE") -> tuple[str, ...]:
        """Check the parameters; return the metric names (duplicates dropped).

        Run again by ``estimate``, ``estimate_many`` and ``realized``, which
        read ``metrics``, ``threshold`` and ``confidence_level`` when called:
        a ``set_params(threshold=5)`` after fit predicted every row negative
        without a word, and ``set_params(metrics="roc_auc")`` was ignored
        (the fit's metrics came back).
        """
        names = self.metrics
        if isinstance(names, str):
            names = (names,)
        options = ", ".join(repr(m) for m in METRICS)
        if not isinstance(names, Sequence) or len(names) == 0:
            fail(
                "metrics",
                f"a metric name or a non-empty list of {{{options}}}",
                self.metrics,
                caller,
            )
        # the option itself: a NumPy string names the metric as a str
        names = [check_option(name, "metrics", METRICS, caller) for name in names]
        check_option(self.calibration, "calibration", _CALIBRATIONS, caller)
        check_int(self.cv, "cv", caller=caller, low=2)
        check_scalar(self.threshold, "threshold", caller=caller, low=0.0, high=1.0)
        check_scalar(
            self.confidence_level,
            "confidence_level",
            caller=caller,
            low=0.0,
            high=1.0,
            low_inclusive=False,
            high_inclusive=False,
        )
        check_rng(self.random_state, "random_state", caller)
        if check_int(self.n_resamples, "n_resamples", caller=caller, low=0) == 1:
            fail("n_resamples", "0 (no bootstrap) or an int >= 2", 1, caller)
        return tuple(dict.fromkeys(names))

    def _check_fitted(self, caller: str) -> None:
        if not hasattr(self, "calibrators_"):
            raise NotFittedError(
                f"This CBPE instance is not fitted yet; call "
                f"fit(y_true=y_ref, y_proba=p_ref) "
                f"before {caller}."
            )

    def _frame_order(self, y_proba: Any, name: str, caller: str, fitting: bool) -> Any:
        """Column order of a table ``y_proba``: by name, never by position alone.

        Labels are column indices, so a table whose columns are named
        ``0..K-1`` (ints, their text, integral floats, or bools for binary
        problems) in another order is put in that order
        (:func:`~mllifecycle._frames.columns_by_class`; a table naming some
        classes and having other columns is refused); a table naming no class
        is read by position; a table after a table fit must have fit's columns
        (any order). Returns ``y_proba`` reordered (as NumPy) or unchanged.
        """
        from mllifecycle._frames import (
            column_names,
            columns_by_class,
            frame_to_numpy,
            is_frame,
        )

        if not is_frame(y_proba):
            if fitting:
                self._proba_columns = None
            return y_proba
        arr = frame_to_numpy(y_proba)
        given = column_names(y_proba) or []
        classes = getattr(self, "_class_labels", None)
        if classes is not None:
            # columns named by the classes of y_true ("pos", "neg"): by name, in
            # the classes' sorted order (they were read by position, ROC AUC
            # 0.15 for 0.85); a repeated name (also 1 and "1") is refused
            order = columns_by_class(given, classes, name, caller)
            if order is None:  # after fit (fit's columns matched, by _named_classes)
                fail(name, f"the columns of fit's y_proba, named by the classes "
                     f"{[str(c) for c in classes][:5]} (in any order)",
                     described(f"columns {[str(c) for c in given][:5]}"), caller)
            if fitting:
                self._proba_columns = [str(c) for c in classes]
            return arr[:, order]
        k = arr.shape[-1]
        names = _binary_names(given) if k == 2 else given
        # a table naming some classes and having other columns ([1, "x"]) was
        # read by position: accuracy 0.16 for 0.84
        order = columns_by_class(names, list(range(k)), name, caller)
        indices = [str(i) for i in range(k)]
        stored = getattr(self, "_proba_columns", None)
        if not fitting and stored is not None:
            if stored == [str(i) for i in range(len(stored))]:  # fit's named the classes
                if order is None or len(stored) != k:
                    fail(name, f"the columns of fit's y_proba, named by the classes {stored[:5]} "
                         "(in any order)", described(f"columns {[str(c) for c in given][:5]}"),
                         caller)
                return arr[:, order]
            texts = [str(c) for c in given]
            if sorted(texts) != sorted(stored):
                fail(name, f"the columns of fit's y_proba {stored[:5]} (in any order)",
                     described(f"columns {texts[:5]}"), caller)
            return arr[:, [texts.index(c) for c in stored]]
        if fitting:
            self._proba_columns = indices if order is not None else [str(c) for c in given]
        return arr if order is None else arr[:, order]

    def _as_columns(
        self, y_proba: Any, name: str, caller: str, fitting: bool = False
    ) -> FloatArray:
        """Validate ``y_proba`` and return it as ``(n, K)`` class probabilities."""
        y_proba = self._frame_order(y_proba, name, caller, fitting)
        given = _real(y_proba, name, caller)
        arr = check_array(given, name, caller=caller, ndim=(1, 2))
        if arr.ndim == 2 and arr.shape[1] < 2:
            # before the check of the rows' sums, which named a sum of 0.3
            fail(
                name,
                "a 1-D array of positive-class probabilities or a 2-D array "
                "with at least 2 columns",
                described(f"shape {arr.shape}"),
                caller,
            )
        # rows of a float16/float32 table sum to 1 within that type's rounding
        arr = check_proba(arr, name, caller, dtype=getattr(given, "dtype", None))
        if arr.ndim == 1:
            arr = np.column_stack([1.0 - arr, arr])
        if hasattr(self, "n_classes_") and arr.shape[1] != self.n_classes_:
            fail(
                name,
                f"probabilities for the {self.n_classes_} classes seen in fit",
                described(f"{arr.shape[1]} column(s)"),
                caller,
            )
        return np.ascontiguousarray(arr)

    def _check_labels(self, y_true: Any, n_classes: int, caller: str) -> IntArray:
        classes = getattr(self, "_class_labels", None)
        if classes is not None:
            return self._encode_named(y_true, classes, caller)
        labels = "{0, 1}" if n_classes == 2 else f"{{0, ..., {n_classes - 1}}}"
        _refuse_text_labels(y_true, labels, caller)
        y = check_array(y_true, "y_true", caller=caller, ndim=1)
        bad = (y != np.round(y)) | (y < 0) | (y > n_classes - 1)
        if bad.any():
            fail(
                "y_true",
                f"class labels in {labels} (the column indices of y_proba)",
                described(f"{int(bad.sum())} other value(s), e.g. {float(y[bad][0])!r}"),
                caller,
            )
        return y.astype(np.intp)

    def _encode_named(self, y_true: Any, classes: list[Any], caller: str) -> IntArray:
        """Labels as the index of their class among the classes named by fit's columns.

        Text labels by text, numbers by value and exactly (Python values: the
        labels ``2**53`` and ``2**53 + 1`` are two classes); bools and text are
        no numbers.
        """
        values = _label_values(y_true)
        if values is None:
            values = check_array(y_true, "y_true", caller=caller, ndim=1, dtype="any")
        text = all(isinstance(c, str) for c in classes)
        where: dict[Any, int] = {c: i for i, c in enumerate(classes)}
        try:  # one look-up per distinct label
            uniq, inv = np.unique(values, return_inverse=True)
        except TypeError:  # labels that cannot be sorted together: one by one
            uniq, inv = values, np.arange(values.size)
        # float labels against integer classes beyond 2**53: float64 has rounded
        # them onto one class (2**53 + 1 reads as 2**53)
        big = not text and any(isinstance(c, int) and abs(c) > 2**53 for c in classes)
        out = np.empty(uniq.size, dtype=np.intp)
        for j, v in enumerate(uniq.tolist()):
            v = v.item() if isinstance(v, np.generic) else v
            if big and isinstance(v, float):
                fail("y_true", "integer labels when the classes are integers beyond 2**53 "
                     "(float64 cannot tell such integers apart)", v, caller)
            kind = isinstance(v, str) if text else (
                isinstance(v, numbers.Real) and not isinstance(v, bool))
            i = where.get(v) if kind else None
            if i is None:
                fail("y_true", f"labels among the classes {classes[:5]} named by y_proba's "
                     "columns in fit", v, caller)
            out[j] = i
        return np.asarray(out[np.ravel(inv)], dtype=np.intp)

    def _predict(self, raw: FloatArray) -> IntArray:
        if raw.shape[1] == 2:
            return (raw[:, 1] >= self.threshold).astype(np.intp)
        return np.asarray(np.argmax(raw, axis=1), dtype=np.intp)

    # ------------------------------------------------------------------- fit
    def fit(
        self, *, y_true: Any, y_proba: Any, groups: Any = None, progress: Any = False
    ) -> CBPE:
        """Calibrate the model's probabilities on a labelled reference set.

        Parameters
        ----------
        y_true : array-like of shape (n,)
            True labels: 0/1 (or bools) for binary problems, the column
            indices ``0..K-1`` of ``y_proba`` otherwise. Every class must occur.
            Other labels (text such as ``"neg"``/``"pos"``, or numbers such
            as ``5``/``6``) are read when ``y_proba`` is a table whose
            columns are named by exactly those classes, in any order (by text,
            or numbers by value): column ``"pos"`` holds P(``"pos"``). The
            classes are then sorted (``classes_``), the last being the positive
            class of a binary problem, and later tables are read by these
            names, plain arrays in the sorted class order.
            A pandas Series whose index holds ``y_proba``'s row labels in
            another order is matched by label (refused when one of the two is
            a default ``0..n-1`` RangeIndex; other indexes: by position).
        y_proba : array-like of shape (n,) or (n, K)
            The model's predicted probabilities: of the positive class (1-D)
            or of every class (2-D, rows summing to 1). A table whose columns
            are named by the classes (the indices ``0..K-1`` as ints, floats
            or their text, bools for a binary problem; or the labels above)
            is read by name, in any order, as the gates and
            ``find_label_issues`` read it; a table naming some classes beside
            other columns, or one class twice, is refused; one naming no
            class (``p0``, ``p1``) is read by position.
        groups : array-like of shape (n,), optional
            The group of each reference row (a user, a patient, a session),
            for references whose rows are not independent. A pandas Series
            is matched to ``y_proba``'s rows by label, as ``y_true`` is.
            ``calibration="auto"`` then scores the candidates on folds of
            whole groups (``cv`` at most the number of groups) and
            ``n_resamples`` draws whole groups (cluster bootstrap); with a
            fixed ``calibration`` and ``n_resamples=0`` they change nothing.
            One row per group gives the results of ``groups=None``. They do
            not make :meth:`estimate`'s sampling error allow for groups in the
            monitored window (see the class's Notes).
        progress : bool or callable, default=False
            ``True`` for a bar (the ``progress`` extra) or a callable
            ``progress(done, total)``, called after each calibration fit: the
            ``cv`` folds of ``calibration="auto"``, the final map and each of
            the ``n_resamples`` bootstrap refits.

        Returns
        -------
        CBPE
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            On bad parameters, probabilities outside [0, 1], mismatched
            lengths, labels that are not column indices, a class missing from
            the reference, or (``calibration="auto"``) a class with fewer than
            ``cv`` rows; a ``progress`` that is neither a bool nor a callable;
            ``groups`` of the wrong length, with a missing label (NaN, None),
            a single group, or (``calibration="auto"``) fewer groups than
            ``cv``.

        Examples
        --------
        Twenty rows per user, all alike: folds of rows leave a held-out row's
        twins in the training folds, where the isotonic map has memorised
        them; folds of whole users show that the model was calibrated.

        >>> import numpy as np
        >>> from mllifecycle.estimate import CBPE
        >>> rng = np.random.default_rng(0)
        >>> score = rng.uniform(0.02, 0.98, size=100)    # one score per user
        >>> label = (rng.uniform(size=100) < score).astype(int)
        >>> user = np.repeat(np.arange(100), 20)
        >>> p_ref = score[user] + rng.normal(0.0, 1e-4, size=2000)
        >>> CBPE(random_state=0).fit(y_true=label[user], y_proba=p_ref).calibration_
        'isotonic'
        >>> est = CBPE(random_state=0).fit(y_true=label[user], y_proba=p_ref, groups=user)
        >>> est.calibration_, est.n_groups_
        ('none', 100)
        """
        # a fit that raises leaves the previous fit as it was: a half-replaced
        # state (the old maps, no n_classes_) estimated a binary window with a
        # 3-class fit's maps, silently
        state = dict(self.__dict__)
        try:
            return self._fit(y_true, y_proba, groups, progress)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(state)
            raise

    def _fit(self, y_true: Any, y_proba: Any, groups: Any, progress: Any) -> CBPE:
        caller = "CBPE.fit"
        names = self._validate_params()
        check_progress(progress, caller)
        for attr in ("n_classes_",):
            if hasattr(self, attr):
                delattr(self, attr)
        y_true = in_row_order(y_true, y_proba, "y_true", "y_proba", caller)
        # a table whose columns name the classes of y_true (text, or numbers
        # other than the column indices) is read by name
        self._class_labels = _named_classes(y_true, y_proba, caller)
        raw = self._as_columns(y_proba, "y_proba", caller, fitting=True)
        n_classes = raw.shape[1]
        y = self._check_labels(y_true, n_classes, caller)
        check_consistent_length([raw, y], ["y_proba", "y_true"], caller)
        counts = np.bincount(y, minlength=n_classes)
        if (counts == 0).any():
            missing = [int(c) for c in np.flatnonzero(counts == 0)]
            fail(
                "y_true",
                f"labels of every class 0..{n_classes - 1} (CBPE cannot "
                "calibrate a class it never saw)",
                described(f"no row of class {missing}"),
                caller,
            )
        codes: IntArray | None = None
        n_groups: int | None = None
        if groups is not None:
            from mllifecycle._gain import group_codes

            codes, n_groups = group_codes(
                groups, y_proba, len(y), caller, "y_proba",
                "calibration='auto' holds out whole groups and the bootstrap draws whole "
                "groups; one group can do neither")
            if self.calibration == "auto" and int(self.cv) > n_groups:
                fail("cv", f"at most the number of groups in groups ({n_groups}) for "
                     "calibration='auto': each fold holds out whole groups", self.cv, caller)
        rng = check_rng(self.random_state, "random_state", caller)
        method = self.calibration
        scores: dict[str, float] = {}
        n_boot = int(self.n_resamples)
        total = (int(self.cv) if method == "auto" else 0) + 1 + n_boot
        with make_progress(progress, total=total, desc=caller, caller=caller) as bar:
            method, scores = self._fit_maps(raw, y, counts, rng, bar, caller, codes)
        self.calibration_scores_ = scores
        self.n_groups_ = n_groups
        self.n_classes_ = n_classes
        named = self._class_labels
        self.classes_ = np.arange(n_classes) if named is None else np.asarray(named)
        self.n_reference_ = len(y)
        self.reference_metrics_ = realized_metrics(METRICS, y, self._predict(raw), raw, n_classes)
        self._names = names
        return self

    def _fit_maps(
        self, raw: FloatArray, y: IntArray, counts: IntArray, rng: np.random.Generator,
        bar: Progress, caller: str, codes: IntArray | None = None,
    ) -> tuple[str, dict[str, float]]:
        """Choose and fit the calibration maps (and the bootstrap ones).

        ``codes`` (the group of each row, ``0..G-1``): folds and resamples of
        whole groups.
        """
        method = self.calibration
        scores: dict[str, float] = {}
        n_classes = raw.shape[1]
        if method == "auto":
            if counts.min() < self.cv:
                fail(
                    "y_true",
                    f"labels with at least cv={self.cv} rows of each class for "
                    "calibration='auto' (lower cv or choose a calibration)",
                    described(f"{int(counts.min())} row(s) of class {int(np.argmin(counts))}"),
                    caller,
                )
            scores = self._cv_scores(raw, y, rng, bar, codes, caller)
            method = min(METHODS, key=lambda m: (scores[m], METHODS.index(m)))
        chosen = self.calibration == "auto"
        self.calibrators_ = fit_calibrators(method, raw, y, chosen=chosen)
        self.calibration_ = method
        bar.update()
        self.bootstrap_calibrators_ = []
        for idx in _bootstrap_rows(y, n_classes, int(self.n_resamples), rng, caller, codes):
            self.bootstrap_calibrators_.append(
                fit_calibrators(method, raw[idx], y[idx], chosen=chosen)
            )
            bar.update()
        return method, scores

    def _cv_scores(
        self, raw: FloatArray, y: IntArray, rng: np.random.Generator,
        bar: Progress | None = None, codes: IntArray | None = None,
        caller: str = "CBPE.fit",
    ) -> dict[str, float]:
        """Mean held-out Brier score of each method over ``cv`` folds.

        Stratified folds of rows; with ``codes`` (more than one row in some
        group), folds of whole groups from
        :func:`~mllifecycle._gain.cv_plan` (``StratifiedGroupKFold``: every
        class has ``cv`` rows, checked before; ``GroupKFold`` otherwise), so
        no held-out row has a twin in the rows its map was fitted on. One row
        per group is the row problem itself and gets the row folds.
        """
        from sklearn.model_selection import StratifiedKFold

        seed = int(rng.integers(2**31 - 1))
        splits: Any
        if codes is not None and int(codes.max()) + 1 < len(y):
            from mllifecycle._gain import cv_plan

            splits, _ = cv_plan(int(self.cv), 1, y, classification=True, seed=seed,
                                caller=caller, groups=codes)
        else:
            folds = StratifiedKFold(n_splits=int(self.cv), shuffle=True, random_state=seed)
            splits = folds.split(raw, y)
        totals = dict.fromkeys(METHODS, 0.0)
        for train, test in splits:
            for method in METHODS:
                cal = fit_calibrators(method, raw[train], y[train], chosen=True)
                totals[method] += brier(apply_calibrators(cal, raw[test]), y[test])
            if bar is not None:
                bar.update()
        return {m: v / len(y) for m, v in totals.items()}

    # -------------------------------------------------------------- estimate
    def calibrate(self, y_proba: Any) -> FloatArray:
        """Return the calibrated probabilities, in the shape of ``y_proba``.

        Parameters
        ----------
        y_proba : array-like of shape (n,) or (n, K)
            The model's raw probabilities.

        Returns
        -------
        numpy.ndarray
            Calibrated probabilities (1-D input gives 1-D output). Columns
            are in class order ``0..K-1``: a table whose columns are named
            in another order is read by name, and its calibrated columns
            come back in class order, not in the table's.
        """
        self._check_fitted("calibrate")
        cols = self._as_columns(y_proba, "y_proba", "CBPE.calibrate")
        cal = apply_calibrators(self.calibrators_, cols)
        return cal[:, 1] if np.ndim(_real(y_proba, "y_proba", "CBPE.calibrate")) == 1 else cal

    def _estimate_batch(
        self, raw: FloatArray, names: tuple[str, ...]
    ) -> list[PerformanceEstimate]:
        """Estimate ``names`` on every window of a ``(W, m, K)`` batch of raw probabilities."""
        w, m, k = raw.shape
        flat = raw.reshape(w * m, k)
        P = apply_calibrators(self.calibrators_, flat).reshape(w, m, k)
        yhat = self._predict(flat).reshape(w, m)
        ranks: dict[int, FloatArray] = {}
        stats = expected_metrics(names, P, yhat, raw, ranks=ranks)
        cal_se: dict[str, FloatArray] = {}
        if self.bootstrap_calibrators_:
            boot = np.empty((len(self.bootstrap_calibrators_), len(names), w))
            for b, cals in enumerate(self.bootstrap_calibrators_):
                Pb = apply_calibrators(cals, flat).reshape(w, m, k)
                sb = expected_metrics(names, Pb, yhat, raw, with_se=False, ranks=ranks)
                for j, name in enumerate(names):
                    boot[b, j] = sb[name][0]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                spread = np.nanstd(boot, axis=0, ddof=1)
            cal_se = {name: spread[j] for j, name in enumerate(names)}
        z = NormalDist().inv_cdf(0.5 + 0.5 * float(self.confidence_level))
        out = []
        for j in range(w):
            ests = {}
            for name in names:
                value, s_se = float(stats[name][0][j]), float(stats[name][1][j])
                c_se = float(cal_se[name][j]) if cal_se else math.nan
                se = math.hypot(s_se, c_se) if cal_se else s_se
                lo = min(max(value - z * se, 0.0), 1.0) if math.isfinite(se) else math.nan
                hi = min(max(value + z * se, 0.0), 1.0) if math.isfinite(se) else math.nan
                ests[name] = MetricEstimate(
                    metric=name,
                    value=value,
                    std_error=se,
                    ci_low=lo,
                    ci_high=hi,
                    sampling_std_error=s_se,
                    calibration_std_error=c_se,
                )
            out.append(
                PerformanceEstimate(
                    estimates=ests,
                    n_samples=m,
                    n_classes=k,
                    average="binary" if k == 2 else "macro",
                    threshold=float(self.threshold) if k == 2 else None,
                    calibration=self.calibration_,
                    confidence_level=float(self.confidence_level),
                )
            )
        return out

    def _warn_degenerate(self, results: list[PerformanceEstimate], caller: str) -> None:
        bad = sorted(
            {name for r in results for name, e in r.estimates.items() if not math.isfinite(e.value)}
        )
        if bad:
            n_bad = sum(
                any(not math.isfinite(e.value) for e in r.estimates.values()) for r in results
            )
            warnings.warn(
                f"{caller}: {', '.join(bad)} undefined (NaN) in {n_bad} window(s): "
                "no predicted positive (precision), no expected positive or negative "
                "(recall, F1, ROC AUC), or fewer than 2 rows (ROC AUC).",
                DegenerateDataWarning,
                stacklevel=3,
            )

    def estimate(self, y_proba: Any) -> PerformanceEstimate:
        """Estimate the metrics on one window of unlabelled predictions.

        Parameters
        ----------
        y_proba : array-like of shape (n,) or (n, K)
            The model's raw probabilities on the window, shaped as in
            :meth:`fit`. At least one row.

        Returns
        -------
        PerformanceEstimate
            One :class:`MetricEstimate` per metric: ``result["f1"].value``,
            ``.std_error``, ``.ci_low``, ``.ci_high``.

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        InvalidParameterError
            If ``y_proba`` is empty, outside [0, 1] or has the wrong number of
            classes, or a parameter set after :meth:`fit` is invalid.

        Warns
        -----
        DegenerateDataWarning
            When a metric is undefined on the window (it is then NaN), e.g.
            precision with no predicted positive, or ROC AUC on one row.
        """
        self._check_fitted("estimate")
        names = self._validate_params("CBPE.estimate")
        raw = self._as_columns(y_proba, "y_proba", "CBPE.estimate")
        result = self._estimate_batch(raw[None], names)
        self._warn_degenerate(result, "CBPE.estimate")
        return result[0]

    def estimate_many(
        self, y_proba: Any, *, window_size: int | None = None
    ) -> list[PerformanceEstimate]:
        """Estimate the metrics on many windows at once (vectorised).

        Parameters
        ----------
        y_proba : array-like or list of array-like
            With ``window_size``: one array of probabilities, cut into
            consecutive windows of ``window_size`` rows (a shorter last window
            is kept); a list of probability rows (``P.tolist()``) is such an
            array. Without: a list of windows, each shaped as in
            :meth:`fit`; a list of rows of probabilities summing to 1 is
            refused (one table, not windows of positive-class probabilities).
        window_size : int, optional
            Rows per window.

        Returns
        -------
        list of PerformanceEstimate
            One per window, in order; each equals :meth:`estimate` on that
            window.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.estimate import CBPE
        >>> rng = np.random.default_rng(1)
        >>> p = rng.uniform(size=3000)
        >>> y = (rng.uniform(size=3000) < p).astype(int)
        >>> est = CBPE(calibration="none").fit(y_true=y, y_proba=p)
        >>> [r.n_samples for r in est.estimate_many(p, window_size=1000)]
        [1000, 1000, 1000]
        """
        caller = "CBPE.estimate_many"
        self._check_fitted("estimate_many")
        names = self._validate_params(caller)
        if window_size is not None:
            size = check_int(window_size, "window_size", caller=caller, low=1)
            if (
                isinstance(y_proba, list | tuple)
                and len(y_proba) > 0
                and not isinstance(y_proba[0], numbers.Real)
                and not _probability_rows(y_proba, self.n_classes_)
            ):
                fail(
                    "y_proba",
                    "one array when window_size is given (or a list of "
                    "windows without window_size)",
                    described(f"a {type(y_proba).__name__} of arrays"),
                    caller,
                )
            raw = self._as_columns(y_proba, "y_proba", caller)
            n_full = raw.shape[0] // size
            results = []
            if n_full:
                results += self._estimate_batch(
                    raw[: n_full * size].reshape(n_full, size, raw.shape[1]), names
                )
            if raw.shape[0] > n_full * size:
                results += self._estimate_batch(raw[n_full * size :][None], names)
        else:
            if not isinstance(y_proba, list | tuple) or len(y_proba) == 0:
                fail(
                    "y_proba",
                    "a non-empty list of windows (or pass window_size)",
                    y_proba,
                    caller,
                )
            if _probability_rows(y_proba, self.n_classes_) and _sum_to_one(y_proba):
                # [[0.3, 0.7], [0.9, 0.1]] is one table of rows (as estimate
                # reads it), not windows of two positive-class probabilities
                fail(
                    "y_proba",
                    "a list of windows (one array of rows per window), or one "
                    "table with window_size",
                    described(
                        f"a list of {len(y_proba)} rows of {self.n_classes_} probabilities "
                        "summing to 1 (one table; wrap it as [rows] for one window)"
                    ),
                    caller,
                )
            windows = [self._as_columns(p, f"y_proba[{i}]", caller) for i, p in enumerate(y_proba)]
            results = []
            i = 0
            while i < len(windows):  # stack runs of equal-length windows
                j = i
                while j < len(windows) and len(windows[j]) == len(windows[i]):
                    j += 1
                results += self._estimate_batch(np.stack(windows[i:j]), names)
                i = j
        self._warn_degenerate(results, caller)
        return results

    def realized(self, y_true: Any, y_proba: Any) -> dict[str, float]:
        """Return the realised metrics on a labelled window, same definitions.

        Parameters
        ----------
        y_true : array-like of shape (n,)
            True labels, as in :meth:`fit` (pandas indexes are matched as
            there).
        y_proba : array-like of shape (n,) or (n, K)
            The model's raw probabilities.

        Returns
        -------
        dict of str to float
            One value per metric of the estimator; NaN (with a
            :class:`DegenerateDataWarning`) where undefined, e.g. recall on a
            window without positives.

        Examples
        --------
        >>> from mllifecycle.estimate import CBPE
        >>> est = CBPE(metrics=["accuracy", "precision"], calibration="none")
        >>> est = est.fit(y_true=[0, 1, 1, 0], y_proba=[0.2, 0.7, 0.4, 0.6])
        >>> est.realized([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])
        {'accuracy': 0.5, 'precision': 0.5}
        """
        caller = "CBPE.realized"
        self._check_fitted("realized")
        names = self._validate_params(caller)
        y_true = in_row_order(y_true, y_proba, "y_true", "y_proba", caller)
        raw = self._as_columns(y_proba, "y_proba", caller)
        y = self._check_labels(y_true, raw.shape[1], caller)
        check_consistent_length([raw, y], ["y_proba", "y_true"], caller)
        out = realized_metrics(names, y, self._predict(raw), raw, raw.shape[1])
        bad = [k for k, v in out.items() if not math.isfinite(v)]
        if bad:
            warnings.warn(
                f"{caller}: {', '.join(bad)} undefined (NaN) on this window.",
                DegenerateDataWarning,
                stacklevel=2,
            )
        return out
