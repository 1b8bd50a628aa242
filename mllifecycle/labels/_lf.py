"""Labelling functions: plain callables voting a class or abstaining, and their analysis."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import frame_kind, in_row_order, series_kind
from mllifecycle._results import (
    ARRAY_EQ,
    attrs_to_dict,
    format_value,
    html_table,
    jsonable,
    short_text,
)
from mllifecycle._validation import (
    check_bool,
    check_int,
    check_probability,
    described,
    fail,
    label_kinds,
)
from mllifecycle.labels._crowd import _label_array, _refuse_flags_with_numbers, _same_flag_kind

__all__ = [
    "ABSTAIN",
    "LabelingFunction",
    "labeling_function",
    "LabelMatrix",
    "apply",
    "LFAnalysis",
    "analyze",
]

ABSTAIN: int = -1
"""The vote of a labelling function that does not label an example."""


@attrs.frozen(kw_only=True)
class LabelingFunction:
    """A named labelling function (what :func:`labeling_function` returns).

    Parameters
    ----------
    fn : callable
        ``fn(row) -> class or ABSTAIN`` (row-wise), or with ``vectorized=True``
        ``fn(X) -> one vote per row``.
    name : str
        Name used in label matrices and reports.
    vectorized : bool, default=False
        Whether ``fn`` takes the whole table at once (the fast path).

    Examples
    --------
    >>> from mllifecycle.labels import ABSTAIN, LabelingFunction
    >>> lf = LabelingFunction(fn=lambda x: 1 if x > 0 else ABSTAIN, name="positive")
    >>> lf(3), lf(-1)
    (1, -1)
    """

    fn: Callable[[Any], Any]
    name: str
    vectorized: bool = False

    def __call__(self, x: Any) -> Any:
        return self.fn(x)


def labeling_function(
    fn: Callable[[Any], Any] | None = None,
    *,
    name: str | None = None,
    vectorized: bool = False,
) -> Any:
    """Turn a function into a :class:`LabelingFunction` (optional sugar).

    Plain callables work everywhere a labelling function is expected; the
    decorator only attaches a name and marks vectorised functions (a plain
    function can also be marked by setting ``fn.vectorized = True``).

    Parameters
    ----------
    fn : callable, optional
        The function (when used as ``@labeling_function`` without arguments).
    name : str, optional
        Default: the function's ``__name__``.
    vectorized : bool, default=False
        ``fn`` takes the whole table and returns one vote per row.

    Returns
    -------
    LabelingFunction or decorator

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import ABSTAIN, apply, labeling_function
    >>> @labeling_function(vectorized=True)
    ... def big(X):
    ...     return np.where(X[:, 0] > 5, 1, ABSTAIN)
    >>> @labeling_function
    ... def small(row):
    ...     return 0 if row[0] < 2 else ABSTAIN
    >>> apply([big, small], np.array([[1.0], [3.0], [9.0]])).values.tolist()
    [[-1, 0], [-1, -1], [1, -1]]
    """
    # vectorized="False" is truthy: the function was handed the whole table
    flag = check_bool(vectorized, "vectorized", "labeling_function")

    def wrap(f: Callable[[Any], Any]) -> LabelingFunction:
        if not callable(f):
            fail("fn", "a callable", f, "labeling_function")
        return LabelingFunction(fn=f, name=str(name or getattr(f, "__name__", "lf")),
                                vectorized=flag)

    return wrap if fn is None else wrap(fn)


def _same_index(a: Any, b: Any) -> bool:
    """Equality of two row indexes (pandas Index or None): same labels in the same order."""
    if a is None or b is None:
        return a is None and b is None
    return type(a) is type(b) and bool(a.equals(b)) and a.dtype == b.dtype


# compared by value (a pickle round trip is equal); unsafe_hash=False: it holds
# arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class LabelMatrix:
    """Votes of ``m`` labelling functions on ``n`` examples, with the class mapping.

    Attributes
    ----------
    values : ndarray of shape (n_samples, n_lfs), int
        ``values[i, j]`` is the index into ``classes`` voted by function ``j``
        on example ``i``, or ``ABSTAIN`` (-1).
    classes : ndarray of shape (n_classes,)
        Class labels; ``classes[c]`` is what vote ``c`` means.
    names : tuple of str
        Labelling function names, one per column.
    index : pandas.Index or None
        Row labels of the pandas table (or Series) the functions were applied
        to, one per row of ``values``; None for arrays, sequences and tables
        without row labels (polars, pyarrow). :func:`analyze` and
        :meth:`LabelModel.score` match a pandas ``y`` to these rows by label
        (``y`` with the same labels in another order is put in this order).

    Examples
    --------
    >>> from mllifecycle.labels import apply
    >>> L = apply([lambda s: "spam" if "win" in s else -1,
    ...            lambda s: "ham" if "meeting" in s else -1],
    ...           ["win cash", "meeting at 3", "win a meeting"])
    >>> L.classes.tolist(), L.values.tolist()
    (['ham', 'spam'], [[1, -1], [-1, 0], [1, 0]])
    """

    values: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    classes: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    names: tuple[str, ...]
    index: Any = attrs.field(default=None, eq=attrs.cmp_using(eq=_same_index))

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of ``values``."""
        return tuple(self.values.shape)

    def __array__(self, dtype: Any = None, copy: Any = None) -> npt.NDArray[Any]:
        return self.values if dtype is None else self.values.astype(dtype)

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-safe Python (``index`` as a list of row labels)."""
        out = attrs_to_dict(self, exclude=("index",))
        out["index"] = None if self.index is None else jsonable(list(self.index))
        return out

    def __repr__(self) -> str:
        return (f"LabelMatrix(n_samples={self.values.shape[0]}, n_lfs={self.values.shape[1]}, "
                f"classes={self.classes.tolist()!r}, "
                f"coverage={format_value(float((self.values != ABSTAIN).any(1).mean()))})")


def _rows(X: Any) -> tuple[int, Callable[[], Any]]:
    """Return (n_samples, factory of an iterator over rows) for row-wise functions."""
    from mllifecycle._frames import frame_kind, is_frame, refuse_duplicate_names, to_columns

    if is_frame(X):
        names, columns = to_columns(X)
        keys = [str(c) for c in names]
        lists = [c.tolist() for c in columns]
        kind = frame_kind(X)
        if kind == "pandas":
            from pandas import NA, NaT

            # dates and durations as pandas gives them (Timestamps in their own
            # time zone, Timedeltas): through NumPy a time-zone-aware column
            # came as naive UTC times (8:00 in Paris read as 7:00) and a
            # nanosecond one as integers; missing ones stay None. Nullable
            # flags ("boolean") came as 1.0/0.0 and NaN, which is truthy: a
            # missing flag voted as if set; they come as True/False/None
            for j in range(len(lists)):
                col = X.iloc[:, j]
                dkind = getattr(col.dtype, "kind", "O")
                if dkind in "mM" or (dkind == "b" and not isinstance(col.dtype, np.dtype)):
                    lists[j] = [None if v is NaT or v is NA else v for v in col.tolist()]
        elif kind == "polars":
            # the same for polars (Python datetimes in their time zone, None
            # for a missing flag): through NumPy they were naive UTC times,
            # integers (nanoseconds) and NaN
            frame = X.collect() if type(X).__name__ == "LazyFrame" else X
            for j, nm in enumerate(names):
                col = frame.get_column(nm)
                if col.dtype.is_temporal() or str(col.dtype) == "Boolean":
                    lists[j] = col.to_list()
        else:  # pyarrow
            import pyarrow as pa

            for j in range(len(lists)):
                col = X.column(j)
                if pa.types.is_temporal(col.type) or pa.types.is_boolean(col.type):
                    lists[j] = col.to_pylist()
        n = len(lists[0]) if lists else 0

        def frame_rows() -> Any:
            # a row dict keyed by column name would keep one of the columns only
            refuse_duplicate_names(names, "X", "apply")
            return (_Row(zip(keys, r, strict=True)) for r in zip(*lists, strict=True))

        return n, frame_rows
    if isinstance(X, np.ndarray):
        if X.ndim == 0:
            fail("X", "an array-like of examples", X, "apply")
        return len(X), lambda: iter(X)
    if isinstance(X, str | bytes) or not hasattr(X, "__len__"):
        fail("X", "an array, a DataFrame or a sequence of examples", X, "apply")
    return len(X), lambda: iter(X)


class _Row(dict[str, Any]):
    """A DataFrame row: ``row["col"]`` and ``row.col`` both work."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _is_abstain(v: Any) -> bool:
    if v is None or type(v).__name__ == "NAType":  # pandas.NA
        return True
    if isinstance(v, float | np.floating):  # NaN, or -1.0 from a float vote array
        return math.isnan(v) or float(v) == ABSTAIN
    return isinstance(v, int | np.integer) and not isinstance(v, bool) and int(v) == ABSTAIN


