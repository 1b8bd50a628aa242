"""Answers NumPy would recast are refused by ActiveLearner.teach.

Joining string answers to integer labels turned the labels into strings (the
model was refitted on "0"/"1" and predicted strings), and to float labels into
"0.0"/"1.0", a different class from an answer "1"; a batch of mixed answers
["1", 1] was stored as two strings.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, margin

X = np.random.default_rng(0).normal(size=(20, 2))


def _learner(y_init):
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, rng=0)
    if y_init is None:
        return learner.fit(X[4:])
    return learner.fit(X[4:], X[:4], np.asarray(y_init))


@pytest.mark.parametrize(
    ("y_init", "answers", "match"),
    [
        ([0, 1, 0, 1], ["1", "0"],
         r"'labels' parameter of ActiveLearner.teach must be answers of the type of the "
         r"labels so far \(int64, e.g. 0\)\. Got '1' \(<U1\)"),
        ([0.0, 1.0, 0.0, 1.0], ["1", "0"],
         r"'labels' parameter.*labels so far \(float64, e.g. 0.0\)\. Got '1'"),
        (["a", "b", "a", "b"], [1, 0],
         r"'labels' parameter.*labels so far \(<U1, e.g. 'a'\)\. Got 1"),
        (["a", "b", "a", "b"], ["c", 1],
         r"'labels' parameter.*answers of one kind.*Got text and numbers \('c' and 1\)"),
        (None, ["x", 2],
         r"'labels' parameter.*answers of one kind.*Got text and numbers \('x' and 2\)"),
    ],
)
def test_teach_refuses_answers_numpy_would_recast(y_init, answers, match):
    learner = _learner(y_init)
    with pytest.raises(InvalidParameterError, match=match):
        learner.teach([0, 1], answers)
    assert learner.n_bought_ == 0  # nothing taught
    assert learner.labelled_indices_.tolist() == []


@pytest.mark.parametrize(
    ("y_init", "answers", "expected"),
    [
        ([0, 1, 0, 1], [np.int64(1), 0.0], [0, 1, 0, 1, 1, 0]),
        (["a", "b", "a", "b"], ["mouse", "elephant"], ["a", "b", "a", "b", "mouse",
                                                       "elephant"]),
        (["a", "b", "a", "b"], [None, "c"], ["a", "b", "a", "b", "c"]),
    ],
)
def test_teach_keeps_answers_of_a_compatible_type(y_init, answers, expected):
    learner = _learner(y_init).teach([0, 1], answers)
    learner_y = np.r_[learner._y_init, learner.y_pool_labelled_]
    assert learner_y.tolist() == expected


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


@pytest.mark.parametrize(
    "y_init",
    [
        [0, "0", 1, "1"],  # was read as the strings '0', '1': two classes instead of four
        _objects([0, "0", 1, "1"]),  # was a raw TypeError from np.unique
    ],
)
def test_fit_refuses_initial_labels_of_mixed_types(y_init):
    with pytest.raises(InvalidParameterError,
                       match=r"'y_labelled' parameter of ActiveLearner.fit must be labels of "
                             r"one kind.*Got numbers and text \(0 and '0'\)"):
        ActiveLearner(estimator=LogisticRegression(), strategy=margin).fit(
            X[4:], X[:4], y_init)


def test_fit_reads_object_labels_of_one_type():
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin).fit(
        X[4:], X[:4], _objects(["a", "b", "a", "b"]))
    assert learner.estimator_.classes_.tolist() == ["a", "b"]
