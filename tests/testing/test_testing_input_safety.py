"""check_stream_detector protects the caller's stream and takes an empty list answer.

A detector changing ``xs`` in place changed the caller's stream through the
check, which then failed naming ``reset()``; a correct detector whose
``update_many`` returns a list (``[]`` when nothing is detected, which NumPy
makes float64) failed as "must return integer indices". A two-sample test
whose p-value is a NumPy float32 NaN failed as "outside [0, 1]".
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from mllifecycle.drift.stream import PageHinkley
from mllifecycle.testing import check_stream_detector, check_two_sample_test


class _ListAnswer:
    """A correct detector whose update_many returns a Python list."""

    def __init__(self):
        self.inner = PageHinkley()

    @property
    def drift_detected(self):
        return self.inner.drift_detected

    def update(self, x):
        return self.inner.update(x)

    def update_many(self, xs):
        return [i for i, x in enumerate(np.asarray(xs).tolist()) if self.update(x)]

    def reset(self):
        self.inner.reset()


class _ChangesItsInput(_ListAnswer):
    def update_many(self, xs):
        out = super().update_many(xs)
        if isinstance(xs, np.ndarray) and xs.size:
            xs[-1] = 0.0
        return out


STREAM = np.r_[np.zeros(500), np.full(500, 5.0)]


def test_a_list_answer_with_no_detection_passes():
    check_stream_detector(_ListAnswer, np.zeros(200))
    check_stream_detector(_ListAnswer, STREAM)


def test_a_detector_changing_its_input_fails_by_name_and_the_stream_is_kept():
    stream = STREAM.copy()
    with pytest.raises(AssertionError, match="changed the values it was given in place"):
        check_stream_detector(_ChangesItsInput, stream)
    assert np.array_equal(stream, STREAM)


def test_float_answers_are_still_refused():
    class Floats(_ListAnswer):
        def update_many(self, xs):
            return np.asarray(super().update_many(xs), dtype=float)

    with pytest.raises(AssertionError, match="integer indices"):
        check_stream_detector(Floats, STREAM)


@pytest.mark.parametrize("nan", [np.float32("nan"), np.float16("nan"), float("nan")])
def test_a_nan_p_value_of_any_float_type_is_accepted(nan):
    def test(reference, current, alpha=0.05, rng=None):
        return SimpleNamespace(statistic=0.0, p_value=nan, drift_detected=False)

    check_two_sample_test(test, np.arange(10.0), np.arange(12.0))


def test_a_p_value_outside_the_unit_interval_still_fails():
    def test(reference, current, alpha=0.05):
        return SimpleNamespace(statistic=0.0, p_value=np.float32(1.5), drift_detected=False)

    with pytest.raises(AssertionError, match="outside"):
        check_two_sample_test(test, np.arange(10.0), np.arange(12.0))


def _first_rows(estimator, X_pool, *, batch_size, X_labelled=None, rng=None):
    """A user's strategy that does not validate batch_size itself."""
    n = int(batch_size)
    return SimpleNamespace(indices=np.arange(n), scores=np.zeros(n))


@pytest.mark.parametrize("batch_size", [0, -1, True, 2.0])
def test_check_query_strategy_refuses_a_bad_batch_size_by_name(batch_size):
    # 0 ended in NumPy's "zero-size array" ValueError; True ran as 1
    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.testing import check_query_strategy

    X = np.random.default_rng(0).normal(size=(40, 2))
    with pytest.raises(InvalidParameterError, match="'batch_size'"):
        check_query_strategy(_first_rows, None, X, batch_size=batch_size)
    check_query_strategy(_first_rows, None, X, batch_size=np.int64(3))
