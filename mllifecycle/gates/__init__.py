"""Evaluation gates: may the challenger replace the champion.

Paired statistical comparisons (:func:`paired_bootstrap`,
:func:`paired_permutation`, :func:`mcnemar`, :func:`delong`) return frozen
result objects carrying the evidence. Gates (objects with ``check(context) ->
GateResult``; write your own, or wrap a plain function with :func:`as_gate`)
turn them into decisions, and :func:`evaluate_gates` composes gates into one
:class:`GateReport`. The ``mllifecycle gate`` command runs them in CI.
"""

from __future__ import annotations

from mllifecycle.gates._calibration import CalibrationNoWorse
from mllifecycle.gates._compare import (
    MIN_CLASS_COUNT,
    MIN_DIFFERING,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)
from mllifecycle.gates._context import GateContext, GateResult
from mllifecycle.gates._function import FunctionGate, as_gate
from mllifecycle.gates._paired import NoRegression, SignificantImprovement
from mllifecycle.gates._report import GateReport, evaluate_gates
from mllifecycle.gates._slices import SliceNoRegression
from mllifecycle.gates._threshold import MetricThreshold
from mllifecycle.gates._types import (
    BootstrapResult,
    DeLongResult,
    McNemarResult,
    PermutationResult,
)

__all__ = [
    "paired_bootstrap",
    "paired_permutation",
    "mcnemar",
    "delong",
    "BootstrapResult",
    "McNemarResult",
    "DeLongResult",
    "PermutationResult",
    "MIN_DIFFERING",
    "MIN_CLASS_COUNT",
    "GateContext",
    "GateResult",
    "GateReport",
    "evaluate_gates",
    "as_gate",
    "FunctionGate",
    "MetricThreshold",
    "NoRegression",
    "SignificantImprovement",
    "SliceNoRegression",
    "CalibrationNoWorse",
]
