"""CBPE reads probability tables whose class columns are named by text."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE

RNG = np.random.default_rng(0)
P = RNG.uniform(size=2000)
Y = (RNG.uniform(size=2000) < P).astype(int)
WANT = CBPE(metrics=["roc_auc"], calibration="none").fit(y_true=Y, y_proba=P)


def _csv(header):
    text = header + "\n" + "\n".join(f"{float(p)!r},{float(1 - p)!r}" for p in P)
    return pd.read_csv(io.StringIO(text))


@pytest.mark.parametrize("header", ["1.0,0.0", "True,False", "1,0"])
def test_a_table_read_from_csv_is_read_by_column_name(header):
    # read_csv names the columns "1.0", "0.0": they were read by position, so
    # P(1) was taken for P(0) and ROC AUC came out 0.16 instead of 0.84
    table = _csv(header)
    assert list(table.columns) == header.split(",")
    est = CBPE(metrics=["roc_auc"], calibration="none").fit(y_true=Y, y_proba=table)
    want = WANT.reference_metrics_["roc_auc"]
    assert want > 0.8
    assert est.reference_metrics_["roc_auc"] == pytest.approx(want)
    assert est.estimate(table)["roc_auc"].value == pytest.approx(WANT.estimate(P)["roc_auc"].value)
    # a plain array after a table fit keeps the class order 0, 1
    assert est.estimate(np.column_stack([1 - P, P]))["roc_auc"].value == pytest.approx(
        WANT.estimate(P)["roc_auc"].value
    )


def test_other_text_names_are_still_read_by_position():
    # ["1_0", "0"] (a table naming class 0 beside another column) and ["1", "1.0"]
    # (two columns naming class 1) are refused now, as in the gates and
    # find_label_issues: tests/estimate/test_estimate_class_columns_shared.py
    for names in (["5", "6"], ["b", "a"], ["nan", "inf"]):
        table = pd.DataFrame(np.column_stack([1 - P, P]), columns=names)
        est = CBPE(metrics=["roc_auc"], calibration="none").fit(y_true=Y, y_proba=table)
        assert est.reference_metrics_["roc_auc"] == pytest.approx(
            WANT.reference_metrics_["roc_auc"]
        )
