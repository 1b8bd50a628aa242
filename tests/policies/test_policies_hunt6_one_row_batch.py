"""OnDrift with a batch test shown a batch of one row."""

from __future__ import annotations

import numpy as np

from mllifecycle import drift
from mllifecycle.policies import LifecycleState, OnDrift


def test_one_row_batch_is_no_sample_to_test():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(50, 2))
    state = LifecycleState(step=51, labels_available=50, current_X=ref[:1] + 10,
                           reference_X=ref)
    for det in (drift.detect, drift.Reference):
        d = OnDrift(det, refits=None).should_retrain(state)
        assert not d.retrain
        assert "1 row(s)" in d.reason
