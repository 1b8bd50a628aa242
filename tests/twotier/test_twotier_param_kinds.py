"""TwoTier refuses a flag as max_keys and text as reset_on_refit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(3)
X = RNG.normal(size=(300, 2))
Y = (X[:, 0] > 0).astype(int)
KEYS = RNG.integers(0, 4, 300)


@pytest.mark.parametrize("max_keys", [True, np.True_, 5.0, 0])
def test_max_keys_must_be_a_positive_int(max_keys):
    # max_keys=True was taken as 1: every new key evicted the previous one
    with pytest.raises(InvalidParameterError,
                       match=r"'max_keys' parameter of TwoTier.fit must be an int"):
        TwoTier(LogisticRegression(), max_keys=max_keys).fit(X, Y)


@pytest.mark.parametrize("flag", ["no", "False", None])
def test_reset_on_refit_must_be_a_bool(flag):
    # "no" and "False" are true: the local tier was cleared by a refit
    with pytest.raises(InvalidParameterError,
                       match=r"'reset_on_refit' parameter of TwoTier.fit must be a bool"):
        TwoTier(LogisticRegression(), reset_on_refit=flag).fit(X, Y)


def test_numpy_ints_and_bools_are_accepted():
    model = TwoTier(LogisticRegression(), max_keys=np.int64(2), reset_on_refit=np.False_)
    model.fit(X[:150], Y[:150])
    for key in range(4):  # one key per batch: the least recent ones are evicted
        rows = np.equal(KEYS, key)
        model.partial_fit(X[rows], Y[rows], KEYS[rows])
    assert model.n_keys_ == 2
    model.fit(X[:150], Y[:150])
    assert model.n_keys_ == 2  # kept: reset_on_refit is False
