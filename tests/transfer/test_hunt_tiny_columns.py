"""Hunt: columns below 1e-150 in magnitude are scaled up (exactly), as those above 1e150 are down.

Their squares underflow: the pooled standard deviation read 0 (a column of
1e-170s looked constant), the covariances of CORAL underflowed to denormals
or 0. Weights and maps came out silently wrong (or CORAL refused a regular
covariance as singular). A power-of-two factor on the data must change nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.transfer import CORAL, importance_weights

# 2**-565 is about 1.5e-170, 2**-530 about 2.9e-160: exact powers of two, so
# the scaled data carry the same digits as the originals
TINY = (-565, -530)


def _domains() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(60, 2)), rng.normal(0.5, 1.0, size=(40, 2))


@pytest.mark.parametrize("method", ["classifier", "kliep", "kmm"])
@pytest.mark.parametrize("exponent", TINY)
def test_importance_weights_do_not_change_for_tiny_columns(method: str, exponent: int) -> None:
    xs, xt = _domains()
    plain = importance_weights(xs, xt, method=method, rng=1).weights
    tiny = importance_weights(np.ldexp(xs, exponent), np.ldexp(xt, exponent), method=method,
                              rng=1).weights
    # before: 1.8 (classifier), 0.47 (kliep) and 4.2 (kmm) apart at 2**-565
    np.testing.assert_allclose(tiny, plain, rtol=0, atol=1e-12)


def test_importance_weights_one_tiny_column_among_ordinary_ones() -> None:
    xs, xt = _domains()
    plain = importance_weights(xs, xt, method="kliep", rng=1).weights
    xs2, xt2 = xs.copy(), xt.copy()
    xs2[:, 1], xt2[:, 1] = np.ldexp(xs[:, 1], -565), np.ldexp(xt[:, 1], -565)
    mixed = importance_weights(xs2, xt2, method="kliep", rng=1).weights
    np.testing.assert_allclose(mixed, plain, rtol=0, atol=1e-12)


@pytest.mark.parametrize("exponent", TINY)
def test_coral_aligns_tiny_columns(exponent: int) -> None:
    # before: at 2**-530 the map silently gave the aligned source the identity
    # covariance (0.96, 0.05, 1.02) instead of the target's (5.04, 0.45, 0.24);
    # at 2**-565 fit refused a regular covariance as "singular"
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(200, 2))
    xt = rng.normal(size=(200, 2)) @ np.array([[2.0, 0.0], [1.0, 0.5]]) + 3.0
    s, t = np.ldexp(xs, exponent), np.ldexp(xt, exponent)
    coral = CORAL(regularization=0.0).fit(s, X_target=t)
    out = np.ldexp(coral.transform(s), -exponent)
    # (the map itself depends on the per-column scales, as a matrix square root
    # does: its aligned moments do not)
    np.testing.assert_allclose(np.cov(out, rowvar=False), np.cov(xt, rowvar=False),
                               rtol=1e-9)
    np.testing.assert_allclose(out.mean(axis=0), xt.mean(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(coral.scale_, np.ldexp(1.0, np.frexp(
        np.abs(np.r_[s, t]).max(axis=0))[1] - 1))


def test_coral_transform_of_tiny_columns_warns_of_no_overflow() -> None:
    # the clip bound FMAX / scale_ overflowed to inf (a RuntimeWarning) for scales below 1
    rng = np.random.default_rng(0)
    xs, xt = np.ldexp(rng.normal(size=(50, 2)), -530), np.ldexp(rng.normal(size=(50, 2)), -530)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = CORAL().fit(xs, X_target=xt).transform(xs)
    assert np.isfinite(out).all()
