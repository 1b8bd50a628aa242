"""Hunt 5: wrong answers and unclear errors in transfer (progressive stage names, CORAL rows)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL, finetune, progressive

LR = LogisticRegression()


def data(seed: int = 0):
    rng = np.random.default_rng(seed)
    Xs = rng.normal(size=(200, 3))
    ys = (Xs[:, 0] > 0).astype(int)
    Xt = rng.normal(size=(40, 3))
    yt = (Xt[:, 0] > 0.2).astype(int)
    return (Xs, ys), (Xt, yt), np.repeat(np.arange(8), 5)


def test_progressive_refuses_stage_keys_with_one_name():
    # {1: ..., "1": ...} made two stages named '1': to_metrics() reported only the
    # second one's figures (the first stage's score silently gone)
    source, target, g = data(0)
    val = data(5)[1]
    with pytest.raises(InvalidParameterError,
                       match=r"The 'stages' parameter of progressive must be a dict whose "
                             r"keys name distinct stages \(as text\)\. Got keys \[1, '1'\] "
                             r"all named '1' instead"):
        progressive(LR, {1: source, "1": target}, validation=val, rng=0)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'groups' parameter of progressive must be a dict with one "
                             r"entry per stage name\. Got keys \[2, '2'\] all naming stage "
                             r"'2'"):
        progressive(LR, {1: source, 2: target}, validation=val, groups={2: g, "2": g[::-1]},
                    rng=0)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"X": np.ones((1, 2))},
     r"The 'X' parameter of CORAL must be an array with at least 2 samples \(rows\) to "
     r"estimate a covariance\. Got 1 sample instead\."),
    ({"X": np.arange(10.0).reshape(5, 2), "X_target": np.ones((1, 2))},
     r"The 'X_target' parameter of CORAL must be an array with at least 2 target samples "
     r"\(rows\) to estimate a covariance\. Got 1 sample instead\."),
])
def test_coral_names_the_argument_with_one_row(kwargs, match):
    # a bare ValueError ("CORAL needs at least 2 samples ...") named no argument
    with pytest.raises(InvalidParameterError, match=match):
        CORAL().fit(**kwargs)


@pytest.mark.parametrize(("schedule", "got"), [
    (lambda e: 1.0 - e, r"a schedule whose schedule\(1\) gave a learning rate of 0\.0 "
                        r"\(0\.0 x eta0=0\.1\)"),
    (lambda e: None, r"a schedule whose schedule\(0\) returned None"),
    (lambda e: "0.5", r"a schedule whose schedule\(0\) returned '0\.5'"),
    (lambda e: True, r"a schedule whose schedule\(0\) returned True"),
])
def test_a_bad_schedule_value_names_schedule(schedule, got):
    # a bare ValueError/TypeError naming no argument; text was parsed as a number
    from sklearn.linear_model import SGDClassifier

    source, target, _ = data(0)
    sgd = SGDClassifier(learning_rate="constant", eta0=0.1)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'schedule' parameter of finetune must be a callable "
                             r"schedule\(epoch\) returning a positive, finite multiplier of "
                             r"eta0\. Got " + got):
        finetune(sgd, source, target, strategy="partial_fit", schedule=schedule, rng=0)
    with pytest.raises(InvalidParameterError, match=r"The 'schedule' parameter of progressive"):
        progressive(sgd, [source, target], validation=target, strategy="partial_fit",
                    schedule=schedule, rng=0)
