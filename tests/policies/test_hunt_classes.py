"""A policy class passed where a policy instance is expected is refused by name."""

from __future__ import annotations

import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    LifecycleState,
    OnDrift,
    Periodic,
    all_of,
    any_of,
    as_policy,
    budget,
    cooldown,
)

BAD = [
    (
        lambda: as_policy(Periodic),
        r"'policy' parameter must be a RetrainPolicy instance, e\.g\. Periodic\(\.\.\.\)\. "
        r"Got the class Periodic instead",
    ),
    (lambda: any_of(Periodic(every=5), OnDrift), r"'policies\[1\]' parameter of any_of"),
    (lambda: all_of(Periodic), r"'policies\[0\]' parameter of all_of"),
    (lambda: cooldown(Periodic, 5), r"'policy' parameter of cooldown .*Got the class Periodic"),
    (lambda: budget(OnDrift, 5), r"'policy' parameter of budget .*Got the class OnDrift"),
]


@pytest.mark.parametrize(("make", "message"), BAD)
def test_a_policy_class_is_not_a_policy(make, message):
    with pytest.raises(InvalidParameterError, match=message):
        make()


def test_instances_and_functions_still_pass():
    p = cooldown(Periodic(every=5), 3)
    assert p.should_retrain(LifecycleState(step=9, samples_since_retrain=5)).retrain
    assert not p.should_retrain(LifecycleState(step=9, samples_since_retrain=2)).retrain
    f = as_policy(lambda s: s.step > 3)
    assert f.should_retrain(LifecycleState(step=4)).retrain
