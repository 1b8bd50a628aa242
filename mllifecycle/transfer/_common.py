"""Input checks and seeding shared by the transfer helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._frames import (
    collected,
    column_names,
    column_to_numpy,
    frame_to_numpy,
    in_row_order,
    is_frame,
    like,
    refuse_categorical_columns,
    refuse_duplicate_names,
    series_kind,
)
from mllifecycle._gain import known_classes_scorer
from mllifecycle._validation import (
    check_array,
    check_consistent_length,
    check_has_methods,
    check_labels_as_given,
    check_same_n_features,
    described,
    fail,
    label_kinds,
    refuse_sparse,
)

__all__ = [
    "collected",
    "check_xy",
    "check_pair_xy",
    "check_same_columns",
    "check_same_label_kind",
    "check_estimator_instance",
    "table_of",
    "column_scales",
    "scale_columns",
    "as_numpy",
    "refuse_categorical_table",
    "folds_for",
    "resolve_scorer",
    "FloatArray",
]

FloatArray = npt.NDArray[np.float64]



def as_numpy(x: Any, name: str, caller: str) -> Any:
    """Return a table or column as NumPy (nulls become NaN); refuse complex input.

    A table's columns typed categorical (pandas ``category``, polars
    ``Categorical``/``Enum``, pyarrow dictionary) are refused: their labels
    are not numbers, and distances, means or a model fitted on them as
    numbers would be silently wrong.
    """
    # np.asarray made a 0-D object array of a sparse matrix: refused as "a 2-D
    # array. Got a 0-D array of shape ()", a shape the caller never passed
    refuse_sparse(x, name, caller)
    if is_frame(x):
        refuse_categorical_table(x, name, caller)
        x = frame_to_numpy(x)
    elif series_kind(x) is not None:
        x = column_to_numpy(x)
    if np.iscomplexobj(x):
        fail(name, "real numbers (Complex data not supported: the imaginary part would "
             "be lost)", described("complex values"), caller)
    return x


def refuse_categorical_table(x: Any, name: str, caller: str) -> None:
    """Refuse a table with columns typed categorical, naming the first one."""
    refuse_categorical_columns(
        x, name, "numeric columns (a column typed categorical holds labels, not "
        "numbers: encode it first, e.g. one-hot)", caller,
    )


def column_scales(*arrays: FloatArray) -> FloatArray | None:
    """Per-column powers of two bringing columns above 1e150 or below 1e-150 into [1, 2).

    Joint over the arrays; other columns (and all-zero ones) get 1. Returns
    None when every column gets 1. Means, variances and squared distances of
    such columns overflow float64 (or underflow to 0, and a column of 1e-170s
    reads as constant); a power-of-two scale changes no digit.
    """
    top = np.max([np.max(np.abs(a), axis=0) for a in arrays], axis=0)
    odd = (top > 1e150) | ((top < 1e-150) & (top > 0.0))
    if not odd.any():
        return None
    scale = np.ones(top.shape[0])
    scale[odd] = np.ldexp(1.0, np.frexp(top[odd])[1] - 1)
    return scale


def scale_columns(*arrays: FloatArray) -> tuple[FloatArray, ...]:
    """Divide the arrays' columns by :func:`column_scales` (exact), jointly.

    A power-of-two scale leaves standardised values, neighbour orders and
    classifier decisions of scale-free methods as they were. The arrays are
    returned as they are when no column needs a scale.
    """
    scale = column_scales(*arrays)
    if scale is None:
        return arrays
    return tuple(a / scale for a in arrays)


def table_of(x: Any) -> Callable[[Any], Any] | None:
    """Return a function rebuilding arrays as tables of ``x``'s kind (None for arrays).

    Used so that an estimator given tables is fitted (and scored) on tables
    with the same column names, as the user would fit it.
    """
    if not is_frame(x):
        return None

    def rebuild(arr: Any) -> Any:
        return like(x, arr)

    return rebuild


def check_xy(
    data: Any, name: str, caller: str, *, min_samples: int = 1
) -> tuple[FloatArray, npt.NDArray[Any]]:
    """Check ``data`` is a pair ``(X, y)`` of a 2-D numeric X and 1-D labels.

    Pandas ``X`` and ``y`` are paired by row label when their indexes hold the
    same labels in another order (:func:`mllifecycle._frames.in_row_order`):
    ``y`` is returned in ``X``'s row order.
    """
    if not isinstance(data, Sequence) or isinstance(data, str | bytes) or len(data) != 2:
        fail(name, "a pair (X, y) of features and labels", data, caller)
    # a shuffled X with y sorted by index was trained and scored on mismatched rows
    # (named as code, for the fix the message shows: source[1].loc[source[0].index])
    y_in = in_row_order(data[1], data[0], f"{name}[1]", f"{name}[0]", caller)
    cols = column_names(data[0])
    if cols is not None:
        # the table reaches the estimator as it is, and scikit-learn refuses repeated
        # feature names (in finetune's weight tuning the error was hidden behind
        # "every candidate failed")
        refuse_duplicate_names(cols, f"{name}[0] (X)", caller)
    x = check_array(as_numpy(data[0], f"{name}[0] (X)", caller), f"{name}[0] (X)",
                    caller=caller, ndim=2, min_samples=min_samples)
    y = check_array(as_numpy(y_in, f"{name}[1] (y)", caller), f"{name}[1] (y)",
                    caller=caller, ndim=1, dtype="any", min_samples=min_samples)
    check_labels_as_given(y_in, y, f"{name}[1] (y)", caller)
    if y.dtype.kind == "O" and set(label_kinds(y)) == {"numbers"}:
        # numbers held as objects (a pandas ``category`` column of ints or floats):
        # scikit-learn reads an object array of numbers as an 'unknown' target
        num = np.asarray(y.tolist())
        if num.dtype.kind in "iuf":
            y = num
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        fail(f"{name}[1] (y)", "finite", described("infinite value(s)"), caller)
    check_consistent_length([x, y], [f"{name}[0] (X)", f"{name}[1] (y)"], caller)
    return x, y


def check_same_columns(a: Any, b: Any, names: tuple[str, str], caller: str) -> None:
    """Refuse two tables whose column names differ (in name or in order).

    The helpers work on the NumPy values, by position: a target table with the
    source's columns in another order would be silently misaligned.
    """
    ca, cb = column_names(a), column_names(b)
    if ca is None or cb is None or [str(c) for c in ca] == [str(c) for c in cb]:
        return
    shown = ", ".join(repr(str(c)) for c in ca[:8]) + (", ..." if len(ca) > 8 else "")
    got = ", ".join(repr(str(c)) for c in cb[:8]) + (", ..." if len(cb) > 8 else "")
    fail(names[1], f"a table with the columns of {names[0]} in the same order ({shown})",
         described(f"the columns ({got})"), caller)


def _label_kind(y: npt.NDArray[Any]) -> str | None:
    """Return the one kind of ``y``'s labels (:func:`label_kinds`), or None when empty."""
    kinds = label_kinds(y)
    return next(iter(kinds)) if kinds else None


