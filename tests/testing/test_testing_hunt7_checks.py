"""Checks in mllifecycle.testing catch a user object breaking a nested part of its input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.gates import GateContext, GateResult, MetricThreshold
from mllifecycle.labels import Query, margin
from mllifecycle.policies import LifecycleState
from mllifecycle.testing import check_gate, check_policy, check_query_strategy


def _context() -> GateContext:
    return GateContext(
        y_true=[0, 1, 1, 0, 1, 0],
        challenger=[0, 1, 1, 0, 0, 0],
        slices={"a": [True, False, True, False, True, False]},
    )


class _EmptiesSlice:
    """Sets every slice mask to True in place: later gates see another slice."""

    def check(self, context):
        for mask in context.slices.values():
            mask[:] = True
        return GateResult(name="g", passed=True, reasons=["ok"])


class _DropsSlice:
    def check(self, context):
        context.slices.pop("a")
        return GateResult(name="g", passed=True, reasons=["ok"])


def test_check_gate_catches_a_slice_mask_changed_in_place():
    with pytest.raises(AssertionError, match=r"context.slices\['a'\] in place"):
        check_gate(_EmptiesSlice(), _context())


def test_check_gate_catches_a_slice_removed():
    with pytest.raises(AssertionError, match=r"removed context.slices\['a'\]"):
        check_gate(_DropsSlice(), _context())


def test_check_gate_still_passes_a_reading_gate_with_slices():
    check_gate(MetricThreshold("accuracy", minimum=0.5), _context())


def test_check_policy_still_passes_on_states_with_arrays():
    states = [
        LifecycleState(step=s, samples_since_retrain=s, labels_available=s,
                       new_errors=np.zeros(3))
        for s in (10, 20)
    ]
    check_policy(lambda state: state.step > 15, states)


def _committee():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    return X, [LogisticRegression().fit(X, y), LogisticRegression().fit(X, y)]


def test_check_query_strategy_catches_a_refit_second_committee_member():
    X, committee = _committee()

    def refits_second(estimator, X_pool, *, batch_size=5, X_labelled=None, rng=None):
        estimator[1].fit(X_pool, (X_pool[:, 1] > 0).astype(int))
        return Query(indices=np.arange(batch_size), scores=np.zeros(batch_size),
                     strategy="refits_second")

    with pytest.raises(AssertionError, match="changed the estimator's predictions"):
        check_query_strategy(refits_second, committee, X)


def test_check_query_strategy_passes_a_reading_strategy_on_a_single_model():
    X, committee = _committee()
    check_query_strategy(margin, committee[0], X)


class _ThresholdDetector:
    """Warns above 1 and detects above 3; ``keep_warnings`` breaks ``reset``."""

    def __init__(self, keep_warnings=False):
        self.keep_warnings = keep_warnings
        self.drift_detected = False
        self.warning_detected = False
        self.warnings_ = np.array([], dtype=np.intp)
        self.count = 0

    def update(self, x):
        self.count += 1
        self.drift_detected = bool(x > 3 and self.count > 2)
        self.warning_detected = bool(not self.drift_detected and x > 1)
        if self.drift_detected:
            self.count = 0
        return self.drift_detected

    def update_many(self, xs):
        hits, warns = [], []
        for i, x in enumerate(np.asarray(xs).tolist()):
            if self.update(x):
                hits.append(i)
            if self.warning_detected:
                warns.append(i)
        self.warnings_ = np.asarray(warns, dtype=np.intp)
        return np.asarray(hits, dtype=np.intp)

    def reset(self):
        self.drift_detected = False
        self.count = 0
        if not self.keep_warnings:
            self.warning_detected = False
            self.warnings_ = np.array([], dtype=np.intp)


_STREAM = np.r_[np.zeros(10), np.full(3, 2.0), np.zeros(5), np.full(4, 5.0), 2.0]


def test_check_stream_detector_catches_warnings_kept_by_reset():
    from mllifecycle.testing import check_stream_detector

    # reset() was checked on detections only: the previous warnings passed
    with pytest.raises(AssertionError, match="reset"):
        check_stream_detector(lambda: _ThresholdDetector(keep_warnings=True), _STREAM)


def test_check_stream_detector_passes_a_correct_warning_detector():
    from mllifecycle.protocols import WarningDetector
    from mllifecycle.testing import check_stream_detector

    assert isinstance(_ThresholdDetector(), WarningDetector)
    check_stream_detector(_ThresholdDetector, _STREAM)


def _ks(reference, current, alpha=0.05):
    from types import SimpleNamespace

    from scipy import stats

    r = stats.ks_2samp(reference, current)
    return SimpleNamespace(statistic=float(r.statistic), p_value=float(r.pvalue),
                           drift_detected=bool(r.pvalue < alpha))


def _samples():
    rng = np.random.default_rng(0)
    return rng.normal(size=50), rng.normal(size=60)


def test_check_two_sample_test_catches_a_test_changing_its_samples():
    from mllifecycle.testing import check_two_sample_test

    def centring_ks(reference, current, alpha=0.05):
        reference -= reference.mean()  # in place: the caller's data changes
        return _ks(reference, current, alpha=alpha)

    ref, cur = _samples()
    kept = ref.copy()
    with pytest.raises(AssertionError, match="changed reference in place"):
        check_two_sample_test(centring_ks, ref, cur)
    # the check hands the test copies: the caller's sample is untouched
    assert np.array_equal(ref, kept)


def test_check_two_sample_test_passes_a_reading_test():
    from mllifecycle.testing import check_two_sample_test

    check_two_sample_test(_ks, *_samples())
