"""NoiseMatrix: every column of noise_matrix and inverse_noise_matrix is a distribution.

A class of ``y_proba`` that no row was given (and so no row can be estimated
to truly belong to) had columns of zeros in both matrices: documented as
"columns sum to 1", they summed to 0. Such a conditional distribution is
undefined: NaN, as that class's noise rate already is.
"""

from __future__ import annotations

import json

import numpy as np

from mllifecycle.labels import estimate_noise_matrix, find_label_issues

Y = np.array([0, 0, 0, 1, 1, 1])
P = np.array([[.8, .1, .1], [.7, .2, .1], [.2, .7, .1],
              [.1, .8, .1], [.2, .7, .1], [.1, .8, .1]])


def _columns_are_distributions(m):
    sums = m.sum(axis=0)
    defined = ~np.isnan(m).any(axis=0)
    np.testing.assert_allclose(sums[defined], 1.0)
    return defined


def test_class_never_given_has_nan_columns():
    nm = estimate_noise_matrix(Y, P)
    assert _columns_are_distributions(nm.noise_matrix).tolist() == [True, True, False]
    assert _columns_are_distributions(nm.inverse_noise_matrix).tolist() == [True, True, False]
    assert np.isnan(nm.noise_matrix[:, 2]).all()
    assert np.isnan(nm.inverse_noise_matrix[:, 2]).all()
    # the defined entries are unchanged (no row is confidently another class)
    np.testing.assert_allclose(nm.noise_matrix[:, :2], [[1, 0], [0, 1], [0, 0]])
    assert np.isnan(nm.noise_rates[2])
    assert nm.prior[2] == 0.0
    # results stay JSON-safe and reportable
    json.dumps(nm.to_dict())
    assert "noise_rate.2" not in nm.to_metrics()
    assert find_label_issues(Y, P).noise.noise_matrix.shape == (3, 3)


def test_every_class_given_columns_sum_to_one():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4), 200)
    y = rng.integers(0, 4, 200)
    nm = estimate_noise_matrix(y, p)
    assert _columns_are_distributions(nm.noise_matrix).all()
    assert _columns_are_distributions(nm.inverse_noise_matrix).all()
