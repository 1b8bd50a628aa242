"""Gate margins of a bounded metric's whole range are refused (a percentage typo).

``NoRegression("accuracy", margin=5)`` (5 points meant) passed any challenger,
one wrong on every row included; ``SignificantImprovement`` with such a margin
failed every one. ``MetricThreshold`` already refused bounds outside the range.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    CalibrationNoWorse,
    GateContext,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
)

REFUSED = [
    (lambda: NoRegression("accuracy", margin=5), "'margin'", "width 1 of accuracy"),
    (lambda: NoRegression("accuracy", margin=1.0), "'margin'", "width 1 of accuracy"),
    (lambda: SignificantImprovement("roc_auc", margin=np.float64(2)), "'margin'",
     "width 1 of roc_auc"),
    (lambda: SliceNoRegression("f1", margin=1), "'margin'", "width 1 of f1"),
    (lambda: CalibrationNoWorse(ece_margin=1.0), "'ece_margin'",
     "width 1 of expected_calibration_error"),
    (lambda: CalibrationNoWorse(brier_margin=5), "'brier_margin'", "width 2 of brier_score"),
]


@pytest.mark.parametrize(("make", "arg", "text"), REFUSED)
def test_whole_range_margins_are_refused(make, arg, text):
    with pytest.raises(InvalidParameterError) as info:
        make()
    msg = str(info.value)
    assert arg in msg
    assert text in msg
    assert "a fraction, not a percentage" in msg


def test_margins_within_the_range_and_unbounded_metrics_are_kept():
    assert NoRegression("accuracy", margin=0.99).margin == 0.99
    assert NoRegression("log_loss", margin=5).margin == 5.0
    assert NoRegression("mean_squared_error", margin=1e6).margin == 1e6
    cal = CalibrationNoWorse(brier_margin=1.5)
    assert cal.brier_margin == 1.5
    f = NoRegression(lambda y, p: float(np.mean(y == p)), higher_is_better=True, margin=5)
    assert f.margin == 5.0  # a callable's range is unknown


def test_a_whole_range_margin_passed_a_challenger_wrong_everywhere():
    y = np.tile([0, 1], 50)
    ctx = GateContext(y_true=y, champion=y.copy(), challenger=1 - y, rng=0)
    # the largest margin allowed still fails such a challenger
    assert not NoRegression("accuracy", margin=0.5, n_resamples=200).check(ctx).passed
