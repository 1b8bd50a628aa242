"""update_many_from_update passes each element as the loop ``for x in xs`` does:
pandas Series (pd.NA, Timestamps) and nanosecond datetimes (not int counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift.stream import update_many_from_update


class _Recorder:
    """A user's detector that records what it is fed (and flags gaps over an hour)."""

    def __init__(self) -> None:
        self.seen: list[object] = []
        self.last: object = None
        self.drift_detected = False

    def update(self, x: object) -> bool:
        self.seen.append(x)
        hit = False
        if isinstance(x, np.datetime64 | pd.Timestamp) and self.last is not None:
            hit = bool(x - self.last > np.timedelta64(1, "h"))
        self.last = x
        self.drift_detected = hit
        return hit

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


def _loop(xs: object) -> tuple[list[int], list[object]]:
    det = _Recorder()
    hits = [i for i, x in enumerate(xs) if det.update(x)]  # type: ignore[call-overload]
    return hits, det.seen


_TIMES = ["2020-01-01T00:00", "2020-01-01T00:30", "2020-01-01T03:00", "2020-01-01T03:10"]


@pytest.mark.parametrize(
    "xs",
    [
        pytest.param(np.array(_TIMES, dtype="datetime64[ns]"), id="datetime64[ns]"),
        pytest.param(pd.Series(pd.to_datetime(_TIMES)), id="Series-datetime"),
        pytest.param(pd.Series(pd.to_datetime(_TIMES, utc=True)), id="Series-datetime-utc"),
    ],
)
def test_datetimes_reach_update_as_datetimes(xs):
    """They reached update() as int nanosecond counts (1577836800000000000): no gap found."""
    det = _Recorder()
    hits = update_many_from_update(det, xs).tolist()
    expected_hits, expected_seen = _loop(xs)
    assert hits == expected_hits == [2]
    assert [type(v) for v in det.seen] == [type(v) for v in expected_seen]
    assert not any(isinstance(v, int) for v in det.seen)


@pytest.mark.parametrize(
    "xs",
    [
        pytest.param(pd.Series([1, None, 0], dtype="Int64"), id="Int64-NA"),
        pytest.param(pd.Series([True, None, False], dtype="boolean"), id="boolean-NA"),
        pytest.param(pd.array([1, None, 0], dtype="Int64"), id="IntegerArray-NA"),
    ],
)
def test_nullable_series_pass_na_and_ints_as_given(xs):
    """An Int64 column with pd.NA reached update() as floats and NaN."""
    det = _Recorder()
    update_many_from_update(det, xs)
    _, expected_seen = _loop(xs)
    assert det.seen[1] is pd.NA
    assert [type(v) for v in det.seen[::2]] == [type(v.item() if isinstance(v, np.generic) else v)
                                                for v in expected_seen[::2]]
    assert det.seen[::2] == [1, 0] or det.seen[::2] == [True, False]


def test_numeric_arrays_and_python_units_unchanged():
    """Plain NumPy arrays still give Python scalars (datetimes in microseconds too)."""
    det = _Recorder()
    update_many_from_update(det, np.array([1.5, 2.5]))
    assert det.seen == [1.5, 2.5]
    assert all(type(v) is float for v in det.seen)
    det = _Recorder()
    update_many_from_update(det, np.array([1, 2], dtype="timedelta64[s]"))
    assert [type(v).__name__ for v in det.seen] == ["timedelta", "timedelta"]
