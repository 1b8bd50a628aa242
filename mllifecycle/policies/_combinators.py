"""Combinators: build one policy from others."""

from __future__ import annotations

from typing import Any

import attrs

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import check_int, described, fail
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies._state import (
    FunctionPolicy,
    LifecycleState,
    RetrainDecision,
    as_policy,
    check_state,
)

__all__ = [
    "AnyOf",
    "AllOf",
    "Cooldown",
    "Budget",
    "any_of",
    "all_of",
    "cooldown",
    "budget",
]


def _policies(items: Any, caller: str) -> tuple[Any, ...]:
    out = tuple(as_policy(p, f"policies[{i}]", caller) for i, p in enumerate(items))
    if not out:
        fail("policies", "at least one policy", items, caller)
    return out


def _checked(d: Any, policy: Any, name: str, caller: str) -> RetrainDecision:
    """Return a wrapped policy's answer as a :class:`RetrainDecision`, or fail naming it.

    A decision-like answer (with ``retrain`` and ``reason``, e.g. a user's own
    decision type) is read as :class:`RetrainDecision` reads its fields, as
    :class:`FunctionPolicy` reads a function's: its ``retrain`` was read
    unchecked, so ``retrain="no"`` (a truthy string) made ``any_of`` and
    ``all_of`` retrain, and ``cooldown`` and ``budget`` passed it on as it was.
    Anything else (a bool) failed with a bare ``AttributeError``.
    """
    if type(d) is RetrainDecision or isinstance(d, RetrainDecision):
        return d
    expected = (
        "a policy whose should_retrain(state) returns a RetrainDecision (or an object "
        "with a bool retrain, a str reason and an optional change_point)"
    )
    if not (hasattr(d, "retrain") and hasattr(d, "reason")):
        fail(
            name,
            expected,
            described(f"{type(policy).__name__}.should_retrain returning {type(d).__name__}"),
            caller,
        )
    try:
        return RetrainDecision(
            retrain=d.retrain, reason=d.reason, change_point=getattr(d, "change_point", None)
        )
    except InvalidParameterError as exc:
        fail(
            name,
            expected,
            described(
                f"{type(policy).__name__}.should_retrain returning a {type(d).__name__} "
                f"with retrain={d.retrain!r}, reason={d.reason!r}, "
                f"change_point={getattr(d, 'change_point', None)!r} ({exc})"
            ),
            caller,
        )


def _ask(policies: tuple[Any, ...], state: LifecycleState, caller: str) -> list[RetrainDecision]:
    """Ask every policy; return their answers, each checked as a :class:`RetrainDecision`."""
    ds = [p.should_retrain(state) for p in policies]
    for i, d in enumerate(ds):
        if type(d) is not RetrainDecision:
            ds[i] = _checked(d, policies[i], f"policies[{i}]", caller)
    return ds


# --- one object in several places of a composition ----------------------------
#
# ``any_of(od, od)`` or ``any_of(od, all_of(od, p))`` holds one policy object
# twice: asked once per place, a stateful one (a detector in OnDrift, a
# counter in a user's class) took each decision's signal twice (OnDrift's
# detector was fed the same errors twice and fired at other positions). A
# composition holding an object more than once asks it once per decision and
# gives its answer to every place; compositions without repeats (the usual
# case) ask as before.


def _identity(policy: Any) -> int:
    """Return the id of the object a part stands for (a wrapped function's own)."""
    if type(policy) is FunctionPolicy:
        return id(policy.func)
    return id(policy)


def _parts(policy: Any) -> tuple[Any, ...]:
    """Return the parts of a combinator of this module (none for another policy)."""
    kind = type(policy)
    if kind is AnyOf or kind is AllOf:
        return tuple(policy.policies)
    if kind is Cooldown or kind is Budget:
        return (policy.policy,)
    return ()


def _repeats(root: Any) -> bool:
    """Whether an object appears more than once in the composition ``root``."""
    seen: set[int] = set()
    stack = list(_parts(root))
    while stack:
        part = stack.pop()
        key = _identity(part)
        if key in seen:
            return True
        seen.add(key)
        stack.extend(_parts(part))
    return False


