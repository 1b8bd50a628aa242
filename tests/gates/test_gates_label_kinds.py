"""Labels of two kinds are refused by the gates, naming the argument.

``True == 1`` in Python and NumPy, so an object ``y_true`` such as
``[True, 1, 0, False]`` was scored as two classes (``np.unique`` merged the
flag and the count), champion predictions ``[1, np.int64(1), True, ...]``
were "right" on every label 1, a ``pos_label=True`` picked the class 1, and
text predictions against integer labels were refused as "absent from
y_true" rather than for their kind. Ints and floats are one kind (numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    GateContext,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)

N = 40
Y = np.array([0, 1] * (N // 2))
A = Y.copy()
A[:4] = 1 - A[:4]
P = np.linspace(0.05, 0.95, N)


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


FLAGS_AND_COUNTS = _objects([True, 1, 0, False] * (N // 4))  # was two classes, not four
MIXED_ONES = _objects([1, np.int64(1), True, 0] * (N // 4))
TEXT_AND_NUMBERS = _objects(["a", 1] * (N // 2))


def _pb(y, a, b, **kw):
    return paired_bootstrap(y, a, b, metric=kw.pop("metric", "accuracy"), n_resamples=200,
                            rng=0, **kw)


def _ctx(**kw):
    args = {"y_true": Y, "champion": A, "challenger": Y, "rng": 0}
    args.update(kw)
    return GateContext(**args)


ONE_KIND = r"must be labels of one kind \(all text, all numbers or all booleans\)\. "
SAME_KIND = r"must be labels of the same kind as 'y_true''s "

CASES = [
    # within one argument
    (lambda: _pb(FLAGS_AND_COUNTS, Y, Y),
     rf"'y_true' parameter of paired_bootstrap {ONE_KIND}Got booleans and numbers \(True and 1\)"),
    (lambda: _pb(Y, MIXED_ONES, Y),
     rf"'champion' parameter of paired_bootstrap {ONE_KIND}"
     r"Got numbers and booleans \(1 and True\)"),
    (lambda: _pb(Y, Y, TEXT_AND_NUMBERS),
     rf"'challenger' parameter of paired_bootstrap {ONE_KIND}Got text and numbers \('a' and 1\)"),
    (lambda: paired_permutation(FLAGS_AND_COUNTS, Y, Y, metric="accuracy", n_resamples=100),
     rf"'y_true' parameter of paired_permutation {ONE_KIND}Got booleans and numbers"),
    (lambda: mcnemar(FLAGS_AND_COUNTS, Y, Y),
     rf"'y_true' parameter of mcnemar {ONE_KIND}Got booleans and numbers \(True and 1\)"),
    (lambda: mcnemar(Y, MIXED_ONES, Y),
     rf"'champion_pred' parameter of mcnemar {ONE_KIND}Got numbers and booleans"),
    (lambda: delong(FLAGS_AND_COUNTS, P, P),
     rf"'y_true' parameter of delong {ONE_KIND}Got booleans and numbers"),
    (lambda: _pb(FLAGS_AND_COUNTS, P, P, metric="log_loss"),
     rf"'y_true' parameter of paired_bootstrap {ONE_KIND}Got booleans and numbers"),
    (lambda: _ctx(slices=FLAGS_AND_COUNTS),
     rf"'slices' parameter of GateContext {ONE_KIND}Got booleans and numbers \(True and 1\)"),
    (lambda: _ctx(slices={"region": FLAGS_AND_COUNTS}),
     rf"'slices' parameter of GateContext {ONE_KIND}Got booleans and numbers"),
    (lambda: SliceNoRegression("accuracy", by=lambda c: FLAGS_AND_COUNTS,
                               min_slice_size=5).check(_ctx()),
     rf"'slices' parameter of SliceNoRegression {ONE_KIND}Got booleans and numbers"),
    # predictions of another kind than y_true
    (lambda: _pb(Y, Y.astype(str), Y),
     rf"'champion' parameter of paired_bootstrap {SAME_KIND}\(numbers, such as 0; convert one "
     r"of them, e\.g\. with astype\(int\) or astype\(str\)\)\. Got text such as '0'"),
    (lambda: _pb(Y, Y, Y.astype(bool)),
     rf"'challenger' parameter of paired_bootstrap {SAME_KIND}\(numbers, .*Got booleans"),
    (lambda: _pb(Y.astype(str), Y.astype(str), Y),
     rf"'challenger' parameter of paired_bootstrap {SAME_KIND}\(text, such as '0'.*Got numbers"),
    (lambda: mcnemar(Y, Y.astype(str), Y),
     rf"'champion_pred' parameter of mcnemar {SAME_KIND}\(numbers.*Got text such as '0'"),
    (lambda: mcnemar(Y.astype(bool), Y, Y),
     rf"'champion_pred' parameter of mcnemar {SAME_KIND}\(booleans, such as False.*Got numbers"),
    (lambda: NoRegression("accuracy", margin=0.0, n_resamples=200).check(
        _ctx(champion=A.astype(str))),
     rf"'champion' parameter of NoRegression {SAME_KIND}\(numbers.*Got text"),
    (lambda: SignificantImprovement("accuracy", n_resamples=200).check(
        _ctx(challenger=_objects([True, False] * (N // 2)))),
     rf"'challenger' parameter of SignificantImprovement {SAME_KIND}\(numbers.*Got booleans"),
    # a positive label of another kind than y_true's (True == 1 picked the class 1)
    (lambda: _pb(Y, P, P, metric="log_loss", pos_label=True),
     r"'pos_label' parameter of paired_bootstrap must be one of the labels in y_true\. "
     r"Got True"),
    (lambda: _pb(Y.astype(bool), P, P, metric="log_loss", pos_label=1),
     r"'pos_label' parameter of paired_bootstrap must be one of the labels in y_true\. Got 1"),
]


@pytest.mark.parametrize(("call", "match"), CASES)
def test_labels_of_two_kinds_are_refused_by_name(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def _accuracy_and_mcnemar(y, a, b):
    res = _pb(y, a, b)
    mc = mcnemar(y, a, b)
    return (res.champion_value, res.challenger_value, res.ci_low, res.ci_high,
            mc.n_champion_only, mc.n_challenger_only, mc.p_value)


@pytest.mark.parametrize(
    "encode",
    [
        lambda v: v,  # int64
        lambda v: v.astype(str),
        lambda v: v.astype(bool),
        lambda v: v.astype(float),  # 0.0 / 1.0
        lambda v: _objects([int(x) if i % 2 else np.int64(x) for i, x in enumerate(v)]),
        lambda v: _objects([str(x) for x in v]),
        lambda v: _objects([bool(x) for x in v]),
        lambda v: _objects([float(x) if i % 2 else int(x) for i, x in enumerate(v)]),
    ],
    ids=["int", "str", "bool", "float", "np.int64+int", "str objects", "bool objects",
         "int+float objects"],
)
def test_labels_of_one_kind_give_the_same_answer_as_before(encode):
    expected = _accuracy_and_mcnemar(Y, A, Y)
    assert _accuracy_and_mcnemar(encode(Y), encode(A), encode(Y)) == expected


def test_int_labels_against_float_predictions_are_one_kind():
    expected = _accuracy_and_mcnemar(Y, A, Y)
    assert _accuracy_and_mcnemar(Y, A.astype(float), Y.astype(np.int32)) == expected
    assert _pb(Y, P, P, metric="log_loss", pos_label=np.int64(1)).champion_value == pytest.approx(
        _pb(Y, P, P, metric="log_loss").champion_value)


def test_slice_labels_of_one_kind_give_the_same_answer():
    def check(slices):
        gate = SliceNoRegression("accuracy", by=lambda c: slices, min_slice_size=5,
                                 n_resamples=200)
        res = gate.check(_ctx())
        # a slice is named by its first label: '1.0' for the labels 1.0 and 1
        return res.passed, [{k: v for k, v in sl.items() if k != "slice"}
                            for sl in res.evidence["slices"]]

    expected = check(np.array([1, 2] * (N // 2)))
    assert len(expected[1]) == 2
    assert check(_objects([np.int64(1), 2] * (N // 2))) == expected
    assert check(_objects([1.0, 2, 1, 2.0] * (N // 4))) == expected
