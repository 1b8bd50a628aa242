"""MAE and MSE at magnitudes near float64's ends: the same test as in plain units.

Values near 1e307 overflowed ``a - y``, errors near 1e150 overflowed their
squares (or the sum of a few hundred of them) and errors near 1e-170
underflowed them: the metric came out inf (``MetricThreshold`` failed a
challenger well within its maximum, the paired tests raised) or 0 (a paired
test found no difference between clearly different models). Scaling
``y_true`` and both models by a power of two scales the metric exactly and
leaves every p-value unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    paired_bootstrap,
    paired_permutation,
)


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    return y, y + rng.normal(size=n), y + 0.9 * rng.normal(size=n)


# (metric, power of the errors in the metric, exponent of the scale)
CASES = [
    ("mean_absolute_error", 1, 1020),  # values near 1e307: a - y overflowed
    ("mean_absolute_error", 1, -1000),  # errors near 1e-301
    ("mean_squared_error", 2, 511),  # squares near 2**1022: their sum overflowed
    ("mean_squared_error", 2, -560),  # squares below 2**-1074: all 0
]


@pytest.mark.parametrize(("metric", "power", "exp"), CASES)
def test_paired_bootstrap_p_value_does_not_depend_on_the_units(metric, power, exp):
    y, a, b = _data()
    s = 2.0**exp
    plain = paired_bootstrap(y, a, b, metric=metric, n_resamples=400, rng=0)
    scaled = paired_bootstrap(y * s, a * s, b * s, metric=metric, n_resamples=400, rng=0)
    assert scaled.p_value == pytest.approx(plain.p_value, rel=1e-12)
    assert scaled.test == plain.test
    unit = 2.0 ** (power * exp)
    if unit > 0.0:  # the metric itself is representable
        assert scaled.champion_value == pytest.approx(plain.champion_value * unit, rel=1e-12)
        assert scaled.ci_high == pytest.approx(plain.ci_high * unit, rel=1e-12)
        assert scaled.std_error == pytest.approx(plain.std_error * unit, rel=1e-12)


@pytest.mark.parametrize(("metric", "power", "exp"), CASES)
def test_paired_permutation_p_value_does_not_depend_on_the_units(metric, power, exp):
    y, a, b = _data(n=40, seed=1)
    s = 2.0**exp
    plain = paired_permutation(y, a, b, metric=metric, rng=0)
    scaled = paired_permutation(y * s, a * s, b * s, metric=metric, rng=0)
    assert scaled.p_value == pytest.approx(plain.p_value, rel=1e-12)
    unit = 2.0 ** (power * exp)
    if unit > 0.0:
        assert scaled.difference == pytest.approx(plain.difference * unit, rel=1e-12)


def test_threshold_reads_a_huge_mae_within_its_maximum():
    y, a, b = _data()
    s = 2.0**1020
    # the MAE in plain units times the power of two (exact)
    mae = float(np.mean(np.abs(b - y))) * s
    ctx = GateContext(y_true=y * s, champion=a * s, challenger=b * s)
    res = MetricThreshold("mean_absolute_error", maximum=1.5 * mae).check(ctx)
    assert res.passed
    assert res.evidence["value"] == pytest.approx(mae, rel=1e-12)


def test_threshold_reads_a_large_mse_whose_squares_sum_past_float64():
    y, a, b = _data()
    s = 2.0**511
    ctx = GateContext(y_true=y * s, champion=a * s, challenger=b * s)
    mse = float(np.mean((b - y) ** 2)) * 2.0**1022
    res = MetricThreshold("mean_squared_error", maximum=1e308).check(ctx)
    assert res.passed
    assert res.evidence["value"] == pytest.approx(mse, rel=1e-12)


def test_an_mse_beyond_float64_is_refused_by_name():
    y, a, b = _data()
    s = 2.0**1000
    with pytest.raises(InvalidParameterError, match=r"y_true.*float64"):
        paired_bootstrap(y * s, a * s, b * s, metric="mean_squared_error",
                         n_resamples=400, rng=0)
