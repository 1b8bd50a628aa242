"""Gates composed inside a gate: a nested GateReport counts as one gate, read right.

A user's gate (a plain class, or a function given to ``as_gate``) that
composes gates with ``evaluate_gates`` returns a GateReport. Every gate
inside skipped (a first model) made the outer report say "PASSED: 1 gate(s)
passed" and "the decision rests on 1 absolute gate(s)" while nothing was
checked; a function returning one was refused; the inner gates' reasons were
dropped; a user's result with ``reasons=None`` crashed with a bare TypeError.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    NoRegression,
    as_gate,
    evaluate_gates,
)


class _Composed:
    """A user's gate: the all-of of its gates (no inheritance)."""

    def __init__(self, gates: list) -> None:
        self.gates = gates

    def check(self, context: GateContext):
        return evaluate_gates(self.gates, context)


def _context(champion: bool) -> GateContext:
    y = np.array([0, 1] * 50)
    challenger = y.copy()
    challenger[:10] = 1 - challenger[:10]  # accuracy 0.9
    return GateContext(y_true=y, challenger=challenger,
                       champion=y.copy() if champion else None, rng=0)


def _composed_class(gates: list):
    return _Composed(gates)


def _composed_function(gates: list):
    return as_gate(lambda ctx: evaluate_gates(gates, ctx), name="composed")


@pytest.mark.parametrize("make", [_composed_class, _composed_function])
def test_all_skipped_inside_is_skipped_outside(make) -> None:
    ctx = _context(champion=False)
    inner = [NoRegression("accuracy", margin=0.01, n_resamples=200)]
    report = evaluate_gates([make(inner)], ctx)
    direct = evaluate_gates(inner, ctx)
    assert report.passed is direct.passed is True
    assert report.results[0].skipped
    assert report.results[0].status == "SKIP"
    # the outer summary says what the inner one says: nothing was checked
    assert report.reasons == direct.reasons
    assert any("no gate applied" in note for note in report.reasons)


@pytest.mark.parametrize("make", [_composed_class, _composed_function])
@pytest.mark.parametrize("champion", [False, True])
@pytest.mark.parametrize("minimum", [0.8, 0.95])
def test_nested_decision_and_reasons_match_the_inner_report(make, champion, minimum) -> None:
    ctx = _context(champion)
    inner = [MetricThreshold("accuracy", minimum=minimum),
             NoRegression("accuracy", margin=0.01, n_resamples=200)]
    direct = evaluate_gates(inner, ctx)
    result = evaluate_gates([make(inner)], ctx).results[0]
    assert result.passed is direct.passed
    assert not result.skipped
    # every inner gate's reasons are kept, under its name and status
    for r in direct.results:
        for line in r.reasons:
            assert f"[{r.status}] {r.name}: {line}" in result.reasons
    assert result.evidence["results"] == [r.to_dict() for r in direct.results]


def test_user_result_with_none_fields() -> None:
    class Result:
        passed = True
        name = None
        reasons = None
        evidence = None
        skipped = None

    class Gate:
        def check(self, context):
            return Result()

    report = evaluate_gates([Gate()], _context(champion=False))
    assert report.passed
    res = report.results[0]
    assert res.name == "Gate"
    assert res.reasons == ()
    assert res.evidence == {}
    assert not res.skipped