def _answer(
    policy: Any, state: LifecycleState, memo: dict[int, Any], name: str, caller: str
) -> RetrainDecision:
    """``policy``'s checked answer, asked once per decision (``memo``: the answers given)."""
    key = _identity(policy)
    hit = memo.get(key)
    if hit is not None:
        return hit[1]  # type: ignore[no-any-return]
    if _parts(policy):  # a combinator of this module: its parts share the memo
        d = policy._decide(state, memo)
    else:
        d = policy.should_retrain(state)
        if type(d) is not RetrainDecision:
            d = _checked(d, policy, name, caller)
    memo[key] = (policy, d)  # (the object kept, so its id is not reused meanwhile)
    return d  # type: ignore[no-any-return]


def _check_repeats(combinator: AnyOf | AllOf) -> tuple[tuple[Any, ...], bool]:
    """Record and return ``(its parts, whether an object appears twice among them)``.

    Worked out once per tuple of parts (again when ``policies`` is replaced);
    a composition with a repeat asks through :func:`_answer`, whatever its
    nested combinators hold.
    """
    checked = combinator._repeat_check = (combinator.policies, _repeats(combinator))
    return checked


def _ask_parts(combinator: Any, state: LifecycleState, caller: str) -> RetrainDecision:
    """Ask an AnyOf's or AllOf's parts and join their answers (each object once)."""
    checked = combinator._repeat_check
    if checked is None or checked[0] is not combinator.policies:
        checked = _check_repeats(combinator)
    if checked[1]:  # an object in two places: asked once
        return _decide_parts(combinator, state, {}, caller)
    return combinator._join(_ask(combinator.policies, state, caller))  # type: ignore[no-any-return]


def _decide_parts(
    combinator: Any, state: LifecycleState, memo: dict[int, Any], caller: str
) -> RetrainDecision:
    """Join the answers of an AnyOf's or AllOf's parts, each distinct one asked once."""
    return combinator._join(  # type: ignore[no-any-return]
        [_answer(p, state, memo, f"policies[{i}]", caller)
         for i, p in enumerate(combinator.policies)],
        unique=True,
    )


def _reasons(ds: list[RetrainDecision], unique: bool) -> str:
    """Join the answers' reasons; with ``unique``, each text once.

    In a composition repeating an object, its one answer reached the join in
    several places (``any_of(c, all_of(c, p))``) and its reason read "X; X".
    """
    if not unique:
        return "; ".join(d.reason for d in ds)
    return "; ".join(dict.fromkeys(r for d in ds for r in d.reason.split("; ")))


