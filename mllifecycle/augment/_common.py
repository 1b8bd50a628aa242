"""Validation, class-count planning and neighbour helpers shared by the augmenters."""

from __future__ import annotations

import functools
import numbers
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec

import numpy as np
import numpy.typing as npt

from mllifecycle._frames import (
    categorical_columns,
    column_names,
    column_to_numpy,
    frame_to_numpy,
    in_row_order,
    is_frame,
    label_is_number,
    like,
    series_kind,
    series_like,
)
from mllifecycle._frames import (
    refuse_categorical_columns as _refuse_categorical,
)
from mllifecycle._validation import (
    check_array,
    check_consistent_length,
    check_int,
    check_labels_as_given,
    check_labels_of_one_kind,
    check_same_label_kind,
    described,
    fail,
    label_kinds,
    refuse_sparse,
)
from mllifecycle.exceptions import DegenerateDataWarning

__all__: list[str] = []

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def to_numpy(x: Any) -> Any:
    """Return a pandas/polars/pyarrow table or column as NumPy, ``x`` otherwise.

    Nulls (``pd.NA``, polars and pyarrow nulls) become NaN in numeric columns,
    so they are reported as missing values.
    """
    if is_frame(x):
        return frame_to_numpy(x)
    if series_kind(x) is not None:
        return column_to_numpy(x)
    return x


def refuse_complex(x: Any, name: str, caller: str) -> None:
    """Fail clearly on complex input (NumPy would drop the imaginary part)."""
    if np.iscomplexobj(x):
        fail(name, "real numbers (Complex data not supported: the imaginary part "
             "would be lost)", described("complex values"), caller)



#: Magnitude above which squares (distances, variances) would overflow float64.
_BIG = 1e150


def safe_scale(X: npt.NDArray[Any]) -> float:
    """Return a power of two that brings ``X`` under 2 in magnitude (1.0 if not needed).

    Squared distances and variances overflow float64 from magnitudes near
    1e154; dividing by a power of two first is exact (no rounding) and keeps
    the order of distances, so neighbours found on ``X / s`` are those of ``X``.
    """
    if X.size == 0:
        return 1.0
    top = float(np.max(np.abs(X)))
    if top <= _BIG:
        return 1.0
    # top = m * 2**e with 0.5 <= m < 1; dividing by 2**(e - 1) leaves it under 2
    return float(np.ldexp(1.0, int(np.frexp(top)[1]) - 1))


#: Magnitude below which squared differences would underflow to zero.
_TINY = 1e-100


def distance_scale(X: npt.NDArray[Any]) -> float:
    """Return a power of two to divide ``X`` by before computing squared distances.

    :func:`safe_scale` for large magnitudes; for tiny ones (all below
    ``1e-100``, whose squared differences underflow to 0 and tie every pair)
    a power of two that brings the largest under 2. Exact either way, so the
    neighbours of ``X / s`` are those of ``X``.
    """
    if X.size == 0:
        return 1.0
    top = float(np.max(np.abs(X)))
    if top <= _BIG and (top >= _TINY or top == 0.0):
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1]) - 1))


P = ParamSpec("P")


def refuse_categorical_columns(X: Any, caller: str) -> None:
    """Refuse a table with columns typed categorical (their labels are not numbers).

    An augmenter that interpolates or perturbs would turn a pandas
    ``Categorical`` of ints into fractional "categories".
    """
    _refuse_categorical(
        X, "X", "numeric columns (a column typed categorical holds labels, which this "
        "augmenter would interpolate or perturb: use smote_nc(categorical_features='auto'), "
        "or encode it)", caller,
    )