def _aligned(out: Any, index: Any, name: str) -> Any:
    """Return a pandas Series of votes in the order of the table's ``index``.

    A vectorised function that sorted or grouped the table returns its votes
    in another order, under the rows' index labels: read by position they
    landed on other rows. A Series whose (unique) index holds exactly the
    table's (unique) labels is put back in the table's order; any other index
    (a fresh 0..n-1 one, say) is read by position. With duplicate row labels
    the table's labels in another order are refused (they cannot be put back).
    """
    if out.index.equals(index) or len(out.index) != len(index):
        return out
    if not (out.index.is_unique and index.is_unique):
        # duplicate row labels: votes in another order cannot be put back, and
        # read by position they landed on other rows
        try:
            reordered = out.index.sort_values().equals(index.sort_values())
        except TypeError:
            reordered = False
        if reordered:
            fail(name, "votes in the table's row order (its index has duplicate labels, "
                 "so votes returned in another order cannot be put back)",
                 described("a Series holding the table's row labels in another order"),
                 "apply")
        return out
    try:
        pos = out.index.get_indexer(index)
    except (TypeError, ValueError):
        return out
    if (pos < 0).any():
        return out
    return out.iloc[pos]


def _run_lf(lf: Any, X: Any, n: int, rows: Callable[[], Any], name: str, j: int
            ) -> list[Any]:
    if getattr(lf, "vectorized", False):
        from mllifecycle._frames import column_to_numpy, frame_kind, series_kind

        out = lf(X)
        # a pandas Series of examples has row labels too (its votes came back
        # sorted, read by position, on other rows)
        if series_kind(out) == "pandas" and "pandas" in (frame_kind(X), series_kind(X)):
            out = _aligned(out, X.index, f"lfs[{j}] ({name})")
        # a Series through the frame layer: pd.NA and other nulls become NaN/None
        arr = column_to_numpy(out) if series_kind(out) is not None else np.asarray(
            out.to_numpy() if hasattr(out, "to_numpy") else out)
        if arr.shape != (n,):
            fail(f"lfs[{j}] ({name})", f"a vectorised function returning {n} votes",
                 described(f"an output of shape {arr.shape}"), "apply")
        if series_kind(out) == "pandas" and arr.dtype.kind == "f" \
                and getattr(out.dtype, "kind", "") in "iu" and str(out.dtype)[:1] in "IU":
            # a nullable integer Series (Int64 with pd.NA abstains) came out as
            # floats: the classes became 0.0, 1.0 and predict returned objects
            # with None instead of ints with ABSTAIN, unlike plain int votes
            return [None if _is_abstain(v) else int(v) for v in out.tolist()]
        return list(arr.tolist())
    return [_one_vote(lf(r), name, j, i) for i, r in enumerate(rows())]


