"""CORAL with a constant target column, and against the paper's direct computation."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import sqrtm

from mllifecycle.transfer import CORAL


def test_constant_target_column_aligns_without_runtime_warning() -> None:
    # the alignment check divided by the column's zero standard deviation and
    # leaked "RuntimeWarning: divide by zero" to the caller
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(300, 3))
    xt = rng.normal(size=(200, 3))
    xt[:, 1] = 5.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = CORAL(regularization=0.0).fit(xs, X_target=xt).transform(xs)
    np.testing.assert_array_equal(z[:, 1], 5.0)
    np.testing.assert_allclose(np.cov(z, rowvar=False), np.cov(xt, rowvar=False),
                               atol=1e-10)


def test_transform_matches_whiten_then_recolour() -> None:
    # Sun et al. (2016): whiten with (C_s + lam I)^(-1/2), recolour with (C_t + lam I)^(1/2)
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(300, 3)) @ [[1, 0.3, 0], [0, 2, 0.5], [0, 0, 0.7]] + 1
    xt = rng.normal(size=(200, 3)) @ [[2, 0, 0], [1, 0.5, 0], [0, 0.2, 1]] - 2
    for lam in (0.0, 1.0):
        cs = np.cov(xs, rowvar=False) + lam * np.eye(3)
        ct = np.cov(xt, rowvar=False) + lam * np.eye(3)
        a = np.real(np.linalg.inv(sqrtm(cs)) @ sqrtm(ct))
        want = (xs - xs.mean(axis=0)) @ a + xt.mean(axis=0)
        got = CORAL(regularization=lam).fit(xs, X_target=xt).transform(xs)
        np.testing.assert_allclose(got, want, atol=1e-10)
        got = CORAL(regularization=lam, center=False).fit(xs, X_target=xt).transform(xs)
        np.testing.assert_allclose(got, xs @ a, atol=1e-10)
