"""replay's timestamps: timedelta64, timezone-aware datetimes and NaT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.replay import replay

N = 400


@pytest.fixture
def stream():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, 2))
    return X, (X[:, 0] > 0).astype(int)


def _times(stream, timestamps):
    X, y = stream
    seen = []

    def spy(state):
        seen.append((state.step, state.time, state.time_since_retrain))
        return False

    replay(X, y, GaussianNB(), {"spy": spy}, timestamps=timestamps,
           initial_train_size=200, batch_size=100)
    return seen


def test_timedelta_timestamps_are_read_in_seconds(stream):
    # one sample a minute: the batch ending at row 300 is 299 minutes in
    ts = pd.timedelta_range(0, periods=N, freq="min")
    assert _times(stream, ts) == [(300, 299 * 60.0, 100 * 60.0), (400, 399 * 60.0, 200 * 60.0)]
    ts64 = np.arange(N) * np.timedelta64(1, "m")
    assert _times(stream, ts64) == _times(stream, ts)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris", "America/New_York"])
def test_timezone_aware_timestamps_are_instants(stream, tz):
    naive = pd.date_range("2024-03-30", periods=N, freq="h")  # spans a DST switch
    expected = _times(stream, naive.tz_localize("UTC"))
    assert expected == [(300, 299 * 3600.0, 100 * 3600.0), (400, 399 * 3600.0, 200 * 3600.0)]
    aware = naive.tz_localize("UTC").tz_convert(tz)
    assert _times(stream, aware) == expected  # a DatetimeIndex
    assert _times(stream, pd.Series(aware)) == expected  # a Series
    shuffled = pd.Series(aware, index=np.random.default_rng(1).permutation(N))
    assert _times(stream, shuffled) == expected  # its index is not used


def _with_nat(unit_dtype):
    ts = np.arange(N).astype(unit_dtype)
    ts[5] = np.datetime64("NaT") if unit_dtype.startswith("datetime") else np.timedelta64("NaT")
    return ts


BAD = [
    (
        _with_nat("datetime64[s]"),
        r"'timestamps' parameter of replay must be free of missing times \(NaT\)\. "
        r"Got 1 NaT value\(s\) instead",
    ),
    (
        pd.Series(pd.date_range("2024-01-01", periods=N, freq="h", tz="UTC")).where(
            lambda s: s.index != 7
        ),
        r"free of missing times \(NaT\)\. Got 1 NaT",
    ),
    (
        _with_nat("timedelta64[s]"),
        r"free of missing times \(NaT\)\. Got 1 NaT",
    ),
]


@pytest.mark.parametrize(("ts", "message"), BAD, ids=["datetime64", "tz-series", "timedelta64"])
def test_missing_times_are_named(stream, ts, message):
    X, y = stream
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, y, GaussianNB(), {"never": lambda s: False}, timestamps=ts,
               initial_train_size=200)
