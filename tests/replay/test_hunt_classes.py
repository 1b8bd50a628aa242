"""replay refuses a policy or window class passed instead of an instance."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import ExpandingWindow, Periodic, SlidingWindow
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
X = rng.normal(size=(400, 2))
y = (X[:, 0] > 0).astype(int)

BAD = [
    (
        {"policies": {"p": Periodic}},
        r"'policies\[p\]' parameter of replay must be a RetrainPolicy instance, "
        r"e\.g\. Periodic\(\.\.\.\)\. Got the class Periodic instead",
    ),
    (
        {"window": ExpandingWindow},
        r"'window' parameter of replay must be a TrainingWindow instance, "
        r"e\.g\. ExpandingWindow\(\.\.\.\)\. Got the class ExpandingWindow instead",
    ),
    ({"window": {"p": SlidingWindow}}, r"'window\[p\]' parameter of replay .*class SlidingWindow"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_a_class_is_not_an_instance(kwargs, message):
    args = {"policies": {"p": Periodic(every=100)}, "initial_train_size": 200, **kwargs}
    with pytest.raises(InvalidParameterError, match=message):
        replay(X, y, GaussianNB(), **args)


def test_a_window_instance_still_works():
    r = replay(X, y, GaussianNB(), {"p": Periodic(every=100)}, window=ExpandingWindow(),
               initial_train_size=200, batch_size=100)
    # retrains after the batches ending at 300 and 400, on rows 0:300 and 0:400
    assert [(e.train_start, e.train_stop) for e in r["p"].events] == [(0, 300), (0, 400)]
