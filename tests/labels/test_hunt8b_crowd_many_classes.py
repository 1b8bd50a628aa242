"""Crowd aggregation with many classes: the spammer score fits in memory.

Every row pair of every worker's confusion matrix was differenced at once,
``n_workers * k**3 / 2`` floats: 2000 classes and two workers asked for
64 GB and raised MemoryError from ``majority_vote`` (and every aggregator).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from mllifecycle.labels import dawid_skene, majority_vote


def _pairwise_tv(conf):
    """Mean total-variation distance over the row pairs of one confusion matrix."""
    return 0.5 * pdist(conf, "cityblock").mean()


def test_two_thousand_classes_aggregate_with_the_hand_computed_score():
    k = 2000
    # each task a class of its own, both workers right on every task
    answers = np.array([(t, w, t) for t in range(k) for w in range(2)])
    res = majority_vote(answers, rng=0)
    assert res.classes.shape == (k,)
    np.testing.assert_array_equal(res.labels, np.arange(k))
    # every row is (smoothing + one-hot) / (1 + k * smoothing): any two rows
    # differ in two cells by 1 / (1 + k * smoothing), their distance
    for w in range(2):
        conf = res.confusion[w]
        expected = 0.5 * np.abs(conf[0] - conf[1]).sum()
        np.testing.assert_allclose(expected, 1 / (1 + k * 0.01), rtol=1e-12)
        np.testing.assert_allclose(res.spammer_score[w], expected, rtol=1e-9)


@pytest.mark.parametrize("n_classes", [3, 64, 65, 120])
def test_spammer_score_is_the_mean_row_distance(n_classes):
    rng = np.random.default_rng(n_classes)
    truth = rng.integers(0, n_classes, 400)
    accuracy = [0.95, 0.7, 0.4, 0.0]  # the last one answers at random
    rows = [(t, w, int(truth[t] if rng.random() < a else rng.integers(0, n_classes)))
            for t in range(400) for w, a in enumerate(accuracy)]
    res = dawid_skene(rows, rng=0, max_iter=5, classes=list(range(n_classes)))
    used = np.isin(np.arange(n_classes), np.asarray(rows)[:, 2])
    for w in range(len(accuracy)):
        conf = res.confusion[w]
        if 2 <= used.sum() < n_classes:  # unused classes are left out, rows renormalised
            conf = conf[used][:, used]
            conf = conf / conf.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(res.spammer_score[w], _pairwise_tv(conf), rtol=1e-9,
                                   atol=1e-12)
    assert np.all((res.spammer_score >= 0) & (res.spammer_score <= 1))

