"""replay's performance estimator is never calibrated with a label read as another class."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay
from mllifecycle.replay._replay import _fit_estimator, _label_columns


class Recorder:
    """A performance estimator that records what it was fitted on."""

    fits: ClassVar[list] = []

    def fit(self, *, y_true, y_proba):
        Recorder.fits.append((np.asarray(y_true).copy(), np.asarray(y_proba).shape))
        return self

    def estimate(self, proba):
        est = type("E", (), {"value": 0.5, "std_error": 0.01})()
        return {"accuracy": est}


class Pass:
    def check(self, context):
        return type("R", (), {"passed": True, "reasons": ["ok"]})()


@pytest.mark.parametrize(
    ("classes", "y", "want"),
    [
        ([0, 2], [0, 2, 2], [0, 1, 1]),
        (["b", "a"], ["a", "b"], [1, 0]),  # classes_ not sorted: each label's own column
        ([0, 2], [0, 1], None),  # 1 would have been read as class 2
        ([0, 2], [3], None),
        ([0, 2], [-1], None),
    ],
)
def test_label_columns(classes, y, want):
    got = _label_columns(np.asarray(classes), np.asarray(y))
    assert (got is None) if want is None else got.tolist() == want


def test_a_label_the_model_never_saw_gets_no_estimator():
    X = np.r_[np.zeros((5, 1)), np.ones((5, 1))]
    model = GaussianNB().fit(X, [0] * 5 + [2] * 5)
    Recorder.fits = []
    rows = np.array([[0.0], [1.0], [0.5]])
    assert _fit_estimator(Recorder(), model, rows, np.array([0, 1, 2])) is None
    assert Recorder.fits == []  # before: fitted with the label 1 read as class 2 (column 1)


def test_replay_with_a_class_only_in_the_gate_holdout():
    rng = np.random.default_rng(0)
    n = 500
    X = rng.normal(size=(n, 2))
    y = np.where(X[:, 0] > 0, 2, 0)
    y[380:400] = 1  # class 1 only in the gate holdout of the retrain at step 400
    X[380:400, 1] += 5
    Recorder.fits = []
    seen = {}

    def spy(state):
        seen[state.step] = state.estimated_metric
        return Periodic(every=100).should_retrain(state)

    replay(X, y, GaussianNB(), {"p": spy}, initial_train_size=300, batch_size=100,
           window=SlidingWindow(100), gates=[Pass()], gate_holdout=0.2,
           performance_estimator=Recorder())
    # every fit saw only labels the model has a column for
    for y_true, shape in Recorder.fits:
        assert y_true.max() < shape[1]
    # the model deployed at step 400 (trained on 300:380, classes {0, 2}) has no estimate
    assert seen[400] == 0.5
    assert seen[500] is None