def _refuse_positions_naming_other_columns(items: list[Any], X: Any, caller: str) -> None:
    """Refuse an int position that is also the name of another column of the table ``X``.

    An int is a position (as in scikit-learn and the drift package); on a
    table whose columns are named ``[2, 0, 1]``, ``categorical_features=[2]``
    took the third column while the user may have meant the one named 2, and
    the categorical column was interpolated without a word.
    """
    names = [str(c) for c in (column_names(X) or [])]
    for k in items:
        j = int(k)
        pos = j + len(names) if j < 0 else j
        other = [p for p, nm in enumerate(names) if p != pos and label_is_number(nm, j)]
        if other:
            p = other[0]
            at = f"column {names[pos]!r}" if 0 <= pos < len(names) else "no column"
            fail("categorical_features",
                 "column positions that are not the name of another column (an int is a "
                 f"position; pass the name as text, {names[p]!r}, or a boolean mask of "
                 "the columns)",
                 described(f"{j}, both the position of {at} and the name of the column "
                           f"at position {p}"), caller)


def table_categorical_features(categorical_features: Any, X: Any, caller: str) -> Any:
    """Resolve ``"auto"`` and column names of the table ``X`` to column indices.

    ``"auto"``: the columns typed categorical (pandas ``category``, polars
    ``Categorical``/``Enum``, pyarrow dictionary), as imbalanced-learn's
    ``SMOTENC`` reads them; anything else is returned as it is. A column typed
    categorical left out of a list (or mask) is refused: it was interpolated
    as a number column, its categories coming back as fractions.
    """
    out = _table_categorical_features(categorical_features, X, caller)
    _refuse_typed_categorical_left_out(out, X, caller)
    return out


def _refuse_typed_categorical_left_out(resolved: Any, X: Any, caller: str) -> None:
    typed = categorical_columns(X)
    if not typed or isinstance(resolved, str | bytes) or resolved is None:
        return
    names = [str(c) for c in (column_names(X) or [])]
    p = len(names)
    try:
        arr = np.asarray(resolved)
    except (TypeError, ValueError):
        return
    if arr.ndim != 1:
        return
    if arr.dtype.kind == "b":
        if arr.size != p:
            return  # refused with its own message by smote_nc
        chosen = set(np.flatnonzero(arr).tolist())
    elif arr.dtype.kind in "iu":
        if arr.size and ((arr < -p).any() or (arr >= p).any()):
            return  # out of range: refused by smote_nc
        chosen = {int(j) + p if j < 0 else int(j) for j in arr.tolist()}
    else:
        return
    left = sorted(typed - chosen)
    if left:
        fail("categorical_features",
             "every column of X typed categorical (pandas category, polars Categorical/"
             "Enum, pyarrow dictionary) among the categorical columns, or 'auto' (a "
             "column typed categorical holds labels, which would be interpolated; "
             "convert it to numbers first to interpolate it)",
             described(f"column {names[left[0]]!r}, typed categorical, left out"), caller)


def _table_categorical_features(categorical_features: Any, X: Any, caller: str) -> Any:
    if isinstance(categorical_features, str) and categorical_features == "auto":
        typed = sorted(categorical_columns(X))
        return typed if typed else categorical_features
    if isinstance(categorical_features, str | bytes) or categorical_features is None:
        return categorical_features
    try:
        items = list(categorical_features)
    except TypeError:
        return categorical_features
    if items and all(isinstance(c, int | np.integer) and not isinstance(c, bool | np.bool_)
                     for c in items):
        _refuse_positions_naming_other_columns(items, X, caller)
        return categorical_features
    if not items or not all(isinstance(c, str) for c in items):
        return categorical_features
    names = [str(c) for c in (column_names(X) or [])]
    unknown = [c for c in items if c not in names]
    if unknown:
        fail("categorical_features", f"column names of X (columns: {names[:5]})",
             described(f"unknown column {unknown[0]!r}"), caller)
    repeated = [c for c in items if names.count(c) > 1]
    if repeated:
        # names.index would pick the first such column and leave the others
        # numeric: interpolated without a word
        fail("categorical_features", "column names that each name one column of X "
             "(or column indices)",
             described(f"{repeated[0]!r}, which names {names.count(repeated[0])} columns"),
             caller)
    return [names.index(c) for c in items]


