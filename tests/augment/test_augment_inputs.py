"""Bad inputs: a table of (call, error type, message)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.augment import (
    SMOTE,
    adasyn,
    augmentation_gain,
    borderline_smote,
    gaussian_noise,
    mixup,
    random_oversample,
    smote,
    smote_nc,
    smote_regression,
)
from mllifecycle.exceptions import InvalidParameterError

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 3))
Y = np.r_[np.zeros(30, int), np.ones(10, int)]
X_NAN = X.copy()
X_NAN[3, 1] = np.nan
X_INF = X.copy()
X_INF[0, 0] = np.inf
Y_CONT = rng.normal(size=40)
Y_ONE = np.r_[np.zeros(39, int), np.ones(1, int)]
Y_NAN = Y.astype(float)
Y_NAN[5] = np.nan

BAD = [
    (smote, (X, np.zeros(40, int)), {}, "at least 2 classes"),
    (borderline_smote, (X, np.zeros(40, int)), {}, "at least 2 classes"),
    (adasyn, (X, np.zeros(40, int)), {}, "at least 2 classes"),
    (smote, (X, Y_ONE), {}, "at least 2 rows in every class"),
    (adasyn, (X, Y_ONE), {}, "at least 2 rows in every class"),
    (smote, (X_NAN, Y), {}, "free of NaN"),
    (adasyn, (X_INF, Y), {}, "finite"),
    (smote, (X, Y_NAN), {}, "free of NaN"),
    (smote, (X, Y_CONT), {}, "class labels"),
    (smote, (X, Y), {"sampling_strategy": 0.2}, "only adds rows"),
    (smote, (X, Y), {"sampling_strategy": 1.5}, r"range \(0.0, 1.0\]"),
    (smote, (X, Y), {"sampling_strategy": 0.0}, r"range \(0.0, 1.0\]"),
    (smote, (X, Y), {"sampling_strategy": {1: 5}}, "never removes rows"),
    (smote, (X, Y), {"sampling_strategy": {7: 50}}, "unknown class 7"),
    (smote, (X, Y), {"sampling_strategy": "minority"}, "'auto'"),
    (smote, (X, Y), {"sampling_strategy": [1, 2]}, "'auto'"),
    (smote, (X, Y), {"sampling_strategy": 0.5, "n_samples": 10}, "pass one or the other"),
    (smote, (X, Y), {"n_samples": -1}, "'n_samples'"),
    (smote, (X, Y), {"k_neighbors": 0}, "'k_neighbors'"),
    (smote, (X, Y), {"k_neighbors": 2.5}, "'k_neighbors'"),
    (smote, (X, Y), {"rng": -1}, "'rng'"),
    (smote, (X, Y), {"rng": np.random.RandomState(0)}, "RandomState"),
    (smote, (X, Y), {"n_jobs": 0}, "'n_jobs'"),
    (smote, (X[:, 0], Y), {}, "2-D"),
    (smote, (X, Y[:-1]), {}, "same number of samples"),
    (smote, (X, Y), {"sample_weight": -np.ones(40)}, "non-negative"),
    (smote, (X, Y), {"sample_weight": np.ones(39)}, "one weight per row"),
    (smote, (X, np.array([0] * 30 + ["a"] * 10, dtype=object)), {},
     "labels of one kind.*numbers and text"),
    (borderline_smote, (X, Y), {"kind": "borderline-3"}, "'kind'"),
    (borderline_smote, (X, Y), {"m_neighbors": 0}, "'m_neighbors'"),
    (smote_nc, (X, Y), {"categorical_features": [5]}, "index 5 out of range"),
    (smote_nc, (X, Y), {"categorical_features": [-4]}, "index -4 out of range"),
    (smote_nc, (X, Y), {"categorical_features": [0, 1, 2]}, "numeric column"),
    (smote_nc, (X, Y), {"categorical_features": []}, "categorical_features"),
    (smote_nc, (X, Y), {"categorical_features": [True, False]}, "mask of length 2"),
    (smote_nc, (X, Y), {"categorical_features": [1, 1]}, "repeated"),
    (smote_nc, (X, Y), {"categorical_features": "a"}, "categorical_features"),
    (smote_nc, (X_NAN, Y), {"categorical_features": [0]}, "free of NaN"),
    (smote_nc, (X_NAN, Y), {"categorical_features": [1]}, "missing value"),
    (random_oversample, (X, Y), {"shrinkage": -0.1}, "'shrinkage'"),
    (random_oversample, (X, Y), {"shrinkage": {0: 1.0}}, "every class"),
    (random_oversample, (X, Y), {"shrinkage": {5: 1.0}}, "unknown class"),
    (random_oversample, (X, Y_CONT), {}, "'n_samples'"),
    (gaussian_noise, (X, Y), {"scale": -1.0}, "'scale'"),
    (gaussian_noise, (X, Y_CONT), {"sampling_strategy": 0.5, "n_samples": 3}, "'auto'"),
    (mixup, (X, Y), {"concentration": 0.0}, "'concentration'"),
    (mixup, (X, Y), {"labels": "fuzzy"}, "'labels'"),
    (mixup, (X, Y), {"task": "ranking"}, "'task'"),
    (mixup, (X, Y_CONT), {"task": "classification"}, "class labels"),
    (mixup, (X, np.array(["a", "b"] * 20)), {"task": "regression"}, "numeric"),
    (mixup, (X, Y_CONT), {}, "'n_samples'"),
    (smote_regression, (X, Y_CONT), {"threshold": 1.5}, "'threshold'"),
    (smote_regression, (X, Y_CONT), {"relevance": lambda v: v * 10}, "'relevance'"),
    (smote_regression, (X, Y_CONT), {"relevance": 3}, "callable"),
    (smote_regression, (X, Y_CONT), {"sampling_strategy": {"mid": 3}}, "'low' and/or"),
    (smote_regression, (X, Y_CONT), {"sampling_strategy": 2.0}, r"\(0.0, 1.0\]"),
    (smote_regression, (X, Y_CONT), {"sampling_strategy": "balance"}, "'auto'"),
    (smote_regression, (X, Y_CONT[:-1]), {}, "same number of samples"),
    (smote_regression, (X, np.full(40, 1.0)), {"n_samples": 5}, "at least 2 rare"),
]


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "match"), BAD,
    ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)],
)
def test_bad_input_raises_clear_error(fn, args, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match) as info:
        fn(*args, **kwargs)
    assert fn.__name__ in str(info.value)


def test_error_message_format():
    with pytest.raises(InvalidParameterError) as info:
        smote(X, Y, k_neighbors=0)
    assert str(info.value) == (
        "The 'k_neighbors' parameter of smote must be an int in the range [1, inf). "
        "Got 0 instead."
    )


GAIN_BAD = [
    ({"estimator": object()}, "fit()"),
    ({"augmenter": 3}, "fit_resample"),
    ({"augmenter": lambda X, y: (X, y)}, "keyword 'rng'"),
    ({"cv": 1}, "'cv'"),
    ({"cv": 20}, "smallest class"),
    ({"cv": "kfold"}, "'cv'"),
    ({"n_repeats": 0}, "'n_repeats'"),
    ({"confidence_level": 1.0}, "'confidence_level'"),
    ({"X": X_NAN}, "free of NaN"),
]


@pytest.mark.parametrize(("override", "match"), GAIN_BAD)
def test_augmentation_gain_bad_inputs(override, match):
    kw = {"estimator": KNeighborsClassifier(1), "X": X, "y": Y,
          "augmenter": SMOTE(k_neighbors=3)}
    kw.update(override)
    with pytest.raises(InvalidParameterError, match=match):
        augmentation_gain(kw.pop("estimator"), kw.pop("X"), kw.pop("y"),
                          kw.pop("augmenter"), **kw)


def test_table_with_duplicate_column_names_keeps_every_column():
    # the output table was rebuilt from a dict keyed by name: both 'a' columns
    # came back holding the second one's values
    import pandas as pd

    from mllifecycle.augment import smote

    rng = np.random.default_rng(10)
    X = rng.normal(size=(50, 3))
    y = np.r_[np.zeros(40, int), np.ones(10, int)]
    df = pd.DataFrame(X, columns=["a", "a", "b"])
    got, _ = smote(df, y, rng=0)
    ref, _ = smote(X, y, rng=0)
    assert got.columns.tolist() == ["a", "a", "b"]
    np.testing.assert_array_equal(got.to_numpy(), ref)


def test_arrow_table_with_duplicate_column_names_is_accepted():
    # the output schema was looked up by name: KeyError on a repeated name
    pa = pytest.importorskip("pyarrow")
    from mllifecycle.augment import smote

    rng = np.random.default_rng(11)
    X = rng.normal(size=(50, 3))
    X[:, 2] = np.round(X[:, 2])
    y = np.r_[np.zeros(40, int), np.ones(10, int)]
    t = pa.table([pa.array(X[:, 0]), pa.array(X[:, 1]), pa.array(X[:, 2].astype(np.int64))],
                 names=["a", "a", "b"])
    got, _ = smote(t, y, rng=0)
    ref, _ = smote(X, y, rng=0)
    assert got.column_names == ["a", "a", "b"]
    np.testing.assert_allclose(np.column_stack([c.to_numpy() for c in got.columns]), ref)
