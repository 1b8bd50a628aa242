"""Hunt: keys that are missing values in object form, Arrow text keys, mixed NumPy scalars."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(5)
X = RNG.normal(size=(200, 2))
Y = (X[:, 0] > 0).astype(int)


@pytest.fixture
def model():
    return TwoTier(LogisticRegression()).fit(X, Y)


@pytest.mark.parametrize(
    ("keys", "got"),
    [
        # a float NaN in an object array (pandas object columns hold them) was a key:
        # every row with a missing key shared one "NaN user"
        (np.array([1.0, np.nan, np.nan, 2.0], dtype=object), "2 missing value(s)"),
        (np.array([1.0, np.nan, float("nan"), 2.0], dtype=object), "2 missing value(s)"),
        (pd.Series(["a", None, "b", "b"]), "1 missing value(s)"),
        (pd.Series(pd.array(["a", None, "b", "b"], dtype="string")), "1 missing value(s)"),
        (pd.Series(pd.array([1, None, 2, 2], dtype="Int64")), "1 missing value(s)"),
        ([1, None, 2, 2], "1 missing value(s)"),
        ([1.0, float("nan"), 2.0, 2.0], "1 missing value(s)"),
        (pa.array(["a", None, "b", "b"]), "1 missing value(s)"),
    ],
)
@pytest.mark.parametrize("method", ["partial_fit", "predict_proba"])
def test_missing_keys_are_refused_in_every_form(model, keys, got, method):
    model.partial_fit(X[:4], Y[:4], [7, 7, 8, 8])
    call = (
        (lambda: model.partial_fit(X[:4], Y[:4], keys)) if method == "partial_fit"
        else (lambda: model.predict_proba(X[:4], keys))
    )
    with pytest.raises(
        InvalidParameterError,
        match=rf"'keys' parameter of TwoTier.{method} must be keys without NaN, None, pd.NA or "
        rf"nulls \(missing keys\). Got {re.escape(got)}",
    ):
        call()
    assert sorted(model._slots) == [7, 8]


def test_object_float_keys_follow_the_float_rules(model):
    # as float64 keys: whole floats are the integer keys, fractions are refused
    model.partial_fit(X[:4], Y[:4], np.array([3.0, 3.0, 4.0, 4.0], dtype=object))
    assert sorted(model._slots) == [3, 4]
    assert all(type(k) is int for k in model._slots)
    with pytest.raises(InvalidParameterError, match="integer or text keys"):
        model.partial_fit(X[:2], Y[:2], np.array([1.5, 2.0], dtype=object))


@pytest.mark.parametrize(
    "keys",
    [
        pa.array(["u1", "u1", "u2", "u2"]),
        pa.chunked_array([["u1", "u1"], ["u2", "u2"]]),
        pa.array(["u1", "u1", "u2", "u2"], type=pa.large_string()),
    ],
)
def test_arrow_text_keys_are_the_same_keys_as_python_strings(model, keys):
    # pyarrow's to_numpy() refused text columns (zero_copy_only): an ArrowInvalid crash
    ref = TwoTier(LogisticRegression()).fit(X, Y)
    ref.partial_fit(X[:4], Y[:4], ["u1", "u1", "u2", "u2"])
    model.partial_fit(X[:4], Y[:4], keys)
    assert sorted(model._slots) == ["u1", "u2"]
    np.testing.assert_array_equal(
        model.predict_proba(X[:6], keys=pa.array(["u1", "u2", "u3", "u1", "u2", "u3"])),
        ref.predict_proba(X[:6], keys=["u1", "u2", "u3", "u1", "u2", "u3"]),
    )


def test_numpy_and_python_integers_are_one_key_type(model):
    # an object column mixing np.int64 and int (e.g. built by concatenation) was
    # refused as "mixed types ['int', 'int64']"; they are the same integers
    model.partial_fit(X[:4], Y[:4], pd.Series([np.int64(1), 1, 2, np.int64(2)], dtype=object))
    assert sorted(model._slots) == [1, 2]
    assert model.local_state(1)["n_samples"] == 2.0


def test_missing_feature_cells_are_named_as_missing(model):
    # an Int64 column with pd.NA was refused as "a numeric 2-D array. Got dtype object"
    Xt = pd.DataFrame({"a": pd.array([1, None, 2], dtype="Int64"), "b": [0.0, 1.0, 2.0]})
    with pytest.raises(
        InvalidParameterError,
        match=r"'X' parameter of TwoTier.predict_proba must be finite values. "
        r"Got NaN or infinite values",
    ):
        model.predict_proba(Xt, [1, 2, 3])


@pytest.mark.parametrize("cell", ["pd.NA", "nan", "inf"])
def test_replay_keyed_names_missing_feature_cells(cell):
    # the pd.NA reached float(): "TypeError: float() argument must be ... not 'NAType'";
    # then it, NaN and inf were refused by the TwoTier.fit inside, named as the
    # caller (a call the user never made)
    from mllifecycle.twotier import replay_keyed

    if cell == "pd.NA":
        Xt = pd.DataFrame({"a": pd.array([None, *RNG.integers(0, 3, 199)], dtype="Int64"),
                           "b": X[:, 1]})
    else:
        Xt = X.copy()
        Xt[150, 0] = float(cell)
    first = 0 if cell == "pd.NA" else 150
    with pytest.raises(
        InvalidParameterError,
        match=r"'X' parameter of replay_keyed must be finite values \(no NaN, missing value or "
        rf"infinity\). Got 1 row\(s\) with NaN or infinite values, the first at row {first}",
    ):
        replay_keyed(Xt, Y, RNG.integers(0, 5, 200), LogisticRegression(),
                     initial_train_size=100)
