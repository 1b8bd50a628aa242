"""CUSUM after a huge value against the watched direction (hunt 8).

The state is a cumulative sum and its running minimum; one value of -1e17
(in sigma units) made the sum so large that every later value rounded away,
and ``mode="up"`` never detected again, where the tabular recursion restarts
at 0 and detects the next shift as usual.
"""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest

from mllifecycle.drift.stream import CUSUM


def tabular_cusum(xs, mu0, sigma, k, h, mode):
    """Montgomery (2019), Section 9.1.2, restarting both sums after a signal."""
    c_plus = c_minus = 0.0
    out = []
    for i, x in enumerate(xs):
        z = (x - mu0) / sigma
        c_plus = max(0.0, c_plus + z - k)
        c_minus = max(0.0, c_minus - z - k)
        if (c_plus > h and mode != "down") or (c_minus > h and mode != "up"):
            out.append(i)
            c_plus = c_minus = 0.0
    return out


def outlier_stream(n, big, sign, seed):
    """In control, a few huge values against ``sign``, then a shift along it."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(0.0, 1.0, n)
    xs[n // 2 :] += 1.5 * sign
    where = rng.choice(n // 2, size=3, replace=False)
    xs[where] = -sign * big
    return xs


CASES = [
    # (mode, sign of the watched shift, magnitude of the outliers)
    ("up", 1.0, 1e17),
    ("down", -1.0, 1e17),
    ("up", 1.0, 9.96921e36),  # NetCDF's default fill value
    ("down", -1.0, 1e300),
    ("both", 1.0, 1e17),
    ("up", 1.0, 1e9),  # below the restart level: the old arithmetic
]


@pytest.mark.parametrize(("mode", "sign", "big"), CASES)
@pytest.mark.parametrize("n", [600, 6000])  # one scan, and the window loop
def test_cusum_matches_tabular_recursion_after_huge_values(mode, sign, big, n):
    xs = outlier_stream(n, big, sign, seed=n)
    expected = tabular_cusum(xs.tolist(), 0.0, 1.0, 0.5, 5.0, mode)
    assert any(i >= n // 2 for i in expected)  # the shift is detected
    many = CUSUM(mode=mode).update_many(xs).tolist()
    det = CUSUM(mode=mode)
    one_by_one = [i for i, x in enumerate(xs.tolist()) if det.update(x)]
    assert many == expected
    assert one_by_one == expected


@pytest.mark.parametrize("mode", ["up", "down", "both"])
def test_cusum_restart_is_exact_across_calls_and_pickles(mode):
    sign = -1.0 if mode == "down" else 1.0
    xs = outlier_stream(3000, 1e20, sign, seed=7)
    whole = CUSUM(mode=mode)
    expected = whole.update_many(xs).tolist()
    det = CUSUM(mode=mode)
    got: list[int] = []
    cuts = [0, 1, 700, 1499, 1500, 2222, 3000]
    for a, b in itertools.pairwise(cuts):
        if a == 1499:
            det = pickle.loads(pickle.dumps(det))
        got += (det.update_many(xs[a:b]) + a).tolist()
    assert got == expected
    assert det == whole
    assert det.statistic_up == whole.statistic_up
    assert det.statistic_down == whole.statistic_down


def test_cusum_statistic_is_zero_after_a_huge_value_against_it():
    det = CUSUM(mode="up", threshold=1e9)
    det.update(-1e17)
    assert det.statistic_up == 0.0
    det.update(6.0)
    assert det.statistic_up == 5.5  # z - k, as the recursion gives
