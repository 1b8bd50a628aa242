"""``replay_keyed`` shows the policy only the deployed model's errors.

With a label delay, the labels of rows predicted before a retrain arrive
after it; their errors are the previous model's, yet they reached the
policy as the new model's ``new_errors`` (and ``metric``), against the
``LifecycleState`` contract and unlike :func:`mllifecycle.replay.replay`.
A drift detector fed them sees the old model's errors right after a
retrain. Their labels still feed the local tier.
"""

from __future__ import annotations

import copy

import numpy as np
from sklearn.dummy import DummyClassifier

from mllifecycle.policies import RetrainDecision
from mllifecycle.twotier import replay_keyed

X = np.zeros((40, 1))
# the first 10 rows train a model predicting 0; every later row is a 1
Y = np.array([0] * 6 + [1] * 4 + [1] * 30)
KEYS = np.arange(40) % 3


class _Recorder:
    def __init__(self, retrain_at):
        self.retrain_at, self.seen = retrain_at, []

    def __deepcopy__(self, memo):
        # replay_keyed runs a deep copy of the policy (as replay does): the copy
        # shares this recorder's list, so what it was shown is recorded here
        return copy.copy(self)

    def should_retrain(self, state):
        errors = state.new_errors
        self.seen.append((state.step, None if errors is None else errors.tolist(), state.metric,
                          state.metric_n, state.labels_available))
        return RetrainDecision(retrain=state.step in self.retrain_at, reason="test")


def test_errors_of_rows_predicted_before_a_retrain_are_not_shown():
    # batches of 10 from row 10, labels 10 rows late: a batch's labels arrive one
    # batch after it. Retrain at step 20: batch 10:20 was predicted by the first
    # model, its labels arrive at step 30 -> not the new model's errors.
    policy = _Recorder({20})
    r = replay_keyed(X, Y, KEYS, DummyClassifier(), policy=policy, initial_train_size=10,
                     batch_size=10, label_delay=10)
    assert r.retrains == 1
    assert policy.seen == [
        (20, [], None, 0, 10),
        (30, [], None, 0, 20),  # was rows 10:20's ten errors (the first model's)
        (40, [1.0] * 10, 0.0, 10, 30),  # rows 20:30, predicted by the retrained model
    ]
    assert r.accuracy["global"] == 0.0  # every model trained on rows 0:10 predicts 0


def test_without_a_retrain_every_arrived_error_is_shown():
    policy = _Recorder(set())
    replay_keyed(X, Y, KEYS, DummyClassifier(), policy=policy, initial_train_size=10,
                 batch_size=10, label_delay=10)
    assert [(s, e) for s, e, *_ in policy.seen] == [
        (20, []), (30, [1.0] * 10), (40, [1.0] * 10)]


def test_no_delay_the_batch_of_the_retrain_is_still_the_old_models():
    # labels at once: batch 10:20's errors are shown at step 20, before the retrain
    policy = _Recorder({20})
    replay_keyed(X, Y, KEYS, DummyClassifier(), policy=policy, initial_train_size=10,
                 batch_size=10, label_delay=0, window=20)
    assert [(s, len(e)) for s, e, *_ in policy.seen] == [(20, 10), (30, 10), (40, 10)]
