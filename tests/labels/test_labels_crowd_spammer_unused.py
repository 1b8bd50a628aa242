"""Crowd spammer scores do not depend on declared classes nobody answered.

A class no answer names (an unused category, now kept as a class, or an
unchosen ``classes=`` entry) has a confusion row fitted from smoothing alone.
Counted into the mean distance between rows, it pulled every worker's score
down: Dawid-Skene's perfect worker scored 0.755 instead of 0.988, and a
threshold flagged able workers as spammers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.labels import aggregate, dawid_skene, majority_vote

pd = pytest.importorskip("pandas")

FRAME = pd.DataFrame({
    "task": np.repeat(np.arange(6), 3),
    "worker": ["a", "b", "c"] * 6,
    "label": ["x", "x", "y", "y", "y", "x", "x", "x", "x", "y", "y", "y",
              "x", "y", "x", "y", "y", "y"],
})


@pytest.mark.parametrize("method", ["majority_vote", "wawa", "zero_based_skill",
                                    "dawid_skene", "one_coin"])
def test_unused_class_leaves_spammer_score(method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        two = aggregate(FRAME, method, classes=["x", "y"], rng=0)
        three = aggregate(FRAME, method, classes=["x", "y", "z"], rng=0)
    np.testing.assert_allclose(three.spammer_score, two.spammer_score, atol=5e-3)


def test_unused_category_does_not_make_a_good_worker_a_spammer():
    cat = FRAME.assign(label=pd.Categorical(FRAME["label"], categories=["x", "y", "z"]))
    res = dawid_skene(cat, rng=0)
    assert res.classes.tolist() == ["x", "y", "z"]
    assert res.spammer_score[0] > 0.95  # worker a answered every task right
    assert res.spammers(threshold=0.9).tolist() == ["b", "c"]
    exact = majority_vote(cat, rng=0).spammer_score
    np.testing.assert_allclose(exact, majority_vote(FRAME, rng=0).spammer_score)


def test_gold_of_an_unused_answer_class_counts_it():
    # "z" never answered but named by gold: it is a used class, its row kept
    res = majority_vote(FRAME, classes=["x", "y", "z"], gold={5: "z"}, rng=0)
    two = majority_vote(FRAME, classes=["x", "y"], rng=0)
    assert not np.allclose(res.spammer_score, two.spammer_score)
