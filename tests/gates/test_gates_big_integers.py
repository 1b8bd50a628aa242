"""Integers beyond 2**53 as scores or labels: float64 would merge neighbours.

``float(2**53 + 1) == 2**53``: integer scores that far out lost their order
(ROC AUC 0.625 where scikit-learn, which sorts the integers, says 0.75), and an
integer label compared with a float prediction was "right" whenever the float
rounded onto it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)

BIG = 2**53
Y = np.array([0, 1, 0, 1, 1, 0, 1, 0])
S_SMALL = np.array([0, 1, 2, 3, 3, 4, 6, 5])  # a tie, and order that matters
S_BIG = S_SMALL.astype(np.int64) + BIG
T_SMALL = np.array([5, 1, 0, 7, 2, 3, 6, 4])
T_BIG = T_SMALL.astype(np.int64) - 2**62


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return fn()


@pytest.mark.parametrize(
    ("name", "run"),
    [
        ("delong", lambda a, b: (lambda r: (r.champion_auc, r.challenger_auc))(
            delong(Y, a, b, test="delong"))),
        ("paired_bootstrap", lambda a, b: (lambda r: (r.champion_value, r.challenger_value))(
            paired_bootstrap(Y, a, b, metric="roc_auc", n_resamples=40, rng=0))),
        ("paired_permutation", lambda a, b: (lambda r: (r.champion_value, r.challenger_value))(
            paired_permutation(Y, a, b, metric="roc_auc", rng=0))),
        ("pandas Int64", lambda a, b: (lambda r: (r.champion_auc, r.challenger_auc))(
            delong(Y, pd.Series(a, dtype="Int64"), pd.Series(b, dtype="Int64"),
                   test="delong"))),
    ],
)
def test_big_integer_scores_keep_their_order(name, run):
    want = (roc_auc_score(Y, S_SMALL), roc_auc_score(Y, T_SMALL))
    assert want == (roc_auc_score(Y, S_BIG), roc_auc_score(Y, T_BIG))  # the reference
    got = _quiet(lambda: run(S_BIG, T_BIG))
    small = _quiet(lambda: run(S_SMALL, T_SMALL))
    assert got == pytest.approx(want, abs=1e-15)
    assert got == small


def test_big_integer_scores_same_p_value_as_their_offsets():
    big = _quiet(lambda: paired_permutation(Y, S_BIG, T_BIG, metric="roc_auc", rng=0))
    small = _quiet(lambda: paired_permutation(Y, S_SMALL, T_SMALL, metric="roc_auc", rng=0))
    assert big.p_value == small.p_value


YB = np.array([BIG + 1, BIG, BIG + 1, BIG, BIG + 1, BIG], dtype=np.int64)
# every prediction of class BIG + 1 written as a float is 2**53: wrong on three rows
PRED_FLOAT = YB.astype(np.float64)


@pytest.mark.parametrize(
    ("run", "argname"),
    [
        (lambda: mcnemar(YB, PRED_FLOAT, YB), "champion_pred"),
        (lambda: mcnemar(YB, YB, PRED_FLOAT), "challenger_pred"),
        (lambda: paired_bootstrap(YB, PRED_FLOAT, YB, metric="accuracy", n_resamples=40),
         "champion"),
        (lambda: paired_permutation(YB, YB, PRED_FLOAT, metric="accuracy"), "challenger"),
        (lambda: paired_bootstrap(PRED_FLOAT, YB, YB, metric="accuracy", n_resamples=40),
         "y_true"),
        (lambda: MetricThreshold("accuracy", minimum=0.5).check(
            GateContext(y_true=YB, challenger=PRED_FLOAT)), "challenger"),
    ],
)
def test_big_integer_labels_against_float_predictions_are_refused(run, argname):
    with pytest.raises(InvalidParameterError, match=rf"'{argname}' parameter") as err:
        _quiet(run)
    msg = str(err.value)
    assert "2**53" in msg
    assert "float" in msg


def test_big_integer_labels_compared_exactly_when_both_are_integers():
    pred = YB.copy()
    pred[0] = BIG  # one mistake
    res = mcnemar(YB, pred, YB)
    assert (res.champion_accuracy, res.challenger_accuracy) == (5 / 6, 1.0)
    # small labels written as floats stay accepted
    ok = mcnemar(np.array([0, 1, 1]), np.array([0.0, 1.0, 0.0]), np.array([0, 1, 1]))
    assert ok.champion_accuracy == 2 / 3


def _exact_auc(y, s):
    from fractions import Fraction

    pos, neg = s[y == 1], s[y == 0]
    wins = sum(Fraction(int(p > q)) + Fraction(int(p == q), 2) for p in pos for q in neg)
    return float(wins / (pos.size * neg.size))


@pytest.mark.parametrize(
    ("y", "s"),
    [
        (Y, np.zeros(8)),  # every score tied: exactly 0.5 (was 0.49999999999999994)
        (Y, np.full(8, 1e300)),
        (np.array([0, 1, 1, 0, 1, 0, 1]), np.array([.1, .4, .4, .4, .2, .2, .9])),
        (np.r_[np.zeros(30, int), np.ones(7, int)], np.round(np.linspace(0, 1, 37) ** 2, 1)),
    ],
)
def test_delong_aucs_are_the_exact_mann_whitney_fraction(y, s):
    res = _quiet(lambda: delong(y, s, s[::-1].copy(), test="delong"))
    assert res.champion_auc == _exact_auc(y, s)
    assert res.challenger_auc == _exact_auc(y, s[::-1])
