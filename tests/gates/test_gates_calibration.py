"""Statistical calibration by seeded simulation: coverage, false passes, power."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mllifecycle.gates import (
    GateContext,
    SignificantImprovement,
    SliceNoRegression,
    delong,
    mcnemar,
    paired_bootstrap,
)

TRIALS = 1000


def _bound(alpha, trials=TRIALS):
    """alpha + 3 binomial standard errors."""
    return alpha + 3 * np.sqrt(alpha * (1 - alpha) / trials)


def _pair(rng, n, acc_a, acc_b, shared=0.5):
    """Labels and two classifiers; a fraction ``shared`` of their errors is common."""
    y = rng.integers(0, 2, n)
    common = rng.random(n)
    mix = rng.random(n) < shared
    ua = np.where(mix, common, rng.random(n))
    ub = np.where(mix, common, rng.random(n))
    return y, np.where(ua < acc_a, y, 1 - y), np.where(ub < acc_b, y, 1 - y)


@pytest.mark.slow
@pytest.mark.parametrize("ci_method", ["bca", "percentile"])
def test_accuracy_interval_coverage(ci_method):
    rng = np.random.default_rng(2024)
    truth = 0.85 - 0.80
    hits = 0
    for t in range(TRIALS):
        y, a, b = _pair(rng, 200, 0.80, 0.85, shared=0.0)
        res = paired_bootstrap(
            y, a, b, metric="accuracy", n_resamples=500, ci_method=ci_method, rng=t
        )
        hits += res.ci_low <= truth <= res.ci_high
    assert hits / TRIALS >= 0.93


@pytest.mark.slow
def test_auc_interval_coverage():
    rng = np.random.default_rng(7)
    d1, d2 = 1.0, 1.5  # binormal: AUC = Phi(d / sqrt(2))
    truth = stats.norm.cdf(d2 / np.sqrt(2)) - stats.norm.cdf(d1 / np.sqrt(2))
    trials = 400
    hits = 0
    for t in range(trials):
        y = rng.integers(0, 2, 200)
        z = rng.normal(size=200)
        s1 = d1 * y + z
        s2 = d2 * y + 0.6 * z + 0.8 * rng.normal(size=200)  # correlated scores
        res = paired_bootstrap(
            y, s1, s2, metric="roc_auc", n_resamples=500, rng=t, test="bootstrap"
        )
        hits += res.ci_low <= truth <= res.ci_high
    assert hits / trials >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / trials)


@pytest.mark.slow
@pytest.mark.parametrize("shared", [0.0, 0.5])
def test_significant_improvement_false_pass_rate(shared):
    """Equal true accuracy, n = 2000: passes in at most 5% (+3 SE) of trials."""
    rng = np.random.default_rng(11)
    gate = SignificantImprovement("accuracy", alpha=0.05, n_resamples=2000)
    passes = 0
    for t in range(TRIALS):
        y, a, b = _pair(rng, 2000, 0.80, 0.80, shared)
        passes += gate.check(GateContext(y_true=y, champion=a, challenger=b, rng=t)).passed
    assert passes / TRIALS <= _bound(0.05)


@pytest.mark.slow
def test_significant_improvement_power():
    """A true +2-point improvement at n = 5000 passes with power >= 0.8."""
    rng = np.random.default_rng(12)
    gate = SignificantImprovement("accuracy", alpha=0.05, n_resamples=2000)
    passes = 0
    for t in range(TRIALS):
        y, a, b = _pair(rng, 5000, 0.80, 0.82, shared=0.5)
        passes += gate.check(GateContext(y_true=y, champion=a, challenger=b, rng=t)).passed
    assert passes / TRIALS >= 0.8


@pytest.mark.slow
def test_slice_gate_family_wise_false_alarm():
    """No slice regresses; five slices; Holm keeps false failures near alpha."""
    rng = np.random.default_rng(13)
    gate = SliceNoRegression("accuracy", alpha=0.05, n_resamples=500)
    trials = 200
    fails = 0
    for t in range(trials):
        y, a, b = _pair(rng, 2500, 0.80, 0.80, shared=0.5)
        sl = rng.integers(0, 5, 2500)
        ctx = GateContext(y_true=y, champion=a, challenger=b, slices=sl, rng=t)
        fails += not gate.check(ctx).passed
    assert fails / trials <= _bound(0.05, trials)


@pytest.mark.slow
def test_delong_and_mcnemar_null_rejection_rates():
    rng = np.random.default_rng(14)
    rej_d = rej_m = 0
    for _ in range(TRIALS):
        y = rng.integers(0, 2, 300)
        z = rng.normal(size=300)
        s1 = y + z
        s2 = y + 0.5 * z + np.sqrt(0.75) * rng.normal(size=300)  # same AUC
        rej_d += delong(y, s1, s2).p_value < 0.05
        y, a, b = _pair(rng, 300, 0.8, 0.8)
        rej_m += mcnemar(y, a, b).p_value < 0.05
    assert rej_d / TRIALS <= _bound(0.05)
    assert rej_m / TRIALS <= _bound(0.05)
