"""replay_keyed keeps one class list: every (re)training range must hold every class."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.twotier import replay_keyed


def _stream(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] > 0).astype(int)
    keys = rng.integers(0, 20, n)
    return X, y, keys


def test_a_class_first_seen_after_the_initial_rows_is_a_clear_error():
    # class 2 appears only after the initial training rows: the local tier
    # refused its labels midway with TwoTier.partial_fit's error
    X, y, keys = _stream()
    y[2500:] = 2
    with pytest.raises(
        InvalidParameterError, match=r"'initial_train_size' parameter of replay_keyed.*lack \[2\]"
    ):
        replay_keyed(X, y, keys, GaussianNB(), initial_train_size=1000)


def test_a_retraining_window_missing_a_class_is_a_clear_error():
    # class 1 only in the first 1000 rows: a retrain on the last 500 labelled
    # rows would drop it from the global model
    X, y, keys = _stream()
    y[1000:] = 0
    y[:1000:2] = 1
    with pytest.raises(
        InvalidParameterError, match=r"'window' parameter of replay_keyed.*lack \[1\]"
    ):
        replay_keyed(X, y, keys, GaussianNB(), initial_train_size=1000, window=500,
                     policy=Periodic(every=1000))


def test_windows_holding_every_class_replay_as_before():
    X, y, keys = _stream()
    r = replay_keyed(X, y, keys, GaussianNB(), initial_train_size=1000, window=500,
                     policy=Periodic(every=1000))
    assert r.retrains >= 1
    assert 0.5 < r.accuracy["global"] <= 1.0
