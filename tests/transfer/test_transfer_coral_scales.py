"""CORAL on columns whose scales differ by 1e8 or more."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL


def _spread(scales, seed=0, n=2000):
    rng = np.random.default_rng(seed)
    d = len(scales)
    s = np.asarray(scales)
    xs = rng.normal(size=(n, d)) @ (np.eye(d) + 0.3 * np.eye(d, k=1)) * s
    xt = rng.normal(size=(n, d)) @ (np.diag(np.arange(1, d + 1) * 0.7)
                                    + 0.4 * np.eye(d, k=-1)) * s
    return xs, xt


@pytest.mark.parametrize("scales", [
    [1e-8, 1.0, 1e8],  # before: variances 4.2x and 0.1x the target's
    [1.0, 1e8, 1e16],  # before: 23x and 0.1x
    [1e-4, 1.0, 1e4, 1e8],  # before: aligned variances of order 1e306 and inf
    [1e-150, 1.0, 1e150],
])
def test_unregularised_coral_aligns_widely_spread_columns(scales):
    xs, xt = _spread(scales)
    coral = CORAL(regularization=0.0).fit(xs, X_target=xt)
    z = coral.transform(xs)
    sd = np.sqrt(np.diag(np.cov(xt, rowvar=False)))
    np.testing.assert_allclose(np.cov(z, rowvar=False) / np.outer(sd, sd),
                               np.cov(xt, rowvar=False) / np.outer(sd, sd), atol=1e-9)
    np.testing.assert_allclose(z.mean(axis=0) / sd, xt.mean(axis=0) / sd, atol=1e-9)
    # the documented map: rows go as (x - mean_s) A + mean_t on the columns
    # divided by scale_, with A' C_s A = C_t
    a, sc = coral.transform_matrix_, coral.scale_
    mapped = (xs - coral.source_mean_) / sc @ a * sc + coral.target_mean_
    np.testing.assert_allclose(mapped / sd,
                               z / sd, rtol=1e-9, atol=1e-9)


def test_unregularised_coral_keeps_the_aligned_moments_on_ordinary_columns():
    xs, xt = _spread([1.0, 2.0, 0.5], seed=3, n=500)
    z = CORAL(regularization=0.0).fit_transform(xs, X_target=xt)
    np.testing.assert_allclose(np.cov(z, rowvar=False), np.cov(xt, rowvar=False),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("scales", "lam"), [
    ([1e-8, 1.0, 1e8], 1.0),  # before: variances 1.58x / 0.70x, above C_t + lambda
    ([1.0, 1e8, 1e16], 1.0),  # before: 12x the target's (at most 3x possible)
    ([1e-4, 1.0, 1e4, 1e8], 1e-12),  # before: aligned variances of order 1e306
])
def test_regularised_coral_refuses_columns_it_cannot_align(scales, lam):
    xs, xt = _spread(scales)
    with pytest.raises(InvalidParameterError,
                       match=r"'X' parameter of CORAL.*scales are close enough.*"
                             r"regularization=0"):
        CORAL(regularization=lam).fit(xs, X_target=xt)


def test_regularised_coral_still_fits_graded_columns_it_aligns():
    # eigh is accurate on these (checked against 60-digit mpmath): kept
    xs, xt = _spread([1.0, 1e4, 1e8])
    z = CORAL(regularization=1.0).fit_transform(xs, X_target=xt)
    ratio = np.diag(np.cov(z, rowvar=False)) / np.diag(np.cov(xt, rowvar=False))
    np.testing.assert_allclose(ratio, [1.33262046, 1.0, 1.0], rtol=1e-6)


def test_unregularised_coral_keeps_the_papers_map_on_ordinary_columns():
    # Sun et al.'s symmetric A = C_s^(-1/2) C_t^(1/2) is kept wherever float64
    # computes it: the standardised map (another square root) only serves
    # columns whose scales differ so much that the symmetric one misses C_t
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(400, 3)) @ np.array([[1.0, 0.4, 0.0], [0.0, 2.0, 0.3], [0, 0, 0.5]])
    xt = rng.normal(size=(300, 3)) @ np.array([[1.5, 0.0, 0.2], [0.3, 1.0, 0.0], [0, 0, 3.0]])

    def sym(c, power):
        w, v = np.linalg.eigh(c)
        return (v * w**power) @ v.T

    want = sym(np.cov(xs, rowvar=False), -0.5) @ sym(np.cov(xt, rowvar=False), 0.5)
    got = CORAL(regularization=0.0).fit(xs, X_target=xt).transform_matrix_
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
