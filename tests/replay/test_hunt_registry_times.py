"""A replay with datetime timestamps registers versions at the stream's time, since the epoch.

The replay reads datetimes as seconds from the stream's first time (what the
policies' states show), and wrote those into the registry as ``created_at``:
a retrain on 2024-01-01 01:39 UTC was registered at 1970-01-01 01:39.
Numbers (seconds since the epoch, as the registry takes) were right.
"""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.policies import Periodic
from mllifecycle.replay import replay
from mllifecycle.store import Registry, Store

pytest.importorskip("skops", reason="the registry writes models with skops")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(300, 2))
Y = (X[:, 0] > 0).astype(int)
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).timestamp()  # 1704067200
MINUTES = np.arange(300) * 60.0


def _times(kind):
    dt64 = np.datetime64("2024-01-01T00:00:00") + np.arange(300) * np.timedelta64(60, "s")
    if kind == "seconds":
        return START + MINUTES
    if kind == "datetime64[s]":
        return dt64
    if kind == "datetime64[ns]":
        return dt64.astype("datetime64[ns]")
    pd = pytest.importorskip("pandas")
    if kind == "pandas tz-aware":  # the same instants, written in UTC+02:00
        return pd.Series(pd.DatetimeIndex(dt64).tz_localize("UTC").tz_convert("Etc/GMT-2"))
    return pd.DatetimeIndex(dt64)  # "pandas index"


@pytest.mark.parametrize(
    "kind", ["seconds", "datetime64[s]", "datetime64[ns]", "pandas tz-aware", "pandas index"]
)
def test_created_at_is_the_stream_time_since_the_epoch(kind):
    reg = Registry(Store(":memory:"))
    replay(X, Y, LogisticRegression(), {"p": Periodic(every=100)}, timestamps=_times(kind),
           registry=reg, model_name="m", initial_train_size=100, batch_size=50)
    got = [(v.tags["step"], v.created_at) for v in reg.versions("m")]
    # the model of step s is registered at the time of row s - 1: 2024-01-01 00:00 + (s-1) min
    assert got == [(100, START + 99 * 60.0), (200, START + 199 * 60.0),
                   (300, START + 299 * 60.0)]
    assert datetime.datetime.fromtimestamp(got[0][1], datetime.UTC) == (
        datetime.datetime(2024, 1, 1, 1, 39, tzinfo=datetime.UTC))


def test_durations_are_kept_as_seconds():
    reg = Registry(Store(":memory:"))
    replay(X, Y, LogisticRegression(), {"p": Periodic(every=100)},
           timestamps=np.arange(300) * np.timedelta64(60, "s"),
           registry=reg, model_name="m", initial_train_size=100, batch_size=50)
    assert [v.created_at for v in reg.versions("m")] == [99 * 60.0, 199 * 60.0, 299 * 60.0]
