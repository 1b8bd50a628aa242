"""Crowd aggregation: a pandas categorical label column's categories are the classes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.labels import AGGREGATION_METHODS, aggregate, majority_vote

pd = pytest.importorskip("pandas")


def _frame(labels, categories):
    n = len(labels) // 2
    return pd.DataFrame({
        "task": np.repeat(np.arange(n), 2),
        "worker": ["a", "b"] * n,
        "label": pd.Categorical(labels, categories=categories),
    })


@pytest.mark.parametrize("method", AGGREGATION_METHODS)
def test_unused_category_is_a_class(method):
    # the unused category "z" was dropped: proba had 2 columns, not 3
    frame = _frame(["x", "x", "y", "y", "x", "y"], ["x", "y", "z"])
    kw = {"n_restarts": 0} if method == "mace" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        res = aggregate(frame, method=method, rng=0, **kw)
        same = aggregate(frame.assign(label=frame["label"].astype(object)), method=method,
                         classes=["x", "y", "z"], rng=0, **kw)
    assert res.classes.tolist() == ["x", "y", "z"]
    assert res.proba.shape == (3, 3)
    np.testing.assert_allclose(res.proba, same.proba)
    assert res.labels.tolist() == same.labels.tolist()


def test_categories_sorted_as_sklearn_classes():
    # the package's one class rule: a categorical column declares the class set,
    # sorted as scikit-learn's classes_ (declared order made proba's columns
    # other classes than find_label_issues and a model read them as)
    frame = _frame(["x", "x", "y", "y"], ["y", "x"])
    res = majority_vote(frame, rng=0)
    assert res.classes.tolist() == ["x", "y"]
    np.testing.assert_allclose(res.proba, [[1.0, 0.0], [0.0, 1.0]])
    assert res.labels.tolist() == ["x", "y"]


def test_one_used_category_of_two_declared():
    # refused before as "labels of at least 2 distinct classes"
    frame = _frame(["x", "x", "x", "x"], ["x", "y"])
    res = majority_vote(frame, rng=0)
    assert res.classes.tolist() == ["x", "y"]
    np.testing.assert_allclose(res.proba, [[1.0, 0.0], [1.0, 0.0]])


def test_integer_categories_and_mapping_of_columns():
    frame = _frame([0, 0, 2, 2], [0, 1, 2])
    res = majority_vote(frame, rng=0)
    assert res.classes.tolist() == [0, 1, 2]
    cols = {"task": [1, 1, 2, 2], "worker": ["a", "b", "a", "b"],
            "label": pd.Categorical(["x", "x", "y", "y"], categories=["x", "y", "z"])}
    assert majority_vote(cols, rng=0).classes.tolist() == ["x", "y", "z"]
    cols["label"] = pd.Series(cols["label"])
    assert majority_vote(cols, rng=0).classes.tolist() == ["x", "y", "z"]


def test_classes_argument_still_wins():
    frame = _frame(["x", "x", "y", "y"], ["x", "y", "z"])
    res = majority_vote(frame, classes=["y", "x"], rng=0)
    assert res.classes.tolist() == ["y", "x"]
    with pytest.raises(InvalidParameterError, match=r"'answers'.*among the classes"):
        majority_vote(frame, classes=["x", "z"])


def test_gold_of_an_unused_category():
    frame = _frame(["x", "x", "y", "y", "x", "y"], ["x", "y", "z"])
    res = majority_vote(frame, gold={2: "z"}, rng=0)
    assert res.labels.tolist() == ["x", "y", "z"]
    assert res.gold_accuracy == 0.0


def test_categorical_task_column_unused_categories_are_not_tasks():
    frame = _frame(["x", "x", "y", "y"], ["x", "y"])
    frame["task"] = pd.Categorical(frame["task"], categories=[0, 1, 7])
    assert majority_vote(frame, rng=0).tasks.tolist() == [0, 1]
