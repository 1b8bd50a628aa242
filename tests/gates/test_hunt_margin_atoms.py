"""Hunt: a bootstrap bound that equals the margin is decided by the data, not by rounding."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import (
    GateContext,
    NoRegression,
    SignificantImprovement,
    paired_bootstrap,
)


def _data(seed: int, n: int = 800) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    a = np.where(rng.random(n) < 0.8, y, 1 - y)
    b = np.where(rng.random(n) < 0.84, y, 1 - y)
    return y, a, b


# accuracy differences over 800 rows are multiples of 1/800, and the margin
# 0.01 = 8/800 is one of them: the lower bound landed on it, computed as
# 0.010000000000000009 (seeds 33, 54: the gate passed, p < 0.05) or
# 0.009999999999999974 (seed 222: it failed)
@pytest.mark.parametrize("seed", [33, 54, 222])
def test_a_bound_on_the_margin_is_the_margin_and_not_significant(seed):
    y, a, b = _data(seed)
    res = paired_bootstrap(
        y, a, b, metric="accuracy", hypothesis="superiority", margin=0.01,
        confidence_level=0.9, n_resamples=2000, rng=0, test="bootstrap",
    )
    assert res.ci_low == 0.01
    # the one-sided p-value at the level of the 90 % interval's lower bound
    assert res.p_value >= 0.05
    gate = SignificantImprovement("accuracy", margin=0.01, n_resamples=2000)
    assert not gate.check(GateContext(y_true=y, champion=a, challenger=b, rng=0)).passed


@pytest.mark.parametrize("seed", [33, 54, 222])
def test_non_inferiority_bound_on_minus_the_margin_does_not_pass(seed):
    # the same atoms, the other way round: the challenger is the champion
    y, a, b = _data(seed)
    res = paired_bootstrap(
        y, b, a, metric="accuracy", hypothesis="non-inferiority", margin=0.01,
        confidence_level=0.9, n_resamples=2000, rng=0, test="bootstrap",
    )
    gate = NoRegression("accuracy", margin=0.01, n_resamples=2000)
    result = gate.check(GateContext(y_true=y, champion=b, challenger=a, rng=0))
    # the decision of the gate and the p-value agree
    assert result.passed == (res.ci_low > -0.01)
    if res.ci_high == pytest.approx(-0.01, abs=1e-12):
        assert res.ci_high == -0.01