@attrs.define
class AnyOf:
    """Retrain when any of the policies says so (every policy is always asked).

    Every child is asked at every decision, so stateful children (detectors)
    see the whole stream. The change point reported is the earliest one. A
    policy object (or function) given more than once, here or in nested
    combinators, is asked once per decision and its answer used in every
    place: a detector is not fed a decision's errors twice.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic, any_of
    >>> p = any_of(Periodic(every=100), lambda s: s.step > 10_000)
    >>> p.should_retrain(LifecycleState(step=20_000, samples_since_retrain=5)).retrain
    True
    """

    policies: tuple[Any, ...]
    # the last "keep" answer and the children's answers it joined: children
    # often answer with the very same (frozen) decisions again, and then so
    # does this one (equal decisions join into an equal reason; a replay asks
    # at every batch)
    _kept: tuple[list[RetrainDecision], RetrainDecision] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )

    # (the parts, whether an object appears twice among them): see _check_repeats
    _repeat_check: tuple[tuple[Any, ...], bool] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        self.policies = _policies(self.policies, "any_of")

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Ask every policy; retrain when at least one does."""
        check_state(state, "AnyOf.should_retrain")
        return _ask_parts(self, state, "any_of")

    def _decide(self, state: LifecycleState, memo: dict[int, Any]) -> RetrainDecision:
        """Answer with each distinct part asked once (``memo``: the answers given)."""
        return _decide_parts(self, state, memo, "any_of")

    def _join(self, ds: list[RetrainDecision], unique: bool = False) -> RetrainDecision:
        """Join the parts' answers into this combinator's answer.

        ``unique``: the composition repeats an object, whose answer reaches
        here in several places (nested too); its reason is given once.
        """
        for d in ds:
            if d.retrain:
                break
        else:  # the usual answer: keep
            kept = self._kept
            # (list equality: identical items compare without a call)
            if kept is not None and kept[0] == ds:
                return kept[1]
            keep = _decision(False, "; ".join([d.reason for d in ds]))
            # kept only when every answer is a RetrainDecision, whose fields
            # cannot change (a decision-like answer is read into a new one)
            self._kept = (ds, keep) if all(type(d) is RetrainDecision for d in ds) else None
            return keep
        fired = [d for d in ds if d.retrain]
        points = [d.change_point for d in fired if d.change_point is not None]
        return RetrainDecision(
            retrain=True,
            reason=_reasons(fired, unique),
            change_point=min(points) if points else None,
        )


@attrs.define
class AllOf:
    """Retrain only when all of the policies say so (every policy is always asked).

    A policy object (or function) given more than once, here or in nested
    combinators, is asked once per decision and its answer used in every
    place.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic, all_of
    >>> p = all_of(Periodic(every=100), lambda s: s.labels_available >= 500)
    >>> p.should_retrain(LifecycleState(step=200, samples_since_retrain=200,
    ...                                 labels_available=100)).retrain
    False
    """

    policies: tuple[Any, ...]

    # (the parts, whether an object appears twice among them): see _check_repeats
    _repeat_check: tuple[tuple[Any, ...], bool] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        self.policies = _policies(self.policies, "all_of")

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Ask every policy; retrain when all do."""
        check_state(state, "AllOf.should_retrain")
        return _ask_parts(self, state, "all_of")

    def _decide(self, state: LifecycleState, memo: dict[int, Any]) -> RetrainDecision:
        """Answer with each distinct part asked once (``memo``: the answers given)."""
        return _decide_parts(self, state, memo, "all_of")

    @staticmethod
    def _join(ds: list[RetrainDecision], unique: bool = False) -> RetrainDecision:
        """Join the parts' answers into this combinator's answer (``unique``: see AnyOf)."""
        fire = all(d.retrain for d in ds)
        points = [d.change_point for d in ds if d.change_point is not None]
        return RetrainDecision(
            retrain=fire,
            reason=_reasons(ds, unique),
            change_point=min(points) if (fire and points) else None,
        )


