"""The state a policy decides on, the decision it returns, function policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import described, fail

if TYPE_CHECKING:
    from mllifecycle.protocols import RetrainPolicy

__all__ = ["LifecycleState", "RetrainDecision", "FunctionPolicy", "as_policy"]

_ARRAY_FIELDS = ("new_errors", "current_X", "reference_X", "current_proba")


def _non_negative_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        fail(attribute.name, "a non-negative int", value, "LifecycleState")


def _optional_float(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        fail(attribute.name, "a float or None", value, "LifecycleState")


def _non_negative_float(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if not ok or not np.isfinite(value) or value < 0:
        fail(attribute.name, "a finite non-negative float", value, "LifecycleState")


# slots=False: the replay builds one state per batch and policy, and a plain
# instance __dict__ lets it do so without the per-field slot writes (see
# _unchecked_state below); the class is still frozen
@attrs.frozen(kw_only=True, slots=False)
class LifecycleState:
    """Everything a retraining policy may look at, at one decision point.

    A frozen snapshot built by :func:`mllifecycle.replay.replay` after every
    batch (or by application code in production). Only ``step`` is required;
    everything a monitor has not measured stays ``None``.

    Parameters
    ----------
    step : int
        Number of samples seen so far (the position in the stream).
    time : float, optional
        Timestamp of the latest sample (seconds), when the stream has times.
    samples_since_retrain : int, default=0
        Samples seen since the last retrain.
    time_since_retrain : float, optional
        Time elapsed since the last retrain.
    drift : tuple, default=()
        The latest drift results computed outside the policy (anything with a
        ``drift_detected`` attribute, e.g. ``mllifecycle.drift`` results).
    new_errors : ndarray of shape (k,), optional
        0/1 errors (1 = wrong) of the deployed model's predictions for the
        ``k`` labels that arrived since the previous decision.
    current_X : ndarray of shape (b, n_features), optional
        Features of the latest batch.
    reference_X : ndarray of shape (m, n_features), optional
        Features the deployed model was trained on.
    current_proba : ndarray of shape (b, n_classes), optional
        The deployed model's class probabilities on the latest batch.
    metric : float, optional
        Observed metric of the deployed model on recent labelled samples.
    metric_n : int, default=0
        Number of labelled samples behind ``metric``.
    metric_std_error : float, optional
        Standard error of ``metric`` (binomial when ``None`` and the metric
        lies in [0, 1]).
    metric_name : str, default="accuracy"
        Name of the metric (higher is better).
    estimated_metric : float, optional
        Label-free estimate of the metric on the latest batch (e.g. CBPE).
    estimated_std_error : float, optional
        Standard error of ``estimated_metric``.
    estimated_n : int, default=0
        Number of samples behind ``estimated_metric``.
    labels_available : int, default=0
        Number of labelled samples in the history; they are its first
        ``labels_available`` rows (labels arrive in order).
    retrains : int, default=0
        Retrains so far (each paid for, whether or not a gate let it deploy).
    model_version : int, default=0
        Incremented each time a new model is deployed.
    cost : float, default=0.0
        Cost so far (retrains x retrain cost + errors x error cost).
    retrain_cost : float, default=0.0
        Cost of one retrain, in the same unit as ``error_cost``.
    error_cost : float, default=0.0
        Cost of one wrong prediction.
    last_change_point : int, optional
        Stream position of the last change a policy reported.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState
    >>> state = LifecycleState(step=1000, samples_since_retrain=400)
    >>> state.samples_since_retrain
    400
    """

    step: int = attrs.field(validator=_non_negative_int)
    time: float | None = attrs.field(default=None, validator=_optional_float)
    samples_since_retrain: int = attrs.field(default=0, validator=_non_negative_int)
    time_since_retrain: float | None = attrs.field(default=None, validator=_optional_float)
    drift: tuple[Any, ...] = attrs.field(default=(), converter=tuple, eq=False)
    new_errors: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    current_X: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    reference_X: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    current_proba: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    metric: float | None = attrs.field(default=None, validator=_optional_float)
    metric_n: int = attrs.field(default=0, validator=_non_negative_int)
    metric_std_error: float | None = attrs.field(default=None, validator=_optional_float)
    metric_name: str = "accuracy"
    estimated_metric: float | None = attrs.field(default=None, validator=_optional_float)
    estimated_std_error: float | None = attrs.field(default=None, validator=_optional_float)
    estimated_n: int = attrs.field(default=0, validator=_non_negative_int)
    labels_available: int = attrs.field(default=0, validator=_non_negative_int)
    retrains: int = attrs.field(default=0, validator=_non_negative_int)
    model_version: int = attrs.field(default=0, validator=_non_negative_int)
    cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    retrain_cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    error_cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    last_change_point: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar fields as a JSON-safe dict (arrays as their shapes)."""
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            if f.name in _ARRAY_FIELDS:
                out[f.name + "_shape"] = None if value is None else list(np.shape(value))
            elif f.name == "drift":
                out["drift"] = [bool(getattr(r, "drift_detected", False)) for r in value]
            else:
                out[f.name] = jsonable(value)
        return out


