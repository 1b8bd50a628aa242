"""SelfTraining refuses a random_state that is no seed, naming it."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining


def _data() -> tuple[np.ndarray, np.ndarray]:
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.where(np.arange(60) % 3 == 0, (X[:, 0] > 0).astype(int), -1)
    return X, y


@pytest.mark.parametrize("bad", [-1, 1.5, "a", True])
def test_bad_random_state_is_named(bad: object) -> None:
    # -1 and 1.5 raised NumPy's bare ValueError / TypeError; True fitted as seed 1
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'random_state' parameter of SelfTraining"):
        SelfTraining(LogisticRegression(), random_state=bad).fit(X, y)


@pytest.mark.parametrize("good", [None, 0, np.int64(3), np.random.default_rng(0),
                                  np.random.RandomState(0)])
def test_seeds_still_accepted(good: object) -> None:
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SelfTraining(LogisticRegression(), random_state=good).fit(X, y)
    assert model.predict(X).shape == (X.shape[0],)
