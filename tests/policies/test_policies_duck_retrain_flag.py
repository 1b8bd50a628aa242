"""A function policy's decision-like answer has its ``retrain`` flag checked.

``FunctionPolicy`` rebuilt a decision-like answer (an object with ``retrain``
and ``reason``) with ``bool(out.retrain)``, so ``retrain="False"`` or
``"no"`` retrained, silently, where ``RetrainDecision`` refuses them.
"""

from __future__ import annotations

import types

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import FunctionPolicy, LifecycleState, any_of


def _duck(flag):
    return FunctionPolicy(lambda s: types.SimpleNamespace(retrain=flag, reason="mine"))


@pytest.mark.parametrize("flag", ["False", "no", None, 0.5, 2, np.float64(1.0)])
def test_a_flag_that_is_not_a_bool_is_refused(flag):
    with pytest.raises(InvalidParameterError, match=r"'retrain' parameter of RetrainDecision"):
        _duck(flag).should_retrain(LifecycleState(step=10))


def test_inside_a_combinator_it_is_refused_too():
    with pytest.raises(InvalidParameterError, match=r"'retrain'"):
        any_of(_duck("False"), lambda s: False).should_retrain(LifecycleState(step=10))


@pytest.mark.parametrize(
    ("flag", "want"), [(True, True), (False, False), (np.True_, True), (0, False), (1, True)]
)
def test_bools_and_0_1_are_read_as_before(flag, want):
    d = _duck(flag).should_retrain(LifecycleState(step=10))
    assert d.retrain is want
    assert d.reason == "mine"
