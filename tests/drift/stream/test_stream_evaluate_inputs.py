"""evaluate_detector: a pandas Series is one stream; booleans are no change points.

A Series was taken as one stream per value (refused with a message about the
number of change-point lists); ``change_points=[True]`` was read as a change
at position 1, and the scores were computed against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.datasets import mean_shift_stream
from mllifecycle.drift.stream import DDM, PageHinkley, evaluate_detector
from mllifecycle.exceptions import InvalidParameterError


@pytest.fixture(scope="module")
def stream():
    return np.asarray(mean_shift_stream(2000, [1000], means=[0, 3], rng=0).values)


def test_a_series_is_one_stream(stream):
    ref = evaluate_detector(PageHinkley, stream, [1000], tolerance=200)
    got = evaluate_detector(
        PageHinkley, pd.Series(stream, index=np.arange(2000)[::-1]), [1000], tolerance=200
    )
    assert got.n_streams == 1
    assert got.detections == ref.detections
    assert got.to_dict() == ref.to_dict()


def test_a_list_of_numpy_bools_is_one_stream():
    errors = np.r_[np.zeros(300, dtype=bool), np.ones(300, dtype=bool)]
    ref = evaluate_detector(DDM, errors, [300], tolerance=100)
    got = evaluate_detector(DDM, list(errors), [300], tolerance=100)
    assert got.n_streams == 1
    assert got.detections == ref.detections


def test_several_streams_are_still_several(stream):
    got = evaluate_detector(PageHinkley, [stream, pd.Series(stream)], [[1000], [1000]],
                            tolerance=200)
    assert got.n_streams == 2


@pytest.mark.parametrize("cps", [[True], np.array([True]), [1000, True]])
def test_boolean_change_points_are_refused(stream, cps):
    with pytest.raises(InvalidParameterError, match=r"'change_points'.*booleans"):
        evaluate_detector(PageHinkley, stream, cps, tolerance=200)
    with pytest.raises(InvalidParameterError, match=r"'change_points'.*booleans"):
        evaluate_detector(PageHinkley, [stream, stream], [[1000], cps], tolerance=200)


def _normal(rng, n):
    return rng.standard_normal(n)


_CAL = {"target_false_alarm_rate": 1e-3, "generator": _normal, "n_samples": 20_000,
        "rtol": 1e-2, "rng": 0}


def test_calibrate_takes_bounds_as_an_array():
    from mllifecycle.drift.stream import CUSUM, calibrate

    def make(t):
        return CUSUM(allowance=0.5, threshold=t)

    ref = calibrate(make, "threshold", bounds=(1.0, 20.0), **_CAL)
    got = calibrate(make, "threshold", bounds=np.array([1.0, 20.0]), **_CAL)
    assert got.value == ref.value
    assert got.bounds == (1.0, 20.0)
    with pytest.raises(InvalidParameterError, match=r"'bounds'.*pair"):
        calibrate(make, "threshold", bounds="ab", **_CAL)


class _FlagPerValue:
    """A user's detector whose update_many returns a 0/1 flag per value."""

    def __init__(self, threshold):
        self.threshold = threshold

    def update_many(self, xs):
        return np.asarray(xs) > self.threshold


def test_calibrate_refuses_a_detector_answering_flags_not_indices():
    # its answer's length (every value) was counted as its alarms, and the
    # error blamed the bounds
    from mllifecycle.drift.stream import calibrate

    with pytest.raises(InvalidParameterError, match=r"make_detector.*integer indices"):
        calibrate(_FlagPerValue, "threshold", bounds=(1.0, 20.0), **_CAL)


def test_evaluate_refuses_a_factory_returning_one_detector_again(stream):
    # the shared detector carried its state from one stream into the next:
    # 5 false alarms were reported where fresh detectors make 2
    shared = PageHinkley()
    with pytest.raises(InvalidParameterError, match=r"'make_detector'.*fresh detector"):
        evaluate_detector(lambda: shared, [stream, stream], [[1000], [1000]], tolerance=200)
    # one stream, one call: still fine
    evaluate_detector(lambda: shared, stream, [1000], tolerance=200)


def test_calibrate_refuses_a_factory_returning_one_detector_again():
    from mllifecycle.drift.stream import CUSUM, calibrate

    shared = CUSUM()

    def make(t):
        shared.threshold = t
        return shared

    with pytest.raises(InvalidParameterError, match=r"'make_detector'.*fresh detector"):
        calibrate(make, "threshold", bounds=(1.0, 20.0), **_CAL)
