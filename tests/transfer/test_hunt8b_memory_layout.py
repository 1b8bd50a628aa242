"""Hunt 8b: importance weights do not depend on the memory layout of X.

The pooled mean and standard deviation of a Fortran-ordered X (a transposed
or column-sliced array, ``np.asfortranarray``) were summed in another order;
the last bits then moved KMM's flat optimum, and the same numbers got weights
that differed by up to 2 (on a mean of 1), one run converged and the other
not. KLIEP's weights differed in the last bits.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.transfer import importance_weights


def _domains():
    rng = np.random.default_rng(0)
    big = rng.normal(size=(200, 6))
    xs = np.ascontiguousarray(big[:150, ::2])
    xt = np.ascontiguousarray(big[150:, ::2]) + 0.3
    return xs, xt


def _read_only(a):
    a = np.array(a)
    a.setflags(write=False)
    return a


LAYOUTS = {
    "fortran": np.asfortranarray,
    "transposed-twice": lambda a: np.ascontiguousarray(a.T).T,
    "strided": lambda a: np.repeat(a, 2, axis=1)[:, ::2],
    "read-only": _read_only,
}


@pytest.mark.parametrize(("method", "layout"), [("kmm", name) for name in LAYOUTS]
                         + [("kliep", "fortran")])
def test_weights_are_the_same_for_every_layout(method, layout):
    xs, xt = _domains()
    ref = importance_weights(xs, xt, method=method, rng=0)
    change = LAYOUTS[layout]
    got = importance_weights(change(xs), change(xt), method=method, rng=0)
    np.testing.assert_array_equal(got.weights, ref.weights)
    assert got.details["converged"] == ref.details["converged"]


def test_domain_distance_is_the_same_for_a_fortran_ordered_x():
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.transfer import domain_distance

    rng = np.random.default_rng(0)
    big = rng.normal(size=(400, 6))
    xs = np.ascontiguousarray(big[:200, ::2])
    xt = np.ascontiguousarray(big[200:, ::2]) + 0.2
    kw = {"estimator": LogisticRegression(), "n_resamples": 50, "rng": 0}
    ref = domain_distance(xs, xt, **kw)
    got = domain_distance(np.asfortranarray(xs), np.asfortranarray(xt), **kw)
    assert got.mmd.statistic == ref.mmd.statistic
    assert got == ref
