"""fit_curve: the same folds (score columns) in another order give the same curve."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve, plan, samples_needed


@pytest.mark.parametrize("family", ["auto", "inverse_power", "exponential"])
def test_fold_columns_in_another_order(family):
    rng = np.random.default_rng(1)
    sizes = np.array([50, 100, 200, 400, 800, 1600.0])
    folds = 0.9 - 0.5 * sizes[:, None] ** -0.5 + rng.normal(0, 0.01, (6, 5))
    a = fit_curve(sizes, folds, family=family, n_resamples=50, rng=0)
    for cols in ([4, 2, 0, 1, 3],):
        rows = rng.permutation(6)  # shuffled curve points as well
        b = fit_curve(sizes[rows], folds[rows][:, cols], family=family, n_resamples=50,
                      rng=0)
        assert a.to_dict() == b.to_dict()
        for lo_hi_a, lo_hi_b in zip(a.interval([3000.0]), b.interval([3000.0]), strict=True):
            np.testing.assert_array_equal(lo_hi_a, lo_hi_b)
        assert samples_needed(a, 0.885).to_dict() == samples_needed(b, 0.885).to_dict()
        assert plan(a, 0.885).to_dict() == plan(b, 0.885).to_dict()
