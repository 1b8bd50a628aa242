"""An oracle schedule for backtests on streams with known change points."""

from __future__ import annotations

import itertools
from typing import Any

import attrs

from mllifecycle._validation import check_int, fail
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state
from mllifecycle.policies._triggers import DEFAULT_REFITS, check_schedule

__all__ = ["Oracle"]

_CALLER = "Oracle"


def _points(value: Any) -> tuple[int, ...]:
    try:
        items = list(value)
    except TypeError:
        fail("change_points", "a sequence of stream positions", value, _CALLER)
    out = tuple(check_int(c, "change_points", caller=_CALLER, low=0) for c in items)
    if any(b <= a for a, b in itertools.pairwise(out)):
        fail("change_points", "strictly increasing positions", value, _CALLER)
    return out


@attrs.define
class Oracle:
    """Retrain at the best moments a policy could know of: after each true change.

    For backtests on a stream whose change points are known (the
    ``change_points`` of a :mod:`mllifecycle.datasets` stream): after each
    change, retrain each time the labels that arrived since it reach one of
    the counts in ``refits``, reporting the true change as the decision's
    ``change_point`` so :class:`SinceLastDrift` trains on the new concept
    alone. Label delay is included: labels arrive in ``state.labels_available``
    as the replay delivers them. Compare a policy with the oracle to see how
    far it is from what perfect change detection would give, at the same
    refit schedule.

    Parameters
    ----------
    change_points : sequence of int
        Stream positions where a new concept starts, increasing.
    refits : sequence of int, default=(500, 1000, 2000, 4000)
        Labels since a change at which to retrain (the same staged schedule
        as :class:`OnDrift`'s default).

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Oracle
    >>> o = Oracle([5000], refits=(500, 2000))
    >>> [o.should_retrain(LifecycleState(step=s, labels_available=s)).retrain
    ...  for s in (5400, 5500, 6000, 7000)]
    [False, True, False, True]
    """

    change_points: tuple[int, ...] = attrs.field(converter=_points)
    refits: tuple[int, ...] = attrs.field(default=DEFAULT_REFITS, kw_only=True)
    _done: int = attrs.field(init=False, default=0, repr=False)

    def __attrs_post_init__(self) -> None:
        self.refits = check_schedule(self.refits, "refits", _CALLER)
        if not self.refits:
            fail("refits", "at least one label count", self.refits, _CALLER)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Retrain when the labels since the latest true change reach the next count."""
        check_state(state, "Oracle.should_retrain")
        labels = state.labels_available
        # the latest change whose first row is labelled, and the stages passed
        latest = None
        for i, cp in enumerate(self.change_points):
            if cp < labels:
                latest = i
        if latest is None:
            return RetrainDecision(retrain=False, reason="oracle: no change labelled yet")
        cp = self.change_points[latest]
        since = labels - cp
        stages = sum(1 for k in self.refits if since >= k)
        key = latest * (len(self.refits) + 1) + stages
        if stages == 0 or key <= self._done:
            return RetrainDecision(
                retrain=False,
                reason=f"oracle: {since} labels since the change at sample {cp}",
            )
        self._done = key
        return RetrainDecision(
            retrain=True,
            change_point=cp,
            reason=f"oracle: {since} labels since the true change at sample {cp}",
        )
