"""One dataframe layer: pandas, polars and pyarrow tables in, the same kind out.

Every public function that accepts a table goes through this module, so a
polars or pyarrow table works wherever a pandas DataFrame does, and what comes
in as a DataFrame comes out as one. No dataframe library is imported here: a
table is recognised by the module its type comes from, and the library that
made it (already imported by the caller) is looked up in ``sys.modules`` only
to build an output of the same kind.

Missing values: ``pd.NA``, polars' and pyarrow's nulls become ``nan`` in a
numeric (or boolean) column and ``None`` in a text column; nullable integer,
float and boolean dtypes come out as float64 when they hold a missing value and
keep their NumPy dtype otherwise.

Why not narwhals: it is made for this, but the core depends only on NumPy,
SciPy, scikit-learn and attrs; the three kinds of table the library accepts
need about a hundred lines, tested against each library.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "FrameKind",
    "frame_kind",
    "series_kind",
    "is_frame",
    "column_names",
    "categorical_columns",
    "refuse_categorical_columns",
    "datetime_zones",
    "refuse_duplicate_names",
    "columns_by_class",
    "collected",
    "to_columns",
    "column_to_numpy",
    "frame_to_numpy",
    "like",
    "series_like",
]

FrameKind = Literal["pandas", "polars", "pyarrow"]
_FRAME_TYPES = {
    "pandas": {"DataFrame"},
    "polars": {"DataFrame", "LazyFrame"},
    "pyarrow": {"Table", "RecordBatch"},
}
_SERIES_TYPES = {
    "pandas": {"Series"},
    "polars": {"Series"},
    "pyarrow": {"ChunkedArray", "Array"},
}


def _root(x: Any) -> str:
    return type(x).__module__.split(".", 1)[0]


def frame_kind(x: Any) -> FrameKind | None:
    """Return which library made the table ``x``, or None if it is not a table.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._frames import frame_kind
    >>> frame_kind(np.zeros((2, 2))) is None
    True
    """
    root = _root(x)
    if root in _FRAME_TYPES and any(
        t.__name__ in _FRAME_TYPES[root] for t in type(x).__mro__
    ):
        return root  # type: ignore[return-value]
    return None


def series_kind(x: Any) -> FrameKind | None:
    """Return which library made the one-column ``x`` (a Series), or None.

    Examples
    --------
    >>> from mllifecycle._frames import series_kind
    >>> series_kind([1, 2]) is None
    True
    """
    root = _root(x)
    if root in _SERIES_TYPES:
        name = type(x).__name__
        if name in _SERIES_TYPES[root] or (name.endswith("Array") and root == "pyarrow"):
            return root  # type: ignore[return-value]
    return None


def is_frame(x: Any) -> bool:
    """Whether ``x`` is a pandas, polars or pyarrow table."""
    return frame_kind(x) is not None


def column_names(x: Any) -> list[Any] | None:
    """Return a table's column names as given (not stringified), or None.

    Examples
    --------
    >>> from mllifecycle._frames import column_names
    >>> column_names([[1, 2]]) is None
    True
    """
    kind = frame_kind(x)
    if kind is None:
        return None
    if kind == "pandas":
        return list(x.columns)
    if kind == "polars":
        if type(x).__name__ == "LazyFrame":
            return list(x.collect_schema().names())
        return list(x.columns)
    return list(x.column_names)


def refuse_duplicate_names(names: Sequence[Any], argname: str, caller: str) -> None:
    """Refuse repeated column names (also ``1`` and ``"1"``, equal as text).

    A repeated name makes a by-name lookup ambiguous (pandas returns several
    columns for it), so every function that reads a table by column name
    refuses it at its boundary.

    Examples
    --------
    >>> from mllifecycle._frames import refuse_duplicate_names
    >>> refuse_duplicate_names(["a", "b"], "X", "replay")
    """
    from mllifecycle._validation import described, fail

    seen: dict[str, Any] = {}
    for orig in names:
        text = str(orig)
        if text in seen:
            fail(
                argname,
                "a data set with unique column names (as text)",
                described(f"column name {orig!r} repeated (as {seen[text]!r} and {orig!r})"),
                caller,
            )
        seen[text] = orig


def _beyond_float(low: Any, high: Any) -> bool:
    """Whether an integer column's range leaves float64's exact integers (2**53).

    A nullable integer column with nulls was made float64 (nulls NaN), which
    rounds such values (or, in pyarrow, refuses them); it is returned as
    Python ints and None instead.
    """
    # pandas gives pd.NA, not None, as the min and max of an all-missing
    # nullable column (int(pd.NA) raised a bare TypeError)
    return any(
        v is not None and type(v).__name__ != "NAType" and abs(int(v)) > 2**53
        for v in (low, high)
    )


def _pandas_column(s: Any) -> npt.NDArray[Any]:
    dtype = s.dtype
    kind_char = getattr(dtype, "kind", "O")
    name = str(dtype)
    if name == "category":
        vals = s.astype(object)
        return np.asarray(vals.where(s.notna(), None).to_numpy(dtype=object), dtype=object)
    is_ext = not isinstance(dtype, np.dtype)
    if is_ext:
        has_na = bool(s.isna().any())
        if kind_char in "iufb":
            if has_na and kind_char in "iu" and _beyond_float(s.min(), s.max()):
                return np.array(s.to_numpy(dtype=object, na_value=None).tolist(), dtype=object)
            if has_na:
                return np.asarray(s.to_numpy(dtype=np.float64, na_value=np.nan))
            np_dtype = np.dtype(bool) if kind_char == "b" else getattr(dtype, "numpy_dtype", None)
            return np.asarray(s.to_numpy(dtype=np_dtype))
        if kind_char == "M":  # tz-aware datetimes: UTC instants
            return np.asarray(s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy())
        return np.asarray(s.to_numpy(dtype=object, na_value=None), dtype=object)
    arr = np.asarray(s.to_numpy())
    if arr.dtype == object:
        mask = np.asarray(s.isna().to_numpy(), dtype=bool)
        if mask.any():
            arr = arr.copy()
            arr[mask] = None
    return arr


def column_to_numpy(s: Any) -> npt.NDArray[Any]:
    """Return one column (a pandas/polars Series or pyarrow array) as a NumPy array.

    Nulls become ``nan`` in numeric and boolean columns, ``None`` in others
    (and in integer columns beyond 2**53, which become Python ints and None).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._frames import column_to_numpy
    >>> column_to_numpy(np.array([1, 2])).tolist()
    [1, 2]
    """
    kind = series_kind(s)
    if kind is None:
        return np.asarray(s)
    if kind == "pandas":
        return _pandas_column(s)
    if kind == "polars":
        dt = str(s.dtype)
        if s.null_count() and dt.startswith(("Int", "UInt")) and _beyond_float(s.min(), s.max()):
            return np.array(s.to_list(), dtype=object)
        if s.null_count() and (dt.startswith(("Int", "UInt", "Float")) or dt == "Boolean"):
            return np.asarray(s.cast(sys.modules["polars"].Float64).to_numpy())
        out = np.asarray(s.to_numpy())
        if out.dtype == object or dt in {"String", "Utf8", "Categorical", "Enum"}:
            out = np.asarray(s.to_list(), dtype=object)
        return out
    # pyarrow
    pa = sys.modules["pyarrow"]
    typ = s.type
    if pa.types.is_integer(typ) and s.null_count:
        import pyarrow.compute as pc

        bounds = pc.min_max(s).as_py()
        if _beyond_float(bounds["min"], bounds["max"]):
            return np.array(s.to_pylist(), dtype=object)
    if (pa.types.is_integer(typ) or pa.types.is_boolean(typ) or pa.types.is_floating(typ)) and (
        s.null_count
    ):
        return np.asarray(s.cast(pa.float64()).to_numpy(zero_copy_only=False))
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_dictionary(typ):
        return np.asarray(s.to_pylist(), dtype=object)
    return np.asarray(s.to_numpy(zero_copy_only=False))


def datetime_zones(x: Any) -> dict[int, bool]:
    """Positions of a table's datetime columns, each with whether it is timezone-aware.

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import datetime_zones
    >>> t = pd.date_range("2024-01-01", periods=2, freq="h", tz="UTC")
    >>> datetime_zones(pd.DataFrame({"a": t, "b": t.tz_localize(None), "c": [1, 2]}))
    {0: True, 1: False}
    """
    kind = frame_kind(x)
    out: dict[int, bool] = {}
    if kind == "pandas":
        for j, dt in enumerate(x.dtypes):
            if str(dt).startswith("datetime64"):
                out[j] = getattr(dt, "tz", None) is not None
    elif kind == "polars":
        schema = x.collect_schema() if type(x).__name__ == "LazyFrame" else x.schema
        for j, dt in enumerate(schema.values()):
            if str(dt).startswith("Datetime"):
                out[j] = getattr(dt, "time_zone", None) is not None
    elif kind == "pyarrow":
        import pyarrow as pa

        for j, f in enumerate(x.schema):
            if pa.types.is_timestamp(f.type):
                out[j] = f.type.tz is not None
    return out


def categorical_columns(x: Any) -> set[int]:
    """Positions of a table's columns whose type declares them categorical.

    pandas ``category``, polars ``Categorical``/``Enum`` and pyarrow
    dictionary columns: their categories are labels, even when they are
    numbers (a pandas ``Categorical`` of ints must get a categorical test,
    not KS on the codes' values).

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import categorical_columns
    >>> categorical_columns(pd.DataFrame({"a": [1, 2], "b": pd.Categorical([3, 4])}))
    {1}
    """
    kind = frame_kind(x)
    if kind == "pandas":
        return {j for j, dt in enumerate(x.dtypes) if str(dt) == "category"}
    if kind == "polars":
        schema = x.collect_schema() if type(x).__name__ == "LazyFrame" else x.schema
        return {
            j for j, dt in enumerate(schema.values())
            if str(dt).startswith(("Categorical", "Enum"))
        }
    if kind == "pyarrow":
        import pyarrow as pa

        return {j for j, f in enumerate(x.schema) if pa.types.is_dictionary(f.type)}
    return set()


def refuse_categorical_columns(x: Any, name: str, expected: str, caller: str) -> None:
    """Refuse a table with columns typed categorical, naming the first one.

    ``expected`` says what the caller needs instead (the message's "must be").
    Anything that is not a table passes.

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import refuse_categorical_columns
    >>> refuse_categorical_columns(pd.DataFrame({"a": [1.0]}), "X", "numeric columns", "f")
    """
    if not is_frame(x):
        return
    typed = sorted(categorical_columns(x))
    if typed:
        from mllifecycle._validation import described, fail

        names = column_names(x) or []
        col = names[typed[0]] if typed[0] < len(names) else typed[0]
        fail(name, expected, described(f"column {str(col)!r} of categorical type"), caller)


def to_columns(x: Any) -> tuple[list[Any], list[npt.NDArray[Any]]]:
    """Return a table's column names and its columns as 1-D NumPy arrays.

    Raises
    ------
    TypeError
        If ``x`` is not a pandas, polars or pyarrow table.

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import to_columns
    >>> names, cols = to_columns(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))
    >>> names, cols[0].tolist(), cols[1].tolist()
    (['a', 'b'], [1, 2], ['x', None])
    """
    kind = frame_kind(x)
    if kind is None:
        raise TypeError(f"expected a pandas, polars or pyarrow table, got {type(x).__name__}")
    names = column_names(x) or []
    if kind == "pandas":
        return names, [_pandas_column(x.iloc[:, j]) for j in range(len(names))]
    if kind == "polars":
        if type(x).__name__ == "LazyFrame":
            x = x.collect()
        return names, [column_to_numpy(x.get_column(n)) for n in names]
    return names, [column_to_numpy(x.column(j)) for j in range(len(names))]


def frame_to_numpy(x: Any, dtype: Any = None) -> npt.NDArray[Any]:
    """Return a table as a 2-D NumPy array (``object`` when columns are mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import frame_to_numpy
    >>> frame_to_numpy(pd.DataFrame({"a": [1, 2], "b": [0.5, None]})).tolist()
    [[1.0, 0.5], [2.0, nan]]
    """
    _names, cols = to_columns(x)
    if not cols:
        return np.empty((0, 0), dtype=dtype or np.float64)
    if dtype is None:
        kinds = {c.dtype.kind for c in cols}
        if kinds <= set("iufb"):
            dtype = np.result_type(*[c.dtype for c in cols])
            if dtype.kind == "b" and len(kinds) > 1:
                dtype = np.float64
        else:
            dtype = object
    return np.column_stack([c.astype(dtype, copy=False) for c in cols])


def like(template: Any, data: Any, columns: Sequence[Any] | None = None) -> Any:
    """Return ``data`` (2-D) as a table of the same kind as ``template``.

    When ``template`` is not a table, ``data`` is returned as a NumPy array.
    Columns whose name is in ``template`` are cast back to its dtype when the
    cast is exact (an integer column stays integer if every value is whole).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from mllifecycle._frames import like
    >>> out = like(pd.DataFrame({"a": [1, 2]}), np.array([[3.0], [4.0]]))
    >>> type(out).__name__, out["a"].tolist(), str(out["a"].dtype)
    ('DataFrame', [3, 4], 'int64')
    """
    kind = frame_kind(template)
    arr = data if isinstance(data, np.ndarray) else np.asarray(data)
    if kind is None:
        return arr
    if arr.dtype == object and arr.ndim == 2:
        # a mixed (numbers and text) array: its number columns are built as numbers
        numeric = [j for j in range(arr.shape[1]) if _numbers_only(arr[:, j])]
    else:
        numeric = []
    names = list(columns) if columns is not None else column_names(template) or []
    if arr.ndim != 2 or arr.shape[1] != len(names):
        raise ValueError(
            f"cannot make a table with columns {names!r} from an array of shape {arr.shape}"
        )
    if kind == "pandas":
        pd = sys.modules["pandas"]
        # built and cast by position: with repeated column names, a dict or a
        # name lookup would keep one of the columns for all of them
        out = pd.DataFrame({j: _col(arr, j, numeric) for j in range(len(names))})
        out.columns = template.columns.copy() if columns is None else pd.Index(names)
        if columns is None:
            olds: list[Any] = list(template.dtypes)
        else:
            lookup = dict(zip(template.columns, template.dtypes, strict=False))
            olds = [lookup.get(n) for n in names]
        for j, want in enumerate(olds):
            if want is not None and str(out.dtypes.iloc[j]) != str(want):
                try:
                    cast = out.iloc[:, j].astype(want)
                except (TypeError, ValueError):
                    continue
                back = np.asarray(cast.to_numpy(dtype=object, na_value=None), dtype=object)
                if _same(back, arr[:, j]):
                    out.isetitem(j, cast)
        return out
    if kind == "polars":
        pl = sys.modules["polars"]
        schema = dict(template.collect_schema()) if hasattr(template, "collect_schema") else {}
        cols = {}
        for j, n in enumerate(names):
            s = pl.Series(str(n), _listable(_col(arr, j, numeric)))
            if n in schema and s.dtype != schema[n]:
                try:
                    c = s.cast(schema[n], strict=True)
                    if _same(np.asarray(c.to_list(), dtype=object), arr[:, j]):
                        s = c
                except Exception:
                    pass
            cols[str(n)] = s
        return pl.DataFrame(cols)
    pa = sys.modules["pyarrow"]
    schema = template.schema
    arrays: list[Any] = []
    for j, n in enumerate(names):
        a = pa.array(_listable(_col(arr, j, numeric)))
        # by position (a name may repeat); by name only for given columns
        if columns is None or (n in schema.names and schema.names.count(n) == 1):
            want = schema.field(j if columns is None else n).type
            if a.type != want:
                try:
                    c = a.cast(want)
                    if _same(np.asarray(c.to_pylist(), dtype=object), arr[:, j]):
                        a = c
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
                    pass
        arrays.append(a)
    return pa.table(arrays, names=[str(n) for n in names])


def _numbers_only(col: npt.NDArray[Any]) -> bool:
    """Whether an object column holds only real numbers (NaN/None as missing), not bools."""
    seen = False
    for v in col.tolist():
        if v is None or _isnan(v):
            continue
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False
        if isinstance(v, int) and abs(v) > 2**53:  # not exact as a float64
            return False
        seen = True
    return seen


def _col(arr: npt.NDArray[Any], j: int, numeric: Sequence[int]) -> npt.NDArray[Any]:
    """Column ``j`` of ``arr``, as float64 when it is a number column of a mixed array."""
    col = arr[:, j]
    if j in numeric:
        return np.array([np.nan if v is None else v for v in col.tolist()], dtype=np.float64)
    return col


def _listable(col: npt.NDArray[Any]) -> Any:
    if col.dtype == object:
        return [None if _isnan(v) else v for v in col.tolist()]
    return col


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and v != v


def _same(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    for u, v in zip(a.tolist(), b.tolist(), strict=True):
        if (u is None or _isnan(u)) and (v is None or _isnan(v)):
            continue
        try:
            if u != v:
                return False
        except (TypeError, ValueError):
            return False
    return True


def series_like(template: Any, values: Any, name: Any = None) -> Any:
    """Return ``values`` (1-D) as a Series of the same kind as ``template``.

    When ``template`` is not a Series, ``values`` is returned as a NumPy array.

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import series_like
    >>> series_like(pd.Series([0, 1], name="y"), [1, 1, 0]).name
    'y'
    """
    kind = series_kind(template)
    arr = np.asarray(values)
    if kind is None:
        return arr
    if name is None:
        name = getattr(template, "name", None) if kind != "pyarrow" else None
    if kind == "pandas":
        out = sys.modules["pandas"].Series(arr, name=name)
        try:
            cast = out.astype(template.dtype)
            if _same(np.asarray(cast.to_numpy(dtype=object), dtype=object), arr):
                out = cast
        except (TypeError, ValueError):
            pass
        return out
    if kind == "polars":
        pl = sys.modules["polars"]
        s = pl.Series(str(name) if name is not None else "", _listable(arr))
        try:
            c = s.cast(template.dtype, strict=True)
            if _same(np.asarray(c.to_list(), dtype=object), arr):
                s = c
        except Exception:
            pass
        return s
    pa = sys.modules["pyarrow"]
    a = pa.array(_listable(arr))
    try:
        c = a.cast(template.type)
        if _same(np.asarray(c.to_pylist(), dtype=object), arr):
            a = c
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        pass
    return pa.chunked_array([a]) if type(template).__name__ == "ChunkedArray" else a


def _default_index(index: Any) -> bool:
    """Whether a pandas index is the default ``0..n-1`` RangeIndex (row numbers)."""
    return type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1


def in_row_order(x: Any, ref: Any, name: str, ref_name: str, caller: str) -> Any:
    """Return ``x`` in the row order of ``ref`` when both are pandas objects.

    Two pandas inputs (Series or tables) whose unique indexes hold the same
    row labels in another order (one of them sorted or shuffled) were paired
    by position: every metric was computed on mismatched rows. When both
    indexes name rows, ``x`` is put in ``ref``'s order (as a vectorised
    labelling function's votes in ``labels.apply``). When one of them is a
    default ``0..n-1`` RangeIndex (``pd.Series(model.predict(X))`` on a
    shuffled ``X``, a table read from a file) it may number the rows by
    position rather than name them: matching by label or by position could
    both be wrong, so that is refused naming ``name``, as are the same labels
    in another order with duplicates. Any other pair of indexes (sharing some
    labels or none) is read by position, as scikit-learn reads it. ``ref``
    may also be a pandas ``Index`` naming the rows (a label matrix's kept
    index, a crowd result's tasks, a gate context's ``y_true`` index).

    Examples
    --------
    >>> import pandas as pd
    >>> from mllifecycle._frames import in_row_order
    >>> y = pd.Series([1, 0, 1], index=["a", "b", "c"])
    >>> pred = pd.Series([1, 1, 0], index=["c", "a", "b"])
    >>> in_row_order(pred, y, "pred", "y_true", "f").tolist()  # rows a, b, c
    [1, 0, 1]
    """
    from mllifecycle._validation import described, fail

    def index(v: Any) -> Any:
        if "pandas" in (frame_kind(v), series_kind(v)):
            return v.index
        pd = sys.modules.get("pandas")  # an Index needs pandas imported
        return v if pd is not None and isinstance(v, pd.Index) else None

    a, b = index(x), index(ref)
    if a is None or b is None or len(a) != len(b) or a.equals(b):
        return x
    try:
        reordered = a.sort_values().equals(b.sort_values())
    except TypeError:  # labels of kinds that do not sort together
        reordered = False
    if not reordered:
        return x
    fix = f"pass both in one row order ({name}.loc[{ref_name}.index]) or as NumPy arrays"
    if not (a.is_unique and b.is_unique):
        fail(name, f"rows in {ref_name}'s order: their indexes hold the same row labels, "
             f"with duplicates, in another order, so the rows cannot be matched ({fix})",
             described("a pandas index with repeated labels in another order"), caller)
    if _default_index(a) or _default_index(b):
        which = name if _default_index(a) else ref_name
        fail(name, f"rows in {ref_name}'s order: the indexes hold the same labels in "
             f"another order and {which}'s is a default 0..n-1 RangeIndex, which may "
             f"number the rows rather than name them ({fix})",
             described("pandas indexes 0..n-1 in two orders"), caller)
    return x.iloc[a.get_indexer(b)]


def _plain(v: Any) -> Any:
    """Return a NumPy scalar as the Python value it holds (other values unchanged)."""
    return v.item() if isinstance(v, np.generic) else v


def _named_number(name: Any) -> Any:
    """Return the number a column name stands for (``5``, ``"5"``, ``"5.0"``), else None.

    Text is read as ``pandas.read_csv`` writes a header: an integer exactly
    (``int``, so beyond 2**53 too), else a float. Bools and their text are
    flags, not numbers; ``"1_0"`` is not a number (``int("1_0")`` is 10).
    """
    import numbers

    name = _plain(name)
    if isinstance(name, bool):
        return None
    if isinstance(name, numbers.Real):
        return name
    if isinstance(name, str) and "_" not in name:
        try:
            return int(name)
        except ValueError:
            try:
                return float(name)
            except ValueError:
                return None
    return None


def _named_flag(name: Any) -> bool | None:
    """Return the flag a column name stands for (``True`` or ``"True"``), else None."""
    name = _plain(name)
    if isinstance(name, bool):
        return name
    if isinstance(name, str) and name in ("True", "False"):
        return name == "True"
    return None


def columns_by_class(
    names: Sequence[Any],
    classes: Sequence[Any],
    argname: str,
    caller: str,
    *,
    other_columns: bool = False,
) -> list[int] | None:
    """Return the column of each class when a table's column ``names`` name ``classes``.

    The one rule every reader of a table of probabilities named by class
    (``pd.DataFrame(model.predict_proba(X), columns=model.classes_)``) uses:

    - a text class is named by a column whose name is that text (``1`` or
      ``"1"`` name the class ``"1"``);
    - a number is named by a number of the same value (``1``, ``1.0``,
      ``np.int64(1)``; exact beyond 2**53) or by the text of one (``"1"``,
      ``"1.0"``, as ``pandas.read_csv`` names a header; ``"1_0"`` is no number);
    - a bool class is named by a bool or its text (``"True"``), never by a
      number, and a number never by a bool (``True == 1``, yet a flag names no
      count): such a name is refused, unless it sits at its class's position
      (``pandas``' default names ``0, 1`` beside the classes ``False, True``);
    - other classes (dates) by their text.

    Returns None when no column names a class (the table is read by position).
    Refused, naming ``argname``: repeated names (also ``1`` and ``"1"``), two
    columns naming one class (``1`` and ``1.0``), and a partial naming, where
    some columns name classes but a class has no column or (unless
    ``other_columns``, for callers whose further columns are classes the
    labels lack) a column names no class: read by position it silently gave
    one class's probabilities to another.

    Examples
    --------
    >>> from mllifecycle._frames import columns_by_class
    >>> columns_by_class(["yes", "no"], ["no", "yes"], "y_proba", "f")
    [1, 0]
    >>> columns_by_class(["1.0", "0.0"], [0, 1], "y_proba", "f")
    [1, 0]
    >>> columns_by_class(["p0", "p1"], [0, 1], "y_proba", "f") is None
    True
    """
    from mllifecycle._validation import described, fail, label_kind

    names = list(names)
    refuse_duplicate_names(names, argname, caller)
    values = [_plain(c) for c in classes]
    kinds = [label_kind(c) for c in values]
    texts = {str(c): i for i, (c, k) in enumerate(zip(values, kinds, strict=True))
             if k not in ("numbers", "booleans")}
    # dict look-ups compare numbers by value, exactly (2**53 + 1 != 2.0**53)
    numbers_ = {c: i for i, (c, k) in enumerate(zip(values, kinds, strict=True))
                if k == "numbers" and c == c}
    flags = {c: i for i, (c, k) in enumerate(zip(values, kinds, strict=True))
             if k == "booleans"}
    more = ", further columns naming further classes" if other_columns else ""
    expected = (f"one column per class of {values[:5]!r} named by class (in any "
                f"order{more}), or no column named by class (read by position)")
    hits: list[int | None] = []
    for j, name in enumerate(names):
        x, f = _named_number(name), _named_flag(name)
        candidates = (texts.get(str(_plain(name))),
                      numbers_.get(x) if x is not None and x == x else None,
                      flags.get(f) if f is not None else None)
        found = {i for i in candidates if i is not None}
        if len(found) > 1:
            fail(argname, "column names that each name one class (named by class)",
                 described(f"the column {_plain(name)!r} names the classes "
                           f"{[values[i] for i in sorted(found)]!r}"), caller)
        if not found:
            # a flag for a number (True for 1), a number for a flag (0 for False)
            other = numbers_.get(int(f)) if f is not None else (
                flags.get(bool(x)) if x is not None and x in (0, 1) else None)
            if other is not None and other != j:
                fail(argname, f"columns named by class, of the kind of the classes "
                     f"{values[:5]!r} (a bool names no number, a number no bool)",
                     described(f"the column {_plain(name)!r} for the class "
                               f"{values[other]!r}"),
                     caller)
        hits.append(found.pop() if found else None)
    column_of: dict[int, int] = {}
    for j, i in enumerate(hits):
        if i is not None and i in column_of:
            fail(argname, expected, described(
                f"the columns {_plain(names[column_of[i]])!r} and {_plain(names[j])!r} both "
                f"naming the class {values[i]!r}"), caller)
        if i is not None:
            column_of[i] = j
    if not column_of:
        return None
    unnamed = [c for i, c in enumerate(values) if i not in column_of]
    stray = [_plain(n) for n, h in zip(names, hits, strict=True) if h is None]
    if unnamed or (stray and not other_columns):
        what = (f"no column for the class {unnamed[0]!r}" if unnamed
                else f"the column {stray[0]!r} naming no class")
        fail(argname, expected, described(
            f"columns {[_plain(n) for n in names[:5]]!r}, with {what}"), caller)
    return [column_of[i] for i in range(len(values))]


def collected(x: Any) -> Any:
    """Return a polars LazyFrame collected into a DataFrame, anything else as it is.

    The dataframe layer reads a LazyFrame as a table, but scikit-learn's
    validation read it as one object: a bare "setting an array element with a
    sequence" ValueError, or a "2-D array" refusal showing shape ().

    Examples
    --------
    >>> import polars as pl
    >>> from mllifecycle._frames import collected
    >>> type(collected(pl.LazyFrame({"a": [1, 2]}))).__name__
    'DataFrame'
    """
    if frame_kind(x) == "polars" and type(x).__name__ == "LazyFrame":
        return x.collect()
    return x


def label_is_number(name: str, j: int) -> bool:
    """Whether a column label (as text) is the number ``j`` (``"0"``, ``"0.0"``).

    An int key is a column position; a label that reads as the same number
    names another column, and the key is ambiguous (the drift package's
    ``categorical_features``/``tests`` and ``smote_nc`` refuse it).

    Examples
    --------
    >>> from mllifecycle._frames import label_is_number
    >>> label_is_number("2.0", 2), label_is_number("x", 2)
    (True, False)
    """
    if name == str(j):
        return True
    try:
        return float(name) == j
    except ValueError:
        return False
