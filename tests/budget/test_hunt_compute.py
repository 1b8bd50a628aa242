"""Hunt: time_fits with sizes that are not whole row counts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.budget import time_fits
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(400, 3))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    "sizes",
    [
        # 100.9 was timed (and recorded) as 100, 2.9 as 2
        [100.9, 200.5, 300.2],
        [100, 200, 2.9],
        [0.25, 0.5, 0.75],
        [100, 200, np.nan],
    ],
)
def test_fractional_sizes_are_refused(sizes):
    with pytest.raises(
        InvalidParameterError,
        match=r"'sizes' parameter of time_fits must be (integer row counts|positive, finite)",
    ):
        time_fits(LogisticRegression(), X, Y, sizes, repeats=1, rng=0)


def test_whole_float_sizes_are_row_counts():
    m = time_fits(LogisticRegression(), X, Y, [100.0, 200.0, 300.0], repeats=1, rng=0)
    assert m.n_samples.tolist() == [100.0, 200.0, 300.0]
