"""A label delay at least as long as the stream after the initial rows: no label arrives.

Every retrain then refitted the initial rows, and was counted and charged,
while no policy ever saw an error, without a word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import sea_stream
from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay
from mllifecycle.twotier import replay_keyed

S = sea_stream(3000, noise=0.02, rng=0)
KEYS = np.arange(3000) % 5


def run(kind, delay):
    if kind == "replay":
        return replay(S.X, S.y, GaussianNB(), {"p": Periodic(every=500)}, label_delay=delay)
    return replay_keyed(S.X, S.y, KEYS, GaussianNB(), initial_train_size=1000,
                        label_delay=delay)


@pytest.mark.parametrize("kind", ["replay", "replay_keyed"])
@pytest.mark.parametrize("delay", [2000, 5000])
def test_no_label_arrives_warns(kind, delay):
    with pytest.warns(DegenerateDataWarning, match=rf"label_delay={delay} is at least the 2000 "
                      r"rows after the initial training: no label arrives"):
        run(kind, delay)


@pytest.mark.parametrize("kind", ["replay", "replay_keyed"])
def test_a_label_that_arrives_does_not_warn(kind):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run(kind, 1999)
    assert not [w for w in seen if issubclass(w.category, DegenerateDataWarning)]
