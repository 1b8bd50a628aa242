"""Crowd gold given as a table whose columns are named label first, task second."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import AGGREGATION_METHODS, aggregate

pd = pytest.importorskip("pandas")

ANSWERS = pd.DataFrame({
    "task": [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3],
    "worker": list("abc") * 4,
    "label": [2, 2, 1, 0, 0, 1, 1, 1, 2, 0, 2, 2],
})


@pytest.mark.parametrize("method", AGGREGATION_METHODS)
def test_gold_table_named_label_then_task_is_read_by_name(method):
    # gold: task 0 is class 2, task 1 is class 0. Read by position the labels
    # became task ids and the ids labels: task 2 clamped to class 0 and task 0
    # to class 1, silently
    gold = pd.DataFrame({"label": [2, 0], "task": [0, 1]})
    res = aggregate(ANSWERS, method, gold=gold, rng=0)
    expected = aggregate(ANSWERS, method, gold={0: 2, 1: 0}, rng=0)
    assert res.n_gold == 2
    np.testing.assert_array_equal(res.proba[0], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(res.proba[1], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(res.proba, expected.proba)
    assert res.gold_accuracy == expected.gold_accuracy


def test_gold_table_with_custom_column_names():
    answers = ANSWERS.rename(columns={"task": "item", "label": "answer"})
    gold = pd.DataFrame({"answer": [2, 0], "item": [0, 1]})
    res = aggregate(answers, "majority_vote", columns=("item", "worker", "answer"),
                    gold=gold)
    np.testing.assert_array_equal(res.proba[:2], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


def test_unnamed_gold_table_is_still_read_task_then_label():
    gold = pd.DataFrame({"x": [0, 1], "y": [2, 0]})
    res = aggregate(ANSWERS, "majority_vote", gold=gold)
    np.testing.assert_array_equal(res.proba[:2], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
