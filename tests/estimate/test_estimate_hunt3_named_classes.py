"""CBPE reads a probability table whose columns are named by the classes of y_true."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
P = RNG.uniform(size=2000)
Y = (RNG.uniform(size=2000) < P).astype(int)
TEXT = np.array(["neg", "pos"])[Y]
METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]
WANT = CBPE(metrics=METRICS, calibration="none").fit(y_true=Y, y_proba=P)


def _est():
    return CBPE(metrics=METRICS, calibration="none")


@pytest.mark.parametrize(
    "labels",
    [TEXT, list(TEXT), TEXT.astype(object), pd.Series(TEXT).astype("category"),
     pd.Series(TEXT).astype("string")],
    ids=["unicode", "list", "object", "category", "string"],
)
def test_columns_named_by_text_classes_in_another_order_are_read_by_name(labels):
    # columns ["pos", "neg"]: text labels were refused, and labels encoded as
    # the sorted classes' indices read the columns by position (ROC AUC 0.16)
    table = pd.DataFrame({"pos": P, "neg": 1 - P})
    est = _est().fit(y_true=labels, y_proba=table)
    assert est.reference_metrics_["roc_auc"] > 0.8
    assert est.reference_metrics_ == pytest.approx(WANT.reference_metrics_)
    assert est.classes_.tolist() == ["neg", "pos"]
    want = WANT.estimate(P)
    for window in (table, table[["neg", "pos"]], np.column_stack([1 - P, P])):
        got = est.estimate(window)
        for m in METRICS:
            assert got[m].value == pytest.approx(want[m].value)
    assert est.realized(labels, table[["neg", "pos"]]) == pytest.approx(WANT.realized(Y, P))
    back = pickle.loads(pickle.dumps(est))
    assert back.estimate(table)["roc_auc"].value == pytest.approx(want["roc_auc"].value)


def test_three_text_classes_in_any_column_order():
    p = RNG.dirichlet(np.ones(3), size=3000)
    y = np.array([RNG.choice(3, p=row) for row in p])
    want = CBPE(metrics=METRICS, calibration="none").fit(y_true=y, y_proba=p)
    names = np.array(["a", "b", "c"])
    table = pd.DataFrame(p[:, [2, 0, 1]], columns=["c", "a", "b"])
    est = _est().fit(y_true=names[y], y_proba=table)
    assert est.reference_metrics_ == pytest.approx(want.reference_metrics_)
    got = est.estimate(pd.DataFrame(p[:, [1, 2, 0]], columns=["b", "c", "a"]))
    assert got["f1"].value == pytest.approx(want.estimate(p)["f1"].value)


@pytest.mark.parametrize("names", [[6, 5], ["6", "5"], [6.0, 5.0], ["6.0", "5"]])
def test_columns_named_by_numeric_classes_other_than_indices(names):
    # labels 5/6 were refused ("class labels in {0, 1}") whatever the table's names
    table = pd.DataFrame(np.column_stack([P, 1 - P]), columns=names)
    labels = np.array([5, 6])[Y]
    est = _est().fit(y_true=labels, y_proba=table)
    assert est.classes_.tolist() == [5, 6]
    assert est.reference_metrics_ == pytest.approx(WANT.reference_metrics_)
    assert est.realized(labels.astype(float), table) == pytest.approx(WANT.realized(Y, P))


def test_labels_and_tables_that_do_not_name_the_classes():
    table = pd.DataFrame({"pos": P, "neg": 1 - P})
    est = _est().fit(y_true=TEXT, y_proba=table)
    with pytest.raises(InvalidParameterError, match=r"'y_true' parameter of CBPE\.realized "
                       r"must be labels among the classes \['neg', 'pos'\].*Got 0 instead"):
        est.realized(Y, table)
    with pytest.raises(InvalidParameterError, match=r"'y_proba' parameter of CBPE\.estimate "
                       r"must be the columns of fit's y_proba, named by the classes"):
        est.estimate(pd.DataFrame({"a": P, "b": 1 - P}))
    # a table not naming the classes: text labels refused, with the table hint
    with pytest.raises(InvalidParameterError, match="columns are named by the classes"):
        _est().fit(y_true=TEXT, y_proba=pd.DataFrame({"p0": 1 - P, "p1": P}))
    # int labels with text names keep the rule: read by position
    by_position = _est().fit(y_true=Y, y_proba=pd.DataFrame({"neg": 1 - P, "pos": P}))
    assert by_position.reference_metrics_ == pytest.approx(WANT.reference_metrics_)
    assert by_position.classes_.tolist() == [0, 1]
    # a refit on plain labels forgets the names
    est.fit(y_true=Y, y_proba=P)
    assert est.classes_.tolist() == [0, 1]
    assert est.realized(Y, P) == pytest.approx(WANT.realized(Y, P))