def _one_vote(v: Any, name: str, j: int, i: int) -> Any:
    """Return a row-wise function's vote; a 0-d array (``np.where(x > 0, 1, -1)``) as its value.

    A 0-d NumPy array is a scalar NumPy did not unwrap: it failed later with a
    bare "unhashable type: 'numpy.ndarray'" naming neither the function nor the row.
    """
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return v.item()
        fail(f"lfs[{j}] ({name})", "one vote per example (a class or ABSTAIN)",
             described(f"an array of shape {v.shape} on example {i}"), "apply")
    return v


def apply(
    lfs: Sequence[Callable[[Any], Any]],
    X: Any,
    *,
    classes: Sequence[Any] | None = None,
    n_jobs: int | None = None,
) -> LabelMatrix:
    """Apply labelling functions to every example; return the label matrix.

    Parameters
    ----------
    lfs : sequence of callables
        Row-wise functions ``f(row) -> class or ABSTAIN`` (``None`` also
        abstains), or vectorised ones (marked with
        ``@labeling_function(vectorized=True)`` or ``f.vectorized = True``)
        returning one vote per row. A DataFrame row is passed as a dict that
        also allows attribute access (``row.text``); an array row as a 1-D
        array; a sequence element as itself.
    X : array, DataFrame or sequence
        The examples.
    classes : sequence, optional
        All class labels in the order wanted; name them here when a class may
        be voted by no function (it can then still be predicted). Default:
        the classes are the votes actually cast, never a class nobody voted.
        When the non-negative int votes cast are exactly ``0 .. k-1`` they are
        the class indices and are kept as they are; otherwise (votes {3, 7},
        or strings) the classes are the sorted distinct votes, the votes are
        mapped to indices into them and the mapping is kept in
        ``LabelMatrix.classes`` (label models predict the votes' own labels,
        3 and 7). Inferring ``0 .. max vote`` instead gave votes {3, 7} eight
        classes, and a label model could predict one no function voted; a
        warning would have left that answer in place, so the classes cast are
        inferred instead.
    n_jobs : int, optional
        Run the functions in parallel with joblib, one task per function, in
        threads by default (vectorised NumPy functions release the GIL); use
        ``joblib.parallel_config(backend="loky")`` for processes.

    Returns
    -------
    LabelMatrix

    Examples
    --------
    >>> from mllifecycle.labels import ABSTAIN, apply
    >>> texts = ["free money", "lunch at noon?", "free lunch"]
    >>> lfs = [lambda t: "spam" if "free" in t else ABSTAIN,
    ...        lambda t: "ham" if "?" in t or "lunch" in t else ABSTAIN]
    >>> L = apply(lfs, texts)
    >>> L.values.tolist(), L.classes.tolist()
    ([[1, -1], [-1, 0], [1, 0]], ['ham', 'spam'])
    """
    caller = "apply"
    if callable(lfs) or isinstance(lfs, str | bytes):
        lfs = [lfs]  # type: ignore[list-item]
    lfs = list(lfs)
    if not lfs:
        fail("lfs", "at least one labelling function", lfs, caller)
    for i, lf in enumerate(lfs):
        if not callable(lf):
            fail("lfs", "callables", described(f"{type(lf).__name__} at position {i}"), caller)
    names = tuple(str(getattr(lf, "name", None) or getattr(lf, "__name__", f"lf_{i}"))
                  for i, lf in enumerate(lfs))
    names = tuple(f"lf_{i}" if n == "<lambda>" else n for i, n in enumerate(names))
    n, rows = _rows(X)
    if n == 0:
        fail("X", "at least one example", described("0 examples"), caller)
    if n_jobs is not None and n_jobs != 1:
        from sklearn.utils.parallel import Parallel, delayed  # with the caller's sklearn config

        n_jobs = check_int(n_jobs, "n_jobs", caller=caller, low=None)
        if n_jobs == 0:
            fail("n_jobs", "a non-zero int (or None)", n_jobs, caller)
        votes = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_run_lf)(lf, X, n, rows, name, j)
            for j, (lf, name) in enumerate(zip(lfs, names, strict=True))
        )
    else:
        votes = [_run_lf(lf, X, n, rows, name, j)
                 for j, (lf, name) in enumerate(zip(lfs, names, strict=True))]
    flat = [v for col in votes for v in col if not _is_abstain(v)]
    # True == 1: a flag vote and a count vote would be one class
    vote_kinds = _refuse_flags_with_numbers(
        flat, "lfs", caller, expected="votes that are not booleans and numbers at once "
        "(True == 1 would make them one class)")
    if classes is not None:
        cls = _label_array(classes)
        if cls.ndim != 1 or len(cls) == 0 or len(set(cls.tolist())) != len(cls):
            fail("classes", "a non-empty sequence of distinct class labels", classes, caller)
        if any(_is_abstain(c) for c in cls.tolist()):
            # a vote of -1 (or -1.0, None, NaN) means ABSTAIN: such a class could never be voted
            fail("classes", "class labels other than ABSTAIN (-1), None or NaN "
                 "(remap a -1/+1 scheme, e.g. to 0/1)", classes, caller)
        cls_kinds = _refuse_flags_with_numbers(cls, "classes", caller)
        _same_flag_kind(vote_kinds, "lfs", cls_kinds, "classes", caller, noun="votes")
    elif all(isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 0
             for v in flat):
        cast = sorted({int(v) for v in flat})
        # 0 .. k-1 all cast: the votes are the class indices, kept as they are;
        # otherwise 0 .. max vote made classes nobody voted (votes {3, 7}: 8
        # classes), which a label model could then predict
        cls = (np.arange(max(cast, default=1) + 1) if cast == list(range(len(cast)))
               else np.asarray(cast))
    else:
        uniq = set(flat)
        try:
            cls = np.asarray(sorted(uniq))
        except TypeError:  # votes of mixed types: 1 and "1" would be two classes
            seen: dict[str, Any] = {}
            for v in sorted(uniq, key=repr):
                if str(v) in seen:
                    fail("lfs", "votes of one type per class (1 and '1' are two classes; "
                         "or pass classes=)",
                         described(f"votes {seen[str(v)]!r} and {v!r}, which read the same"),
                         caller)
                seen[str(v)] = v
            cls = np.asarray(sorted(uniq, key=repr), dtype=object)
    code = {c: i for i, c in enumerate(cls.tolist())}
    out = np.full((n, len(lfs)), ABSTAIN, dtype=np.int64)
    for j, col in enumerate(votes):
        for i, v in enumerate(col):
            if _is_abstain(v):
                continue
            c = code.get(v)
            if c is None:
                fail("lfs", f"votes among the classes {cls.tolist()!r} or ABSTAIN",
                     described(f"{v!r} from {names[j]!r} on example {i}"), caller)
            out[i, j] = c
    # the table's row labels are kept: a gold y of those rows in another order
    # (sorted while X was shuffled) was read by position, against other rows
    index = X.index if "pandas" in (frame_kind(X), series_kind(X)) else None
    return LabelMatrix(values=out, classes=cls, names=names, index=index)


