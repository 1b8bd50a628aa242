"""Hunt 8: importance_weights on source and target domains that do not overlap.

The domain classifier's out-of-fold probabilities were floored at 1e-6: every
source row a classifier puts outside the target got the same weight, so two
disjoint samples came out uniformly weighted (effective sample size n_source,
no warning), the answer for two samples of one distribution.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer import importance_weights


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls inside LogisticRegression thrash when threaded."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _disjoint(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(120, 3))
    return xs, rng.normal(size=(80, 3)) + 10.0


@pytest.mark.parametrize(
    "estimator",
    [None, DecisionTreeClassifier(random_state=0),
     RandomForestClassifier(n_estimators=10, random_state=0)],
    ids=["logistic", "tree", "forest"],
)
def test_disjoint_domains_warn_that_the_source_does_not_cover_the_target(estimator):
    xs, xt = _disjoint()
    with pytest.warns(DegenerateDataWarning, match="does not cover the target"):
        res = importance_weights(xs, xt, estimator=estimator, rng=0)
    assert res.details["domain_auc"] == 1.0


@pytest.mark.parametrize("estimator", [DecisionTreeClassifier(random_state=0),
                                       RandomForestClassifier(n_estimators=10,
                                                              random_state=0)],
                         ids=["tree", "forest"])
def test_a_classifier_sure_no_source_row_is_target_gives_no_ratio(estimator):
    """Every out-of-fold P(target | source row) is 0: the ratios are all 0, not 1e-6."""
    xs, xt = _disjoint()
    with pytest.warns(DegenerateDataWarning, match="all zero or not finite"):
        res = importance_weights(xs, xt, estimator=estimator, rng=0)
    assert res.details["raw_sum"] == 0.0


def test_same_sample_twice_keeps_weights_near_one_without_a_warning():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = importance_weights(x, x.copy(), rng=0)
    assert res.details["domain_auc"] < 0.7
    assert res.ess_fraction > 0.9
    assert np.all(np.abs(res.weights - 1.0) < 0.5)
    again = importance_weights(x, x.copy(), rng=0)
    np.testing.assert_array_equal(res.weights, again.weights)


def test_overlapping_domains_keep_their_weights():
    """Rows the classifier finds possible in the target keep the ratio p / (1 - p)."""
    rng = np.random.default_rng(2)
    xs = rng.normal(size=(300, 2))
    xt = rng.normal(0.5, 1.0, size=(200, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = importance_weights(xs, xt, clip=None, rng=0)
    assert 0.5 < res.details["domain_auc"] < 1.0
    # the weight rises with the coordinate sum, towards the target
    s = xs.sum(axis=1)
    assert res.weights[s > 1].mean() > res.weights[s < -1].mean()
