"""A function policy's decision-like answer keeps its change point.

``FunctionPolicy`` accepts, besides bools and ``RetrainDecision``, any object
with ``retrain`` and ``reason`` (a user's own decision type). It rebuilt the
decision from those two and dropped ``change_point``, so a window that trains
on the rows since the change (``SinceLastDrift``) silently trained on other
rows.
"""

from __future__ import annotations

import types

import numpy as np

from mllifecycle.policies import FunctionPolicy, LifecycleState, SinceLastDrift
from mllifecycle.replay import replay


def _answer(state):
    return types.SimpleNamespace(retrain=state.step == 400, reason="mine", change_point=250)


def test_change_point_of_a_decision_like_answer_is_kept():
    d = FunctionPolicy(_answer).should_retrain(LifecycleState(step=400))
    assert (d.retrain, d.reason, d.change_point) == (True, "mine", 250)
    d = FunctionPolicy(lambda s: types.SimpleNamespace(retrain=1, reason=2)).should_retrain(
        LifecycleState(step=1)
    )
    assert (d.retrain, d.reason, d.change_point) == (True, "2", None)


def test_replay_trains_on_the_rows_since_that_change_point():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2))
    y = (X[:, 0] > 0).astype(int)
    from sklearn.linear_model import LogisticRegression

    run = replay(
        X,
        y,
        LogisticRegression(),
        {"p": _answer},
        window=SinceLastDrift(50),
        initial_train_size=200,
        batch_size=100,
    )["p"]
    (event,) = run.events
    assert (event.step, event.train_start, event.train_stop) == (400, 250, 400)
