"""Durations are seconds in fit_compute, and refused where a count is expected."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from mllifecycle.budget import fit_compute, fit_curve, redundancy
from mllifecycle.exceptions import InvalidParameterError

ROWS, FEATURES = [100, 200, 400], [5, 5, 5]


@pytest.mark.parametrize(
    "seconds",
    [
        np.array([1000, 2000, 4000], dtype="timedelta64[ms]"),
        [datetime.timedelta(seconds=s) for s in (1, 2, 4)],
        np.array([1, 2, 4], dtype="timedelta64[s]"),
    ],
)
def test_fit_times_given_as_durations_are_read_in_seconds(seconds):
    model = fit_compute(ROWS, FEATURES, seconds)
    # 1000 ms per 100 rows, linear: 8 s at 800 rows (was 8000 "seconds")
    assert model.predict(800, 5)[0] == pytest.approx(8.0)
    assert model.seconds.tolist() == pytest.approx([1.0, 2.0, 4.0])


def test_pandas_durations_are_read_in_seconds():
    pd = pytest.importorskip("pandas")
    model = fit_compute(ROWS, FEATURES, pd.Series(pd.to_timedelta([500, 1000, 2000], unit="ms")))
    assert model.predict(800, 5)[0] == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: fit_compute(np.array(ROWS, dtype="timedelta64[s]"), FEATURES, [1, 2, 4]),
         "n_samples"),
        (lambda: fit_curve(np.array([1, 2, 4, 8], dtype="timedelta64[D]"), [0.5, 0.6, 0.7, 0.8]),
         "sizes"),
        (lambda: fit_curve([1, 2, 4, 8], np.array(["2020-01-01"] * 4, dtype="datetime64[D]")),
         "scores"),
        (lambda: redundancy(np.array([1, 2], dtype="timedelta64[s]"), 0.9), "worker_accuracy"),
    ],
)
def test_dates_and_durations_are_refused_where_counts_are_expected(call, name):
    # a timedelta64 was read as a count of its unit, a datetime64 as days since 1970
    with pytest.raises(InvalidParameterError, match=f"'{name}'.*not dates or durations"):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        # an answer-correctness mask passed as accuracies: two perfect workers
        (lambda: redundancy(np.array([True, True]), 0.9), "worker_accuracy"),
        (lambda: redundancy(True, 0.9), "worker_accuracy"),
        (lambda: fit_curve([1, 2, 4, 8], np.array([0.5, 0.6, 0.7, True], dtype=object)),
         "scores"),
    ],
)
def test_booleans_are_refused_where_numbers_are_expected(call, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}'.*not booleans"):
        call()
