"""replay_keyed takes RetrainDecisions only, and shows the deployed model's start."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, RetrainDecision
from mllifecycle.twotier import replay_keyed

X = np.zeros((60, 1))
Y = np.array([0, 1] * 30)
KEYS = np.arange(60) % 3


class _Answers:
    def __init__(self, answer):
        self.answer, self.states = answer, []

    def __deepcopy__(self, memo):
        # replay_keyed runs a deep copy of the policy (as replay does): the copy
        # shares this recorder's list, so what it was shown is recorded here
        return copy.copy(self)

    def should_retrain(self, state):
        self.states.append(state)
        return self.answer(state) if callable(self.answer) else self.answer


def _run(policy):
    return replay_keyed(X, Y, KEYS, DummyClassifier(), policy=policy, initial_train_size=10,
                        batch_size=10)


@pytest.mark.parametrize("answer", ["no", "False", 1, True, None, {"retrain": False}])
def test_an_answer_that_is_not_a_decision_is_refused(answer):
    # bool(getattr(decision, "retrain", decision)): "no" and "False" retrained at
    # every batch (retrains=5), as replay would refuse
    with pytest.raises(InvalidParameterError,
                       match=r"'policy' parameter of replay_keyed must be a policy whose "
                             r"should_retrain returns a RetrainDecision"):
        _run(_Answers(answer))


def test_the_state_shows_where_the_deployed_model_started():
    # deployed_at was always 0
    policy = _Answers(lambda s: RetrainDecision(retrain=s.step == 30, reason="t"))
    r = _run(policy)
    assert r.retrains == 1
    assert [(s.step, s.deployed_at) for s in policy.states] == [
        (20, 10), (30, 10), (40, 30), (50, 30), (60, 30)]


def test_built_in_policies_still_work():
    assert _run(Periodic(every=20)).retrains == 2
