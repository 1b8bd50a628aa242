"""Pandas X and y (and y with y_proba) are paired by row label, not by position.

A ``y`` sorted by index next to a shuffled ``X`` (or ``y_proba``) was read by
position: every function trained or judged mismatched rows with exit 0.
Three cases per public function: (a) shuffled X + sorted y gives the result
of the aligned inputs; (b) a default RangeIndex on one side with the same
labels in another order is refused naming the argument; (c) plain arrays and
aligned pandas inputs give identical results.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    ActiveLearner,
    LabelModel,
    SelfTraining,
    analyze,
    confident_joint,
    dawid_skene,
    estimate_noise_matrix,
    find_label_issues,
    label_quality,
    margin,
    out_of_fold_proba,
    pseudo_label_gain,
    simulate,
    spread_labels,
)

pd = pytest.importorskip("pandas")

N = 80


def _data(semi: bool = False):
    rng = np.random.default_rng(3)
    index = [f"r{i:03d}" for i in range(N)]
    X = pd.DataFrame(rng.normal(size=(N, 3)), columns=list("abc"), index=index)
    y = pd.Series((X["a"] + 0.5 * rng.normal(size=N) > 0).astype(int), index=index)
    if semi:
        y.iloc[::3] = -1
    perm = rng.permutation(N)
    return X.iloc[perm], y  # X shuffled, y in sorted order


def _same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float)
        assert math.isnan(b)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def _oof(X, y):
    return out_of_fold_proba(LogisticRegression(), X, y, cv=3, rng=0)


def _self_training(X, y):
    model = SelfTraining(LogisticRegression(), random_state=0, calibration_cv=2,
                         guard_cv=None).fit(X, y)
    return model.predict_proba(np.asarray(X))


def _spread(X, y):
    res = spread_labels(X, y, n_neighbors=5)
    return {"proba": res.proba, "labels": res.labels}


def _gain(X, y):
    res = pseudo_label_gain(SelfTraining(LogisticRegression(), random_state=0,
                                         calibration_cv=2, guard_cv=None),
                            X, y, cv=2, n_repeats=1, rng=0)
    return res.to_metrics()


def _simulate(X, y):
    return simulate(X, y, LogisticRegression(), margin, budget=4, batch_size=2,
                    n_random=1, rng=0).to_metrics()


def _learner(X_labelled, y_labelled):
    X, _ = _data()
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, rng=0)
    learner.fit(X.to_numpy()[:40], X_labelled, y_labelled)
    return learner.estimator_.predict_proba(X.to_numpy())


# (function, semi-supervised labels, the y argument's name)
FITTERS = {
    "out_of_fold_proba": (_oof, False, "y"),
    "SelfTraining.fit": (_self_training, True, "y"),
    "spread_labels": (_spread, True, "y"),
    "pseudo_label_gain": (_gain, True, "y"),
    "simulate": (_simulate, False, "y"),
}


@pytest.mark.parametrize("name", list(FITTERS))
def test_shuffled_x_sorted_y_matched_by_label(name):
    f, semi, _ = FITTERS[name]
    X, y = _data(semi)
    _same(f(X, y), f(X, y.loc[X.index]))


@pytest.mark.parametrize("name", list(FITTERS))
def test_default_index_in_another_order_refused(name):
    f, semi, arg = FITTERS[name]
    X, y = _data(semi)
    X = X.reset_index(drop=True)  # 0..n-1
    y = pd.Series(y.to_numpy(), index=np.random.default_rng(0).permutation(N))
    with pytest.raises(InvalidParameterError, match=f"'{arg}' parameter"):
        f(X, y)


@pytest.mark.parametrize("name", list(FITTERS))
def test_arrays_and_aligned_pandas_unchanged(name):
    f, semi, _ = FITTERS[name]
    X, y = _data(semi)
    y = y.loc[X.index]
    _same(f(X, y), f(X.to_numpy(), y.to_numpy()))


def test_active_learner_y_labelled_matched_by_label():
    X, y = _data()
    Xl = X.iloc[40:]  # shuffled
    yl = y.loc[Xl.index]
    _same(_learner(Xl, yl.sort_index()), _learner(Xl, yl))
    _same(_learner(Xl, yl), _learner(Xl.to_numpy(), yl.to_numpy()))
    yd = pd.Series(yl.to_numpy(), index=np.random.default_rng(0).permutation(N - 40))
    with pytest.raises(InvalidParameterError, match="'y_labelled' parameter"):
        _learner(Xl.reset_index(drop=True), yd)


def _proba_table(X):
    p = np.clip(0.5 + 0.4 * np.tanh(X["a"].to_numpy()), 0.01, 0.99)
    return pd.DataFrame({0: 1 - p, 1: p}, index=X.index)


ISSUE_FUNCS = {
    "find_label_issues": lambda y, p: (lambda r: {"indices": r.indices,
                                                  "quality": r.label_quality})(
        find_label_issues(y, p)),
    "label_quality": label_quality,
    "confident_joint": confident_joint,
    "estimate_noise_matrix": lambda y, p: estimate_noise_matrix(y, p).noise_matrix,
}


@pytest.mark.parametrize("name", list(ISSUE_FUNCS))
def test_issues_y_matched_to_proba_rows(name):
    f = ISSUE_FUNCS[name]
    X, y = _data()
    y = y.copy()
    y.iloc[::7] = 1 - y.iloc[::7]  # some wrong labels
    proba = _proba_table(X)  # rows in X's (shuffled) order
    _same(f(y, proba), f(y.loc[X.index], proba))
    _same(f(y.loc[X.index], proba), f(y.loc[X.index].to_numpy(), proba.to_numpy()))
    yd = pd.Series(y.loc[X.index].to_numpy(), index=np.random.default_rng(0).permutation(N))
    with pytest.raises(InvalidParameterError, match="'y' parameter"):
        f(yd, proba.reset_index(drop=True))


def test_find_label_issues_sorted_y_finds_the_flipped_rows():
    X, _ = _data()
    proba = _proba_table(X)
    truth = pd.Series((proba[1] > 0.5).astype(int), index=X.index)
    given = truth.copy()
    flipped = given.index[np.abs(proba[1] - 0.5) > 0.35][:5]
    given.loc[flipped] = 1 - given.loc[flipped]
    res = find_label_issues(given.sort_index(), proba)
    assert set(X.index[res.indices]) == set(flipped)


def _votes():
    rng = np.random.default_rng(5)
    index = [f"r{i:03d}" for i in range(N)]
    y = pd.Series(rng.integers(0, 2, N), index=index)
    L = pd.DataFrame({"a": np.where(rng.random(N) < 0.9, y, 1 - y),
                      "b": np.where(rng.random(N) < 0.8, y, -1)}, index=index)
    return L.iloc[rng.permutation(N)], y  # L shuffled, gold labels sorted


def _analyze(L, y):
    res = analyze(L, y)
    return {"acc": res.accuracy, "correct": res.n_correct}


def _lm_score(L, y):
    return LabelModel(method="majority_vote").fit(L).score(L, y)


@pytest.mark.parametrize("f", [_analyze, _lm_score], ids=["analyze", "LabelModel.score"])
def test_gold_labels_matched_to_vote_table_rows(f):
    L, y = _votes()
    aligned = f(L, y.loc[L.index])
    _same(f(L, y), aligned)  # sorted gold next to shuffled votes
    _same(aligned, f(L.to_numpy(), y.loc[L.index].to_numpy()))
    if f is _lm_score:
        assert aligned > 0.85
    yd = pd.Series(y.loc[L.index].to_numpy(), index=np.random.default_rng(0).permutation(N))
    with pytest.raises(InvalidParameterError, match="'y' parameter"):
        f(L.reset_index(drop=True), yd)


def _crowd():
    rng = np.random.default_rng(0)
    truth = {f"t{i:03d}": int(rng.integers(0, 2)) for i in range(200)}
    rows = [(t, int(w), c if rng.random() < 0.8 else 1 - c)
            for t, c in truth.items() for w in rng.choice(10, 5, replace=False)]
    answers = pd.DataFrame(rows, columns=["task", "worker", "label"])
    given = pd.Series(truth)
    flipped = given.index[:10]
    given[flipped] = 1 - given[flipped]
    return dawid_skene(answers.sample(frac=1, random_state=0)), given, set(flipped)


def test_crowd_result_y_matched_by_task():
    res, given, flipped = _crowd()
    in_task_order = find_label_issues(given.loc[res.tasks], res)
    shuffled = find_label_issues(given.sample(frac=1, random_state=1), res)
    np.testing.assert_array_equal(shuffled.indices, in_task_order.indices)
    np.testing.assert_array_equal(shuffled.label_quality, in_task_order.label_quality)
    found = set(res.tasks[shuffled.indices])
    assert len(found & flipped) >= 6  # not 110 issues, of mismatched tasks
    assert len(found) <= 20
    # plain labels in task order: as before
    plain = find_label_issues(given.loc[res.tasks].to_numpy(), res)
    np.testing.assert_array_equal(plain.indices, in_task_order.indices)
