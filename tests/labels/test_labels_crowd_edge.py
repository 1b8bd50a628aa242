"""Crowd aggregation on inputs the main tests do not cover: each case once returned a
wrong answer or a raw error."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import aggregate
from mllifecycle.labels._crowd import METHODS


def _obj(rows):
    arr = np.empty((len(rows), 3), dtype=object)
    arr[:] = rows
    return arr


@pytest.mark.parametrize("method", list(METHODS))
def test_classes_of_mixed_types(method):
    # np.asarray([0, "a"]) would turn the class 0 into the string "0"
    answers = _obj([[1, "u", 0], [1, "v", 0], [1, "w", "a"], [2, "u", "a"], [2, "v", "a"],
                    [2, "w", "a"], [3, "u", 0], [3, "v", "a"], [3, "w", 0]])
    res = aggregate(answers, method, classes=[0, "a"], rng=0)
    assert res.classes.tolist() == [0, "a"]
    assert res.labels.tolist() == [0, "a", 0]


def test_aggregation_methods_lists_what_aggregate_takes():
    from mllifecycle.labels import AGGREGATION_METHODS, aggregate

    answers = {"task": [1, 1, 1, 2, 2, 2], "worker": ["a", "b", "c"] * 2,
               "label": ["x", "x", "y", "y", "y", "x"]}
    assert set(AGGREGATION_METHODS) == set(METHODS)
    for name in AGGREGATION_METHODS:
        assert aggregate(answers, method=name).labels.tolist() == ["x", "y"]
    with pytest.raises(ValueError, match="'method' parameter of aggregate"):
        aggregate(answers, method="telepathy")
