"""Calendar retraining: every n samples or every time span."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import numpy as np

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import check_int, check_scalar, fail
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state

__all__ = ["Periodic"]

# answers Periodic keeps at most (a stream whose counts never repeat)
_MAX_ANSWERS = 1024


def _span_seconds(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, _dt.timedelta):
        value = value.total_seconds()
    elif (
        hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "m" and np.ndim(value) == 0
    ):  # a numpy timedelta64 (an array of them is refused below, as one of floats is)
        unit = np.datetime_data(value.dtype)[0]
        if np.isnat(value) or unit == "generic":
            fail(
                "every_time",
                "a duration with a unit (e.g. numpy.timedelta64(1, 'h')), not NaT",
                value,
                "Periodic",
            )
        if unit in ("Y", "M"):
            # months and years have no length in seconds: NumPy's own TypeError
            # ("incompatible nonlinear base time units") named no argument
            fail(
                "every_time",
                "a duration in a unit of fixed length (weeks, days, hours, ...; e.g. "
                "numpy.timedelta64(30, 'D')), not in months or years, whose length varies",
                value,
                "Periodic",
            )
        value = float(value / np.timedelta64(1, "s"))
    return check_scalar(value, "every_time", caller="Periodic", low=0.0, low_inclusive=False)


@attrs.define
class Periodic:
    """Retrain every ``every`` samples, or every ``every_time`` of stream time.

    The policy teams use when nothing better is at hand; the baseline every
    other policy should beat on cost.

    Parameters
    ----------
    every : int, optional
        Retrain once ``samples_since_retrain >= every``.
    every_time : float or datetime.timedelta, optional
        Retrain once ``time_since_retrain >= every_time`` (seconds when a
        float). Needs a stream with timestamps. Give exactly one of ``every``
        and ``every_time``.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic
    >>> p = Periodic(every=1000)
    >>> p.should_retrain(LifecycleState(step=5000, samples_since_retrain=1000)).retrain
    True
    >>> p.should_retrain(LifecycleState(step=5000, samples_since_retrain=999)).retrain
    False
    """

    every: int | None = None
    every_time: float | None = attrs.field(default=None, converter=_span_seconds)
    # the answers to ``every`` by (samples since the retrain, every), built
    # once (a decision is frozen): a replay asks at every batch, and the
    # counts repeat from one retrain to the next
    _answers: dict[tuple[int, int], RetrainDecision] = attrs.field(
        init=False, factory=dict, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        if (self.every is None) == (self.every_time is None):
            fail(
                "every",
                "given, or every_time given, but not both",
                {"every": self.every, "every_time": self.every_time},
                "Periodic",
            )
        if self.every is not None:
            self.every = check_int(self.every, "every", caller="Periodic", low=1)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Return a decision from the samples (or time) since the last retrain."""
        check_state(state, "Periodic.should_retrain")
        every = self.every
        if every is not None:
            since = state.samples_since_retrain
            # (ints only: a key equal to another of another type, 2000.0 or
            # True, would be shown as that other)
            if type(since) is int and type(every) is int:
                key = (since, every)
                answer = self._answers.get(key)
                if answer is None:
                    if len(self._answers) >= _MAX_ANSWERS:
                        self._answers.clear()
                    answer = self._answers[key] = _decision(
                        since >= every, f"periodic: {since} of {every} samples"
                    )
                return answer
            return _decision(bool(since >= every), f"periodic: {since} of {every} samples")
        if state.time_since_retrain is None:
            fail(
                "state.time_since_retrain",
                "a time (Periodic(every_time=...) needs a stream with timestamps, e.g. "
                "replay(..., timestamps=...))",
                None,
                "Periodic.should_retrain",
            )
        assert self.every_time is not None
        due = state.time_since_retrain >= self.every_time
        return RetrainDecision(
            retrain=due,
            reason=f"periodic: {state.time_since_retrain:g} of {self.every_time:g} time units",
        )