def _row_labels(L: Any) -> Any:
    """Return what ``in_row_order`` reads a label matrix's rows from.

    A :class:`LabelMatrix` applied to a pandas table has that table's row
    labels (its kept ``index``); anything else is itself.
    """
    if isinstance(L, LabelMatrix) and L.index is not None:
        return L.index
    return L


def check_label_matrix(L: Any, name: str, caller: str, n_classes: int | None = None
                       ) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any], tuple[str, ...]]:
    """Validate a label matrix; return (int values, classes, names)."""
    if isinstance(L, LabelMatrix):
        vals, cls, names = np.asarray(L.values), np.asarray(L.classes), L.names
        # a LabelMatrix built by hand: a vote past its classes was read as an
        # abstain by the Dawid-Skene fit (its one-hot slot) and raised a bare
        # IndexError elsewhere
        if vals.ndim != 2 or vals.dtype.kind not in "iu":
            fail(name, "a LabelMatrix of 2-D integer votes (class indices, ABSTAIN = -1)",
                 described(f"values of dtype {vals.dtype} and shape {vals.shape}"), caller)
        if vals.size and vals.max() >= len(cls):
            fail(name, f"a LabelMatrix whose votes index its {len(cls)} classes "
                 f"{cls.tolist()!r} (or are ABSTAIN = -1)",
                 described(f"the vote {int(vals.max())}"), caller)
        vals = vals.astype(np.int64, copy=False)
    else:
        if L is None or isinstance(L, str | bytes):
            fail(name, "a 2-D integer label matrix (ABSTAIN = -1)", L, caller)
        from mllifecycle._frames import column_names, frame_to_numpy, is_frame

        arr = frame_to_numpy(L) if is_frame(L) else np.asarray(L)
        if arr.ndim != 2:
            fail(name, "a 2-D label matrix of shape (n_samples, n_lfs)",
                 described(f"a {arr.ndim}-D array of shape {arr.shape}"), caller)
        if arr.dtype.kind == "f":
            if np.isnan(arr).any():
                fail(name, "integer votes with ABSTAIN = -1 (not NaN)",
                     described(f"{int(np.isnan(arr).sum())} NaN value(s)"), caller)
            if np.isinf(arr).any():
                fail(name, "finite integer votes with ABSTAIN = -1",
                     described(f"{int(np.isinf(arr).sum())} inf value(s)"), caller)
            if np.any(arr != np.round(arr)):
                fail(name, "integer votes", described("non-integer values"), caller)
        elif arr.dtype.kind not in "iub":
            fail(name, "integer votes (map string classes with apply())",
                 described(f"an array of dtype {arr.dtype}"), caller)
        if arr.size and arr.dtype.kind in "uf" and np.abs(arr).max() >= 2**62:
            # the int64 cast would wrap it (to another vote)
            fail(name, "votes below 2**62 (class indices, ABSTAIN = -1)",
                 described(f"the vote {arr.flat[int(np.abs(arr).argmax())].item()!r}"),
                 caller)
        vals = arr.astype(np.int64)
        k = int(vals.max(initial=-1)) + 1
        cls = np.arange(max(k, n_classes or 0, 2))
        # a table's column names are the functions' names (as LabelModel reads
        # them): analyze reported lf_0, lf_1, ... for the columns "a", "b"
        given = column_names(L) if is_frame(L) else None
        names = (tuple(str(c) for c in given)
                 if given is not None and len(given) == vals.shape[1]
                 else tuple(f"lf_{j}" for j in range(vals.shape[1])))
    if vals.shape[0] == 0 or vals.shape[1] == 0:
        fail(name, "a non-empty label matrix", described(f"shape {vals.shape}"), caller)
    if vals.min() < ABSTAIN:
        fail(name, "votes >= -1 (ABSTAIN = -1)",
             described(f"the value {int(vals.min())}"), caller)
    if n_classes is not None:
        if isinstance(L, LabelMatrix) and len(cls) != n_classes:
            fail(name, f"a label matrix of {n_classes} classes (n_classes)",
                 described(f"one of classes {cls.tolist()!r}"), caller)
        if vals.max() >= n_classes:
            fail(name, f"votes below n_classes={n_classes}",
                 described(f"the vote {int(vals.max())}"), caller)
        if len(cls) != n_classes:
            cls = np.arange(n_classes)
    return vals, cls, names


