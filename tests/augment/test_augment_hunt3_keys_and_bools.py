"""Hunt 3: shrinkage dict keys of another kind than y; SMOTE-NC boolean number columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import RandomOverSampler, random_oversample, smote, smote_nc
from mllifecycle.exceptions import InvalidParameterError


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.r_[np.zeros(20, int), np.ones(10, int)]
    return X, y


def test_shrinkage_bool_key_on_integer_labels_refused() -> None:
    # {True: h} was read as the class 1 (True == 1), unlike sampling_strategy
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'shrinkage'.*booleans such as True"):
        random_oversample(X, y, shrinkage={True: 1.0}, rng=0)


def test_shrinkage_int_key_on_boolean_labels_refused() -> None:
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'shrinkage'.*numbers such as 1"):
        random_oversample(X, y.astype(bool), shrinkage={1: 1.0}, rng=0)
    with pytest.raises(InvalidParameterError, match="'shrinkage'"):
        RandomOverSampler(shrinkage={1: 1.0}, random_state=0).fit_resample(
            X, y.astype(bool))


@pytest.mark.parametrize(
    ("labels", "key"),
    [
        (np.array([0, 1]), 1),
        (np.array([0, 1]), np.int64(1)),
        (np.array([False, True]), True),
        (np.array(["a", "b"]), "b"),
        (np.array(["a", "b"]), np.str_("b")),
    ],
)
def test_shrinkage_keys_of_the_labels_kind_still_work(labels, key) -> None:
    X, y = _data()
    yy = labels[y]
    a = random_oversample(X, yy, shrinkage={key: 1.0}, rng=0)
    b = random_oversample(X, yy, shrinkage=1.0, rng=0)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_shrinkage_keys_on_categorical_y() -> None:
    X, y = _data()
    yc = pd.Series(pd.Categorical(np.array(["a", "b"])[y]))
    _, yn = random_oversample(X, yc, shrinkage={"b": 1.0}, rng=0)
    assert yn.value_counts().to_dict() == {"a": 20, "b": 20}


def _mixed_table() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    n = 60
    df = pd.DataFrame({
        "a": rng.normal(size=n),
        "c": rng.choice(["x", "y", "z"], n),
        "b": rng.random(n) > 0.5,
    })
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    return df, y


def test_smote_nc_boolean_number_column_comes_back_as_floats() -> None:
    # the column 'b' is numeric (not listed as categorical), so it is
    # interpolated; it came back as objects mixing True/False and fractions
    df, y = _mixed_table()
    Xn, _ = smote_nc(df, y, categorical_features=["c"], rng=0)
    assert Xn["b"].dtype == np.float64
    np.testing.assert_array_equal(Xn["b"].to_numpy()[:60], df["b"].to_numpy().astype(float))
    assert ((Xn["b"] >= 0) & (Xn["b"] <= 1)).all()
    # as smote gives it on the numeric columns alone
    Xs, _ = smote(df[["a", "b"]], y, rng=0)
    assert Xs["b"].dtype == np.float64


def test_smote_nc_boolean_number_column_object_array() -> None:
    df, y = _mixed_table()
    X = df.to_numpy(dtype=object)
    Xn, _ = smote_nc(X, y, categorical_features=[1], rng=0)
    kinds = {type(v) for v in Xn[:, 2]}
    assert kinds == {float}, kinds
    np.testing.assert_array_equal(Xn[:60, 2].astype(float), df["b"].to_numpy().astype(float))
    # the categorical and other columns of the original rows are untouched
    np.testing.assert_array_equal(Xn[:60, 1], X[:, 1])
    np.testing.assert_array_equal(Xn[:60, 0], X[:, 0])


def test_smote_nc_boolean_categorical_column_stays_boolean() -> None:
    df, y = _mixed_table()
    Xn, _ = smote_nc(df, y, categorical_features=["c", "b"], rng=0)
    assert Xn["b"].dtype == bool
    # the input table is not changed
    assert df["b"].dtype == bool


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_smote_nc_boolean_number_column_polars_pyarrow(kind) -> None:
    # polars raised a bare TypeError building a column of booleans and floats
    mod = pytest.importorskip(kind)
    df, y = _mixed_table()
    data = {c: df[c].tolist() for c in df.columns}
    table = mod.DataFrame(data) if kind == "polars" else mod.table(data)
    Xn, _ = smote_nc(table, y, categorical_features=["c"], rng=0)
    b = np.asarray(Xn["b"].to_numpy() if kind == "polars" else Xn.column("b").to_numpy())
    assert b.dtype == np.float64
    np.testing.assert_array_equal(b[:60], df["b"].to_numpy().astype(float))
