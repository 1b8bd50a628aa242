"""``CostAware`` pools per-batch label-free estimates up to ``min_samples``.

``replay`` estimates on each batch (``estimated_n`` = ``batch_size`` = 100),
below ``min_samples=200``: ``CostAware(source="estimated")`` (and ``"auto"``
before the labels arrive) answered "rests on 100 sample(s)" at every batch
and never retrained at the replay's defaults, the bug fixed for
``OnEstimatedPerformanceDrop``. The estimates are pooled by the same rule.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.estimate import CBPE
from mllifecycle.policies import CostAware, LifecycleState
from mllifecycle.replay import replay


def _s(step, value, n=100, se=None, version=0, metric=None, metric_n=0):
    return LifecycleState(step=step, estimated_metric=value, estimated_n=n,
                          estimated_std_error=se, model_version=version,
                          metric=metric, metric_n=metric_n, labels_available=metric_n)


def _falling_confidence_stream():
    r = np.random.default_rng(0)
    n = 6000
    X = r.normal(size=(n, 2))
    X[3000:, 0] *= 0.1  # rows move to the boundary: the model's confidence falls
    y = (X[:, 0] + 0.3 * r.normal(size=n) > 0).astype(int)
    return X, y


def test_default_replay_fires_on_a_falling_estimate():
    X, y = _falling_confidence_stream()
    run = replay(X, y, LogisticRegression(), {"est": CostAware(source="estimated")},
                 performance_estimator=CBPE(), label_delay=500)["est"]
    assert run.retrains >= 1
    assert 3000 < run.events[0].step <= 3500
    assert "cost-aware (estimated)" in run.events[0].reason


def test_no_change_no_retrain():
    r = np.random.default_rng(1)
    X = r.normal(size=(4000, 2))
    y = (X[:, 0] + 0.3 * r.normal(size=4000) > 0).astype(int)
    run = replay(X, y, LogisticRegression(), {"est": CostAware(source="estimated")},
                 performance_estimator=CBPE(), label_delay=500)["est"]
    assert run.retrains == 0


def test_two_batches_are_pooled():
    p = CostAware(retrain_cost=50.0, error_cost=1.0, horizon=1000, baseline=0.95,
                  source="estimated")
    d = p.should_retrain(_s(1100, 0.80, se=0.04))
    assert not d.retrain
    assert "rests on 100 sample(s); need 200" in d.reason
    d = p.should_retrain(_s(1200, 0.70, se=0.02))
    # pooled: 0.75 on 200 samples, se (0.04 + 0.02) / 2 = 0.03
    lower = 0.95 - 0.75 - 1.6448536269514722 * 0.03
    assert d.retrain
    assert f"{1000 * lower:.4g} > retrain cost 50" in d.reason


def test_pooled_binomial_error_without_a_state_error():
    p = CostAware(retrain_cost=0.0, error_cost=1.0, horizon=1000, baseline=0.9,
                  source="estimated")
    p.should_retrain(_s(100, 0.8))
    d = p.should_retrain(_s(200, 0.8))
    lower = 0.1 - 1.6448536269514722 * math.sqrt(0.8 * 0.2 / 200)
    assert f"{1000 * lower:.4g} > retrain cost" in d.reason


def test_new_model_and_overlapping_rows_are_not_pooled():
    p = CostAware(retrain_cost=0.0, error_cost=1.0, baseline=0.95, source="estimated")
    p.should_retrain(_s(100, 0.5))
    assert "rests on 100 sample(s)" in p.should_retrain(_s(200, 0.5, version=1)).reason
    assert "rests on 100 sample(s)" in p.should_retrain(_s(250, 0.5, version=1)).reason


def test_auto_pools_estimates_and_uses_enough_labels_alone():
    p = CostAware(retrain_cost=50.0, error_cost=1.0, baseline=0.95)
    assert not p.should_retrain(_s(1100, 0.70, se=0.02)).retrain
    d = p.should_retrain(_s(1200, 0.70, se=0.02))
    assert d.retrain
    assert "cost-aware (estimated)" in d.reason
    # with enough labels the observed metric decides, unpooled
    d = p.should_retrain(_s(1300, 0.70, se=0.02, metric=0.95, metric_n=1000))
    assert not d.retrain
    assert "cost-aware (observed)" in d.reason
