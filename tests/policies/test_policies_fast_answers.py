"""The policies' per-batch shortcuts answer as the validated constructors do."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from mllifecycle.policies import (
    FunctionPolicy,
    LifecycleState,
    OnChallengerBetter,
    OnSettledBelowFloor,
    OnStaleness,
    RetrainDecision,
    any_of,
)
from mllifecycle.policies._challenger import _sign_test_p


def answer_true(state):
    return True


def answer_false(state):
    return False


def answer_numpy(state):
    return np.bool_(state.step > 5)


@pytest.mark.parametrize(
    ("func", "step", "want"),
    [
        (answer_true, 1, True),
        (answer_false, 1, False),
        (answer_numpy, 9, True),
        (answer_numpy, 1, False),
    ],
)
def test_function_policy_bool_answers_equal_checked_decisions(func, step, want):
    d = FunctionPolicy(func).should_retrain(LifecycleState(step=step))
    verdict = "retrain" if want else "keep"
    assert d == RetrainDecision(retrain=want, reason=f"{func.__qualname__}: {verdict}")
    assert type(d.retrain) is bool
    assert d.change_point is None


def test_shared_keep_answers_are_frozen_and_equal_fresh_ones():
    state = LifecycleState(step=10, labels_available=10, new_errors=np.zeros(10))
    for policy in (OnChallengerBetter(), OnSettledBelowFloor(), OnStaleness()):
        d = policy.should_retrain(state)
        assert not d.retrain
        assert d == RetrainDecision(retrain=False, reason=d.reason)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            d.reason = "changed"  # type: ignore[misc]


def test_any_of_keep_joins_every_reason():
    p = any_of(answer_false, OnStaleness())
    d = p.should_retrain(LifecycleState(step=10, labels_available=10, new_errors=np.zeros(10)))
    assert d == RetrainDecision(
        retrain=False, reason="answer_false: keep; staleness: model too young to judge"
    )


@pytest.mark.parametrize(("wins", "losses"), [(0, 0), (3, 1), (12, 2), (40, 25)])
def test_cached_sign_test_is_scipys(wins, losses):
    assert _sign_test_p(wins, losses) == _sign_test_p.__wrapped__(wins, losses)
    assert _sign_test_p(wins, losses) == _sign_test_p(wins, losses)