def xy_positional(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Move ``X=`` and ``y=`` given by keyword to the front of ``args`` (in place for kwargs).

    ``smote(X=X, y=y)`` is a valid call of ``smote(X, y, *, ...)``; the
    wrappers read ``args[0]`` and ``args[1]`` and failed with a bare
    ``IndexError: tuple index out of range``.
    """
    out = list(args)
    for i, key in enumerate(("X", "y")):
        if len(out) == i and key in kwargs:
            out.append(kwargs.pop(key))
    return tuple(out)


def frame_io(fn: Callable[P, tuple[Any, ...]]) -> Callable[P, tuple[Any, ...]]:
    """Let an augmenter take tables and give back the same kind.

    A pandas/polars/pyarrow ``X`` comes back as the same kind of table with
    its column names (and a column's dtype where the values fit it exactly);
    a Series ``y`` (or ``sample_weight``) comes back as a Series of the same
    kind. NumPy in, NumPy out. A pandas ``y`` (or ``sample_weight``) whose
    index holds ``X``'s row labels in another order is read in ``X``'s row
    order (:func:`mllifecycle._frames.in_row_order`).
    """
    caller = fn.__name__

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> tuple[Any, ...]:
        args = xy_positional(args, kwargs)  # type: ignore[assignment]
        if len(args) < 2:
            return fn(*args, **kwargs)  # Python's own "missing argument" TypeError
        X = args[0]
        # a shuffled X with y sorted by index: every row was given another's label
        y = in_row_order(args[1], X, "y", "X", caller)
        win = kwargs.get("sample_weight")
        if win is not None:
            win = in_row_order(win, X, "sample_weight", "X", caller)
            kwargs["sample_weight"] = win
        Xin, yin = X, y
        if is_frame(X):
            refuse_inexact_integers(X, caller)  # lost when the table becomes floats
            if "categorical_features" in kwargs:
                kwargs["categorical_features"] = table_categorical_features(
                    kwargs["categorical_features"], X, caller
                )
            elif not (caller == "random_oversample" and kwargs.get("shrinkage") is None):
                # plain random oversampling copies rows: labels stay labels
                refuse_categorical_columns(X, caller)
        conv = list(args)
        conv[0] = to_numpy(X)
        conv[1] = to_numpy(y)
        if win is not None and series_kind(win) is not None:
            kwargs["sample_weight"] = column_to_numpy(win)
        out = fn(*conv, **kwargs)  # type: ignore[arg-type]
        if not (is_frame(Xin) or series_kind(yin) or series_kind(win)):
            return out
        res = list(out)
        if is_frame(Xin):
            res[0] = like(Xin, res[0])
        if series_kind(yin) is not None and np.ndim(res[1]) == 1:
            res[1] = series_like(yin, res[1])
        if len(res) > 2 and series_kind(win) is not None:
            res[2] = series_like(win, res[2])
        return tuple(res)

    return wrapper


#: Integers beyond this magnitude have no exact float64 (2**53 + 1 becomes 2**53).
_EXACT_INT = 2**53


def refuse_inexact_integers(X: Any, caller: str) -> None:
    """Refuse integer features that float64 cannot hold exactly (some beyond 2**53).

    The augmenters compute in float64: such a feature came back changed in
    the original rows too (``2**60 + 1``, ``+ 2`` and ``+ 3`` all became
    ``2**60``), in a table's integer column that looked exact.
    """
    if is_frame(X):
        from mllifecycle._frames import to_columns

        names, cols = to_columns(X)
        if any(c.dtype.kind not in "iufb" for c in cols):
            return  # a table with text columns travels as objects: its values kept
    elif isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "iu":
        names, cols = list(range(X.shape[1])), list(X.T)
    else:
        return
    for name, col in zip(names, cols, strict=True):
        v = _inexact_integer(col)
        if v is not None:
            fail("X", "integer features that float64 holds exactly (the augmenters "
                 "compute in float64; drop such a column, e.g. an id, or convert it "
                 "to float yourself)",
                 described(f"column {name!r} holding {v}, which float64 makes "
                           f"{int(float(v))}"), caller)


def _inexact_integer(col: npt.NDArray[Any]) -> int | None:
    """Return the first integer of ``col`` that float64 changes (beyond 2**53), or None."""
    if col.dtype.kind not in "iu" or not col.size:
        return None
    big = (col > _EXACT_INT) | (col < -_EXACT_INT)
    if big.any():
        for v in col[big].tolist():
            if int(float(v)) != v:
                return int(v)
    return None


def refuse_inexact_integer_target(y: npt.NDArray[Any], caller: str) -> None:
    """Refuse a regression target of integers that float64 cannot hold exactly.

    A mixed or interpolated target is float64, and the original rows' targets
    came back changed with it (``2**60 + 1`` became ``2**60``), as integer
    features did before :func:`refuse_inexact_integers`.
    """
    v = _inexact_integer(np.asarray(y))
    if v is not None:
        fail("y", "a target that float64 holds exactly (a regression target is "
             "computed in float64; convert it to float yourself if that change "
             "is acceptable)",
             described(f"the integer {v}, which float64 makes {int(float(v))}"), caller)


def _finite_sum(a: npt.NDArray[Any]) -> bool:
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(a.sum()))


def check_X(X: Any, caller: str) -> tuple[npt.NDArray[Any], np.dtype[Any]]:
    """Validate a numeric 2-D feature matrix.

    Returns the float array to compute on (C-contiguous, whatever the
    caller's layout) and the dtype of the output: a floating input keeps its
    dtype, anything else becomes float64.
    """
    refuse_sparse(X, "X", caller)
    refuse_inexact_integers(X, caller)
    raw = to_numpy(X)
    refuse_complex(raw, "X", caller)
    shape: tuple[int, ...] = (
        tuple(np.shape(raw)) if raw is not None and not isinstance(raw, str | bytes) else ()
    )
    if len(shape) == 2 and shape[-1] == 0:
        fail("X", "an array with at least 1 feature",
             described(f"0 feature(s) (shape={shape}) while a minimum of 1 is required"),
             caller)
    kind = getattr(raw, "dtype", None)
    out_dtype: np.dtype[Any] = np.dtype(np.float64)
    if kind is not None and np.dtype(kind).kind == "f":
        out_dtype = np.dtype(kind)
        if out_dtype.itemsize < 4:  # float16: compute and return float32
            out_dtype = np.dtype(np.float32)
    if (
        isinstance(raw, np.ndarray)
        and raw.dtype == np.float64
        and raw.ndim == 2
        and raw.shape[0] >= 1
        and raw.shape[1] >= 1
        and _finite_sum(raw)
    ):
        # fast path: a finite sum means no NaN and no inf (any would propagate)
        return np.ascontiguousarray(raw), out_dtype
    arr = check_array(raw, "X", caller=caller, ndim=2, min_samples=1)
    # one memory layout: reductions over rows (a column's spread) add in
    # another order in a Fortran-ordered array, so the last bit of the answer
    # depended on how the caller's X was laid out
    return np.ascontiguousarray(arr), out_dtype


def check_y(y: Any, n: int, caller: str) -> npt.NDArray[Any]:
    """Validate a 1-D target with ``n`` rows (any dtype; NaN rejected)."""
    if y is None:
        fail("y", "an array-like of targets",
             described("None (this augmenter requires y to be passed, but the target "
                       "y is None)"), caller)
    raw = to_numpy(y)
    refuse_complex(raw, "y", caller)
    arr = check_array(raw, "y", caller=caller, ndim=1, dtype="any")
    if arr.dtype.kind == "O":
        bad = np.array([v is None or (isinstance(v, float) and v != v) for v in arr])
        if bad.any():
            fail("y", "free of missing values (None or NaN)",
                 described(f"{int(bad.sum())} missing value(s)"), caller)
    # True == 1 and np.asarray([True, 1]) holds two 1s: a mix would merge classes
    check_labels_as_given(y, arr, "y", caller)
    if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
        fail("y", "finite", described("infinite value(s)"), caller)
    check_consistent_length([np.empty(n), arr], ["X", "y"], caller)
    return arr


def is_continuous(y: npt.NDArray[Any]) -> bool:
    """Whether ``y`` is a regression target: floats that are not all integers."""
    return y.dtype.kind == "f" and bool(np.any(y != np.round(y)))


def apportion(weights: npt.ArrayLike, total: int) -> IntArray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    The parts sum to exactly ``total``; ties in the remainders go to the
    earlier index.
    """
    w = np.asarray(weights, dtype=np.float64)
    s = w.sum()
    if total == 0 or s <= 0:
        return np.zeros(w.shape[0], dtype=np.intp)
    exact = w / s * total
    base = np.floor(exact).astype(np.intp)
    short = int(total - base.sum())
    if short > 0:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:short]] += 1
    out: IntArray = base
    return out


def encode_labels(
    y: npt.NDArray[Any], caller: str
) -> tuple[npt.NDArray[Any], IntArray, IntArray]:
    """Return sorted ``classes``, each row's class position and the class counts.

    Small-range integer labels are counted in O(n) with ``bincount``; other
    labels go through ``numpy.unique``.
    """
    if y.dtype.kind in "iu" and y.size:
        lo, hi = int(y.min()), int(y.max())
        if hi - lo <= 4 * y.size + 1024 and lo > -(2**62) and hi < 2**62:
            shifted = (y.astype(np.int64, copy=False) - lo).astype(np.intp)
            full = np.bincount(shifted)
            present = np.flatnonzero(full)
            lookup = np.full(full.size, -1, dtype=np.intp)
            lookup[present] = np.arange(present.size, dtype=np.intp)
            classes = (present + lo).astype(y.dtype)
            return classes, lookup[shifted], full[present].astype(np.intp)
    try:
        classes, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    except TypeError:
        fail("y", "labels of one comparable type (e.g. all str or all int)",
             described("labels of mixed types"), caller)
    return classes, inverse.astype(np.intp, copy=False), counts.astype(np.intp)


def class_plan(
    y: npt.NDArray[Any],
    sampling_strategy: Any,
    n_samples: Any,
    caller: str,
) -> tuple[npt.NDArray[Any], IntArray, IntArray, IntArray]:
    """Work out how many synthetic rows each class gets.

    Returns ``classes`` (sorted unique labels), ``inverse`` (class position of
    every row), ``counts`` and ``n_new`` (synthetic rows per class).
    """
    classes, inverse, counts = encode_labels(y, caller)
    if is_continuous(y):
        fail("y", "class labels (this augmenter balances classes; for a "
             "continuous target use smote_regression, or mixup/gaussian_noise/"
             "random_oversample with n_samples)",
             described(f"a continuous target with {classes.size} distinct values"),
             caller)
    if classes.size < 2 and n_samples is None:
        only = classes[0].item() if isinstance(classes[0], np.generic) else classes[0]
        fail("y", "labels of at least 2 classes (or pass n_samples for plain "
             "augmentation)", described(f"one class ({only!r})"), caller)
    if n_samples is not None:
        if not (isinstance(sampling_strategy, str) and sampling_strategy == "auto"):
            fail("sampling_strategy", "'auto' when n_samples is given (pass one or "
                 "the other)", sampling_strategy, caller)
        total = check_int(n_samples, "n_samples", caller=caller, low=0)
        return classes, inverse, counts, apportion(counts, total)
    n_max = int(counts.max())
    if isinstance(sampling_strategy, str):
        if sampling_strategy != "auto":
            fail("sampling_strategy", "'auto', a float in (0, 1] or a dict "
                 "{class: target count}", sampling_strategy, caller)
        return classes, inverse, counts, (n_max - counts).astype(np.intp)
    if isinstance(sampling_strategy, numbers.Real) and not isinstance(
        sampling_strategy, bool
    ):
        ratio = float(sampling_strategy)
        if not (0.0 < ratio <= 1.0):
            fail("sampling_strategy", "a float ratio in the range (0.0, 1.0] "
                 "(minority count / majority count after resampling)",
                 sampling_strategy, caller)
        target = int(np.floor(ratio * n_max))
        if target < int(counts.min()):
            fail("sampling_strategy", "a ratio that only adds rows (this "
                 "augmenter never removes rows)",
                 described(f"{ratio!r}, which would bring the smallest class "
                           f"from {int(counts.min())} down to {target} rows"),
                 caller)
        return classes, inverse, counts, np.maximum(target - counts, 0).astype(np.intp)
    if isinstance(sampling_strategy, Mapping):
        # {True: 50} named the class 1 of integer labels (True == 1), and
        # {1: 50} the class True of boolean ones: the rows went to a class
        # the dict does not name
        check_class_keys(sampling_strategy, "sampling_strategy", y, caller)
        n_new = np.zeros(classes.size, dtype=np.intp)
        lookup = {c: i for i, c in enumerate(classes.tolist())}
        for key, value in sampling_strategy.items():
            k = key.item() if isinstance(key, np.generic) else key
            if k not in lookup:
                fail("sampling_strategy", f"a dict whose keys are classes of y "
                     f"{classes.tolist()!r}", described(f"unknown class {key!r}"),
                     caller)
            i = lookup[k]
            t = check_int(value, f"sampling_strategy[{key!r}]", caller=caller, low=0)
            if t < counts[i]:
                fail("sampling_strategy", "target counts at least the current "
                     "class counts (this augmenter never removes rows)",
                     described(f"{t} for class {key!r}, which has {int(counts[i])} "
                               "rows"), caller)
            n_new[i] = t - counts[i]
        return classes, inverse, counts, n_new
    fail("sampling_strategy", "'auto', a float in (0, 1] or a dict {class: target "
         "count}", sampling_strategy, caller)


def as_python(label: Any) -> Any:
    """Return a NumPy scalar label as its Python value (messages show 1, not np.int64(1))."""
    return label.item() if isinstance(label, np.generic) else label


def effective_k(k: int, n_class: int, label: Any, caller: str) -> int:
    """Neighbours usable within a class of ``n_class`` rows (warn when reduced)."""
    label = as_python(label)
    if n_class < 2:
        fail("y", "at least 2 rows in every class to be oversampled by "
             "interpolation", described(f"1 row of class {label!r}"), caller)
    if n_class <= k:
        warnings.warn(
            f"{caller}: class {label!r} has {n_class} rows, fewer than "
            f"k_neighbors + 1 = {k + 1}; using k_neighbors={n_class - 1} for it.",
            DegenerateDataWarning, stacklevel=3,
        )
        return n_class - 1
    return k


def drop_self(ind: IntArray, self_index: IntArray) -> IntArray:
    """Remove each query's own index from its neighbour list.

    ``ind`` holds ``q + 1`` neighbours per row. A row is removed where it
    appears (duplicates may push it off the first column); where it does not
    appear the last neighbour is dropped instead.
    """
    mask = ind == self_index[:, None]
    first = mask.argmax(axis=1)
    found = mask[np.arange(mask.shape[0]), first]
    pos = np.where(found, first, ind.shape[1] - 1)
    keep = np.ones(ind.shape, dtype=bool)
    keep[np.arange(ind.shape[0]), pos] = False
    return ind[keep].reshape(ind.shape[0], ind.shape[1] - 1)


def neighbors_within(
    Xc: FloatArray, k: int, n_jobs: int | None, queries: IntArray | None = None
) -> IntArray:
    """Return the ``k`` nearest neighbours (self excluded) within ``Xc``."""
    from sklearn.neighbors import NearestNeighbors

    from mllifecycle.augment._knn import certified_neighbors

    s = distance_scale(Xc)
    if s != 1.0:
        Xc = Xc / s
    nn = NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs).fit(Xc)
    q = np.arange(Xc.shape[0], dtype=np.intp) if queries is None else queries
    # expanded distances cancel on near rows far from the origin: made exact
    ind = certified_neighbors(Xc, q, nn, k + 1)
    return drop_self(ind, q)


