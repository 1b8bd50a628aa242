"""Absolute gates: a floor or ceiling on the challenger's metric."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from mllifecycle._validation import check_bool, check_scalar, described, fail
from mllifecycle.gates._common import _check_context, _g, _undefined, _vs
from mllifecycle.gates._context import GateContext, GateResult, model_inputs
from mllifecycle.gates._metrics import METRIC_RANGES, MetricSpec, prepare, resolve_metric

__all__ = ["MetricThreshold"]


@attrs.frozen
class MetricThreshold:
    """An absolute floor or ceiling on the challenger's metric.

    Applies to a first model too (no champion needed).

    Parameters
    ----------
    metric : str or callable
        A metric name accepted by :func:`paired_bootstrap`, or a callable
        ``metric(y_true, y_pred) -> float``.
    minimum, maximum : float, optional
        The challenger passes when ``minimum <= value <= maximum``; give at
        least one. The direction is explicit: a floor for accuracy, a ceiling
        for log loss. A NumPy ``float32`` or ``float16`` bound (read from a
        config array, say) is taken as the decimal it prints as:
        ``np.float32(0.8)`` is 0.8, not the 0.800000011920929 it is in
        float64, so an accuracy of exactly 0.8 meets it.
    higher_is_better : bool, optional
        Only for callables (informational).
    use_proba : bool, default=False
        Pass probabilities to a callable metric.

    Raises
    ------
    InvalidParameterError
        At ``check``, when a callable metric returns NaN on the challenger
        (the metric is undefined on that data), as the paired gates refuse it.

    Examples
    --------
    >>> from mllifecycle.gates import GateContext, MetricThreshold
    >>> ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    >>> MetricThreshold("accuracy", minimum=0.7).check(ctx).passed
    True
    """

    metric: Any
    minimum: float | None = attrs.field(default=None, kw_only=True)
    maximum: float | None = attrs.field(default=None, kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "MetricThreshold"
        hib = self.higher_is_better
        if hib is None and not isinstance(self.metric, str):
            hib = True  # a threshold needs no direction: the bounds say it
        spec = resolve_metric(self.metric, hib, caller)
        if self.minimum is None and self.maximum is None:
            fail("minimum", "a float when maximum is None (give a bound)", None, caller)
        unbounded = (-float("inf"), float("inf"))
        low, high = unbounded if spec.kind == "callable" else METRIC_RANGES[spec.name]
        for nm in ("minimum", "maximum"):
            v = getattr(self, nm)
            if isinstance(v, np.floating) and v.dtype.itemsize < 8:
                # a float32 0.8 is 0.800000011920929 in float64: an accuracy of
                # exactly 0.8 failed minimum=np.float32(0.8). Read as the decimal
                # it prints as, the value its writer meant
                v = float(str(v))
            if v is not None:
                v = check_scalar(v, nm, caller=caller)
                if not low <= v <= high:
                    shown = f"[{low:g}, {high:g}]".replace("inf]", "inf)")
                    fail(
                        nm,
                        f"a bound within {spec.name}'s range {shown} (a bound outside makes "
                        "a gate that always passes or always fails; a fraction, not a "
                        "percentage)",
                        v,
                        caller,
                    )
                object.__setattr__(self, nm, v)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            fail("maximum", f"at least minimum={self.minimum!r}", self.maximum, caller)
        check_bool(self.use_proba, "use_proba", caller)
        object.__setattr__(self, "_spec", spec)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        spec: MetricSpec = self._spec
        parts = []
        if self.minimum is not None:
            parts.append(f"{spec.name} >= {_g(self.minimum)}")
        if self.maximum is not None:
            parts.append(f"{spec.name} <= {_g(self.maximum)}")
        return f"MetricThreshold({' and '.join(parts)})"

    def check(self, context: GateContext) -> GateResult:
        """Compare the challenger's metric with the bounds."""
        caller = "MetricThreshold"
        context = _check_context(context, caller)
        spec: MetricSpec = self._spec
        undefined = _undefined(spec, context, self.name, caller)
        if undefined is not None:
            return undefined
        _, challenger = model_inputs(spec, context, caller, use_proba=self.use_proba)
        proba = spec.kind in ("proba", "score") or (spec.kind == "callable" and self.use_proba)
        name = "challenger_proba" if proba else "challenger"
        problem = prepare(
            spec,
            context.y_true,
            challenger,
            challenger,
            sample_weight=context.sample_weight,
            classes=context.classes,
            caller=caller,
            names=(name, name),  # the challenger alone: errors must not name a champion
        )
        value = problem.observed()[1]
        if value != value:
            # a callable metric's NaN failed the gate on "nan < minimum 0.8", a
            # false statement (the paired gates refuse such data, as here)
            fail(
                "y_true",
                f"data on which {spec.name!r} is defined for the challenger",
                described(f"the value {value!r}"),
                caller,
            )
        ok = True
        reasons = []
        if self.minimum is not None:
            good = value >= self.minimum
            ok &= good
            op = ">=" if good else "<"
            shown, bound = _vs(value, self.minimum)
            reasons.append(f"{spec.name} {shown} {op} minimum {bound}")
        if self.maximum is not None:
            good = value <= self.maximum
            ok &= good
            op = "<=" if good else ">"
            shown, bound = _vs(value, self.maximum)
            reasons.append(f"{spec.name} {shown} {op} maximum {bound}")
        return GateResult(
            passed=ok,
            name=self.name,
            reasons=reasons,
            evidence={
                "metric": spec.name,
                "value": value,
                "minimum": self.minimum,
                "maximum": self.maximum,
                "n_samples": context.n_samples,
            },
        )
