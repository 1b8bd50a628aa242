"""Seeded simulations: the confidence bound of the drop triggers holds its level."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mllifecycle.policies import CostAware, LifecycleState, OnPerformanceDrop

TRIALS = 4000


def _binomial_upper(p, n, z=4.0):
    return p + z * np.sqrt(p * (1 - p) / n)


@pytest.mark.slow
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
@pytest.mark.parametrize("n", [200, 2000])
def test_false_retrain_rate_with_fixed_baseline(confidence, n):
    rng = np.random.default_rng(int(confidence * 1000) + n)
    acc = rng.binomial(n, 0.9, size=TRIALS) / n  # no change: true accuracy 0.9
    p = OnPerformanceDrop(0.0, baseline=0.9, min_samples=1, confidence_level=confidence)
    fired = np.array(
        [p.should_retrain(LifecycleState(step=1, metric=float(a), metric_n=n)).retrain for a in acc]
    )
    alpha = 1 - confidence
    # the binomial standard error at the estimate is close to the truth's, so the
    # one-sided test holds its level up to discreteness
    assert fired.mean() <= _binomial_upper(alpha, TRIALS) + 0.01


@pytest.mark.slow
def test_false_retrain_rate_with_learned_baseline():
    rng = np.random.default_rng(7)
    n = 500
    first = rng.binomial(n, 0.85, size=TRIALS) / n
    later = rng.binomial(n, 0.85, size=TRIALS) / n
    fired = []
    for a, b in zip(first, later, strict=True):
        p = OnPerformanceDrop(0.0, min_samples=n, confidence_level=0.95)
        p.should_retrain(LifecycleState(step=1, metric=float(a), metric_n=n))
        fired.append(p.should_retrain(LifecycleState(step=2, metric=float(b), metric_n=n)).retrain)
    assert np.mean(fired) <= _binomial_upper(0.05, TRIALS)


@pytest.mark.slow
def test_power_against_a_real_drop_matches_the_normal_approximation():
    rng = np.random.default_rng(11)
    n, drop, threshold = 1000, 0.04, 0.01
    acc = rng.binomial(n, 0.9 - drop, size=TRIALS) / n
    p = OnPerformanceDrop(threshold, baseline=0.9, min_samples=1, confidence_level=0.95)
    fired = np.mean(
        [p.should_retrain(LifecycleState(step=1, metric=float(a), metric_n=n)).retrain for a in acc]
    )
    se = np.sqrt((0.9 - drop) * (0.1 + drop) / n)
    expected = stats.norm.sf((threshold - drop) / se + stats.norm.ppf(0.95))
    assert abs(fired - expected) < 0.05


@pytest.mark.slow
def test_cost_aware_rarely_pays_for_noise():
    rng = np.random.default_rng(3)
    n = 1000
    acc = rng.binomial(n, 0.9, size=TRIALS) / n
    p = CostAware(retrain_cost=10.0, error_cost=1.0, horizon=10_000, baseline=0.9, min_samples=1)
    fired = np.mean(
        [p.should_retrain(LifecycleState(step=1, metric=float(a), metric_n=n)).retrain for a in acc]
    )
    assert fired <= _binomial_upper(0.05, TRIALS)
