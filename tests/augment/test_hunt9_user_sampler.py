"""A user's own sampler (a plain class, no get_params) in augmentation_gain.

It cannot be cloned, so it was used as it came: the state it keeps (its own
generator) ran on from split to split, so the gain depended on the order of
the splits (``n_jobs=2`` gave another gain than serial) and on earlier calls
made with the same object, which the call also changed.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain
from mllifecycle.protocols import Sampler


class JitterSampler:
    """Oversamples class 1 with jittered copies, from a generator of its own."""

    def __init__(self, seed: int = 0) -> None:
        self.gen = np.random.default_rng(seed)
        self.calls = 0

    def fit_resample(self, X, y):
        self.calls += 1
        X = np.asarray(X)
        y = np.asarray(y)
        m = y == 1
        idx = self.gen.integers(0, int(m.sum()), 3 * int(m.sum()))
        noise = self.gen.normal(scale=0.3, size=(idx.size, X.shape[1]))
        return np.r_[X, X[m][idx] + noise], np.r_[y, y[m][idx]]


def _data():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (120, 2)), rng.normal(1.5, 1, (30, 2))]
    y = np.r_[np.zeros(120, int), np.ones(30, int)]
    return X, y


def _gain(sampler, **kw):
    X, y = _data()
    return augmentation_gain(GaussianNB(), X, y, sampler, cv=3, n_repeats=2,
                             scoring="balanced_accuracy", rng=0, **kw)


def test_user_sampler_is_a_sampler():
    assert isinstance(JitterSampler(), Sampler)
    assert not hasattr(JitterSampler(), "get_params")


def test_same_object_twice_gives_the_answer_of_a_fresh_one():
    fresh = _gain(JitterSampler())
    reused = JitterSampler()
    first = _gain(reused)
    second = _gain(reused)
    for res in (first, second):
        assert res.candidate_scores == fresh.candidate_scores
        assert res.gain == fresh.gain


def test_user_sampler_left_as_given():
    s = JitterSampler()
    state = s.gen.bit_generator.state
    _gain(s)
    assert s.calls == 0
    assert s.gen.bit_generator.state == state


@pytest.mark.slow  # joblib's worker processes start in seconds
def test_parallel_splits_give_the_serial_answer():
    # a fresh copy per split: every split's score depends on that split alone
    serial = _gain(JitterSampler())
    par = _gain(JitterSampler(), n_jobs=2)
    assert par.candidate_scores == serial.candidate_scores
    assert par.gain == serial.gain
