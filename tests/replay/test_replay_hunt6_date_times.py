"""replay reads Python dates as times (midnight), as it reads datetimes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
X = rng.normal(size=(120, 2))
y = (X[:, 0] > 0).astype(int)
DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(120)]
POLICY = {"p": Periodic(every_time=np.timedelta64(7, "D"))}


def _run(ts):
    return replay(X, y, LogisticRegression(), POLICY, timestamps=ts,
                  initial_train_size=40, batch_size=5)


@pytest.mark.parametrize("as_kind", [list, tuple, lambda d: pd.Series(d, dtype=object),
                                     lambda d: np.array(d, dtype=object)])
def test_dates_are_days(as_kind):
    # refused before as "must be numbers (datetimes and durations are not read
    # as numbers here ...)", while datetimes at midnight were taken
    want = _run(np.array(DAYS, dtype="datetime64[D]")).runs["p"]
    got = _run(as_kind(DAYS)).runs["p"]
    assert got.retrains == want.retrains > 0
    assert [e.step for e in got.events] == [e.step for e in want.events]


def test_dates_with_aware_datetimes_are_refused():
    ts = [*DAYS[:-1], dt.datetime(2024, 6, 1, tzinfo=dt.UTC)]
    with pytest.raises(InvalidParameterError, match="all with a time zone or all without"):
        _run(ts)
