"""Initial rows of one class: refused naming initial_train_size, not scikit-learn's message.

A classifier that needs two classes failed at the first fit with its own
error ("This solver needs samples of at least 2 classes"), naming nothing the
replay was given. An estimator that fits on one class still runs.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.replay import replay

RNG = np.random.default_rng(0)
X = RNG.normal(size=(80, 3))
Y = (X[:, 0] > 0).astype(int)
Y[:5] = 1


def never(state):
    return False


def test_one_class_initial_rows_are_named():
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'initial_train_size' parameter of replay must be enough initial rows for "
        r"the first model to see at least 2 classes .*Got 3 initial row\(s\), all of the "
        r"class 1, on which LogisticRegression failed \(ValueError: ",
    ):
        replay(X, Y, LogisticRegression(), {"n": never}, initial_train_size=3, batch_size=10)


def test_an_estimator_fitting_one_class_still_runs():
    r = replay(X, Y, DummyClassifier(), {"n": never}, initial_train_size=3, batch_size=10)
    assert r["n"].accuracy == pytest.approx(float(np.mean(Y[3:] == 1)))
