"""Combinators check their policies' answers before reading ``retrain``.

``any_of`` and ``all_of`` read ``d.retrain`` of each wrapped policy's answer
unchecked: a user's policy answering a decision-like object with
``retrain="no"`` (a truthy string) made them retrain, silently, and in a
replay at every batch. ``cooldown`` and ``budget`` passed such an answer on
unchanged, and a bool answer failed with a bare ``AttributeError``.
Decision-like answers are read as ``RetrainDecision`` reads its fields (as
``FunctionPolicy`` reads a function's); anything else is refused.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    LifecycleState,
    Periodic,
    RetrainDecision,
    all_of,
    any_of,
    budget,
    cooldown,
)
from mllifecycle.replay import replay


class _SaysNo:
    """A user's policy answering a decision-like object whose retrain is the string "no"."""

    def should_retrain(self, state):
        return types.SimpleNamespace(retrain="no", reason="mine: keep", change_point=None)


class _Bool:
    def should_retrain(self, state):
        return False


class _Decision(RetrainDecision):
    pass


class _Sub:
    """A policy answering a subclass of RetrainDecision (accepted)."""

    def should_retrain(self, state):
        return _Decision(retrain=False, reason="sub: keep")


_STATE = LifecycleState(step=10, samples_since_retrain=10)


@pytest.mark.parametrize(
    ("make", "name", "caller"),
    [
        (lambda p: any_of(p, lambda s: False), "policies[0]", "any_of"),
        (lambda p: all_of(lambda s: True, p), "policies[1]", "all_of"),
        (lambda p: cooldown(p, 0), "policy", "cooldown"),
        (lambda p: budget(p, 5), "policy", "budget"),
        (lambda p: any_of(Periodic(every=100), cooldown(p, 0)), "policy", "cooldown"),
    ],
)
@pytest.mark.parametrize("inner", [_SaysNo, _Bool])
def test_a_non_decision_answer_is_refused_naming_the_policy(make, name, caller, inner):
    with pytest.raises(InvalidParameterError) as info:
        make(inner()).should_retrain(_STATE)
    msg = str(info.value)
    assert f"'{name}' parameter of {caller}" in msg
    assert "returns a RetrainDecision" in msg
    assert f"{inner.__name__}.should_retrain returning" in msg
    if inner is _SaysNo:
        assert "retrain='no'" in msg


class _Plain:
    """A decision-like answer with a real bool (accepted, read as a RetrainDecision)."""

    def __init__(self, retrain, change_point=None):
        self.retrain, self.change_point = retrain, change_point

    def should_retrain(self, state):
        return types.SimpleNamespace(retrain=self.retrain, reason="plain",
                                     change_point=self.change_point)


def test_decision_like_answers_are_read_as_decisions():
    d = cooldown(_Plain(True, 3), 0).should_retrain(_STATE)
    assert type(d) is RetrainDecision
    assert (d.retrain, d.reason, d.change_point) == (True, "plain", 3)
    d = budget(_Plain(np.bool_(False)), 5).should_retrain(_STATE)
    assert type(d) is RetrainDecision
    assert d.retrain is False
    d = any_of(_Plain(False), _Plain(True, 4)).should_retrain(_STATE)
    assert (d.retrain, d.reason, d.change_point) == (True, "plain", 4)
    d = all_of(_Plain(True, 2), _Plain(False)).should_retrain(_STATE)
    assert (d.retrain, d.reason) == (False, "plain; plain")


def test_decisions_and_their_subclasses_still_pass():
    assert any_of(_Sub(), lambda s: False).should_retrain(_STATE).retrain is False
    assert all_of(_Sub(), lambda s: True).should_retrain(_STATE).retrain is False
    assert cooldown(_Sub(), 0).should_retrain(_STATE).reason == "sub: keep"
    assert budget(_Sub(), 1).should_retrain(_STATE).reason == "sub: keep"
    d = any_of(Periodic(every=5), _Sub()).should_retrain(_STATE)
    assert d.retrain is True
    assert d.reason.startswith("periodic")


def test_replay_no_longer_retrains_on_a_no():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(InvalidParameterError, match="policies\\[0\\]' parameter of any_of"):
        replay(X, y, LogisticRegression(), {"p": any_of(_SaysNo(), lambda s: False)},
               initial_train_size=100, batch_size=50)
