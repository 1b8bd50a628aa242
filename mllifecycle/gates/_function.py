"""A gate from a plain function: ``as_gate(func)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from mllifecycle._validation import check_callable, described, fail
from mllifecycle.gates._common import _check_context
from mllifecycle.gates._context import GateContext, GateResult

__all__ = ["FunctionGate", "as_gate"]


@attrs.frozen
class FunctionGate:
    """A gate whose decision is a plain function of the context.

    Built by :func:`as_gate`; see there.

    Examples
    --------
    >>> from mllifecycle.gates import FunctionGate, GateContext
    >>> gate = FunctionGate(lambda ctx: ctx.n_samples >= 3, name="enough rows")
    >>> gate.check(GateContext(y_true=[0, 1, 1], challenger=[0, 1, 0])).passed
    True
    """

    func: Callable[[GateContext], Any] = attrs.field()
    name: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_callable(self.func, "func", "as_gate")
        if not isinstance(self.name, str):
            fail("name", "a str", self.name, "as_gate")
        if not self.name:
            object.__setattr__(self, "name", getattr(self.func, "__name__", "gate"))

    def check(self, context: GateContext) -> GateResult:
        """Call the function on ``context`` and wrap its answer in a GateResult."""
        context = _check_context(context, self.name)
        out = self.func(context)
        if isinstance(out, GateResult):
            return out
        from mllifecycle.gates._report import GateReport, report_as_result

        if isinstance(out, GateReport):  # gates composed in a function: one gate
            return report_as_result(out, self.name)
        if isinstance(out, bool | np.bool_):
            verdict = "passed" if out else "failed"
            return GateResult(
                passed=bool(out),
                name=self.name,
                reasons=[f"{self.name} returned {bool(out)}: {verdict}"],
            )
        fail(
            "func",
            "a function returning a bool, a GateResult or a GateReport",
            described(f"a function returning {type(out).__name__}"),
            self.name,
        )


def as_gate(func: Callable[[GateContext], Any], *, name: str | None = None) -> FunctionGate:
    """Turn a plain function ``context -> bool | GateResult`` into a gate.

    The result has ``check(context)``, so it goes into :func:`evaluate_gates`
    (which also wraps bare functions itself), :func:`mllifecycle.testing.check_gate`
    and anywhere a gate is accepted. A bool answer becomes a
    :class:`GateResult` named after the function; a GateResult is passed
    through as it is; a :class:`GateReport` (gates composed in the function
    with :func:`evaluate_gates`) becomes one result, skipped when every gate
    inside was skipped. It pickles when ``func`` does (a module-level function).

    Parameters
    ----------
    func : callable
        ``func(context)`` with a :class:`GateContext`; returns a bool, a
        :class:`GateResult` or a :class:`GateReport`.
    name : str, optional
        Display name (default: the function's ``__name__``).

    Returns
    -------
    FunctionGate

    Raises
    ------
    InvalidParameterError
        If ``func`` is not callable, or (at ``check``) returns something other
        than a bool, a GateResult or a GateReport.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import GateContext, MetricThreshold, as_gate, evaluate_gates
    >>> def predicts_both_classes(ctx):
    ...     return np.unique(ctx.challenger).size == 2
    >>> ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    >>> report = evaluate_gates(
    ...     [as_gate(predicts_both_classes), MetricThreshold("accuracy", minimum=0.7)], ctx
    ... )
    >>> [r.status for r in report.results]
    ['PASS', 'PASS']
    """
    return FunctionGate(func, name="" if name is None else name)
