"""Composition of gates into one report."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import attrs

from mllifecycle._validation import check_has_methods, described, fail
from mllifecycle.gates._context import GateContext, GateResult
from mllifecycle.gates._function import as_gate

__all__ = ["GateReport", "evaluate_gates"]


# unsafe_hash=False: its evidence is a dict, so it is unhashable (as dicts are)
@attrs.frozen(kw_only=True, unsafe_hash=False)
class GateReport:
    """The decision of a set of gates: whether the challenger may replace the champion.

    Attributes
    ----------
    passed : bool
        True when every gate passed (skipped gates count as passed).
    results : tuple of GateResult
        One result per gate, in order.
    reasons : tuple of str
        The summary: the overall verdict, then one line per gate.
    first_model : bool
        True when there was no champion: only absolute gates applied.
    n_samples : int

    Notes
    -----
    ``bool(report)`` is ``report.passed``, so ``if evaluate_gates(...):``
    reads the decision (as ``bool`` of a policy's ``RetrainDecision`` does).

    Examples
    --------
    >>> from mllifecycle.gates import GateContext, MetricThreshold, evaluate_gates
    >>> ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    >>> report = evaluate_gates([MetricThreshold("accuracy", minimum=0.7)], ctx)
    >>> report.passed, report.first_model
    (True, True)
    >>> bool(evaluate_gates([MetricThreshold("accuracy", minimum=0.9)], ctx))
    False
    """

    passed: bool
    results: tuple[GateResult, ...]
    reasons: tuple[str, ...]
    first_model: bool
    n_samples: int

    def __bool__(self) -> bool:
        # an object is truthy: a FAILED report read as True in ``if report:``
        return bool(self.passed)

    @property
    def failed(self) -> tuple[GateResult, ...]:
        """The results of the gates that failed."""
        return tuple(r for r in self.results if not r.passed)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-safe dict."""
        return {
            "passed": self.passed,
            "first_model": self.first_model,
            "n_samples": self.n_samples,
            "reasons": list(self.reasons),
            "results": [r.to_dict() for r in self.results],
        }

    def to_metrics(self) -> dict[str, float]:
        """Return the report as a flat ``name -> float`` dict for metric trackers.

        ``passed``, ``first_model``, ``n_samples`` and ``n_failed``, then each
        gate's :meth:`GateResult.to_metrics` under its name (each run of
        characters other than letters, digits and ``_ - . /`` becomes ``_``,
        as MLflow requires), e.g. ``"NoRegression_accuracy_margin_0.005.passed"``.

        Examples
        --------
        >>> from mllifecycle.gates import GateContext, MetricThreshold, evaluate_gates
        >>> ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
        >>> m = evaluate_gates([MetricThreshold("accuracy", minimum=0.7)], ctx).to_metrics()
        >>> m["passed"], m["MetricThreshold_accuracy_0.7.value"]
        (1.0, 0.8)
        """
        out = {
            "passed": float(self.passed),
            "first_model": float(self.first_model),
            "n_samples": float(self.n_samples),
            "n_failed": float(len(self.failed)),
        }
        used: set[str] = set()
        for r in self.results:
            base = re.sub(r"[^0-9A-Za-z_\-./]+", "_", r.name).strip("_")
            key, k = base, 1
            # a later gate named like a suffixed one ("check", "check", "check_2")
            # overwrote the second gate's numbers
            while key in used:
                k += 1
                key = f"{base}_{k}"
            used.add(key)
            for name, value in r.to_metrics().items():
                out[f"{key}.{name}"] = value
        return out

    def __repr__(self) -> str:
        lines = [f"GateReport: {self.reasons[0]}"]
        for r in self.results:
            lines.append(f"  [{r.status}] {r.name}")
            lines.extend(f"      {reason}" for reason in r.reasons)
        lines.extend(f"  note: {note}" for note in self.reasons[1:])
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        color = "#2e7d32" if self.passed else "#c62828"
        head = f"<p style='color:{color}'><b>{html.escape(self.reasons[0])}</b></p>"
        rows = "".join(
            "<tr>"
            f"<td>{html.escape(r.status)}</td><td>{html.escape(r.name)}</td>"
            f"<td>{'<br>'.join(html.escape(x) for x in r.reasons)}</td>"
            "</tr>"
            for r in self.results
        )
        notes = "".join(f"<li>{html.escape(x)}</li>" for x in self.reasons[1:])
        return (
            f"<div>{head}<table><thead><tr><th>status</th><th>gate</th><th>reasons</th>"
            f"</tr></thead><tbody>{rows}</tbody></table><ul>{notes}</ul></div>"
        )


def report_as_result(report: GateReport, name: str) -> GateResult:
    """One gate's result from the report of the gates it composes (a nested report).

    Skipped when every gate inside was skipped: the outer report counted such a
    gate as applied ("PASSED: 1 gate(s) passed", "the decision rests on 1
    absolute gate(s)") while nothing about the model had been checked.
    """
    skipped = bool(report.results) and all(r.skipped for r in report.results)
    reasons = [*report.reasons[:1]]
    for r in report.results:
        if not r.reasons:
            reasons.append(f"[{r.status}] {r.name}")
        reasons.extend(f"[{r.status}] {r.name}: {x}" for x in r.reasons)
    reasons.extend(report.reasons[1:])
    evidence = report.to_dict()
    # the reasons are above; passed is the result's own (to_metrics reads
    # the evidence over it)
    del evidence["reasons"], evidence["passed"]
    return GateResult(
        passed=report.passed,
        name=name,
        reasons=reasons,
        skipped=skipped and report.passed,
        evidence=evidence,
    )


def _as_result(obj: Any, gate: Any) -> GateResult:
    if isinstance(obj, GateResult):
        return obj
    if isinstance(obj, GateReport):
        name = getattr(gate, "name", None)
        return report_as_result(obj, name if isinstance(name, str) and name
                                else type(gate).__name__)
    if not hasattr(obj, "passed"):
        fail(
            "gates",
            "gates whose check(context) returns a GateResult",
            described(f"{type(gate).__name__}.check returned {type(obj).__name__}"),
            "evaluate_gates",
        )
    # a user's result object may leave name, reasons or evidence as None
    # (reasons=None crashed with "'NoneType' object is not iterable", name=None
    # named the gate "None")
    name = getattr(obj, "name", None)
    reasons = getattr(obj, "reasons", None)
    skipped = getattr(obj, "skipped", None)
    evidence = getattr(obj, "evidence", None)
    return GateResult(
        passed=obj.passed,
        name=type(gate).__name__ if name is None else str(name),
        reasons=() if reasons is None else reasons,
        skipped=False if skipped is None else skipped,
        evidence={} if evidence is None else evidence,
    )


def evaluate_gates(gates: Iterable[Any] | Any, context: GateContext) -> GateReport:
    """Check every gate on ``context`` and compose one report.

    Parameters
    ----------
    gates : Gate or iterable of Gate
        Objects with ``check(context) -> GateResult`` (built-in or your own);
        a plain function ``context -> bool | GateResult`` is wrapped with
        :func:`as_gate`. A gate may return a :class:`GateReport` (gates it
        composes with ``evaluate_gates``): it counts as one gate, skipped
        when every gate inside was skipped.
    context : GateContext

    Returns
    -------
    GateReport
        ``passed`` when every gate passed. With no champion (a first model)
        comparative gates are skipped and the report says so, rather than
        passing the model silently.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import (GateContext, MetricThreshold, NoRegression,
    ...                                evaluate_gates)
    >>> y = np.array([0, 1] * 50)
    >>> ctx = GateContext(y_true=y, challenger=y.copy(), rng=0)
    >>> gates = [MetricThreshold("accuracy", minimum=0.9),
    ...          NoRegression("accuracy", margin=0.01)]
    >>> report = evaluate_gates(gates, ctx)
    >>> report.passed, report.first_model
    (True, True)
    >>> print(report.reasons[1])
    no champion (first model): 1 comparative gate(s) skipped; the decision rests
    on 1 absolute gate(s)
    """
    caller = "evaluate_gates"
    if not isinstance(context, GateContext):
        fail("context", "a GateContext", described(type(context).__name__), caller)
    if hasattr(gates, "check") or callable(gates):
        seq = [gates]
    else:
        try:
            seq = list(gates)
        except TypeError:  # list(5): "'int' object is not iterable"
            fail("gates", "a gate or an iterable of gates", gates, caller)
    if not seq:
        fail("gates", "at least one gate", gates, caller)
    seq = [as_gate(g) if callable(g) and not hasattr(g, "check") else g for g in seq]
    for g in seq:
        if isinstance(g, type):  # its check(context) failed with a bare TypeError
            fail("gates", "gate instances, not classes (e.g. MetricThreshold('accuracy', "
                 "minimum=0.8))", described(f"the class {g.__name__}"), caller)
        check_has_methods(g, "gates", ["check"], caller)
    results = tuple(_as_result(g.check(context), g) for g in seq)
    passed = all(r.passed for r in results)
    n_fail = sum(not r.passed for r in results)
    n_skip = sum(r.skipped for r in results)
    applied = len(results) - n_skip
    if passed:
        verdict = f"PASSED: {applied} gate(s) passed"
    else:
        verdict = f"FAILED: {n_fail} of {len(results)} gate(s) failed"
    if n_skip:
        verdict += f", {n_skip} skipped"
    notes = [verdict]
    first = not context.has_champion
    if first:
        notes.append(
            f"no champion (first model): {n_skip} comparative gate(s) skipped; "
            f"the decision rests on {applied} absolute gate(s)"
        )
    if applied == 0:
        notes.append(
            "no gate applied: nothing about this model was checked "
            "(add an absolute gate such as MetricThreshold)"
        )
    return GateReport(
        passed=passed,
        results=results,
        reasons=tuple(notes),
        first_model=first,
        n_samples=context.n_samples,
    )
