"""calibrate: a bootstrap block longer than the stationary stream is refused."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.drift.stream import CUSUM, calibrate
from mllifecycle.exceptions import InvalidParameterError

KW = {
    "target_false_alarm_rate": 1e-2,
    "bounds": (1.0, 30.0),
    "n_samples": 2000,
    "rtol": 1e-2,
    "rng": 0,
}


def _make(h):
    return CUSUM(threshold=h)


@pytest.mark.parametrize("block_length", [51, 1000])
def test_block_longer_than_the_stream_is_refused(block_length):
    # a block cut from a 50-value stream cannot be longer: it was silently the
    # whole stream, rotated, and the simulation repeated the 50 values
    x = np.random.default_rng(0).standard_normal(50)
    with pytest.raises(
        InvalidParameterError,
        match=r"'block_length' parameter of calibrate must be at most the length "
        r"of stationary_stream \(50 values\).*Got " + str(block_length),
    ):
        calibrate(_make, "threshold", stationary_stream=x, block_length=block_length, **KW)


def test_default_block_length_refused_for_a_short_stream():
    x = np.random.default_rng(0).standard_normal(99)
    with pytest.raises(InvalidParameterError, match=r"'block_length'.*Got 100 instead"):
        calibrate(_make, "threshold", stationary_stream=x, **KW)


def test_block_as_long_as_the_stream_is_accepted_and_generator_ignores_it():
    x = np.random.default_rng(0).standard_normal(50)
    res = calibrate(_make, "threshold", stationary_stream=x, block_length=50, **KW)
    assert res.achieved_rate <= 1e-2
    gen = calibrate(
        _make, "threshold", block_length=10**6,
        generator=lambda rng, n: rng.standard_normal(n), **KW,
    )
    assert gen.achieved_rate <= 1e-2
