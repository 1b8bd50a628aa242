"""The conformance checks reject deliberately broken user objects and accept correct ones."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mllifecycle.drift.stream import DDM, with_update_many
from mllifecycle.testing import check_stream_detector


def _errors(n=400, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random(n) < 0.3).astype(float)


class _CountBase:
    """Fires when five errors have been counted since the last detection."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.k = 0
        self.drift_detected = False

    def update(self, x):
        if self.drift_detected:
            self.reset()
        self.k += int(x)
        self.drift_detected = self.k >= 5
        return self.drift_detected


class _ForgetsStateBetweenCalls(_CountBase):
    """update_many computes from the current state but never saves the count."""

    def update_many(self, xs):
        k, dd, hits = self.k, self.drift_detected, []
        for i, x in enumerate(np.asarray(xs).tolist()):
            if dd:
                k = 0
            k += int(x)
            dd = k >= 5
            if dd:
                hits.append(i)
        self.drift_detected = dd  # the count k is lost
        return np.asarray(hits, dtype=np.intp)


@with_update_many
class _Count(_CountBase):
    """A correct detector: update_many from update."""


class _OffByOneElement(_CountBase):
    """update_many disagrees with update on one element."""

    def update_many(self, xs):
        hits = [i for i, x in enumerate(np.asarray(xs).tolist()) if self.update(x)]
        if hits:
            hits[0] += 1
        return np.asarray(hits, dtype=np.intp)


def test_check_stream_detector_catches_update_many_losing_state_between_calls():
    # one update_many call over the whole stream is right, so only feeding the
    # stream in several calls shows the count lost at the end of each call
    xs = _errors()
    one = _CountBase()
    loop = [i for i, x in enumerate(xs.tolist()) if one.update(x)]
    assert _ForgetsStateBetweenCalls().update_many(xs).tolist() == loop
    with pytest.raises(AssertionError, match="several calls"):
        check_stream_detector(_ForgetsStateBetweenCalls, xs)


def test_check_stream_detector_catches_one_element_disagreement():
    with pytest.raises(AssertionError, match="differ from update's"):
        check_stream_detector(_OffByOneElement, _errors())


@pytest.mark.parametrize("split", [None, 0, 1, 399, 400])
def test_check_stream_detector_accepts_correct_detectors(split):
    check_stream_detector(_Count, _errors(), split=split)
    check_stream_detector(DDM, _errors(3000), split=split)


# ------------------------------------------------------- policies and windows
def _states(n=8):
    from mllifecycle.policies import LifecycleState

    rng = np.random.default_rng(0)
    return [
        LifecycleState(
            step=1000 + 200 * i,
            samples_since_retrain=200 * i,
            new_errors=(rng.random(200) < 0.3).astype(float),
            labels_available=1000 + 200 * i,
        )
        for i in range(1, n + 1)
    ]


class _PolicyOverwritingErrors:
    """Decides on samples_since_retrain, then overwrites the shared error array."""

    def should_retrain(self, state):
        from mllifecycle.policies import RetrainDecision

        state.new_errors[:] = 1.0
        return RetrainDecision(retrain=state.samples_since_retrain > 600, reason="r")


class _WindowSortingErrors:
    def select(self, state):
        from mllifecycle.policies import WindowSelection

        state.new_errors.sort()
        return WindowSelection(start=0, stop=state.labels_available)


def test_check_policy_catches_a_policy_mutating_the_state():
    # its decisions do not depend on what it overwrites, so only comparing the
    # state before and after the call shows it
    from mllifecycle.testing import check_policy

    with pytest.raises(AssertionError, match=r"changed state\.new_errors in place"):
        check_policy(_PolicyOverwritingErrors(), _states())


def test_check_window_catches_a_window_mutating_the_state():
    from mllifecycle.testing import check_window

    with pytest.raises(AssertionError, match=r"changed state\.new_errors in place"):
        check_window(_WindowSortingErrors(), _states())


class _WindowWithDriftingWeights:
    """Selects the same rows every call, weighted by how often it was called."""

    def __init__(self):
        self.calls = 0

    def select(self, state):
        from mllifecycle.policies import WindowSelection

        self.calls += 1
        n = state.labels_available
        return WindowSelection(start=0, stop=n, sample_weight=np.full(n, float(self.calls)))


def test_check_window_catches_weights_that_change_between_calls():
    # only the rows were compared: a window giving other weights on a second
    # call (or from a copy) passed, though it trains another model
    from mllifecycle.testing import check_window

    with pytest.raises(AssertionError, match=r"gives the rows other sample weights"):
        check_window(_WindowWithDriftingWeights(), _states())


def test_check_policy_and_window_accept_readers_of_the_state():
    from mllifecycle.policies import OnDrift, SlidingWindow
    from mllifecycle.testing import check_policy, check_window

    states = _states()
    check_policy(OnDrift(), states)
    check_policy(lambda state: bool(state.new_errors.mean() > 0.3), states)
    check_window(SlidingWindow(500), states)


# ------------------------------------------------------------ query strategies
def _query_setup():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    model = LogisticRegression().fit(X[:30], (X[:30, 0] > 0).astype(int))
    return model, X[30:].copy()


