"""A policy cannot change the stream through the arrays of its state.

``state.current_X`` and ``state.reference_X`` were writable views of the
caller's ``X``: a policy that standardised the batch in place changed the
caller's array, the rows later retrains fit on, and the stream every policy
replayed after it in the same call. ``state.new_errors`` is shared by the
policies of a composition. The replay hands them out read-only.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle.policies import OnDrift, any_of
from mllifecycle.replay import replay


class SignModel(ClassifierMixin, BaseEstimator):
    """Majority class of the training rows on each side of X[:, 0] = 0."""

    def fit(self, X, y, sample_weight=None):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        self.side_ = {}
        for side in (False, True):
            rows = y[(X[:, 0] > 0) == side]
            rows = y if rows.size == 0 else rows
            values, counts = np.unique(rows, return_counts=True)
            self.side_[side] = values[np.argmax(counts)]
        return self

    def predict(self, X):
        right = np.asarray(X, dtype=float)[:, 0] > 0
        return np.where(right, self.side_[True], self.side_[False])


def _stream():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2)) + 1.0
    y = (X[:, 0] > 1.0).astype(int)
    return X, y


@pytest.mark.parametrize("field", ["current_X", "reference_X", "new_errors"])
def test_state_arrays_are_read_only(field):
    X, y = _stream()
    X0 = X.copy()

    def in_place(state):
        a = getattr(state, field)
        if a is not None:
            a[:] = 0.0  # e.g. centring the batch in place
        return state.step % 200 == 0

    with pytest.raises(ValueError, match="read-only"):
        replay(X, y, SignModel(), {"p": in_place}, initial_train_size=100, batch_size=50)
    assert np.array_equal(X, X0)  # the caller's data is untouched


def test_reading_the_state_arrays_still_works():
    X, y = _stream()
    X0 = X.copy()
    shapes = []

    def reader(state):
        shapes.append((state.current_X.shape, state.reference_X.shape))
        return bool(state.new_errors is not None and state.new_errors.mean() > 0.5)

    r = replay(
        X,
        y,
        SignModel(),
        {"p": reader, "d": any_of(OnDrift(_Run()), reader)},
        initial_train_size=100,
        batch_size=50,
    )
    assert shapes[0] == ((50, 2), (100, 2))
    assert r["p"].n_evaluated == 500
    assert np.array_equal(X, X0)


class _Run:
    """A streaming detector that fires on 5 errors in a row."""

    drift_detected = False

    def __init__(self):
        self.run = 0

    def update(self, x):
        self.run = self.run + 1 if x else 0
        self.drift_detected = self.run >= 5
        return self.drift_detected

    def update_many(self, xs):
        return np.array([i for i, x in enumerate(xs) if self.update(x)], dtype=np.intp)

    def reset(self):
        self.run = 0
