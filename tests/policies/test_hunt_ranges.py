"""Out-of-range policy arguments and state fields are refused where the user passes them."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    LifecycleState,
    OnDrift,
    OnEstimatedPerformanceDrop,
    OnPerformanceDrop,
    OnSettledBelowFloor,
    OnStaleness,
)

BAD_POLICIES = [
    (
        lambda: OnStaleness(threshold=1.5),
        r"'threshold' parameter of OnStaleness must be a float in the range \[0\.0, 1\.0\]\. "
        r"Got 1\.5 instead",
    ),
    (
        lambda: OnSettledBelowFloor(threshold=2.0),
        r"'threshold' parameter of OnSettledBelowFloor must be a float in the range "
        r"\[0\.0, 1\.0\]\. Got 2\.0 instead",
    ),
    (
        lambda: OnDrift(refit_initial="yes"),
        r"'refit_initial' parameter of OnDrift must be a bool\. Got 'yes' instead",
    ),
    (
        lambda: OnPerformanceDrop(0.1, relative="no"),
        r"'relative' parameter of OnPerformanceDrop must be a bool\. Got 'no' instead",
    ),
    (
        lambda: OnEstimatedPerformanceDrop(0.1, relative=1),
        r"'relative' parameter of OnEstimatedPerformanceDrop must be a bool\. Got 1 instead",
    ),
]


@pytest.mark.parametrize(("make", "match"), BAD_POLICIES)
def test_out_of_range_policy_arguments_are_refused(make, match):
    with pytest.raises(InvalidParameterError, match=match):
        make()


def test_threshold_one_is_still_accepted():
    assert OnStaleness(threshold=1.0).threshold == 1.0
    assert OnSettledBelowFloor(threshold=1.0).threshold == 1.0


BAD_STATES = [
    (
        {"new_errors": np.array([0.0, -1.0]), "labels_available": 10},
        r"'new_errors' parameter of LifecycleState must be an array of errors in \[0, 1\] "
        r"\(1 = wrong\)\. Got a value -1\.0 instead",
    ),
    (
        {"new_errors": np.array([0.0, 2.0]), "labels_available": 10},
        r"'new_errors' parameter of LifecycleState must be an array of errors in \[0, 1\].*"
        r"Got a value 2\.0 instead",
    ),
    (
        {"new_errors": np.array([-3, 1]), "labels_available": 10},
        r"'new_errors' parameter .* Got a value -3\.0 instead",
    ),
    (
        {"new_errors": np.array([np.nan]), "labels_available": 10},
        r"'new_errors' parameter of LifecycleState must be an array of finite values",
    ),
    (
        {"new_errors": np.zeros((2, 2)), "labels_available": 10},
        r"'new_errors' parameter of LifecycleState must be a 1-D array of 0/1 errors.*"
        r"Got an array of shape \(2, 2\) instead",
    ),
    (
        {"new_errors": np.array(["0", "1"]), "labels_available": 10},
        r"'new_errors' parameter .* Got an array of dtype <U1 instead",
    ),
    (
        {"new_errors": np.zeros(5), "labels_available": 3},
        r"'new_errors' parameter of LifecycleState must be at most labels_available \(3\) "
        r"values, the errors on the newest labelled rows\. Got 5 values instead",
    ),
    (
        {"metric": 0.9, "metric_std_error": -0.01},
        r"'metric_std_error' parameter of LifecycleState must be a finite non-negative "
        r"float or None\. Got -0\.01 instead",
    ),
    (
        {"estimated_metric": 0.9, "estimated_std_error": -0.5},
        r"'estimated_std_error' parameter of LifecycleState must be a finite non-negative",
    ),
]


@pytest.mark.parametrize(("fields", "match"), BAD_STATES)
def test_bad_state_fields_are_refused(fields, match):
    with pytest.raises(InvalidParameterError, match=match):
        LifecycleState(step=10, **fields)


def test_evolve_checks_new_errors_too():
    s = LifecycleState(step=10, labels_available=10, new_errors=np.zeros(4))
    with pytest.raises(InvalidParameterError, match=r"errors in \[0, 1\]"):
        attrs.evolve(s, new_errors=-np.ones(4))


def test_good_errors_are_accepted():
    for xs in (np.zeros(0), np.array([True, False]), np.array([0, 1]), np.array([0.0, 0.5, 1.0])):
        assert LifecycleState(step=10, labels_available=10, new_errors=xs).new_errors is xs


def test_negative_errors_no_longer_reach_a_policy():
    # before: OnSettledBelowFloor accepted -1 errors as a floor of accuracy 2
    with pytest.raises(InvalidParameterError, match="'new_errors'"):
        OnSettledBelowFloor(min_samples=2, max_samples=4).should_retrain(
            LifecycleState(step=10, labels_available=10, new_errors=-np.ones(10))
        )


SIGNAL_BAD = [
    (None, r"detector=None \(drift reported in the state\)"),
    (lambda ref, cur: None, r"a two-sample test"),
]


@pytest.mark.parametrize(("detector", "what"), SIGNAL_BAD)
def test_confidence_signal_needs_a_streaming_detector(detector, what):
    # before: the signal was silently ignored (only a streaming detector is fed one)
    with pytest.raises(
        InvalidParameterError,
        match=r"'signal' parameter of OnDrift must be \"error\" \(the default\) unless the "
        r"detector is a StreamDetector, the only kind fed a signal\. Got "
        rf"signal='confidence' with {what} instead",
    ):
        OnDrift(detector, signal="confidence")
