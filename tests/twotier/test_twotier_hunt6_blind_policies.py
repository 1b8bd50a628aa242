"""replay_keyed refuses policies that could never see their signal there."""

from __future__ import annotations

import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle import drift
from mllifecycle.datasets import personalization_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    CostAware,
    OnChallengerBetter,
    OnDrift,
    OnEstimatedPerformanceDrop,
    Periodic,
    any_of,
    cooldown,
    recommended,
)
from mllifecycle.twotier import replay_keyed


@pytest.fixture(scope="module")
def stream():
    return personalization_stream(1500, n_keys=10, rng=0)


@pytest.mark.parametrize(
    "policy",
    [
        OnDrift(drift.detect),  # 0 retrains, exit 0
        any_of(Periodic(every=10**6), OnDrift(drift.Reference)),
        OnDrift(drift.stream.ADWIN(), signal="confidence"),
        OnDrift(),
        OnEstimatedPerformanceDrop(0.05),
        cooldown(CostAware(source="estimated"), 10),
        OnChallengerBetter(),
        Periodic(every_time=60.0),  # failed after the global fit
    ],
)
def test_blind_policy_is_refused(stream, policy):
    with pytest.raises(InvalidParameterError, match="'policy' parameter of replay_keyed"):
        replay_keyed(stream.X, stream.y, stream.keys, GaussianNB(),
                     initial_train_size=500, policy=policy)


@pytest.mark.parametrize(
    "policy", [OnDrift(drift.stream.DDM()), recommended(), CostAware(), Periodic(every=500)]
)
def test_policies_that_see_their_signal_still_run(stream, policy):
    r = replay_keyed(stream.X, stream.y, stream.keys, GaussianNB(),
                     initial_train_size=500, policy=policy)
    assert r.n_evaluated == 1000
