"""Values near the float limits and complex input (issue 12, item 9).

``update_many`` must give exactly the detections of the ``update`` loop even
where the arithmetic overflows (River's and ours alike run past the finite
range there), and complex input is refused, never truncated to its real part.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import (
    ADWIN,
    CUSUM,
    DDM,
    EDDM,
    HDDM_A,
    HDDM_W,
    KSWIN,
    PageHinkley,
)
from mllifecycle.exceptions import InvalidParameterError

REAL_DETECTORS = {
    "PageHinkley": PageHinkley,
    "PageHinkley-up": lambda: PageHinkley(mode="up", grace_period=5, threshold=1.0),
    "PageHinkley-down-forget": lambda: PageHinkley(
        mode="down", forgetting_factor=0.9, grace_period=3
    ),
    "CUSUM": CUSUM,
    "CUSUM-up": lambda: CUSUM(mode="up", threshold=1.0),
    "ADWIN": lambda: ADWIN(clock=4),
    "KSWIN": lambda: KSWIN(window_size=20, stat_size=8, alpha=0.05, rng=1),
}
BINARY_DETECTORS = {"DDM": DDM, "EDDM": EDDM, "HDDM_A": HDDM_A, "HDDM_W": HDDM_W}


def loop(det, xs):
    return [i for i, x in enumerate(xs.tolist()) if det.update(x)]


# magnitudes from ordinary to the largest finite double, both signs
huge = st.floats(
    min_value=-np.finfo(np.float64).max,
    max_value=np.finfo(np.float64).max,
    allow_nan=False,
    allow_infinity=False,
)
extreme = st.sampled_from([1e154, 1e300, 1e307, 1e308, 1.7976931348623157e308])


# ADWIN refuses magnitudes beyond MAX_MAGNITUDE (its variance would overflow):
# tested at its own edge below
@pytest.mark.parametrize("name", [n for n in REAL_DETECTORS if n != "ADWIN"])
@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(huge, min_size=0, max_size=300),
    scale=extreme,
    seed=st.integers(0, 2**16),
    split=st.integers(0, 300),
)
def test_update_many_equals_update_loop_at_extreme_magnitudes(
    name, values, scale, seed, split
):
    make = REAL_DETECTORS[name]
    rng = np.random.default_rng(seed)
    # a mix of arbitrary doubles and a level shift at the edge of the range
    base = rng.choice([-1.0, 1.0], 300) * scale * rng.uniform(0.5, 1.0, 300)
    xs = np.concatenate([base[: len(values)], np.asarray(values, dtype=float), base])
    expected = loop(make(), xs)
    many = make()
    k = min(split, xs.shape[0])
    got = many.update_many(xs[:k]).tolist()
    got += (many.update_many(xs[k:]) + k).tolist()
    assert got == expected
    assert many.drift_detected == make_and_loop_flag(make, xs)


ADWIN_EDGE = 1e120


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.floats(-ADWIN_EDGE, ADWIN_EDGE, allow_nan=False, allow_infinity=False),
        max_size=300,
    ),
    scale=st.sampled_from([1e100, 1e110, ADWIN_EDGE]),
    seed=st.integers(0, 2**16),
    split=st.integers(0, 300),
)
def test_adwin_update_many_equals_update_loop_up_to_its_largest_magnitude(
    values, scale, seed, split
):
    rng = np.random.default_rng(seed)
    base = rng.choice([-1.0, 1.0], 300) * scale * rng.uniform(0.5, 1.0, 300)
    xs = np.concatenate([base[: len(values)], np.asarray(values, dtype=float), base])
    expected = loop(ADWIN(clock=4), xs)
    many = ADWIN(clock=4)
    k = min(split, xs.shape[0])
    got = many.update_many(xs[:k]).tolist()
    got += (many.update_many(xs[k:]) + k).tolist()
    assert got == expected
    assert np.isfinite(many.variance)


def make_and_loop_flag(make, xs):
    det = make()
    loop(det, xs)
    return det.drift_detected


def test_page_hinkley_near_max_double_matches_loop():
    # the report: values near +-1e308 made update_many miss the loop's detection
    rng = np.random.default_rng(0)
    xs = rng.choice([-1.0, 1.0], 400) * 1e308 * rng.uniform(0.5, 1.0, 400)
    expected = loop(PageHinkley(), xs)
    assert expected  # the loop does detect here
    assert PageHinkley().update_many(xs).tolist() == expected


COMPLEX_INPUTS = [
    np.array([1 + 2j, 3 + 0j]),
    np.array([1.0, 0.0], dtype=complex),  # zero imaginary parts still refused
    [1 + 0j, 0j],
]


@pytest.mark.parametrize(
    "make", list(REAL_DETECTORS.values()) + list(BINARY_DETECTORS.values()),
    ids=list(REAL_DETECTORS) + list(BINARY_DETECTORS),
)
@pytest.mark.parametrize("xs", COMPLEX_INPUTS, ids=["complex", "real-valued complex", "list"])
def test_complex_input_is_refused(make, xs):
    with pytest.raises(InvalidParameterError, match=r"'xs' parameter.*complex input is refused"):
        make().update_many(xs)


@pytest.mark.parametrize(
    "make", list(REAL_DETECTORS.values()) + list(BINARY_DETECTORS.values()),
    ids=list(REAL_DETECTORS) + list(BINARY_DETECTORS),
)
@pytest.mark.parametrize("x", [1 + 1j, np.complex128(1.0)])
def test_complex_value_is_refused_by_update(make, x):
    with pytest.raises(InvalidParameterError, match=r"'x' parameter"):
        make().update(x)
