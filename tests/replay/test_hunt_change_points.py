"""replay's change_points: a sequence of positions in [0, n_samples], or a clear error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 400
X = rng.normal(size=(N, 2))
Y = (X[:, 0] > 0).astype(int)

BAD = [
    (300, r"'change_points' parameter of replay must be a sequence of stream positions\. "
          r"Got 300 instead"),
    ("300", r"'change_points' parameter of replay must be a sequence of stream positions"),
    ([500], r"'change_points' parameter of replay must be an int in the range \[0, 400\]"),
]


@pytest.mark.parametrize(("change_points", "message"), BAD)
def test_bad_change_points(change_points, message):
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, Y, GaussianNB(), {"never": lambda s: False}, initial_train_size=200,
               change_points=change_points)


def test_change_points_are_kept():
    r = replay(X, Y, GaussianNB(), {"never": lambda s: False}, initial_train_size=200,
               change_points=np.array([250, 300]))
    assert r.change_points == (250, 300)
