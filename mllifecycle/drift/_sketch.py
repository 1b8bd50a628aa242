"""A deterministic, mergeable quantile summary with a tracked rank-error bound.

The summary of ``n`` values is a sorted list of values ``v_1 < ... < v_k`` with
integer weights ``w_j`` (summing to ``n``), read as the step function
``R(x) = sum(w_j for v_j <= x)``, an estimate of the rank ``#{values <= x}``,
plus an integer ``error`` such that ``|R(x) - rank(x)| <= error`` for every
``x``. Three operations keep that invariant, and ``error`` records exactly what
each adds:

* *build* from raw values: distinct values with their counts, ``error = 0``;
* *merge* of summaries of disjoint data: the union of the weighted values
  (ranks add), ``error = sum`` of the errors;
* *compact* to at most ``capacity`` values: with block size
  ``b = ceil(n / capacity)``, consecutive values whose cumulative start weight
  falls in the same block ``[i b, (i + 1) b)`` are replaced by the block's last
  value carrying the block's total weight. Only a prefix of one block that does
  not include its last value can be miscounted at any ``x``; that prefix weighs
  at most ``b - 1``, so ``error += b - 1``. There are at most
  ``ceil(n / b) <= capacity`` blocks.

This is the merge-and-prune scheme of the weighted quantile sketch of Chen &
Guestrin (2016, appendix), with the error carried as an exact count rather than
a worst-case formula. Built per partition and merged along a tree of depth
``L``, the relative error ``error / n`` is at most about ``(L + 1) / capacity``,
and the summary holds at most ``capacity`` values whatever ``n`` is.

References
----------
.. [1] Chen, T. & Guestrin, C. (2016). XGBoost: a scalable tree boosting
   system. KDD, appendix "Weighted quantile sketch".
.. [2] Agarwal, P. K., Cormode, G., Huang, Z., Phillips, J. M., Wei, Z. & Yi, K.
   (2013). Mergeable summaries. ACM TODS 38(4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle.drift._common import FloatArray

__all__ = ["QuantileSketch", "DEFAULT_CAPACITY", "ks_from_sketches", "concat_values"]

DEFAULT_CAPACITY = 2**16


def _kept(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Values as stored: integers (NumPy ints, Python ints beyond int64) exactly, else float64."""
    return a if a.dtype.kind in "iuO" else a.astype(np.float64)


