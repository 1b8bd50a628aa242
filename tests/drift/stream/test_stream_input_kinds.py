"""Streaming detectors refuse datetimes, durations and ints beyond the float range.

``update_many`` read a datetime64 or timedelta64 array (a pandas datetime
column) as its integer counts (nanoseconds since 1970): CUSUM signalled a
change at every element; ``update`` refused a ``numpy.datetime64`` but took a
``numpy.timedelta64`` (registered as a number) as an error flag, or raised a
bare ``TypeError``. An int beyond the float range (``10**400``) raised a bare
``OverflowError`` from ``update`` and ``update_many``.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift.stream import (
    ADWIN,
    CUSUM,
    DDM,
    EDDM,
    HDDM_A,
    HDDM_W,
    KSWIN,
    PageHinkley,
    update_many_from_update,
)
from mllifecycle.exceptions import InvalidParameterError

DETECTORS = [PageHinkley, CUSUM, ADWIN, KSWIN, DDM, EDDM, HDDM_A, HDDM_W]


@pytest.mark.parametrize("make", DETECTORS)
@pytest.mark.parametrize(
    "xs",
    [
        pd.Series(pd.date_range("2020-01-01", periods=5)),
        pd.date_range("2020-01-01", periods=5).values,
        np.array([0, 1, 1, 0, 1], dtype="m8[s]"),
        pd.Series(pd.to_timedelta([0, 1, 0, 1, 1], unit="s")),
    ],
    ids=["datetime-series", "datetime64", "timedelta64", "timedelta-series"],
)
def test_update_many_refuses_datetimes_and_durations(make, xs):
    with pytest.raises(InvalidParameterError, match=r"'xs'.*datetimes or durations"):
        make().update_many(xs)


def test_cusum_no_longer_alarms_on_every_datetime():
    # before: array([0, 1, 2, 3, 4]), the nanosecond counts read as values
    xs = pd.Series(pd.date_range("2020-01-01", periods=5))
    with pytest.raises(InvalidParameterError):
        CUSUM().update_many(xs)


@pytest.mark.parametrize("make", DETECTORS)
@pytest.mark.parametrize(
    "x", [np.timedelta64(1, "s"), np.timedelta64(0, "ns"), np.datetime64("2020-01-01")]
)
def test_update_refuses_datetime_and_duration_scalars(make, x):
    # DDM and the other error detectors took timedelta64(1) as an error flag
    with pytest.raises(InvalidParameterError, match="'x'"):
        make().update(x)


@pytest.mark.parametrize("make", DETECTORS)
def test_ints_beyond_the_float_range_are_refused(make):
    with pytest.raises(InvalidParameterError, match="'x'"):
        make().update(10**400)
    with pytest.raises(InvalidParameterError, match=r"'xs'.*beyond the float range"):
        make().update_many([0, 10**400, 1])
    with pytest.raises(InvalidParameterError, match=r"'xs'.*index 1"):
        make().update_many(np.array([1, -(10**400)], dtype=object))


@pytest.mark.parametrize("make", [PageHinkley, CUSUM, ADWIN, KSWIN])
def test_large_ints_within_the_float_range_still_work(make):
    xs = [0, 2**60, 1, 3]
    one = make()
    loop = [i for i, x in enumerate(xs) if one.update(float(x))]
    assert make().update_many(np.array(xs, dtype=object)).tolist() == loop


def test_user_detectors_may_still_take_datetimes():
    # the refusal is for the built-ins: a user's update() may read datetimes
    class Late:
        drift_detected = False

        def update(self, x):
            self.drift_detected = x > datetime.datetime(2020, 1, 3)
            return self.drift_detected

        def reset(self):
            self.drift_detected = False

    xs = pd.date_range("2020-01-01", periods=5).values
    assert update_many_from_update(Late(), xs).tolist() == [3, 4]


@pytest.mark.parametrize("make", DETECTORS)
@pytest.mark.parametrize(
    "xs",
    [
        np.array([np.timedelta64(1, "s"), 0.0], dtype=object),
        np.array([np.datetime64("2020-01-01"), 1.0], dtype=object),
        [np.timedelta64(1, "s"), 0.0],
    ],
    ids=["object-timedelta", "object-datetime", "list-timedelta"],
)
def test_object_arrays_holding_datetimes_or_durations_are_refused(make, xs):
    # np.timedelta64(1, "s") next to 0.0 was read as the error flag 1
    with pytest.raises(InvalidParameterError, match=r"'xs'.*datetimes or durations"):
        make().update_many(xs)
