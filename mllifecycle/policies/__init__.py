"""When to retrain, and on which data.

A policy follows :class:`mllifecycle.protocols.RetrainPolicy`:
``should_retrain(state) -> RetrainDecision``, where the state is a frozen
:class:`LifecycleState`. A plain function ``state -> bool | RetrainDecision``
is accepted wherever a policy is. Windows follow
:class:`mllifecycle.protocols.TrainingWindow`: ``select(state) ->
WindowSelection``, the labelled rows (and weights) to retrain on.

Examples
--------
>>> from mllifecycle.policies import LifecycleState, OnPerformanceDrop, Periodic, any_of
>>> policy = any_of(Periodic(every=10_000), OnPerformanceDrop(0.05, baseline=0.9))
>>> policy.should_retrain(LifecycleState(step=500, metric=0.7, metric_n=500)).retrain
True
"""

from __future__ import annotations

from mllifecycle._lifecycle_types import LifecycleState, RetrainDecision, WindowSelection
from mllifecycle.policies._challenger import OnChallengerBetter
from mllifecycle.policies._combinators import (
    AllOf,
    AnyOf,
    Budget,
    Cooldown,
    all_of,
    any_of,
    budget,
    cooldown,
)
from mllifecycle.policies._cost import CostAware
from mllifecycle.policies._floor import OnSettledBelowFloor
from mllifecycle.policies._oracle import Oracle
from mllifecycle.policies._periodic import Periodic
from mllifecycle.policies._recommended import recommended
from mllifecycle.policies._select import PolicySelection, select
from mllifecycle.policies._stale import OnStaleness
from mllifecycle.policies._state import FunctionPolicy, as_policy
from mllifecycle.policies._triggers import (
    OnDrift,
    OnEstimatedPerformanceDrop,
    OnPerformanceDrop,
)
from mllifecycle.policies._windows import (
    ExpandingWindow,
    RecencyWeights,
    SinceLastDrift,
    SlidingWindow,
)

__all__ = [
    # state and decisions
    "LifecycleState",
    "RetrainDecision",
    "FunctionPolicy",
    "as_policy",
    # policies
    "Periodic",
    "OnDrift",
    "OnChallengerBetter",
    "OnPerformanceDrop",
    "OnEstimatedPerformanceDrop",
    "CostAware",
    "OnSettledBelowFloor",
    "OnStaleness",
    "Oracle",
    "recommended",
    "select",
    "PolicySelection",
    # combinators
    "any_of",
    "all_of",
    "cooldown",
    "budget",
    "AnyOf",
    "AllOf",
    "Cooldown",
    "Budget",
    # training windows
    "WindowSelection",
    "SlidingWindow",
    "ExpandingWindow",
    "SinceLastDrift",
    "RecencyWeights",
]
