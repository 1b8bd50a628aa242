"""The shared exact-numerics helpers of ``mllifecycle._scaling``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle._scaling import nonzero_sparse, pow2_exponent, pow2_scale, refine_near_pairs


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 9), cols=st.integers(0, 21), p=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_sparse_nonzero_is_nonzero(rows, cols, p, seed):
    mask = np.random.default_rng(seed).random((rows, cols)) < p
    got = nonzero_sparse(mask)
    want = np.nonzero(mask)
    assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True))


def test_sparse_nonzero_of_a_non_contiguous_view():
    mask = np.zeros((6, 20), dtype=bool)
    mask[1, 3] = mask[5, 19] = mask[4, 10] = True
    view = mask[:, 2:]
    got = nonzero_sparse(view)
    assert all(np.array_equal(a, b) for a, b in zip(got, np.nonzero(view), strict=True))


def test_refined_pairs_are_the_direct_squared_distances():
    # near-duplicate rows far from the origin: the expansion cancels
    rng = np.random.default_rng(0)
    a = 1e4 + rng.normal(size=(30, 4)) * 1e-5
    b = a[::-1] + rng.normal(size=(30, 4)) * 1e-6
    expanded = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    direct = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    assert np.abs(expanded - direct).max() > 1e-3 * direct.max()  # the case is hard
    refine_near_pairs(expanded, a, b, np.inf)
    np.testing.assert_allclose(expanded, direct, rtol=1e-12, atol=0)


@given(st.floats(min_value=5e-324, max_value=1.7e308))
def test_pow2_scale_brings_values_near_one_exactly(big):
    k = pow2_exponent(big)
    scaled = big * pow2_scale(big)
    assert np.isfinite(pow2_scale(big))
    if big >= 2.0**-1022:  # normal: [1, 2)
        assert 1.0 <= scaled < 2.0
    else:  # subnormal: capped at 2**1023, still exact
        assert k == 1023
        assert scaled == np.ldexp(big, 1023)
