"""The dataframe layer: pandas, polars and pyarrow in, the same kind out."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import _frames

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

DATA = {"num": [1.5, None, 3.0], "int": [1, 2, 3], "txt": ["a", None, "c"]}


def _make(kind):
    if kind == "pandas":
        return pd.DataFrame(DATA)
    if kind == "polars":
        return pl.DataFrame(DATA)
    return pa.table(DATA)


KINDS = ["pandas", "polars", "pyarrow"]


@pytest.mark.parametrize("kind", KINDS)
def test_columns_agree_across_libraries(kind):
    df = _make(kind)
    assert _frames.frame_kind(df) == kind
    names, cols = _frames.to_columns(df)
    assert names == ["num", "int", "txt"]
    assert np.isnan(cols[0][1])
    assert cols[0][[0, 2]].tolist() == [1.5, 3.0]
    assert cols[1].dtype.kind == "i"
    assert cols[1].tolist() == [1, 2, 3]
    assert cols[2].tolist() == ["a", None, "c"]


@pytest.mark.parametrize("kind", KINDS)
def test_like_round_trips_kind_and_integer_dtype(kind):
    df = _make(kind).select(["int"]) if kind != "pandas" else _make(kind)[["int"]]
    out = _frames.like(df, np.array([[4.0], [5.0]]))
    assert _frames.frame_kind(out) == kind
    _, cols = _frames.to_columns(out)
    assert cols[0].dtype.kind == "i"
    assert cols[0].tolist() == [4, 5]
    # a fractional value cannot stay integer: it is kept as float, not truncated
    out = _frames.like(df, np.array([[4.5]]))
    assert _frames.to_columns(out)[1][0].tolist() == [4.5]


@pytest.mark.parametrize(
    ("make", "missing"),
    [
        (lambda: pd.Series([1, None, 3], dtype="Int64"), 1),
        (lambda: pd.Series([True, None], dtype="boolean"), 1),
        (lambda: pd.Series([1.0, pd.NA], dtype="Float64"), 1),
        (lambda: pl.Series([1, None, 3]), 1),
        (lambda: pa.chunked_array([[1, None, 3]]), 1),
    ],
)
def test_nullable_columns_give_nan(make, missing):
    col = _frames.column_to_numpy(make())
    assert col.dtype == np.float64
    assert int(np.isnan(col).sum()) == missing


def test_nullable_without_missing_keeps_integer():
    col = _frames.column_to_numpy(pd.Series([1, 2], dtype="Int64"))
    assert col.dtype == np.int64


@pytest.mark.parametrize("kind", KINDS)
def test_series_like_keeps_kind(kind):
    template = {
        "pandas": pd.Series([0, 1], name="y"),
        "polars": pl.Series("y", [0, 1]),
        "pyarrow": pa.chunked_array([[0, 1]]),
    }[kind]
    out = _frames.series_like(template, np.array([1, 0, 1]))
    assert _frames.series_kind(out) == kind
    assert _frames.column_to_numpy(out).tolist() == [1, 0, 1]


def test_not_a_table_is_refused():
    with pytest.raises(TypeError, match="expected a pandas, polars or pyarrow table, got list"):
        _frames.to_columns([[1, 2]])
    assert _frames.like(np.zeros((1, 1)), [[1.0]]).tolist() == [[1.0]]


def test_duplicate_names_are_reported_as_given():
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    names, cols = _frames.to_columns(df)
    assert names == ["a", "a"]
    assert [c.tolist() for c in cols] == [[1], [2]]


@pytest.mark.parametrize("dtype", ["numeric", "any"])
def test_complex_input_is_refused_not_truncated(dtype):
    from mllifecycle._validation import check_array
    from mllifecycle.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"'x' parameter .* real numbers"):
        check_array(np.array([1 + 2j, 3]), "x", dtype=dtype)


def test_in_row_order_takes_an_index_as_the_rows():
    # a kept row index (LabelMatrix, a crowd result's tasks, a gate context)
    # names the rows as a Series on it would
    from mllifecycle._frames import in_row_order
    from mllifecycle.exceptions import InvalidParameterError

    x = pd.Series([10, 20, 30], index=["c", "a", "b"])
    got = in_row_order(x, pd.Index(["a", "b", "c"]), "x", "rows", "f")
    assert got.tolist() == [20, 30, 10]
    with pytest.raises(InvalidParameterError, match="'x' parameter of f"):
        in_row_order(pd.Series([1, 2, 3], index=[2, 0, 1]), pd.RangeIndex(3), "x", "rows", "f")
