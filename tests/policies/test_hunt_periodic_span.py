"""Periodic(every_time=...) with numpy durations: a unit is needed, NaT is refused."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, Periodic


@pytest.mark.parametrize(
    ("span", "seconds"),
    [(np.timedelta64(90, "m"), 5400.0), (np.timedelta64(1500, "ms"), 1.5),
     (np.timedelta64(2, "D"), 172800.0)],
)
def test_numpy_durations_in_seconds(span, seconds):
    p = Periodic(every_time=span)
    assert p.every_time == seconds
    assert p.should_retrain(LifecycleState(step=1, time_since_retrain=seconds)).retrain
    assert not p.should_retrain(LifecycleState(step=1, time_since_retrain=seconds * 0.99)).retrain


@pytest.mark.parametrize(
    "span", [np.timedelta64(5), np.timedelta64("NaT")], ids=["unitless", "NaT"]
)
def test_unitless_or_missing_numpy_durations_are_refused(span):
    with pytest.raises(
        InvalidParameterError,
        match=r"'every_time' parameter of Periodic must be a duration with a unit "
        r"\(e\.g\. numpy\.timedelta64\(1, 'h'\)\), not NaT\. Got "
        + re.escape(repr(span))
        + " instead",
    ):
        Periodic(every_time=span)


@pytest.mark.parametrize(
    "span", [np.timedelta64(1, "M"), np.timedelta64(2, "Y")], ids=["months", "years"]
)
def test_numpy_durations_in_months_or_years_are_refused(span):
    # NumPy raised its own TypeError ("Cannot get a common metadata divisor for
    # Numpy datetime metadata [M] and [s] ..."), naming no argument
    with pytest.raises(InvalidParameterError) as info:
        Periodic(every_time=span)
    assert str(info.value) == (
        "The 'every_time' parameter of Periodic must be a duration in a unit of fixed "
        "length (weeks, days, hours, ...; e.g. numpy.timedelta64(30, 'D')), not in months "
        f"or years, whose length varies. Got {span!r} instead."
    )
