"""augmentation_gain for a regressor on a whole-number target (counts, cents).

The target was read as class labels and the folds stratified: every distinct
value was a "class" of one or two rows, and the gain was refused with an error
about "the smallest class" that the regression has no notion of.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain, smote, smote_regression
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = np.round(X[:, 0] * 100 + rng.normal(size=80) * 10).astype(int)
    return X, y


@pytest.mark.parametrize("as_float", [False, True])
def test_regressor_with_whole_number_target_gets_plain_folds(as_float):
    X, y = _data()
    y = y.astype(float) if as_float else y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = augmentation_gain(Ridge(), X, y, smote_regression, n_repeats=2, rng=0)
    assert res.n_splits == 10
    assert res.n_test == 16
    assert np.isfinite(res.gain)


def test_classifier_still_needs_stratified_folds():
    X, y = _data()
    labels = (y > 0).astype(int)
    labels[:3] = 2  # a class of 3 rows: 5 stratified folds are impossible
    with pytest.raises(InvalidParameterError, match="smallest class"):
        augmentation_gain(GaussianNB(), X, labels, smote, rng=0)
