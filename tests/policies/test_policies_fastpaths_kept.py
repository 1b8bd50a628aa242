"""Periodic and OnStaleness give answers built once; they equal the answers built afresh.

``Periodic(every=...)`` keeps its answer per (samples since the retrain,
every), and ``OnStaleness`` answers its fixed-reason "keep"s with shared
decisions (so ``AnyOf`` finds its kept answer by identity). Every answer is
compared with the one the policy built before these shortcuts: a checked
``RetrainDecision`` with the reason formatted afresh.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.policies import LifecycleState, OnStaleness, Periodic, RetrainDecision, _periodic


def _fresh_periodic(since, every):
    return RetrainDecision(
        retrain=bool(since >= every), reason=f"periodic: {since} of {every} samples"
    )


def _same(a, b):
    assert a == b
    assert type(a.retrain) is bool
    assert type(b.retrain) is bool
    assert a.reason == b.reason
    assert a.change_point is None


@settings(max_examples=200, deadline=None)
@given(
    every=st.integers(1, 50),
    counts=st.lists(st.integers(0, 120), min_size=1, max_size=60),
)
def test_property_periodic_answers_equal_fresh_ones(every, counts):
    p = Periodic(every=every)
    for since in counts:
        d = p.should_retrain(LifecycleState(step=200, samples_since_retrain=since))
        _same(d, _fresh_periodic(since, every))


@pytest.mark.parametrize(
    "every",
    [7, np.int64(7), 7.0, 7.5, True],
    ids=["int", "np.int64", "float", "fraction", "bool"],
)
def test_periodic_every_changed_after_construction_shows_in_the_reason(every):
    p = Periodic(every=7)
    for since in (3, 7, 9):  # answers kept for the int 7
        p.should_retrain(LifecycleState(step=100, samples_since_retrain=since))
    p.every = every
    for since in (3, 7, 9, np.int64(7)):
        d = p.should_retrain(LifecycleState(step=100, samples_since_retrain=since))
        _same(d, _fresh_periodic(since, every))


def test_periodic_keeps_a_bounded_number_of_answers_and_pickles():
    p = Periodic(every=10)
    n = _periodic._MAX_ANSWERS + 50
    for since in range(n):
        d = p.should_retrain(LifecycleState(step=n, samples_since_retrain=since))
        _same(d, _fresh_periodic(since, 10))
        assert len(p._answers) <= _periodic._MAX_ANSWERS
    q = pickle.loads(pickle.dumps(p))
    assert q == p
    for since in (0, 9, 10, n - 1):
        _same(
            q.should_retrain(LifecycleState(step=n, samples_since_retrain=since)),
            _fresh_periodic(since, 10),
        )


def test_periodic_time_answers_unchanged():
    p = Periodic(every_time=60.0)
    d = p.should_retrain(LifecycleState(step=5, time=100.0, time_since_retrain=61.5))
    assert d == RetrainDecision(retrain=True, reason="periodic: 61.5 of 60 time units")


def _staleness_reasons(robust):
    what = "fewer than two models" if robust else "no model"
    return {
        f"staleness: {what} of this age seen yet",
        "staleness: models of this age are as good as fresh ones",
        "staleness: model too young to judge",
    }


@pytest.mark.parametrize("robust", [False, True])
@pytest.mark.parametrize("fractional", [False, True])  # the arrays' path too
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_staleness_keep_answers_equal_fresh_ones(robust, fractional, seed):
    rng = np.random.default_rng(seed)
    p = OnStaleness(block=50, window=100, robust=robust, n_models=3, max_blocks=6)
    known, version, deployed_at = 0, 0, 0
    seen_reasons = set()
    for step in range(1, 400):
        k = int(rng.integers(1, 40))
        known += k
        errors = (rng.random(k) < 0.1).astype(float)
        if fractional:
            errors *= 0.5
        d = p.should_retrain(
            LifecycleState(
                step=known,
                labels_available=known,
                model_version=version,
                deployed_at=deployed_at,
                new_errors=errors,
            )
        )
        assert type(d.retrain) is bool
        if not d.retrain:
            assert d.change_point is None
            assert d.reason in _staleness_reasons(robust)
            seen_reasons.add(d.reason)
        if d.retrain or step % 37 == 0:  # a new model
            version += 1
            deployed_at = known
    # both the "not yet" and the "as good" answers were given
    assert len(seen_reasons) >= 2


@pytest.mark.parametrize("robust", [False, True])
def test_staleness_shared_answers_are_the_same_for_equal_policies(robust):
    a = OnStaleness(robust=robust)
    b = OnStaleness(robust=robust)
    s = LifecycleState(step=600, labels_available=600, new_errors=np.zeros(600))
    da, db = a.should_retrain(s), b.should_retrain(s)
    assert da == db
    assert not da.retrain
