"""The SciPy private-function shim: each fallback equals the private function."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.signal import lfilter

from mllifecycle import _ks_null, _scipy_shim


@pytest.mark.parametrize(("n", "h"), [(3, 1), (3, 2), (10, 3), (50, 7), (200, 20), (1000, 30)])
def test_prob_outside_square_fallback_equals_private(n, h):
    f = _scipy_shim.private("_compute_prob_outside_square")
    exact = _scipy_shim.prob_outside_square_fallback(n, h)
    if f is not None:
        assert exact == pytest.approx(float(f(n, h)), rel=1e-12, abs=1e-300)
    assert _ks_null.prob_outside_square(n, h) == pytest.approx(exact, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("n", [1000, 4999, 5000, 10000])
@pytest.mark.parametrize("first_terms", [7.0, 0.05])
def test_prob_outside_square_summed_in_part_equals_scipy(n, first_terms, monkeypatch):
    # the sum stops where the products are negligible; with too few first
    # terms (0.05 sqrt(n) / h) the check sees the last product kept is not
    # negligible and sums all n // h terms: scipy's value either way
    monkeypatch.setattr(_ks_null, "_FIRST_TERMS", first_terms)
    f = _scipy_shim.private("_compute_prob_outside_square") or (
        _scipy_shim.prob_outside_square_fallback
    )
    for h in [20, 37, 60, 100, 250, n // 7, n // 2, n]:
        expected = float(f(n, h))
        assert _ks_null.prob_outside_square(n, h) == pytest.approx(expected, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("n1", "n2"), [(5, 7), (20, 33), (40, 90), (137, 211)])
def test_exact_2kssamp_fallback_equals_scipy(n1, n2):
    rng = np.random.default_rng(n1 + n2)
    x, y = rng.normal(size=n1), rng.normal(0.3, size=n2)
    ref = stats.ks_2samp(x, y, method="exact")
    ok, _d, p = _scipy_shim.exact_2kssamp_fallback(n1, n2, float(ref.statistic))
    assert ok
    assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


def test_ks_equal_n_sf_matches_scipy_exact():
    n = 12
    sf = _ks_null.ks_equal_n_sf(n)
    for k in range(1, n + 1):
        assert sf[k] == pytest.approx(_ks_null.prob_outside_square(n, k), rel=1e-9)
    assert sf[0] == 1.0
    assert math.isclose(sf[n], 2.0 / math.comb(2 * n, n))


def test_linear_filter_equals_lfilter():
    x = np.random.default_rng(0).normal(size=50)
    b, a, zi = np.array([1.0]), np.array([1.0, -0.7]), np.array([0.25])
    np.testing.assert_allclose(
        _scipy_shim.linear_filter(b, a, x, zi), lfilter(b, a, x, zi=zi)[0], rtol=1e-14
    )


def test_fallbacks_used_when_private_names_vanish(monkeypatch):
    monkeypatch.setattr(_scipy_shim, "private", lambda name: None)
    assert _scipy_shim.prob_outside_square(10, 3) == pytest.approx(
        _scipy_shim.prob_outside_square_fallback(10, 3)
    )
    x5, y7 = np.arange(5.0), np.arange(7.0) + 2.5
    ref = stats.ks_2samp(x5, y7, method="exact")
    ok, _, p = _scipy_shim.exact_2kssamp(5, 7, float(ref.statistic))
    assert ok
    assert p == pytest.approx(ref.pvalue, rel=1e-9)
    x = np.arange(5.0)
    b, a, zi = np.array([1.0]), np.array([1.0, -0.5]), np.array([0.0])
    np.testing.assert_allclose(_scipy_shim.linear_filter(b, a, x, zi), lfilter(b, a, x, zi=zi)[0])
