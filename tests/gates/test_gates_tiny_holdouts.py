"""No gate passes a challenger on fewer rows than any paired test can decide on.

The smallest one-sided p-value of an exact paired test on ``n`` rows is
``2 ** -n``: below 5 rows at ``alpha=0.05`` (7 at 0.01) nothing can be shown.
With a margin the bootstrap decides, and on 1-3 rows its interval is the range
of the rows' values (often of width zero): ``NoRegression(margin=0.01)`` passed
a one-row holdout, ``SignificantImprovement(margin=0.01)`` two rows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle._levels import min_paired_rows
from mllifecycle.gates import (
    CalibrationNoWorse,
    GateContext,
    NoRegression,
    SignificantImprovement,
    evaluate_gates,
)


def _labels(n):
    y = np.ones(n, dtype=int)
    y[: n // 2] = 0
    return y


def _same(n):
    y = _labels(n)
    return GateContext(y_true=y, champion=y.copy(), challenger=y.copy(), rng=0,
                       classes=[0, 1])


def _better(n):
    y = _labels(n)
    return GateContext(y_true=y, champion=1 - y, challenger=y.copy(), rng=0, classes=[0, 1])


def _calibrated(n):
    y = _labels(n)
    p = np.where(y == 1, 0.9, 0.1).astype(float)
    return GateContext(y_true=y, champion=y.copy(), challenger=y.copy(), rng=0,
                       champion_proba=p, challenger_proba=p.copy(), classes=[0, 1])


def _scores(n):
    y = _labels(n)
    return GateContext(y_true=y, champion=y.copy(), challenger=y.copy(), rng=0,
                       champion_proba=np.full(n, 0.5), challenger_proba=y * 0.8 + 0.1)


GATES = [
    (lambda a: NoRegression("accuracy", margin=0.01, alpha=a, n_resamples=200), _same),
    (lambda a: NoRegression("accuracy", margin=0.01, alpha=a, n_resamples=200), _better),
    (lambda a: SignificantImprovement("accuracy", margin=0.01, alpha=a, n_resamples=200),
     _better),
    (lambda a: CalibrationNoWorse(alpha=a, n_resamples=200), _calibrated),
    (lambda a: SignificantImprovement("roc_auc", method="delong", margin=0.01, alpha=a,
                                      n_resamples=200), _scores),
]
IDS = ["noregression-same", "noregression-better", "improvement-better", "calibration",
       "delong-margin"]


@pytest.mark.parametrize(("make", "context"), GATES, ids=IDS)
@pytest.mark.parametrize(("alpha", "n"), [(0.05, 1), (0.05, 2), (0.05, 3), (0.05, 4),
                                          (0.01, 6)])
def test_too_few_rows_do_not_pass(make, context, alpha, n):
    ctx = context(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = make(alpha).check(ctx)
    if context is _scores and n == 1:
        assert res.skipped  # ROC AUC is undefined on one class: not judged
        return
    assert not res.passed
    assert not res.skipped
    assert res.evidence.get("insufficient_evidence") is True
    assert any(r.startswith("insufficient evidence: small sample") for r in res.reasons)
    assert f"fewer than {min_paired_rows(alpha)} examples" in res.reasons[-1]


@pytest.mark.parametrize(("make", "context"), GATES[:4], ids=IDS[:4])
def test_enough_rows_still_decide(make, context):
    # at the minimum (5 rows at 0.05) the bootstrap decides as before
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = make(0.05).check(context(5))
    assert res.passed
    assert "insufficient_evidence" not in res.evidence


def test_report_fails_on_a_one_row_holdout():
    report = evaluate_gates([NoRegression("accuracy", margin=0.02)], _same(1))
    assert not report.passed


@pytest.mark.parametrize(("alpha", "rows"), [(0.05, 5), (0.0625, 5), (0.01, 7), (0.25, 3),
                                             (0.2, 3), (0.001, 10)])
def test_min_paired_rows(alpha, rows):
    assert min_paired_rows(alpha) == rows
    assert 2.0 ** -rows < alpha <= 2.0 ** -(rows - 1)


def test_rows_of_weight_zero_are_not_evidence():
    y = _labels(100)
    w = np.zeros(100)
    w[[0, 50, 99]] = 1.0  # three rows carry all the weight
    ctx = GateContext(y_true=y, champion=y.copy(), challenger=y.copy(), rng=0, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = NoRegression("accuracy", margin=0.01, n_resamples=200).check(ctx)
    assert not res.passed
    assert "n=3 of positive weight" in res.reasons[-1]
    w[:10] = 1.0
    ctx = GateContext(y_true=y, champion=y.copy(), challenger=y.copy(), rng=0, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert NoRegression("accuracy", margin=0.01, n_resamples=200).check(ctx).passed
