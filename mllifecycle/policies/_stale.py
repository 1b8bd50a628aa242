"""Retrain models that go stale with age: slow (incremental) drift, pooled over models."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._lifecycle_types import _decision
from mllifecycle._results import ARRAY_EQ
from mllifecycle._validation import check_bool, check_int, check_scalar
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state
from mllifecycle.policies._triggers import _check_level, _z

__all__ = ["OnStaleness"]

_CALLER = "OnStaleness"

# the frequent "keep" answers, built once (a decision is frozen)
_TOO_YOUNG = _decision(False, "staleness: model too young to judge")
_AS_GOOD = _decision(False, "staleness: models of this age are as good as fresh ones")
# no age ready, by robust
_UNSEEN = {
    True: _decision(False, "staleness: fewer than two models of this age seen yet"),
    False: _decision(False, "staleness: no model of this age seen yet"),
}


def _bound(c: npt.NDArray[np.float64], size: int, level: float) -> npt.NDArray[np.float64]:
    """Lower bound on the accuracy lost with age from pooled counts ``(n0, e0, nj, ej)``.

    ``-inf`` where fewer than ``size`` labels of that age are pooled.
    """
    n0, e0, nj, ej = c
    ok = nj >= size
    n0, nj = np.where(ok, n0, 1.0), np.where(ok, nj, 1.0)
    a0, aj = 1.0 - e0 / n0, 1.0 - ej / nj
    se = np.sqrt(a0 * (1.0 - a0) / n0 + aj * (1.0 - aj) / nj)
    return np.where(ok, (a0 - aj) - _z(level) * se, -np.inf)


_NEG_INF = -math.inf


def _bound_one(n0: float, e0: float, nj: float, ej: float, size: int, z: float) -> float:
    """:func:`_bound` for one age's pooled counts, as Python floats (the same operations)."""
    if not nj >= size:
        return _NEG_INF
    a0, aj = 1.0 - e0 / n0, 1.0 - ej / nj
    se = math.sqrt(a0 * (1.0 - a0) / n0 + aj * (1.0 - aj) / nj)
    return (a0 - aj) - z * se


