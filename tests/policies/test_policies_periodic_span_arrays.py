"""Periodic(every_time=...) given an array of durations gets the library's error.

A 1-element ``timedelta64`` array raised NumPy's bare "only 0-dimensional
arrays can be converted to Python scalars" naming no argument; it is refused
naming ``every_time``, as an array of floats is. 0-d arrays are one duration.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic


@pytest.mark.parametrize(
    "value",
    [np.array([np.timedelta64(1, "h")]), np.array([np.timedelta64(1, "h")] * 2),
     np.array([3600.0])],
)
def test_arrays_of_durations_are_refused_by_name(value):
    with pytest.raises(InvalidParameterError, match=r"'every_time' parameter of Periodic.*"
                                                    r"Got an array of shape"):
        Periodic(every_time=value)


def test_zero_d_durations_are_one_duration():
    assert Periodic(every_time=np.array(np.timedelta64(1, "h"))).every_time == 3600.0
    assert Periodic(every_time=np.timedelta64(90, "m")).every_time == 5400.0
