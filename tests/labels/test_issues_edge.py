"""Label-error detection on inputs the main tests do not cover: each case once returned
a wrong answer or a raw error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import find_label_issues, out_of_fold_proba

PROBA = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])


def test_classes_of_mixed_types():
    # np.asarray([0, "b"]) would turn the class 0 into the string "0"
    y = np.empty(6, dtype=object)
    y[:] = [0, 0, 0, "b", "b", "b"]
    res = find_label_issues(y, PROBA, classes=[0, "b"])
    assert res.indices.tolist() == [2]
    assert res.given_labels.tolist() == [0]
    assert res.suggested_labels.tolist() == ["b"]


def _mixed(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # labels of mixed types cannot be sorted into columns: a raw TypeError from np.unique
        (lambda: out_of_fold_proba(LogisticRegression(), np.arange(12.0)[:, None],
                                   _mixed([0, "a"] * 6), cv=2, rng=0),
         r"'y' parameter of out_of_fold_proba must be labels of one kind.*"
         r"Got numbers and text \(0 and 'a'\)"),
        (lambda: out_of_fold_proba(LogisticRegression(), np.arange(12.0)[:, None],
                                   _mixed([0, 1] * 5 + [0, "1"]), cv=2, rng=0),
         r"'y' parameter of out_of_fold_proba must be labels of one kind.*"
         r"Got numbers and text \(0 and '1'\)"),
        # the offending sum and range were shown as np.float64(...) reprs
        (lambda: find_label_issues([0, 1], np.array([[0.5, 0.4], [0.5, 0.5]])),
         r"'y_proba' parameter.*sum to 1\. Got 1 row\(s\) that do not, e\.g\. a sum of "
         r"0\.9 instead"),
        (lambda: find_label_issues([0, 1], np.array([[1.5, -0.5], [0.5, 0.5]])),
         r"'y_proba' parameter.*in \[0, 1\]\. Got values in \[-0\.5, 1\.5\] instead"),
    ],
)
def test_bad_input_errors(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()
