"""Hunt: time_fits names y when y is at fault, and takes measure_memory as a bool.

A 2-D ``y`` (or one of another length) was refused as "The 'X' parameter ...
Got shape (100, 3)": X, with its own, right shape. ``measure_memory="no"``
was truthy and measured memory.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from mllifecycle.budget import time_fits
from mllifecycle.exceptions import InvalidParameterError

X = np.random.default_rng(0).normal(size=(100, 3))
SIZES = [10, 20, 40]

CASES = [
    ({"y": X[:, :2]}, "The 'y' parameter of time_fits must be a 1-D array with one label per "
     "row of X (100). Got shape (100, 2) instead."),
    ({"y": X[:50, 0]}, "The 'y' parameter of time_fits must be a 1-D array with one label per "
     "row of X (100). Got shape (50,) instead."),
    ({"X": X[:, 0]}, "The 'X' parameter of time_fits must be a 2-D array with one row per "
     "label in y. Got shape (100,) instead."),
    ({"measure_memory": "no"}, "The 'measure_memory' parameter of time_fits must be a bool. "
     "Got 'no' instead."),
    ({"measure_memory": 1}, "The 'measure_memory' parameter of time_fits must be a bool. "
     "Got 1 instead."),
]


@pytest.mark.parametrize(("kwargs", "message"), CASES,
                         ids=["y-2d", "y-short", "x-1d", "memory-text", "memory-int"])
def test_bad_inputs_name_the_argument(kwargs, message) -> None:
    args = {"X": X, "y": X[:, 0], **kwargs}
    with pytest.raises(InvalidParameterError) as info:
        time_fits(Ridge(), args.pop("X"), args.pop("y"), SIZES, rng=0, **args)
    assert str(info.value) == message


def test_numpy_bools_measure_memory_as_asked() -> None:
    assert time_fits(Ridge(), X, X[:, 0], SIZES, measure_memory=np.True_,
                     rng=0).peak_memory is not None
    assert time_fits(Ridge(), X, X[:, 0], SIZES, measure_memory=False,
                     rng=0).peak_memory is None
