"""energy on subnormal data (below about 1e-308) sees the shift it sees at unit scale."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle import drift


@pytest.mark.parametrize("d", [1, 2])
@pytest.mark.parametrize("scale", [1e-320, 5e-323])
def test_energy_subnormal_scale_detects_shift(d: int, scale: float) -> None:
    # the scale was capped at 2**1023, leaving the data near 1e-12, under the
    # permutation tie tolerance: p = 1.0 (with a "cannot reject" warning) for
    # a 0.5 sd shift that gives p = 0.002 at every normal scale
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(100, d)), rng.normal(0.5, size=(100, d))
    unit = drift.energy(a, b, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny = drift.energy(a * scale, b * scale, rng=0)
    assert unit.drift_detected
    assert tiny.drift_detected
    assert tiny.p_value == unit.p_value
    assert tiny.effect_size == pytest.approx(unit.effect_size, rel=0.05)
    assert tiny.statistic == pytest.approx(unit.statistic * np.sqrt(scale), rel=0.05)


def test_energy_subnormal_same_sample_no_drift() -> None:
    x = np.random.default_rng(1).normal(size=80) * 1e-320
    assert drift.energy(x, x.copy(), rng=0).p_value == 1.0
