"""Gates read the models' probabilities in the columns of the problem's classes.

A gate reads 2-D probabilities as one column per class of ``y_true``,
sorted; a model's ``predict_proba`` has one column per class of its own
``classes_``. When a class disappears or appears later in the stream the two
differ, and reading one as the other scored the champion against the wrong
classes: a champion that is wrong on every holdout row looked perfect, and
a log-loss gate refused a challenger that is right on every row.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay

gates = pytest.importorskip("mllifecycle.gates")


class Spy:
    """Records the gate contexts, then runs a log-loss no-regression gate."""

    def __init__(self):
        self.contexts = []

    def check(self, context):
        self.contexts.append(context)
        return gates.NoRegression("log_loss", margin=0.0, n_resamples=200).check(context)


def _stream(later):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1200, 2))
    y = (X[:, 0] > 0).astype(int)  # classes 0 and 1 for the first model
    y[600:] = later(X[600:, 0])
    return X, y


def _replay(X, y, gate):
    # the first model is trained on rows 0:300; the retrain at 900 on rows
    # 700:840, with 840:900 held out for the gate
    return replay(
        X,
        y,
        LogisticRegression(),
        {"p": Periodic(every=600)},
        window=SlidingWindow(200),
        initial_train_size=300,
        batch_size=100,
        gates=[gate],
        gate_holdout=0.3,
    )["p"]


def test_champion_with_other_classes_is_not_read_as_the_holdouts():
    # later the classes are 1 and 2: the champion (classes 0, 1) is wrong on
    # every row, the challenger (classes 1, 2) right on every row
    X, y = _stream(lambda x: np.where(x > 0, 2, 1))
    champion = LogisticRegression().fit(X[:300], y[:300])
    assert (champion.predict(X[840:900]) != y[840:900]).all()
    spy = Spy()
    run = _replay(X, y, spy)
    # the gate's problem has the labels of both models and the holdout (0, 1,
    # 2): the champion's probabilities go in the columns of its own classes
    # (it was refused mid-replay when only the holdout's classes 1, 2 counted)
    ctx = spy.contexts[0]
    assert ctx.classes.tolist() == [0, 1, 2]
    assert ctx.champion_proba.shape == (60, 3)
    np.testing.assert_array_equal(ctx.champion_proba[:, 2], 0.0)
    assert ctx.challenger_proba.shape == (60, 3)
    np.testing.assert_array_equal(ctx.challenger_proba[:, 0], 0.0)
    # the right challenger passes the log-loss gate against the wrong champion
    assert run.events[-1].deployed


def test_champion_missing_a_new_class_gets_a_zero_column():
    # later a third class appears: the champion (classes 0, 1) gives it probability 0
    X, y = _stream(lambda x: np.digitize(x, [-0.5, 0.5]))
    spy = Spy()
    run = _replay(X, y, spy)
    ctx = spy.contexts[0]
    assert np.unique(ctx.y_true).tolist() == [0, 1, 2]
    champion = LogisticRegression().fit(X[:300], y[:300])
    want = np.column_stack([champion.predict_proba(X[840:900]), np.zeros(60)])
    assert np.array_equal(ctx.champion_proba, want)
    # the challenger, trained on the three classes, is better: deployed
    assert run.events[0].deployed