_CHUNK_BYTES = 1 << 19


def interpolate(
    base: FloatArray, seeds: IntArray, other: FloatArray, partners: IntArray,
    gaps: FloatArray, out: npt.NDArray[Any] | None = None, stable: bool = False,
) -> FloatArray:
    """``base[seeds] + gaps * (other[partners] - base[seeds])``, few temporaries.

    Written into ``out`` (a slice of the final output) when given. With
    ``stable=True`` (magnitudes near the float64 limit) the convex form
    ``(1 - u) a + u b`` is used: it cannot overflow, where ``b - a`` can.
    """
    if stable:
        g = gaps[:, None]
        res = base[seeds] * (1.0 - g)
        res += other[partners] * g
        if out is not None:
            out[...] = res
        return res
    if out is None or out.dtype != base.dtype:
        a = base[seeds]
        b = other[partners]
        b -= a
        b *= gaps[:, None]
        b += a
        if out is not None:
            out[...] = b
        return b
    # chunks small enough to stay in cache: 4 passes over memory become 1
    step = max(1, _CHUNK_BYTES // max(1, 8 * base.shape[1]))
    for start in range(0, seeds.shape[0], step):
        stop = start + step
        o = out[start:stop]
        np.take(base, seeds[start:stop], axis=0, out=o)
        b = np.take(other, partners[start:stop], axis=0)
        b -= o
        b *= gaps[start:stop, None]
        o += b
    return out


class Output:
    """The resampled arrays, allocated once: original rows then synthetic slots."""

    def __init__(
        self, X: npt.NDArray[Any], y: npt.NDArray[Any], w: FloatArray | None,
        n_new: int, out_dtype: np.dtype[Any],
    ) -> None:
        n = X.shape[0]
        self.X = np.empty((n + n_new, X.shape[1]), dtype=out_dtype)
        self.X[:n] = X
        self.y = np.empty(n + n_new, dtype=y.dtype)
        self.y[:n] = y
        self.w: FloatArray | None = None
        if w is not None:
            self.w = np.empty(n + n_new)
            self.w[:n] = w
        self.pos = n

    def slot(self, count: int, label: Any) -> slice:
        """Reserve the next ``count`` rows, labelled ``label``."""
        sl = slice(self.pos, self.pos + count)
        self.y[sl] = label
        self.pos += count
        return sl

    def result(self) -> tuple[Any, ...]:
        """``(X, y)`` or ``(X, y, w)``, trimmed to the rows filled."""
        X, y = self.X[: self.pos], self.y[: self.pos]
        return (X, y) if self.w is None else (X, y, self.w[: self.pos])


def assemble(
    X: npt.NDArray[Any],
    y: npt.NDArray[Any],
    w: FloatArray | None,
    parts: list[tuple[npt.NDArray[Any], npt.NDArray[Any], FloatArray | None]],
    out_dtype: np.dtype[Any],
) -> tuple[Any, ...]:
    """Stack the original rows then the synthetic parts; add weights if given."""
    n_syn = sum(p[0].shape[0] for p in parts)
    out = np.empty((X.shape[0] + n_syn, X.shape[1]), dtype=out_dtype)
    out[: X.shape[0]] = X
    pos = X.shape[0]
    for xs, _, _ in parts:
        out[pos: pos + xs.shape[0]] = xs
        pos += xs.shape[0]
    y_out = np.concatenate([y, *[p[1] for p in parts]]) if parts else y.copy()
    if w is None:
        return out, y_out
    w_parts = [p[2] if p[2] is not None else np.ones(p[0].shape[0]) for p in parts]
    return out, y_out, np.concatenate([w, *w_parts])


def check_n_jobs(n_jobs: Any, caller: str) -> int | None:
    """Validate ``n_jobs`` (None or a non-zero int, as in scikit-learn)."""
    if n_jobs is None:
        return None
    ok = isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool)
    if not ok or n_jobs == 0:
        fail("n_jobs", "None or a non-zero int", n_jobs, caller)
    return int(n_jobs)


def check_class_keys(mapping: Mapping[Any, Any], name: str, y: Any, caller: str) -> None:
    """Refuse a dict keyed by classes whose keys are not of ``y``'s label kind.

    ``{True: v}`` named the class 1 of integer labels (``True == 1``), and
    ``{1: v}`` the class True of boolean ones.
    """
    keys = list(mapping)
    check_labels_of_one_kind(keys, name, caller,
                             expected="a dict whose keys are classes of one kind")
    check_same_label_kind(label_kinds(keys), name, label_kinds(y), "y",
                          caller, noun="a dict whose keys are classes",
                          hint="write the keys as the labels of y are written")