def check_same_label_kind(
    first: npt.NDArray[Any], other: npt.NDArray[Any], names: tuple[str, str], caller: str
) -> None:
    """Refuse labels of one kind in one data set and of another in the other.

    Pooled (or fitted one after the other) they would merge ``'1'`` and ``1``
    (or ``True`` and ``1``) into one class, or make every fit on both fail.
    """
    a, b = _label_kind(first), _label_kind(other)
    if a is not None and b is not None and a != b:
        fail(names[1], f"labels of the same kind as {names[0]} (numbers, text or booleans, "
             "not a mix: '1', 1 and True are different labels)", described(f"{b} after {a}"),
             caller)


def check_pair_xy(
    source: Any, target: Any, caller: str, names: tuple[str, str] = ("source", "target")
) -> tuple[FloatArray, npt.NDArray[Any], FloatArray, npt.NDArray[Any]]:
    """Check a source and a target pair share their number of features (and columns)."""
    if isinstance(source, Sequence) and isinstance(target, Sequence) and \
            len(source) == 2 and len(target) == 2:
        check_same_columns(source[0], target[0], (f"{names[0]}[0] (X)", f"{names[1]}[0] (X)"),
                           caller)
    xs, ys = check_xy(source, names[0], caller)
    xt, yt = check_xy(target, names[1], caller)
    check_same_n_features(xs, xt, (f"{names[0]}[0] (X)", f"{names[1]}[0] (X)"), caller)
    check_same_label_kind(ys, yt, (f"{names[0]}[1] (y)", f"{names[1]}[1] (y)"), caller)
    return xs, ys, xt, yt


def check_estimator_instance(estimator: Any, methods: Sequence[str], caller: str) -> None:
    """Check ``estimator`` is an estimator instance (not a class) with ``methods``."""
    if isinstance(estimator, type):
        fail("estimator", "an estimator instance (e.g. LogisticRegression())",
             described(f"the class {estimator.__name__}"), caller)
    check_has_methods(estimator, "estimator", methods, caller)


def folds_for(
    y: npt.NDArray[Any], n_splits: int, seed: int, *, classifier: bool,
    n_repeats: int = 1,
) -> Any:
    """Stratified (when every class has enough rows) or plain shuffled folds."""
    from sklearn.model_selection import (
        KFold,
        RepeatedKFold,
        RepeatedStratifiedKFold,
        StratifiedKFold,
    )

    stratify = False
    if classifier:
        _, counts = np.unique(y, return_counts=True)
        stratify = bool(counts.min() >= n_splits)
    if n_repeats > 1:
        if stratify:
            return RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats,
                                           random_state=seed)
        return RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    if stratify:
        return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


def resolve_scorer(estimator: Any, scoring: Any, caller: str) -> Any:
    """Return a scikit-learn scorer (higher is better) for ``scoring``.

    A scorer of a probabilistic metric whose ``labels`` name the columns of
    the probabilities (``"neg_log_loss"``, ``"neg_brier_score"``...) is told
    the classes of each model it scores (:func:`mllifecycle._gain.known_classes_scorer`).
    """
    from sklearn.metrics import check_scoring

    if scoring is not None and not (isinstance(scoring, str) or callable(scoring)):
        fail("scoring", "None, a scikit-learn scorer name or a callable", scoring, caller)
    try:
        scorer = check_scoring(estimator, scoring=scoring)
    except (ValueError, TypeError) as exc:
        fail("scoring", "None, a scikit-learn scorer name or a callable",
             described(f"{scoring!r} ({exc})"), caller)
    return known_classes_scorer(scorer)
