"""classifier_drift when reference and current share rows (identical twins across samples).

Before: a row whose twin (same features, other label) sat in a training fold was
predicted as the twin's label, so ``classifier_drift(X, X.copy())`` gave AUC 0.23
(``domain_distance`` 0.03), and shared rows masked a real shift.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.drift import _classifier, classifier_drift
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import domain_distance


def test_identical_samples_give_auc_one_half():
    X = np.random.default_rng(0).normal(size=(200, 3))
    res = classifier_drift(X, X.copy(), rng=0)  # default random forest
    assert res.statistic == pytest.approx(0.5, abs=0.02)  # was 0.23
    assert not res.drift_detected


def test_domain_distance_of_identical_domains_has_auc_one_half():
    X = np.random.default_rng(0).normal(size=(200, 3))
    d = domain_distance(X, X.copy(), n_resamples=50, rng=0)
    assert d.auc == pytest.approx(0.5, abs=0.02)  # was 0.03
    assert d.risk == "low"


def test_shared_rows_do_not_mask_a_shift():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = rng.normal(size=(100, 3))
    Y[:, 0] += 0.7
    # the current window still holds the reference rows, plus 100 shifted ones
    res = classifier_drift(X, np.r_[X, Y], rng=0)
    assert res.statistic > 0.5  # was 0.28: the shared rows voted "no drift" twice over


def test_distinct_rows_keep_the_stratified_folds():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(50, 2))
    z = z[np.lexsort(z.T[::-1])]
    y = rng.integers(0, 2, 50)
    a = _classifier._grouped_folds(z, y, 5, np.random.default_rng(9))
    b = _classifier._stratified_folds(y, 5, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("est", [None, LogisticRegression()], ids=["forest", "logistic"])
def test_distinct_rows_give_the_values_of_before(est):
    r = np.random.default_rng(5)
    a, b = r.normal(size=(80, 3)), r.normal(0.3, 1.0, size=(70, 3))
    res = classifier_drift(a, b, estimator=est, rng=3)
    expected = 0.6619642857142857 if est is None else 0.6928571428571428
    assert res.statistic == pytest.approx(expected, rel=1e-12)


def test_identical_rows_share_a_fold_and_large_groups_are_dealt():
    # two rows with twins, one level repeated 40 times (a discrete value)
    z = np.r_[np.zeros((40, 1)), np.full((2, 1), 1.0), np.full((2, 1), 2.0),
              np.arange(3.0, 23.0)[:, None]]
    y = np.r_[np.arange(40) % 2, [0, 1], [0, 1], np.arange(20) % 2]
    fold = _classifier._grouped_folds(z, y, 4, np.random.default_rng(0))
    assert fold[40] == fold[41]
    assert fold[42] == fold[43]
    assert set(fold[:40]) == {0, 1, 2, 3}  # the big group is still learnt by every model


def test_a_discrete_feature_keeps_its_power():
    rng = np.random.default_rng(1)
    ref = rng.choice([0.0, 1.0, 2.0], p=[0.6, 0.3, 0.1], size=(200, 1))
    cur = rng.choice([0.0, 1.0, 2.0], p=[0.3, 0.3, 0.4], size=(200, 1))
    res = classifier_drift(ref, cur, estimator=LogisticRegression(), rng=0)
    assert res.drift_detected
    assert res.statistic > 0.6


def test_no_fold_with_both_samples_is_refused():
    with pytest.raises(InvalidParameterError, match=r"reference.*classifier_drift.*2 \* cv"):
        classifier_drift(np.zeros((2, 1)), np.ones((2, 1)), estimator=LogisticRegression(),
                         rng=0)
