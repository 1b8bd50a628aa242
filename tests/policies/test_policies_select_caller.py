"""select's refusals name select, not the replay it runs for each candidate.

Its inputs (``X``, ``y``, the replay keywords) are checked by the replay of
each candidate, whose errors said "The 'X' parameter of replay": a call the
user never made. Serial and parallel runs alike.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, select

RNG = np.random.default_rng(0)
X = RNG.normal(size=(80, 3))
Y = (X[:, 0] > 0).astype(int)
CANDIDATES = {"p": Periodic(every=10), "q": Periodic(every=20)}


def _nan_x():
    Xn = X.copy()
    Xn[5, 1] = np.nan
    return Xn


@pytest.mark.parametrize("n_jobs", [None, 2])
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"X": "nan"}, r"The 'X' parameter of select must be free of NaN"),
        ({"y": Y[:50]}, r"The 'y' parameter of select must be"),
        ({"batch_size": 0}, r"The 'batch_size' parameter of select must be"),
        ({"initial_train_size": 3, "y": np.r_[np.ones(5, int), Y[5:]]},
         r"The 'initial_train_size' parameter of select must be enough initial rows"),
    ],
    ids=["nan-X", "short-y", "batch-size", "initial-size"],
)
def test_refusals_name_select(kwargs, message, n_jobs):
    args = {"X": X, "y": Y, "initial_train_size": 20, "batch_size": 10, **kwargs}
    if isinstance(args["X"], str):
        args["X"] = _nan_x()
    with pytest.raises(InvalidParameterError, match=message):
        select(args.pop("X"), args.pop("y"), LogisticRegression(), CANDIDATES, n_jobs=n_jobs,
               **args)
