"""One rule for reading a probability table whose columns are named by class.

``pd.DataFrame(model.predict_proba(X), columns=model.classes_)`` is read in
three places: ``CBPE``, the gates (``GateContext`` and the comparisons) and
``find_label_issues``. Each had its own matcher, and the same table was read
by name in one, by position in another: ``find_label_issues`` read columns
``[1, 0]`` by position against labels ``0.0, 1.0`` (mean self-confidence 0.25
for 0.75), a table ``[1, "x"]`` was read by position by CBPE (accuracy 0.16
for 0.84) and ``find_label_issues``, and columns ``[True, False]`` against
labels ``0, 1`` by the gates. All three now call
``mllifecycle._frames.columns_by_class``; the same tables below are read the
same way by each, or refused by each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle._frames import columns_by_class
from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext
from mllifecycle.labels import find_label_issues

B = 2**53
N = 240
READ, POSITION, REFUSED = "read", "position", "refused"


def _problem(k, seed=0):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(k) * 0.7, size=N)
    codes = np.array([rng.choice(k, p=row / row.sum()) for row in P])
    codes[:k] = np.arange(k)  # every class occurs
    return P, codes


# (id, sorted class labels, column names, class held by each column, outcome);
# an outcome may be a dict naming each reader's outcome where its policy differs
CASES = [
    ("ints-named-by-ints", [0, 1], [1, 0], [1, 0], READ),
    ("ints-named-by-text", [0, 1], ["1", "0"], [1, 0], READ),
    ("ints-named-by-floats", [0, 1], [1.0, 0.0], [1, 0], READ),
    ("ints-named-by-float-text", [0, 1], ["1.0", "0.0"], [1, 0], READ),
    ("floats-named-by-ints", [0.0, 1.0], [1, 0], [1, 0], READ),
    ("floats-named-by-text", [0.0, 1.0], ["1", "0"], [1, 0], READ),
    ("floats-3-named-by-text", [0.0, 1.0, 2.0], ["2", "0", "1"], [2, 0, 1], READ),
    ("5-6-named-by-floats", [5, 6], [6.0, 5.0], [1, 0], READ),
    ("halves-named-by-text", [0.5, 1.5], ["1.5", "0.5"], [1, 0], READ),
    ("text", ["neg", "pos"], ["pos", "neg"], [1, 0], READ),
    ("text-3", ["a", "b", "c"], ["c", "a", "b"], [2, 0, 1], READ),
    ("digit-text-named-by-ints", ["0", "1"], [1, 0], [1, 0], READ),
    ("bools-named-by-text", [False, True], ["True", "False"], [1, 0], READ),
    ("big-ints", [B, B + 1], [B + 1, B], [1, 0], READ),
    ("big-ints-as-text", [B, B + 1], [str(B + 1), str(B)], [1, 0], READ),
    ("p-names", [0, 1], ["p0", "p1"], [0, 1], POSITION),
    ("p-names-text-labels", ["neg", "pos"], ["p0", "p1"], [0, 1],
     # CBPE reads labels other than the column indices from a table naming them only
     {"cbpe": REFUSED, "gate": POSITION, "labels": POSITION}),
    ("partial-index-names", [0, 1], [1, "x"], [1, 0], REFUSED),
    ("partial-index-names-3", [0, 1, 2], [2, 0, "x"], [2, 0, 1], REFUSED),
    ("partial-text-names", ["a", "b", "c"], ["c", "a", "p2"], [2, 0, 1], REFUSED),
    ("partial-number-names", [5, 6, 7], [7, 5, "x"], [2, 0, 1], REFUSED),
    ("underscore-is-no-number", [0, 10], ["1_0", "0"], [1, 0], REFUSED),
    ("repeated-text", ["a", "b"], ["a", "a"], [0, 1], REFUSED),
    ("repeated-as-text", [0, 1], [1, "1"], [1, 0], REFUSED),
    ("two-names-of-one-class", [0, 1], ["1", "1.0"], [1, 0], REFUSED),
    ("other-big-ints", [B, B + 1], [B + 2, B + 1], [1, 0], REFUSED),
    ("flags-for-numbers", [0, 1], [True, False], [1, 0],
     # CBPE's labels are column indices, bools standing for 0/1 (documented)
     {"cbpe": READ, "gate": REFUSED, "labels": REFUSED}),
    ("numbers-for-flags", [False, True], [1, 0], [1, 0],
     {"cbpe": READ, "gate": REFUSED, "labels": REFUSED}),
]


def _outcome(case, reader):
    out = case[4]
    return out[reader] if isinstance(out, dict) else out


def _inputs(case):
    _, classes, names, held, _ = case
    P, codes = _problem(len(classes))
    y = np.asarray(classes)[codes]
    table = pd.DataFrame(P[:, held], columns=pd.Index(names, dtype=object))
    return P, codes, y, table


def _cbpe(y, table):
    est = CBPE(calibration="none").fit(y_true=y, y_proba=table)
    return est.calibrate(table)


def _gate(y, table):
    return GateContext(y_true=y, challenger=y, challenger_proba=table).challenger_proba


def _labels(y, table):
    return find_label_issues(y, table).label_quality


def _want(reader, P, codes, how, table):
    arr = P if how == READ else table.to_numpy()
    if reader == "labels":
        return find_label_issues(codes, arr).label_quality
    return arr


READERS = {"cbpe": (_cbpe, "y_proba"), "gate": (_gate, "challenger_proba"),
           "labels": (_labels, "y_proba")}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_same_table_is_read_alike_by_cbpe_the_gates_and_label_issues(case, reader):
    P, codes, y, table = _inputs(case)
    func, argname = READERS[reader]
    how = _outcome(case, reader)
    if how == REFUSED:
        with pytest.raises(InvalidParameterError, match=rf"'{argname}'|'y_true'"):
            func(y, table)
        return
    np.testing.assert_allclose(func(y, table), _want(reader, P, codes, how, table),
                               rtol=0, atol=1e-12)


# ---------------------------------------------------------------- the matcher


@pytest.mark.parametrize(
    ("names", "classes", "want"),
    [
        (["yes", "no"], ["no", "yes"], [1, 0]),
        ([1, 0], [0.0, 1.0], [1, 0]),
        (["1.0", "0.0"], [0, 1], [1, 0]),
        ([np.int64(6), np.float32(5.0)], [5, 6], [1, 0]),
        ([str(B + 1), B], [B, B + 1], [1, 0]),
        (["True", False], [False, True], [1, 0]),
        ([1, 0], ["0", "1"], [1, 0]),
        (["p0", "p1"], [0, 1], None),
        (["nan", "inf"], [0, 1], None),
        ([0, 1], [False, True], None),  # pandas' default names, read by position alike
    ],
)
def test_columns_by_class(names, classes, want):
    assert columns_by_class(names, classes, "y_proba", "f") == want


@pytest.mark.parametrize(
    ("names", "classes", "match"),
    [
        ([1, "x"], [0, 1], "no column for the class 0"),
        ([1, 0, 2], [0, 1], "the column 2 naming no class"),
        (["1", "1.0"], [0, 1], "both naming the class 1"),
        (["a", "a"], ["a", "b"], "unique column names"),
        ([1, "1"], [0, 1], "unique column names"),
        ([True, False], [0, 1], "the column True for the class 1"),
        ([1, 0], [False, True], "the column 1 for the class True"),
        ([B + 1, B + 2], [B, B + 1], f"no column for the class {B}"),
        (["1_0", "0"], [0, 10], "no column for the class 10"),
    ],
)
def test_columns_by_class_refusals(names, classes, match):
    with pytest.raises(InvalidParameterError, match=rf"'y_proba' parameter of f.*{match}"):
        columns_by_class(names, classes, "y_proba", "f")


def test_other_columns_may_name_further_classes():
    assert columns_by_class([2, 1, 0], [0, 1], "y_proba", "f", other_columns=True) == [2, 1]
    with pytest.raises(InvalidParameterError, match="no column for the class 2"):
        columns_by_class([1, 0, "x"], [0, 1, 2], "y_proba", "f", other_columns=True)