_STATE_DEFAULTS: dict[str, Any] = {f.name: f.default for f in attrs.fields(LifecycleState)}
_new_object = object.__new__
_set_attribute = object.__setattr__


def _unchecked_state(**values: Any) -> LifecycleState:
    """Build a :class:`LifecycleState` from values the caller has checked.

    The replay builds one state per batch and policy from values it computed
    itself; this skips the validators (without touching attrs' process-wide
    switch) and builds the instance dict in one go. Unknown names raise
    TypeError; fields not given take their defaults; ``drift`` is made a
    tuple as the constructor's converter would.
    """
    fields = {**_STATE_DEFAULTS, **values}
    if len(fields) != len(_STATE_DEFAULTS):
        unknown = sorted(set(values) - set(_STATE_DEFAULTS))
        raise TypeError(f"LifecycleState has no field(s) {unknown}")
    if fields["step"] is attrs.NOTHING:
        raise TypeError("LifecycleState needs step")
    if "drift" in values:
        fields["drift"] = tuple(values["drift"])
    state = _new_object(LifecycleState)
    _set_attribute(state, "__dict__", fields)
    return state


@attrs.frozen(kw_only=True)
class RetrainDecision:
    """A policy's answer: retrain or not, and why.

    Parameters
    ----------
    retrain : bool
        Whether to retrain now.
    reason : str
        Human-readable reason (shown in replay reports).
    change_point : int, optional
        Stream position where the policy believes the data changed; used by
        :class:`~mllifecycle.policies.SinceLastDrift` to choose training rows.

    Examples
    --------
    >>> from mllifecycle.policies import RetrainDecision
    >>> d = RetrainDecision(retrain=True, reason="drift")
    >>> bool(d), d.reason
    (True, 'drift')
    """

    retrain: bool = attrs.field(converter=bool)
    reason: str = attrs.field(validator=attrs.validators.instance_of(str))
    change_point: int | None = None

    def __bool__(self) -> bool:
        return self.retrain

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as a JSON-safe dict."""
        return {
            "retrain": self.retrain,
            "reason": self.reason,
            "change_point": jsonable(self.change_point),
        }

    def _repr_html_(self) -> str:
        rows = [[k, format_value(v)] for k, v in self.to_dict().items()]
        return html_table(rows, ["field", "value"], caption="RetrainDecision")


def _callable_name(fn: Any) -> str:
    return str(getattr(fn, "__qualname__", None) or type(fn).__name__)


@attrs.define
class FunctionPolicy:
    """Wrap a plain function ``state -> bool | RetrainDecision`` as a policy.

    Parameters
    ----------
    func : callable
        Called with the :class:`LifecycleState`; may return a bool or a
        :class:`RetrainDecision`. Pickles when ``func`` does (a module-level
        function, not a lambda).

    Examples
    --------
    >>> from mllifecycle.policies import FunctionPolicy, LifecycleState
    >>> p = FunctionPolicy(lambda s: s.step >= 100)
    >>> p.should_retrain(LifecycleState(step=150)).retrain
    True
    """

    func: Callable[[LifecycleState], bool | RetrainDecision]

    def __attrs_post_init__(self) -> None:
        if not callable(self.func):
            fail("func", "a callable", self.func, "FunctionPolicy")

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Call the function and normalise its answer to a RetrainDecision."""
        out = self.func(state)
        if isinstance(out, RetrainDecision):
            return out
        if isinstance(out, bool | np.bool_):
            verdict = "retrain" if out else "keep"
            return RetrainDecision(
                retrain=bool(out), reason=f"{_callable_name(self.func)}: {verdict}"
            )
        if hasattr(out, "retrain") and hasattr(out, "reason"):
            return RetrainDecision(retrain=bool(out.retrain), reason=str(out.reason))
        raise TypeError(
            f"The policy function {_callable_name(self.func)} must return a bool or a "
            f"RetrainDecision. Got {type(out).__name__} instead."
        )


def as_policy(obj: Any, name: str = "policy", caller: str | None = None) -> RetrainPolicy:
    """Return ``obj`` as a policy: policies pass through, functions are wrapped.

    Parameters
    ----------
    obj : RetrainPolicy or callable
        An object with ``should_retrain(state)`` or a function
        ``state -> bool | RetrainDecision``.
    name, caller : str
        Used in the error message.

    Returns
    -------
    RetrainPolicy

    Raises
    ------
    InvalidParameterError
        (a ``TypeError``) naming the missing ``should_retrain()``.

    Examples
    --------
    >>> from mllifecycle.policies import as_policy, LifecycleState
    >>> def weekly(state):
    ...     return state.samples_since_retrain >= 7
    >>> state = LifecycleState(step=9, samples_since_retrain=9)
    >>> as_policy(weekly).should_retrain(state)
    RetrainDecision(retrain=True, reason='weekly: retrain', change_point=None)
    """
    if callable(getattr(obj, "should_retrain", None)):
        return obj  # type: ignore[no-any-return]
    if callable(obj) and not isinstance(obj, type):
        return FunctionPolicy(obj)
    fail(
        name,
        "a RetrainPolicy (an object with should_retrain(state)) or a function "
        "state -> bool | RetrainDecision",
        described(f"{type(obj).__name__}, which lacks should_retrain()"),
        caller,
    )
