"""Distributional agreement with imbalanced-learn 0.14 on the same data."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.augment import adasyn, borderline_smote, random_oversample, smote, smote_nc

imblearn = pytest.importorskip("imblearn")
from imblearn.over_sampling import (  # noqa: E402
    ADASYN,
    SMOTE,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
)

pytestmark = pytest.mark.oracle


def _data():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (3000, 3)),
              rng.normal([1.0, -0.5, 0.0], [1.0, 2.0, 0.5], (300, 3))]
    y = np.r_[np.zeros(3000, int), np.ones(300, int)]
    return X, y


CASES = [
    ("smote", lambda X, y: smote(X, y, rng=0),
     lambda X, y: SMOTE(random_state=0).fit_resample(X, y)),
    ("borderline-1", lambda X, y: borderline_smote(X, y, rng=0),
     lambda X, y: BorderlineSMOTE(random_state=0).fit_resample(X, y)),
    ("adasyn", lambda X, y: adasyn(X, y, rng=0),
     lambda X, y: ADASYN(random_state=0).fit_resample(X, y)),
    ("random", lambda X, y: random_oversample(X, y, rng=0),
     lambda X, y: RandomOverSampler(random_state=0).fit_resample(X, y)),
]


@pytest.mark.parametrize(("name", "ours", "theirs"), CASES, ids=[c[0] for c in CASES])
def test_synthetic_means_and_variances_agree_within_sampling_error(name, ours, theirs):
    X, y = _data()
    A = ours(X, y)[0][len(X):]
    B = theirs(X, y)[0][len(X):]
    # ADASYN: imbalanced-learn rounds each row's share, we keep the total exact
    assert abs(len(A) - len(B)) <= 0.01 * len(B)
    n_a, n_b = len(A), len(B)
    # given the data, synthetic rows are independent draws from one law, so
    # the usual standard errors apply (4 standard errors, 3 features)
    se_mean = np.sqrt(A.var(0) / n_a + B.var(0) / n_b)
    assert (np.abs(A.mean(0) - B.mean(0)) < 4 * se_mean).all()
    m4a = ((A - A.mean(0)) ** 4).mean(0)
    m4b = ((B - B.mean(0)) ** 4).mean(0)
    se_var = np.sqrt((m4a - A.var(0) ** 2) / n_a + (m4b - B.var(0) ** 2) / n_b)
    assert (np.abs(A.var(0) - B.var(0)) < 4 * se_var).all()


def test_smote_nc_numeric_moments_and_category_frequencies_agree():
    X, y = _data()
    rng = np.random.default_rng(1)
    cat = np.where(y == 1, rng.choice(3, len(y), p=[0.6, 0.3, 0.1]), rng.choice(3, len(y)))
    Xm = np.c_[X[:, :2], cat]
    A = smote_nc(Xm, y, categorical_features=[2], rng=0)[0][len(y):]
    B = SMOTENC(categorical_features=[2], random_state=0).fit_resample(Xm, y)[0][len(y):]
    assert A.shape == B.shape
    n = len(A)
    se = np.sqrt((A[:, :2].var(0) + B[:, :2].var(0)) / n)
    assert (np.abs(A[:, :2].mean(0) - B[:, :2].mean(0)) < 4 * se).all()
    fa = np.bincount(A[:, 2].astype(int), minlength=3) / n
    fb = np.bincount(B[:, 2].astype(int), minlength=3) / n
    assert (np.abs(fa - fb) < 4 * np.sqrt(2 * 0.25 / n)).all()


def test_neighbour_sets_match_imblearn_for_borderline_danger_rows():
    X, y = _data()
    bl = BorderlineSMOTE(random_state=0)
    bl.fit_resample(X, y)
    ours_idx = np.flatnonzero(y == 1)
    d = ((X[ours_idx][:, None] - X[None]) ** 2).sum(-1)
    d[np.arange(ours_idx.size), ours_idx] = np.inf
    nn = np.argsort(d, axis=1)[:, :10]
    n_other = (y[nn] != 1).sum(1)
    danger = ours_idx[(n_other >= 5) & (n_other < 10)]
    assert np.array_equal(np.sort(bl.in_danger_indices[1]), danger)
