"""Labels of mixed types are refused by SelfTraining, pseudo_label_gain and spread_labels.

An object ``y`` such as ``[0, "0", 1, "1", None, ...]`` was converted with
``np.asarray``, which reads ``0`` and ``"0"`` as one string class: the model
was fitted on classes ``['0', '1']`` that nobody gave, with exit 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain, spread_labels

X = np.random.default_rng(0).normal(size=(30, 2))


def _y(labelled):
    y = np.empty(30, dtype=object)
    y[:] = None
    y[: len(labelled)] = labelled
    return y


MIXED = _y([0, "0", 1, "1", 0, "0", 1, "1", 0, 1])
ONE_TYPE = _y([0, 1, 1, 1, 0, 0, 1, 1, 0, 0])


@pytest.mark.parametrize(
    ("call", "caller"),
    [
        (lambda y: SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1).fit(X, y),
         "SelfTraining"),
        (lambda y: pseudo_label_gain(SelfTraining(LogisticRegression()), X, y, cv=2,
                                     n_repeats=1, rng=0), "pseudo_label_gain"),
        (lambda y: spread_labels(X, y), "spread_labels"),
    ],
)
@pytest.mark.parametrize(
    "y",
    [
        MIXED,
        # a list was read by np.asarray as the strings '0', '1' (and NaN as 'nan', a class)
        [0, "0", 1, "1"] + [-1] * 26,
        [0, "a", 0, "a", np.nan] + [np.nan] * 25,
    ],
)
def test_mixed_type_labels_are_refused(call, caller, y):
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter of {caller} must be labels of one kind.*"
                             r"Got numbers and text \(0 and '(0|a)'\)"):
        call(y)


def test_object_labels_of_one_type_still_work():
    st = SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1).fit(X, ONE_TYPE)
    assert st.classes_.tolist() == [0, 1]
    assert spread_labels(X, ONE_TYPE).classes.tolist() == [0, 1]
