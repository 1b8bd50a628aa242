"""Hunt: weights an augmenter returns are used by augmentation_gain, not dropped."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.augment import augmentation_gain
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=200) > 0).astype(int)
    return X, y


def _flipped_copy_weighted_zero(X, y, rng=None):
    # a copy of every row with the opposite label, weighted 0: the weighted
    # model is the plain one; fitting without the weights learns noise
    Xg = np.vstack([X, X])
    yg = np.concatenate([y, 1 - y])
    w = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    return Xg, yg, w


def test_augmentation_gain_fits_with_the_weights_the_augmenter_returns():
    X, y = _data()
    res = augmentation_gain(LogisticRegression(), X, y, _flipped_copy_weighted_zero,
                            cv=5, n_repeats=2, rng=0)
    # the weights were dropped: the flipped copies cancelled the signal and
    # the "augmented" model scored about 0.5 against a baseline of ~0.9
    np.testing.assert_allclose(res.candidate_scores, res.baseline_scores, atol=1e-6)


@pytest.mark.parametrize(
    ("estimator", "augmenter", "match"),
    [
        (KNeighborsClassifier(), _flipped_copy_weighted_zero,
         r"'estimator' parameter of augmentation_gain must be an estimator whose fit takes "
         r"sample_weight.*KNeighborsClassifier"),
        (LogisticRegression(), lambda X, y, rng=None: (X, y, np.ones(len(y) - 1)),
         r"'augmenter' parameter of augmentation_gain must be \(X, y, sample_weight\) with "
         r"one weight per row"),
        (LogisticRegression(), lambda X, y, rng=None: (X, y, np.ones((len(y), 2))),
         r"one weight per row"),
    ],
)
def test_augmentation_gain_refuses_weights_it_cannot_use(estimator, augmenter, match):
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=match):
        augmentation_gain(estimator, X, y, augmenter, cv=3, n_repeats=1, rng=0)


def test_augmentation_gain_none_weights_are_no_weights():
    X, y = _data()
    plain = augmentation_gain(KNeighborsClassifier(), X, y, lambda X, y, rng=None: (X, y),
                              cv=3, n_repeats=1, rng=0)
    none = augmentation_gain(KNeighborsClassifier(), X, y,
                             lambda X, y, rng=None: (X, y, None), cv=3, n_repeats=1, rng=0)
    assert plain.candidate_scores == none.candidate_scores
