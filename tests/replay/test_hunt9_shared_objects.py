"""A replay keeps what a user's own objects share, and fits their estimators as they are.

- An object that is both the policy and its window (a user's class that
  remembers where it saw the change and selects from there) was copied
  apart: the window's copy never saw the policy's decisions and trained
  from row 0.
- A user's label-free estimator (a plain class, no ``get_params``) whose
  ``fit`` returns None, not ``self``, gave no estimate at all:
  ``state.estimated_metric`` stayed None for the whole replay. It was also
  fitted in place (the caller's object changed by the replay).
"""

from __future__ import annotations

import types

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.datasets import sea_stream
from mllifecycle.policies import RetrainDecision, WindowSelection, any_of
from mllifecycle.replay import replay


@pytest.fixture(scope="module")
def stream():
    return sea_stream(4000, noise=0.02, rng=0)


def _model():
    return LogisticRegression(solver="newton-cholesky")


class PolicyAndWindow:
    """Retrains every 1000 samples on the rows since 300 before the decision."""

    def __init__(self) -> None:
        self.start = None

    def should_retrain(self, state):
        if state.step % 1000 == 0:
            self.start = state.step - 300
            return RetrainDecision(retrain=True, reason="every 1000")
        return RetrainDecision(retrain=False, reason="keep")

    def select(self, state):
        start = 0 if self.start is None else self.start
        return WindowSelection(start=start, stop=state.labels_available,
                               sample_weight=[1.0] * (state.labels_available - start))


@pytest.mark.parametrize("nest", [False, True], ids=["alone", "in any_of"])
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_an_object_that_is_policy_and_window_stays_one(stream, nest, n_jobs):
    both = PolicyAndWindow()
    policies = {"a": any_of(both) if nest else both, "b": lambda s: False}
    with joblib.parallel_backend("threading"):  # (n_jobs: pickled by other backends)
        result = replay(stream.X, stream.y, _model(), policies,
                        window={"a": both}, n_jobs=n_jobs)
    events = result["a"].events
    assert [e.step for e in events] == [2000, 3000, 4000]
    assert [(e.train_start, e.train_stop) for e in events] == [
        (e.step - 300, e.step) for e in events
    ]
    assert both.start is None  # the caller's object was not run


class PlainEstimator:
    """Accuracy estimated as the mean top probability, less its bias on the fit rows."""

    def fit(self, y_true, y_proba):  # returns None, as plain classes' methods do
        top = np.asarray(y_proba).max(axis=1)
        self.bias = float(top.mean() - np.mean(np.argmax(y_proba, axis=1) == y_true))

    def estimate(self, y_proba):
        value = float(np.asarray(y_proba).max(axis=1).mean()) - self.bias
        return {"accuracy": types.SimpleNamespace(value=value, std_error=0.01)}


class ReturningSelf(PlainEstimator):
    def fit(self, y_true, y_proba):
        super().fit(y_true, y_proba)
        return self


def _estimates(stream, estimator):
    seen = []

    def spy(state):
        seen.append(state.estimated_metric)
        return state.step % 1500 == 0

    replay(stream.X, stream.y, _model(), {"spy": spy}, performance_estimator=estimator)
    return seen


def test_an_estimator_whose_fit_returns_none_is_used(stream):
    mine = PlainEstimator()
    got = _estimates(stream, mine)
    want = _estimates(stream, ReturningSelf())
    assert None not in want
    assert got == want
    assert not hasattr(mine, "bias")  # fitted on a copy, not in place


class NumpyIntWindow:
    """A user's window giving NumPy ints (as index arithmetic on arrays does)."""

    def select(self, state):
        stop = np.int64(state.labels_available)
        return WindowSelection(start=stop - np.int64(500), stop=stop)


def test_events_hold_plain_ints_from_a_window_of_numpy_ints(stream):
    run = replay(stream.X, stream.y, _model(), {"p": lambda s: s.step % 1000 == 0},
                 window=NumpyIntWindow())["p"]
    assert [(e.train_start, e.train_stop) for e in run.events] == [
        (e.step - 500, e.step) for e in run.events
    ]
    for e in run.events:
        assert type(e.train_start) is int
        assert type(e.train_stop) is int
        assert "np." not in repr(e)
