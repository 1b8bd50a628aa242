"""Self-training: calibrated pseudo-labels, class balance, the CV guard, the gain."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, make_moons
from sklearn.exceptions import NotFittedError as SklearnNotFitted
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeRegressor

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import PseudoLabelGainResult, SelfTraining, pseudo_label_gain


def partial_split(X, y, seed, frac=0.05):
    rng = np.random.default_rng(seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed,
                                          stratify=y)
    lab = rng.random(len(ytr)) < frac
    for c in np.unique(ytr):
        lab[rng.choice(np.flatnonzero(ytr == c), 2, replace=False)] = True
    return Xtr, Xte, ytr, yte, np.where(lab, ytr, -1), lab


def blobs(seed=0, n=400):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(-2, 1, (n // 2, 2)), rng.normal(2, 1, (n // 2, 2))]
    y = np.repeat([0, 1], n // 2)
    return X, y


def test_pseudo_labels_are_mostly_right_and_recorded():
    X, y = blobs(0)
    rng = np.random.default_rng(0)
    yp = np.where(rng.random(len(y)) < 0.1, y, -1)
    m = SelfTraining(LogisticRegression(), guard_cv=None, target_precision=0.95,
                     random_state=0).fit(X, yp)
    assert m.n_iter_ >= 1
    assert len(m.pseudo_indices_) > 0
    assert (yp[m.pseudo_indices_] == -1).all()  # only unlabelled rows get pseudo-labels
    precision = (m.pseudo_labels_ == y[m.pseudo_indices_]).mean()
    assert precision >= 0.95
    assert all(0.0 < t <= 1.0 for thr in m.thresholds_ for t in thr.values())
    np.testing.assert_array_equal(m.predict(X), m.estimator_.predict(X))
    assert m.predict_proba(X).shape == (len(y), 2)


def test_selection_is_class_balanced_and_capped_per_iteration():
    rng = np.random.default_rng(1)
    # class 0 is easy and abundant, class 1 rare: pseudo-labels follow the
    # labelled prior instead of flooding with class 0
    X = np.r_[rng.normal(-3, 1, (900, 2)), rng.normal(1.5, 1, (100, 2))]
    y = np.r_[np.zeros(900, int), np.ones(100, int)]
    yp = np.where(rng.random(1000) < 0.1, y, -1)
    m = SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1, max_fraction=0.1,
                     target_precision=0.9, random_state=0).fit(X, yp)
    n_unl = int((yp == -1).sum())
    prior = np.bincount(yp[yp != -1]) / (yp != -1).sum()
    counts = np.bincount(m.pseudo_labels_, minlength=2)
    assert counts.sum() <= np.ceil(0.1 * n_unl) + 2
    assert counts[0] <= np.ceil(np.ceil(0.1 * n_unl) * prior[0])


def test_guard_keeps_a_harmful_loop_from_hurting():
    # a loop that pseudo-labels aggressively (target precision 0.2) with naive
    # Bayes on digits at 5 % labels hurts; the guard cuts it back
    X, y = load_digits(return_X_y=True)
    base, naive, guarded = [], [], []
    for seed in range(4):
        Xtr, Xte, ytr, yte, yp, lab = partial_split(X, y, seed)
        base.append(GaussianNB().fit(Xtr[lab], ytr[lab]).score(Xte, yte))
        kw = {"target_precision": 0.2, "max_fraction": 0.5, "random_state": seed}
        naive.append(SelfTraining(GaussianNB(), guard_cv=None, **kw).fit(Xtr, yp)
                     .score(Xte, yte))
        guarded.append(SelfTraining(GaussianNB(), **kw).fit(Xtr, yp).score(Xte, yte))
    assert np.mean(naive) < np.mean(base) - 0.03  # the loop is harmful ...
    assert np.mean(guarded) >= np.mean(base) - 0.01  # ... and the guard catches it
    assert np.mean(guarded) > np.mean(naive) + 0.03


def test_guard_is_recorded_and_zero_iterations_means_the_labelled_only_model():
    X, y = blobs(2)
    rng = np.random.default_rng(2)
    yp = np.where(rng.random(len(y)) < 0.1, y, -1)
    m = SelfTraining(LogisticRegression(), random_state=0).fit(X, yp)
    assert m.guard_scores_.shape == (6,)
    if m.n_iter_ == 0:
        ref = LogisticRegression().fit(X[yp != -1], y[yp != -1])
        np.testing.assert_allclose(m.predict_proba(X), ref.predict_proba(X))


def test_sklearn_conventions_clone_and_params():
    st = SelfTraining(LogisticRegression(), target_precision=0.9)
    c = clone(st)
    assert c.get_params()["target_precision"] == 0.9
    with pytest.raises(SklearnNotFitted, match="not fitted"):
        st.predict(np.zeros((2, 2)))


X0, Y0 = blobs(3, n=60)
YP0 = np.where(np.arange(60) % 5 == 0, Y0, -1)


@pytest.mark.parametrize(
    ("est", "kwargs", "X", "y", "exc", "match"),
    [
        (DecisionTreeRegressor(), {}, X0, YP0, TypeError, r"predict_proba\(\)"),
        (LogisticRegression(), {}, X0, np.where(Y0 == 1, -1, Y0), InvalidParameterError,
         "at least 2 classes"),
        (LogisticRegression(), {}, np.where(X0 > 2.5, np.nan, X0), YP0,
         InvalidParameterError, "NaN"),
        (LogisticRegression(), {"target_precision": 1.0}, X0, YP0, InvalidParameterError,
         "target_precision"),
        (LogisticRegression(), {"max_iter": -1}, X0, YP0, InvalidParameterError,
         "max_iter"),
        (LogisticRegression(), {"guard_cv": 1}, X0, YP0, InvalidParameterError,
         "guard_cv"),
        (LogisticRegression(), {}, X0, YP0[:10], InvalidParameterError, "one label per row"),
        (LogisticRegression(), {}, X0, np.where(np.arange(60) < 3, Y0, -1) * 0 +
         np.where(np.arange(60) == 0, 1, np.where(np.arange(60) < 6, 0, -1)),
         InvalidParameterError, "at least 2 labelled rows per class"),
    ],
)
def test_self_training_rejects_bad_input(est, kwargs, X, y, exc, match):
    with pytest.raises(exc, match=match):
        SelfTraining(est, **kwargs).fit(X, y)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"y": Y0}, InvalidParameterError, "some unlabelled rows"),
        ({"cv": 50}, InvalidParameterError, "'cv'"),
        ({"semi_supervised": object()}, TypeError, r"fit\(\)"),
        ({"semi_supervised": KNeighborsClassifier()}, InvalidParameterError, "baseline"),
        ({"confidence_level": 2.0}, InvalidParameterError, "confidence_level"),
    ],
)
def test_gain_rejects_bad_input(kwargs, exc, match):
    args = {"semi_supervised": SelfTraining(LogisticRegression(), max_iter=1), "X": X0,
            "y": YP0, "cv": 3, "n_repeats": 1, "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        pseudo_label_gain(**args)


def test_gain_straddles_zero_when_unlabelled_rows_carry_no_signal():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 3))
    y = np.where(rng.random(300) < 0.2, rng.integers(2, size=300), -1)  # labels = noise
    res = pseudo_label_gain(SelfTraining(LogisticRegression(), max_iter=2), X, y,
                            cv=3, n_repeats=2, rng=0)
    assert isinstance(res, PseudoLabelGainResult)
    assert res.ci_low <= 0 <= res.ci_high
    assert res.n_splits == 6
    json.dumps(res.to_dict())
    assert "gain" in res.to_metrics()
    assert "<table>" in res._repr_html_()


@pytest.mark.slow
def test_gain_is_positive_where_unlabelled_rows_help():
    # two moons, 5 % labels, k-NN: the unlabelled rows trace the moons
    X, y = make_moons(800, noise=0.15, random_state=0)
    rng = np.random.default_rng(0)
    yp = np.where(rng.random(800) < 0.05, y, -1)
    res = pseudo_label_gain(SelfTraining(KNeighborsClassifier(5), target_precision=0.8),
                            X, yp, cv=3, n_repeats=3, rng=0)
    assert res.gain >= 0
    assert res.candidate_score >= res.baseline_score


def test_nan_and_pandas_na_in_object_labels_mark_unlabelled_rows():
    """Documented: NaN and None mark unlabelled rows, as -1 does. In an object
    array a NaN was taken as a label (a crash in np.unique), and pd.NA raised
    "boolean value of NA is ambiguous"; each must give the -1-marked fit."""
    pd = pytest.importorskip("pandas")
    X, y = blobs(3, n=200)
    names = np.where(y == 1, "pos", "neg").astype(object)
    lab = np.random.default_rng(0).random(200) < 0.2
    marked = np.where(lab, names, "?").astype(object)
    ref = SelfTraining(LogisticRegression(), unlabelled="?", random_state=0).fit(X, marked)
    with_nan = np.where(lab, names, np.nan).astype(object)
    with_na = pd.Series(np.where(lab, names, None), dtype="string")
    for y_u in (with_nan, with_na):
        st = SelfTraining(LogisticRegression(), random_state=0).fit(X, y_u)
        assert st.classes_.tolist() == ["neg", "pos"]
        np.testing.assert_array_equal(st.pseudo_indices_, ref.pseudo_indices_)
        np.testing.assert_array_equal(st.pseudo_labels_, ref.pseudo_labels_)
