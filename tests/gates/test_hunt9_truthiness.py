"""``bool`` of a gate's result and of a report is the decision.

Objects are truthy by default: ``if evaluate_gates(gates, ctx): promote()``
promoted a challenger whose report said FAILED, and ``if gate.check(ctx):``
passed a failed gate.
"""

from __future__ import annotations

import pickle

import pytest

from mllifecycle.gates import GateContext, GateResult, MetricThreshold, evaluate_gates

CTX = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])  # accuracy 0.8


@pytest.mark.parametrize("minimum", [0.7, 0.8, 0.9])
def test_bool_of_result_and_report_is_passed(minimum: float) -> None:
    gate = MetricThreshold("accuracy", minimum=minimum)
    result = gate.check(CTX)
    report = evaluate_gates([gate], CTX)
    assert bool(result) is result.passed is (minimum <= 0.8)
    assert bool(report) is report.passed is result.passed
    assert bool(pickle.loads(pickle.dumps(report))) is report.passed


def test_skipped_result_is_true() -> None:
    assert GateResult(passed=True, name="g", skipped=True)
    assert not GateResult(passed=False, name="g")
