"""The state a policy decides on, the decision it returns, function policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from mllifecycle._lifecycle_types import (
    LifecycleState,
    RetrainDecision,
    _decision,
    check_state,
)
from mllifecycle._validation import described, fail

if TYPE_CHECKING:
    from mllifecycle.protocols import RetrainPolicy

__all__ = [
    "LifecycleState",
    "RetrainDecision",
    "FunctionPolicy",
    "as_policy",
    "check_state",
]


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
    # the answers to a bool, built once per function and name: (func, name,
    # keep, retrain); a replay asks at every batch
    _answers: tuple[Any, str, RetrainDecision, RetrainDecision] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        if not callable(self.func):
            fail("func", "a callable", self.func, "FunctionPolicy")

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Call the function and normalise its answer to a RetrainDecision."""
        check_state(state, "FunctionPolicy.should_retrain")
        func = self.func
        out = func(state)
        if out is False or out is True or isinstance(out, np.bool_):
            # a bool and a str: built without the validators, once per function
            # and name (the name is read at every answer: it may be changed)
            name = _callable_name(func)
            answers = self._answers
            if answers is None or answers[0] is not func or answers[1] != name:
                answers = self._answers = (
                    func,
                    name,
                    _decision(False, f"{name}: keep"),
                    _decision(True, f"{name}: retrain"),
                )
            return answers[3] if out else answers[2]
        if isinstance(out, RetrainDecision):
            return out
        if hasattr(out, "retrain") and hasattr(out, "reason"):
            # a decision-like object: its change point too (a window may train from it);
            # its retrain flag is checked as RetrainDecision checks it (bool("False")
            # and bool("no") are True: such answers retrained silently)
            return RetrainDecision(
                retrain=out.retrain,
                reason=str(out.reason),
                change_point=getattr(out, "change_point", None),
            )
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
    if isinstance(obj, type) and callable(getattr(obj, "should_retrain", None)):
        fail(
            name,
            f"a RetrainPolicy instance, e.g. {obj.__name__}(...)",
            described(f"the class {obj.__name__}"),
            caller,
        )
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
