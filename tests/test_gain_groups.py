"""``groups=`` and group splitters in the three gain estimates.

``augmentation_gain``, ``transfer_gain`` and ``pseudo_label_gain`` take
``groups`` as scikit-learn's ``cross_validate`` does: rows of one group
(a patient, a device) are never split between training and test. Without it,
data whose rows repeat within a group give an optimistic score (leakage).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _groups import random_label_groups
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    LeaveOneGroupOut,
    PredefinedSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.augment import augmentation_gain
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain
from mllifecycle.transfer import transfer_gain

N_GROUPS, PER_GROUP = 30, 6


def grouped_data(seed: int = 0):
    """Rows of a group are near-duplicates; the label depends on the group only."""
    return random_label_groups(N_GROUPS, PER_GROUP, 4, seed)


def jitter(X, y, rng=None):
    gen = np.random.default_rng(rng)
    return np.r_[X, X + gen.normal(0, 0.01, X.shape)], np.r_[y, y]


def partial_labels(y):
    """Half the rows of every group labelled, the others marked -1."""
    return np.where(np.arange(y.shape[0]) % 2 == 0, y, -1)


def run(kind, X, y, **kw):
    """One gain estimate of each kind, a memorising model (1-NN) on (X, y)."""
    knn = KNeighborsClassifier(n_neighbors=1)
    kw = {"n_repeats": 2, "rng": 0, **kw}
    if kind == "augment":
        return augmentation_gain(knn, X, y, jitter, **kw)
    if kind == "transfer":
        return transfer_gain(knn, (X, y), (X, y), finetune_params={"source_weight": 1.0}, **kw)
    return pseudo_label_gain(SelfTraining(knn), X, partial_labels(y), **kw)


KINDS = ["augment", "transfer", "pseudo"]


@pytest.mark.parametrize("kind", KINDS)
def test_group_folds_remove_the_leak_plain_folds_show(kind):
    X, y, g = grouped_data()
    leaky = run(kind, X, y)
    honest = run(kind, X, y, groups=g)
    # the labels carry no signal beyond the group: a held-out group is a coin flip
    assert leaky.baseline_score > 0.95
    assert 0.3 < honest.baseline_score < 0.7
    assert honest.details["n_groups"] == N_GROUPS


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cv", [GroupKFold(3), StratifiedGroupKFold(3), LeaveOneGroupOut(),
                                GroupShuffleSplit(4, random_state=0)],
                         ids=lambda c: type(c).__name__)
def test_a_group_splitter_without_groups_is_refused_naming_groups_and_cv(kind, cv):
    X, y, _ = grouped_data()
    with pytest.raises(InvalidParameterError,
                       match=rf"'groups' parameter of .*cv={type(cv).__name__} splits by group"):
        run(kind, X, y, cv=cv)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cv", [GroupKFold(3), StratifiedGroupKFold(3), LeaveOneGroupOut(),
                                GroupShuffleSplit(4, test_size=0.25, random_state=0)],
                         ids=lambda c: type(c).__name__)
def test_a_group_splitter_with_groups_holds_whole_groups_out(kind, cv):
    X, y, g = grouped_data()
    res = run(kind, X, y, cv=cv, groups=g)
    assert 0.25 < res.baseline_score < 0.75
    n = cv.get_n_splits(X, y, g if kind != "pseudo" else g[::2])
    assert res.n_splits == n


@pytest.mark.parametrize("kind", KINDS)
def test_a_splitter_ignoring_groups_is_refused_when_groups_are_given(kind):
    # scikit-learn ignores them (with a warning): the leaky score, for a user
    # who said the rows come in groups
    X, y, g = grouped_data()
    with pytest.raises(InvalidParameterError,
                       match=r"'cv' parameter.*one side of each split.*KFold with group"):
        run(kind, X, y, cv=KFold(3, shuffle=True, random_state=0), groups=g)


def test_a_splitter_that_keeps_groups_apart_is_accepted_without_reading_them():
    X, y, g = grouped_data()
    # PredefinedSplit does not read groups; its folds happen to be whole groups
    cv = PredefinedSplit(g % 3)
    res = run("augment", X, y, cv=cv, groups=g)
    ref = run("augment", X, y, cv=GroupKFold(3), groups=g % 3)
    assert res.n_splits == 3
    assert sorted(res.baseline_scores) == sorted(ref.baseline_scores)


def test_the_augmenter_sees_only_whole_training_groups():
    X, y, g = grouped_data()
    Xg = np.c_[g, X]  # the group id rides along as a feature
    seen = []

    def spy(Xt, yt, rng=None):
        seen.append(Xt[:, 0].astype(int))
        return jitter(Xt, yt, rng)

    res = augmentation_gain(GaussianNB(), Xg, y, spy, n_repeats=2, groups=g, rng=0)
    assert len(seen) == res.n_splits == 10
    for ids in seen:
        present, counts = np.unique(ids, return_counts=True)
        # every group handed over whole: no row of a test group reaches the augmenter
        assert (counts == PER_GROUP).all()
        assert present.shape[0] < N_GROUPS


def test_pseudo_label_gain_holds_out_the_unlabelled_rows_of_test_groups():
    X, y, g = grouped_data()
    yp = partial_labels(y)
    fits = []

    class Spy(SelfTraining):
        def fit(self, X, y):
            fits.append((X[:, 0].astype(int), np.asarray(y)))
            return super().fit(X[:, 1:], y)

        def predict(self, X):
            return super().predict(np.asarray(X)[:, 1:])

        def predict_proba(self, X):
            return super().predict_proba(np.asarray(X)[:, 1:])

    base = KNeighborsClassifier(n_neighbors=1)
    res = pseudo_label_gain(Spy(base), np.c_[g, X], yp, baseline=_DropFirst(base),
                            cv=3, n_repeats=1, groups=g, rng=0)
    assert len(fits) == 3
    used = []
    for ids, ys in fits:
        train_groups = set(ids[ys != -1].tolist())
        unl_groups = set(ids[ys == -1].tolist())
        assert unl_groups == train_groups  # the test groups' unlabelled rows left out
        used.append(int((ys == -1).sum()))
    assert res.details["n_unlabelled_used"] == used
    assert res.n_unlabelled == int((yp == -1).sum())
    assert all(u < res.n_unlabelled for u in used)


class _DropFirst(ClassifierMixin, BaseEstimator):
    """A 1-NN that ignores the first column (the group id)."""

    def __init__(self, estimator=None):
        self.estimator = estimator

    def fit(self, X, y):
        self.model_ = KNeighborsClassifier(n_neighbors=1).fit(np.asarray(X)[:, 1:], y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(np.asarray(X)[:, 1:])


def test_without_groups_pseudo_label_gain_is_unchanged_and_takes_a_splitter():
    X, y, _ = grouped_data()
    yp = partial_labels(y)
    st = SelfTraining(GaussianNB())
    a = pseudo_label_gain(st, X, yp, cv=3, n_repeats=1, rng=0)
    b = pseudo_label_gain(st, X, yp, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                          rng=0)
    assert a.n_splits == b.n_splits == 3
    assert "n_unlabelled_used" not in a.details
    assert "n_groups" not in a.details


# ---- repetitions that deal the same folds are not new evidence ----------------


@pytest.mark.parametrize("kind", KINDS)
def test_repetitions_with_the_same_group_folds_are_counted_once(kind):
    X, y, g = grouped_data()
    g6 = g % 6  # 6 groups, 6 folds: every repetition is leave-one-group-out
    with pytest.warns(DegenerateDataWarning, match=r"6 of 12 splits repeat earlier ones"):
        twice = run(kind, X, y, cv=6, groups=g6)
    once = run(kind, X, y, cv=6, groups=g6, n_repeats=1)
    assert twice.n_splits == once.n_splits == 6
    assert twice.details["n_duplicate_splits"] == 6
    assert (twice.ci_low, twice.ci_high) == (once.ci_low, once.ci_high)


def test_leave_one_out_repeated_is_not_counted_as_new_splits():
    # cv equal to the number of rows deals the same folds in every repetition:
    # 5 repetitions counted as 60 splits narrowed the interval by a factor 0.67
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    y = X[:, 0] + rng.normal(0, 0.5, 12)
    kw = {"scoring": "neg_mean_squared_error", "rng": 0}
    one = augmentation_gain(Ridge(), X, y, jitter, cv=12, n_repeats=1, **kw)
    with pytest.warns(DegenerateDataWarning, match="48 of 60 splits"):
        five = augmentation_gain(Ridge(), X, y, jitter, cv=12, n_repeats=5, **kw)
    assert five.n_splits == 12
    assert (five.ci_low, five.ci_high, five.std_error) == (one.ci_low, one.ci_high,
                                                           one.std_error)


def test_a_splitter_drawing_the_same_split_twice_counts_it_once():
    X, y, g = grouped_data()
    g3 = g % 3  # three groups: GroupShuffleSplit can only hold out one of three
    cv = GroupShuffleSplit(n_splits=8, test_size=1, random_state=0)
    with pytest.warns(DegenerateDataWarning, match=r"of 8 splits repeat earlier ones"):
        res = augmentation_gain(GaussianNB(), X, y, jitter, cv=cv, groups=g3, rng=0)
    assert res.n_splits == 3
    assert res.details["n_duplicate_splits"] == 5


def test_group_folds_differ_between_repetitions():
    X, y, g = grouped_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = run("augment", X, y, cv=3, groups=g)  # 30 groups: no repetition repeats
    assert res.n_splits == 6
    assert "n_duplicate_splits" not in res.details


# ---- the groups argument -----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("groups", "match"), [
    (np.arange(5), r"'groups'.*one group label per row of .*\(180\).*Got 5 group label"),
    (np.r_[np.nan, np.arange(179.0)], r"'groups'.*NaN"),
    (np.r_[[None], np.arange(179)].astype(object), r"'groups'.*missing group label"),
    (np.zeros((180, 1)), r"'groups'.*1-D"),
    ([1, "1"] * 90, r"'groups'.*one kind"),
    (np.zeros(180), r"'groups'.*at least 2 distinct groups"),
])
def test_bad_groups_are_refused_naming_groups(kind, groups, match):
    X, y, _ = grouped_data()
    with pytest.raises(InvalidParameterError, match=match):
        run(kind, X, y, groups=groups)


def test_more_folds_than_groups_is_refused_naming_cv():
    X, y, g = grouped_data()
    with pytest.raises(InvalidParameterError, match=r"'cv'.*number of groups in groups \(4\)"):
        run("augment", X, y, cv=5, groups=g % 4)


def test_nullable_and_datetime_missing_groups_are_refused():
    pd = pytest.importorskip("pandas")
    X, y, g = grouped_data()
    na = pd.Series(g, dtype="Int64")
    na.iloc[3] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'groups'"):
        run("augment", X, y, groups=na)
    days = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(g, unit="D"))
    days.iloc[7] = pd.NaT
    with pytest.raises(InvalidParameterError, match=r"'groups'.*missing"):
        run("augment", X, y, groups=days.to_numpy())


@pytest.mark.parametrize("kind", KINDS)
def test_labels_of_other_kinds_give_the_same_answer(kind):
    pd = pytest.importorskip("pandas")
    X, y, g = grouped_data()
    ref = run(kind, X, y, groups=g)
    text = np.array([f"patient-{i:03d}" for i in g])
    for other in (text, pd.Series(text, dtype="category"), pd.Series(g, dtype="Int64"),
                  list(g), tuple(g), g.astype(np.uint64), g.astype(">i4"),
                  np.datetime64("2024-01-01") + g.astype("timedelta64[D]")):
        res = run(kind, X, y, groups=other)
        assert res.baseline_scores == ref.baseline_scores
        assert res.candidate_scores == ref.candidate_scores


@pytest.mark.parametrize("kind", KINDS)
def test_a_pandas_groups_is_matched_to_a_pandas_x_by_row_label(kind):
    pd = pytest.importorskip("pandas")
    X, y, g = grouped_data()
    ids = [f"r{i}" for i in range(X.shape[0])]
    order = np.random.default_rng(1).permutation(X.shape[0])
    Xf = pd.DataFrame(X, index=ids).iloc[order]
    yy = partial_labels(y) if kind == "pseudo" else y
    ys = pd.Series(yy, index=ids).iloc[order]
    gs = pd.Series(g, index=ids)  # in sorted order, against a shuffled X
    if kind == "augment":
        res = augmentation_gain(GaussianNB(), Xf, ys, jitter, n_repeats=1, groups=gs, rng=0)
        ref = augmentation_gain(GaussianNB(), Xf, ys, jitter, n_repeats=1,
                                groups=g[order], rng=0)
    elif kind == "transfer":
        kw = {"n_repeats": 1, "rng": 0, "finetune_params": {"source_weight": 1.0}}
        res = transfer_gain(GaussianNB(), (X, y), (Xf, ys), groups=gs, **kw)
        ref = transfer_gain(GaussianNB(), (X, y), (Xf, ys), groups=g[order], **kw)
    else:
        st = SelfTraining(GaussianNB())
        res = pseudo_label_gain(st, Xf, ys, n_repeats=1, groups=gs, rng=0)
        ref = pseudo_label_gain(st, Xf, ys, n_repeats=1, groups=g[order], rng=0)
    assert res.baseline_scores == ref.baseline_scores
    assert res.candidate_scores == ref.candidate_scores
    # a default 0..n-1 index in another order may number rows rather than name them
    Xr = pd.DataFrame(X).iloc[order]
    with pytest.raises(InvalidParameterError, match=r"'groups'.*RangeIndex"):
        augmentation_gain(GaussianNB(), Xr, y[order], jitter, groups=pd.Series(g), rng=0)


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_answer_and_groups_not_mutated(kind):
    X, y, g = grouped_data()
    g_ro = g.copy()
    g_ro.flags.writeable = False
    a = run(kind, X, y, groups=g_ro)
    b = run(kind, X, y, groups=g[::-1][::-1])  # a non-contiguous view
    assert a.baseline_scores == b.baseline_scores
    assert a.candidate_scores == b.candidate_scores
    assert (g_ro == np.repeat(np.arange(N_GROUPS), PER_GROUP)).all()


def test_regressor_group_folds_use_group_k_fold():
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(20), 5)
    X = rng.normal(size=(20, 3))[g] + rng.normal(0, 0.01, (100, 3))
    y = rng.normal(size=20)[g]
    res = augmentation_gain(Ridge(), X, y, jitter, cv=4, n_repeats=2, groups=g, rng=0,
                            scoring="r2")
    assert res.n_splits == 8
    assert res.details["n_groups"] == 20
    # the target of a held-out group is unrelated to the others: no skill
    assert res.baseline_score < 0.2


def test_transfer_gain_groups_are_the_target_rows():
    X, y, _ = grouped_data()
    Xs = np.random.default_rng(3).normal(size=(50, 4))
    ys = np.tile([0, 1], 25)
    with pytest.raises(InvalidParameterError, match=r"'groups'.*row of target\[0\] \(X\)"):
        transfer_gain(LogisticRegression(), (Xs, ys), (X, y), groups=np.arange(50), rng=0)
