"""The conformance checks fail the broken user objects of round 9, each clearly.

A detector whose reset() forgets to reset, a sampler changing its input in
place, a policy keeping its memory in a global (or a class attribute), and
a query strategy returning one row twice.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import Query
from mllifecycle.policies import LifecycleState, RetrainDecision
from mllifecycle.testing import (
    check_policy,
    check_query_strategy,
    check_sampler,
    check_stream_detector,
)

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 2))
Y = np.r_[np.zeros(30, int), np.ones(10, int)]
STATES = [LifecycleState(step=s, samples_since_retrain=s) for s in (10, 500, 2000, 3000)]


class _Cusum:
    """A one-sided CUSUM; ``reset`` forgets the flag but keeps the sum when broken."""

    def __init__(self, broken=False):
        self.broken, self.s, self.drift_detected = broken, 0.0, False

    def update(self, x):
        self.s = max(0.0, self.s + x - 1.0)
        self.drift_detected = self.s > 20.0
        if self.drift_detected:
            self.s = 0.0
        return self.drift_detected

    def update_many(self, xs):
        return np.array([i for i, x in enumerate(np.asarray(xs, dtype=float).tolist())
                         if self.update(x)], dtype=np.intp)

    def reset(self):
        self.drift_detected = False
        if not self.broken:
            self.s = 0.0


def test_reset_that_does_not_reset_fails():
    stream = np.full(303, 2.0)  # ends with the sum part-way to a detection
    check_stream_detector(_Cusum, stream)
    with pytest.raises(AssertionError, match=r"reset\(\) does not return the detector to "
                                             r"its initial state"):
        check_stream_detector(lambda: _Cusum(broken=True), stream)


class _Centering:
    def __init__(self, in_place):
        self.in_place = in_place

    def fit_resample(self, X, y):
        if self.in_place:
            X -= X.mean(axis=0)
            return X, y
        return X - X.mean(axis=0), y.copy()


def test_sampler_changing_its_input_fails():
    check_sampler(_Centering(in_place=False), X, Y)
    with pytest.raises(AssertionError, match="fit_resample modified X in place"):
        check_sampler(_Centering(in_place=True), X, Y)


class _EveryThirdGlobally:
    """Retrains at every third call, counting in a class attribute (hidden state)."""

    calls = 0

    def __init__(self, own=False):
        self.own = own
        if own:
            self.calls = 0

    def should_retrain(self, state):
        if self.own:
            self.calls += 1
            n = self.calls
        else:
            type(self).calls += 1
            n = type(self).calls
        return RetrainDecision(retrain=n % 3 == 0, reason="every third")


def test_policy_with_hidden_global_state_fails():
    check_policy(_EveryThirdGlobally(own=True), STATES)  # its memory is its own: passes
    with pytest.raises(AssertionError,
                       match=r"a deep copy of the policy decides differently at step \d+ "
                             r"\(its decisions depend on state kept outside the policy"):
        check_policy(_EveryThirdGlobally(), STATES)


def _strategy(duplicates):
    def strategy(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
        scores = np.asarray(estimator.predict_proba(X_pool))[:, 1]
        order = np.argsort(-scores, kind="stable")[:batch_size]
        if duplicates and batch_size > 1:
            order[-1] = order[0]
        return Query(indices=order, scores=scores[order], strategy="top")

    return strategy


def test_strategy_returning_duplicates_fails():
    model = LogisticRegression().fit(X, Y)
    check_query_strategy(_strategy(False), model, X)
    with pytest.raises(AssertionError, match="indices must be distinct"):
        check_query_strategy(_strategy(True), model, X)
