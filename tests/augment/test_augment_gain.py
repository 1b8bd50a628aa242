"""augmentation_gain: no leak, the corrected interval, the result object."""

from __future__ import annotations

import copy
import json
from functools import partial

import attrs
import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.base import clone
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle._resampling import corrected_resampled_t
from mllifecycle.augment import (
    SMOTE,
    AugmentationGainResult,
    GaussianNoise,
    augmentation_gain,
    gaussian_noise,
    smote,
)
from mllifecycle.exceptions import InvalidParameterError


def _noise_labels(seed=0, n=200, p=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, p)), rng.integers(0, 2, n)


def _leaky_gain(estimator, X, y, augment, splitter):
    """The classic mistake: augment everything, then cross-validate."""
    n = len(y)
    Xa, ya = augment(X, y)[:2]
    syn_X, syn_y = Xa[n:], ya[n:]
    diffs = []
    for train, test in splitter.split(X, y):
        base = clone(estimator).fit(X[train], y[train]).score(X[test], y[test])
        Xt = np.r_[X[train], syn_X]
        yt = np.r_[y[train], syn_y]
        aug = clone(estimator).fit(Xt, yt).score(X[test], y[test])
        diffs.append(aug - base)
    return float(np.mean(diffs))


def test_no_leak_with_labels_of_no_signal_and_a_memorising_model():
    X, y = _noise_labels()
    knn = KNeighborsClassifier(n_neighbors=1)
    aug = partial(gaussian_noise, n_samples=200, scale=0.05)
    res = augmentation_gain(knn, X, y, aug, cv=5, n_repeats=4, scoring="accuracy",
                            rng=0)
    # augmenting only training folds cannot help with labels of no signal
    assert res.ci_low < 0 < res.ci_high
    assert abs(res.gain) < 0.05
    assert res.verdict == "no detectable effect"
    # the leaky version puts children of test rows into training and shows a
    # large false gain with the same model, data and folds
    splitter = RepeatedStratifiedKFold(n_splits=5, n_repeats=4, random_state=0)
    leak = _leaky_gain(knn, X, y, lambda A, b: gaussian_noise(
        A, b, n_samples=200, scale=0.05, rng=0), splitter)
    assert leak > 0.3


class _Spy:
    """A sampler that records every row it is given (by an id column)."""

    seen: list

    def __init__(self):
        self.seen = []

    def __deepcopy__(self, memo):
        # augmentation_gain gives every split a deep copy of a sampler it cannot
        # clone: the copy shares this spy's list, so what it saw is recorded here
        return copy.copy(self)

    def fit_resample(self, X, y):
        self.seen.append(X[:, -1].astype(int).copy())
        return X, y


def test_test_fold_rows_never_reach_the_augmenter():
    X, y = _noise_labels(1, n=60)
    Xid = np.c_[X, np.arange(60)]
    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    spy = _Spy()
    res = augmentation_gain(KNeighborsClassifier(1), Xid, y, spy, cv=splitter, rng=0)
    splits = list(splitter.split(Xid, y))
    assert len(spy.seen) == len(splits) == res.n_splits
    for seen, (train, test) in zip(spy.seen, splits, strict=True):
        assert np.array_equal(np.sort(seen), np.sort(train))
        assert not set(seen) & set(test)
    # an identity augmenter changes nothing: zero gain, collapsed interval
    assert res.gain == 0.0
    assert res.ci_low == res.ci_high == 0.0
    assert res.p_value == 1.0


def test_interval_is_nadeau_bengio_on_the_per_split_differences():
    rng = np.random.default_rng(2)
    X = np.r_[rng.normal(0, 1, (300, 2)), rng.normal(1.5, 1, (30, 2))]
    y = np.r_[np.zeros(300, int), np.ones(30, int)]
    res = augmentation_gain(GaussianNB(), X, y, SMOTE(), cv=3, n_repeats=3,
                            scoring="balanced_accuracy", rng=1)
    d = np.array(res.candidate_scores) - np.array(res.baseline_scores)
    ref = corrected_resampled_t(d, n_train=220, n_test=110)
    assert res.n_splits == 9
    assert (res.n_train, res.n_test) == (220, 110)
    assert res.gain == pytest.approx(ref.mean)
    assert res.ci_low == pytest.approx(ref.ci_low)
    assert res.ci_high == pytest.approx(ref.ci_high)
    assert res.p_value == pytest.approx(ref.p_value)
    # SMOTE helps naive Bayes on balanced accuracy under a 10:1 imbalance
    assert res.gain > 0
    assert res.baseline_score == pytest.approx(np.mean(res.baseline_scores))


