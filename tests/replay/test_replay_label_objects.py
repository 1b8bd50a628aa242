"""Labels of numbers (or booleans) held as objects replay as those numbers.

A pandas ``category`` of ints (or an object Series / array of ints or bools)
reached scikit-learn as an object array, which it refused at the first fit
with its own "Unknown label type: unknown"; the labels are the same numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.datasets import sea_stream
from mllifecycle.policies import OnPerformanceDrop, Periodic
from mllifecycle.replay import replay


def _summary(result):
    return [(k, result[k].accuracy, result[k].retrain_steps, result[k].errors) for k in result]


@pytest.fixture(scope="module")
def stream():
    return sea_stream(3000, noise=0.05, rng=1)


def _run(X, y):
    policies = {"p": Periodic(every=700), "d": OnPerformanceDrop(0.02)}
    return replay(X, y, DecisionTreeClassifier(max_depth=4, random_state=0), policies)


@pytest.mark.parametrize("make", [
    lambda y: __import__("pandas").Series(y).astype("category"),
    lambda y: __import__("pandas").Series(list(y), dtype=object),
    lambda y: np.array(list(y), dtype=object),
    lambda y: np.array([bool(v) for v in y], dtype=object),
])
def test_object_numbers_are_the_numbers(stream, make):
    pytest.importorskip("pandas")
    expected = _summary(_run(stream.X, stream.y))
    assert _summary(_run(stream.X, make(stream.y))) == expected


def test_text_labels_stay_text(stream):
    pd = pytest.importorskip("pandas")
    y = pd.Series(np.where(stream.y == 1, "yes", "no")).astype("category")
    expected = _summary(_run(stream.X, stream.y))
    assert _summary(_run(stream.X, y)) == expected