def _gold_index(v: Any, k: int) -> int:
    """Class index of a gold label of a plain label matrix (-2 if not one).

    Integral floats count (a gold column read with NaN for unknown is float).
    """
    if isinstance(v, float | np.floating):
        if not float(v).is_integer():
            return -2
        v = int(v)
    if isinstance(v, int | np.integer) and 0 <= v < k:
        return int(v)
    return -2


def _wilson(k: npt.NDArray[Any], n: npt.NDArray[Any], level: float
            ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2))
    n = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # the bounds are 0 and 1 exactly at p = 0 and p = 1, where rounding left
    # them a hair off (an accuracy interval up to 1.0000000000000002)
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    return np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)


def _percent(level: float) -> str:
    """Write a confidence level as a percentage with all its digits (0.995: ``99.5``).

    Rounded to a whole percent, 0.995 and 0.9999 were headed "100% CI" and
    0.975 "98% CI", against intervals computed at the level given.
    """
    return short_text(100.0 * float(level), 2, rtol=1e-12)


def _unique_names(names: Sequence[str]) -> list[str]:
    """``names``, a repeated one suffixed with its column position (``lf`` -> ``lf_2``).

    Functions made by one factory share a ``__name__``: keyed by name, the
    metrics of all but the last would be silently overwritten.
    """
    taken = set(names)
    out: list[str] = []
    for j, nm in enumerate(names):
        key = nm
        if names.count(nm) > 1:
            key = f"{nm}_{j}"
            while key in taken:
                key += "_"
            taken.add(key)
        out.append(key)
    return out


