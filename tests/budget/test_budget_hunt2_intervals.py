"""Second hunt: a size's interval does not depend on the other sizes asked with it."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve


@pytest.fixture(scope="module")
def curve():
    rng = np.random.default_rng(0)
    sizes = np.array([100, 200, 400, 800, 1600])
    folds = 0.95 - 2.0 * sizes[:, None] ** -0.6 + rng.normal(0, 0.004, (5, 5))
    return fit_curve(sizes, folds, bounds=(0, 1), rng=0)


@pytest.mark.parametrize("others", [[1600], [100, 800], [6400]])
def test_prediction_interval_of_a_size_is_the_same_in_any_call(curve, others):
    # the measurement noise was drawn as a (draws, sizes) block: 6400 asked
    # alone, with 1600 or twice got three different intervals
    low, high = curve.interval(6400)
    lows, highs = curve.interval([*others, 6400])
    assert lows[-1] == low[0]
    assert highs[-1] == high[0]
    rev_low, rev_high = curve.interval([6400, *others])
    assert rev_low[0] == low[0]
    assert rev_high[0] == high[0]


def test_curve_interval_unchanged_by_batching(curve):
    low, high = curve.interval(3200, kind="curve")
    lows, highs = curve.interval([200, 3200], kind="curve")
    assert lows[1] == low[0]
    assert highs[1] == high[0]
