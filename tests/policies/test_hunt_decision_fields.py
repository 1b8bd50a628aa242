"""Decisions, windows and states refuse impossible values when built, naming the field."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    FunctionPolicy,
    LifecycleState,
    OnDrift,
    RetrainDecision,
    WindowSelection,
    any_of,
)

CP = (
    r"The 'change_point' parameter of RetrainDecision must be None or a non-negative int "
    r"stream position\. Got {} instead\."
)

BAD_CHANGE_POINTS = [
    (-1, "-1"),
    (-(10**30), r"-1000000000000000000000000000000"),
    (np.int64(-3), r"(np\.int64\()?-3\)?"),
    (True, "True"),
    (np.bool_(False), r"(np\.)?False\_?\)?"),
    (2.5, r"2\.5"),
    (3.0, r"3\.0"),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    ("7", "'7'"),
]


@pytest.mark.parametrize(("cp", "shown"), BAD_CHANGE_POINTS)
def test_impossible_change_points_are_refused_at_construction(cp, shown):
    with pytest.raises(InvalidParameterError, match=CP.format(shown)):
        RetrainDecision(retrain=True, reason="x", change_point=cp)


@pytest.mark.parametrize("cp", [None, 0, 7, np.int64(250), np.uint8(3), 10**20])
def test_possible_change_points_are_kept(cp):
    d = RetrainDecision(retrain=True, reason="x", change_point=cp)
    assert d.change_point is cp or d.change_point == cp
    assert pickle.loads(pickle.dumps(d)) == d


class _ClassPolicy:
    def should_retrain(self, state):
        return RetrainDecision(retrain=True, reason="mine", change_point=state.step - 20)


class _Duck:
    retrain, reason, change_point = True, "duck", 2.5


USER_POLICIES = [
    # a class policy building the decision itself
    (_ClassPolicy(), "-10"),
    # a function policy returning a decision-like object
    (FunctionPolicy(lambda s: _Duck()), r"2\.5"),
    # inside a combinator
    (any_of(_ClassPolicy(), lambda s: False), "-10"),
]


@pytest.mark.parametrize(("policy", "shown"), USER_POLICIES)
def test_user_policies_get_the_error_naming_change_point_and_the_class(policy, shown):
    with pytest.raises(InvalidParameterError, match=CP.format(shown)):
        policy.should_retrain(LifecycleState(step=10))


BAD_FLAGS = ["no", "False", None, 2, -1, 0.5, np.float64(1.0)]


@pytest.mark.parametrize("flag", BAD_FLAGS)
def test_retrain_must_be_a_bool(flag):
    # bool("no") is True: read silently it would retrain
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'retrain' parameter of RetrainDecision must be a bool \(or the int 0 or "
        r"1\)\. Got .* instead",
    ):
        RetrainDecision(retrain=flag, reason="x")


@pytest.mark.parametrize(("flag", "expected"), [
    (True, True), (False, False), (np.bool_(True), True), (1, True), (0, False),
])
def test_bools_and_zero_one_are_read_as_bools(flag, expected):
    assert RetrainDecision(retrain=flag, reason="x").retrain is expected


def test_reason_must_be_a_str():
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'reason' parameter of RetrainDecision must be a str\. Got None instead",
    ):
        RetrainDecision(retrain=True, reason=None)


W = r"The '{}' parameter of WindowSelection must be "

BAD_WINDOWS = [
    ({"start": -1, "stop": 3}, W.format("start") + r"a non-negative int.* Got -1 instead"),
    ({"start": 5, "stop": 2}, W.format("stop") + r".*0 <= start <= stop \(start is 5\)\. "
     r"Got 2 instead"),
    ({"start": 2.5, "stop": 3}, W.format("start") + r"a non-negative int row position\. "
     r"Got 2\.5 instead"),
    ({"start": 0, "stop": True}, W.format("stop") + r"a non-negative int row position\. "
     r"Got True instead"),
    ({"start": 0, "stop": float("nan")}, W.format("stop") + r".* Got nan instead"),
    ({"start": 0, "stop": 2, "sample_weight": np.ones(3)},
     W.format("sample_weight") + r"one weight per selected row \(a 1-D array of 2 weights\)\. "
     r"Got an array of shape \(3,\) instead"),
    ({"start": 0, "stop": 2, "sample_weight": np.ones((2, 1))},
     W.format("sample_weight") + r"one weight per selected row .* Got an array of shape "
     r"\(2, 1\) instead"),
    ({"start": 0, "stop": 2, "sample_weight": np.array([1.0, -0.5])},
     W.format("sample_weight") + r"finite non-negative weights\. Got a weight -0\.5 instead"),
    ({"start": 0, "stop": 2, "sample_weight": np.array([1.0, np.nan])},
     W.format("sample_weight") + r"finite non-negative weights\. Got a weight nan instead"),
    ({"start": 0, "stop": 2, "sample_weight": ["a", "b"]},
     W.format("sample_weight") + r"one weight per selected row \(2 numbers\)"),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_WINDOWS)
def test_impossible_windows_are_refused(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        WindowSelection(**kwargs)


def test_possible_windows_are_kept():
    assert WindowSelection(start=np.int64(2), stop=2).n_samples == 0
    w = WindowSelection(start=1, stop=3, sample_weight=np.array([0.0, 1.0]))
    assert w.n_samples == 2
    assert WindowSelection(start=0, stop=2, sample_weight=[1, 2]).n_samples == 2


S = r"The '{}' parameter of LifecycleState must be "

BAD_STATES = [
    ({"step": 10, "current_proba": np.array([[0.2, 1.5]])},
     S.format("current_proba") + r"an array of class probabilities in \[0, 1\]\. "
     r"Got a value 1\.5 instead"),
    ({"step": 10, "current_proba": np.array([[-0.1, 1.1]])},
     S.format("current_proba") + r"an array of class probabilities in \[0, 1\]\. "
     r"Got a value -0\.1 instead"),
    ({"step": 10, "current_proba": np.array([["a", "b"]])},
     S.format("current_proba") + r"an array of class probabilities in \[0, 1\] or None\. "
     r"Got an array of dtype <U1 instead"),
    ({"step": 10, "time_since_retrain": -1.0},
     S.format("time_since_retrain") + r"a finite non-negative float \(an elapsed time\) or "
     r"None\. Got -1\.0 instead"),
    ({"step": 3, "current_X": np.zeros((5, 2))},
     S.format("current_X") + r"at most step \(3\) rows, the latest batch of the samples "
     r"seen\. Got an array of shape \(5, 2\) instead"),
    ({"step": 3, "current_proba": np.full((5, 2), 0.5)},
     S.format("current_proba") + r"at most step \(3\) rows.* Got an array of shape \(5, 2\)"),
    # counts and positions among the samples seen cannot exceed step
    ({"step": 100, "samples_since_retrain": 101},
     S.format("samples_since_retrain") + r"at most step \(100\), a count or position among "
     r"the samples seen\. Got 101 instead"),
    ({"step": 100, "labels_available": 5000},
     S.format("labels_available") + r"at most step \(100\).* Got 5000 instead"),
    ({"step": 100, "deployed_at": 150},
     S.format("deployed_at") + r"at most step \(100\).* Got 150 instead"),
    ({"step": 100, "last_change_point": 101},
     S.format("last_change_point") + r"at most step \(100\), a position among the samples "
     r"seen\. Got 101 instead"),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_STATES)
def test_impossible_states_are_refused(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        LifecycleState(**kwargs)


def test_a_batch_longer_than_the_stream_no_longer_gives_a_negative_change_point():
    # OnDrift reads the batch as rows step - len(batch):step
    class _Drifted:
        drift_detected = True

    def always(reference, current):
        return _Drifted()

    p = OnDrift(always)
    ok = LifecycleState(step=40, current_X=np.zeros((40, 1)), reference_X=np.ones((40, 1)))
    d = p.should_retrain(ok)
    assert d.retrain
    assert d.change_point == 0
    with pytest.raises(InvalidParameterError, match="'current_X' parameter of LifecycleState"):
        LifecycleState(step=39, current_X=np.zeros((40, 1)), reference_X=np.ones((40, 1)))


def test_possible_states_are_kept():
    s = LifecycleState(step=2, current_proba=np.array([[0.0, 1.0], [0.5, 0.5]]),
                       time_since_retrain=0.0, current_X=np.zeros((2, 3)))
    assert s.current_proba.shape == (2, 2)
    assert LifecycleState(step=0, current_proba=np.array([[True, False]])[:0]).step == 0
    edge = LifecycleState(step=100, samples_since_retrain=100, labels_available=100,
                          deployed_at=100, last_change_point=100)
    assert edge.last_change_point == edge.deployed_at == 100


@pytest.mark.parametrize("label_delay", [0, 250])
def test_every_state_replay_builds_passes_the_validators(label_delay):
    # replay builds its states without the validators (for speed): each must
    # still be a state the constructor accepts, the new bounds by step included
    import attrs
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.policies import OnChallengerBetter, Periodic
    from mllifecycle.replay import replay

    g = np.random.default_rng(0)
    X = g.normal(size=(2500, 3))
    y = (X[:, 0] + np.where(np.arange(2500) > 1500, 1.5, 0.0) > 0.5).astype(int)
    seen = []

    class Recording:
        def __init__(self, inner):
            self.inner = inner

        def should_retrain(self, state):
            seen.append(state)
            return self.inner.should_retrain(state)

    replay(
        X, y, LogisticRegression(),
        {"periodic": Recording(Periodic(every=400)),
         "challenger": Recording(OnChallengerBetter(every=500))},
        label_delay=label_delay, initial_train_size=500, batch_size=100,
    )
    assert len(seen) == 2 * 20
    names = [f.name for f in attrs.fields(LifecycleState)]
    for state in seen:
        rebuilt = LifecycleState(**{name: getattr(state, name) for name in names})
        assert rebuilt.step == state.step
        assert state.samples_since_retrain <= state.step
        assert state.labels_available <= state.step
