"""``OnEstimatedPerformanceDrop`` pools per-batch estimates up to ``min_samples``.

``replay`` estimates on each batch (``estimated_n`` = ``batch_size`` = 100),
below the policy's default ``min_samples=200``: under default settings the
policy answered "rests on 100 sample(s)" at every batch and never retrained,
however far the estimate fell.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.estimate import CBPE
from mllifecycle.policies import LifecycleState, OnEstimatedPerformanceDrop
from mllifecycle.replay import replay


def _s(step, value, n=100, se=None, version=0):
    return LifecycleState(step=step, estimated_metric=value, estimated_n=n,
                          estimated_std_error=se, model_version=version)


def test_default_replay_fires_on_a_falling_estimate():
    r = np.random.default_rng(0)
    n = 6000
    X = r.normal(size=(n, 2))
    X[3000:, 0] *= 0.1  # rows move to the boundary: the model's confidence falls
    y = (X[:, 0] + 0.3 * r.normal(size=n) > 0).astype(int)
    run = replay(X, y, LogisticRegression(), {"est": OnEstimatedPerformanceDrop()},
                 performance_estimator=CBPE(), label_delay=500)["est"]
    assert run.retrains >= 1
    assert run.events[0].step > 3000
    assert "estimated accuracy dropped" in run.events[0].reason


def test_two_batches_are_pooled_with_weighted_values_and_errors():
    p = OnEstimatedPerformanceDrop(0.05, baseline=0.95)
    d = p.should_retrain(_s(1100, 0.80, se=0.04))
    assert not d.retrain
    assert "rests on 100 sample(s); need 200" in d.reason
    d = p.should_retrain(_s(1200, 0.70, n=100, se=0.02))
    # pooled: 0.75 on 200 samples, se (0.04 + 0.02) / 2 = 0.03
    lower = 0.95 - 0.75 - 1.6448536269514722 * 0.03
    assert d.retrain
    assert f"{0.75:.4g} vs baseline 0.95" in d.reason
    assert f"drop lower bound {lower:.4g}" in d.reason
    # a third batch: the oldest drops out (the newest 200 samples are enough)
    d = p.should_retrain(_s(1300, 0.90, se=0.02))
    assert "0.8 vs baseline" in d.reason


def test_pooled_binomial_error_without_a_state_error():
    p = OnEstimatedPerformanceDrop(0.0, baseline=0.9)
    p.should_retrain(_s(100, 0.8))
    d = p.should_retrain(_s(200, 0.8))
    lower = 0.1 - 1.6448536269514722 * math.sqrt(0.8 * 0.2 / 200)
    assert f"drop lower bound {lower:.4g}" in d.reason


@pytest.mark.parametrize("second", [
    _s(150, 0.5),  # rows 50:150 overlap the first estimate's rows 0:100
    _s(200, 0.5, version=1),  # a new model: its estimates start afresh
])
def test_overlapping_rows_and_a_new_model_are_not_pooled(second):
    p = OnEstimatedPerformanceDrop(0.05, baseline=0.95)
    p.should_retrain(_s(100, 0.5))
    d = p.should_retrain(second)
    assert not d.retrain
    assert "rests on 100 sample(s)" in d.reason


def test_same_state_twice_is_not_counted_twice():
    p = OnEstimatedPerformanceDrop(0.05, baseline=0.95)
    s = _s(100, 0.5)
    p.should_retrain(s)
    assert "rests on 100 sample(s)" in p.should_retrain(s).reason


def test_estimates_on_enough_samples_are_used_as_given():
    p = OnEstimatedPerformanceDrop(0.05, baseline=0.95, min_samples=100)
    p.should_retrain(_s(100, 0.5, se=0.01))
    d = p.should_retrain(_s(200, 0.9, se=0.01))
    assert "0.9 vs baseline 0.95" in d.reason
