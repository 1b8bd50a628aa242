"""A post-deployment floor: retrain a new model that settles below the old level."""

from __future__ import annotations

import math

import attrs

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import check_bool, check_int, check_scalar
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state
from mllifecycle.policies._triggers import (
    _check_level,
    _check_tries,
    _se,
    _SinceDeployment,
    _z,
)

__all__ = ["OnSettledBelowFloor"]

_CALLER = "OnSettledBelowFloor"

# the frequent "keep" answers, built once (a decision is frozen)
_ACCEPTED = _decision(False, "floor: model accepted")
_WAITING = _decision(False, "floor: waiting for labels to judge the model")


@attrs.define
class OnSettledBelowFloor:
    """Retrain a newly deployed model whose settled accuracy stays below the old level.

    A drift-triggered retrain can produce a poor model (trained on a window
    that still held mostly pre-change rows); its error is then high but flat,
    so a detector on its error stream never fires again and the policy
    stalls. This policy watches each new model instead: once the model has
    ``min_samples`` labelled predictions (and again at ``max_samples``), its
    accuracy ``a`` since deployment is compared with the floor ``f``, the
    settled accuracy of the last accepted model (the level before the change),
    with binomial standard errors ``s`` and ``s0``::

        retrain if (f - a) - z * sqrt(s**2 + s0**2) > threshold

    that is, only when the new model is worse beyond sampling noise at the
    one-sided ``confidence_level``. The first retrain uses the rows since the
    last reported change point (``state.last_change_point``, when it is not
    later than the deployment), later ones the rows since the deployment
    (the decision's ``change_point``; use with :class:`SinceLastDrift`). A
    model that passes both looks is accepted and its level (over its first
    ``max_samples`` labels) becomes the floor. After ``max_tries`` retrains
    in a row that fail, the new level is accepted (the concept got harder).

    It needs the deployed model's per-label errors (``state.new_errors``, as
    :func:`mllifecycle.replay.replay` provides), and is meant to be combined
    with a change detector (see :func:`recommended`).

    Parameters
    ----------
    min_samples : int, default=500
        Labelled predictions of a new model before its level is first judged.
    max_samples : int, default=2000
        Labelled predictions at which it is judged again and, if it passes,
        accepted; its level over these becomes the floor.
    threshold : float, default=0.0
        Accuracy below the floor (beyond sampling noise) that warrants a
        retrain; in [0, 1].
    confidence_level : float, default=0.95
        One-sided confidence level of each look.
    max_tries : int, default=2
        Failed retrains in a row after which the lower level is accepted.
    watch : bool, default=True
        Keep judging an accepted model: each further block of
        ``max_samples`` labels whose accuracy is below the floor beyond noise
        triggers a retrain on the rows of that block (a slow, incremental
        decline that a change detector does not see).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.policies import LifecycleState, OnSettledBelowFloor
    >>> p = OnSettledBelowFloor(min_samples=100, max_samples=200)
    >>> ok = np.r_[np.zeros(190), np.ones(10)]       # first model: 95% accurate
    >>> p.should_retrain(LifecycleState(step=1200, labels_available=1200,
    ...                                 new_errors=ok)).retrain
    False
    >>> bad = np.r_[np.zeros(70), np.ones(30)]       # next model: 70% accurate
    >>> d = p.should_retrain(LifecycleState(step=1400, labels_available=1400,
    ...                                     model_version=1, new_errors=bad))
    >>> d.retrain, d.change_point
    (True, 1300)
    """

    min_samples: int = attrs.field(default=500, kw_only=True)
    max_samples: int = attrs.field(default=2000, kw_only=True)
    threshold: float = attrs.field(default=0.0, kw_only=True)
    confidence_level: float = attrs.field(default=0.95, kw_only=True)
    max_tries: int = attrs.field(default=2, kw_only=True)
    watch: bool = attrs.field(default=True, kw_only=True)
    _history: _SinceDeployment = attrs.field(
        init=False, factory=lambda: _SinceDeployment(blocks=False), repr=False
    )
    _floor: tuple[float, float] | None = attrs.field(init=False, default=None, repr=False)
    _tries: int = attrs.field(init=False, default=0, repr=False)
    _looks: int = attrs.field(init=False, default=0, repr=False)
    _done: bool = attrs.field(init=False, default=False, repr=False)
    _block: tuple[int, float] = attrs.field(init=False, default=(0, 0.0), repr=False)

    def __attrs_post_init__(self) -> None:
        self.min_samples = check_int(self.min_samples, "min_samples", caller=_CALLER, low=1)
        self.max_samples = check_int(
            self.max_samples, "max_samples", caller=_CALLER, low=self.min_samples
        )
        # an accuracy gap: one above 1 can never be exceeded (never a retrain)
        self.threshold = check_scalar(
            self.threshold, "threshold", caller=_CALLER, low=0.0, high=1.0
        )
        self.confidence_level = _check_level(self.confidence_level, _CALLER)
        self.max_tries = _check_tries(self.max_tries, _CALLER)
        self.watch = check_bool(self.watch, "watch", _CALLER)

    def _level(self) -> tuple[float, float]:
        h = self._history
        acc = 1.0 - h.capped_errors / h.capped_n
        return acc, _se(acc, h.capped_n, None)

    def _accept(self) -> None:
        self._floor = self._level()
        self._tries = 0
        self._done = True
        # the labels past the first max_samples that arrived with the look
        # start the first watched block
        h = self._history
        self._block = (h.over_n, h.over_errors)

    def _watch(self, state: LifecycleState) -> RetrainDecision:
        """Judge each further block of ``max_samples`` labels of an accepted model."""
        xs = state.new_errors
        if not self.watch or self._floor is None or xs is None or not len(xs):
            return _ACCEPTED
        n, err = self._block
        # the sum of xs, taken by the history's update of this same state
        n, err = n + len(xs), err + self._history.last_errors
        if n < self.max_samples:
            self._block = (n, err)
            return _ACCEPTED
        self._block = (0, 0.0)
        acc = 1.0 - err / n
        se = _se(acc, n, None)
        floor, se0 = self._floor
        gap = floor - acc - _z(self.confidence_level) * math.sqrt(se * se + se0 * se0)
        what = f"accuracy {acc:.4g} on the latest {n} labels vs floor {floor:.4g}"
        if gap <= self.threshold:
            return RetrainDecision(retrain=False, reason=f"floor: holds, {what}")
        cp = state.labels_available - n
        return RetrainDecision(
            retrain=True,
            change_point=cp,
            reason=f"floor: {what}, a slow decline beyond noise; retrain on the rows "
            f"since sample {cp}",
        )

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Judge the deployed model's settled accuracy against the floor."""
        check_state(state, "OnSettledBelowFloor.should_retrain")
        h = self._history
        if h.update(state, cap=self.max_samples):
            self._looks = 0
            self._done = False
            self._block = (0, 0.0)
        if self._done:
            return self._watch(state)
        n = h.capped_n
        due = 2 if n >= self.max_samples else 1 if n >= self.min_samples else 0
        if due <= self._looks:
            return _WAITING
        self._looks = due
        if self._floor is None:
            if due == 2:
                self._accept()
                return RetrainDecision(
                    retrain=False,
                    reason=f"floor: first level accepted ({self._floor[0]:.4g})",  # type: ignore[index]
                )
            return RetrainDecision(retrain=False, reason="floor: no level to compare with yet")
        acc, se = self._level()
        floor, se0 = self._floor
        gap = floor - acc - _z(self.confidence_level) * math.sqrt(se * se + se0 * se0)
        what = f"accuracy {acc:.4g} on {n} labels since deployment vs floor {floor:.4g}"
        if gap <= self.threshold:
            if due == 2:
                self._accept()
                return RetrainDecision(retrain=False, reason=f"floor: accepted, {what}")
            return RetrainDecision(retrain=False, reason=f"floor: holds, {what}")
        self._tries += 1
        if self._tries > self.max_tries:
            self._accept()
            return RetrainDecision(
                retrain=False,
                reason=f"floor: {what}, below after {self.max_tries} retrain(s): "
                "the new level is accepted",
            )
        self._done = True  # one retrain per model
        cp = h.start
        last = state.last_change_point
        if self._tries == 1 and last is not None and last <= cp:
            cp = last
        return RetrainDecision(
            retrain=True,
            change_point=cp,
            reason=f"floor: {what}, below beyond noise (try {self._tries} of "
            f"{self.max_tries}); retrain on the rows since sample {cp}",
        )
