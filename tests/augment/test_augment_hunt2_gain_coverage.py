"""augmentation_gain: same seed same answer, no leakage, and coverage under a true null."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import SGDClassifier

from mllifecycle.augment import augmentation_gain


def _data(rng, n=150):
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.8 * rng.normal(size=n) > 0).astype(int)
    return X, y


def _shuffle_rows(X, y, rng=None):
    """Return the training rows in a random order: nothing added, nothing removed."""
    perm = np.random.default_rng(rng).permutation(len(y))
    return X[perm], y[perm]


def test_augmenter_only_sees_training_rows_and_never_a_test_row():
    rng = np.random.default_rng(1)
    X, y = _data(rng, 60)
    X[:, 2] = np.arange(60)  # a row id, to recognise rows the augmenter receives
    seen: list[set[float]] = []

    def spy(Xt, yt, rng=None):
        seen.append(set(Xt[:, 2].tolist()))
        return np.r_[Xt, Xt], np.r_[yt, yt]

    res = augmentation_gain(SGDClassifier(shuffle=False), X, y, spy, cv=3, n_repeats=2, rng=0)
    assert res.n_splits == len(seen) == 6
    # one repetition of 3 folds: each row is held out exactly once, and then
    # the augmenter did not receive it
    for rep in (seen[:3], seen[3:]):
        held_out = [set(range(60)) - s for s in rep]
        assert all(len(s) == 40 for s in rep)
        assert set().union(*held_out) == set(range(60))
        assert sum(len(h) for h in held_out) == 60


@pytest.mark.parametrize("rng", [0, np.random.SeedSequence(0)])
def test_same_seed_same_answer_and_inputs_untouched(rng):
    X, y = _data(np.random.default_rng(2), 80)
    X0, y0 = X.copy(), y.copy()
    X.setflags(write=False)
    a = augmentation_gain(SGDClassifier(shuffle=False), X, y, _shuffle_rows, cv=4,
                          n_repeats=2, rng=rng)
    b = augmentation_gain(SGDClassifier(shuffle=False), X, y, _shuffle_rows, cv=4,
                          n_repeats=2, rng=rng)
    assert a.to_dict() == b.to_dict()
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.slow
def test_interval_covers_zero_at_about_its_level_when_augmentation_cannot_help():
    # the "augmenter" only reorders the training rows; SGD without shuffling is
    # sensitive to the order, so the two models differ, but an i.i.d. sample in
    # a random order is distributed as the sample itself: the true gain is 0
    master = np.random.default_rng(12345)
    n_sim, covered, levels = 60, 0, []
    for i in range(n_sim):
        X, y = _data(master)
        res = augmentation_gain(SGDClassifier(shuffle=False, max_iter=20, tol=None), X, y,
                                _shuffle_rows, cv=5, n_repeats=2, confidence_level=0.9,
                                rng=i)
        covered += res.ci_low <= 0.0 <= res.ci_high
        levels.append(res.p_value)
    # nominal 0.9; the corrected t of Nadeau and Bengio is mildly conservative
    assert covered / n_sim >= 0.8
    assert np.mean(np.array(levels) < 0.1) <= 0.2
