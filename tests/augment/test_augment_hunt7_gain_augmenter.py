"""augmentation_gain names an augmenter that cannot give a training set for the model."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.augment import SMOTE, Mixup, augmentation_gain, mixup, smote
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] + rng.normal(size=80) > 1.0).astype(int)
    return X, y


def test_sampler_class_for_an_instance_is_named():
    X, y = _data()
    # was scikit-learn's bare "Cannot clone object ... instead of a class"
    with pytest.raises(InvalidParameterError, match=r"augmenter.*class SMOTE.*SMOTE\(\)"):
        augmentation_gain(LogisticRegression(), X, y, SMOTE, n_repeats=1, rng=0)


@pytest.mark.parametrize(
    "augmenter", [functools.partial(mixup, labels="soft"), Mixup(labels="soft")]
)
def test_soft_labels_are_named(augmenter):
    X, y = _data()
    # was scikit-learn's bare "y should be a 1d array, got ... (102, 2)"
    with pytest.raises(InvalidParameterError, match=r"augmenter.*1-D y.*labels='hard'"):
        augmentation_gain(LogisticRegression(), X, y, augmenter, n_repeats=1, rng=0)


def test_augmenter_dropping_a_feature_is_named():
    X, y = _data()

    def drops(X, y, rng=None):
        return X[:, :2], y

    # was "X has 3 features, but LogisticRegression is expecting 2 features"
    with pytest.raises(InvalidParameterError, match=r"augmenter.*3 feature.*2 feature"):
        augmentation_gain(LogisticRegression(), X, y, drops, n_repeats=1, rng=0)


def test_table_and_series_still_work():
    X, y = _data()
    Xd = pd.DataFrame(X, columns=["a", "b", "c"])
    res = augmentation_gain(LogisticRegression(), Xd, pd.Series(y), smote, n_repeats=1, rng=0)
    assert res.n_splits == 5
    assert np.isfinite(res.gain)
