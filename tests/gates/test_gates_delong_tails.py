"""DeLong's p-values keep their size far in the tail (not rounded to 0)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from mllifecycle.gates import delong


def _scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    return y, y + rng.normal(0, 1.5, 400), y + rng.normal(0, 0.3, 400)


def test_two_sided_and_one_sided_p_values_equal_the_normal_tail():
    # 1 - ndtr(z) is 0.0 from z = 8.3 on: p was 0 here (z = 10.8, p = 5.5e-27)
    y, champion, challenger = _scores()
    two = delong(y, champion, challenger, test="delong")
    assert two.statistic > 9
    assert two.p_value > 0
    assert two.p_value == pytest.approx(2 * norm.sf(two.statistic), rel=1e-9)
    one = delong(y, champion, challenger, hypothesis="superiority", test="delong")
    assert one.p_value == pytest.approx(norm.sf(one.statistic), rel=1e-9)
    worse = delong(y, challenger, champion, hypothesis="superiority", test="delong")
    assert worse.p_value == pytest.approx(1.0)
