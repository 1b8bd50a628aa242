"""``ClassificationStream.concept`` names the concept each sample was drawn from (hunt 2)."""

from __future__ import annotations

import pickle

import numpy as np

from mllifecycle.datasets import agrawal_stream, sea_stream
from mllifecycle.datasets._classification import _agrawal_label


def test_sea_gradual_concept_is_the_concept_each_label_follows():
    # with gradual_width, samples around a change come from either concept;
    # concept gave the segment instead (45 noise-free labels broke their rule)
    th = np.array([8.0, 9.0, 7.0, 9.5])
    s = sea_stream(4000, thresholds=th, gradual_width=400, noise=0.0, rng=0)
    rule = (s.X[:, 0] + s.X[:, 1] > th[s.concept]).astype(np.int64)
    assert np.array_equal(rule, s.y)
    # the transition really mixes: some samples after a change point are old-concept
    assert (s.concept[1000:1200] == 0).any()
    assert (s.concept[800:1000] == 1).any()


def test_agrawal_gradual_concept_is_the_concept_each_label_follows():
    fns = (0, 2, 5)
    s = agrawal_stream(3000, functions=fns, gradual_width=600, noise=0.0, rng=1)
    for k, f in enumerate(fns):
        rows = s.concept == k
        assert np.array_equal(_agrawal_label(s.X[rows], f), s.y[rows])


def test_abrupt_concept_unchanged_and_gradual_stream_round_trips():
    s = sea_stream(4000, noise=0.0, rng=0)
    assert np.array_equal(s.concept, np.repeat(np.arange(4), 1000))
    g = sea_stream(4000, gradual_width=400, rng=0)
    back = pickle.loads(pickle.dumps(g))
    assert back == g
    assert np.array_equal(back.concept, g.concept)
    assert g == sea_stream(4000, gradual_width=400, rng=0)
    assert not g.concept.flags.writeable
