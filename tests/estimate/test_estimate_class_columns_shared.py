"""CBPE reads a table named by class with the library's one rule.

A table naming some classes beside other columns (``[1, "x"]``) was read by
position (accuracy 0.16 for 0.84, exit 0); two names of one class
(``["1", "1.0"]``) too; classes beyond 2**53 were merged as floats and
refused. See tests/foundation/test_frames_class_columns.py for the same
tables in the gates and find_label_issues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

_g = np.random.default_rng(0)
P1 = _g.uniform(size=400)
Y = (_g.uniform(size=400) < P1).astype(int)
P = np.column_stack([1 - P1, P1])
B = 2**53


@pytest.mark.parametrize(
    ("names", "match"),
    [([1, "x"], "no column for the class 0"), (["x", 0], "no column for the class 1"),
     (["1_0", "0"], "no column for the class 1"), (["1", "1.0"], "both naming the class 1")],
)
def test_partly_named_tables_are_refused_at_fit(names, match):
    table = pd.DataFrame(P[:, ::-1], columns=names)
    with pytest.raises(InvalidParameterError, match=rf"'y_proba' parameter of CBPE.fit.*{match}"):
        CBPE(calibration="none").fit(y_true=Y, y_proba=table)


def test_partly_named_tables_are_refused_after_an_array_fit():
    est = CBPE(calibration="none").fit(y_true=Y, y_proba=P)
    with pytest.raises(InvalidParameterError, match=r"'y_proba' parameter of CBPE.estimate"):
        est.estimate(pd.DataFrame(P[:, ::-1], columns=[1, "x"]))
    want = est.estimate(P)["accuracy"].value
    assert est.estimate(pd.DataFrame(P[:, ::-1], columns=[1, 0]))["accuracy"].value == want


@pytest.mark.parametrize("names", [[B + 1, B], [str(B + 1), str(B)]], ids=["ints", "text"])
def test_classes_beyond_2_53_are_matched_exactly(names):
    labels = np.array([B, B + 1])[Y]
    est = CBPE(calibration="none", metrics=["roc_auc"]).fit(
        y_true=labels, y_proba=pd.DataFrame(P[:, ::-1], columns=pd.Index(names, dtype=object)))
    assert est.classes_.tolist() == [B, B + 1]  # the last is the positive class
    want = CBPE(calibration="none", metrics=["roc_auc"]).fit(y_true=Y, y_proba=P)
    assert est.reference_metrics_ == want.reference_metrics_
    np.testing.assert_array_equal(est.calibrate(pd.DataFrame(P, columns=[B, B + 1])), P)
    with pytest.raises(InvalidParameterError, match="'y_true'"):
        est.realized(np.full(400, B + 2), P)


def test_float_labels_against_classes_beyond_2_53_are_refused():
    # float64 rounds 2**53 + 1 onto 2**53: every row would be of the class 2**53
    labels = np.array([B, B + 1])[Y]
    est = CBPE(calibration="none").fit(
        y_true=labels, y_proba=pd.DataFrame(P, columns=[B, B + 1]))
    with pytest.raises(InvalidParameterError, match=r"'y_true'.*integers beyond 2\*\*53"):
        est.realized(labels.astype(float), P)
