"""Hunt 8: conformance checks that passed broken user objects.

- ``check_sampler`` passed a sampler whose labels were not paired with its
  rows (synthetic labels first, or ``y`` shuffled): the feature count, the
  lengths and the label set were all right.
- ``check_sampler`` failed a correct regression sampler (SMOTER, mixup with
  ``task="regression"``) on an integer target (counts): its mixed targets
  came back as floats and were read as "labels absent from y".
- ``check_stream_detector`` compared the final ``drift_detected`` of
  ``update`` and ``update_many`` only: a flag never set, or left True after a
  detection, was the same wrong flag on both sides and passed (the protocol:
  whether the last element fed triggered a detection).
- ``check_two_sample_test`` tried ``alpha`` at 0.05 and 0.5 only, so a test
  deciding at a fixed 0.05 whatever ``alpha`` it was given passed on every
  data set whose p-value was outside [0.05, 0.5) (alike samples: p near 1).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from mllifecycle.augment import smote
from mllifecycle.drift.stream import with_update_many
from mllifecycle.testing import check_sampler, check_stream_detector, check_two_sample_test


class _SyntheticLabelsFirst:
    """SMOTE whose labels come back with the synthetic ones first."""

    def fit_resample(self, X, y):
        Xn, yn = smote(X, y, rng=0)
        n = len(y)
        return Xn, np.r_[yn[n:], yn[:n]]


class _ShuffledLabels:
    """Returns the rows unchanged and the labels shuffled."""

    def fit_resample(self, X, y):
        return np.asarray(X), np.random.default_rng(0).permutation(np.asarray(y))


class _CopiesWithTheirLabels:
    """Random oversampling done right: copies keep their row's label."""

    def fit_resample(self, X, y):
        X, y = np.asarray(X), np.asarray(y)
        pick = np.random.default_rng(0).integers(0, len(y), size=30)
        return np.vstack([X, X[pick]]), np.r_[y, y[pick]]


def _data(labels):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.where(np.arange(60) < 50, labels[0], labels[1])
    return X, y


@pytest.mark.parametrize("sampler", [_SyntheticLabelsFirst(), _ShuffledLabels()],
                         ids=["synthetic-first", "shuffled"])
@pytest.mark.parametrize("labels", [(0, 1), ("no", "yes")], ids=["int", "str"])
def test_check_sampler_catches_labels_not_paired_with_their_rows(sampler, labels):
    X, y = _data(labels)
    with pytest.raises(AssertionError, match="not paired with their rows"):
        check_sampler(sampler, X, y)


def test_check_sampler_accepts_a_row_present_under_two_labels():
    # the same features under both labels: a copy may carry either
    X, y = _data((0, 1))
    X[55] = X[3]
    check_sampler(_CopiesWithTheirLabels(), X, y)


def test_check_sampler_still_accepts_imbalanced_learn_samplers():
    pytest.importorskip("imblearn")
    from imblearn.over_sampling import SMOTE
    from imblearn.under_sampling import RandomUnderSampler, TomekLinks

    X, y = _data((0, 1))
    X[52:55] = X[0]  # duplicated rows across the classes
    for sampler in (SMOTE(random_state=0), RandomUnderSampler(random_state=0), TomekLinks()):
        check_sampler(sampler, X, y)


def _ks_at_a_fixed_level(reference, current, alpha=0.05):
    r = stats.ks_2samp(reference, current)
    return SimpleNamespace(statistic=float(r.statistic), p_value=float(r.pvalue),
                           drift_detected=bool(r.pvalue < 0.05))


def _ks(reference, current, alpha=0.05):
    r = stats.ks_2samp(reference, current)
    return SimpleNamespace(statistic=float(r.statistic), p_value=float(r.pvalue),
                           drift_detected=bool(r.pvalue < alpha))


@pytest.mark.parametrize("shift", [0.0, 2.0], ids=["alike", "shifted"])
def test_check_two_sample_test_catches_a_test_ignoring_alpha(shift):
    rng = np.random.default_rng(0)
    ref, cur = rng.normal(size=50), rng.normal(size=60) + shift
    p = stats.ks_2samp(ref, cur).pvalue
    assert not 0.05 <= p < 0.5  # the levels tried before could not tell
    with pytest.raises(AssertionError, match="drift_detected is not p_value < alpha"):
        check_two_sample_test(_ks_at_a_fixed_level, ref, cur)


