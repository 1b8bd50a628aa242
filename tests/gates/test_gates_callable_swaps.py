"""Permutation swaps of a callable metric keep each model's values as given."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score

from mllifecycle.gates import paired_bootstrap, paired_permutation


def _accuracy(y_true, y_pred):
    return accuracy_score(y_true, y_pred)


def _mse(y_true, y_pred):
    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


def test_int_champion_and_float_challenger_swap_without_truncation():
    # a float prediction written into the int champion's array was truncated
    # (p = 0.072 here instead of the named metric's 0.871)
    rng = np.random.default_rng(0)
    y = rng.normal(size=12)
    champion = np.round(y).astype(int)
    challenger = y + rng.normal(0, 0.3, 12)
    named = paired_permutation(y, champion.astype(float), challenger, metric="mse", rng=0)
    res = paired_permutation(y, champion, challenger, metric=_mse, higher_is_better=False, rng=0)
    assert res.exact
    assert named.exact
    assert np.isclose(res.p_value, named.p_value)
    assert np.isclose(res.p_value, 0.87109375)
    boot = paired_bootstrap(
        y, champion, challenger, metric=_mse, higher_is_better=False, test="permutation",
        n_resamples=4096, rng=0,
    )
    assert np.isclose(boot.p_value, named.p_value)


def test_text_labels_of_different_lengths_swap_whole():
    # "yes" written into the champion's <U2 array became "ye" (p = 0.53, not 0.22)
    y = np.array(["no", "yes"] * 6)
    champion = np.array(["no"] * 12)
    challenger = y.copy()
    challenger[:2] = ["yes", "no"]
    named = paired_permutation(y, champion, challenger, metric="accuracy", rng=0)
    res = paired_permutation(
        y, champion, challenger, metric=_accuracy, higher_is_better=True, rng=0
    )
    as_objects = paired_permutation(
        y, champion.astype(object), challenger.astype(object), metric=_accuracy,
        higher_is_better=True, rng=0,
    )
    assert np.isclose(res.p_value, named.p_value)
    assert res.p_value == as_objects.p_value == 0.21875


def test_integers_beyond_2_53_are_not_merged_by_the_swap():
    big = 2**53
    y = np.array([big + 1, big + 2] * 6, dtype=np.int64)
    champion = np.full(12, big + 1, dtype=np.int64)
    challenger = y.astype(np.uint64)
    challenger[:2] = [big + 2, big + 1]
    res = paired_permutation(
        y, champion, challenger, metric=_accuracy, higher_is_better=True, rng=0
    )
    same = paired_permutation(
        y, champion, challenger.astype(np.int64), metric=_accuracy, higher_is_better=True,
        rng=0,
    )
    assert res.p_value == same.p_value
