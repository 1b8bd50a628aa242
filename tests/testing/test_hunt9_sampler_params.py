"""check_sampler fails a sampler that changes its own parameters in fit_resample.

A scikit-learn style sampler lowering ``k_neighbors`` to what the data
allowed (or overwriting ``sampling_strategy``) passed: its ``get_params``
then no longer gave what it was constructed with, so ``clone``, a
``GridSearchCV`` candidate or its next ``fit_resample`` started from other
parameters. scikit-learn's ``check_estimators_overwrite_params`` fails an
estimator doing so in ``fit``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from mllifecycle import augment
from mllifecycle.testing import check_sampler

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 2))
y = np.r_[np.zeros(30, int), np.ones(10, int)]


class _Adjusting(BaseEstimator):
    """Oversamples at random; lowers its k_neighbors in fit_resample when asked to."""

    def __init__(self, k_neighbors=5, sampling_strategy="auto", overwrite=None,
                 random_state=None):
        self.k_neighbors = k_neighbors
        self.sampling_strategy = sampling_strategy
        self.overwrite = overwrite
        self.random_state = random_state

    def fit_resample(self, X, y):
        if self.overwrite == "k_neighbors":
            self.k_neighbors = min(self.k_neighbors, 3)
        elif self.overwrite == "sampling_strategy":
            self.sampling_strategy = {1: 30}
        elif self.overwrite == "own attribute":
            self.k_neighbors_ = min(self.k_neighbors, 3)  # a fitted attribute: allowed
        return augment.random_oversample(X, y, rng=self.random_state)


@pytest.mark.parametrize("which", ["k_neighbors", "sampling_strategy"])
def test_a_sampler_changing_its_parameters_fails(which):
    with pytest.raises(AssertionError,
                       match=rf"fit_resample changed the parameter\(s\) \['{which}'\]"):
        check_sampler(_Adjusting(overwrite=which, random_state=0), X, y)


@pytest.mark.parametrize("sampler", [
    _Adjusting(random_state=0),
    _Adjusting(overwrite="own attribute", random_state=0),
    _Adjusting(k_neighbors=2, overwrite="k_neighbors", random_state=0),  # min(2, 3) is 2
    augment.SMOTE(k_neighbors=3, random_state=0),
    augment.ADASYN(k_neighbors=3, random_state=0),
    augment.Mixup(random_state=0),
], ids=repr)
def test_samplers_keeping_their_parameters_pass(sampler):
    check_sampler(sampler, X, y)


def test_imbalanced_learn_samplers_pass():
    imblearn = pytest.importorskip("imblearn")
    from sklearn.neighbors import NearestNeighbors

    # a neighbours estimator as a parameter is cloned by imbalanced-learn, not fitted
    check_sampler(imblearn.over_sampling.SMOTE(k_neighbors=NearestNeighbors(n_neighbors=4),
                                               random_state=0), X, y)
    check_sampler(imblearn.under_sampling.RandomUnderSampler(random_state=0), X, y)
