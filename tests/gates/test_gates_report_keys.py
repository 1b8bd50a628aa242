"""GateReport.to_metrics gives every gate its own keys."""

from __future__ import annotations

import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold, NoRegression, as_gate, evaluate_gates


def _gate(passed, name):
    return as_gate(lambda ctx: passed, name=name)


def test_a_gate_named_like_a_suffixed_key_does_not_overwrite_it():
    # "check", "check", "check_2": the third gate's numbers replaced the
    # second's, so a failed gate showed as passed (n_failed 1, no 0.0 key)
    ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    for names in (["check", "check", "check_2"], ["check_2", "check", "check"]):
        gates = [_gate(n != names[1] or i != 1, n) for i, n in enumerate(names)]
        report = evaluate_gates(gates, ctx)
        metrics = report.to_metrics()
        passed = {k: v for k, v in metrics.items() if k.endswith(".passed")}
        assert len(passed) == 3
        assert sorted(passed.values()) == [0.0, 1.0, 1.0]
        assert metrics["n_failed"] == 1.0


@pytest.mark.parametrize("gates", [MetricThreshold, [MetricThreshold("accuracy", minimum=0.5),
                                                     NoRegression]])
def test_a_gate_class_instead_of_an_instance_is_refused_naming_gates(gates):
    # its check(context) was called unbound: a bare TypeError "missing 1
    # required positional argument: 'context'"
    ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    with pytest.raises(InvalidParameterError, match=r"'gates' parameter of evaluate_gates "
                       r"must be gate instances, not classes.*Got the class"):
        evaluate_gates(gates, ctx)
