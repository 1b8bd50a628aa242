"""``out_of_fold_proba(groups=...)``: a row's probabilities from a model that saw none of its group.

With near-duplicate rows (a patient's visits, a session's frames), folds that
split a group score a row with its twins in the training rows: a wrong label
carried by all twins looks confident and confident learning misses it. The
splitter's test folds must also be a partition of the rows (each row's
probabilities come from exactly one fold).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    LeaveOneGroupOut,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
)
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import find_label_issues, out_of_fold_proba

N_GROUPS, PER = 80, 4


def twins(seed=0, n_flipped=8):
    """Groups of near-duplicate rows; every row of ``n_flipped`` groups has the wrong label."""
    rng = np.random.default_rng(seed)
    true_g = np.tile([0, 1], N_GROUPS // 2)
    centers = rng.normal(0, 1, (N_GROUPS, 2)) + 3.0 * true_g[:, None]
    g = np.repeat(np.arange(N_GROUPS), PER)
    X = centers[g] + rng.normal(0, 0.05, (g.shape[0], 2))
    flipped = rng.choice(N_GROUPS, n_flipped, replace=False)
    y_g = true_g.copy()
    y_g[flipped] = 1 - y_g[flipped]
    return X, y_g[g], true_g[g], g


def small():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    return X, y, np.repeat(np.arange(20), 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_groups_find_the_wrong_labels_twins_hide(seed):
    X, y, true, g = twins(seed)
    wrong = y != true

    def recall(**kw):
        p = out_of_fold_proba(KNeighborsClassifier(5), X, y, cv=5, rng=0, **kw)
        found = find_label_issues(y, p).indices
        return wrong[found].sum() / wrong.sum()

    # split groups: each flipped row's twins vote for its wrong label
    assert recall() < 0.2
    assert recall(groups=g) > 0.7


@pytest.mark.parametrize("cv", [3, GroupKFold(3), StratifiedGroupKFold(3), LeaveOneGroupOut()])
def test_each_row_scored_by_a_model_without_its_group(cv):
    # 1-NN memorises: with its group in training a row gets its own label with
    # probability 1 (a twin sits at distance 0.05); without, its class from other groups
    X, y, true, g = twins(0)
    p = out_of_fold_proba(KNeighborsClassifier(1), X, y, cv=cv, groups=g, rng=0)
    flipped = y != true
    assert (p[flipped, y[flipped]] == 0).mean() > 0.9
    leaky = out_of_fold_proba(KNeighborsClassifier(1), X, y, cv=3, rng=0)
    assert (leaky[flipped, y[flipped]] == 1).mean() > 0.9


def test_leave_one_group_out_matches_a_hand_computation():
    X, y, g = small()
    p = out_of_fold_proba(LogisticRegression(), X, y, cv=LeaveOneGroupOut(), groups=g)
    for k in (0, 7, 19):
        held = g == k
        ref = LogisticRegression().fit(X[~held], y[~held]).predict_proba(X[held])
        np.testing.assert_allclose(p[held], ref)


def test_int_cv_with_groups_is_seeded_and_keeps_groups_whole():
    X, y, _, g = twins(0)
    a = out_of_fold_proba(KNeighborsClassifier(5), X, y, cv=4, groups=g, rng=3)
    b = out_of_fold_proba(KNeighborsClassifier(5), X, y, cv=np.int64(4), groups=list(g),
                          rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    c = out_of_fold_proba(KNeighborsClassifier(5), X, y, cv=4, groups=g, rng=4)
    assert not np.array_equal(a, c)


def test_without_groups_the_folds_are_those_of_before():
    # groups=None: the same shuffled StratifiedKFold as before groups existed
    X, y, _ = small()
    gen = np.random.default_rng(0)
    fold_seed = int(gen.integers(2**31 - 1))
    ref = np.empty((60, 2))
    for tr, te in StratifiedKFold(3, shuffle=True, random_state=fold_seed).split(X, y):
        ref[te] = LogisticRegression().fit(X[tr], y[tr]).predict_proba(X[te])
    got = out_of_fold_proba(LogisticRegression(), X, y, cv=3, rng=0)
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(
        out_of_fold_proba(LogisticRegression(), X, y, cv=np.int64(3), rng=0), got)
    np.testing.assert_array_equal(
        out_of_fold_proba(LogisticRegression(), X, y, cv=3, groups=None, rng=0), got)


def test_series_groups_matched_by_row_label():
    pd = pytest.importorskip("pandas")
    X, y, _, g = twins(0)
    order = np.random.default_rng(1).permutation(y.shape[0])
    idx = [f"r{i}" for i in range(y.shape[0])]
    Xf = pd.DataFrame(X, index=idx).iloc[order]
    yf = pd.Series(y, index=idx).iloc[order]
    gs = pd.Series(g, index=idx)  # in the original order: matched by label
    p = out_of_fold_proba(KNeighborsClassifier(1), Xf, yf, cv=GroupKFold(4), groups=gs)
    ref = out_of_fold_proba(KNeighborsClassifier(1), Xf, yf, cv=GroupKFold(4),
                            groups=g[order])
    np.testing.assert_array_equal(p, ref)


class Masks:
    """KFold's folds as boolean masks."""

    def split(self, X, y=None, groups=None):
        for _, te in KFold(3).split(X):
            m = np.zeros(len(X), dtype=bool)
            m[te] = True
            yield ~m, m


