"""pandas Timestamp/Timedelta objects keep their nanoseconds as replay timestamps.

An object array (or list) of them was read through Python's datetime at
microseconds: times 1 ns apart became equal, and the times since a retrain
were not those of the same instants given as ``datetime64[ns]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.replay._replay import _timestamps


def _as_ns(ts: list) -> np.ndarray:
    return np.array([t.to_datetime64() if hasattr(t, "to_datetime64") else t.to_timedelta64()
                     for t in ts])


@pytest.mark.parametrize(
    "ts",
    [
        [pd.Timestamp("2024-01-01") + pd.Timedelta(k, "ns") for k in (0, 1, 3, 1000)],
        [pd.Timestamp("2024-01-01", tz="Europe/Berlin") + pd.Timedelta(k, "ns")
         for k in (0, 1, 3, 1000)],
        [pd.Timedelta(k, "ns") for k in (0, 1, 3, 1000)],
    ],
    ids=["naive", "zoned", "durations"],
)
def test_objects_read_as_their_datetime64_ns(ts: list) -> None:
    got = _timestamps(np.array(ts, dtype=object), len(ts))
    want = _timestamps(_as_ns(ts), len(ts))
    assert np.array_equal(got[0], want[0])
    assert np.array_equal(got[2], want[2])
    assert got[3] == want[3]
    # distinct instants stay distinct
    assert np.unique(got[2]).size == len(ts)
