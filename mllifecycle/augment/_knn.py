"""Exact k nearest neighbours over all rows, given an upper bound on the radius.

Borderline-SMOTE and ADASYN ask, for every row of a class, which of its
nearest rows in the *whole* data set belong to other classes. That search
(class rows against all rows, brute force in the dimensions these data have)
is nearly all of their time. The within-class search they also need is cheap
and gives, for free, an upper bound ``tau`` on each row's squared radius: the
row and its ``q - 1`` nearest same-class rows are ``q`` rows within ``tau``,
so its ``q`` nearest rows overall are within ``tau`` too.

With that bound the search becomes a filter: one single-precision matrix
product per tile keeps every row whose single-precision squared distance
could be within ``tau`` (the test is widened by a proven bound on the
single-precision rounding error, so no true neighbour is ever dropped); the
few rows kept (typically tens to hundreds per query) get their exact
double-precision distance, and the ``q`` nearest are taken in the order
(distance, row index). The answer is therefore the exact double-precision
k-nearest list, as scikit-learn's brute-force search gives it (up to the order
of exactly tied distances, which this module breaks by row index).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._scaling import nonzero_sparse

__all__: list[str] = []

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

#: Below this many (query, row) pairs scikit-learn's search is used directly.
MIN_PAIRS = 20_000_000
#: Query rows per block and data rows per tile of the single-precision filter.
_Q_BLOCK = 512
_Y_TILE = 512  # a multiple of 8 (nonzero_sparse reads 8 entries at a time)
#: A block keeping more than this many rows per query falls back to scikit-learn.
_MAX_KEPT_PER_QUERY = 4096
_U32 = 2.0**-24
#: Kept (query, row) pairs whose exact distances are computed at once.
_PAIR_CHUNK = 16384


def exact_sq_dist(A: FloatArray, B: FloatArray) -> FloatArray:
    """Row-wise squared distances ``||A_i - B_i||^2`` by differences (no expansion)."""
    diff = A - B
    out: FloatArray = np.einsum("ij,ij->i", diff, diff)
    return out


def _threads(n_jobs: int | None) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs < 0:
        return max(1, cores if n_jobs is None else cores + 1 + n_jobs)
    return max(1, min(n_jobs, cores))


class _Filter:
    """The single-precision tiles of the data, scaled and centred once."""

    def __init__(self, Y: FloatArray) -> None:
        n, d = Y.shape
        self.Y = Y
        self.d = d
        mu = Y.mean(axis=0)
        Yc = Y - mu
        r2 = float(np.einsum("ij,ij->i", Yc, Yc).max()) if n else 0.0
        # a power of two brings the largest norm near 1: exact, and far from
        # single precision's overflow; tiny values lose only absolute 2**-126
        self.scale = float(np.ldexp(1.0, -int(np.frexp(np.sqrt(r2))[1]))) if r2 > 0 else 1.0
        Ys = Yc * self.scale
        self.mu = mu
        self.ny = np.einsum("ij,ij->i", Ys, Ys)
        self.ry = float(np.sqrt(self.ny.max())) if n else 0.0
        aug = np.empty((n, d + 1), dtype=np.float32)
        aug[:, :d] = Ys
        aug[:, d] = -0.5 * self.ny
        self.tiles = [
            (start, np.ascontiguousarray(aug[start: start + _Y_TILE].T))
            for start in range(0, n, _Y_TILE)
        ]

    def thresholds(self, Q: FloatArray, tau: FloatArray) -> tuple[Any, Any]:
        """Augmented single-precision queries and their widened thresholds.

        Row ``y`` is kept for query ``x`` when ``x.y - ||y||^2 / 2`` computed in
        single precision is at least ``(||x||^2 - tau) / 2 - E``; ``E`` bounds
        the rounding of the inputs to single precision and of the ``d + 1``
        term dot product (``gamma_{d+1}``, any summation order), doubled.
        """
        d = self.d
        Qs = (Q - self.mu) * self.scale
        nq = np.einsum("ij,ij->i", Qs, Qs)
        s2 = self.scale * self.scale
        tau_s = tau * s2
        err = (2.0 * (d + 5) * _U32 * (np.sqrt(nq) * self.ry + 0.5 * self.ry**2)
               + 2.0**-40 * (np.sqrt(nq) + self.ry + 1.0) ** 2 + (d + 2) * 2.0**-120)
        thr = 0.5 * (nq - tau_s) - err
        thr32 = thr.astype(np.float32)
        up = thr32.astype(np.float64) > thr
        thr32[up] = np.nextafter(thr32[up], np.float32(-np.inf))
        qa = np.empty((Q.shape[0], d + 1), dtype=np.float32)
        qa[:, :d] = Qs
        qa[:, d] = 1.0
        return qa, thr32

    def block(
        self, Q: FloatArray, tau: FloatArray, n_neighbors: int
    ) -> IntArray | None:
        """Return the exact ``n_neighbors`` nearest rows of each query, or None (fall back)."""
        qa, thr = self.thresholds(Q, tau)
        thr_col = thr[:, None]
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        kept = 0
        budget = _MAX_KEPT_PER_QUERY * Q.shape[0]
        hit = np.empty((Q.shape[0], _Y_TILE), dtype=bool)
        for start, tile in self.tiles:
            g = qa @ tile
            width = g.shape[1]
            h = hit[:, :width]
            np.greater_equal(g, thr_col, out=h)
            r, c = nonzero_sparse(h)
            if r.size:
                rows.append(r)
                cols.append(c + start)
                kept += r.size
                if kept > budget:
                    return None
        if not rows:
            return None
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        d2 = np.empty(r.size)
        for s in range(0, r.size, _PAIR_CHUNK):  # bounded temporaries
            e = s + _PAIR_CHUNK
            d2[s:e] = exact_sq_dist(Q[r[s:e]], self.Y[c[s:e]])
        # the rows a query keeps are those within its bound (and a few more)
        order = np.lexsort((c, d2, r))
        r, c = r[order], c[order]
        counts = np.bincount(r, minlength=Q.shape[0])
        if counts.min() < n_neighbors:  # cannot happen with a valid bound
            return None
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        out: IntArray = c[starts[:, None] + np.arange(n_neighbors)].astype(np.intp)
        return out


def exact_neighbors(Y: FloatArray, queries: IntArray, ind: IntArray) -> IntArray:
    """Make approximate nearest lists ``ind`` (query itself included) exact.

    scikit-learn's brute-force search expands ``||x - y||^2`` into
    ``||x||^2 - 2 x.y + ||y||^2``, which cancels on near rows far from the
    origin (offset features) and returns wrong neighbours. The exact distances
    of the approximate lists bound each query's radius, and the filter of
    :class:`_Filter` then finds the exact lists within it; a block the filter
    gives up on (very many rows within the bound) keeps the approximate lists.
    """
    if not queries.size or ind.shape[1] == 0:
        return ind
    tau = radius_bound(Y, queries, ind)
    if not np.isfinite(tau).all():
        return ind
    filt = _Filter(Y)
    out = ind.copy()
    for s in range(0, queries.size, _Q_BLOCK):
        e = min(s + _Q_BLOCK, queries.size)
        got = filt.block(Y[queries[s:e]], tau[s:e], ind.shape[1])
        if got is not None:
            out[s:e] = got
    return out


class LazyIndex:
    """scikit-learn's ``NearestNeighbors`` on ``Y``, fitted on first use only."""

    def __init__(self, Y: FloatArray, n_jobs: int | None) -> None:
        self.Y = Y
        self.n_jobs = n_jobs
        self._nn: Any = None

    def _fitted(self) -> Any:
        if self._nn is None:
            from sklearn.neighbors import NearestNeighbors

            self._nn = NearestNeighbors(n_jobs=self.n_jobs).fit(self.Y)
        return self._nn

    def kneighbors(self, Q: FloatArray, n_neighbors: int) -> IntArray:
        """Return the ``n_neighbors`` nearest rows of ``Y`` for each row of ``Q``."""
        ind: IntArray = self._fitted().kneighbors(
            Q, n_neighbors=n_neighbors, return_distance=False
        ).astype(np.intp, copy=False)
        return ind

    def exact(self, queries: IntArray, n_neighbors: int) -> IntArray:
        """:meth:`kneighbors` of rows ``queries`` of ``Y``, exact in double precision."""
        return certified_neighbors(self.Y, queries, self._fitted(), n_neighbors)