def _infinite_scores(estimator, X_pool, *, batch_size, X_labelled=None, rng=None):
    from types import SimpleNamespace

    from mllifecycle.labels import margin

    q = margin(estimator, X_pool, batch_size=batch_size, X_labelled=X_labelled, rng=rng)
    return SimpleNamespace(indices=q.indices, scores=np.full(len(q.indices), np.inf))


def _zeroing_pool(estimator, X_pool, *, batch_size, X_labelled=None, rng=None):
    from mllifecycle.labels import margin

    X_pool[:, 2] = 0.0  # a feature the model hardly uses: predictions barely move
    return margin(estimator, X_pool, batch_size=batch_size, X_labelled=X_labelled, rng=rng)


def test_check_query_strategy_catches_infinite_scores():
    from mllifecycle.testing import check_query_strategy

    model, pool = _query_setup()
    with pytest.raises(AssertionError, match="scores must be finite"):
        check_query_strategy(_infinite_scores, model, pool)


def test_check_query_strategy_catches_a_strategy_changing_the_pool():
    from mllifecycle.testing import check_query_strategy

    model, pool = _query_setup()
    with pytest.raises(AssertionError, match="modified X_pool in place"):
        check_query_strategy(_zeroing_pool, model, pool)


def test_check_query_strategy_accepts_a_builtin():
    from mllifecycle.labels import margin
    from mllifecycle.testing import check_query_strategy

    model, pool = _query_setup()
    check_query_strategy(margin, model, pool)


# ----------------------------------------------------------------------- gates
class _AlternatingGate:
    """Passes on odd calls; its pickle forgets the count, so a restored copy agrees."""

    def __init__(self):
        self.n = 0

    def __getstate__(self):
        return {"n": 0}

    def __setstate__(self, state):
        self.n = state["n"]

    def check(self, context):
        from mllifecycle.gates import GateResult

        self.n += 1
        return GateResult(passed=self.n % 2 == 1, name="alternating", reasons=("r",))


def test_check_gate_catches_a_gate_answering_differently_the_second_time():
    from mllifecycle.gates import GateContext, MetricThreshold
    from mllifecycle.testing import check_gate

    ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    with pytest.raises(AssertionError, match="twice gives different answers"):
        check_gate(_AlternatingGate(), ctx)
    check_gate(MetricThreshold("accuracy", minimum=0.7), ctx)


class _EmptyCallResets(_CountBase):
    """update_many from update, except that an empty call resets the detector."""

    def update_many(self, xs):
        xs = np.asarray(xs)
        if xs.shape[0] == 0:
            self.reset()
        return np.asarray([i for i, x in enumerate(xs.tolist()) if self.update(x)],
                          dtype=np.intp)


def test_check_stream_detector_catches_an_empty_call_that_is_not_a_no_op():
    with pytest.raises(AssertionError, match="empty"):
        check_stream_detector(_EmptyCallResets, _errors())


# ----------------------------------------------------------- two-sample tests
def _seeded_nan_test(reference, current, *, alpha=0.05, rng=None):
    """A seeded test that has no p-value on these data (NaN), as on constant samples."""
    from types import SimpleNamespace

    gen = np.random.default_rng(rng)
    stat = float(abs(np.mean(reference) - np.mean(current))) + 0.0 * gen.random()
    return SimpleNamespace(statistic=stat, p_value=float("nan"), drift_detected=False)


_CALLS = itertools.count()


def _seeded_unstable_test(reference, current, *, alpha=0.05, rng=None):
    from types import SimpleNamespace

    p = 0.2 + 0.1 * (next(_CALLS) % 5)  # ignores its seed: changes from call to call
    stat = float(abs(np.mean(reference) - np.mean(current)))
    return SimpleNamespace(statistic=stat, p_value=p, drift_detected=p < alpha)


def test_check_two_sample_test_accepts_a_seeded_test_with_nan_p_values():
    # NaN p-values are accepted everywhere else; the same-seed comparison
    # rejected them because NaN != NaN
    from mllifecycle.testing import check_two_sample_test

    rng = np.random.default_rng(0)
    check_two_sample_test(_seeded_nan_test, rng.normal(size=40), rng.normal(size=50))


def test_check_two_sample_test_catches_a_test_ignoring_its_seed():
    from mllifecycle.testing import check_two_sample_test

    rng = np.random.default_rng(0)
    with pytest.raises(AssertionError, match="same rng, different p_value"):
        check_two_sample_test(_seeded_unstable_test, rng.normal(size=40), rng.normal(size=50))


@pytest.mark.parametrize("split", [-3, 4001, 2.5, True])
def test_check_stream_detector_refuses_a_split_outside_the_stream(split):
    # split=-3 failed a correct detector as "update_many after unpickling differs"
    from mllifecycle.drift.stream import DDM
    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.testing import check_stream_detector

    rng = np.random.default_rng(0)
    errors = np.r_[rng.random(2000) < 0.1, rng.random(2000) < 0.4].astype(float)
    with pytest.raises(InvalidParameterError, match=r"'split' parameter of check_stream_detector "
                       r"must be an int in the range \[0, 4000\]"):
        check_stream_detector(DDM, errors, split=split)
    check_stream_detector(DDM, errors, split=1)