def test_boolean_masks_read_as_masks():
    X, y, _ = small()
    np.testing.assert_array_equal(
        out_of_fold_proba(LogisticRegression(), X, y, cv=Masks()),
        out_of_fold_proba(LogisticRegression(), X, y, cv=KFold(3)))


class Leaky:
    """Trains on every row, the test rows included (in-sample probabilities)."""

    def split(self, X, y=None, groups=None):
        for _, te in KFold(3).split(X):
            yield np.arange(len(X)), te


class TwoOfThree:
    """Only two of KFold(3)'s folds: a third of the rows never held out."""

    def split(self, X, y=None, groups=None):
        yield from list(KFold(3).split(X))[:2]


class Twice:
    """KFold(3)'s folds dealt twice: every row held out in two folds."""

    def split(self, X, y=None, groups=None):
        folds = list(KFold(3).split(X))
        yield from folds + folds


X0, Y0, G0 = small()

REFUSED = [
    ("group splitter, no groups", {"cv": GroupKFold(3)},
     r"'groups' parameter.*cv=GroupKFold splits by group.*groups=None"),
    ("stratified group splitter, no groups", {"cv": StratifiedGroupKFold(3)},
     r"'groups' parameter.*cv=StratifiedGroupKFold splits by group"),
    ("group shuffle split, no groups", {"cv": GroupShuffleSplit(3)},
     r"'groups' parameter.*GroupShuffleSplit"),
    ("leave one group out, no groups", {"cv": LeaveOneGroupOut()},
     r"'groups' parameter.*LeaveOneGroupOut"),
    ("rows held out twice", {"cv": ShuffleSplit(10, test_size=0.5, random_state=0)},
     r"'cv' parameter.*every row exactly once.*ShuffleSplit holding out \d+ row\(s\) more "
     r"than once"),
    ("folds dealt twice", {"cv": Twice()},
     r"'cv' parameter.*exactly once.*Twice holding out 60 row\(s\) more than once \(row 0 "
     r"in 2 test folds\)"),
    ("rows never held out", {"cv": TwoOfThree()},
     r"'cv' parameter.*exactly once.*TwoOfThree never holding out 20 row\(s\) \(the first "
     r"40\)"),
    ("test rows in training", {"cv": Leaky()},
     r"'cv' parameter.*training and test rows are disjoint.*Leaky with 20 row\(s\)"),
    ("plain folds with groups", {"cv": KFold(3), "groups": G0},
     r"'cv' parameter.*every group on one side.*KFold with group"),
    ("group shuffle split with groups", {"cv": GroupShuffleSplit(3, random_state=0),
                                         "groups": G0},
     r"'cv' parameter.*exactly once.*GroupShuffleSplit"),
    ("single group", {"cv": 3, "groups": np.zeros(60)},
     r"'groups' parameter.*at least 2 distinct groups.*single group 0.0"),
    ("more folds than groups", {"cv": 4, "groups": np.arange(60) % 3},
     r"'cv' parameter.*at most the number of groups in groups \(3\)"),
    ("more folds than the smallest class", {"cv": 30, "groups": np.arange(60)},
     r"'cv' parameter.*at most the size of the smallest class"),
    ("missing group", {"cv": 3, "groups": np.r_[np.nan, G0[1:]]}, r"'groups' parameter.*NaN"),
    ("missing object group", {"cv": 3, "groups": np.array([None, *G0[1:]], dtype=object)},
     r"'groups' parameter.*a group label for every row"),
    ("short groups", {"cv": 3, "groups": G0[:-1]},
     r"'groups' parameter.*one group label per row of X \(60\).*59 group label"),
    ("2-D groups", {"cv": 3, "groups": G0.reshape(-1, 1)}, r"'groups' parameter"),
    ("groups of two kinds", {"cv": 3, "groups": [*G0[:-1].tolist(), "1"]},
     r"'groups' parameter"),
    ("float cv", {"cv": 3.0}, r"'cv' parameter.*an int >= 2 or a scikit-learn splitter"),
]


@pytest.mark.parametrize(("kwargs", "match"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])
def test_refused(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        out_of_fold_proba(LogisticRegression(), X0, Y0, rng=0, **kwargs)