def _pooled(pairs: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    """Pool the models' pairs into (n0, e0, nj, ej) (whole numbers: the sums are exact)."""
    n0 = e0 = nj = ej = 0.0
    for a, b, c, d in pairs:
        n0 += a
        e0 += b
        nj += c
        ej += d
    return n0, e0, nj, ej


def _pooled_bound(
    pairs: list[tuple[float, float, float, float]],
    n_models: int,
    size: int,
    z: float,
    robust: bool,
) -> float:
    """Bound one age from its pairs: pooled, or the least with any one model left out.

    With ``robust``, a model without a pair at this age leaves the pooled
    counts unchanged when left out (it adds zeros), so its bound is the
    pooled one.
    """
    n0, e0, nj, ej = _pooled(pairs)
    if not nj >= size:  # fewer labels pooled than a block: no model left out has more
        return _NEG_INF
    if not robust:
        return _bound_one(n0, e0, nj, ej, size, z)
    best = _bound_one(n0, e0, nj, ej, size, z) if len(pairs) < n_models else math.inf
    for a, b, c, d in pairs:
        value = _bound_one(n0 - a, e0 - b, nj - c, ej - d, size, z)
        if value < best:
            best = value
            if value == _NEG_INF:
                break
    return best


def _zeros(shape: tuple[int, ...]) -> npt.NDArray[np.float64]:
    return np.zeros(shape, dtype=np.float64)


@attrs.define
class OnStaleness:
    """Retrain when models, pooled over the stream so far, go stale at the deployed one's age.

    Under slow (incremental) drift every model's accuracy falls with its
    age, the labels it has predicted since its deployment, but too slowly
    for any one model's decline to stand out of sampling noise before it is
    several points down, and no change detector fires. Pooled over models,
    the decline is visible early. Each model's predictions are cut into age
    blocks of ``block`` labels; block ``j`` of each of the deployed model and
    the last ``n_models`` retired models that reached it is paired with the
    same model's first block (so that better and worse models, e.g. grown on
    more rows, do not confound the comparison), giving pooled accuracies
    ``a0`` and ``aj`` with binomial standard errors ``s0`` and ``sj``. As
    soon as the deployed model is ``j`` blocks old for some ``j`` with::

        (a0 - aj) - z * sqrt(s0**2 + sj**2) > threshold

    (models of that age are worse than fresh ones by more than
    ``threshold``, beyond sampling noise at the one-sided
    ``confidence_level``), it retrains, once per model, on the latest
    ``window`` labelled rows: the decision's ``change_point`` is
    ``labels_available - window`` (not earlier than the last reported change
    point), so :class:`SinceLastDrift` trains on recent rows only, which is
    what a stream that keeps moving calls for.

    A retired model's blocks after a change point another policy reported
    inside its life are left out (a detected change, not age, explains that
    decline). Only the last ``n_models`` retired models count, so the
    evidence follows the stream: when models stop going stale, older
    evidence expires (models retrained young never show an old age again)
    and models live longer. On a stationary stream fresh and old models are
    equally good and it stays quiet (up to the false-alarm rate of the
    bound). The age-accuracy curve pooled over models follows Vela et
    al. [1]_, who measure "AI ageing" as the error of many models against
    their age. It needs the deployed model's per-label errors
    (``state.new_errors``, as :func:`mllifecycle.replay.replay` provides);
    :func:`recommended` includes it, with ``robust=True``.

    Parameters
    ----------
    block : int, default=500
        Labels per age block.
    window : int, default=1000
        Recent labelled rows a staleness retrain uses.
    confidence_level : float, default=0.95
        One-sided confidence level of the bound.
    threshold : float, default=0.01
        Accuracy lost with age, beyond sampling noise, that warrants a retrain
        (one point: smaller losses do not pay for a retrain on fewer rows); in
        [0, 1].
    n_models : int, default=8
        Retired models pooled (the most recent ones), besides the deployed one.
    max_blocks : int, default=64
        Age blocks tracked per model.
    robust : bool, default=False
        Require the bound to hold with any one model left out (each of the
        pooled models in turn, the deployed one included), so that no single
        model's decline decides: one model that met a change no detector saw
        (an abrupt change, a gradual transition) is not taken for models
        going stale with age, and does not make the next models retrain at
        its age. Under slow drift every model declines and the bound holds
        without any one of them. It needs at least two models of the age
        judged; :func:`recommended` uses ``robust=True``.

    References
    ----------
    .. [1] D. Vela, A. Sharp, R. Zhang, T. Nguyen, A. Hoang and O. S. Pianykh,
       "Temporal quality degradation in AI models", Scientific Reports, 12,
       11654, 2022.

    Examples
    --------
    Models 90% accurate in their first 100 labels and 70% in their next 100
    (a stream that keeps moving): the first one is retrained as soon as its
    decline is beyond noise, and a later one as soon as it is 100 labels
    old, on the latest 300 rows.

    >>> import numpy as np
    >>> from mllifecycle.policies import LifecycleState, OnStaleness
    >>> p = OnStaleness(block=100, window=300)
    >>> aging = np.r_[np.zeros(90), np.ones(10), np.zeros(70), np.ones(30)]
    >>> p.should_retrain(LifecycleState(step=200, labels_available=200,
    ...                                 new_errors=aging)).retrain
    True
    >>> d = p.should_retrain(LifecycleState(step=300, labels_available=300,
    ...     model_version=1, new_errors=np.zeros(100)))
    >>> d.retrain, d.change_point
    (True, 0)
    """

    block: int = attrs.field(default=500, kw_only=True)
    window: int = attrs.field(default=1000, kw_only=True)
    confidence_level: float = attrs.field(default=0.95, kw_only=True)
    threshold: float = attrs.field(default=0.01, kw_only=True)
    n_models: int = attrs.field(default=8, kw_only=True)
    max_blocks: int = attrs.field(default=64, kw_only=True)
    robust: bool = attrs.field(default=False, kw_only=True)
    _version: int = attrs.field(init=False, default=-1, repr=False)
    _age: int = attrs.field(init=False, default=0, repr=False)
    _fired: bool = attrs.field(init=False, default=False, repr=False)
    _start: int = attrs.field(init=False, default=0, repr=False)
    _reported: int | None = attrs.field(init=False, default=None, repr=False)
    # the deployed model's [n, errors] per age block, as Python floats (one of
    # them grows at every decision); the same for the last retired ones, as an array
    _current: list[list[float]] = attrs.field(init=False, factory=list)
    _retired: npt.NDArray[np.float64] = attrs.field(
        init=False, factory=lambda: _zeros((0, 0, 2)), eq=ARRAY_EQ
    )
    # the last quiet answer and what it depended on: (model version, completed
    # age blocks); the pooled counts change only when a block completes
    _memo_key: tuple[int, int] | None = attrs.field(init=False, default=None, repr=False, eq=False)
    _memo: RetrainDecision | None = attrs.field(init=False, default=None, repr=False, eq=False)
    # the bounds of the ages whose blocks are complete for every model, which
    # no later label changes: age -> bound, valid while _cols_key holds (see
    # _bounds); and the retired models' blocks as Python lists
    _cols: dict[int, float] = attrs.field(init=False, factory=dict, repr=False, eq=False)
    _cols_key: tuple[Any, ...] | None = attrs.field(init=False, default=None, repr=False, eq=False)
    _retired_rows: list[list[list[float]]] = attrs.field(
        init=False, factory=list, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        self.block = check_int(self.block, "block", caller=_CALLER, low=1)
        self.window = check_int(self.window, "window", caller=_CALLER, low=1)
        self.confidence_level = _check_level(self.confidence_level, _CALLER)
        # an accuracy lost: a bound above 1 can never be exceeded (never a retrain)
        self.threshold = check_scalar(
            self.threshold, "threshold", caller=_CALLER, low=0.0, high=1.0
        )
        self.n_models = check_int(self.n_models, "n_models", caller=_CALLER, low=0)
        self.max_blocks = check_int(self.max_blocks, "max_blocks", caller=_CALLER, low=2)
        self.robust = check_bool(self.robust, "robust", _CALLER)
        self._current = [[0.0, 0.0] for _ in range(self.max_blocks)]
        self._retired = _zeros((0, self.max_blocks, 2))

    def _add(self, xs: npt.NDArray[Any]) -> None:
        """Add the deployed model's new errors to its age blocks."""
        cur, size, i, n = self._current, self.block, 0, len(xs)
        while i < n:
            k = self._age // size
            if k >= self.max_blocks:
                self._age += n - i
                return
            take = min(n - i, (k + 1) * size - self._age)
            counts = cur[k]
            counts[0] += take
            counts[1] += float((xs if take == n else xs[i : i + take]).sum())
            self._age += take
            i += take

    def _retire(self, change_point: int | None) -> None:
        """Keep the retired model's blocks, up to a change another policy reported.

        Blocks from the reported change point on are left out when the
        change fell inside the model's life and was not this policy's own
        retrain: a detected change explains that decline, age does not.
        """
        if self.n_models == 0:
            return
        blocks = np.array(self._current, dtype=np.float64)
        cp = change_point
        if cp is not None and cp > self._start and cp != self._reported:
            blocks[max(0, (cp - self._start) // self.block) :] = 0.0
        if blocks[0, 0] < self.block:
            return  # not judged at all
        # kept even without a second block: a model retrained young pushes older
        # evidence out, so a loop of retrains on expired evidence ends
        self._retired = np.concatenate([self._retired, blocks[None]])[-self.n_models :]

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Pool the deployed model's errors by age; retrain it once models of its age are stale."""
        check_state(state, "OnStaleness.should_retrain")
        xs = state.new_errors
        if state.model_version != self._version:
            if self._version != -1:
                self._retire(state.last_change_point)
            self._version = state.model_version
            # the first labelled row the new model predicted
            self._start = state.deployed_at if xs is None else state.labels_available - len(xs)
            self._age = 0
            self._fired = False
            self._reported = None
            self._current = [[0.0, 0.0] for _ in self._current]
            # the kept answers were the previous model's (a version number may
            # come back, e.g. a rollback to an earlier registry version)
            self._memo_key = self._cols_key = None
        if xs is not None and len(xs):
            self._add(xs)
        k = min(self._age // self.block, self.max_blocks - 1)
        if self._fired or k < 1:
            return _TOO_YOUNG
        key = (self._version, self._age // self.block)
        if key == self._memo_key and self._memo is not None:
            return self._memo  # no block completed since: the same counts, the same answer
        d = self._judge(state, k)
        if not d.retrain:
            self._memo_key, self._memo = key, d
        return d

    def _judge(self, state: LifecycleState, k: int) -> RetrainDecision:
        """Pool complete age blocks up to ``k``; fire when models of an age are stale.

        The bounds come from :meth:`_bounds` (Python floats, each age's
        computed once its blocks are complete); :meth:`_judge_arrays`, the
        same computation on arrays, answers when the counts are not whole
        numbers of labels and errors (errors other than 0/1).
        """
        bounds = self._bounds(k)
        if bounds is None:
            return self._judge_arrays(state, k)
        # (list methods and filter: loops in C over up to max_blocks ages)
        if bounds.count(_NEG_INF) == len(bounds):  # no age is ready
            return _UNSEEN[bool(self.robust)]
        # the first age whose bound exceeds the threshold (-inf never does:
        # it is a ready one); index finds its first position
        above = next(filter(float(self.threshold).__lt__, bounds), None)
        if above is None:
            return _AS_GOOD
        hit = bounds.index(above) + 1
        pairs = self._pairs(hit, self._current)
        assert pairs is not None  # checked when its bound was computed
        n0, e0, nj, ej = _pooled(pairs)
        return self._fire(state, hit, 1.0 - e0 / n0, 1.0 - ej / nj, n0)

    def _bounds(self, k: int) -> list[float] | None:
        """Return the bound of each age 1..k (``-inf``: too few labels of that age pooled).

        None when a count is not a whole number (see :meth:`_judge`). An age
        whose block is complete for the deployed model depends only on
        complete blocks, which no later label changes, so its bound is kept
        for the model's life (retired models change only with the deployed
        one); only the newest ages are computed at each look.
        """
        key = (self._version, self.block, self.confidence_level, self.robust, self.max_blocks)
        if key != self._cols_key or len(self._retired_rows) != len(self._retired):
            self._cols_key, self._cols = key, {}
            self._retired_rows = self._retired.tolist()
        cols, size = self._cols, self.block
        z = _z(self.confidence_level)
        # the kept bounds are those of ages 1, 2, ..., len(cols), kept in that
        # order: each look goes through the ages in order and keeps every
        # complete one, and an age's block is complete only after the blocks
        # of the younger ages (see _add); the ages are never more than k
        out: list[float] = list(cols.values())
        if len(out) > k:
            del out[k:]
        current = self._current
        for j in range(len(out) + 1, k + 1):
            pairs = self._pairs(j, current)
            if pairs is None:
                return None
            b = _pooled_bound(pairs, len(self._retired_rows) + 1, size, z, self.robust)
            if current[j][0] >= size:  # complete: fixed for this model's life
                cols[j] = b
            out.append(b)
        return out

    def _pairs(
        self, j: int, current: list[list[float]]
    ) -> list[tuple[float, float, float, float]] | None:
        """(n0, e0, nj, ej) of each model whose blocks 0 and ``j`` are complete.

        In the order of the arrays (retired models, then the deployed one);
        None when a count is not a whole number or errors exceed labels.
        """
        size = self.block
        out = []
        for blocks in (*self._retired_rows, current):
            n0, e0 = blocks[0]
            nj, ej = blocks[j]
            if n0 >= size and nj >= size:
                if not (
                    0.0 <= e0 <= n0
                    and 0.0 <= ej <= nj
                    and e0.is_integer()
                    and ej.is_integer()
                    and n0.is_integer()
                    and nj.is_integer()
                ):
                    return None
                out.append((n0, e0, nj, ej))
        return out

    def _fire(
        self, state: LifecycleState, age_block: int, a0: float, aj: float, n0: float
    ) -> RetrainDecision:
        """Return the retrain for models ``age_block`` blocks old found stale."""
        cp = max(0, state.labels_available - self.window)
        if state.last_change_point is not None:
            cp = max(cp, int(state.last_change_point))
        self._fired = True
        self._reported = cp
        age = age_block * self.block
        return RetrainDecision(
            retrain=True,
            change_point=cp,
            reason=f"staleness: models {age} labels old are {float(a0 - aj):.3g} less "
            f"accurate than fresh ones ({int(n0 // self.block)} model(s) pooled, beyond "
            f"noise); retrain on the rows since sample {cp}",
        )

    def _judge_arrays(self, state: LifecycleState, k: int) -> RetrainDecision:
        """:meth:`_judge` on arrays: every age's bound, recomputed at each look."""
        current = np.array(self._current, dtype=np.float64)
        models = np.concatenate([self._retired, current[None]])[:, : k + 1]
        size = self.block
        full = models[:, :, 0] >= size  # complete blocks
        pair = (full & full[:, :1])[:, 1:]  # ... of models whose first block is complete
        # per model and age j >= 1: (n0, e0, nj, ej) of the pairs
        per = np.stack(
            [
                np.where(pair, models[:, :1, 0], 0.0),
                np.where(pair, models[:, :1, 1], 0.0),
                np.where(pair, models[:, 1:, 0], 0.0),
                np.where(pair, models[:, 1:, 1], 0.0),
            ]
        )
        total = per.sum(axis=1)
        if self.robust:
            # leave each model out in turn: the bound must hold without any one of
            # them, so no single model's decline decides
            loo = total[:, None, :] - per
            bound = np.min(_bound(loo, size, self.confidence_level), axis=0)
        else:
            bound = _bound(total, size, self.confidence_level)
        ready = np.isfinite(bound)
        if not ready.any():
            return _UNSEEN[bool(self.robust)]
        n0, e0, nj, ej = total[:, ready]
        a0, aj = 1.0 - e0 / n0, 1.0 - ej / nj
        bound = bound[ready]
        hits = np.flatnonzero(bound > self.threshold)
        if not hits.size:
            return _AS_GOOD
        h = int(hits[0])
        return self._fire(state, int(np.flatnonzero(ready)[h] + 1), a0[h], aj[h], n0[h])
