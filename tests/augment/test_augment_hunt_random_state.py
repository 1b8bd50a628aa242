"""Samplers name their own random_state when it is refused."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.augment import (
    ADASYN,
    SMOTE,
    SMOTER,
    BorderlineSMOTE,
    GaussianNoise,
    Mixup,
    RandomOverSampler,
)
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize("sampler", [SMOTE, BorderlineSMOTE, ADASYN, RandomOverSampler,
                                     GaussianNoise, Mixup, SMOTER])
@pytest.mark.parametrize("bad", [np.random.RandomState(0), -1, 1.5, True])
def test_bad_random_state_named_as_the_samplers(sampler: type, bad: object) -> None:
    # the error read "The 'rng' parameter of smote": neither name the user wrote
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.raises(InvalidParameterError,
                       match=rf"'random_state' parameter of {sampler.__name__}\.fit_resample"):
        sampler(random_state=bad).fit_resample(X, y)


def test_good_random_state_unchanged() -> None:
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    a = SMOTE(random_state=3).fit_resample(X, y)[0]
    b = SMOTE(random_state=np.random.default_rng(3)).fit_resample(X, y)[0]
    c = SMOTE(random_state=np.random.SeedSequence(3)).fit_resample(X, y)[0]
    assert np.array_equal(a, b)
    assert np.array_equal(a, c)
