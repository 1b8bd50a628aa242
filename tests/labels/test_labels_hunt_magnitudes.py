"""Wrong answers on labels of large magnitude and other new input classes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining


def _blobs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (100, 2)), rng.normal(2, 1, (100, 2))]
    return X, rng.random(200) < 0.15


def test_self_training_refuses_float_labels_beyond_int64() -> None:
    # 1e19 wrapped to -2**63 in the int64 cast: classes_ held a label never given
    X, mask = _blobs()
    y = np.where(mask, np.repeat([0.0, 1e19], 100), np.nan)
    with pytest.raises(InvalidParameterError, match=r"'y'.*2\*\*63.*1e\+19"):
        SelfTraining(LogisticRegression(), random_state=0).fit(X, y)


def test_self_training_whole_float_labels_still_ints() -> None:
    X, mask = _blobs()
    y = np.where(mask, np.repeat([0.0, 1.0], 100), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = SelfTraining(LogisticRegression(), random_state=0).fit(X, y)
    assert m.classes_.tolist() == [0, 1]


def test_self_training_whole_float_labels_below_int64_kept() -> None:
    # 1e17 casts to int64 exactly: accepted (scikit-learn reads it as a class)
    X, mask = _blobs()
    y = np.where(mask, np.repeat([0.0, 1e17], 100), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = SelfTraining(LogisticRegression(), random_state=0).fit(X, y)
    assert m.classes_.tolist() == [0, 10**17]
