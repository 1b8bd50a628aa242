"""augmentation_gain refuses a classification target of a single class, naming y."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain
from mllifecycle.exceptions import InvalidParameterError

X = np.random.default_rng(0).normal(size=(30, 2))


def _same(X, y, rng=None):
    return X, y


@pytest.mark.parametrize("estimator", [GaussianNB(), LogisticRegression()])
@pytest.mark.parametrize("y", [np.zeros(30, int), np.array(["a"] * 30), np.ones(30, bool)])
def test_single_class_is_refused_naming_y(estimator, y):
    # GaussianNB reported "no detectable effect" (gain 0, p 1) for a model that
    # could only predict the one class; LogisticRegression failed with its own
    # error in the first split
    with pytest.raises(InvalidParameterError, match=r"'y'.*at least 2 classes.*only the class"):
        augmentation_gain(estimator, X, y, _same, rng=0)


def test_regressor_on_a_constant_target_still_runs():
    res = augmentation_gain(LinearRegression(), X, np.zeros(30), _same, rng=0)
    assert res.gain == 0.0
