"""Permutation tests of 1-D two-sample statistics through pooled groups.

Every 1-D statistic here (Cramér-von Mises and Anderson-Darling with midranks,
Wasserstein, 1-D energy, binned divergences) depends on the samples only
through how many reference values fall in each group of equal pooled values
(a tie group). A permutation of the labels changes only those counts, so the
permutation null is drawn on counts:

* up to :data:`FULL_RESOLUTION` pooled values, by permuting the labels and
  counting per tie group (exact, ``O(B N)``), unless there are so few tie
  groups that drawing their counts is cheaper (``50 K < N``);
* otherwise, the counts of a random relabelling are multivariate
  hypergeometric given the group sizes, drawn directly (``O(B K)`` for ``K``
  groups, whatever ``N``). When there are more than ``max_groups`` distinct
  values, consecutive tie groups are merged into ``max_groups`` groups of
  about equal pooled counts and the statistic is computed on the merged
  (coarsened) data, for the observed and every permuted labelling alike.

Both are exact permutation tests (the groups are a function of the pooled
sample, which a relabelling leaves unchanged), of the statistic itself or of
its coarsened version, so the p-value is valid at every sample size and with
any number of ties (Lehmann & Romano, 2005, Thm 15.2.1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._resample import map_chunks
from mllifecycle.drift._common import FloatArray, perm_blocks

__all__ = [
    "Groups",
    "pooled_groups",
    "groups_from_codes",
    "coarsen",
    "permuted_counts",
    "FULL_RESOLUTION",
    "MAX_GROUPS",
]

#: Up to this many pooled values, permutations relabel every value.
FULL_RESOLUTION = 4_000
#: Above it, at most this many groups (hypergeometric draws cost O(B K)).
MAX_GROUPS = 1000

IntArray = npt.NDArray[np.int64]


@attrs.frozen
class Groups:
    """Pooled groups of a two-sample problem.

    Attributes
    ----------
    n, m : int
        Sample sizes.
    sizes : ndarray of int, shape (K,)
        Pooled count per group (groups in increasing order of value).
    ref_counts : ndarray of int, shape (K,)
        Observed reference count per group.
    values : ndarray of float, shape (K,)
        The largest value of each group.
    coarsened : bool
        Whether distinct values were merged (more than ``max_groups``).
    labels : ndarray of bool or None
        Reference flags along the pooled sorted sample (full-resolution mode).
    starts : ndarray of int
        Start of each group along the pooled sorted sample.
    """

    n: int
    m: int
    sizes: IntArray
    ref_counts: IntArray
    values: FloatArray
    coarsened: bool
    labels: npt.NDArray[np.bool_] | None
    starts: npt.NDArray[np.intp]

    @property
    def mode(self) -> str:
        """How permutations are drawn, for ``details["p_value_method"]``."""
        if self.coarsened:
            return f"permutation on {self.sizes.shape[0]} pooled groups"
        return "permutation"


def pooled_groups(
    ref: FloatArray,
    cur: FloatArray,
    *,
    max_groups: int | None = MAX_GROUPS,
    full_resolution: int = FULL_RESOLUTION,
) -> Groups:
    """Group the pooled sample (ties together); see the module docstring."""
    n, m = ref.shape[0], cur.shape[0]
    big_n = n + m
    pooled = np.concatenate([ref, cur])
    order = np.argsort(pooled, kind="stable")
    z = pooled[order]
    is_ref = order < n
    starts = np.flatnonzero(np.r_[True, z[1:] != z[:-1]])
    coarsened = False
    if big_n > full_resolution and max_groups is not None and starts.shape[0] > max_groups:
        # merge consecutive tie groups: cut at the tie-group start nearest to
        # equally spaced positions (never inside a tie group)
        targets = np.linspace(0, big_n, max_groups + 1)[1:-1]
        pos = np.searchsorted(starts, targets)
        pos = np.clip(pos, 1, starts.shape[0] - 1)
        starts = np.unique(np.r_[0, starts[pos]])
        coarsened = True
    ends = np.r_[starts[1:], big_n]
    sizes = (ends - starts).astype(np.int64)
    ref_counts = np.add.reduceat(is_ref.astype(np.int64), starts)
    values = z[ends - 1]
    # relabelling every value costs ~B N; hypergeometric counts ~50 B K
    labels = is_ref if big_n <= full_resolution and 50 * sizes.shape[0] >= big_n else None
    return Groups(n, m, sizes, ref_counts, values, coarsened, labels, starts)


def coarsen(groups: Groups, max_groups: int = MAX_GROUPS) -> Groups:
    """Merge tie groups as :func:`pooled_groups` with ``max_groups`` would, without a sort.

    Returns ``groups`` itself when it permutes labels or has few groups.
    """
    if groups.labels is not None or groups.sizes.shape[0] <= max_groups:
        return groups
    big_n = groups.n + groups.m
    cum = np.cumsum(groups.sizes)
    tie_starts = cum - groups.sizes  # start of each tie group
    targets = np.linspace(0, big_n, max_groups + 1)[1:-1]
    pos = np.clip(np.searchsorted(tie_starts, targets), 1, tie_starts.shape[0] - 1)
    keep = np.unique(np.r_[0, pos])  # indices of tie groups that start a merged group
    sizes = np.add.reduceat(groups.sizes, keep)
    ref_counts = np.add.reduceat(groups.ref_counts, keep)
    last = np.r_[keep[1:], groups.sizes.shape[0]] - 1
    return Groups(
        groups.n,
        groups.m,
        sizes.astype(np.int64),
        ref_counts.astype(np.int64),
        groups.values[last],
        True,
        None,
        tie_starts[keep].astype(np.intp),
    )


def groups_from_codes(
    rc: npt.NDArray[np.intp], cc: npt.NDArray[np.intp], *, full_resolution: int = FULL_RESOLUTION
) -> Groups:
    """:func:`pooled_groups` for integer codes (bins, categories), without a sort."""
    n, m = rc.shape[0], cc.shape[0]
    big_n = n + m
    k = int(max(rc.max(initial=0), cc.max(initial=0))) + 1
    cnt_r = np.bincount(rc, minlength=k).astype(np.int64)
    sizes_all = cnt_r + np.bincount(cc, minlength=k)
    present = np.flatnonzero(sizes_all)
    sizes = sizes_all[present].astype(np.int64)
    ref_counts = cnt_r[present]
    starts = (np.cumsum(sizes) - sizes).astype(np.intp)
    labels = None
    if big_n <= full_resolution and 50 * sizes.shape[0] >= big_n:
        codes = np.concatenate([rc, cc])
        order = np.argsort(codes, kind="stable")
        labels = order < n
    return Groups(n, m, sizes, ref_counts, present.astype(np.float64), False, labels, starts)


def permuted_counts(
    groups: Groups, rng: np.random.Generator, n_resamples: int, per_row: int = 4
) -> Iterator[IntArray]:
    """Yield blocks (b, K) of reference counts per group under random relabelling."""
    if groups.labels is not None:
        big_n = groups.n + groups.m
        k = groups.sizes.shape[0]
        for lab in perm_blocks(rng, big_n, groups.n, n_resamples, max(per_row, k // 64 + 1)):
            yield np.add.reduceat(lab.astype(np.int64), groups.starts, axis=1)
        return
    # sequential conditional hypergeometric draws, vectorised over permutations
    block = max(1, min(n_resamples, 4_000_000 // max(1, groups.sizes.shape[0])))
    done = 0
    sizes = groups.sizes
    while done < n_resamples:
        b = min(block, n_resamples - done)
        out = np.empty((b, sizes.shape[0]), dtype=np.int64)
        left = np.full(b, groups.n, dtype=np.int64)
        rest = int(sizes.sum())
        for j in range(sizes.shape[0] - 1):
            rest -= int(sizes[j])
            x = rng.hypergeometric(int(sizes[j]), rest, left) if rest > 0 else left.copy()
            out[:, j] = x
            left -= x
        out[:, -1] = left
        yield out
        done += b


def permutation_statistics(
    groups: Groups,
    stat: Callable[[Any], FloatArray],
    rng: np.random.Generator,
    n_resamples: int,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
) -> tuple[float, FloatArray]:
    """Observed and permuted values of ``stat`` (a function of (b, K) counts).

    The permutations are drawn in chunks with independent streams and run
    through ``n_jobs`` workers (:func:`mllifecycle._resample.map_chunks`): the
    result depends on ``rng`` only, not on ``n_jobs``.
    """
    obs = float(stat(groups.ref_counts[None, :].astype(np.float64))[0])

    def chunk(size: int, gen: np.random.Generator) -> FloatArray:
        return np.concatenate(
            [stat(c.astype(np.float64)) for c in permuted_counts(groups, gen, size)]
        )

    parts = map_chunks(
        chunk, n_resamples, rng, n_jobs=n_jobs, progress=progress, caller=caller
    )
    perm = np.concatenate(parts) if parts else np.empty(0)
    return obs, perm
