"""Label-error detection by confident learning (Northcutt, Jiang and Chuang 2021).

Given each row's given (possibly wrong) label and an out-of-sample estimate of
its class probabilities, confident learning counts, per class, the rows whose
probability of another class exceeds that class's average self-confidence
(the *confident joint*), calibrates the counts to the label totals, and flags
as issues the rows counted off the diagonal or, by pruning, the rows most
likely to be wrong in number equal to the estimated noise.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import in_row_order, series_kind
from mllifecycle._gain import (
    check_cv,
    check_groups,
    cv_splits,
    is_splitter,
    refuse_split_groups,
    split_by,
)
from mllifecycle._results import ARRAY_EQ, attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import (
    RNGLike,
    check_array,
    check_bool,
    check_has_methods,
    check_int,
    check_labels_of_one_kind,
    check_option,
    check_proba,
    check_rng,
    described,
    fail,
    label_kinds,
)
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels._crowd import (
    _enum_categories,
    _label_array,
    _refuse_flags_with_numbers,
    _same_flag_kind,
    _sorted_if_comparable,
)

__all__ = [
    "LabelIssues",
    "NoiseMatrix",
    "out_of_fold_proba",
    "confident_joint",
    "estimate_noise_matrix",
    "find_label_issues",
    "label_quality",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_METHODS = ("prune_by_noise_rate", "prune_by_class", "both", "confident_joint",
            "predicted_neq_given")
_RANKS = ("self_confidence", "normalized_margin")
_EPS = 1e-6  # fuzzy comparison of probabilities, as in the paper's reference code
_TINY = 1e-100


# ---------------------------------------------------------------- validation

_ONE_KIND_ORDERED = ("labels of one kind (all text, all numbers or all booleans; they are "
                     "ordered to match the columns of 'y_proba'), or pass 'classes'")


def _labels(y: Any, caller: str) -> npt.NDArray[Any]:
    """``y`` as a 1-D array, a list of two kinds as objects (``[True, 1]`` is not two 1s)."""
    arr = _label_array(y) if isinstance(y, list | tuple) else y
    return check_array(arr, "y", caller=caller, ndim=1, dtype="any")



def _declared_categories(y: Any) -> list[Any] | None:
    """Sorted categories of a categorical ``y`` (pandas, polars ``Enum``, Arrow), else None.

    The package's one class rule: a categorical column declares the class set
    (unused categories included), sorted as scikit-learn's ``classes_`` and
    the crowd aggregators' ``classes`` are.
    """
    from mllifecycle._frames import series_kind

    if series_kind(y) == "pandas" and str(y.dtype) == "category":
        cats = list(y.cat.categories.tolist())
    elif type(y).__name__ == "Categorical" and hasattr(y, "categories"):
        cats = list(y.categories.tolist())
    else:
        found = _enum_categories(y)
        if found is None:
            return None
        cats = found
    return _sorted_if_comparable(cats)


def _unwrap_proba(y_proba: Any) -> tuple[Any, Any]:
    """Accept an array or a result with ``proba`` (and ``classes``), e.g. a crowd result."""
    if hasattr(y_proba, "proba") and not isinstance(y_proba, np.ndarray):
        return y_proba.proba, getattr(y_proba, "classes", None)
    return y_proba, None


def _class_columns(raw: Any, y: Any, caller: str) -> tuple[list[Any], dict[Any, int]] | None:
    """(classes, column of each label) when the table ``raw`` names every label of ``y``.

    The names are matched by :func:`~mllifecycle._frames.columns_by_class`
    (text by text, numbers by value, exactly beyond 2**53: a label ``1.0`` is
    named by a column ``1`` or ``"1"``; a bool names no number). The classes are
    the columns, in their order: a named column is the class of ``y``'s label,
    a further column a class no row was given (named as the column). None when
    no column names a label (the table is read as an array); a table naming
    some labels of ``y`` but not all, or repeating a name, is refused.
    """
    from mllifecycle._frames import column_names, columns_by_class, is_frame

    if not is_frame(raw):
        return None
    names = column_names(raw) or []
    try:
        arr = _labels(y, caller)
    except (InvalidParameterError, TypeError, ValueError):
        return None  # the label checks name it
    kinds = label_kinds(arr)
    if arr.dtype.kind == "O":
        values = arr.tolist()
        missing = any(v != v for v in values)
        distinct = list(dict.fromkeys(v.item() if isinstance(v, np.generic) else v
                                      for v in values))
    else:
        missing = arr.dtype.kind in "fc" and bool(np.isnan(arr).any())
        distinct = np.unique(arr).tolist() if arr.size else []
    if not distinct or missing or any(k not in ("text", "numbers", "booleans")
                                      for k in kinds) or (
        "booleans" in kinds and "numbers" in kinds
    ):
        return None  # missing values, flags beside numbers: the label checks name them
    # sorted as the table is read by position: a flag is let stand for a number
    # only where the position reads it so (pandas' default names 0, 1)
    labels = _sorted_if_comparable(distinct)
    order = columns_by_class(names, labels, "y_proba", caller, other_columns=True)
    if order is None:
        return None
    classes = [n.item() if isinstance(n, np.generic) else n for n in names]
    for label, j in zip(labels, order, strict=True):
        classes[j] = label
    return classes, dict(zip(labels, order, strict=True))


def _check_inputs(
    y: Any, y_proba: Any, classes: Any, caller: str
) -> tuple[IntArray, FloatArray, npt.NDArray[Any]]:
    """Return (codes 0..K-1, y_proba (n, K), classes) after checking both."""
    raw, found_classes = _unwrap_proba(y_proba)
    # a pandas y whose index holds y_proba's row labels in another order (sorted,
    # or y_proba built on a shuffled X) was paired by position: matched by label
    tasks = getattr(y_proba, "tasks", None) if raw is not y_proba else None
    if tasks is not None and series_kind(y) == "pandas":
        # a crowd result's rows are its tasks: a y indexed by task id in another
        # order (110 "issues" instead of 15) is matched by task
        import sys

        rows = sys.modules["pandas"].Index(np.asarray(tasks))
        y = in_row_order(y, rows, "y", "y_proba.tasks", caller)
    else:
        y = in_row_order(y, raw, "y", "y_proba", caller)
    if classes is None:
        classes = found_classes
    named = _class_columns(raw, y, caller) if classes is None else None
    by_name = named is not None
    if named is not None:
        # a table whose columns name the classes (model.classes_): labels are
        # read against the names, not the column positions
        classes = np.empty(len(named[0]), dtype=object)
        classes[:] = named[0]
    p = check_array(raw, "y_proba", caller=caller, ndim=2)
    n, k = p.shape
    if k < 2:
        fail("y_proba", "an (n_samples, n_classes) array with at least 2 classes",
             described(f"shape {p.shape}"), caller)
    if (p < 0).any() or (p > 1).any():
        fail("y_proba", "probabilities in [0, 1]",
             described(f"values in [{float(p.min())!r}, {float(p.max())!r}]"), caller)
    # rows summing to 1 within 1e-4, or within the rounding of a float16 model's
    # output (refused before: 1.00024 is float16's nearest sum of two halves)
    check_proba(raw, "y_proba", caller, atol=1e-4)
    ya = _labels(y, caller)
    if ya.shape[0] != n:
        fail("y", f"one label per row of 'y_proba' ({n})",
             described(f"{ya.shape[0]} label(s)"), caller)
    if classes is None:
        declared = _declared_categories(y)
        if declared is not None and len(declared) == k:
            # a categorical y declares the classes (sorted, as the crowd
            # aggregators' columns and a model's classes_): a category no row
            # was given still has its column, e.g. in a crowd result's proba
            classes = declared
    if classes is not None:
        cls = _label_array(classes)
        if cls.ndim != 1 or cls.shape[0] != k:
            fail("classes", f"a 1-D array of the {k} class labels in the column order "
                 "of 'y_proba'", classes, caller)
        first: dict[Any, Any] = {}
        for c in cls.tolist():  # equal values (0, 0.0, False) are one class
            if c in first:
                fail("classes", "distinct class labels (one per column of 'y_proba')",
                     described(f"class {first[c]!r} repeated as {c!r}"), caller)
            first[c] = c
        # True == 1: a flag would be looked up as the class 1 (classes of text
        # and numbers, [0, "b"], are kept apart by the lookup)
        y_kinds = _refuse_flags_with_numbers(ya, "y", caller)
        if not by_name:
            cls_kinds = _refuse_flags_with_numbers(cls, "classes", caller)
            _same_flag_kind(y_kinds, "y", cls_kinds,
                            "classes" if found_classes is None or classes is not found_classes
                            else "y_proba.classes", caller)
        # a dict lookup, not a sorted search: classes and labels of mixed types
        # (or a None label) cannot be ordered
        labels = ya.tolist()
        # by name: each label's column, as columns_by_class matched it
        index = named[1] if named is not None else {c: i for i, c in enumerate(cls.tolist())}
        labels_key = labels
        codes = np.fromiter((index.get(v, -1) for v in labels_key), dtype=np.intp,
                            count=len(labels))
        unknown = codes < 0
        if unknown.any():
            fail("y", "labels found in 'classes'",
                 described(f"{int(unknown.sum())} unknown label(s), e.g. "
                           f"{labels[int(np.flatnonzero(unknown)[0])]!r}"), caller)
        return codes, p, cls
    # labels of two kinds cannot be ordered into columns ([True, 1] held two 1s)
    check_labels_of_one_kind(ya, "y", caller, expected=_ONE_KIND_ORDERED)
    if ya.dtype.kind in "iu" or (ya.dtype.kind == "f" and np.all(ya == np.round(ya))):
        codes = ya.astype(np.intp)
        if codes.min() < 0 or codes.max() >= k:
            fail("y", f"integer labels in [0, {k - 1}] (the columns of 'y_proba'), or pass "
                 "'classes'", described(f"labels in [{codes.min()}, {codes.max()}]"),
                 caller)
        return codes, p, np.arange(k)
    try:
        uniq, codes = np.unique(ya, return_inverse=True)
    except TypeError:  # one kind NumPy cannot sort
        fail("y", "labels of one comparable type (they are ordered to match the columns of "
             "'y_proba'), or pass 'classes'", described("labels NumPy cannot sort"), caller)
    if uniq.shape[0] != k:
        fail("classes", f"the {k} class labels in the column order of 'y_proba' (y has "
             f"{uniq.shape[0]} distinct non-integer labels, so the order cannot be "
             "inferred)", None, caller)
    return codes.astype(np.intp), p, uniq


# ---------------------------------------------------------------- core maths


def _round_preserving_sum(x: FloatArray) -> npt.NDArray[np.int64]:
    """Round to integers keeping the (rounded) total: adjust the largest remainders."""
    ints = np.round(x)
    target = np.round(x.sum())
    diff = int(np.round(target - ints.sum()))
    while diff != 0:
        step = 1 if diff > 0 else -1
        m = min(abs(diff), x.shape[0])
        rem = x - ints
        order = np.argsort(rem)
        picks = order[::-1][:m] if step > 0 else order[:m]
        ints[picks] += step
        diff = int(np.round(target - ints.sum()))
    return ints.astype(np.int64)


def _round_rows(m: FloatArray) -> npt.NDArray[np.int64]:
    return np.vstack([_round_preserving_sum(row) for row in m])


def _thresholds(codes: IntArray, p: FloatArray) -> FloatArray:
    """Per-class confident threshold: mean self-confidence of the rows given that class."""
    k = p.shape[1]
    counts = np.bincount(codes, minlength=k).astype(np.float64)
    sums = np.bincount(codes, weights=p[np.arange(codes.shape[0]), codes], minlength=k)
    t = np.full(k, 2.0)  # a class nobody was given can never be confidently predicted
    seen = counts > 0
    t[seen] = sums[seen] / counts[seen]
    return np.asarray(np.maximum(t, 2 * _EPS), dtype=np.float64)


def _joint_counts(codes: IntArray, p: FloatArray) -> tuple[npt.NDArray[np.int64], IntArray]:
    """Uncalibrated confident joint C[given, true] and the off-diagonal row indices."""
    k = p.shape[1]
    confident = p >= _thresholds(codes, p) - _EPS
    n_conf = confident.sum(axis=1)
    guess = np.where(n_conf > 1, p.argmax(axis=1), confident.argmax(axis=1))
    rows = n_conf > 0
    cj = np.bincount(codes[rows] * k + guess[rows], minlength=k * k).reshape(k, k)
    np.fill_diagonal(cj, np.maximum(cj.diagonal(), 1))
    off = np.flatnonzero(rows & (guess != codes))
    return cj.astype(np.int64), off


def _calibrate(cj: npt.NDArray[np.int64], codes: IntArray) -> npt.NDArray[np.int64]:
    k = cj.shape[0]
    counts = np.bincount(codes, minlength=k).astype(np.float64)
    c = cj / np.maximum(cj.sum(axis=1), _TINY)[:, None] * counts[:, None]
    c = c / max(float(c.sum()), _TINY) * counts.sum()
    return _round_rows(c)


def _given_matches_max(codes: IntArray, p: FloatArray) -> npt.NDArray[np.bool_]:
    """Rows whose given label is (within 1e-6) the most probable: never an issue."""
    q = p.copy()
    q[np.arange(codes.shape[0]), codes] += _EPS
    return np.asarray(q.argmax(axis=1) == codes)


def _scores(codes: IntArray, p: FloatArray, rank_by: str) -> FloatArray:
    idx = np.arange(codes.shape[0])
    self_conf = p[idx, codes]
    if rank_by == "self_confidence":
        return np.asarray(self_conf, dtype=np.float64)
    other = p.copy()
    other[idx, codes] = -np.inf
    return np.asarray((self_conf - other.max(axis=1) + 1.0) / 2.0, dtype=np.float64)


def _prune_matrix(cj: npt.NDArray[np.int64], min_per_class: int) -> npt.NDArray[np.int64]:
    """Transpose of the calibrated joint with at least ``min_per_class`` rows kept per class."""
    m = cj.T.astype(np.float64)
    diag = m.diagonal().copy()
    new_diag = np.maximum(diag, min_per_class)
    extra = new_diag - diag
    per_col = np.maximum(np.count_nonzero(m, axis=0) - 1.0, 1.0)
    out = m - extra / per_col
    out[out < 0] = 0
    np.fill_diagonal(out, new_diag)
    return _round_rows(out.astype(np.int64).astype(np.float64))


# ---------------------------------------------------------------- results


# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class NoiseMatrix:
    """Estimated label noise: how often each true class was given each label.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        Class labels, the order of every axis below.
    confident_joint : ndarray of shape (n_classes, n_classes)
        Calibrated counts ``C[i, j]`` of rows given label ``i`` whose true
        label is estimated to be ``j`` (rows sum to the label counts).
    joint : ndarray of shape (n_classes, n_classes)
        ``confident_joint`` normalised to sum to 1: ``P(given=i, true=j)``.
    noise_matrix : ndarray of shape (n_classes, n_classes)
        ``P(given=i | true=j)`` (columns sum to 1). The column of a class no
        row is estimated to truly belong to is NaN: the distribution is
        undefined (cleanlab leaves such a column at zeros, which no
        distribution is).
    inverse_noise_matrix : ndarray of shape (n_classes, n_classes)
        ``P(true=j | given=i)`` stored as ``[j, i]`` (columns sum to 1); NaN
        in the column of a class of ``y_proba`` no row was given.
    prior : ndarray of shape (n_classes,)
        Estimated distribution of the true labels.
    noise_rates : ndarray of shape (n_classes,)
        Per given label ``i``, the estimated fraction of its rows whose true
        label differs: ``1 - P(true=i | given=i)`` (NaN for a class of
        ``y_proba`` that no row was given).
    noise_fraction : float
        Estimated fraction of wrong labels overall, ``1 - trace(joint)``.
    n_samples : int

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import estimate_noise_matrix
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> y_proba = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])
    >>> nm = estimate_noise_matrix(y, y_proba)
    >>> nm.confident_joint
    array([[2, 1],
           [0, 3]])
    >>> round(nm.noise_fraction, 3)
    0.167
    """

    classes: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    confident_joint: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    joint: FloatArray = attrs.field(eq=ARRAY_EQ)
    noise_matrix: FloatArray = attrs.field(eq=ARRAY_EQ)
    inverse_noise_matrix: FloatArray = attrs.field(eq=ARRAY_EQ)
    prior: FloatArray = attrs.field(eq=ARRAY_EQ)
    noise_rates: FloatArray = attrs.field(eq=ARRAY_EQ)
    noise_fraction: float = attrs.field(eq=ARRAY_EQ)
    n_samples: int

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return ``noise_fraction`` and the per-class noise rates as floats.

        Rates are keyed ``noise_rate.<class>``; classes that read the same
        (``1`` and ``"1"``) are keyed by their ``repr`` (``noise_rate.'1'``).
        """
        out = {"noise_fraction": self.noise_fraction}
        classes = self.classes.tolist()
        texts = [str(c) for c in classes]
        for c, text, r in zip(classes, texts, self.noise_rates.tolist(), strict=True):
            # classes 1 and "1" both read "noise_rate.1": the second overwrote the
            # first's rate; such classes are keyed by repr ("noise_rate.'1'")
            out[f"noise_rate.{repr(c) if texts.count(text) > 1 else text}"] = float(r)
        return flat_metrics(out)

    def __repr__(self) -> str:
        rates = ", ".join(format_value(r, 3) for r in self.noise_rates)
        return (f"NoiseMatrix(noise_fraction={format_value(self.noise_fraction, 3)}, "
                f"noise_rates=[{rates}], n_samples={self.n_samples})")

    def _repr_html_(self) -> str:
        rows = [[str(c), *self.confident_joint[i].tolist(), float(self.noise_rates[i])]
                for i, c in enumerate(self.classes.tolist())]
        heads = ["given \\ true", *[str(c) for c in self.classes.tolist()], "noise rate"]
        return html_table(rows, heads, caption=repr(self))


# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class LabelIssues:
    """Rows whose given label is probably wrong, most severe first.

    Attributes
    ----------
    indices : ndarray of int
        Row indices of the issues, ranked from the least likely label to be
        correct (lowest ``label_quality``) to the most.
    label_quality : ndarray of shape (n_samples,)
        Score of every row's given label (``rank_by``): low means likely wrong.
    given_labels : ndarray
        The given label of each issue (same order as ``indices``).
    suggested_labels : ndarray
        The most probable class of each issue under ``y_proba``.
    noise : NoiseMatrix
        The estimated noise rates behind the decision.
    method : str
        How issues were selected (see :func:`find_label_issues`).
    rank_by : str
        ``"self_confidence"`` or ``"normalized_margin"``.
    n_samples : int

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import find_label_issues
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> y_proba = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])
    >>> res = find_label_issues(y, y_proba)
    >>> res.indices, res.n_issues
    (array([2]), 1)
    """

    indices: IntArray = attrs.field(eq=ARRAY_EQ)
    label_quality: FloatArray = attrs.field(eq=ARRAY_EQ)
    given_labels: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    suggested_labels: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    noise: NoiseMatrix
    method: str
    rank_by: str
    n_samples: int

    @property
    def n_issues(self) -> int:
        """Number of rows flagged."""
        return int(self.indices.shape[0])

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        """Boolean mask of length ``n_samples``, True at the issues."""
        m = np.zeros(self.n_samples, dtype=bool)
        m[self.indices] = True
        return m

    @property
    def ranks(self) -> IntArray:
        """Rank of each issue (0 = most severe), in the order of ``indices``."""
        return np.arange(self.n_issues, dtype=np.intp)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict (``label_quality`` left out)."""
        out = attrs_to_dict(self, exclude=("label_quality",))
        out["n_issues"] = self.n_issues
        return out

    def to_metrics(self) -> dict[str, float]:
        """Return counts, the issue fraction and the estimated noise rates."""
        base = {"n_issues": self.n_issues, "n_samples": self.n_samples,
                "issue_fraction": self.n_issues / max(self.n_samples, 1)}
        return {**flat_metrics(base), **self.noise.to_metrics()}

    def __repr__(self) -> str:
        head = ", ".join(str(i) for i in self.indices[:5].tolist())
        more = ", ..." if self.n_issues > 5 else ""
        return (f"LabelIssues(n_issues={self.n_issues}, n_samples={self.n_samples}, "
                f"indices=[{head}{more}], "
                f"noise_fraction={format_value(self.noise.noise_fraction, 3)}, "
                f"method={self.method!r}, rank_by={self.rank_by!r})")

    def _repr_html_(self) -> str:
        rows = [[int(i), self.given_labels[r], self.suggested_labels[r],
                 float(self.label_quality[i])]
                for r, i in enumerate(self.indices[:20].tolist())]
        return html_table(rows, ["row", "given", "suggested", self.rank_by],
                          caption=repr(self))


# ---------------------------------------------------------------- cross-fitting

_PARTITION = ("a splitter whose test folds hold every row exactly once (KFold, "
              "StratifiedKFold, GroupKFold, StratifiedGroupKFold, LeaveOneGroupOut)")


def _splitter_folds(
    cv: Any, Xa: FloatArray, ya: npt.NDArray[Any], ga: npt.NDArray[Any] | None, caller: str
) -> list[tuple[IntArray, IntArray]]:
    """Return a splitter's folds (given ``groups`` when it reads them), checked as the gain's.

    :func:`mllifecycle._gain.split_by` and, with ``groups``,
    :func:`mllifecycle._gain.refuse_split_groups`: a twin in the training rows
    lends the held-out row its label.
    """
    splits = split_by(cv, Xa, ya, ga, caller)
    if ga is not None:
        refuse_split_groups(splits, ga, cv, caller)
    return splits


def _check_partition(splits: list[tuple[IntArray, IntArray]], n: int, cv: Any,
                     caller: str) -> None:
    """Refuse folds whose test rows are not a partition of the rows.

    Each row's probabilities come from the one fold holding it out: a row
    held out twice (``ShuffleSplit``) would keep whichever fold came last,
    a row never held out would have none.
    """
    held = np.bincount(np.concatenate([np.asarray(te, dtype=np.intp) for _, te in splits]),
                       minlength=n)
    name = type(cv).__name__
    if (held > 1).any():
        twice = np.flatnonzero(held > 1)
        fail("cv", _PARTITION,
             described(f"{name} holding out {twice.shape[0]} row(s) more than once (row "
                       f"{int(twice[0])} in {int(held[twice[0]])} test folds)"), caller)
    if (held == 0).any():
        never = np.flatnonzero(held == 0)
        fail("cv", _PARTITION,
             described(f"{name} never holding out {never.shape[0]} row(s) (the first "
                       f"{int(never[0])})"), caller)


# ---------------------------------------------------------------- public API


def out_of_fold_proba(
    estimator: Any,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    cv: Any = 5,
    groups: Any = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> FloatArray:
    """Class probabilities of every row from a model that never saw its label.

    Stratified k-fold cross-fitting: a clone of ``estimator`` is fitted on all
    folds but one and predicts the held-out fold. Columns follow the sorted
    class labels of ``y`` (as ``estimator.classes_`` would); a class missing
    from a training fold gets probability 0 in that fold's rows. Confident
    learning needs these out-of-sample probabilities: in-sample ones
    memorise the noise and hide it.

    Parameters
    ----------
    estimator : scikit-learn classifier with ``predict_proba``
        Cloned for every fold (an unset ``random_state`` seeded from ``rng``);
        never mutated.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        A pandas ``y`` whose index holds ``X``'s row labels in another order
        is matched to ``X``'s rows by label (``mllifecycle._frames.in_row_order``).
    cv : int or cross-validation splitter, default=5
        Number of stratified folds (shuffled with ``rng``; with ``groups``,
        scikit-learn's ``StratifiedGroupKFold``), or a splitter with
        ``split(X, y)`` (called as ``split(X, y, groups)`` with ``groups``
        when it reads them). Its test folds must hold every row exactly
        once (``KFold``, ``StratifiedKFold``, ``GroupKFold``,
        ``LeaveOneGroupOut``...): a splitter leaving rows out of every test
        fold or holding a row out twice (``ShuffleSplit``), or whose
        training rows include its test rows, is refused naming ``cv``
        (boolean masks are read as masks).
    groups : array-like of shape (n_samples,), optional
        Group of every row (a patient, a session, near-duplicate rows).
        Rows of one group are held out together, so a row's probabilities
        come from a model that saw none of its group: split between folds,
        a twin carrying the same wrong label makes the wrong label look
        confident, and confident learning misses it. A group splitter
        without ``groups`` is refused naming ``groups``, a split putting one
        group on both sides naming ``cv``; a missing group label is
        refused. A pandas Series is matched to a pandas ``X`` by row label,
        as ``y`` is.
    n_jobs : int, optional
        Folds fitted in parallel with joblib.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the fold assignment and the estimator clones.

    Returns
    -------
    ndarray of shape (n_samples, n_classes)

    Raises
    ------
    TypeError
        If ``estimator`` has no ``predict_proba``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import out_of_fold_proba
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (50, 2)), rng.normal(3, 1, (50, 2))]
    >>> y = np.repeat([0, 1], 50)
    >>> out_of_fold_proba(LogisticRegression(), X, y, rng=0).shape
    (100, 2)
    """
    caller = "out_of_fold_proba"
    check_has_methods(estimator, "estimator", ["fit", "predict_proba"], caller)
    # a pandas y with X's row labels in another order: matched by label (the
    # probabilities follow X's rows)
    y = in_row_order(y, X, "y", "X", caller)
    Xa = check_array(X, "X", caller=caller, ndim=2)
    ya = _labels(y, caller)
    if ya.shape[0] != Xa.shape[0]:
        fail("y", f"one label per row of 'X' ({Xa.shape[0]})",
             described(f"{ya.shape[0]} label(s)"), caller)
    # [True, 1] held two 1s (one class), ["1", 1] two "1"s; [0, "a"] has no sorted order
    check_labels_of_one_kind(ya, "y", caller, expected="labels of one kind (all text, all "
                             "numbers or all booleans; the columns follow the sorted labels)")
    gen = check_rng(rng, caller=caller)
    from sklearn.model_selection import StratifiedKFold

    from mllifecycle._estimators import new_seed, seeded_clone

    try:
        classes, codes = np.unique(ya, return_inverse=True)
    except TypeError:  # one kind NumPy cannot sort: no sorted column order exists
        fail("y", "labels of one comparable type (the columns follow the sorted labels)",
             described("labels NumPy cannot sort"), caller)
    if classes.shape[0] < 2:
        fail("y", "labels of at least 2 classes", described("a single class"), caller)
    ga = None if groups is None else check_groups(groups, X, Xa.shape[0], caller)
    cv = check_cv(cv, caller)
    if not is_splitter(cv):
        folds = cv
        smallest = int(np.bincount(codes).min())
        if smallest < folds:
            fail("cv", f"at most the size of the smallest class ({smallest})", cv, caller)
        fold_seed = int(gen.integers(2**31 - 1))
        if ga is None:
            splitter: Any = StratifiedKFold(n_splits=folds, shuffle=True,
                                            random_state=fold_seed)
            splits = list(splitter.split(Xa, ya))
        else:
            # whole groups per fold (StratifiedGroupKFold), as the gain estimates fold them
            splits = cv_splits(folds, 1, codes, classification=True, seed=fold_seed,
                               caller=caller, require_stratified=True, groups=ga)
    else:
        splits = _splitter_folds(cv, Xa, ya, ga, caller)
    _check_partition(splits, Xa.shape[0], cv, caller)
    # an unset random_state (a forest's, a boosted model's) seeded from rng: the
    # same rng gives the same probabilities
    seed = new_seed(gen)

    def one(train: IntArray, test: IntArray) -> tuple[IntArray, FloatArray]:
        model = seeded_clone(estimator, seed).fit(Xa[train], ya[train])
        part = np.asarray(model.predict_proba(Xa[test]), dtype=np.float64)
        out = np.zeros((test.shape[0], classes.shape[0]))
        cols = np.searchsorted(classes, np.asarray(model.classes_))
        out[:, cols] = part
        return test, out

    if n_jobs is None or n_jobs == 1:
        parts = [one(tr, te) for tr, te in splits]
    else:
        from sklearn.utils.parallel import Parallel, delayed  # with the caller's sklearn config

        parts = Parallel(n_jobs=n_jobs)(delayed(one)(tr, te) for tr, te in splits)
    y_proba = np.full((Xa.shape[0], classes.shape[0]), np.nan)
    for test, out in parts:
        y_proba[test] = out
    return y_proba


def confident_joint(
    y: npt.ArrayLike, y_proba: Any, *, classes: npt.ArrayLike | None = None,
    calibrate: bool = True,
) -> npt.NDArray[np.int64]:
    """Count the rows given label ``i`` that are confidently of class ``j``.

    A row counts in ``C[i, j]`` when its probability of class ``j`` reaches
    ``t_j``, the mean probability of ``j`` over the rows given ``j`` (the
    most probable such class if several do); rows confident in no class are
    not counted. With ``calibrate`` the rows of ``C`` are rescaled to the
    label counts and the total to the number of rows, then rounded keeping
    the row totals [1]_.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Given labels: integers ``0..n_classes-1``, or labels listed in ``classes``.
    y_proba : array-like of shape (n_samples, n_classes)
        Out-of-sample class probabilities (or a result with ``y_proba``, such
        as a crowd aggregation).
    classes : array-like, optional
        Class labels in the column order of ``y_proba``.
    calibrate : bool, default=True

    Returns
    -------
    ndarray of shape (n_classes, n_classes)

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident learning:
       estimating uncertainty in dataset labels", JAIR 70, 1373-1411 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import confident_joint
    >>> y = np.array([0, 0, 1, 1])
    >>> y_proba = np.array([[.9, .1], [.2, .8], [.1, .9], [.3, .7]])
    >>> confident_joint(y, y_proba, calibrate=False)
    array([[1, 1],
           [0, 1]])
    """
    # calibrate="no" is truthy: it calibrated
    calibrate = check_bool(calibrate, "calibrate", "confident_joint")
    codes, p, _ = _check_inputs(y, y_proba, classes, "confident_joint")
    cj, _ = _joint_counts(codes, p)
    return _calibrate(cj, codes) if calibrate else cj


def estimate_noise_matrix(
    y: npt.ArrayLike, y_proba: Any, *, classes: npt.ArrayLike | None = None
) -> NoiseMatrix:
    """Estimate how labels were corrupted, from the calibrated confident joint.

    The calibrated confident joint ``C`` (see :func:`confident_joint`),
    normalised, estimates ``P(given, true)``; its column and row
    normalisations give the noise matrix ``P(given | true)`` and the inverse
    noise matrix ``P(true | given)`` of Northcutt et al. [1]_.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Given labels.
    y_proba : array-like of shape (n_samples, n_classes)
        Out-of-sample class probabilities (or a result with ``y_proba``).
    classes : array-like, optional
        Class labels in the column order of ``y_proba``.

    Returns
    -------
    NoiseMatrix

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident learning:
       estimating uncertainty in dataset labels", JAIR 70, 1373-1411 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import estimate_noise_matrix
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> y_proba = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])
    >>> estimate_noise_matrix(y, y_proba).noise_rates.round(3)
    array([0.333, 0.   ])
    """
    codes, p, cls = _check_inputs(y, y_proba, classes, "estimate_noise_matrix")
    return _noise(codes, p, cls)


def _noise(codes: IntArray, p: FloatArray, cls: npt.NDArray[Any]) -> NoiseMatrix:
    cj_raw, _ = _joint_counts(codes, p)
    cj = _calibrate(cj_raw, codes)
    joint = cj / max(float(cj.sum()), _TINY)
    true_tot = joint.sum(axis=0)
    given_tot = joint.sum(axis=1)
    # a column is a conditional distribution: of a class no row is estimated to
    # be (true) or was given, it is undefined (NaN), not a column of zeros
    nm = np.where(true_tot > 0, joint / np.where(true_tot > 0, true_tot, 1.0), np.nan)
    inv = np.where(given_tot > 0, joint.T / np.where(given_tot > 0, given_tot, 1.0), np.nan)
    return NoiseMatrix(
        classes=cls, confident_joint=cj, joint=joint, noise_matrix=nm,
        inverse_noise_matrix=inv, prior=true_tot,
        # a label no row was given has no rows to be wrong: NaN, not 1.0 ("all wrong")
        noise_rates=np.where(given_tot > 0, 1.0 - inv.diagonal(), np.nan),
        noise_fraction=float(1.0 - np.trace(joint)), n_samples=int(codes.shape[0]),
    )


def label_quality(
    y: npt.ArrayLike, y_proba: Any, *, rank_by: str = "self_confidence",
    classes: npt.ArrayLike | None = None,
) -> FloatArray:
    """Score each row's given label; low scores are likely label errors.

    ``"self_confidence"`` is the probability of the given label;
    ``"normalized_margin"`` is ``(p_given - max p_other + 1) / 2`` [1]_.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples, n_classes)
    rank_by : {"self_confidence", "normalized_margin"}, default="self_confidence"
    classes : array-like, optional

    Returns
    -------
    ndarray of shape (n_samples,)

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident learning:
       estimating uncertainty in dataset labels", JAIR 70, 1373-1411 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import label_quality
    >>> label_quality([0, 1], np.array([[.9, .1], [.6, .4]]), rank_by="normalized_margin")
    array([0.9, 0.4])
    """
    rank_by = check_option(rank_by, "rank_by", _RANKS, "label_quality")
    codes, p, _ = _check_inputs(y, y_proba, classes, "label_quality")
    return _scores(codes, p, rank_by)


def find_label_issues(
    y: npt.ArrayLike,
    y_proba: Any,
    *,
    method: str = "prune_by_noise_rate",
    rank_by: str = "self_confidence",
    classes: npt.ArrayLike | None = None,
    min_examples_per_class: int = 1,
) -> LabelIssues:
    """Find the rows whose given label is probably wrong (confident learning).

    From out-of-sample probabilities (:func:`out_of_fold_proba`, or the
    posterior of a crowd aggregation), Northcutt et al.'s confident
    learning [1]_ estimates the confident joint of given and true labels,
    then selects issues by ``method``:

    - ``"confident_joint"``: the rows counted off the diagonal of the
      (uncalibrated) confident joint;
    - ``"prune_by_class"``: in each given class ``i``, the ``n_i - C[i, i]``
      rows with the lowest probability of ``i`` (``C`` calibrated);
    - ``"prune_by_noise_rate"`` (default): for each off-diagonal cell
      ``(i, j)``, the ``C[i, j]`` rows given ``i`` with the largest margin
      ``p_j - p_i``;
    - ``"both"``: rows selected by both pruning rules;
    - ``"predicted_neq_given"``: the baseline ``argmax(y_proba) != y``.

    In every method a row whose given label is the most probable one (within
    1e-6) is never an issue, and pruning keeps at least
    ``min_examples_per_class`` rows per class. Issues are ranked by
    ``rank_by`` (lowest score first). Selection and ranking follow the
    reference implementation (cleanlab), and agree with it on the same input.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Given labels: integers ``0..n_classes-1``, labels listed in
        ``classes``, or (when there are exactly ``n_classes`` distinct ones)
        any labels in sorted order. A pandas ``y`` whose index holds the row
        labels of a pandas ``y_proba`` in another order is matched to
        ``y_proba``'s rows by label (positions in the result are its rows).
    y_proba : array-like of shape (n_samples, n_classes) or result with ``y_proba``
        Out-of-sample class probabilities; a crowd aggregation result (with
        ``y_proba`` and ``classes``) is accepted as is, ``y`` then giving one
        label per row of its ``y_proba`` (its task order; a pandas ``y``
        indexed by task id in another order is matched by task). A table
        whose columns name every label of ``y`` (``model.classes_``) is read
        by name, as the gates and ``CBPE`` read it: text by text, numbers by
        value (a label ``1.0`` is named by ``1`` or ``"1"``), a bool naming no
        number; further columns are classes no row was given. A table naming
        some labels of ``y`` but not all, or one label twice, is refused; one
        naming none is read as an array.
    method : str, default="prune_by_noise_rate"
        One of ``"prune_by_noise_rate"``, ``"prune_by_class"``, ``"both"``,
        ``"confident_joint"``, ``"predicted_neq_given"``.
    rank_by : {"self_confidence", "normalized_margin"}, default="self_confidence"
    classes : array-like, optional
        Class labels in the column order of ``y_proba``.
    min_examples_per_class : int, default=1
        Pruning never leaves a class with fewer rows than this.

    Returns
    -------
    LabelIssues
        ``indices`` ranked most-severe first, ``label_quality`` of every row,
        the ``noise`` estimate (noise matrix and per-class noise rates).

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident learning:
       estimating uncertainty in dataset labels", JAIR 70, 1373-1411 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import find_label_issues, out_of_fold_proba
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(4, 1, (200, 2))]
    >>> y = np.repeat([0, 1], 200)
    >>> y[:10] = 1  # ten wrong labels
    >>> y_proba = out_of_fold_proba(LogisticRegression(), X, y, rng=0)
    >>> res = find_label_issues(y, y_proba)
    >>> res.n_issues, set(res.indices.tolist()) <= set(range(10))
    (9, True)
    """
    caller = "find_label_issues"
    method = check_option(method, "method", _METHODS, caller)
    rank_by = check_option(rank_by, "rank_by", _RANKS, caller)
    min_keep = check_int(min_examples_per_class, "min_examples_per_class", caller=caller,
                         low=0)
    codes, p, cls = _check_inputs(y, y_proba, classes, caller)
    n, k = p.shape
    noise = _noise(codes, p, cls)
    mask = np.zeros(n, dtype=bool)
    if method == "confident_joint":
        _, off = _joint_counts(codes, p)
        mask[off] = True
    elif method == "predicted_neq_given":
        mask = p.argmax(axis=1) != codes
    else:
        prune = _prune_matrix(noise.confident_joint, min_keep)  # [true, given]
        by_class = np.zeros(n, dtype=bool)
        by_rate = np.zeros(n, dtype=bool)
        for i in range(k):
            rows = np.flatnonzero(codes == i)
            if rows.shape[0] <= max(min_keep, 1):
                continue
            pi = p[rows]
            if method in ("prune_by_class", "both"):
                n_out = int(rows.shape[0] - prune[i, i])
                if n_out >= 1:
                    order = np.argsort(pi[:, i], kind="stable")
                    by_class[rows[order[:n_out]]] = True
            if method in ("prune_by_noise_rate", "both"):
                for j in range(k):
                    m = int(prune[j, i])
                    if j != i and m > 0:
                        order = np.argsort(-(pi[:, j] - pi[:, i]), kind="stable")
                        by_rate[rows[order[:m]]] = True
        mask = {"prune_by_class": by_class, "prune_by_noise_rate": by_rate,
                "both": by_class & by_rate}[method]
    mask &= ~_given_matches_max(codes, p)
    scores = _scores(codes, p, rank_by)
    idx = np.flatnonzero(mask)
    idx = idx[np.argsort(scores[idx], kind="stable")]
    return LabelIssues(
        indices=idx.astype(np.intp), label_quality=scores, given_labels=cls[codes[idx]],
        suggested_labels=cls[p[idx].argmax(axis=1)], noise=noise, method=method,
        rank_by=rank_by, n_samples=n,
    )
