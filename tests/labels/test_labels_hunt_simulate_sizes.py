"""simulate: a pool the initial labels alone fill is blamed on the right argument."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import margin, simulate


def _data() -> tuple[np.ndarray, np.ndarray]:
    X = np.random.default_rng(0).normal(size=(12, 2))
    return X, np.r_[np.zeros(10, int), [1, 1]]


def test_large_test_size_is_named() -> None:
    # was "budget must be at most -1 (pool of 3 rows minus 4 initial labels)"
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'test_size'.*3 of 12 rows"):
        simulate(X, y, LogisticRegression(), margin, budget=2, test_size=0.75, rng=0)


def test_large_initial_size_is_named() -> None:
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'initial_size'.*9 initial labels"):
        simulate(X, y, LogisticRegression(), margin, budget=2, initial_size=9, rng=0)
