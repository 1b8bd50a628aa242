"""A seeded personalisation stream: many keys, each with its own concept offset."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import ARRAY_EQ as _ARRAY_EQ
from mllifecycle._validation import check_int, check_rng, check_scalar, fail

__all__ = ["PersonalStream", "personalization_stream"]



@attrs.frozen(repr=False)
class PersonalStream:
    """Rows with a key per row (user, device, segment) and known change points.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of int (0 or 1)
    keys : ndarray of int
        The key of each row.
    key_offsets : ndarray of float
        Each key's shift of the decision boundary (0 for every key when
        ``key_effect=0``).
    first_seen : ndarray of int
        Row at which each key appears (cold starts).
    change_points : tuple of int
        Rows where the global concept changes.

    Examples
    --------
    >>> from mllifecycle.datasets import personalization_stream
    >>> s = personalization_stream(2000, n_keys=50, rng=0)
    >>> s.X.shape, s.keys.shape, len(s.key_offsets)
    ((2000, 4), (2000,), 50)
    """

    # the data take part in ==, compared as arrays (two streams differing only
    # in their rows compared equal); hashing keeps to change_points, which
    # equal streams share
    X: npt.NDArray[np.float64] = attrs.field(eq=_ARRAY_EQ, hash=False)
    y: npt.NDArray[np.int64] = attrs.field(eq=_ARRAY_EQ, hash=False)
    keys: npt.NDArray[np.int64] = attrs.field(eq=_ARRAY_EQ, hash=False)
    key_offsets: npt.NDArray[np.float64] = attrs.field(eq=_ARRAY_EQ, hash=False)
    first_seen: npt.NDArray[np.int64] = attrs.field(eq=_ARRAY_EQ, hash=False)
    change_points: tuple[int, ...]

    def __repr__(self) -> str:
        return (
            f"PersonalStream(n_samples={self.y.size}, n_keys={self.key_offsets.size}, "
            f"change_points={self.change_points})"
        )


def _items(change_points: Any) -> list[Any]:
    if isinstance(change_points, str | bytes) or not isinstance(change_points, Iterable):
        # a bare TypeError from the loop
        fail("change_points", "a sequence of int rows", change_points, "personalization_stream")
    return list(change_points)


def personalization_stream(
    n_samples: int,
    *,
    n_keys: int = 500,
    n_features: int = 4,
    key_effect: float = 1.5,
    popularity: float = 1.1,
    change_points: tuple[int, ...] | None = None,
    drift_magnitude: float = 1.0,
    noise: float = 0.05,
    rng: int | np.random.Generator | None = None,
) -> PersonalStream:
    """Generate a personalisation stream for two-tier training.

    Each row belongs to a key drawn with Zipf-like popularity (weight of the
    ``r``-th key ``r ** -popularity``), and keys appear over time (a key is
    cold until its first row). The label is
    ``1[w . x + offset_key + noise > 0]``: every key shares the global weights
    ``w`` and has its own offset ``offset_key ~ N(0, key_effect)``; at each
    change point the global weights rotate by ``drift_magnitude`` radians in
    the plane of the first two features (a global drift every key feels).
    ``noise`` is the share of labels flipped.

    Parameters
    ----------
    n_samples : int
    n_keys : int, default=500
    n_features : int, default=4
    key_effect : float, default=1.5
        Standard deviation of the keys' offsets (0: keys do not differ).
    popularity : float, default=1.1
        Zipf exponent of key popularity.
    change_points : tuple of int, optional
        Rows where the global concept changes (default: one at the middle).
    drift_magnitude : float, default=1.0
    noise : float, default=0.05
    rng : int, numpy.random.Generator or None

    Returns
    -------
    PersonalStream

    Examples
    --------
    >>> from mllifecycle.datasets import personalization_stream
    >>> s = personalization_stream(5000, n_keys=100, key_effect=0.0, rng=1)
    >>> float(abs(s.key_offsets).max())
    0.0
    """
    caller = "personalization_stream"
    n = check_int(n_samples, "n_samples", caller=caller, low=10)
    k = check_int(n_keys, "n_keys", caller=caller)
    d = check_int(n_features, "n_features", caller=caller, low=2)
    eff = check_scalar(key_effect, "key_effect", caller=caller, low=0.0)
    pop = check_scalar(popularity, "popularity", caller=caller, low=0.0)
    mag = check_scalar(drift_magnitude, "drift_magnitude", caller=caller)
    flip = check_scalar(noise, "noise", caller=caller, low=0.0, high=0.5)
    gen = check_rng(rng, caller=caller)
    cps = (
        (n // 2,)
        if change_points is None
        else tuple(check_int(c, "change_points", caller=caller) for c in _items(change_points))
    )
    if any(c <= 0 or c >= n for c in cps) or list(cps) != sorted(set(cps)):
        fail("change_points", f"increasing rows in (0, {n})", change_points, caller)
    weights = np.arange(1, k + 1, dtype=np.float64) ** -pop
    # keys become available over time: key r from row r * n / (2 k) on, and
    # each row is drawn among the keys available at that row (by popularity)
    avail = (np.arange(k) * n / (2.0 * k)).astype(np.int64)
    u = gen.random(n)
    n_live = np.searchsorted(avail, np.arange(n), side="right")  # >= 1: avail[0] == 0
    cum = np.cumsum(weights)
    keys = np.minimum(np.searchsorted(cum, u * cum[n_live - 1], side="right"), n_live - 1)
    first_seen = np.full(k, -1, dtype=np.int64)
    seen_keys, first_rows = np.unique(keys, return_index=True)
    first_seen[seen_keys] = first_rows
    offsets = gen.normal(0.0, eff, k) if eff > 0 else np.zeros(k)
    X = gen.normal(size=(n, d))
    w = np.ones(d) / np.sqrt(d)
    margin = np.empty(n)
    bounds = [0, *cps, n]
    for seg, (a, b) in enumerate(itertools.pairwise(bounds)):
        angle = seg * mag
        ws = w.copy()
        c, s = np.cos(angle), np.sin(angle)
        ws[0], ws[1] = c * w[0] - s * w[1], s * w[0] + c * w[1]
        margin[a:b] = X[a:b] @ ws
    y = (margin + offsets[keys] > 0).astype(np.int64)
    flips = gen.random(n) < flip
    y[flips] = 1 - y[flips]
    return PersonalStream(
        X=X, y=y, keys=keys, key_offsets=offsets, first_seen=first_seen, change_points=cps
    )
