"""Learning-curve prediction intervals: which families enter a bounded
metric's fit, the monotone floor, the noise of a new measurement, the
shortest interval, and their coverage by seeded simulation."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve

SIZES = np.array([50.0, 100, 200, 400, 800, 1600])


def _loglinear_folds(seed):
    rng = np.random.default_rng(seed)
    law = 0.3 + 0.05 * np.log(SIZES)
    return law[:, None] + rng.normal(0, 0.003, (6, 5))


@pytest.mark.parametrize("seed", range(3))
def test_bounded_rising_metric_never_uses_the_log_linear_law(seed):
    folds = _loglinear_folds(seed)
    free = fit_curve(SIZES, folds, rng=0)
    assert "log_linear" in free.boot_family  # the data follow it: unbounded, it is mixed in
    bounded = fit_curve(SIZES, folds, bounds=(0.0, 1.0), rng=0)
    assert bounded.family != "log_linear"
    assert "log_linear" not in bounded.boot_family
    assert "log_linear" not in bounded.cv_errors


def test_bounded_falling_metric_never_uses_the_log_linear_law():
    err = 1.0 - _loglinear_folds(0)
    assert "log_linear" in fit_curve(SIZES, err, rng=0).boot_family
    curve = fit_curve(SIZES, err, bounds=(0.0, None), rng=0)
    assert curve.family != "log_linear" and "log_linear" not in curve.boot_family
    # a bound on the far side only (a floor under a rising curve) does not exclude it
    rising = fit_curve(SIZES, _loglinear_folds(0), bounds=(0.0, None), rng=0)
    assert "log_linear" in rising.boot_family


def test_log_linear_by_name_or_with_three_sizes_is_still_fitted():
    folds = _loglinear_folds(1)
    named = fit_curve(SIZES, folds, family="log_linear", bounds=(0.0, 1.0), rng=0)
    assert named.family == "log_linear"
    # three sizes: the only family that can be fitted with a residual
    three = fit_curve(SIZES[:3], folds[:3], bounds=(0.0, 1.0), rng=0)
    assert three.family == "log_linear"
