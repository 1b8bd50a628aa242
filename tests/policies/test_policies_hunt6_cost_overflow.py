"""CostAware with a huge error cost and no degradation."""

from __future__ import annotations

import math

from mllifecycle.policies import CostAware, LifecycleState


def test_huge_error_cost_without_degradation_is_a_zero_loss():
    p = CostAware(retrain_cost=1.0, error_cost=1e306, baseline=0.9)
    d = p.should_retrain(LifecycleState(step=1, metric=0.95, metric_n=2000))
    assert not d.retrain
    assert "nan" not in d.reason  # was "expected loss of keeping the model nan"
    assert "loss of keeping the model 0 <=" in d.reason


def test_huge_error_cost_with_degradation_fires():
    p = CostAware(retrain_cost=1e300, error_cost=1e306, baseline=0.9)
    d = p.should_retrain(LifecycleState(step=1, metric=0.5, metric_n=2000))
    assert d.retrain
    assert not math.isnan(float(d.reason.split("model ")[1].split(" >")[0]))
