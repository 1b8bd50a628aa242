"""Out-of-range change points are reported as given, not as their overflowed cast (hunt 2)."""

from __future__ import annotations

import warnings

import pytest

from mllifecycle.datasets import bernoulli_stream, mean_shift_stream
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize(
    ("given", "shown"),
    [([1e20], "[100000000000000000000]"), ([2**63], "[9223372036854775808]")],
)
def test_change_point_past_the_int_range_is_named_as_given(given, shown):
    # it was cast to -2**63 first (with a RuntimeWarning) and the message
    # showed [-9223372036854775808], a number the user never passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidParameterError, match=r"\[1, 99\].*Got " + shown.replace(
            "[", r"\[").replace("]", r"\]")):
            mean_shift_stream(100, given, rng=0)


def test_in_range_change_points_still_accepted():
    s = bernoulli_stream(100, [0.1, 0.5, 0.2], [30, 60.0], rng=0)
    assert s.change_points.tolist() == [30, 60]