@attrs.define
class Cooldown:
    """Suppress retrains until ``min_samples`` samples have passed since the last one.

    The wrapped policy is still asked at every decision (so a detector keeps
    its state), but its ``retrain`` is overruled during the cool-down.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, cooldown
    >>> p = cooldown(lambda s: True, 500)
    >>> p.should_retrain(LifecycleState(step=900, samples_since_retrain=100)).retrain
    False
    """

    policy: Any
    min_samples: int

    def __attrs_post_init__(self) -> None:
        self.policy = as_policy(self.policy, "policy", "cooldown")
        self.min_samples = check_int(self.min_samples, "min_samples", caller="cooldown", low=0)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Ask the policy; overrule a retrain during the cool-down."""
        check_state(state, "Cooldown.should_retrain")
        return self._join(
            _checked(self.policy.should_retrain(state), self.policy, "policy", "cooldown"), state
        )

    def _decide(self, state: LifecycleState, memo: dict[int, Any]) -> RetrainDecision:
        """Answer with the policy asked once per decision (``memo``: the answers given)."""
        return self._join(_answer(self.policy, state, memo, "policy", "cooldown"), state)

    def _join(self, d: RetrainDecision, state: LifecycleState) -> RetrainDecision:
        """Turn the policy's answer into this wrapper's answer."""
        if d.retrain and state.samples_since_retrain < self.min_samples:
            return RetrainDecision(
                retrain=False,
                reason=f"cooldown ({state.samples_since_retrain} of {self.min_samples} "
                f"samples) overrules: {d.reason}",
            )
        return d


@attrs.define
class Budget:
    """Allow at most ``max_retrains`` retrains in total.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, budget
    >>> p = budget(lambda s: True, 3)
    >>> p.should_retrain(LifecycleState(step=1, retrains=3)).retrain
    False
    """

    policy: Any
    max_retrains: int

    def __attrs_post_init__(self) -> None:
        self.policy = as_policy(self.policy, "policy", "budget")
        self.max_retrains = check_int(self.max_retrains, "max_retrains", caller="budget", low=0)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Ask the policy; overrule a retrain once the budget is spent."""
        check_state(state, "Budget.should_retrain")
        return self._join(
            _checked(self.policy.should_retrain(state), self.policy, "policy", "budget"), state
        )

    def _decide(self, state: LifecycleState, memo: dict[int, Any]) -> RetrainDecision:
        """Answer with the policy asked once per decision (``memo``: the answers given)."""
        return self._join(_answer(self.policy, state, memo, "policy", "budget"), state)

    def _join(self, d: RetrainDecision, state: LifecycleState) -> RetrainDecision:
        """Turn the policy's answer into this wrapper's answer."""
        if d.retrain and state.retrains >= self.max_retrains:
            return RetrainDecision(
                retrain=False,
                reason=f"budget of {self.max_retrains} retrains spent; overrules: {d.reason}",
            )
        return d


def any_of(*policies: Any) -> AnyOf:
    """Retrain when any of ``policies`` says so; see :class:`AnyOf`.

    Parameters
    ----------
    *policies : RetrainPolicy or callable
        At least one policy or function ``state -> bool | RetrainDecision``.

    Returns
    -------
    AnyOf

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, OnPerformanceDrop, Periodic, any_of
    >>> p = any_of(Periodic(every=10_000), OnPerformanceDrop(0.05, baseline=0.9))
    >>> p.should_retrain(LifecycleState(step=1, metric=0.7, metric_n=900)).retrain
    True
    """
    return AnyOf(policies)


def all_of(*policies: Any) -> AllOf:
    """Retrain only when all of ``policies`` say so; see :class:`AllOf`.

    Parameters
    ----------
    *policies : RetrainPolicy or callable
        At least one policy or function ``state -> bool | RetrainDecision``.

    Returns
    -------
    AllOf

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic, all_of
    >>> p = all_of(Periodic(every=100), lambda s: s.labels_available >= 500)
    >>> p.should_retrain(LifecycleState(step=900, samples_since_retrain=200,
    ...                                 labels_available=800)).retrain
    True
    """
    return AllOf(policies)


def cooldown(policy: Any, min_samples: int) -> Cooldown:
    """Wrap ``policy`` so it cannot retrain within ``min_samples`` of the last retrain.

    Parameters
    ----------
    policy : RetrainPolicy or callable
        The policy to wrap.
    min_samples : int
        Samples that must pass after a retrain before the next one.

    Returns
    -------
    Cooldown

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, cooldown
    >>> p = cooldown(lambda s: True, 1000)
    >>> [p.should_retrain(LifecycleState(step=5000, samples_since_retrain=k)).retrain
    ...  for k in (10, 1000)]
    [False, True]
    """
    return Cooldown(policy, min_samples)


def budget(policy: Any, max_retrains: int) -> Budget:
    """Wrap ``policy`` so it retrains at most ``max_retrains`` times.

    Parameters
    ----------
    policy : RetrainPolicy or callable
        The policy to wrap.
    max_retrains : int
        Total number of retrains allowed.

    Returns
    -------
    Budget

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, budget
    >>> p = budget(lambda s: True, 5)
    >>> [p.should_retrain(LifecycleState(step=1, retrains=k)).retrain for k in (4, 5)]
    [True, False]
    """
    return Budget(policy, max_retrains)
