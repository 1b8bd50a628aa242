"""One policy object in several places of a composition is asked once per decision.

``any_of(od, od)`` (or ``od`` again inside a nested ``all_of``, ``cooldown``
or ``budget``) asked ``od`` once per place: its detector was fed each
decision's errors twice and fired at other positions than ``od`` alone.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from mllifecycle.drift.stream import HDDM_A
from mllifecycle.policies import (
    LifecycleState,
    OnDrift,
    Periodic,
    RetrainDecision,
    all_of,
    any_of,
    budget,
    cooldown,
)


class Counting:
    """A user's policy (no base class): retrains every third time it is asked."""

    def __init__(self) -> None:
        self.asked = 0

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        self.asked += 1
        return RetrainDecision(retrain=self.asked % 3 == 0, reason=f"asked {self.asked}")


class CountingFunction:
    """A stateful callable (a function policy, wrapped as FunctionPolicy)."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, state: LifecycleState) -> bool:
        self.asked += 1
        return self.asked % 3 == 0


def _states(n: int = 60, seed: int = 0) -> list[LifecycleState]:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(1, n + 1):
        p = 0.05 if k < n // 2 else 0.45  # the error rate rises halfway
        errors = (rng.random(50) < p).astype(np.float64)
        out.append(LifecycleState(step=50 * k, samples_since_retrain=50 * k,
                                  labels_available=50 * k, new_errors=errors))
    return out


@pytest.mark.parametrize(
    "compose",
    [
        lambda c: any_of(c, c),
        lambda c: all_of(c, c),
        lambda c: any_of(c, all_of(c, lambda s: True)),
        lambda c: all_of(any_of(c, lambda s: False), cooldown(c, 0), budget(c, 100)),
        lambda c: any_of(lambda s: False, cooldown(any_of(c, c), 0)),
    ],
    ids=["any_of twice", "all_of twice", "nested all_of", "cooldown and budget", "deep"],
)
@pytest.mark.parametrize("kind", [Counting, CountingFunction])
def test_a_repeated_part_is_asked_once_per_decision(compose, kind):
    part = kind()
    policy = compose(part)
    answers = [policy.should_retrain(s).retrain for s in _states(12)]
    assert part.asked == 12
    # each composition retrains exactly when its part does (the constant
    # parts never overrule it): on the 3rd, 6th, ... answer of the part
    # asked once per decision (asked twice, it fired on other decisions)
    assert answers == [k % 3 == 0 for k in range(1, 13)]


def test_a_detector_given_twice_fires_where_it_fires_alone():
    states = _states()
    alone = OnDrift(HDDM_A())
    twice_part = OnDrift(HDDM_A())
    nested_part = OnDrift(HDDM_A())
    twice = any_of(twice_part, twice_part)
    nested = any_of(nested_part, all_of(nested_part, Periodic(every=1)))
    want = [alone.should_retrain(s) for s in states]
    got_twice = [twice.should_retrain(s) for s in states]
    got_nested = [nested.should_retrain(s) for s in states]
    fired = [i for i, d in enumerate(want) if d.retrain]
    assert fired  # the rise is detected
    assert [i for i, d in enumerate(got_twice) if d.retrain] == fired
    assert [i for i, d in enumerate(got_nested) if d.retrain] == fired
    assert [d.change_point for d in got_twice] == [d.change_point for d in want]


def test_without_repeats_every_part_is_asked_as_before():
    a, b = Counting(), Counting()
    policy = any_of(a, all_of(b, lambda s: True))
    for s in _states(6):
        policy.should_retrain(s)
    assert (a.asked, b.asked) == (6, 6)


def test_a_copy_mid_stream_continues_as_the_original():
    part = OnDrift(HDDM_A())
    policy = any_of(part, cooldown(part, 0))
    states = _states()
    for s in states[:20]:
        policy.should_retrain(s)
    restored = pickle.loads(pickle.dumps(policy))
    assert restored.policies[0] is restored.policies[1].policy  # still one object
    rest = [policy.should_retrain(s).retrain for s in states[20:]]
    assert [restored.should_retrain(s).retrain for s in states[20:]] == rest


def test_replacing_the_parts_is_seen():
    part = Counting()
    policy = any_of(part, Counting())
    policy.should_retrain(_states(1)[0])
    policy.policies = (part, part)
    policy.should_retrain(_states(1)[0])
    assert part.asked == 2


def test_a_repeated_part_that_fires_gives_its_reason_once():
    c = Counting()
    policy = any_of(c, all_of(c, Periodic(every=1)))
    states = [
        LifecycleState(step=100 * (i + 1), samples_since_retrain=100 * (i + 1))
        for i in range(3)
    ]
    decisions = [policy.should_retrain(s) for s in states]
    assert [d.retrain for d in decisions] == [False, False, True]
    assert decisions[2].reason.count("asked 3") == 1
