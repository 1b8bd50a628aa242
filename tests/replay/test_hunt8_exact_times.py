"""Times since a retrain are exact for datetimes and durations; monthly datetimes work.

A time since the retrain was a difference of float seconds: sub-second
datetimes read an exact hour as 3599.9999999999995 s (``Periodic(every_time=
3600)`` missed that batch) and 10 ms as 0.010000000000000002 s. Monthly
``datetime64[M]`` timestamps failed with NumPy's own TypeError.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay

INIT, BS = 10, 10


def _stream(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    return X, y


def _hourly_ms(n_batches: int, offset_ms: int) -> np.ndarray:
    """Integer ms times whose batch ends are exactly one hour apart, after ``offset_ms``."""
    ms = np.zeros(INIT + BS * n_batches, dtype=np.int64)
    ms[:INIT] = np.arange(INIT)
    ms[INIT - 1] = offset_ms
    for j in range(1, n_batches + 1):
        end = offset_ms + j * 3_600_000
        ms[INIT + BS * (j - 1) : INIT + BS * j] = np.arange(end - BS + 1, end + 1)
    return ms


def _periodic_steps(ms: np.ndarray, every_ms: int) -> list[int]:
    """Periodic(every_time) on exact integer times: the steps it retrains at."""
    steps, last = [], INIT
    for e in range(INIT + BS, ms.shape[0] + 1, BS):
        if ms[e - 1] - ms[last - 1] >= every_ms:
            steps.append(e)
            last = e
    return steps


@pytest.mark.parametrize("as_kind", ["datetime64", "timedelta64", "pandas"])
def test_an_exact_hour_between_ms_times_retrains_periodic_every_hour(as_kind):
    # an offset for which float seconds put some exact hours just below 3600
    ms = _hourly_ms(5, 3_964_601)
    if as_kind == "timedelta64":
        ts = ms.astype("timedelta64[ms]")
    else:
        ts = np.datetime64("2024-03-01T00:00:00", "ms") + ms.astype("timedelta64[ms]")
        if as_kind == "pandas":
            pd = pytest.importorskip("pandas")
            ts = pd.Series(ts.astype("datetime64[ns]"))
    X, y = _stream(ms.shape[0])
    run = replay(X, y, LogisticRegression(), {"p": Periodic(every_time=dt.timedelta(hours=1))},
                 timestamps=ts, initial_train_size=INIT, batch_size=BS)["p"]
    assert list(run.retrain_steps) == _periodic_steps(ms, 3_600_000)


def test_time_since_retrain_is_the_exact_elapsed_time_rounded_once():
    rng = np.random.default_rng(3)
    n = INIT + 7 * BS
    ms = np.sort(rng.integers(0, 10**9, size=n))
    ts = np.datetime64("2024-03-01", "ms") + ms.astype("timedelta64[ms]")
    X, y = _stream(n)
    seen = []

    def record(state):
        seen.append((state.step, state.time_since_retrain))
        return state.step % 30 == 0

    run = replay(X, y, LogisticRegression(), {"p": record}, timestamps=ts,
                 initial_train_size=INIT, batch_size=BS)["p"]
    last, expected = INIT, []
    for e in range(INIT + BS, n + 1, BS):
        expected.append((e, float(Fraction(int(ms[e - 1] - ms[last - 1]), 1000))))
        if e in run.retrain_steps:
            last = e
    assert seen == expected


def test_monthly_datetimes_are_read_as_the_first_instant_of_each_month():
    n = INIT + 3 * BS
    months = np.datetime64("2020-01", "M") + np.arange(n).astype("timedelta64[M]")
    X, y = _stream(n)
    got, want = [], []

    def rec(into):
        def policy(state):
            into.append((state.time, state.time_since_retrain))
            return False
        return policy

    replay(X, y, LogisticRegression(), {"p": rec(got)}, timestamps=months,
           initial_train_size=INIT, batch_size=BS)
    replay(X, y, LogisticRegression(), {"p": rec(want)},
           timestamps=months.astype("datetime64[s]"), initial_train_size=INIT, batch_size=BS)
    assert got == want
    # the first batch ends at month 19, the initial rows at month 9: exact seconds
    first = months[[INIT - 1, INIT + BS - 1]].astype("datetime64[s]").astype(np.int64)
    assert got[0][1] == float(first[1] - first[0])


@pytest.mark.parametrize("unit", ["M", "Y"])
def test_durations_in_months_or_years_are_refused_naming_timestamps(unit):
    n = INIT + BS
    X, y = _stream(n)
    with pytest.raises(InvalidParameterError, match=r"timestamps.*fixed length"):
        replay(X, y, LogisticRegression(), {"p": lambda s: False},
               timestamps=np.arange(n).astype(f"timedelta64[{unit}]"),
               initial_train_size=INIT, batch_size=BS)
