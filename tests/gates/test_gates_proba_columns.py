"""Probability tables are read by class name, not by position.

A ``DataFrame(model.predict_proba(X), columns=model.classes_)`` whose columns
came in another order than ``y_true``'s sorted classes was read by position:
ROC AUC became 1 - AUC and log loss exploded, with exit 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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
    "cols", [["yes", "maybe"], ["yes", "yes"]], ids=["unknown-class", "repeated-class"]
)
def test_partly_named_tables_are_refused(cols):
    with pytest.raises(InvalidParameterError, match=r"'challenger_proba'.*named by class"):
        _ctx(pd.DataFrame(P, columns=cols))
