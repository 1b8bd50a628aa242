"""ActiveLearner.teach: answers that are not a 1-D sequence of labels."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, margin


def _learner() -> ActiveLearner:
    X = np.random.default_rng(0).normal(size=(20, 2))
    return ActiveLearner(estimator=LogisticRegression(), strategy=margin, rng=0).fit(X)


def test_teach_refuses_a_string_of_answers() -> None:
    # "ab" was taught letter by letter: rows 0 and 1 labelled "a" and "b"
    learner = _learner()
    with pytest.raises(InvalidParameterError, match=r"'labels'.*1-D sequence.*'ab'"):
        learner.teach([0, 1], "ab")
    assert learner.n_bought_ == 0


def test_teach_refuses_a_bare_scalar() -> None:
    # raised "'int' object is not iterable"
    with pytest.raises(InvalidParameterError, match=r"'labels'.*single int 1"):
        _learner().teach([0], 1)


@pytest.mark.parametrize("answers", [np.array([[0], [1]]), [[0], [1]]])
def test_teach_refuses_a_column_of_answers(answers: object) -> None:
    # the message spoke of integers beyond 2**53 next to floats
    with pytest.raises(InvalidParameterError, match=r"'labels'.*shape \(2, 1\)"):
        _learner().teach([0, 1], answers)


def test_teach_takes_series_generators_and_arrays() -> None:
    import pandas as pd

    learner = _learner()
    # a Series with a default RangeIndex is read by position (one indexed by
    # other row labels is refused: test_active_teach_series_index.py)
    learner.teach([0, 1], pd.Series([0, 1]))
    learner.teach([2, 3], (v for v in [1, 0]))
    learner.teach([4], np.array([1]))
    assert learner.y_pool_labelled_.tolist() == [0, 1, 1, 0, 1]
