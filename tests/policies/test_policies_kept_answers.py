"""AnyOf and CostAware keep their last "keep" answer and give it again when nothing changed.

FunctionPolicy builds its two answers to a bool once per function and
name. (And OnStaleness finds the first stale age with list methods.)

A replay asks a policy at every batch and most answers repeat: ``AnyOf``
returns its previous keep when its children answered with equal
decisions, ``CostAware`` when the source, expected loss and retraining cost
its reason shows are the same floats (signs included). Every test compares
each answer with the one computed afresh: from the children's actual
answers, or by a twin policy whose kept answer is dropped before each call.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.policies import (
    CostAware,
    FunctionPolicy,
    LifecycleState,
    OnStaleness,
    RetrainDecision,
    any_of,
)


def _fields(d):
    return (bool(d.retrain), d.reason, d.change_point)


class MutableDecision:
    """A decision-like object a policy reuses, changing its reason in place."""

    def __init__(self):
        self.retrain = False
        self.reason = "mutable: 0"
        self.change_point = None


class Scripted:
    """A child policy answering from a script of kinds of answers."""

    KEEP_A = RetrainDecision(retrain=False, reason="a: keep")

    def __init__(self, script):
        self.script = list(script)
        self.i = 0
        self.mutable = MutableDecision()
        self.answers = []

    def should_retrain(self, state):
        kind = self.script[self.i % len(self.script)]
        self.i += 1
        if kind == "same":  # the very same frozen object
            d = self.KEEP_A
        elif kind == "equal":  # a new object equal to it
            d = RetrainDecision(retrain=False, reason="a: keep")
        elif kind == "other":
            d = RetrainDecision(retrain=False, reason=f"b: keep at {state.step}")
        elif kind == "retrain":
            d = RetrainDecision(retrain=True, reason="c: retrain", change_point=state.step - 1)
        else:  # the same mutable object, with a new reason
            self.mutable.reason = f"mutable: {state.step}"
            d = self.mutable
        self.answers.append(d)
        return d


KINDS = st.sampled_from(["same", "equal", "other", "retrain", "mutable"])


@settings(max_examples=100, deadline=None)
@given(
    scripts=st.lists(st.lists(KINDS, min_size=1, max_size=6).map(tuple), min_size=1, max_size=4),
    calls=st.integers(1, 30),
)
def test_property_any_of_answers_as_joined_afresh(scripts, calls):
    children = [Scripted(s) for s in scripts]
    policy = any_of(*children)
    for step in range(1, calls + 1):
        got = policy.should_retrain(LifecycleState(step=step))
        ds = [c.answers[-1] for c in children]
        fired = [d for d in ds if d.retrain]
        if not fired:
            want = (False, "; ".join(d.reason for d in ds), None)
        else:
            points = [d.change_point for d in fired if d.change_point is not None]
            want = (True, "; ".join(d.reason for d in fired), min(points) if points else None)
        assert _fields(got) == want


def test_any_of_gives_its_kept_answer_for_the_same_children_answers():
    children = [Scripted(["same"]), Scripted(["equal"])]
    policy = any_of(*children)
    first = policy.should_retrain(LifecycleState(step=1))
    again = policy.should_retrain(LifecycleState(step=2))
    assert again is first  # equal answers: the kept decision
    assert _fields(first) == (False, "a: keep; a: keep", None)


def test_any_of_does_not_keep_an_answer_joined_from_a_mutable_decision():
    children = [Scripted(["same"]), Scripted(["mutable"])]
    policy = any_of(*children)
    reasons = [policy.should_retrain(LifecycleState(step=s)).reason for s in (1, 2, 3)]
    assert reasons == [f"a: keep; mutable: {s}" for s in (1, 2, 3)]


def _twin_answers(make, states):
    kept, fresh = make(), make()
    out = []
    for state in states:
        fresh._kept = None  # computed afresh every time
        out.append((_fields(kept.should_retrain(state)), _fields(fresh.should_retrain(state))))
    return out


@settings(max_examples=100, deadline=None)
@given(
    metrics=st.lists(
        st.tuples(
            st.sampled_from([0.8, 0.9, 0.9, 0.9, 0.95, 0.5, 0.0, 1.0]),
            st.sampled_from([100, 600, 600, 2000]),
            st.sampled_from([0, 0, 0, 1, 2]),
        ),
        min_size=1,
        max_size=40,
    ),
    retrain_cost=st.sampled_from([0.0, -0.0, 1.0, 100.0, 1e9]),
    baseline=st.sampled_from(["best", "latest", 0.9, 0.0, -0.0]),
    horizon=st.sampled_from([1, 1000, 5000]),
)
def test_property_cost_aware_answers_as_computed_afresh(metrics, retrain_cost, baseline, horizon):
    states = [
        LifecycleState(
            step=1000 + 100 * i,
            metric=m,
            metric_n=n,
            model_version=v,
            labels_available=1000 + 100 * i,
            deployed_at=1000,
            retrain_cost=retrain_cost,
        )
        for i, (m, n, v) in enumerate(metrics)
    ]

    def make():
        return CostAware(horizon=horizon, min_samples=500, baseline=baseline)

    for kept, fresh in _twin_answers(make, states):
        assert kept == fresh


def test_cost_aware_keeps_the_sign_of_a_zero_loss():
    # a fixed baseline of -0.0 and a metric of 0.0: the loss is -0.0 and its
    # reason says so; then +0.0 (baseline 0.0 through a fresh policy twin)
    state = LifecycleState(step=10, metric=0.0, metric_n=1000, retrain_cost=5.0)
    neg = CostAware(baseline=-0.0, horizon=10, confidence_level=0.5)
    pos = CostAware(baseline=0.0, horizon=10, confidence_level=0.5)
    r_neg = neg.should_retrain(state).reason
    r_pos = pos.should_retrain(state).reason
    assert "loss of keeping the model -0 <=" in r_neg
    assert "loss of keeping the model 0 <=" in r_pos
    # the kept answer of one sign is not given for the other
    swap = CostAware(baseline=-0.0, horizon=10, confidence_level=0.5)
    assert swap.should_retrain(state).reason == r_neg
    swap.baseline = 0.0
    assert swap.should_retrain(state).reason == r_pos


def test_cost_aware_repeats_its_kept_keep():
    p = CostAware(baseline=0.9, horizon=100, min_samples=10)
    state = LifecycleState(step=10, metric=0.95, metric_n=1000, retrain_cost=5.0)
    first = p.should_retrain(state)
    assert not first.retrain
    assert p.should_retrain(state) is first
    assert _fields(first) == _fields(
        RetrainDecision(
            retrain=False,
            reason="cost-aware (observed): expected loss of keeping the model 0 <= retrain cost 5",
        )
    )
    np.testing.assert_equal(p._kept[0][1], 0.0)


class GivenBounds(OnStaleness):
    """OnStaleness judging bounds given by the test (the search for the stale age)."""

    def _bounds(self, k):
        return list(self.given)

    def _fire(self, state, age_block, a0, aj, n0):
        return RetrainDecision(retrain=True, reason=f"age {age_block}")


@settings(max_examples=300, deadline=None)
@given(
    bounds=st.lists(
        st.one_of(
            st.just(-np.inf),
            st.sampled_from([0.0, 0.01, 0.02, 0.5]),
            st.floats(-1.0, 1.0),
        ),
        min_size=1,
        max_size=63,
    ),
    threshold=st.sampled_from([0.0, 0.01, 0.02, 0.3, 1.0]),
    robust=st.booleans(),
)
def test_property_staleness_finds_the_first_stale_age_as_the_comprehension(
    bounds, threshold, robust
):
    p = GivenBounds(threshold=threshold, robust=robust)
    p.given = bounds
    state = LifecycleState(step=10)
    p._current = [[500.0, 0.0]] * len(p._current)  # (the hit's pairs: complete blocks)
    got = p._judge(state, len(bounds))
    # the search as it was written: ready ages, then the first above the threshold
    ready = [j for j, b in enumerate(bounds, 1) if b != -np.inf]
    if not ready:
        what = "fewer than two models" if robust else "no model"
        assert _fields(got) == (False, f"staleness: {what} of this age seen yet", None)
        return
    hit = next((j for j in ready if bounds[j - 1] > threshold), None)
    if hit is None:
        want = (False, "staleness: models of this age are as good as fresh ones", None)
        assert _fields(got) == want
    else:
        assert _fields(got) == (True, f"age {hit}", None)


def test_function_policy_answers_follow_the_function_and_its_name():
    def alternate(state):
        return np.bool_(state.step % 2) if state.step > 4 else bool(state.step % 2)

    def other(state):
        return False

    p = FunctionPolicy(alternate)
    for step in range(1, 9):
        d = p.should_retrain(LifecycleState(step=step))
        verdict = "retrain" if step % 2 else "keep"
        assert _fields(d) == (bool(step % 2), f"{alternate.__qualname__}: {verdict}", None)
        assert type(d.retrain) is bool
    alternate.__qualname__ = "renamed"  # the name is read at every answer
    assert p.should_retrain(LifecycleState(step=3)).reason == "renamed: retrain"
    p.func = other
    assert p.should_retrain(LifecycleState(step=3)).reason == f"{other.__qualname__}: keep"
