"""OnStaleness's kept answers belong to one deployed model's life.

The bounds kept between looks and the last quiet answer were keyed by the
model version; a version number seen again (a rollback to an earlier
registry version) reused the earlier life's bounds, so the policy fired on
a model whose own errors give no staleness. Judged on arrays (no kept
answers), it does not.
"""

from __future__ import annotations

import numpy as np

from mllifecycle.policies import LifecycleState, OnStaleness


class ArraysOnly(OnStaleness):
    """OnStaleness judged on arrays only, every age recomputed at each look."""

    def _bounds(self, k):
        return None


def test_a_version_seen_again_is_judged_on_its_own_errors():
    # no retired models pooled: each model is judged on its own errors
    kw = {"block": 10, "window": 10, "n_models": 0, "threshold": 0.0}
    fast, slow = OnStaleness(**kw), ArraysOnly(**kw)
    looks = [
        (0, np.r_[np.zeros(10), np.ones(10)]),  # stale: fires
        (1, np.zeros(5)),  # too young to judge
        (0, np.zeros(20)),  # version 0 again, never wrong
    ]
    labels = 0
    got = []
    for version, xs in looks:
        labels += len(xs)
        state = LifecycleState(
            step=labels, labels_available=labels, new_errors=xs, model_version=version
        )
        a, b = fast.should_retrain(state), slow.should_retrain(state)
        assert a.to_dict() == b.to_dict()
        got.append(a.retrain)
    assert got[2] is False