def certified_neighbors(Y: FloatArray, queries: IntArray, nn: Any, n_neighbors: int) -> IntArray:
    """Return the exact ``n_neighbors`` nearest rows of ``Y`` to rows ``queries``, from ``nn``.

    ``nn`` is a scikit-learn ``NearestNeighbors`` fitted on ``Y``. Its lists
    are re-ordered by exact distance (ties by row index). With brute force
    (expanded distances, which cancel on near rows far from the origin) a list
    is *certified* when its exact farthest distance is below the next
    candidate's expanded distance minus a bound on the expansion's rounding
    error: no row outside the list can then be nearer. Only the lists that
    fail the test (rare on centred data, most lists on offset data) go through
    :func:`exact_neighbors`'s bounded search.
    """
    n, d = Y.shape
    n_neighbors = min(n_neighbors, n)
    brute = getattr(nn, "_fit_method", "brute") == "brute"
    extra = brute and n_neighbors < n
    m = n_neighbors + 1 if extra else n_neighbors
    dist, ind = nn.kneighbors(Y[queries], n_neighbors=m, return_distance=True)
    ind = ind.astype(np.intp, copy=False)
    head = np.ascontiguousarray(ind[:, :n_neighbors])
    if not brute or not queries.size or n_neighbors == 0:
        return head  # tree searches compute distances from differences
    d2 = exact_sq_dist(Y[np.repeat(queries, n_neighbors)], Y[head.ravel()]).reshape(head.shape)
    order = np.lexsort((head, d2))
    head = np.take_along_axis(head, order, axis=1)
    if not extra:
        return head
    with np.errstate(over="ignore", invalid="ignore"):
        sq = np.einsum("ij,ij->i", Y, Y)
        # |x|^2 - 2 x.y + |y|^2 in double precision: error within
        # (d + 2) 2**-53 (|x|^2 + 2|x||y| + |y|^2) <= (d + 2) 2**-52 (|x|^2 + |y|^2);
        # doubled, plus the square root's and the squaring's relative error
        err = 4.0 * (d + 4) * 2.0**-52 * (sq[queries] + sq.max())
        nxt = dist[:, -1] ** 2
        nxt = nxt - err - 8.0 * 2.0**-52 * nxt
        far = d2.max(axis=1) * (1.0 + 4.0 * (d + 2) * 2.0**-53)
        ok = far < nxt  # NaN / inf fail
    bad = np.flatnonzero(~ok)
    if bad.size:
        head[bad] = exact_neighbors(Y, queries[bad], head[bad])
    return head


