"""Policies compare with == as values: a bool, also once they hold arrays of state."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import mllifecycle.policies as P
from mllifecycle.drift.stream import HDDM_A
from mllifecycle.policies import LifecycleState

FACTORIES = {
    "OnStaleness": lambda: P.OnStaleness(),
    "OnStaleness(robust)": lambda: P.OnStaleness(robust=True),
    "recommended": lambda: P.recommended(),
    "OnDrift": lambda: P.OnDrift(HDDM_A()),
    "Periodic": lambda: P.Periodic(every=500),
    "CostAware": lambda: P.CostAware(),
    "OnSettledBelowFloor": lambda: P.OnSettledBelowFloor(),
}


def _feed(policy, n_batches=90, seed=0):
    """Show ``policy`` a stream of three deployed models (a new one every 30 batches)."""
    rng = np.random.default_rng(seed)
    for b in range(1, n_batches + 1):
        step = 1000 + 100 * b
        version = b // 30
        deployed = 1000 + 3000 * version
        errors = (rng.random(100) < (0.1 if b % 30 < 15 else 0.3)).astype(float)
        policy.should_retrain(LifecycleState(
            step=step, samples_since_retrain=step - deployed, labels_available=step,
            new_errors=errors, metric=1 - errors.mean(), metric_n=100,
            retrains=version, model_version=version, deployed_at=deployed,
        ))
    return policy


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_policies_compare_as_values(name):
    # OnStaleness held an array of retired models' figures: == between two
    # fresh policies returned an empty array, and NumPy's "truth value is
    # ambiguous" error once it held figures
    make = FACTORIES[name]
    fresh, fed = make(), _feed(make())
    if name.startswith("OnStaleness"):
        assert fed._retired.shape[0] > 0  # it holds retired models' figures
    for a, b, want in ((make(), make(), True), (fed, copy.deepcopy(fed), True)):
        got = a == b
        assert type(got) is bool
        assert got is want
    again = _feed(make(), seed=1)
    assert type(fed == again) is bool
    assert type(fresh != fed) is bool
