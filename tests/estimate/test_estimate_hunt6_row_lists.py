"""estimate_many given a table as a list of probability rows (``P.tolist()``)."""
from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError


@pytest.fixture
def fitted():
    rng = np.random.default_rng(0)
    P = rng.dirichlet([1, 1], size=300)
    y = (rng.uniform(size=300) < P[:, 1]).astype(int)
    return CBPE(calibration="none").fit(y_true=y, y_proba=P), P


def test_list_of_rows_with_window_size_is_one_table(fitted):
    est, P = fitted
    got = est.estimate_many(P.tolist(), window_size=100)
    want = est.estimate_many(P, window_size=100)
    assert [r.n_samples for r in got] == [100, 100, 100]
    assert got == want


def test_tuple_of_row_arrays_with_window_size(fitted):
    est, P = fitted
    assert est.estimate_many(tuple(P), window_size=150) == est.estimate_many(P, window_size=150)


def test_list_of_rows_without_window_size_is_refused(fitted):
    # each row [p0, p1] was read as a window of two positive-class probabilities
    est, P = fitted
    with pytest.raises(InvalidParameterError, match="rows of 2 probabilities"):
        est.estimate_many(P[:5].tolist())
    with pytest.raises(InvalidParameterError, match="y_proba"):
        est.estimate_many(tuple(P[:5]))


def test_wrapped_rows_and_1d_windows_still_work(fitted):
    est, P = fitted
    (one,) = est.estimate_many([P[:50].tolist()])
    assert one == est.estimate(P[:50])
    got = est.estimate_many([P[:100, 1].tolist(), P[100:, 1].tolist()])
    assert [r.n_samples for r in got] == [100, 200]


def test_multiclass_list_of_rows_with_window_size():
    rng = np.random.default_rng(1)
    P = rng.dirichlet([1, 1, 1], size=240)
    y = np.array([rng.choice(3, p=r) for r in P])
    est = CBPE(metrics=["accuracy", "f1"], calibration="none").fit(y_true=y, y_proba=P)
    assert est.estimate_many(P.tolist(), window_size=80) == est.estimate_many(P, window_size=80)
