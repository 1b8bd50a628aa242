"""Probability tables are read by class name, not by position.

A ``DataFrame(model.predict_proba(X), columns=model.classes_)`` whose columns
came in another order than ``y_true``'s sorted classes was read by position:
ROC AUC became 1 - AUC and log loss exploded, with exit 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext

_g = np.random.default_rng(0)
Y = np.where(_g.random(200) < 0.4, "yes", "no")
P_YES = np.clip(np.where(Y == "yes", 0.7, 0.3) + _g.normal(0, 0.15, 200), 0.01, 0.99)
P = np.column_stack([1 - P_YES, P_YES])  # sorted classes: no, yes
PRED = np.where(P_YES > 0.5, "yes", "no")


def _ctx(proba):
    return GateContext(y_true=Y, challenger=PRED, challenger_proba=proba)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(P[:, ::-1], columns=["yes", "no"]),
        pd.DataFrame(P, columns=["no", "yes"]),
        pd.DataFrame(P, columns=["p_no", "p_yes"]),  # not class names: by position
    ],
    ids=["reversed-by-name", "sorted-by-name", "positional"],
)
def test_probability_tables_are_aligned_to_the_classes(frame):
    np.testing.assert_array_equal(_ctx(frame).challenger_proba, P)


def test_integer_class_names():
    y = (Y == "yes").astype(int)
    ctx = GateContext(y_true=y, challenger=(PRED == "yes").astype(int),
                      challenger_proba=pd.DataFrame(P[:, ::-1], columns=[1, 0]))
    np.testing.assert_array_equal(ctx.challenger_proba, P)


@pytest.mark.parametrize(
    ("y_kind", "cols"),
    [("float", [1, 0]), ("float", ["1", "0"]), ("int", [1.0, 0.0]), ("int8", ["1.0", "0.0"]),
     ("object", [1, 0])],
    ids=["float-labels-int-names", "float-labels-text-names", "int-labels-float-names",
         "int8-labels-float-text", "object-float-labels-int-names"],
)
def test_numeric_class_names_are_matched_by_value(y_kind, cols):
    # float labels 0.0, 1.0 against columns [1, 0] did not match as text ("1.0"
    # vs "1") and were read by position: ROC AUC became 1 - AUC, with exit 0
    from mllifecycle.gates import MetricThreshold

    y = (Y == "yes").astype(float).astype(y_kind)
    ctx = GateContext(y_true=y, challenger=(PRED == "yes").astype(float).astype(y_kind),
                      challenger_proba=pd.DataFrame(P[:, ::-1], columns=cols))
    np.testing.assert_array_equal(ctx.challenger_proba, P)
    value = MetricThreshold("roc_auc", minimum=0.5).check(ctx).evidence["value"]
    assert value == pytest.approx(roc_auc_score(y.astype(float), P[:, 1]))


def test_numeric_names_of_other_classes_are_refused():
    y = (Y == "yes").astype(float)
    with pytest.raises(InvalidParameterError, match=r"'challenger_proba'.*named by class"):
        GateContext(y_true=y, challenger=y, challenger_proba=pd.DataFrame(P, columns=[1, 2]))


@pytest.mark.parametrize(
    "cols", [["yes", "maybe"], ["yes", "yes"]], ids=["unknown-class", "repeated-class"]
)
def test_partly_named_tables_are_refused(cols):
    # a repeated name is refused as every table reader refuses one
    with pytest.raises(InvalidParameterError,
                       match=r"'challenger_proba'.*(named by class|unique column names)"):
        _ctx(pd.DataFrame(P, columns=cols))


@pytest.mark.parametrize("metric", ["roc_auc", "log_loss", "brier_score", "ece"])
def test_comparisons_read_probability_tables_by_class_name(metric):
    # paired_bootstrap, paired_permutation and delong read a table by position
    # (GateContext read it by name): with columns [yes, no] ROC AUC came out as
    # 1 - AUC and log loss as that of the other class, with exit 0
    from mllifecycle.gates import delong, paired_bootstrap, paired_permutation

    frame = pd.DataFrame(P[:, ::-1], columns=["yes", "no"])
    by_name = paired_bootstrap(Y, frame, P, metric=metric, rng=0, n_resamples=50)
    plain = paired_bootstrap(Y, P, P, metric=metric, rng=0, n_resamples=50)
    assert by_name.champion_value == pytest.approx(plain.champion_value)
    assert by_name.difference == pytest.approx(0.0, abs=1e-12)
    assert paired_permutation(Y, P, frame, metric=metric).difference == pytest.approx(
        0.0, abs=1e-12
    )
    if metric == "roc_auc":
        assert plain.champion_value == pytest.approx(roc_auc_score(Y == "yes", P[:, 1]))
        q = np.clip(P_YES + np.random.default_rng(1).normal(0, 0.2, P_YES.size), 0, 1)
        other = np.column_stack([1 - q, q])
        dl = delong(Y, frame, other, test="delong")
        assert dl.champion_auc == pytest.approx(plain.champion_value)


def test_comparisons_refuse_partly_named_tables():
    from mllifecycle.gates import paired_bootstrap

    with pytest.raises(InvalidParameterError,
                       match=r"'challenger' parameter of paired_bootstrap.*named by class"):
        paired_bootstrap(Y, P, pd.DataFrame(P, columns=["yes", "maybe"]), metric="log_loss")


def _one_column(kind, column):
    frame = pd.DataFrame(P, columns=["no", "yes"])
    return frame[column] if kind == "series" else frame[[column]]


@pytest.mark.parametrize("kind", ["series", "one-column table"])
def test_one_column_named_after_the_negative_class_is_refused(kind):
    # proba["no"] holds P(no): it was read as P(yes), so ROC AUC became 1 - AUC
    from mllifecycle.gates import paired_bootstrap

    match = (r"'champion' parameter of paired_bootstrap must be one column of probabilities "
             r"of the positive class 'yes'.*Got a column named after the other class 'no'")
    with pytest.raises(InvalidParameterError, match=match):
        paired_bootstrap(Y, _one_column(kind, "no"), P_YES, metric="roc_auc", n_resamples=40,
                         rng=0)
    with pytest.raises(InvalidParameterError, match=r"'challenger_proba' parameter of GateContext"):
        GateContext(y_true=Y, challenger=PRED, champion=PRED,
                    challenger_proba=_one_column(kind, "no"), champion_proba=P)
    if kind != "series":
        return  # a (n, 1) table is no 1-D score for ROC AUC (refused as before)
    # the positive class's column, or the other one with pos_label naming it, are read
    want = roc_auc_score(Y == "yes", P_YES)
    got = paired_bootstrap(Y, _one_column(kind, "yes"), P_YES, metric="roc_auc",
                           n_resamples=40, rng=0)
    assert got.champion_value == pytest.approx(want)
    flipped = paired_bootstrap(Y, _one_column(kind, "no"), 1 - P_YES, metric="roc_auc",
                               n_resamples=40, rng=0, pos_label="no")
    assert flipped.champion_value == pytest.approx(want)


def test_one_unnamed_or_zero_named_column_is_read_as_the_positive_class():
    from mllifecycle.gates import paired_bootstrap

    want = roc_auc_score(Y == "yes", P_YES)
    for column in (pd.Series(P_YES), pd.DataFrame(P_YES)[0], pd.Series(P_YES, name="score")):
        got = paired_bootstrap(Y, column, P_YES, metric="roc_auc", n_resamples=40, rng=0)
        assert got.champion_value == pytest.approx(want)
