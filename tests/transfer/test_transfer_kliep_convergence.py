"""KLIEP's solver converges: weights stable under tiny perturbations, the optimum of
the objective reached (SciPy as the reference), a ConvergenceWarning when it is not.

Before: L-BFGS-B stopped at max_iter=100 far from the optimum (details["converged"]
False) and a 1e-12 relative change of the data moved weights by up to 1.9.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer import _reweight, importance_weights


def _data(d=3):
    rng = np.random.default_rng(0)
    return rng.normal(0.0, 1.0, size=(500, d)), rng.normal(1.0, 0.5, size=(200, d))


def _kliep(xs, xt, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return importance_weights(xs, xt, method="kliep", clip=None, rng=0, **kw)


@pytest.mark.parametrize("d", [1, 3])
def test_tiny_perturbation_leaves_weights_unchanged(d):
    xs, xt = _data(d)
    w0 = _kliep(xs, xt)
    w1 = _kliep(xs * (1 + 1e-12), xt * (1 + 1e-12))
    assert w0.details["converged"]
    assert w0.details["cv_converged"]
    assert w0.details["bandwidth"] == pytest.approx(w1.details["bandwidth"], rel=1e-9)
    # before: 1.5e-3 (d=1) and 1.95 (d=3, weights up to 44)
    np.testing.assert_allclose(w0.weights, w1.weights, rtol=0, atol=1e-6)


def _problem(n_centers=60, sigma=0.55):
    xs, xt = _data(3)
    xs, xt = _reweight._standardise(xs, xt)
    centers = xt[:n_centers]
    gamma = 1.0 / (2.0 * sigma * sigma)
    rows = _reweight._block_rows(n_centers, xs.shape[0])
    a = _reweight._kernel_matvec(xt, centers, np.eye(n_centers), gamma, rows)
    b = _reweight._source_mean_kernel(xs, centers, gamma)
    return a, b


def _objective(a, b, alpha):
    return -float(np.log(a @ alpha).mean()) + float(b @ alpha)


@pytest.mark.parametrize("sigma", [0.3, 0.55, 2.0])
def test_kliep_fit_reaches_the_optimum_of_its_objective(sigma):
    a, b = _problem(sigma=sigma)
    alpha, ok = _reweight._kliep_fit(a, b, 100)
    assert ok
    assert np.all(alpha >= 0)
    # the constraint of KLIEP's original problem holds at the optimum
    assert float(b @ alpha) == pytest.approx(1.0, abs=1e-8)

    # reference: L-BFGS-B run to its tightest tolerances on the same objective
    def fun(x):
        r = np.maximum(a @ x, 1e-300)
        return -np.log(r).mean() + b @ x, -(a.T @ (1.0 / r)) / a.shape[0] + b

    ref = minimize(fun, np.full(a.shape[1], 1.0 / b.sum()), jac=True, method="L-BFGS-B",
                   bounds=[(0.0, None)] * a.shape[1],
                   options={"maxiter": 20000, "maxfun": 200000, "ftol": 1e-15,
                            "gtol": 1e-12})
    assert _objective(a, b, alpha) <= ref.fun + 1e-12
    # the target-side values A alpha (what the objective sees) agree with the reference
    np.testing.assert_allclose(a @ alpha, a @ ref.x, rtol=1e-4)


def test_not_converged_warns():
    xs, xt = _data(3)
    with pytest.warns(ConvergenceWarning, match="KLIEP.*max_iter=1"):
        res = _kliep(xs, xt, max_iter=1)
    assert not res.details["converged"] or not res.details["cv_converged"]
