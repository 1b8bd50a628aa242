"""A retrain decision's change point: an int stream position in [0, step], or a clear error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import FunctionPolicy, RetrainDecision, SinceLastDrift, any_of
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 600
X = rng.normal(size=(N, 2))
Y = (X[:, 0] > 0).astype(int)


def _policy(cp):
    def fires_at_400(state):
        return RetrainDecision(retrain=state.step >= 400, reason="x", change_point=cp)

    return fires_at_400


class DuckDecision:
    def __init__(self, cp):
        self.retrain, self.reason, self.change_point = True, "duck", cp


PREFIX = r"'change_point' parameter of the decision of policy 'p' at step 400 must be None or "
PREFIX += r"an int stream position in \[0, 400\] \(a change not after the decision\)\. "

# beyond the decision's step: only the replay knows the step
AFTER_THE_STEP = [
    (_policy(401), PREFIX + r"Got 401 instead"),
    (_policy(10**6), PREFIX + r"Got 1000000 instead"),
]


@pytest.mark.parametrize(("policy", "message"), AFTER_THE_STEP)
def test_change_points_after_the_step_name_the_policy(policy, message):
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, Y, GaussianNB(), {"p": policy}, initial_train_size=300, batch_size=100,
               label_delay=50)


# never a stream position: refused when the decision is built, inside the
# user's policy, naming the field and the class
AT = r"'change_point' parameter of RetrainDecision must be None or a non-negative int "
AT += r"stream position\. "

NOT_A_POSITION = [
    (_policy(-5), AT + r"Got -5 instead"),
    (_policy(2.5), AT + r"Got 2\.5 instead"),
    (_policy(300.0), AT + r"Got 300\.0 instead"),
    (_policy(float("nan")), AT + r"Got nan instead"),
    (_policy("300"), AT + r"Got '300' instead"),
    (_policy(True), AT + r"Got True instead"),
    (_policy(np.float64(3.0)), AT + r"Got (np\.float64\(3\.0\)|3\.0) instead"),
    # a function policy's duck-typed decision, and a combinator's
    (lambda s: DuckDecision(-1) if s.step >= 400 else False, AT + r"Got -1 instead"),
    (any_of(_policy(-2), lambda s: False), AT + r"Got -2 instead"),
]


@pytest.mark.parametrize(("policy", "message"), NOT_A_POSITION)
def test_impossible_change_points_are_refused_in_the_policy(policy, message):
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, Y, GaussianNB(), {"p": policy}, initial_train_size=300, batch_size=100,
               label_delay=50)


@pytest.mark.parametrize("cp", [0, 120, np.int64(250), 380, 400])
def test_good_change_points_are_used(cp):
    # 380 and 400 lie past the labelled rows (label_delay=50): allowed, and the
    # window trains on labelled rows only
    r = replay(X, Y, GaussianNB(), {"p": FunctionPolicy(_policy(cp))}, initial_train_size=300,
               batch_size=100, label_delay=50, window=SinceLastDrift(20))
    first = r["p"].events[0]
    assert first.step == 400
    assert first.train_start == min(int(cp), 350 - 20)
    assert first.train_stop == 350
