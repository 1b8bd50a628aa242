"""KSWIN's critical value for a large stat_size: fast, and the same exact table value."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from mllifecycle import _scipy_shim
from mllifecycle._ks_null import ks_equal_n_critical, ks_equal_n_sf, ks_equal_n_sf_at
from mllifecycle.drift.stream import KSWIN
from mllifecycle.exceptions import InvalidParameterError


def _exact(n, k):
    """``P(D >= k/n)`` by Gnedenko & Korolyuk's whole sum in integers (the old code)."""
    total = math.comb(2 * n, n)
    s = sum((-1) ** (j + 1) * math.comb(2 * n, n - j * k) for j in range(1, n // k + 1))
    return float(min(1.0, 2 * s / total))


def _scan(sf, n, level, min_statistic):
    """The old KSWIN rule: the first k of the table reaching the level."""
    ks = [k for k, p in enumerate(sf) if k > 0 and p <= level and k / n > min_statistic]
    return ks[0] if ks else None


@pytest.mark.parametrize("n", [*range(1, 41), 64, 99, 100, 128, 257])
def test_sf_values_equal_the_whole_integer_sum(n):
    sf = ks_equal_n_sf(n)
    assert sf == [1.0] + [_exact(n, k) for k in range(1, n + 1)]
    assert [ks_equal_n_sf_at(n, k) for k in range(n + 1)] == sf


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 25, 30, 31, 64, 100, 257])
def test_critical_value_equals_the_scan_of_the_table(n):
    sf = [1.0] + [_exact(n, k) for k in range(1, n + 1)]
    levels = [0.9, 0.5, 0.1, 0.05, 0.005, 1e-4, 1e-12, 1e-100, 1e-300, 5e-324, 0.0]
    # the table's own values and their neighbours: the boundary cases
    for p in sf[1:]:
        levels += [p, float(np.nextafter(p, 1.0)), float(np.nextafter(p, 0.0))]
    statistics = [0.0, 0.05, 0.1, 0.5, 0.99] + [k / n for k in range(0, n, 1 + n // 40)]
    for level in levels:
        for m in statistics:
            assert ks_equal_n_critical(n, level, m) == _scan(sf, n, level, m), (level, m)


# critical k of the old code (whole table) for stat_size 500-2000 at
# alpha 0.1, 0.05, 0.005, 1e-4, 1e-8, 1e-20
OLD_CRITICAL = {
    500: [39, 43, 55, 71, 98, 152],
    1000: [55, 61, 78, 100, 139, 216],
    1500: [68, 75, 95, 122, 170, 265],
    2000: [78, 86, 110, 141, 196, 306],
}


@pytest.mark.parametrize("n", sorted(OLD_CRITICAL))
def test_kswin_critical_values_unchanged_for_sizes_that_worked(n):
    for alpha, k in zip([0.1, 0.05, 0.005, 1e-4, 1e-8, 1e-20], OLD_CRITICAL[n], strict=True):
        det = KSWIN(alpha=alpha, stat_size=n, window_size=2 * n)
        assert det.critical_value == k / n


def test_kswin_large_stat_size_evaluates_few_exact_values():
    # the whole exact table (one value per statistic, n + 1 of them) took 12 s
    # at stat_size=3000 and minutes at 10000; the critical value needs only
    # the values a bisection visits, about log2(n) of them (counted, not timed:
    # no wall-clock assertion on a shared machine)
    ks_equal_n_sf_at.cache_clear()
    ks_equal_n_critical.cache_clear()
    det = KSWIN(stat_size=3000, window_size=6000)
    big = KSWIN(alpha=0.05, stat_size=10_000, window_size=20_000)
    assert ks_equal_n_sf_at.cache_info().currsize <= 2 * (12 + 14 + 4)
    # exact at the boundary: the old whole integer sum at k - 1 and k
    for d, level in ((det, 0.005), (big, 0.05)):
        n = d.stat_size
        k = round(d.critical_value * n)
        assert _exact(n, k) <= level < _exact(n, k - 1)
        assert ks_equal_n_sf_at(n, k) == _exact(n, k)


@pytest.mark.parametrize("n", [1000, 3000])
def test_sf_matches_scipy_ks_2samp_exact(n):
    a = np.arange(n, dtype=float)
    compared = 0
    for k in (30, 60, 80, 110, 150, 200):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = stats.ks_2samp(a, a + k - 0.5, method="exact")  # D = k / n
        if caught:  # scipy fell back to the asymptotic formula
            continue
        assert res.statistic == pytest.approx(k / n)
        assert ks_equal_n_sf_at(n, k) == pytest.approx(res.pvalue, rel=1e-9, abs=1e-300)
        compared += 1
    assert compared >= 3


def test_kswin_p_value_is_the_table_value_and_detections_agree():
    rng = np.random.default_rng(3)
    xs = np.r_[rng.normal(0, 1, 4000), rng.normal(0.4, 1, 4000)]
    one = KSWIN(stat_size=1000, window_size=2000, rng=1)
    many = KSWIN(stat_size=1000, window_size=2000, rng=1)
    hits = [i for i, x in enumerate(xs.tolist()) if one.update(x)]
    assert many.update_many(xs).tolist() == hits
    assert hits
    k = round(one.statistic * 1000)
    assert one.p_value == many.p_value == _exact(1000, k)


def test_unreachable_level_message_names_the_smallest_p_value():
    with pytest.raises(InvalidParameterError, match=r"smallest p-value with stat_size=3 is 0\.1"):
        KSWIN(alpha=0.05, stat_size=3, window_size=6)


def test_unreachable_level_with_min_statistic_blames_stat_size():
    # P(D >= 1) = 2 / C(10, 5) = 0.0079 > 0.005: no statistic reaches the
    # level, whatever min_statistic; the error named min_statistic (and asked
    # for a value "below the largest statistic that reaches the level": none)
    with pytest.raises(InvalidParameterError, match="'stat_size' parameter of KSWIN") as err:
        KSWIN(alpha=0.005, stat_size=5, window_size=10, min_statistic=0.5)
    assert "0.00794" in str(err.value)
    # and a min_statistic up to just below 1 still leaves D = 1 reaching it
    det = KSWIN(stat_size=30, min_statistic=0.99)
    assert det.critical_value == 1.0


def test_fallback_stops_early_only_when_the_rounding_is_settled(monkeypatch):
    # the fallback the shim uses without SciPy's private routine
    monkeypatch.setattr(_scipy_shim, "private", lambda name: None)
    for n, h in ((2000, 1), (2000, 2), (5000, 71), (4000, 2000), (4001, 2000)):
        assert _scipy_shim.prob_outside_square(n, h) == _exact(n, h)