def test_same_rng_same_result_and_functions_or_samplers():
    X, y = _noise_labels(3, n=120)
    a = augmentation_gain(KNeighborsClassifier(3), X, y, GaussianNoise(n_samples=50),
                          cv=3, n_repeats=2, rng=5)
    b = augmentation_gain(KNeighborsClassifier(3), X, y, GaussianNoise(n_samples=50),
                          cv=3, n_repeats=2, rng=5)
    assert a == b
    with parallel_backend("threading"):
        c = augmentation_gain(KNeighborsClassifier(3), X, y,
                              partial(smote, n_samples=50), cv=3, n_repeats=2,
                              rng=5, n_jobs=2)
    d = augmentation_gain(KNeighborsClassifier(3), X, y,
                          partial(smote, n_samples=50), cv=3, n_repeats=2, rng=5)
    assert c == d


def test_regression_targets_use_plain_repeated_kfold():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(4)
    X = rng.normal(size=(90, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=90)
    res = augmentation_gain(Ridge(), X, y, partial(gaussian_noise, n_samples=30),
                            cv=3, n_repeats=2, scoring="r2", rng=0)
    assert res.n_splits == 6
    assert res.scoring == "r2"


def test_result_is_frozen_jsonable_and_readable():
    X, y = _noise_labels(5, n=80)
    res = augmentation_gain(KNeighborsClassifier(1), X, y,
                            partial(gaussian_noise, n_samples=20), cv=2,
                            n_repeats=2, rng=0)
    assert isinstance(res, AugmentationGainResult)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.gain = 1.0
    d = res.to_dict()
    json.dumps(d)
    assert set(d) >= {"gain", "ci_low", "ci_high", "verdict", "p_value"}
    assert "AugmentationGainResult(verdict=" in repr(res)
    assert "<table>" in res._repr_html_()
    assert res.helped is (res.verdict == "helped")


def _small(seed=0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (80, 2)), rng.normal(1.5, 1, (20, 2))]
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    return X, y


@pytest.mark.parametrize(("augmenter", "match"), [
    (lambda X, y, rng=None: (X,), r"'augmenter'.*\(X, y\).*1-tuple"),
    (lambda X, y, rng=None: X, r"'augmenter'.*\(X, y\).*ndarray"),
    (lambda X, y, rng=None: (X, y[:-1]), r"'augmenter'.*one label per row"),
    (lambda X, y: (X, y), r"'augmenter'.*keyword 'rng'"),
    (42, r"'augmenter'.*fit_resample"),
])
def test_bad_augmenter_named_clearly(augmenter, match):
    X, y = _small()
    with pytest.raises(InvalidParameterError, match=match):
        augmentation_gain(GaussianNB(), X, y, augmenter, cv=2, n_repeats=1, rng=0)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"cv": 30}, r"'cv'.*smallest class \(20\)"),
    ({"cv": "five"}, r"'cv'"),
    ({"confidence_level": 1.5}, r"'confidence_level'"),
    ({"progress": "yes"}, r"'progress'"),
    ({"scoring": "no_such_score"}, r"'scoring'"),
])
def test_bad_arguments_named(kwargs, match):
    X, y = _small()
    with pytest.raises(InvalidParameterError, match=match):
        augmentation_gain(GaussianNB(), X, y, smote, rng=0, **kwargs)


def test_progress_callback_and_n_jobs_same_answer():
    X, y = _small()
    seen = []
    a = augmentation_gain(GaussianNB(), X, y, smote, cv=2, n_repeats=2, rng=1,
                          progress=lambda d, t: seen.append((d, t)))
    with parallel_backend("threading"):  # threads: no process start-up in the test
        b = augmentation_gain(GaussianNB(), X, y, smote, cv=2, n_repeats=2, rng=1, n_jobs=2)
    assert seen == [(i, 4) for i in range(1, 5)]
    assert a.candidate_scores == b.candidate_scores
    assert a.baseline_scores == b.baseline_scores


def test_same_fields_as_transfer_gain_and_metrics_are_flat_floats():
    from mllifecycle._gain import GainResult
    from mllifecycle.transfer import TransferGainResult

    assert issubclass(AugmentationGainResult, GainResult)
    assert issubclass(TransferGainResult, GainResult)
    X, y = _small()
    res = augmentation_gain(GaussianNB(), X, y, smote, cv=2, n_repeats=2, rng=0)
    m = res.to_metrics()
    assert all(isinstance(v, float) for v in m.values())
    assert m["gain"] == res.gain
    assert m["helped"] in (0.0, 1.0)
    assert "candidate_scores" not in m


def test_dataframe_reaches_the_estimator_with_names():
    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression

    X, y = _small()
    df = pd.DataFrame(X, columns=["u", "v"])
    seen = []

    class Spy(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append(list(X.columns))
            return super().fit(X, y)

    res = augmentation_gain(Spy(), df, pd.Series(y), SMOTE(), cv=2, n_repeats=1, rng=0)
    assert seen
    assert all(c == ["u", "v"] for c in seen)
    ref = augmentation_gain(LogisticRegression(), X, y, SMOTE(), cv=2, n_repeats=1, rng=0)
    np.testing.assert_allclose(res.candidate_scores, ref.candidate_scores)
