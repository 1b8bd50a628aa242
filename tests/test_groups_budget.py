"""``groups=`` and splitters in ``budget.learning_curve``.

Rows of a group (a patient, a session, near-duplicates) are not independent:
folds that split a group score the model on rows it has nearly seen, so the
curve is optimistic at every size and ``samples_needed`` too small.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from _groups import random_label_groups
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import GroupKFold, KFold, LeaveOneGroupOut, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import InvalidParameterError

N_GROUPS, PER = 60, 8
SIZES = [40, 80, 160, 320]


def grouped(seed: int = 0):
    """Near-duplicate rows per group; the label is the group's, at random."""
    return random_label_groups(N_GROUPS, PER, 5, seed)


def test_grouped_curve_is_not_optimistic():
    X, y, g = grouped()
    knn = KNeighborsClassifier(n_neighbors=1)
    leaky = learning_curve(knn, X, y, SIZES, rng=0)
    honest = learning_curve(knn, X, y, SIZES, groups=g, rng=0)
    # without groups a memorising model "learns" labels that carry no signal
    assert leaky.scores[-1] > 0.95
    assert np.all(honest.scores < 0.65)
    assert honest.n_samples == X.shape[0]


class _SeenGroups(ClassifierMixin, BaseEstimator):
    """Record the groups (column 0) of every training subset it is fitted on."""

    seen: ClassVar[list[tuple[int, int]]] = []

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        _SeenGroups.seen.append((X.shape[0], np.unique(X[:, 0]).shape[0]))
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.classes_[0])


def test_training_subsets_are_drawn_by_whole_groups():
    X, y, g = grouped(1)
    Xg = np.c_[g, X]
    _SeenGroups.seen = []
    learning_curve(_SeenGroups(), Xg, y, [20, 44, 100, 200], groups=g, n_repeats=2, rng=0)
    assert _SeenGroups.seen
    for n_rows, n_groups in _SeenGroups.seen:
        # whole groups and at most one partial group (row-wise draws: ~n_rows groups)
        assert n_groups == math.ceil(n_rows / PER), (n_rows, n_groups)


def test_same_rng_same_curve_and_inputs_untouched():
    X, y, g = grouped(2)
    g_copy, X_copy = g.copy(), X.copy()
    a = learning_curve(GaussianNB(), X, y, SIZES, groups=g, rng=np.random.default_rng(5))
    b = learning_curve(GaussianNB(), X, y, SIZES, groups=list(g), cv=np.int64(5),
                       rng=np.random.default_rng(5))
    assert a == b
    np.testing.assert_array_equal(g, g_copy)
    np.testing.assert_array_equal(X, X_copy)


def test_series_groups_matched_by_row_label():
    X, y, g = grouped(3)
    order = np.random.default_rng(0).permutation(X.shape[0])
    Xf = pd.DataFrame(X, index=[f"r{i}" for i in range(X.shape[0])])
    ys = pd.Series(y, index=Xf.index)
    gs = pd.Series(g, index=Xf.index)
    ref = learning_curve(GaussianNB(), Xf, ys, SIZES, groups=g, rng=0)
    got = learning_curve(GaussianNB(), Xf, ys, SIZES, groups=gs.iloc[order], rng=0)
    assert got == ref


def test_group_splitter_and_plain_splitter():
    X, y, g = grouped(4)
    # only 6 groups: each training fold of LeaveOneGroupOut holds 5 of them
    g6 = g % 6
    logo = learning_curve(GaussianNB(), X, y, [40, 120, 200, 400], cv=LeaveOneGroupOut(),
                          groups=g6, rng=0)
    assert logo.sizes.tolist() == [40, 120, 200, 400]
    # a splitter without groups is used as given (n_repeats ignored)
    kf = learning_curve(GaussianNB(), X, y, SIZES, cv=StratifiedKFold(4, shuffle=True,
                                                                      random_state=0),
                        rng=0)
    assert kf.scores.shape == (4,)


def test_int_cv_without_groups_unchanged():
    """An int cv and no groups keep the splits of before (the curve's exact numbers)."""
    X, y, _ = grouped(5)
    a = learning_curve(GaussianNB(), X, y, SIZES, rng=0)
    b = learning_curve(GaussianNB(), X, y, SIZES, groups=None, cv=5, rng=0)
    assert a == b


def _unequal():
    """Groups of very unequal sizes: training folds of unequal sizes."""
    X, y, _ = grouped(6)
    g = np.r_[np.zeros(200, int), np.arange(1, X.shape[0] - 200 + 1)]
    return X, y, g


@pytest.mark.parametrize(
    ("kwargs", "name", "words"),
    [
        ({"groups": np.arange(10)}, "groups", "one group label per row of X (480)"),
        ({"groups": np.zeros(480)}, "groups", "at least 2 distinct groups"),
        ({"groups": np.r_[np.nan, np.arange(479.0)]}, "groups", "free of NaN"),
        ({"groups": np.zeros((480, 2))}, "groups", "1-D"),
        ({"groups": pd.DataFrame({"g": np.arange(480)})}, "groups", "one group label per row"),
        ({"cv": GroupKFold(5)}, "groups", "splits by group"),
        ({"cv": KFold(5, shuffle=True, random_state=0), "groups": "g"}, "cv",
         "keeps every group on one side"),
        ({"cv": 7, "groups": np.arange(480) % 6}, "cv", "at most the number of groups"),
        ({"cv": "five"}, "cv", "an int"),
        ({"cv": "five", "groups": "g"}, "cv", "an int >= 2 or a scikit-learn splitter"),
    ],
)
def test_refusals(kwargs, name, words):
    X, y, g = grouped(7)
    if isinstance(kwargs.get("groups"), str):
        kwargs = {**kwargs, "groups": g}
    with pytest.raises(InvalidParameterError) as info:
        learning_curve(GaussianNB(), X, y, SIZES, rng=0, **kwargs)
    assert f"'{name}' parameter of learning_curve" in str(info.value)
    assert words in str(info.value)


def test_sizes_capped_by_the_smallest_training_fold():
    X, y, g = _unequal()
    # GroupKFold(2): the 200-row group and 40 small ones on one side, so each
    # training fold has 240 rows (the cap is the smallest training fold:
    # scikit-learn checks the first fold only and trains a smaller one on
    # fewer rows than the size it reports)
    with pytest.raises(InvalidParameterError, match=r"sizes.*smallest training fold"):
        learning_curve(GaussianNB(), X, y, [40, 80, 260, 270], cv=2, groups=g, rng=0)
    ok = learning_curve(GaussianNB(), X, y, [40, 80, 120, 200], cv=2, groups=g, rng=0)
    assert ok.sizes.tolist() == [40, 80, 120, 200]
