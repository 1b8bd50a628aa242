"""replay refuses missing labels in object, string or categorical y."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 400
X = rng.normal(size=(N, 2))
Y = np.where(X[:, 0] > 0, "a", "b").astype(object)


def _hole(value, at=300):
    y = Y.copy()
    y[at] = value
    return y


BAD = [
    ({"y": _hole(None)}, r"'y' parameter of replay must be free of missing labels "
                         r"\(None, NaN or pd\.NA\)\. Got 1 missing label\(s\), the first "
                         r"at row 300"),
    ({"y": _hole(np.nan)}, r"'y' .*Got 1 missing label\(s\), the first at row 300"),
    ({"y": _hole(None, at=10)}, r"'y' .*Got 1 missing label\(s\), the first at row 10"),
    ({"y": pd.Series(_hole(None), dtype="string")}, r"'y' .*Got 1 missing label"),
    ({"y": pd.Series(pd.Categorical(_hole(None)))}, r"'y' .*Got 1 missing label"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_bad_input(kwargs, message):
    args = {"y": Y, **kwargs}
    y = args.pop("y")
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, y, GaussianNB(), {"never": lambda s: False}, initial_train_size=200, **args)


def test_complete_object_labels_are_scored():
    r = replay(X, Y, GaussianNB(), {"never": lambda s: False}, initial_train_size=200)
    model = GaussianNB().fit(X[:200], Y[:200])
    assert r["never"].errors == int((model.predict(X[200:]) != Y[200:]).sum())