def _ks_up_to_one_half(reference, current, alpha=0.05):
    if not 0.0 < alpha <= 0.5:
        raise ValueError(f"alpha must be in (0, 0.5], got {alpha}")
    return _ks(reference, current, alpha=alpha)


@pytest.mark.parametrize("test", [_ks, _ks_up_to_one_half], ids=["any-alpha", "alpha<=0.5"])
@pytest.mark.parametrize("shift", [0.0, 0.4, 2.0])
def test_check_two_sample_test_still_accepts_a_test_reading_alpha(shift, test):
    rng = np.random.default_rng(0)
    check_two_sample_test(test, rng.normal(size=50), rng.normal(size=60) + shift)


class _Fires:
    """Fires when five errors have been counted since the last detection."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.k = 0
        self.drift_detected = False
        self._fired = False

    def _step(self, x):
        if self._fired:
            self.k = 0
        self.k += int(x)
        self._fired = self.k >= 5
        return self._fired


@with_update_many
class _StickyFlag(_Fires):
    """Sets drift_detected at a detection and never clears it."""

    def update(self, x):
        hit = self._step(x)
        self.drift_detected = self.drift_detected or hit
        return hit


@with_update_many
class _FlagNeverSet(_Fires):
    """Returns the detections but leaves drift_detected False."""

    def update(self, x):
        return self._step(x)


@with_update_many
class _RightFlag(_Fires):
    def update(self, x):
        self.drift_detected = self._step(x)
        return self.drift_detected


def _error_stream():
    rng = np.random.default_rng(0)
    return (rng.random(300) < 0.3).astype(float)


@pytest.mark.parametrize("detector", [_StickyFlag, _FlagNeverSet], ids=["sticky", "never-set"])
def test_check_stream_detector_catches_a_drift_detected_not_following_update(detector):
    with pytest.raises(AssertionError, match=r"drift_detected is (True|False) while update "
                       r"returned"):
        check_stream_detector(detector, _error_stream())


def test_check_stream_detector_still_accepts_a_flag_following_update():
    check_stream_detector(_RightFlag, _error_stream())


def _centred_margin(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    """A margin strategy that centres the labelled rows in place (for its distances)."""
    from mllifecycle.labels import margin

    if X_labelled is not None:
        X_labelled -= X_labelled.mean(axis=0)
    return margin(estimator, X_pool, batch_size=batch_size, X_labelled=X_labelled, rng=rng)


def test_check_query_strategy_catches_a_strategy_changing_x_labelled():
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.testing import check_query_strategy

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)) + 3.0
    model = LogisticRegression().fit(X[:30], (X[:30, 0] > 3.0).astype(int))
    labelled = X[:30].copy()
    with pytest.raises(AssertionError, match="modified X_labelled in place"):
        check_query_strategy(_centred_margin, model, X[30:], X_labelled=labelled)


def test_check_query_strategy_still_accepts_a_strategy_reading_x_labelled():
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.labels import k_center_greedy
    from mllifecycle.testing import check_query_strategy

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    model = LogisticRegression().fit(X[:30], (X[:30, 0] > 0).astype(int))
    check_query_strategy(k_center_greedy, model, X[30:], X_labelled=X[:30])


def _counts_data():
    rng = np.random.default_rng(1)
    X = np.round(rng.normal(size=(120, 2)), 0)  # duplicated rows with other targets
    y = np.round(np.exp(1.5 * X[:, 0]) + rng.poisson(3, 120)).astype(int)
    return X, y


@pytest.mark.parametrize("target", ["int", "float"])
@pytest.mark.parametrize("which", ["SMOTER", "Mixup"])
def test_check_sampler_accepts_regression_samplers_on_counts(which, target):
    import warnings

    from mllifecycle.augment import SMOTER, Mixup

    X, y = _counts_data()
    if target == "float":
        y = y.astype(float)
    sampler = (SMOTER(n_samples=30, k_neighbors=1, random_state=0) if which == "SMOTER"
               else Mixup(task="regression", n_samples=30, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small rare bins
        check_sampler(sampler, X, y)


class _NewClass:
    """Adds rows of a class that y does not have."""

    def fit_resample(self, X, y):
        X, y = np.asarray(X), np.asarray(y)
        return np.vstack([X, X[:3] + 0.5]), np.r_[y, np.full(3, 7, dtype=y.dtype)]


def test_check_sampler_still_catches_a_new_integer_class():
    X, y = _data((0, 1))
    with pytest.raises(AssertionError, match="introduced labels absent from y"):
        check_sampler(_NewClass(), X, y)
