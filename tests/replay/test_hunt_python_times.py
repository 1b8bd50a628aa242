"""replay reads timestamps given as Python datetime or timedelta objects.

A list of ``datetime.datetime`` was refused as "must be numeric" although the
docstring lists datetimes; they are read as datetime64 (aware ones as UTC
instants, as pandas' are), and naive with aware ones together are refused.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay

RNG = np.random.default_rng(0)
X = RNG.normal(size=(600, 2))
Y = (X[:, 0] + 0.3 * RNG.normal(size=600) > 0).astype(int)
BASE = dt.datetime(2024, 1, 1)
NAIVE = [BASE + dt.timedelta(minutes=i) for i in range(600)]
PARIS = dt.timezone(dt.timedelta(hours=2))


def _events(timestamps):
    res = replay(X, Y, LogisticRegression(), {"p": Periodic(every_time=7200.0)},
                 timestamps=timestamps, initial_train_size=100)
    return [(e.step, e.train_start, e.train_stop) for e in res.runs["p"].events]


@pytest.mark.parametrize(
    "times",
    [
        NAIVE,
        [t.replace(tzinfo=PARIS) for t in NAIVE],
        [dt.timedelta(minutes=i) for i in range(600)],
    ],
    ids=["naive", "aware", "timedelta"],
)
def test_python_times_replay_as_their_numpy_equivalents(times):
    want = _events(np.array(NAIVE, dtype="datetime64[ns]"))
    assert len(want) == 2  # every two hours of a minute-by-minute stream after row 100
    assert _events(times) == want


def test_naive_and_aware_datetimes_together_are_refused():
    mixed = [t.replace(tzinfo=PARIS) for t in NAIVE[:300]] + NAIVE[300:]
    with pytest.raises(InvalidParameterError,
                       match=r"'timestamps' parameter of replay must be datetimes all with a "
                       r"time zone or all without\. Got 300 with and 300 without instead"):
        _events(mixed)


def test_other_objects_are_still_refused_as_not_numeric():
    with pytest.raises(InvalidParameterError, match=r"'timestamps' parameter of replay must be "
                       r"numeric"):
        _events(["2024-01-01"] * 600)
