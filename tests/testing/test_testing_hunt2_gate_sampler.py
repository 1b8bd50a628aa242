"""The conformance checks reject broken gates, samplers and two-sample tests (hunt 2)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from mllifecycle.gates import GateContext, GateResult, MetricThreshold
from mllifecycle.testing import check_gate, check_sampler, check_two_sample_test


def _ctx():
    return GateContext(
        y_true=[0, 1, 1, 0, 1, 0, 1, 1],
        challenger=[0, 1, 1, 0, 0, 0, 1, 1],
        champion=[0, 1, 0, 0, 1, 0, 1, 1],
    )


class _FlipsChallenger:
    """Passes, but flips the challenger's first prediction in the shared context."""

    def check(self, context):
        context.challenger[0] = 1 - context.challenger[0]
        return GateResult(passed=True, name="flips", reasons=["fine"])


class _ReasonsNone:
    def check(self, context):
        return SimpleNamespace(passed=True, reasons=None)


def test_check_gate_catches_a_gate_changing_the_context():
    ctx = _ctx()
    with pytest.raises(AssertionError, match=r"changed context\.challenger in place"):
        check_gate(_FlipsChallenger(), ctx)


def test_check_gate_catches_reasons_that_are_not_strings():
    with pytest.raises(AssertionError, match="reasons must be a list or tuple of str"):
        check_gate(_ReasonsNone(), _ctx())


def test_check_gate_still_accepts_a_builtin_gate():
    ctx = _ctx()
    before = np.array(ctx.challenger, copy=True)
    check_gate(MetricThreshold("accuracy", minimum=0.7), ctx)
    assert np.array_equal(ctx.challenger, before)


class _TwoDimensionalY:
    def fit_resample(self, X, y):
        return np.asarray(X), np.asarray(y)[:, None]


def test_check_sampler_catches_a_2d_y():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.zeros(30, dtype=int), np.ones(10, dtype=int)]
    with pytest.raises(AssertionError, match=r"1-D y, got shape \(40, 1\)"):
        check_sampler(_TwoDimensionalY(), X, y)


def test_check_two_sample_test_names_an_infinite_statistic():
    def infinite(reference, current, alpha=0.05):
        return SimpleNamespace(statistic=float("inf"), p_value=0.5, drift_detected=False)

    rng = np.random.default_rng(0)
    with pytest.raises(AssertionError, match=r"finite float .*got inf"):
        check_two_sample_test(infinite, rng.normal(size=30), rng.normal(size=30))


class _ChangeInTheFuture:
    """Retrains, dating the change ten steps after the decision (replay refuses it)."""

    def should_retrain(self, state):
        from mllifecycle.policies import RetrainDecision

        return RetrainDecision(retrain=True, reason="soon", change_point=state.step + 10)


def test_check_policy_catches_a_change_point_after_the_decision():
    from mllifecycle.policies import LifecycleState
    from mllifecycle.testing import check_policy

    states = [LifecycleState(step=s, samples_since_retrain=s) for s in (10, 500, 2000)]
    with pytest.raises(AssertionError, match="change_point 20 is after the decision at step 10"):
        check_policy(_ChangeInTheFuture(), states)


class _UnseededLabels:
    """Adds one copy of the last row whose label is drawn unseeded."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit_resample(self, X, y):
        X, y = np.asarray(X), np.asarray(y)
        extra = np.random.default_rng().integers(0, 2, size=50)
        return np.vstack([X, np.repeat(X[-1:], 50, axis=0)]), np.r_[y, extra]


def test_check_sampler_catches_clones_labelling_rows_differently():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.zeros(30, dtype=int), np.ones(10, dtype=int)]
    with pytest.raises(AssertionError, match="different labels"):
        check_sampler(_UnseededLabels(), X, y)


def test_check_sampler_still_accepts_smote():
    from mllifecycle.augment import SMOTE

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.r_[np.zeros(50, dtype=int), np.ones(10, dtype=int)]
    check_sampler(SMOTE(random_state=0), X, y)
