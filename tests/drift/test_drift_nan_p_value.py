"""A p-value a test could not compute (NaN) is no detection.

``make_result`` clipped p-values with ``min(1, max(0, p))``, and ``max(0.0,
nan)`` is 0.0: a NaN p-value reported drift at any alpha.
"""

from __future__ import annotations

import math

import pytest

from mllifecycle.drift._detect import build_report
from mllifecycle.drift._result import make_result
from mllifecycle.exceptions import DegenerateDataWarning


def _result(p):
    return make_result("ks", 0.5, p, 0.5, 30, 30, alpha=0.05)


def test_a_nan_p_value_is_no_detection_and_warns():
    with pytest.warns(DegenerateDataWarning, match=r"ks: the p-value is undefined \(NaN\)"):
        r = _result(math.nan)
    assert math.isnan(r.p_value)
    assert r.drift_detected is False


@pytest.mark.parametrize(("p", "clipped"), [(-1e-17, 0.0), (1.0 + 1e-15, 1.0), (0.01, 0.01)])
def test_other_p_values_are_clipped_as_before(p, clipped):
    r = _result(p)
    assert r.p_value == clipped
    assert r.drift_detected is (clipped < 0.05)


def test_a_report_leaves_an_undecided_column_out_of_the_correction():
    with pytest.warns(DegenerateDataWarning):
        nan = _result(math.nan)
    results = {"a": nan, "b": _result(0.02), "c": _result(0.5)}
    report = build_report(["a", "b", "c"], ["ks"] * 3, results, alpha=0.05,
                          correction="holm", min_effect=None, n1=30, n2=30)
    by = {f.name: f for f in report.features}
    assert math.isnan(by["a"].adjusted_p_value)
    assert by["a"].drift_detected is False
    # Holm over the two decided columns: 0.02 * 2
    assert by["b"].adjusted_p_value == pytest.approx(0.04)
    assert by["b"].drift_detected is True
    assert by["c"].drift_detected is False
