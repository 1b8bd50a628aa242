"""Second hunt: budget results compare their arrays (they were left out of ==)."""

from __future__ import annotations

import copy
import pickle

import numpy as np

from mllifecycle.budget import fit_compute, fit_curve, redundancy

SIZES = np.array([50, 100, 200, 400, 800, 1600.0])


def test_compute_models_of_different_timings_differ():
    # every array (and the fit itself) was eq=False: a model fitted on times
    # growing as rows^2 equalled one fitted on times growing as rows^0.6
    a = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.0])
    b = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 2.0, 3.0])
    assert a != b
    assert a == fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.0])
    restored = pickle.loads(pickle.dumps(a))
    assert restored == a
    assert hash(restored) == hash(a)


def test_compute_models_with_and_without_memory_differ():
    a = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.0])
    b = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.0], peak_memory=[1e6, 2e6, 4e6])
    assert a != b
    assert copy.deepcopy(b) == b


def test_redundancy_plans_of_different_workers_differ():
    # same needed redundancy (9), different accuracy curves: compared equal
    a = redundancy(0.7, 0.9)
    b = redundancy(0.705, 0.9)
    assert a.majority_needed == b.majority_needed
    assert a != b
    assert a == redundancy(0.7, 0.9)
    assert pickle.loads(pickle.dumps(a)) == a


def test_simulated_redundancy_same_seed_equal():
    pool = [0.7, 0.8, 0.9]
    assert redundancy(pool, 0.9, rng=3) == redundancy(pool, 0.9, rng=3)


def test_learning_curves_on_other_scores_differ():
    s = 0.95 - 1.2 * SIZES**-0.5
    a = fit_curve(SIZES, s, family="inverse_power", rng=0)
    b = fit_curve(SIZES, s, family="inverse_power", rng=1)
    # the same point fit, other bootstrap refits: other intervals
    assert a.params == b.params
    assert a != b
    assert a == fit_curve(SIZES, s, family="inverse_power", rng=0)


def test_learning_curve_equal_to_its_copies_nan_std_errors():
    # 1-D scores have NaN standard errors: NaN-equal, or a curve is not its pickle
    s = 0.95 - 1.2 * SIZES**-0.5
    c = fit_curve(SIZES, s, rng=0)
    assert np.all(np.isnan(c.score_std_error))
    assert pickle.loads(pickle.dumps(c)) == c
    assert copy.deepcopy(c) == c
    folds = s[:, None] + np.random.default_rng(0).normal(0, 0.004, (6, 5))
    cf = fit_curve(SIZES, folds, rng=0)
    assert pickle.loads(pickle.dumps(cf)) == cf
    assert cf != c
