"""replay_keyed reads y as TwoTier does; local_state checks the key's kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier, replay_keyed

RNG = np.random.default_rng(5)
N = 1200
X = RNG.normal(size=(N, 2))
KEYS = RNG.integers(0, 10, N)
Y = (X[:, 0] > 0).astype(int)


def _run(y):
    return replay_keyed(X, y, KEYS, LogisticRegression(), initial_train_size=600,
                        batch_size=200)


@pytest.mark.parametrize(
    ("bad", "kinds"),
    [
        (True, r"Got numbers and booleans \(\d and True\)"),
        ("1", r"Got numbers and text \(\d and '1'\)"),
    ],
)
def test_replay_keyed_refuses_a_list_of_two_label_kinds(bad, kinds):
    # np.asarray made [.., True, 1, ..] ints and [.., "1", 1, ..] strings: the two
    # kinds were silently one class and the replay returned accuracies
    y = Y.tolist()
    y[5] = bad
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of replay_keyed .*" + kinds):
        _run(y)


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
@pytest.mark.parametrize("at", [7, 1000])
def test_replay_keyed_refuses_missing_labels_by_name(missing, at):
    # after the initial rows they crashed midway with a raw TypeError
    y = np.where(Y == 1, "a", "b").astype(object)
    y[at] = missing
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter of replay_keyed must be free of missing labels "
                             rf".*the first at row {at}"):
        _run(y)


def test_replay_keyed_refuses_nan_in_float_labels():
    y = Y.astype(float)
    y[1000] = np.nan
    with pytest.raises(InvalidParameterError, match=r"missing labels .*first at row 1000"):
        _run(y)


def test_replay_keyed_accepts_series_and_one_kind_lists_as_before():
    base = _run(Y)
    for y in (Y.tolist(), pd.Series(Y, index=np.arange(N)[::-1]), pd.Series(Y).astype("Int64"),
              Y.astype(bool).tolist()):
        assert _run(y).accuracy == base.accuracy


@pytest.mark.parametrize("key", [True, np.True_, "1"])
def test_local_state_refuses_a_key_of_another_kind(key):
    # True showed key 1's state, "1" answered None (cold) for a warm key
    model = TwoTier(LogisticRegression()).fit(X[:600], Y[:600])
    model.partial_fit(X[600:], Y[600:], KEYS[600:])
    assert model.local_state(1) is not None
    assert model.local_state(np.int64(1)) is not None
    with pytest.raises(InvalidParameterError, match=r"'key' parameter of TwoTier.local_state"):
        model.local_state(key)
