"""CostAware(source="auto") compares each source with a baseline of that same source."""
from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from mllifecycle.estimate import CBPE
from mllifecycle.policies import CostAware, LifecycleState
from mllifecycle.replay import replay


def test_auto_learns_an_observed_baseline_once_labels_arrive():
    p = CostAware(retrain_cost=20.0, error_cost=1.0, horizon=1000, min_samples=100)
    # no labels yet: the estimate (0.97) is the new model's baseline
    d = p.should_retrain(LifecycleState(step=300, estimated_metric=0.97,
                                        estimated_std_error=0.01, estimated_n=100))
    assert not d.retrain
    assert "learned: 0.97" in d.reason
    # 100 labels: the observed accuracy (0.68) is a level of another source. Before:
    # drop 0.97 - 0.68 against the estimate's baseline, lower bound ~0.21, expected
    # loss ~211 > 20: a retrain of a model whose observed accuracy never fell
    d = p.should_retrain(LifecycleState(step=500, metric=0.68, metric_n=100,
                                        estimated_metric=0.98, estimated_std_error=0.01,
                                        estimated_n=100))
    assert not d.retrain
    assert "learned: 0.68" in d.reason
    # the observed level holds: still no retrain
    d = p.should_retrain(LifecycleState(step=600, metric=0.68, metric_n=200))
    assert not d.retrain
    # and a real drop of the observed metric is still caught: 0.68 -> 0.40 on 200
    # labels, lower bound 0.28 - 1.645 * sqrt(.4*.6/200 + .68*.32/100) ~ 0.19 > 0.02
    d = p.should_retrain(LifecycleState(step=800, metric=0.40, metric_n=200))
    assert d.retrain
    assert "(observed)" in d.reason


def test_auto_does_not_retrain_a_stationary_stream_in_a_replay():
    # stationary stream, 20% label noise: every model's accuracy is about 0.7-0.8;
    # CBPE calibrated on a forest's training rows estimates ~0.97. Before, each
    # model was retrained as soon as its labels arrived (at 500 and 800)
    rng = np.random.default_rng(0)
    n = 1000
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    flip = rng.random(n) < 0.2
    y[flip] = 1 - y[flip]
    r = replay(X, y, RandomForestClassifier(n_estimators=20, random_state=0),
               {"ca": CostAware(horizon=1000, min_samples=100, retrain_cost=20.0)},
               initial_train_size=200, batch_size=100, label_delay=200,
               performance_estimator=CBPE(random_state=0))
    assert r["ca"].retrains == 0