def concat_values(arrays: Sequence[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """Concatenate value arrays without rounding integers.

    Integer arrays (int64, uint64, or object arrays of Python ints) join
    exactly: NumPy would turn int64 with uint64 into float64, which rounds
    integers beyond 2**53 so that distinct values tie. Arrays holding floats
    make the whole float64, as the in-memory tests read such a column. Empty
    arrays (a partition with no values) do not count.
    """
    full = [a for a in arrays if a.shape[0]]
    if not full:
        return np.empty(0)
    if all(a.dtype.kind in "iuO" for a in full):
        if len({a.dtype for a in full}) == 1:
            return np.concatenate(full)
        obj = np.concatenate([a.astype(object) for a in full])
        try:
            return obj.astype(np.int64)
        except OverflowError:  # beyond int64: Python's integers
            return obj
    return np.concatenate([a.astype(np.float64) for a in full])


@attrs.define(eq=False)
class QuantileSketch:
    """Weighted sorted values with an exact bound on the rank error (private)."""

    values: npt.NDArray[Any]  # float64, or exact integers (see concat_values)
    weights: npt.NDArray[np.int64]
    n: int
    error: int
    capacity: int | None

    @classmethod
    def from_values(cls, x: FloatArray, capacity: int | None) -> QuantileSketch:
        """Summarise finite values ``x`` (exact if they have few distinct values)."""
        n = int(x.shape[0])
        srt = np.sort(x)  # in the input's float dtype (float32 sorts twice as fast)
        first = np.flatnonzero(np.r_[True, srt[1:] != srt[:-1]]) if n else np.zeros(0, np.intp)
        if capacity is None or first.shape[0] <= capacity:  # exact: distinct values, counts
            return cls(
                _kept(srt[first]),
                np.diff(np.r_[first, n]).astype(np.int64),
                n,
                0,
                capacity,
            )
        # compaction of the unit weights in place: blocks of b sorted positions,
        # each represented by its last value (error b - 1, see the module notes)
        b = -(-n // capacity)
        last = np.r_[np.arange(b - 1, n - 1, b), n - 1]
        return cls(
            _kept(srt[last]),
            np.diff(np.r_[-1, last]).astype(np.int64),
            n,
            b - 1,
            capacity,
        )

    def _compact(self) -> None:
        cap = self.capacity
        if cap is None or self.values.shape[0] <= cap:
            return
        b = -(-self.n // cap)
        cum = np.cumsum(self.weights)
        block = (cum - self.weights) // b
        last = np.flatnonzero(np.r_[block[1:] != block[:-1], True])
        self.values = self.values[last]
        self.weights = np.diff(np.r_[0, cum[last]]).astype(np.int64)
        self.error += b - 1

    @classmethod
    def merge(cls, sketches: Sequence[QuantileSketch]) -> QuantileSketch:
        """Summary of the union of the summarised (disjoint) data."""
        caps = [s.capacity for s in sketches if s.capacity is not None]
        v = concat_values([s.values for s in sketches])
        w = np.concatenate([s.weights for s in sketches])
        u, inv = np.unique(v, return_inverse=True)
        wu = np.bincount(inv.ravel(), weights=w, minlength=u.shape[0])
        out = cls(
            u,
            np.rint(wu).astype(np.int64),
            sum(s.n for s in sketches),
            sum(s.error for s in sketches),
            max(caps) if caps else None,
        )
        out._compact()
        return out

    @property
    def eps(self) -> float:
        """Bound on the error of the ECDF read from the summary (``error / n``)."""
        return self.error / self.n

    def cdf(self, x: FloatArray) -> FloatArray:
        """Estimated ECDF at ``x``, within ``eps`` of the exact one."""
        cum = np.r_[0, np.cumsum(self.weights)]
        out: FloatArray = cum[np.searchsorted(self.values, x, side="right")] / self.n
        return out

    def __getstate__(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)


def ks_from_sketches(a: QuantileSketch, b: QuantileSketch) -> tuple[float, float]:
    """KS statistic read from two summaries and its error bound.

    Both estimated ECDFs are right-continuous steps that jump only at stored
    values, so the supremum of their difference is attained there. Each is
    within its ``eps`` of the exact ECDF everywhere, hence
    ``|D_hat - D| <= a.eps + b.eps``.
    """
    # integer values (beyond 2**53) compared exactly, as the in-memory tests do
    both = concat_values([a.values, b.values])
    k = a.values.shape[0] if a.values.shape[0] and b.values.shape[0] else 0
    ea = attrs.evolve(a, values=both[:k]) if k else a
    eb = attrs.evolve(b, values=both[k:]) if k else b
    pts = np.union1d(ea.values, eb.values)
    d = float(np.max(np.abs(ea.cdf(pts) - eb.cdf(pts)))) if pts.shape[0] else 0.0
    return d, a.eps + b.eps


def lattice_floor(d_low: float, n1: int, n2: int, max_exact_n: int) -> float:
    """Smallest value the exact two-sample KS statistic can take at or above ``d_low``.

    For samples small enough for the exact distribution the statistic lives on
    the lattice ``h / lcm(n1, n2)``; elsewhere ``d_low`` itself is returned.
    """
    if d_low <= 0.0:
        return 0.0
    if max(n1, n2) > max_exact_n:
        return d_low
    lcm = n1 // math.gcd(n1, n2) * n2
    # d_low * lcm misses the integer of a lattice value by rounding errors of
    # a few ulps of lcm (up to ~1e-8 for lcm ~ 1e8): a fixed 1e-9 margin sent
    # one lattice value in ten to the next one up (a larger statistic)
    return math.ceil(d_low * lcm - (1e-9 + 1e-12 * lcm)) / lcm
