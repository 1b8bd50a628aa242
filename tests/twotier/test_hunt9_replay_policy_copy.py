"""``replay_keyed`` runs a copy of the policy, and takes a plain function as one.

The user's policy object was run as it came: its memory advanced with the
replay, so a second ``replay_keyed`` with the same policy (say, to compare
``local="bias"`` with ``local="blend"``) decided other retrains than the
first, and the policy was left changed. ``replay`` runs a deep copy (what
:func:`mllifecycle.testing.check_policy` checks). A plain function
``state -> bool | RetrainDecision``, a policy wherever one is accepted
(:mod:`mllifecycle.protocols`), was refused.
"""

from __future__ import annotations

import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import personalization_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, RetrainDecision
from mllifecycle.twotier import replay_keyed

S = personalization_stream(4000, n_keys=30, rng=0)


class EveryThird:
    """Retrains at every third decision: a policy with memory (not a built-in)."""

    def __init__(self) -> None:
        self.calls = 0

    def should_retrain(self, state):
        self.calls += 1
        return RetrainDecision(retrain=self.calls % 3 == 0, reason="every third")


def _run(policy, **kw):
    return replay_keyed(S.X, S.y, S.keys, GaussianNB(), policy=policy,
                        initial_train_size=1000, batch_size=250, **kw)


def test_the_same_policy_twice_decides_as_a_fresh_one():
    fresh = _run(EveryThird())
    policy = EveryThird()
    first = _run(policy)
    second = _run(policy)
    # 12 decisions: a retrain at every third
    assert fresh.retrains == 4
    for r in (first, second):
        assert r.retrains == fresh.retrains
        assert r.accuracy == fresh.accuracy
    assert policy.calls == 0  # left as it was given


def test_a_plain_function_is_a_policy():
    def every_500(state):
        return state.samples_since_retrain >= 500

    got = _run(every_500)
    ref = _run(Periodic(every=500))
    assert got.retrains == ref.retrains > 0
    assert got.accuracy == ref.accuracy


@pytest.mark.parametrize("policy", ["periodic", 3, [Periodic(every=500)]])
def test_what_is_no_policy_is_refused(policy):
    with pytest.raises(InvalidParameterError,
                       match=r"'policy' parameter of replay_keyed must be an object with "
                             r"should_retrain\(state\)"):
        _run(policy)


def test_a_policy_class_is_refused():
    with pytest.raises(InvalidParameterError, match=r"instance, e\.g\. EveryThird\(\.\.\.\)"):
        _run(EveryThird)
