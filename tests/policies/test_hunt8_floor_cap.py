"""OnSettledBelowFloor's level is over exactly the first max_samples labels.

A batch of labels crossing ``max_samples`` was counted whole: with chunks
that do not divide it (a label delay that is not a multiple of the batch
size), the floor took in labels past the first ``max_samples`` (a model 96%
right on its first 200 labels got the floor 0.768 from 250), and those
labels were in no watched block either.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from mllifecycle.policies import LifecycleState, OnSettledBelowFloor


def _feed(policy, chunks, version=0, start=0):
    """Feed 0/1 error chunks of one model; return the decisions and the labels reached."""
    out, labels = [], start
    for xs in chunks:
        labels += len(xs)
        out.append(policy.should_retrain(LifecycleState(
            step=labels, labels_available=labels, model_version=version,
            deployed_at=start, new_errors=np.asarray(xs, dtype=np.float64))))
    return out, labels


@pytest.mark.parametrize("sizes", [(150, 100), (130, 130), (60, 60, 60, 60), (199, 2), (200,)])
def test_the_floor_is_the_accuracy_of_the_first_max_samples_labels(sizes):
    rng = np.random.default_rng(sum(sizes))
    errors = (rng.random(sum(sizes)) < np.linspace(0.02, 0.6, sum(sizes))).astype(float)
    chunks = np.split(errors, np.cumsum(sizes)[:-1])
    p = OnSettledBelowFloor(min_samples=100, max_samples=200)
    decisions, _ = _feed(p, chunks)
    assert "first level accepted" in decisions[-1].reason
    acc = 1.0 - errors[:200].sum() / 200
    assert p._floor == pytest.approx((acc, math.sqrt(acc * (1 - acc) / 200)), abs=1e-15)


def test_a_worse_model_is_judged_against_the_first_max_samples_level():
    p = OnSettledBelowFloor(min_samples=100, max_samples=200)
    # 8 errors in the first 150 labels; the next batch is right on 50 and wrong on 50
    _, labels = _feed(p, [np.r_[np.zeros(142), np.ones(8)], np.r_[np.zeros(50), np.ones(50)]])
    # the next model: 85% right on its first 100 labels
    (d,), _ = _feed(p, [np.r_[np.zeros(85), np.ones(15)]], version=1, start=labels)
    floor, acc = 1 - 8 / 200, 0.85
    z = NormalDist().inv_cdf(0.95)
    gap = floor - acc - z * math.sqrt(floor * (1 - floor) / 200 + acc * (1 - acc) / 100)
    assert gap > 0.0  # the documented rule retrains it
    assert d.retrain
    assert d.change_point == labels


def test_labels_past_the_first_max_samples_start_the_first_watched_block():
    p = OnSettledBelowFloor(min_samples=100, max_samples=200)
    # right on the first 200 labels, wrong on every later one: the 50 that came
    # with the accepting look and the next 150 make the first watched block of 200
    decisions, labels = _feed(p, [np.zeros(150), np.r_[np.zeros(50), np.ones(50)],
                                  np.ones(150)])
    assert [d.retrain for d in decisions] == [False, False, True]
    assert decisions[-1].change_point == labels - 200 == 200
