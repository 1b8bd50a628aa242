"""learning_curve names X or y when their shapes do not pair up.

A shorter y was blamed on ``sizes`` (the cap counted y's rows), a longer one
got scikit-learn's "inconsistent numbers of samples", a 1-D X "All the 80
fits failed", and ``y=None`` an ``IndexError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle import budget
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(200, 3))
Y = (X[:, 0] > 0).astype(int)


def _curve(X: Any, y: Any) -> Any:
    return budget.learning_curve(LogisticRegression(), X, y, [20, 40, 80, 150],
                                 n_repeats=1, n_resamples=50, rng=0)


@pytest.mark.parametrize(
    ("x", "y", "arg", "got"),
    [
        (X, Y[:100], "y", r"shape \(100,\)"),
        (X[:100], Y, "y", r"shape \(200,\)"),
        (X, None, "y", r"shape \(\)"),
        (X, 1, "y", r"shape \(\)"),
        (X[:, 0], Y, "X", r"shape \(200,\)"),
    ],
    ids=["short y", "long y", "None y", "scalar y", "1-D X"],
)
def test_mismatched_x_and_y_are_named(x: Any, y: Any, arg: str, got: str) -> None:
    with pytest.raises(InvalidParameterError,
                       match=rf"'{arg}' parameter of learning_curve .*{got}"):
        _curve(x, y)


def test_matching_shapes_still_measure_the_curve() -> None:
    curve = _curve(X, Y)
    assert 0.9 < float(curve.predict(150)[0]) <= 1.0
    assert curve.n_samples == 200.0
