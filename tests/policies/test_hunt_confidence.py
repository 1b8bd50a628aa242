"""confidence_level=1.0 is refused when the policy is built (not at its first decision)."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    CostAware,
    LifecycleState,
    OnEstimatedPerformanceDrop,
    OnPerformanceDrop,
    OnSettledBelowFloor,
    OnStaleness,
)

BAD = [
    (lambda: OnPerformanceDrop(0.05, baseline=0.9, confidence_level=1.0), "OnPerformanceDrop"),
    (lambda: OnEstimatedPerformanceDrop(confidence_level=1.0), "OnEstimatedPerformanceDrop"),
    (lambda: CostAware(confidence_level=1.0), "CostAware"),
    (lambda: OnSettledBelowFloor(confidence_level=1.0), "OnSettledBelowFloor"),
    (lambda: OnStaleness(confidence_level=1.0), "OnStaleness"),
    (lambda: OnStaleness(confidence_level=1.5), "OnStaleness"),
]


@pytest.mark.parametrize(("make", "caller"), BAD, ids=[c for _, c in BAD])
def test_confidence_level_one_is_refused_at_construction(make, caller):
    with pytest.raises(
        InvalidParameterError,
        match=rf"'confidence_level' parameter of {caller} must be a float in the range "
        r"\[0.0, 1.0\)\. Got 1\.[05] instead",
    ):
        make()


def test_confidence_level_just_below_one_decides():
    # z(0.999) = 3.0902; drop 0.10, s = sqrt(0.8 * 0.2 / 1000) = 0.012649
    # lower bound 0.10 - 3.0902 * 0.012649 = 0.06091 > 0.05: retrain
    p = OnPerformanceDrop(0.05, baseline=0.9, confidence_level=0.999)
    d = p.should_retrain(LifecycleState(step=1, metric=0.8, metric_n=1000))
    assert d.retrain
    assert "drop lower bound 0.06091" in d.reason


def test_floor_confidence_level_zero_still_uses_the_point_estimate():
    p = OnSettledBelowFloor(min_samples=100, max_samples=200, confidence_level=0.0)
    ok = np.r_[np.zeros(190), np.ones(10)]
    assert not p.should_retrain(
        LifecycleState(step=1200, labels_available=1200, new_errors=ok)
    ).retrain
    bad = np.r_[np.zeros(93), np.ones(7)]  # 93% vs floor 95%: below by the point estimate
    d = p.should_retrain(
        LifecycleState(step=1400, labels_available=1400, model_version=1, new_errors=bad)
    )
    assert d.retrain
