"""Label-error detection on inputs the main tests do not cover: each case once returned
a wrong answer or a raw error."""

from __future__ import annotations

import numpy as np

from mllifecycle.labels import find_label_issues

PROBA = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])


def test_classes_of_mixed_types():
    # np.asarray([0, "b"]) would turn the class 0 into the string "0"
    y = np.empty(6, dtype=object)
    y[:] = [0, 0, 0, "b", "b", "b"]
    res = find_label_issues(y, PROBA, classes=[0, "b"])
    assert res.indices.tolist() == [2]
    assert res.given_labels.tolist() == [0]
    assert res.suggested_labels.tolist() == ["b"]
