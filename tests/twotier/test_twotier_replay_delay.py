"""``replay_keyed`` releases each row's label ``label_delay`` rows after it, as ``replay`` does.

Labels were released a batch at a time, once the batch's last row plus the
delay had been predicted: ``label_delay=1`` with ``batch_size=500`` held every
label back a whole batch (results of ``label_delay=500``), and the policy saw
``labels_available`` lag the documented delay.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.policies import RetrainDecision
from mllifecycle.twotier import replay_keyed

X = np.random.default_rng(0).normal(size=(60, 2))
Y = (X[:, 0] > 0).astype(int)


class _Recorder:
    def __init__(self):
        self.states = []

    def __deepcopy__(self, memo):
        # replay_keyed runs a deep copy of the policy (as replay does): the copy
        # shares this recorder's list, so what it was shown is recorded here
        return copy.copy(self)

    def should_retrain(self, state):
        self.states.append(state)
        return RetrainDecision(retrain=False, reason="record")


@pytest.mark.parametrize("delay", [0, 1, 3, 9, 10, 13, 25])
def test_labels_arrive_delay_rows_later(delay):
    # one key: a row's group counts the labels that arrived before its batch
    policy = _Recorder()
    r = replay_keyed(X, Y, np.zeros(60, int), GaussianNB(), policy=policy,
                     initial_train_size=20, batch_size=10, label_delay=delay)
    # the label of row i (i >= 20) is known to a batch starting at s when i + delay < s
    known = {s: max(0, s - delay - 20) for s in (20, 30, 40, 50)}
    groups = [0, 0, 0]
    for n in known.values():
        groups[0 if n == 0 else 1 if n < 20 else 2] += 10
    assert list(r.n_by_group.values()) == groups
    assert [st.labels_available for st in policy.states] == [
        max(20, stop - delay) for stop in (30, 40, 50, 60)
    ]
    assert [st.metric_n for st in policy.states] == [
        max(20, stop - delay) - max(20, stop - 10 - delay) for stop in (30, 40, 50, 60)
    ]


def test_a_delay_of_one_row_is_not_a_delay_of_one_batch():
    kw = {"initial_train_size": 20, "batch_size": 10}
    keys = np.arange(60) % 2
    one = replay_keyed(X, Y, keys, GaussianNB(), label_delay=1, **kw)
    batch = replay_keyed(X, Y, keys, GaussianNB(), label_delay=10, **kw)
    assert one.n_by_group != batch.n_by_group
