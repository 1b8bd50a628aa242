"""CUSUM against a textbook tabular-CUSUM loop, and its in-control run length."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.datasets import mean_shift_stream
from mllifecycle.drift.stream import CUSUM


def tabular_cusum(xs, mu0, sigma, k, h, mode="both"):
    """Montgomery (2019), Section 9.1.2, restarting both sums after a signal."""
    c_plus = c_minus = 0.0
    out = []
    for i, x in enumerate(xs):
        z = (x - mu0) / sigma
        c_plus = max(0.0, c_plus + z - k)
        c_minus = max(0.0, c_minus - z - k)
        up = c_plus > h and mode != "down"
        down = c_minus > h and mode != "up"
        if up or down:
            out.append(i)
            c_plus = c_minus = 0.0
    return out


def streams():
    out = []
    for seed in range(4):
        out.append(
            mean_shift_stream(10_000, [5000], means=[10.0, 11.0], sigma=2.0, rng=seed)
        )
    for seed in range(4, 7):
        out.append(
            mean_shift_stream(
                10_000,
                [3000, 7000],
                means=[10.0, 8.0, 10.0],
                sigma=2.0,
                gradual_width=1000,
                rng=seed,
            )
        )
    for seed in range(7, 10):
        out.append(mean_shift_stream(10_000, [], means=[10.0], sigma=2.0, rng=seed))
    return out


@pytest.mark.parametrize(
    ("k", "h", "mode"),
    [(0.5, 5.0, "both"), (0.25, 8.0, "both"), (1.0, 3.0, "up"), (0.5, 4.0, "down")],
)
def test_matches_textbook_tabular_cusum(k, h, mode):
    total = 0
    for s in streams():
        expected = tabular_cusum(s.values.tolist(), 10.0, 2.0, k, h, mode)
        det = CUSUM(target=10.0, sigma=2.0, allowance=k, threshold=h, mode=mode)
        assert det.update_many(s.values).tolist() == expected
        total += len(expected)
    assert total > 0


def test_statistics_are_the_textbook_sums():
    xs = mean_shift_stream(300, [150], means=[0.0, 0.8], rng=1).values
    det = CUSUM(threshold=1e9)
    c_plus = c_minus = 0.0
    for x in xs.tolist():
        det.update(x)
        c_plus = max(0.0, c_plus + x - 0.5)
        c_minus = max(0.0, c_minus - x - 0.5)
        assert det.statistic_up == pytest.approx(c_plus, abs=1e-9)
        assert det.statistic_down == pytest.approx(c_minus, abs=1e-9)


def test_detects_a_one_sigma_shift_quickly():
    # Montgomery, Table 9.3: k=0.5, h=5 detects a 1-sigma shift in ~10.4 values.
    rng = np.random.default_rng(11)
    delays = []
    for _ in range(200):
        xs = rng.normal(1.0, 1.0, 200)
        hits = CUSUM(allowance=0.5, threshold=5.0).update_many(xs)
        delays.append(int(hits[0]) + 1)
    assert 9.0 < np.mean(delays) < 12.0


@pytest.mark.slow
def test_in_control_average_run_length():
    """Two-sided k=0.5, h=5: ARL0 about 465 (Montgomery, Section 9.1.5).

    With restarts, the gaps between false alarms on a stationary stream are
    independent run lengths; ~4,000 of them pin the mean to about +-2%.
    """
    xs = np.random.default_rng(2024).standard_normal(2_000_000)
    hits = CUSUM(allowance=0.5, threshold=5.0).update_many(xs)
    run_lengths = np.diff(np.r_[-1, hits])
    arl = run_lengths.mean()
    se = run_lengths.std() / np.sqrt(run_lengths.size)
    assert abs(arl - 465.0) < 3.5 * se + 5.0
    # one-sided is twice as long (Siegmund's approximation: ~938)
    hits_up = CUSUM(allowance=0.5, threshold=5.0, mode="up").update_many(xs)
    assert 850 < np.diff(np.r_[-1, hits_up]).mean() < 1030
