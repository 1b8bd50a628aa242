"""The one multiple-testing adjustment, against statsmodels and by its definition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mllifecycle._multitest import CORRECTIONS, adjust_p_values
from mllifecycle.exceptions import InvalidParameterError

try:
    from statsmodels.stats import multitest
except ImportError:  # optional oracle
    multitest = None

PAIRS = [
    ("holm", "holm"),
    ("hochberg", "simes-hochberg"),
    ("bonferroni", "bonferroni"),
    ("fdr_bh", "fdr_bh"),
    ("fdr_by", "fdr_by"),
]


@pytest.mark.oracle
@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
@given(p=st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_equals_statsmodels(ours, theirs, p):
    if multitest is None:
        pytest.skip("statsmodels (oracle extra) is not installed")
    expected = multitest.multipletests(p, method=theirs)[1]
    np.testing.assert_allclose(adjust_p_values(p, ours), expected, rtol=1e-12, atol=1e-300)


@given(p=st.lists(st.floats(0, 1), max_size=30), corr=st.sampled_from(CORRECTIONS))
def test_adjusted_is_at_least_raw_and_at_most_one(p, corr):
    adj = adjust_p_values(p, corr)
    raw = np.asarray(p, dtype=float)
    assert adj.shape == raw.shape
    assert np.all(adj >= raw - 1e-15)
    assert np.all(adj <= 1.0)


@pytest.mark.parametrize(
    ("p", "kwargs", "match"),
    [
        ([0.1, float("nan")], {}, r"'p_values' parameter .* without NaN"),
        ([0.1, 1.5], {}, r"'p_values' parameter .* in \[0, 1\]"),
        ([-0.1], {}, r"'p_values' parameter .* in \[0, 1\]"),
        ([[0.1, 0.2]], {}, r"'p_values' parameter .* 1-D .* shape \(1, 2\)"),
        (None, {}, r"'p_values' parameter"),
        ("0.1", {}, r"'p_values' parameter"),
        (["a"], {}, r"'p_values' parameter"),
        # text, bools, None and dates were read as numbers (np.asarray(..., float))
        (["0.1", "0.2"], {}, r"numeric p-values .* Got '0\.1' \(a str\) at position 0"),
        (np.array(["0.1"]), {}, r"numeric p-values .* dtype <U3"),
        ([0.2, True], {}, r"numeric p-values .* Got True \(a bool\) at position 1"),
        (np.array([True, False]), {}, r"numeric p-values .* dtype bool"),
        ([0.1, None], {}, r"numeric p-values .* None \(a missing p-value\) at position 1"),
        ([np.datetime64("2020")], {}, r"numeric p-values .* \(a datetime64\)"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), {}, r"numeric .* datetime64\[D\]"),
        ([0.1 + 0j], {}, r"numeric p-values .* \(a complex\)"),
        ([0.1], {"correction": "none"}, r"'correction' parameter of adjust_p_values"),
        ([0.1], {"correction": "BH"}, r"'correction' parameter of adjust_p_values"),
    ],
)
def test_bad_input(p, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        adjust_p_values(p, **kwargs)
