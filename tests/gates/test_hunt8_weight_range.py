"""Weights far from 1 (1e306 on 600 rows, subnormal 1e-320) give the metrics of weights near 1.

Every named metric is scale-free in the weights, and a power of two is exact:
weights ``k * 2**e`` must give bit for bit what the weights ``k`` give. Weights
near 1e306 summed to inf (every metric NaN: the paired functions raised, and
MetricThreshold failed a challenger meeting its bound); subnormal weights lost
digits in the products.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    NoRegression,
    paired_bootstrap,
    paired_permutation,
)

N = 300


def _data() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, N)
    pa = np.clip(0.3 * y + 0.7 * rng.random(N), 0.01, 0.99)
    pb = np.clip(0.4 * y + 0.6 * rng.random(N), 0.01, 0.99)
    k = rng.integers(1, 5, N).astype(np.float64)
    return y, pa, pb, (pa > 0.5).astype(int), (pb > 0.5).astype(int), k


METRICS = ["accuracy", "f1", "log_loss", "brier_score", "expected_calibration_error",
           "roc_auc", "mean_absolute_error", "mean_squared_error"]


def _inputs(metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, pa, pb, a, b, _ = _data()
    if metric in ("accuracy", "f1"):
        return y, a, b
    if metric.startswith("mean_"):
        return pa + pb, pa, pb
    return y, pa, pb


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("exponent", [1018, -1062])
def test_paired_bootstrap_weights_scaled_by_a_power_of_two(metric: str, exponent: int) -> None:
    y, a, b = _inputs(metric)
    k = _data()[-1]
    ref = paired_bootstrap(y, a, b, metric=metric, sample_weight=k, n_resamples=200, rng=0,
                           test="bootstrap")
    got = paired_bootstrap(y, a, b, metric=metric, sample_weight=np.ldexp(k, exponent),
                           n_resamples=200, rng=0, test="bootstrap")
    assert (got.champion_value, got.challenger_value) == (ref.champion_value,
                                                          ref.challenger_value)
    assert (got.ci_low, got.ci_high, got.p_value) == (ref.ci_low, ref.ci_high, ref.p_value)


@pytest.mark.parametrize("metric", ["accuracy", "log_loss", "mean_squared_error"])
def test_paired_permutation_weights_scaled_by_a_power_of_two(metric: str) -> None:
    y, a, b = _inputs(metric)
    k = _data()[-1]
    ref = paired_permutation(y, a, b, metric=metric, sample_weight=k, n_resamples=200, rng=0)
    got = paired_permutation(y, a, b, metric=metric, sample_weight=np.ldexp(k, 1018),
                             n_resamples=200, rng=0)
    assert (got.difference, got.p_value) == (ref.difference, ref.p_value)


def test_metric_threshold_huge_weights_reads_the_accuracy() -> None:
    y, _, _, a, _, k = _data()
    expected = float(np.sum(k * (a == y)) / np.sum(k))
    res = MetricThreshold("accuracy", minimum=0.1).check(
        GateContext(y_true=y, challenger=a, sample_weight=np.ldexp(k, 1018)))
    assert res.passed
    assert res.evidence["value"] == pytest.approx(expected, rel=1e-12)


def test_no_regression_huge_weights_identical_models() -> None:
    y, _, _, a, _, k = _data()
    ctx = GateContext(y_true=y, champion=a, challenger=a.copy(),
                      sample_weight=np.ldexp(k, 1018), rng=0)
    ref = NoRegression("accuracy", margin=0.05, n_resamples=200).check(
        GateContext(y_true=y, champion=a, challenger=a.copy(), sample_weight=k, rng=0))
    res = NoRegression("accuracy", margin=0.05, n_resamples=200).check(ctx)
    assert res.passed == ref.passed
    assert res.evidence["lower_bound"] == ref.evidence["lower_bound"]