# compared by value; unsafe_hash=False: it holds arrays, so it is unhashable
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class LFAnalysis:
    """Per-labelling-function coverage, overlaps, conflicts and (with gold) accuracy.

    Attributes
    ----------
    names : tuple of str
    classes : ndarray
    polarity : tuple of tuple
        Classes each function voted for at least once.
    coverage : ndarray of shape (n_lfs,)
        Fraction of examples the function labels.
    overlaps : ndarray of shape (n_lfs,)
        Fraction of examples it labels that at least one other function also labels.
    conflicts : ndarray of shape (n_lfs,)
        Fraction of examples it labels where another function votes a different class.
    n_correct, n_incorrect : ndarray of int or None
        With gold labels: votes equal / not equal to the gold label.
    accuracy, ci_low, ci_high : ndarray or None
        With gold labels: empirical accuracy on the examples it labels, with
        a Wilson score interval (Wilson, 1927) at ``confidence_level``; NaN for
        a function that labels no gold example.
    total_coverage, total_overlap, total_conflict : float
        Fraction of examples with at least one vote / at least two votes / two
        different votes.
    n_samples : int
    confidence_level : float

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import analyze
    >>> L = np.array([[1, -1], [1, 1], [0, 1], [-1, -1]])
    >>> res = analyze(L, y=[1, 1, 0, 0])
    >>> res.coverage.tolist(), res.conflicts.tolist(), res.accuracy.tolist()
    ([0.75, 0.5], [0.3333333333333333, 0.5], [1.0, 0.5])
    """

    names: tuple[str, ...]
    classes: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    polarity: tuple[tuple[Any, ...], ...]
    coverage: npt.NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    overlaps: npt.NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    conflicts: npt.NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    n_correct: npt.NDArray[np.int64] | None = attrs.field(eq=ARRAY_EQ)
    n_incorrect: npt.NDArray[np.int64] | None = attrs.field(eq=ARRAY_EQ)
    accuracy: npt.NDArray[np.float64] | None = attrs.field(eq=ARRAY_EQ)
    ci_low: npt.NDArray[np.float64] | None = attrs.field(eq=ARRAY_EQ)
    ci_high: npt.NDArray[np.float64] | None = attrs.field(eq=ARRAY_EQ)
    # NaN when there are no samples: NaN equal to NaN
    total_coverage: float = attrs.field(eq=ARRAY_EQ)
    total_overlap: float = attrs.field(eq=ARRAY_EQ)
    total_conflict: float = attrs.field(eq=ARRAY_EQ)
    n_samples: int
    confidence_level: float

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-safe Python."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return flat numbers, ``<name>.coverage`` etc. (for ``mlflow.log_metrics``).

        A name shared by several functions (made by one factory) is keyed
        with the function's column position, ``<name>_<j>.coverage``.
        """
        out = {"total_coverage": self.total_coverage, "total_overlap": self.total_overlap,
               "total_conflict": self.total_conflict}
        for j, nm in enumerate(_unique_names(self.names)):
            out[f"{nm}.coverage"] = float(self.coverage[j])
            out[f"{nm}.overlaps"] = float(self.overlaps[j])
            out[f"{nm}.conflicts"] = float(self.conflicts[j])
            if self.accuracy is not None:
                out[f"{nm}.accuracy"] = float(self.accuracy[j])
        return out

    def _rows(self) -> list[tuple[Any, ...]]:
        rows = []
        for j, nm in enumerate(self.names):
            row: tuple[Any, ...] = (nm, ", ".join(map(str, self.polarity[j])),
                                    float(self.coverage[j]), float(self.overlaps[j]),
                                    float(self.conflicts[j]))
            if self.accuracy is not None and self.ci_low is not None and self.ci_high is not None:
                row += (float(self.accuracy[j]),
                        f"[{format_value(float(self.ci_low[j]), 3)}, "
                        f"{format_value(float(self.ci_high[j]), 3)}]")
            rows.append(row)
        return rows

    def _headers(self) -> list[str]:
        h = ["lf", "polarity", "coverage", "overlaps", "conflicts"]
        if self.accuracy is not None:
            h += ["accuracy", f"{_percent(self.confidence_level)}% CI"]
        return h

    def __repr__(self) -> str:
        lines = [f"LFAnalysis(n_samples={self.n_samples}, n_lfs={len(self.names)}, "
                 f"total_coverage={format_value(self.total_coverage)}, "
                 f"total_conflict={format_value(self.total_conflict)})"]
        for row in self._rows():
            lines.append("  " + "  ".join(
                f"{h}={format_value(v) if isinstance(v, float) else v}"
                for h, v in zip(self._headers(), row, strict=True)))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(self._rows(), self._headers(), caption="labelling functions")


def analyze(L: Any, y: Any = None, *, confidence_level: float = 0.95) -> LFAnalysis:
    """Summarise a label matrix: coverage, overlaps, conflicts, polarity, accuracy.

    Parameters
    ----------
    L : LabelMatrix or array of shape (n_samples, n_lfs)
        Votes, ``ABSTAIN`` = -1.
    y : array-like of shape (n_samples,), optional
        Gold labels (class values of ``L.classes`` for a :class:`LabelMatrix`,
        class indices for a plain array); ``ABSTAIN`` marks unknown gold.
        A pandas ``y`` whose index holds a pandas ``L``'s row labels in
        another order is matched to ``L``'s rows by label.
    confidence_level : float, default=0.95
        Of the Wilson intervals on the accuracies.

    Returns
    -------
    LFAnalysis

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import analyze
    >>> L = np.array([[0, 0, -1], [1, 0, -1], [1, 1, 1], [-1, -1, -1]])
    >>> res = analyze(L)
    >>> res.total_coverage, res.overlaps.tolist()
    (0.75, [1.0, 1.0, 1.0])
    """
    caller = "analyze"
    # gold labels of a pandas y whose index holds a table L's row labels in another
    # order were paired by position (accuracies of mismatched rows): matched by label
    y = in_row_order(y, _row_labels(L), "y", "L", caller)
    vals, cls, names = check_label_matrix(L, "L", caller)
    level = check_probability(confidence_level, "confidence_level", caller, open_interval=True)
    n, m = vals.shape
    k = max(len(cls), int(vals.max(initial=-1)) + 1)
    voted = vals != ABSTAIN
    n_votes = voted.sum(axis=1)
    counts = np.zeros((n, k), dtype=np.int64)
    rows, cols = np.nonzero(voted)
    np.add.at(counts, (rows, vals[rows, cols]), 1)
    cov_j = voted.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = cov_j / n
        overlaps = (voted & (n_votes[:, None] > 1)).sum(axis=0) / np.maximum(cov_j, 1)
        same = np.take_along_axis(counts, np.where(voted, vals, 0), axis=1)
        conflict = voted & (n_votes[:, None] - same > 0)
        conflicts = conflict.sum(axis=0) / np.maximum(cov_j, 1)
    polarity = tuple(tuple(cls[np.unique(vals[voted[:, j], j])].tolist()) for j in range(m))
    n_correct = n_incorrect = acc = lo = hi = None
    if y is not None:
        yv = (_label_array(y) if isinstance(y, list | tuple)
              else np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y))
        if yv.ndim != 1 or len(yv) != n:
            fail("y", f"a 1-D array of {n} gold labels", described(f"shape {yv.shape}"), caller)
        gold = [v for v in yv.tolist() if not _is_abstain(v)]
        # True == 1: gold flags would be read as the class 1 (or the index 1)
        gold_kinds = _refuse_flags_with_numbers(gold, "y", caller)
        _same_flag_kind(gold_kinds, "y", label_kinds(cls), "L", caller,
                        noun="gold labels" if isinstance(L, LabelMatrix) else "gold class indices")
        if isinstance(L, LabelMatrix):
            code = {c: i for i, c in enumerate(cls.tolist())}
            yi = np.array([ABSTAIN if _is_abstain(v) else code.get(v, -2) for v in yv.tolist()])
        else:
            # class indices: a gold class that no function voted is still a
            # class (the functions are wrong there), not an error
            yi = np.array([ABSTAIN if _is_abstain(v) else _gold_index(v, 2**62)
                           for v in yv.tolist()], dtype=np.int64)
        if (yi == -2).any():
            bad = yv[np.flatnonzero(yi == -2)[0]]
            bad = bad.item() if isinstance(bad, np.generic) else bad  # 'a', not np.str_('a')
            what = (f"gold labels among the classes {cls.tolist()!r}"
                    if isinstance(L, LabelMatrix)
                    else "gold class indices (integers 0 <= y < 2**62)")
            fail("y", f"{what} (or ABSTAIN)", bad, caller)
        known = (yi != ABSTAIN)[:, None] & voted
        right = known & (vals == yi[:, None])
        n_correct = right.sum(axis=0).astype(np.int64)
        n_incorrect = (known.sum(axis=0) - n_correct).astype(np.int64)
        tot = n_correct + n_incorrect
        with np.errstate(invalid="ignore", divide="ignore"):
            acc = np.where(tot > 0, n_correct / np.maximum(tot, 1), np.nan)
        lo, hi = _wilson(n_correct, tot, level)
    multi = counts > 0
    return LFAnalysis(
        names=names,
        classes=cls,
        polarity=polarity,
        coverage=np.asarray(coverage, dtype=np.float64),
        overlaps=np.asarray(overlaps, dtype=np.float64),
        conflicts=np.asarray(conflicts, dtype=np.float64),
        n_correct=n_correct,
        n_incorrect=n_incorrect,
        accuracy=acc,
        ci_low=lo,
        ci_high=hi,
        total_coverage=float((n_votes > 0).mean()),
        total_overlap=float((n_votes > 1).mean()),
        total_conflict=float((multi.sum(axis=1) > 1).mean()),
        n_samples=n,
        confidence_level=level,
    )
