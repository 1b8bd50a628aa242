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


@pytest.mark.parametrize("guard_cv", [3, None])
@pytest.mark.parametrize("fn", ["SelfTraining", "pseudo_label_gain"])
def test_non_integral_float_labels_are_refused_naming_y(fn, guard_cv):
    # 2.5 is no class label: scikit-learn's splitter (or the classifier)
    # raised "Supported target types ... Got 'continuous'", naming neither y
    # nor the value
    y = np.tile([0.0, 2.5, -1.0], 10)
    semi = SelfTraining(LogisticRegression(), guard_cv=guard_cv, max_iter=1)
    call = (lambda: semi.fit(X, y)) if fn == "SelfTraining" else (
        lambda: pseudo_label_gain(semi, X, y, cv=2, n_repeats=1, rng=0))
    with pytest.raises(InvalidParameterError, match=rf"'y' parameter of {fn} must be class labels "
                       r"\(whole numbers when numeric.*Got 10 label\(s\) such as 2.5 instead"):
        call()
    # whole-number floats are classes, as before
    assert SelfTraining(LogisticRegression(), guard_cv=guard_cv, max_iter=1).fit(
        X, np.tile([0.0, 2.0, -1.0], 10)).classes_.tolist() == [0, 2]
