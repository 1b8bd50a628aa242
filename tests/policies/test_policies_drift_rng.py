"""``OnDrift(rng=...)`` seeds permutation tests, so replays are reproducible.

An unseeded permutation test (``drift.energy``) drew new permutations at every
call: two identical ``replay`` calls of one ``OnDrift`` retrained at different
steps, with exit 0. ``rng`` now seeds each comparison from one Generator.
"""

from __future__ import annotations

import copy
import functools
import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle import drift
from mllifecycle.drift.stream import ADWIN
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, OnDrift
from mllifecycle.replay import replay

ENERGY = functools.partial(drift.energy, n_resamples=19, alpha=0.2)


def _stream():
    r = np.random.default_rng(0)
    X = r.normal(size=(1500, 2))
    return X, (X[:, 0] > 0).astype(int)


def _steps(policy):
    X, y = _stream()
    run = replay(X, y, LogisticRegression(), {"d": policy}, initial_train_size=500)["d"]
    return [e.step for e in run.events]


@pytest.mark.parametrize("rng", [0, np.random.default_rng(3), np.random.SeedSequence(4)])
def test_two_identical_replays_decide_alike(rng):
    policy = OnDrift(ENERGY, max_reference=200, refits=None, rng=rng)
    first = _steps(policy)
    assert first  # alpha=0.2 on 10 batches: some (false) detections
    assert _steps(policy) == first


def test_the_seed_matters_and_reaches_the_test():
    runs = {tuple(_steps(OnDrift(ENERGY, max_reference=200, refits=None, rng=k)))
            for k in range(4)}
    assert len(runs) > 1


def _states(k):
    r = np.random.default_rng(1)
    ref = r.normal(size=(100, 2))
    return [LifecycleState(step=100 * (i + 2), current_X=r.normal(0.1, 1, size=(100, 2)),
                           reference_X=ref) for i in range(k)]


def test_fitted_reference_is_seeded_and_state_survives_pickle():
    states = _states(6)

    def pvals(policy):
        return [policy.should_retrain(s).reason for s in states]

    def make():
        return OnDrift(drift.Reference.fit(states[0].reference_X), rng=7, refits=None)

    a, b = make(), make()
    assert pvals(a) == pvals(b)
    c = make()
    first = [c.should_retrain(s).reason for s in states[:3]]
    c2 = pickle.loads(pickle.dumps(c))
    c3 = copy.deepcopy(c)
    rest = [c2.should_retrain(s).reason for s in states[3:]]
    assert first + rest == pvals(make())
    assert [c3.should_retrain(s).reason for s in states[3:]] == rest


def test_default_passes_no_rng():
    seen = []

    def test(ref, cur, rng="unset"):
        seen.append(rng)
        return drift.ks(ref[:, 0], cur[:, 0])

    OnDrift(test).should_retrain(_states(1)[0])
    assert seen == ["unset"]
    OnDrift(test, rng=0).should_retrain(_states(1)[0])
    assert isinstance(seen[-1], int)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"detector": ADWIN()}, "a streaming detector ADWIN"),
    ({"detector": None}, "detector=None"),
    ({"detector": drift.ks}, "test ks that takes no rng"),
    ({"detector": functools.partial(drift.energy, rng=1)}, "bound to rng=1"),
])
def test_rng_that_cannot_reach_a_test_is_refused(kwargs, match):
    with pytest.raises(InvalidParameterError, match=rf"'rng' parameter of OnDrift.*{match}"):
        OnDrift(**kwargs, rng=0)


@pytest.mark.parametrize("bad", [-1, True, 1.5, np.random.RandomState(0)])
def test_bad_rng_values_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="'rng' parameter of OnDrift"):
        OnDrift(drift.energy, rng=bad)
