"""CORAL refuses a source covariance that is singular up to rounding.

Only an eigenvalue ``<= 0`` was refused: collinear source columns (``b = 3a +
1``) leave an eigenvalue of rounding noise, positive about one time in six
(4e-17), and its inverse square root made the "aligned" source of order 1e138
with exit 0. Columns of very different magnitudes are not singular and are
still aligned.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL


def _collinear(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=200)
    xs = np.c_[a, 3 * a + 1, rng.normal(size=200)]
    xt = rng.normal(size=(300, 3)) @ np.array([[1, 0.5, 0], [0, 1, 0], [0, 0, 2]])
    return xs, xt


@pytest.mark.parametrize("seed", [3, 0, 1])
def test_collinear_source_is_refused(seed):
    # seed 3: smallest eigenvalue +4e-17, transform of order 1e138 before
    xs, xt = _collinear(seed)
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of CORAL.*singular"):
        CORAL(regularization=0.0).fit(xs, X_target=xt)


def test_a_regularization_below_rounding_is_no_regularization():
    xs, xt = _collinear(3)
    with pytest.raises(InvalidParameterError, match="singular"):
        CORAL(regularization=1e-300).fit(xs, X_target=xt)
    # a regularization that counts aligns, as before
    z = CORAL(regularization=1e-3).fit_transform(xs, X_target=xt)
    assert np.abs(z).max() < 100


def test_nearly_collinear_and_mixed_scale_sources_are_aligned():
    rng = np.random.default_rng(0)
    a = rng.normal(size=500)
    xs = np.c_[a, a + 1e-4 * rng.normal(size=500)]  # correlation 1 - 5e-9
    xt = rng.normal(size=(300, 2))
    z = CORAL(regularization=0.0).fit_transform(xs, X_target=xt)
    np.testing.assert_allclose(np.cov(z, rowvar=False), np.cov(xt, rowvar=False), rtol=1e-6)
    xs = rng.normal(size=(300, 2)) * [1e-5, 1e5]
    xt = rng.normal(size=(300, 2)) * [2e-5, 3e5]
    z = CORAL(regularization=0.0).fit_transform(xs, X_target=xt)
    np.testing.assert_allclose(np.cov(z, rowvar=False).diagonal(),
                               np.cov(xt, rowvar=False).diagonal(), rtol=1e-9)


def test_a_ridge_above_rounding_keeps_collinear_sources_at_any_scale():
    # the default regularization=1 on collinear columns of scale 1e6 is well
    # above the rounding of the covariance's eigenvalues (~1e-3): aligned as
    # before, and like the same data at scale 1 with the ridge scaled too
    xs, xt = _collinear(3)
    z_big = CORAL().fit_transform(xs * 1e6, X_target=xt * 1e6) / 1e6
    z_one = CORAL(regularization=1e-12).fit_transform(xs, X_target=xt)
    np.testing.assert_allclose(z_big, z_one, rtol=1e-6, atol=1e-9)
    # a ridge lost in that rounding (1e-3 at scale 1e6) is refused
    with pytest.raises(InvalidParameterError, match="singular"):
        CORAL(regularization=1e-3).fit(xs * 1e6, X_target=xt * 1e6)


def test_a_tiny_ridge_on_mixed_scales_is_not_mistaken_for_singular():
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(300, 2)) * [1e-5, 1e5]
    xt = rng.normal(size=(300, 2)) * [2e-5, 3e5]
    z = CORAL(regularization=1e-14).fit_transform(xs, X_target=xt)
    np.testing.assert_allclose(np.cov(z, rowvar=False).diagonal(),
                               np.cov(xt, rowvar=False).diagonal(), rtol=1e-3)
