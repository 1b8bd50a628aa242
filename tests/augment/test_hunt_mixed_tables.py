"""Hunt: a table mixing numeric and text columns comes back with numeric columns numeric."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mllifecycle.augment import smote_nc

RNG = np.random.default_rng(11)
N = 24
A = RNG.integers(0, 100, N)  # whole numbers: interpolation makes them fractional
B = RNG.normal(size=N)
S = np.array(list("xyz"))[RNG.integers(0, 3, N)]
Y = np.r_[np.zeros(18, int), np.ones(6, int)]


def _reference():
    X = np.empty((N, 3), dtype=object)
    X[:, 0], X[:, 1], X[:, 2] = A, B, S
    return smote_nc(X, Y, categorical_features=[2], rng=0)


def _table(kind, text_dtype=None):
    if kind == "pandas":
        s = pd.array(S, dtype=text_dtype) if text_dtype else S
        return pd.DataFrame({"a": A, "b": B, "s": s})
    if kind == "polars":
        return pl.DataFrame({"a": A, "b": B, "s": S})
    return pa.table({"a": A, "b": B, "s": S})


def _column(t, name):
    if isinstance(t, pa.Table):
        return np.asarray(t.column(name).to_pylist(), dtype=object)
    return np.asarray(t[name].to_list(), dtype=object)


@pytest.mark.parametrize(
    ("kind", "text_dtype", "numeric_dtype"),
    [
        # the integer column came back as pandas dtype object (numbers boxed)
        ("pandas", None, "float64"),
        ("pandas", "string", "float64"),
        # polars refused to build the column: "unexpected value while building
        # Series of type Int64; found value of type Float64"
        ("polars", None, "Float64"),
        ("pyarrow", None, "double"),
    ],
)
def test_smote_nc_keeps_numeric_columns_numeric_beside_text(kind, text_dtype, numeric_dtype):
    Xr, yr = _reference()
    Xo, yo = smote_nc(_table(kind, text_dtype), Y, categorical_features=["s"], rng=0)
    assert type(Xo) is type(_table(kind))
    dtypes = (
        {f.name: str(f.type) for f in Xo.schema} if kind == "pyarrow"
        else {k: str(v) for k, v in (Xo.schema.items() if kind == "polars" else Xo.dtypes.items())}
    )
    assert dtypes["a"] == numeric_dtype
    assert dtypes["b"] == numeric_dtype
    np.testing.assert_array_equal(_column(Xo, "a").astype(float), Xr[:, 0].astype(float))
    np.testing.assert_array_equal(_column(Xo, "b").astype(float), Xr[:, 1].astype(float))
    assert _column(Xo, "s").tolist() == Xr[:, 2].tolist()
    np.testing.assert_array_equal(np.asarray(yo), yr)


def test_integers_beyond_float_precision_are_not_rounded_in_a_mixed_table():
    # copied rows of a mixed table: a column of Python ints beyond 2**53 stays exact
    big = np.array([2**60 + i for i in range(N)], dtype=object)
    t = pd.DataFrame({"a": big, "s": S})
    Xo, _ = smote_nc(t, Y, categorical_features=["s"], rng=0)
    assert Xo["a"].tolist()[:N] == big.tolist()
