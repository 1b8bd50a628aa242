"""pseudo_label_gain: no leakage, same seed same answer, coverage under a true null."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import SGDClassifier

from mllifecycle.labels import pseudo_label_gain

_SEEN: list[np.ndarray] = []


class _Reorder(ClassifierMixin, BaseEstimator):
    """Drop the unlabelled rows, fit ``estimator`` on the labelled ones in a random order."""

    def __init__(self, estimator=None, random_state=None, spy=False):
        self.estimator = estimator
        self.random_state = random_state
        self.spy = spy

    def fit(self, X, y):
        if self.spy:  # clones copy their parameters: the record is module-level
            _SEEN.append(X[:, -1].copy())
        keep = np.flatnonzero(y != -1)
        perm = np.random.default_rng(self.random_state).permutation(keep)
        self.model_ = clone(self.estimator).fit(X[perm], y[perm])
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


def _data(rng, n=200, share=0.5):
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.8 * rng.normal(size=n) > 0).astype(int)
    return X, np.where(rng.random(n) < share, y, -1)


def _sgd():
    return SGDClassifier(shuffle=False, max_iter=20, tol=None)


def test_semi_supervised_never_sees_a_held_out_labelled_row():
    rng = np.random.default_rng(0)
    X, y = _data(rng, 90)
    X[:, 2] = np.arange(90)  # row ids
    _SEEN.clear()
    res = pseudo_label_gain(_Reorder(_sgd(), spy=True), X, y, cv=3, n_repeats=1, rng=0)
    seen = list(_SEEN)
    labelled = set(np.flatnonzero(y != -1).tolist())
    unlabelled = set(np.flatnonzero(y == -1).tolist())
    assert res.n_splits == len(seen) == 3
    held = []
    for ids in seen:
        rows = set(ids.astype(int).tolist())
        assert unlabelled <= rows  # every unlabelled row, in every split
        held.append(labelled - rows)
    # each labelled row is held out exactly once and then never reaches the fit
    assert set().union(*held) == labelled
    assert sum(len(h) for h in held) == len(labelled)


def test_same_seed_same_answer_and_y_untouched():
    X, y = _data(np.random.default_rng(1), 120)
    y0 = y.copy()
    a = pseudo_label_gain(_Reorder(_sgd()), X, y, cv=3, n_repeats=2, rng=5)
    b = pseudo_label_gain(_Reorder(_sgd()), X, y, cv=3, n_repeats=2, rng=np.random.default_rng(5))
    assert a.to_dict() == b.to_dict()
    np.testing.assert_array_equal(y, y0)


@pytest.mark.slow
def test_interval_covers_zero_at_about_its_level_when_unlabelled_rows_cannot_help():
    # the semi-supervised model ignores the unlabelled rows and only reorders the
    # labelled ones: distributed as the baseline, so the true gain is 0
    master = np.random.default_rng(2024)
    n_sim, covered = 60, 0
    for i in range(n_sim):
        X, y = _data(master)
        res = pseudo_label_gain(_Reorder(_sgd()), X, y, cv=5, n_repeats=2,
                                confidence_level=0.9, rng=i)
        covered += res.ci_low <= 0.0 <= res.ci_high
    assert covered / n_sim >= 0.8
