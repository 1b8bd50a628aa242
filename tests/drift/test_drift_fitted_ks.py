"""The fitted-reference KS (window looked up in the stored sorted reference).

``ks_statistic_sorted`` must return the pooled-sort statistic bit for bit (so
``Reference.compare`` equals ``detect``) and scipy's ``ks_2samp`` statistic
and p-value, whatever the ties, duplicates between the samples, sizes and
lookup stride.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from mllifecycle import drift
from mllifecycle.drift._ks import ks_pvalues, ks_statistic_columns, ks_statistic_sorted

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# few distinct values: ties inside each sample and between the two samples
TIED = st.integers(-4, 4).map(float)
FREE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=64)


def _pair(elements, max_n=300):
    return st.tuples(
        arrays(np.float64, st.tuples(st.integers(2, max_n), st.just(2)), elements=elements),
        arrays(np.float64, st.tuples(st.integers(2, max_n), st.just(2)), elements=elements),
    )


def _check(x, y, stride=16):
    ref = np.sort(x.T, axis=1)
    got = ks_statistic_sorted(ref, y, stride)
    np.testing.assert_array_equal(got, ks_statistic_columns(x, y))
    for j in range(x.shape[1]):
        with warnings.catch_warnings():  # scipy's "exact calculation unsuccessful"
            warnings.simplefilter("ignore", RuntimeWarning)
            sc = stats.ks_2samp(x[:, j], y[:, j])
        # the raw sup agrees to rounding; after scipy's lattice rounding (exact
        # branch) or directly (asymptotic branch) statistic and p-value match
        assert abs(got[j] - sc.statistic) <= 1e-12
        d, p = ks_pvalues(got[j : j + 1], x.shape[0], y.shape[0])
        assert d[0] == sc.statistic
        assert abs(p[0] - sc.pvalue) <= 1e-12 + 1e-9 * sc.pvalue
    return got


@pytest.mark.parametrize("stride", [1, 2, 16])
@SETTINGS
@given(data=st.data())
def test_sorted_reference_matches_pooled_and_scipy(stride, data):
    elements = data.draw(st.sampled_from([TIED, FREE]))
    x, y = data.draw(_pair(elements))
    if data.draw(st.booleans()):  # the window reuses reference values
        y = x[data.draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=2, max_size=200))]
    got = _check(x, y, stride)
    assert got.shape == (x.shape[1],)


@pytest.mark.parametrize("kind", ["normal", "shifted", "cauchy", "rounded", "resampled", "const"])
@pytest.mark.parametrize(("n", "m"), [(5000, 5000), (300, 7000), (9000, 700)])
def test_sorted_reference_large_windows(kind, n, m):
    rng = np.random.default_rng(len(kind) * 31 + n + m)
    x = rng.normal(size=(n, 3))
    if kind == "normal":
        y = rng.normal(size=(m, 3))
    elif kind == "shifted":
        y = rng.normal(size=(m, 3)) + np.array([0.0, 0.05, 1.0])
    elif kind == "cauchy":
        x = rng.standard_cauchy(size=(n, 3))
        y = rng.standard_cauchy(size=(m, 3))
    elif kind == "rounded":
        x = np.round(x, 1)
        y = np.round(rng.normal(0.02, 1.0, size=(m, 3)), 1)
    elif kind == "resampled":
        y = x[rng.integers(0, n, size=m)]
        y[: m // 3] += 1e-12
    else:
        x = np.zeros((n, 3))
        x[::3, 1] = 1.0
        y = np.zeros((m, 3))
    got = _check(x, y)
    assert np.all((got >= 0) & (got <= 1))


def test_compare_equals_detect_in_the_asymptotic_branch():
    # n > 10000: scipy's asymptotic p-value, statistic not lattice-rounded
    rng = np.random.default_rng(7)
    ref = rng.normal(size=(12000, 4))
    ref[:, 3] = np.round(ref[:, 3], 1)
    fitted = drift.Reference.fit(ref)
    for shift in (0.0, 0.03):
        cur = rng.normal(shift, 1.0, size=(11000, 4))
        cur[:, 3] = np.round(cur[:, 3], 1)
        a = fitted.compare(cur)
        assert a.to_dict() == drift.detect(ref, cur).to_dict()
        for j in range(4):
            sc = stats.ks_2samp(ref[:, j], cur[:, j])
            assert a[f"x{j}"].statistic == sc.statistic
            assert abs(a[f"x{j}"].p_value - sc.pvalue) <= 1e-12 + 1e-9 * sc.pvalue


def test_compare_window_sizes_differ_from_reference():
    rng = np.random.default_rng(3)
    ref = rng.normal(size=(2000, 5))
    fitted = drift.Reference.fit(ref)
    for m in (2, 3, 17, 64, 65, 500, 4001):
        cur = rng.normal(0.1, 1.0, size=(m, 5))
        assert fitted.compare(cur).to_dict() == drift.detect(ref, cur).to_dict()
