"""The value types of the lifecycle loop: state, decision, window selection.

They live here, outside every subpackage, so :mod:`mllifecycle.protocols`
can name them without importing a subpackage; users import them from
:mod:`mllifecycle.policies`, which re-exports them.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import described, fail

__all__ = ["LifecycleState", "RetrainDecision", "WindowSelection"]

_ARRAY_FIELDS = ("new_errors", "current_X", "reference_X", "current_proba")
_CALLER = "LifecycleState"


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)


def _is_finite(value: Any) -> bool:
    """``math.isfinite(float(value))``, False for an int beyond the float range."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _non_negative_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        fail(attribute.name, "a non-negative int", value, _CALLER)


def _optional_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _non_negative_int(inst, attribute, value)


def _optional_float(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not _is_number(value):
        fail(attribute.name, "a finite float or None", value, _CALLER)
    if not _is_finite(value):
        fail(attribute.name, "a finite float or None (not NaN or infinite)", value, _CALLER)


def _optional_std_error(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _optional_float(inst, attribute, value)
    if value is not None and value < 0:
        fail(attribute.name, "a finite non-negative float or None", value, _CALLER)


def _refuse_non_numeric(value: npt.NDArray[Any], name: str, expected: str) -> None:
    """Refuse an array that is not of booleans, integers or floats, showing its dtype."""
    if value.dtype.kind not in "biuf":
        fail(name, expected, described(f"an array of dtype {value.dtype}"), _CALLER)


def _refuse_outside_unit(value: npt.NDArray[Any], name: str, expected: str) -> None:
    """Refuse a numeric array holding a value outside [0, 1], showing the first extreme."""
    if value.size and value.dtype.kind != "b":
        low, high = value.min(), value.max()
        if low < 0 or high > 1:
            bad = low if low < 0 else high
            fail(name, expected, described(f"a value {float(bad)!r}"), _CALLER)


def _optional_errors(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``new_errors``: None or a 1-D array of error rates in [0, 1] (0/1: 1 = wrong)."""
    _optional_array(inst, attribute, value)
    if value is None:
        return
    _refuse_non_numeric(value, attribute.name, "a 1-D array of 0/1 errors (1 = wrong) or None")
    if value.ndim != 1:
        fail(
            attribute.name,
            "a 1-D array of 0/1 errors (1 = wrong) or None",
            described(f"an array of shape {value.shape}"),
            _CALLER,
        )
    _refuse_outside_unit(value, attribute.name, "an array of errors in [0, 1] (1 = wrong)")


def _drift_results(value: Any) -> tuple[Any, ...]:
    """``drift``: a sequence of drift results as a tuple; None (nothing measured) is ``()``.

    A single result, a string or anything not iterable is refused naming
    ``drift`` (``tuple()`` raised a bare TypeError, or split a string into
    its letters).
    """
    if value is None:
        return ()
    if isinstance(value, str | bytes | dict) or hasattr(value, "drift_detected") or not hasattr(
        value, "__iter__"
    ):
        fail("drift", "a tuple of drift results (objects with a drift_detected attribute), "
             "or () / None", value, _CALLER)
    return tuple(value)


def _non_negative_float(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not _is_number(value) or not _is_finite(value) or value < 0:
        fail(attribute.name, "a finite non-negative float", value, _CALLER)


def _optional_array(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, np.ndarray):
        fail(
            attribute.name,
            "a NumPy array or None (convert a list with numpy.asarray)",
            described(f"a {type(value).__name__}"),
            _CALLER,
        )
    if value.dtype.kind in "fc" and not np.isfinite(value).all():
        fail(
            attribute.name,
            "an array of finite values",
            described("NaN or infinite values"),
            _CALLER,
        )


def _optional_proba(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``current_proba``: None or an array of class probabilities, each in [0, 1]."""
    _optional_array(inst, attribute, value)
    if value is None:
        return
    if value.ndim not in (1, 2):
        fail(
            attribute.name,
            "an array of shape (b, n_classes), or (b,) for a binary model's positive-class "
            "probabilities, or None",
            described(f"an array of shape {value.shape}"),
            _CALLER,
        )
    _refuse_non_numeric(value, attribute.name, "an array of class probabilities in [0, 1] or None")
    _refuse_outside_unit(value, attribute.name, "an array of class probabilities in [0, 1]")


def _optional_elapsed(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``time_since_retrain``: None or a finite non-negative float (elapsed time)."""
    _optional_float(inst, attribute, value)
    if value is not None and value < 0:
        fail(attribute.name, "a finite non-negative float (an elapsed time) or None", value,
             _CALLER)


# fields that count or locate samples seen, so at most step
_BOUNDED_BY_STEP = (
    ("samples_since_retrain", "a count or position"),
    ("labels_available", "a count or position"),
    ("deployed_at", "a count or position"),
    ("last_change_point", "a position"),
)


# slots=False: the replay builds one state per batch and policy, and a plain
# instance __dict__ lets it do so without the per-field slot writes (see
# _unchecked_state below); the class is still frozen
@attrs.frozen(kw_only=True, slots=False)
class LifecycleState:
    """Everything a retraining policy may look at, at one decision point.

    A frozen snapshot built by :func:`mllifecycle.replay.replay` after every
    batch (or by application code in production). Only ``step`` is required;
    everything a monitor has not measured stays ``None``. Numbers must be
    finite (NaN is refused) and arrays NumPy arrays.

    Parameters
    ----------
    step : int
        Number of samples seen so far (the position in the stream).
    time : float, optional
        Timestamp of the latest sample (seconds), when the stream has times.
    samples_since_retrain : int, default=0
        Samples seen since the last retrain (at most ``step``).
    time_since_retrain : float, optional
        Time elapsed since the last retrain (non-negative).
    drift : tuple, default=()
        The latest drift results computed outside the policy (anything with a
        ``drift_detected`` attribute, e.g. ``mllifecycle.drift`` results);
        ``None`` is read as ``()``.
    new_errors : ndarray of shape (k,), optional
        0/1 errors (1 = wrong) of the deployed model's predictions for the
        ``k`` labels that arrived since the previous decision: the newest
        ``k`` labelled rows, so ``k <= labels_available``; values outside
        [0, 1] are refused.
    current_X : ndarray of shape (b, n_features), optional
        Features of the latest batch: the rows ``step - b:step``, so
        ``b <= step``. Floats, or an object array where a replayed table
        has a text, boolean or categorical column: booleans as ``True`` /
        ``False`` (``None`` where missing) and a categorical column of numbers
        as the text of its labels, so a drift test on these arrays treats
        them as :func:`mllifecycle.drift.detect` treats the table (as
        categories, not as numbers).
    reference_X : ndarray of shape (m, n_features), optional
        Features the deployed model was trained on (of the same kind).
    current_proba : ndarray of shape (b, n_classes) or (b,), optional
        The deployed model's class probabilities on the latest batch
        (``b <= step``); a 1-D array holds a binary model's positive-class
        probabilities (as :class:`~mllifecycle.estimate.CBPE` reads them).
        Values outside [0, 1] are refused.
    metric : float, optional
        Observed metric of the deployed model on recent labelled samples.
    metric_n : int, default=0
        Number of labelled samples behind ``metric``.
    metric_std_error : float, optional
        Standard error of ``metric``, non-negative (binomial when ``None`` and
        the metric lies in [0, 1]).
    metric_name : str, default="accuracy"
        Name of the metric (higher is better).
    estimated_metric : float, optional
        Label-free estimate of the metric on the latest batch (e.g. CBPE).
    estimated_std_error : float, optional
        Standard error of ``estimated_metric``, non-negative.
    estimated_n : int, default=0
        Number of samples behind ``estimated_metric``.
    labels_available : int, default=0
        Number of labelled samples in the history; they are its first
        ``labels_available`` rows (labels arrive in order), so at most ``step``.
    retrains : int, default=0
        Retrains so far (each paid for, whether or not a gate let it deploy).
    model_version : int, default=0
        Incremented each time a new model is deployed.
    deployed_at : int, default=0
        Stream position of the first sample the deployed model predicted (at
        most ``step``); its labelled predictions are the rows
        ``deployed_at:labels_available``.
    cost : float, default=0.0
        Cost so far (retrains x retrain cost + errors x error cost).
    retrain_cost : float, default=0.0
        Cost of one retrain, in the same unit as ``error_cost``.
    error_cost : float, default=0.0
        Cost of one wrong prediction.
    last_change_point : int, optional
        Stream position of the last change a policy reported (at most ``step``).
    challenge : callable, optional
        Set by :func:`mllifecycle.replay.replay`:
        ``challenge(train_start, train_stop, test_stop)`` fits a challenger
        (a clone of the replayed estimator) on the labelled rows
        ``train_start:train_stop`` and returns the 0/1 errors of the
        challenger and of the deployed model on the labelled rows
        ``train_stop:test_stop`` (``test_stop <= labels_available``), as a
        pair of arrays. Used by :class:`~mllifecycle.policies.OnChallengerBetter`.

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
    time_since_retrain: float | None = attrs.field(default=None, validator=_optional_elapsed)
    drift: tuple[Any, ...] = attrs.field(default=(), converter=_drift_results, eq=False)
    new_errors: npt.NDArray[np.float64] | None = attrs.field(
        default=None, eq=False, repr=False, validator=_optional_errors
    )
    current_X: npt.NDArray[np.float64] | None = attrs.field(
        default=None, eq=False, repr=False, validator=_optional_array
    )
    reference_X: npt.NDArray[np.float64] | None = attrs.field(
        default=None, eq=False, repr=False, validator=_optional_array
    )
    current_proba: npt.NDArray[np.float64] | None = attrs.field(
        default=None, eq=False, repr=False, validator=_optional_proba
    )
    metric: float | None = attrs.field(default=None, validator=_optional_float)
    metric_n: int = attrs.field(default=0, validator=_non_negative_int)
    metric_std_error: float | None = attrs.field(default=None, validator=_optional_std_error)
    metric_name: str = attrs.field(default="accuracy", validator=attrs.validators.instance_of(str))
    estimated_metric: float | None = attrs.field(default=None, validator=_optional_float)
    estimated_std_error: float | None = attrs.field(default=None, validator=_optional_std_error)
    estimated_n: int = attrs.field(default=0, validator=_non_negative_int)
    labels_available: int = attrs.field(default=0, validator=_non_negative_int)
    retrains: int = attrs.field(default=0, validator=_non_negative_int)
    model_version: int = attrs.field(default=0, validator=_non_negative_int)
    deployed_at: int = attrs.field(default=0, validator=_non_negative_int)
    cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    retrain_cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    error_cost: float = attrs.field(default=0.0, validator=_non_negative_float)
    last_change_point: int | None = attrs.field(default=None, validator=_optional_int)
    challenge: Any = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        step = self.step
        # positions and counts in the stream are among the samples seen: a
        # policy derives positions such as step - samples_since_retrain, which
        # must not be negative
        for name, what in _BOUNDED_BY_STEP:
            value = getattr(self, name)
            if value is not None and value > step:
                fail(name, f"at most step ({step}), {what} among the samples seen", value,
                     _CALLER)
        # the latest batch is among the samples seen: a policy reads its first
        # row as position step - len(batch), which must not be negative
        for name in ("current_X", "current_proba"):
            batch = getattr(self, name)
            if batch is not None and batch.ndim >= 1 and batch.shape[0] > step:
                fail(
                    name,
                    f"at most step ({step}) rows, the latest batch of the samples seen",
                    described(f"an array of shape {batch.shape}"),
                    _CALLER,
                )
        errors = self.new_errors
        if errors is not None and errors.shape[0] > self.labels_available:
            # they are the errors on the newest labelled rows: positions a policy
            # derives from them (labels_available - k) would be negative
            fail(
                "new_errors",
                f"at most labels_available ({self.labels_available}) values, the errors "
                "on the newest labelled rows",
                described(f"{errors.shape[0]} values"),
                _CALLER,
            )

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the fields; a replay's ``challenge`` does not outlive the replay."""
        return {**self.__dict__, "challenge": None}

    def __copy__(self) -> LifecycleState:
        new = _new_object(type(self))
        _set_attribute(new, "__dict__", dict(self.__dict__))
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> LifecycleState:
        import copy

        fields = {
            k: v if k == "challenge" else copy.deepcopy(v, memo) for k, v in self.__dict__.items()
        }
        new = _new_object(type(self))
        _set_attribute(new, "__dict__", fields)
        return new

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar fields as a JSON-safe dict (arrays as their shapes)."""
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            if f.name in _ARRAY_FIELDS:
                out[f.name + "_shape"] = None if value is None else list(np.shape(value))
            elif f.name == "drift":
                out["drift"] = [bool(getattr(r, "drift_detected", False)) for r in value]
            elif f.name == "challenge":
                out["challenge"] = value is not None
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


def check_state(state: Any, caller: str) -> LifecycleState:
    """Refuse anything but a :class:`LifecycleState` (None included) with a clear error."""
    if not isinstance(state, LifecycleState):
        fail(
            "state",
            "a LifecycleState (mllifecycle.policies.LifecycleState)",
            described("None") if state is None else described(type(state).__name__),
            caller,
        )
    return state


_DECISION = "RetrainDecision"


def _retrain_flag(value: Any) -> bool:
    """``retrain``: a bool (NumPy's included) or the int 0 or 1.

    Anything else is refused: ``bool("no")`` or ``bool("False")`` would
    silently be True.
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    fail("retrain", "a bool (or the int 0 or 1)", value, _DECISION)


def _reason(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        fail("reason", "a str", value, _DECISION)


def _change_point(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``change_point``: None or a non-negative int stream position.

    Whether it lies within the stream (not after the decision) is checked by
    :func:`mllifecycle.replay.replay`, which knows the step.
    """
    if value is None:
        return
    if (
        isinstance(value, numbers.Integral)
        and not isinstance(value, bool | np.bool_)
        and int(value) >= 0
    ):
        return
    fail("change_point", "None or a non-negative int stream position", value, _DECISION)


@attrs.frozen(kw_only=True)
class RetrainDecision:
    """A policy's answer: retrain or not, and why.

    Parameters
    ----------
    retrain : bool
        Whether to retrain now: a bool (``0`` and ``1`` are read as bools;
        a string such as ``"no"`` is refused).
    reason : str
        Human-readable reason (shown in replay reports).
    change_point : int, optional
        Stream position where the policy believes the data changed; used by
        :class:`~mllifecycle.policies.SinceLastDrift` to choose training rows.
        A non-negative int (a bool, a float or NaN is refused); a replay
        also refuses a position after the decision's step.

    Examples
    --------
    >>> from mllifecycle.policies import RetrainDecision
    >>> d = RetrainDecision(retrain=True, reason="drift")
    >>> bool(d), d.reason
    (True, 'drift')
    """

    retrain: bool = attrs.field(converter=_retrain_flag)
    reason: str = attrs.field(validator=_reason)
    change_point: int | None = attrs.field(default=None, validator=_change_point)

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


def _decision(retrain: bool, reason: str, change_point: int | None = None) -> RetrainDecision:
    """Build a :class:`RetrainDecision` from checked values, skipping the validators.

    Policies answer at every batch of a replay; most answers are "keep".
    """
    d = _new_object(RetrainDecision)
    _set_attribute(d, "retrain", retrain)
    _set_attribute(d, "reason", reason)
    _set_attribute(d, "change_point", change_point)
    return d


@attrs.frozen(kw_only=True)
class WindowSelection:
    """The rows ``start:stop`` of the history to train on, with optional weights.

    Labels arrive in order, so the labelled history is a prefix of the stream
    and every window is a contiguous range of it.

    Parameters
    ----------
    start, stop : int
        Half-open range of history rows, ``0 <= start <= stop``.
    sample_weight : ndarray of shape (stop - start,), optional
        Weights passed to the model's ``fit``: finite and non-negative.
    window : str
        Which window chose the rows.

    Examples
    --------
    >>> from mllifecycle.policies import WindowSelection
    >>> WindowSelection(start=10, stop=15, window="demo").indices
    array([10, 11, 12, 13, 14])
    """

    start: int
    stop: int
    sample_weight: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    window: str = ""

    def __attrs_post_init__(self) -> None:
        caller = "WindowSelection"
        for name in ("start", "stop"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool | np.bool_):
                fail(name, "a non-negative int row position", value, caller)
        if self.start < 0:
            fail("start", "a non-negative int row position (0 <= start <= stop)", self.start,
                 caller)
        if self.stop < self.start:
            fail("stop", f"an int row position with 0 <= start <= stop (start is {self.start})",
                 self.stop, caller)
        w = self.sample_weight
        if w is None:
            return
        n = self.stop - self.start
        try:
            arr = np.asarray(w, dtype=np.float64)
        except (TypeError, ValueError):
            fail("sample_weight", f"one weight per selected row ({n} numbers)", w, caller)
        if arr.ndim != 1 or arr.shape[0] != n:
            fail(
                "sample_weight",
                f"one weight per selected row (a 1-D array of {n} weights)",
                described(f"an array of shape {arr.shape}"),
                caller,
            )
        if n and not (np.isfinite(arr).all() and arr.min() >= 0):
            bad = arr[~(np.isfinite(arr) & (arr >= 0))][0]
            fail(
                "sample_weight",
                "finite non-negative weights",
                described(f"a weight {float(bad)!r}"),
                caller,
            )

    @property
    def n_samples(self) -> int:
        """Number of rows selected."""
        return self.stop - self.start

    @property
    def indices(self) -> npt.NDArray[np.intp]:
        """The selected row indices."""
        return np.arange(self.start, self.stop, dtype=np.intp)

    def to_dict(self) -> dict[str, Any]:
        """Return the selection as a JSON-safe dict (weights summarised)."""
        return {
            "start": self.start,
            "stop": self.stop,
            "n_samples": self.n_samples,
            "weighted": self.sample_weight is not None,
            "window": jsonable(self.window),
        }