def kneighbors_all(
    Y: FloatArray, queries: IntArray, n_neighbors: int, tau: FloatArray | None,
    n_jobs: int | None, index: LazyIndex | None = None,
) -> IntArray:
    """Return the ``n_neighbors`` nearest rows of ``Y`` (the query itself included).

    ``tau[i]``, when given, must bound the squared distance within which at
    least ``n_neighbors`` rows (the query included) lie. Without it, or for
    small problems, scikit-learn's search answers (through ``index``, a
    :class:`LazyIndex` on ``Y`` shared between calls, when given).
    """
    n_neighbors = min(n_neighbors, Y.shape[0])
    pairs = queries.size * Y.shape[0]
    blocks: list[IntArray | None] = []
    if tau is not None and pairs >= MIN_PAIRS and np.isfinite(tau).all():
        filt = _Filter(Y)
        spans = [(s, min(s + _Q_BLOCK, queries.size))
                 for s in range(0, queries.size, _Q_BLOCK)]

        def one(span: tuple[int, int]) -> IntArray | None:
            s, e = span
            return filt.block(Y[queries[s:e]], tau[s:e], n_neighbors)

        from threadpoolctl import threadpool_limits

        workers = min(_threads(n_jobs), len(spans))
        with threadpool_limits(limits=1, user_api="blas"):
            if workers > 1:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    blocks = list(pool.map(one, spans))
            else:
                blocks = [one(sp) for sp in spans]
    else:
        spans = [(0, queries.size)]
        blocks = [None]
    out = np.empty((queries.size, n_neighbors), dtype=np.intp)
    for (s, e), got in zip(spans, blocks, strict=True):
        if got is None:
            if index is None:
                index = LazyIndex(Y, n_jobs)
            got = index.exact(queries[s:e], n_neighbors)
        out[s:e] = got
    return out


def radius_bound(Y: FloatArray, queries: IntArray, within: IntArray) -> FloatArray:
    """Squared distance from each query to the farthest row of ``within[i]``.

    ``within[i]`` are the query's nearest same-class rows (global indices);
    with the query itself they are ``within.shape[1] + 1`` rows inside the
    returned radius. Squared differences summed in double precision, then
    widened by more than their rounding error (``(d + 2) 2**-53`` relative).
    """
    q = np.repeat(queries, within.shape[1])
    d2 = exact_sq_dist(Y[q], Y[within.ravel()]).reshape(within.shape)
    widen = 1.0 + 1e-12 + 4.0 * (Y.shape[1] + 2) * 2.0**-53
    out: FloatArray = d2.max(axis=1) * widen
    return out
