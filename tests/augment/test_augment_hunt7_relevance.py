"""smote_regression names what is wrong with a user's relevance answer."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.augment import smote_regression
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    return X, np.exp(X[:, 0])


def test_nan_relevance_is_reported_as_nan_not_as_values_in_range():
    X, y = _data()
    # was "with values in [0.0, 0.0]": nanmin/nanmax hid the NaN that failed
    with pytest.raises(InvalidParameterError, match=r"relevance.*\d+ NaN value"):
        smote_regression(X, y, relevance=lambda v: np.where(v > 2, np.nan, 0.0), rng=0)


def test_empty_relevance_is_named():
    X, y = _data()
    # was NumPy's bare "zero-size array to reduction operation fmin"
    with pytest.raises(InvalidParameterError, match=r"relevance.*shape \(0,\)"):
        smote_regression(X, y, relevance=lambda v: [], rng=0)


def test_text_relevance_is_named():
    X, y = _data()
    # was NumPy's bare "could not convert string to float"
    with pytest.raises(InvalidParameterError, match=r"relevance.*not numbers"):
        smote_regression(X, y, relevance=lambda v: ["a"] * len(v), rng=0)


def test_infinite_relevance_is_reported():
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"relevance.*infinite value"):
        smote_regression(X, y, relevance=lambda v: np.where(v > 2, np.inf, 0.0), rng=0)


def test_valid_relevance_still_works():
    X, y = _data()
    X_new, y_new = smote_regression(X, y, relevance=lambda v: (v > 2) * 1.0, rng=0)
    assert X_new.shape[0] > X.shape[0]
    assert np.array_equal(y_new[:50], y)
