"""``SelfTraining.fit(X, y, groups=...)``: the guard and the calibration hold out whole groups.

Without groups, the guard's held-out labelled rows have twins in its training
rows: its scores (``guard_scores_``, the evidence for the iterations kept)
and the calibrated ``P(correct)`` are optimistic. ``pseudo_label_gain`` hands
a ``SelfTraining`` its training rows' groups.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain

N_GROUPS, PER = 30, 6


def grouped(seed=0):
    """Near-duplicate rows per group; the label depends on the group only (no signal)."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(N_GROUPS, 4))
    labels = np.tile([0, 1], N_GROUPS // 2)
    rng.shuffle(labels)
    g = np.repeat(np.arange(N_GROUPS), PER)
    X = centers[g] + rng.normal(0, 0.01, (g.shape[0], 4))
    y = labels[g]
    return X, np.where(np.arange(y.shape[0]) % 2 == 0, y, -1), g


def test_guard_scores_are_those_of_unseen_groups():
    X, yp, g = grouped()
    leaky = SelfTraining(KNeighborsClassifier(1), random_state=0).fit(X, yp)
    honest = SelfTraining(KNeighborsClassifier(1), random_state=0).fit(X, yp, groups=g)
    # a held-out labelled row's twin in training answers for it: 0.9 "accuracy"
    assert leaky.guard_scores_[0] > 0.85
    assert 0.25 < honest.guard_scores_[0] < 0.75


LOG: list[set[int]] = []


class Spy(ClassifierMixin, BaseEstimator):
    """1-NN on X[:, 2:], logging the training groups shared with labelled rows it scores.

    Column 0 is the row's group, column 1 is 1 for a labelled row.
    """

    def fit(self, X, y):
        X = np.asarray(X)
        self.groups_ = set(X[:, 0].astype(int).tolist())
        self.model_ = KNeighborsClassifier(1).fit(X[:, 2:], y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        X = np.asarray(X)
        labelled = X[:, 1] == 1
        if labelled.any():
            LOG.append(self.groups_ & set(X[labelled, 0].astype(int).tolist()))
        return self.model_.predict_proba(X[:, 2:])

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def spied():
    X, yp, g = grouped()
    return np.c_[g, (yp != -1).astype(float), X], yp, g


def test_no_labelled_row_is_scored_by_a_model_that_saw_its_group():
    # guard folds, their unlabelled rows, the calibration folds and the
    # pseudo-labelled rows kept for them: none holds a scored row's group
    Xs, yp, g = spied()
    LOG.clear()
    SelfTraining(Spy(), target_precision=0.6, random_state=0).fit(Xs, yp, groups=g)
    assert LOG
    assert all(not shared for shared in LOG)
    LOG.clear()
    SelfTraining(Spy(), target_precision=0.6, random_state=0).fit(Xs, yp)
    assert any(shared for shared in LOG)  # without groups they do


def test_pseudo_label_gain_passes_the_groups_to_self_training():
    Xs, yp, g = spied()
    LOG.clear()
    pseudo_label_gain(SelfTraining(Spy(), target_precision=0.6, random_state=0), Xs, yp,
                      cv=3, n_repeats=1, groups=g, rng=0)
    assert LOG
    assert all(not shared for shared in LOG)


def test_groups_none_is_the_fit_of_before_and_groups_are_seeded():
    X, yp, g = grouped(1)
    a = SelfTraining(KNeighborsClassifier(3), random_state=0).fit(X, yp)
    b = SelfTraining(KNeighborsClassifier(3), random_state=0).fit(X, yp, groups=None)
    np.testing.assert_array_equal(a.guard_scores_, b.guard_scores_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = SelfTraining(KNeighborsClassifier(3), random_state=0).fit(X, yp, groups=g)
    d = clone(c).fit(X, yp, groups=list(g))
    np.testing.assert_array_equal(c.guard_scores_, d.guard_scores_)
    np.testing.assert_array_equal(c.pseudo_indices_, d.pseudo_indices_)
    e = pickle.loads(pickle.dumps(c))
    np.testing.assert_array_equal(e.predict_proba(X), c.predict_proba(X))


def test_series_groups_matched_by_row_label():
    pd = pytest.importorskip("pandas")
    X, yp, g = grouped(2)
    order = np.random.default_rng(0).permutation(yp.shape[0])
    idx = [f"r{i}" for i in range(yp.shape[0])]
    Xf = pd.DataFrame(X, index=idx).iloc[order]
    yf = pd.Series(yp, index=idx).iloc[order]
    gs = pd.Series(g, index=idx)  # in the original order: matched by label
    a = SelfTraining(KNeighborsClassifier(1), random_state=0).fit(Xf, yf, groups=gs)
    b = SelfTraining(KNeighborsClassifier(1), random_state=0).fit(Xf, yf, groups=g[order])
    np.testing.assert_array_equal(a.guard_scores_, b.guard_scores_)


def _one_class_in_one_group():
    X, yp, g = grouped()
    g = g.copy()
    g[yp == 1] = 99  # every labelled row of class 1 (and none of class 0) in one group
    return X, yp, g


X0, Y0, G0 = grouped()

REFUSED = [
    ("short groups", X0, Y0, G0[:-1], r"'groups' parameter.*one group label per row of X"),
    ("missing group", X0, Y0, np.r_[np.nan, G0[1:]], r"'groups' parameter.*NaN"),
    ("2-D groups", X0, Y0, G0.reshape(-1, 1), r"'groups' parameter"),
    ("labelled rows in one group", X0, Y0, np.where(Y0 != -1, 0, G0),
     r"'groups' parameter.*labelled rows in at least 2 groups.*1 group\(s\) of labelled"),
    ("a class in one group", *_one_class_in_one_group(),
     r"'groups' parameter.*every class in more than one group.*holding out every labelled "
     r"row of class 1"),
]


@pytest.mark.parametrize(("X", "y", "groups", "match"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])
def test_refused(X, y, groups, match):
    with pytest.raises(InvalidParameterError, match=match):
        SelfTraining(KNeighborsClassifier(1), random_state=0).fit(X, y, groups=groups)
