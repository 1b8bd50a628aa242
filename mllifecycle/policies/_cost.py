"""Cost-aware retraining: retrain when a stale model costs more than a retrain."""

from __future__ import annotations

import math
from typing import Any

import attrs

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import check_int, check_option, check_scalar
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state
from mllifecycle.policies._triggers import _Degradation, _pooled

__all__ = ["CostAware"]


def _optional_cost(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    return check_scalar(value, name, caller="CostAware", low=0.0)


@attrs.define
class CostAware(_Degradation):
    """Retrain when the expected loss of a stale model exceeds the retraining cost.

    The degradation ``d`` of the deployed model is the drop of its metric
    (accuracy: the rise of its error rate) from the baseline measured right
    after deployment, taken conservatively as the lower one-sided
    ``confidence_level`` bound (see :class:`OnPerformanceDrop`), from the observed
    metric when at least ``min_samples`` labels back it and otherwise from the
    label-free estimate (``source="auto"``). Keeping the model for the next
    ``horizon`` samples is expected to cost ``error_cost * horizon * d`` more
    than a fresh model would, so the rule is::

        retrain  if  error_cost * horizon * max(d, 0) > retrain_cost

    A retrain is paid once; the stale model's excess errors are paid on every
    prediction, so the cheaper retraining is, or the more an error costs, the
    smaller the degradation that justifies a retrain. This is the trade-off
    of Mahadevan and Mathioudakis [1]_, who decide retraining by comparing the
    cost of model staleness against the cost of retraining; here it is
    reduced to one model, one metric and a fixed look-ahead horizon.

    Parameters
    ----------
    retrain_cost : float, optional
        Cost of one retrain; ``None`` takes ``state.retrain_cost`` (the
        replay's ``retrain_cost``).
    error_cost : float, optional
        Cost of one unit of metric lost per sample (for accuracy: one wrong
        prediction); ``None`` takes ``state.error_cost``.
    horizon : int, default=1000
        Samples the decision looks ahead (how long a model is expected to
        stay deployed).
    source : {"auto", "observed", "estimated"}, default="auto"
        Which degradation to use. With ``"auto"`` each source's drop is
        measured from a baseline of that source: the first observed metric
        with ``min_samples`` labels is a new baseline, not a drop from the
        estimate learned before the labels arrived.
    baseline : float or {"best", "latest"}, default="best"
        The metric of a fresh model; see :class:`OnPerformanceDrop`.
    min_samples : int, default=200
        Samples needed before a metric is trusted. A label-free estimate on
        fewer (:func:`~mllifecycle.replay.replay` estimates on each batch of
        ``batch_size``, 100 by default) is pooled with the deployed model's
        previous estimates on the rows just before it until they reach
        ``min_samples``, as :class:`OnEstimatedPerformanceDrop` pools them.
    confidence_level : float, default=0.95
        One-sided confidence level of the lower bound on the degradation.
    max_tries : int, default=2
        Retrained models in a row below the best after which the lower level
        is accepted (``baseline="best"``; see :class:`OnPerformanceDrop`).

    References
    ----------
    .. [1] A. Mahadevan and M. Mathioudakis, "Cost-aware retraining for
       machine learning", Knowledge-Based Systems, 293, 111610, 2024.

    Examples
    --------
    >>> from mllifecycle.policies import CostAware, LifecycleState
    >>> p = CostAware(retrain_cost=50.0, error_cost=1.0, horizon=1000, baseline=0.90)
    >>> # accuracy fell 10 points on 2000 labels: ~100 extra errors per 1000 > 50
    >>> p.should_retrain(LifecycleState(step=1, metric=0.80, metric_n=2000)).retrain
    True
    >>> CostAware(retrain_cost=500.0, error_cost=1.0, baseline=0.90).should_retrain(
    ...     LifecycleState(step=1, metric=0.80, metric_n=2000)).retrain
    False
    """

    retrain_cost: float | None = attrs.field(default=None, kw_only=True)
    error_cost: float | None = attrs.field(default=None, kw_only=True)
    horizon: int = attrs.field(default=1000, kw_only=True)
    source: str = attrs.field(default="auto", kw_only=True)
    baseline: float | str = attrs.field(default="best", kw_only=True)
    min_samples: int = attrs.field(default=200, kw_only=True)
    confidence_level: float = attrs.field(default=0.95, kw_only=True)
    max_tries: int = attrs.field(default=2, kw_only=True)
    # the last "keep" answer and what its reason shows: (source, loss, retrain
    # cost and their signs); the loss is mostly 0 batch after batch
    _kept: tuple[tuple[Any, ...], RetrainDecision] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )
    # the deployed model's latest label-free estimates, pooled up to
    # min_samples as OnEstimatedPerformanceDrop pools them: (step, n, value,
    # std_error or None)
    _pool: list[tuple[int, int, float, float | None]] = attrs.field(
        init=False, factory=list, repr=False
    )
    _pool_version: int = attrs.field(init=False, default=-1, repr=False)

    def __attrs_post_init__(self) -> None:
        self.retrain_cost = _optional_cost(self.retrain_cost, "retrain_cost")
        self.error_cost = _optional_cost(self.error_cost, "error_cost")
        self.horizon = check_int(self.horizon, "horizon", caller="CostAware", low=1)
        check_option(self.source, "source", ("auto", "observed", "estimated"), "CostAware")
        self._check("CostAware")

    def _current(self, state: LifecycleState) -> tuple[float | None, int, float | None, str]:
        value, n, se, source = super()._current(state)
        if source == "estimated":
            value, n, se = _pooled(self, state, value, n, se)
        return value, n, se, source

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Compare the expected loss of the stale model with the retraining cost."""
        check_state(state, "CostAware.should_retrain")
        lower, _, _, msg = self._drop(state)
        if lower is None:
            return _decision(False, msg)
        rc = state.retrain_cost if self.retrain_cost is None else self.retrain_cost
        ec = state.error_cost if self.error_cost is None else self.error_cost
        # (the degradation first: a huge error_cost times the horizon
        # overflowed to inf, and inf * 0 made the loss NaN)
        loss = ec * (self.horizon * max(lower, 0.0))
        fire = bool(loss > rc)
        if not fire:
            # (the signs too: -0.0 == 0.0, but they print differently)
            key = (msg, loss, rc, math.copysign(1.0, loss), math.copysign(1.0, rc))
            kept = self._kept
            if kept is not None and kept[0] == key:
                return kept[1]
            keep = _decision(
                False,
                f"cost-aware ({msg}): expected loss of keeping the model "
                f"{loss:.4g} <= retrain cost {rc:.4g}",
            )
            self._kept = (key, keep)
            return keep
        return _decision(
            True,
            f"cost-aware ({msg}): expected loss of keeping the model "
            f"{loss:.4g} > retrain cost {rc:.4g}",
            self._change_point(state, msg),
        )
