"""Permutation tests whose statistic is a quadratic form in a kernel matrix.

MMD and the energy distance are, for a 0/1 membership vector ``a`` (1 marks
the reference), linear in ``q = a' K a`` and ``r = a' K 1`` for one fixed
symmetric matrix ``K`` of the pooled sample (a kernel, or distances). This
module computes ``q`` and ``r`` for the observed labelling and ``B`` random
relabellings together:

* the data are centred on the pooled column means and scaled by a power of
  two first, so that offsets such as ``1e9 + N(0, 1)`` keep their digits and
  magnitudes up to 1e308 do not overflow;
* with ``a = (n / N) 1 + c``, ``q = (n/N)^2 1'K1 + 2 (n/N) c'K1 + c'Kc``;
  only ``c'Kc`` (small, of the size of the statistic's fluctuations) needs
  all permutations, and it is computed in float32 over the blocks
  ``K_IJ, J >= I`` of the upper triangle only (``K`` is symmetric), with the
  off-diagonal blocks counted twice. ``K 1`` and ``1'K1`` stay in float64;
* permuted statistics within a relative ``1e-4`` of the observed one count as
  ties (float32 rounding cannot then turn a tie into a rejection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._resample import chunk_seeds, chunk_sizes, map_tasks
from mllifecycle._scaling import NEAR, refine_near_pairs
from mllifecycle.drift._common import MAX_SCALE_EXP, FloatArray, canonical_order, pow2_scale

__all__ = [
    "quadratic_forms",
    "draw_centred_labels",
    "prepare",
    "subsample",
    "sq_dists",
    "TIE_RTOL",
]

#: Relative tolerance below which a permuted statistic ties with the observed.
TIE_RTOL = 1e-4
_BLOCK = 1024
_KEY_DTYPE: Any = np.uint32  # the random keys of draw_centred_labels (narrower in a test)
_KEY_BLOCK_BYTES = 1 << 20  # keys drawn at a time by draw_centred_labels
_STRIP_ELEMENTS = 1 << 21

Kernel = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray]


def prepare(ref: FloatArray, cur: FloatArray) -> tuple[FloatArray, float]:
    """Pooled sample centred on its column means and scaled by a power of two.

    Returns the prepared pooled sample and the factor ``s`` it was multiplied
    by (distances in it are ``s`` times the original ones).
    """
    z = np.concatenate([ref, cur], axis=0)
    big = float(np.max(np.abs(z))) if z.size else 0.0
    s0 = 1.0 if big == 0.0 else pow2_scale(big)
    z = z * s0  # |z| < 2: no overflow below
    z = z - z.mean(axis=0)
    spread = float(np.max(np.abs(z))) if z.size else 0.0
    # s0 * s1 must stay finite (subnormal data): cap the second exponent
    cap = MAX_SCALE_EXP - int(np.log2(s0))
    s1 = 1.0 if spread == 0.0 else pow2_scale(spread, cap)
    return z * s1, s0 * s1


def subsample(
    ref: FloatArray, cur: FloatArray, max_samples: int | None, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, bool]:
    """Uniform subsample of at most ``max_samples`` pooled rows, both samples in proportion.

    Rows are first put in a canonical (lexicographic) order, so the draw does
    not depend on the order of the rows.
    """
    n, m = ref.shape[0], cur.shape[0]
    if max_samples is None or n + m <= max_samples:
        return ref, cur, False
    n2 = round(max_samples * n / (n + m))
    n2 = min(n, max(2, n2))
    m2 = min(m, max(2, max_samples - n2))
    ref = ref[canonical_order(ref)]
    cur = cur[canonical_order(cur)]
    ri = np.sort(rng.choice(n, size=n2, replace=False))
    ci = np.sort(rng.choice(m, size=m2, replace=False))
    return ref[ri], cur[ci], True


def sq_dists(a: FloatArray, b: FloatArray, a_sq: FloatArray, b_sq: FloatArray) -> FloatArray:
    """Squared Euclidean distances by expansion (data centred first), clipped at 0.

    One matrix product of augmented rows (no temporaries of the block's
    size). The expansion ``|a|^2 + |b|^2 - 2 a.b`` loses the digits of a
    distance much smaller than the norms (cancellation: an absolute error of
    about ``1e-16 (|a|^2 + |b|^2)``); such pairs (near-duplicates, or a
    bandwidth far below the data's scale) are recomputed directly as
    ``sum((a_i - b_j)^2)``, so every entry has a small relative error and the
    result does not depend on the order of the rows.
    """
    d = a.shape[1]
    # one product of the augmented rows [-2a, |a|^2, 1] and [b, 1, |b|^2]
    aa = np.empty((a.shape[0], d + 2))
    np.multiply(a, -2.0, out=aa[:, :d])
    aa[:, d] = a_sq
    aa[:, d + 1] = 1.0
    bb = np.empty((b.shape[0], d + 2))
    bb[:, :d] = b
    bb[:, d] = 1.0
    bb[:, d + 1] = b_sq
    d2: FloatArray = aa @ bb.T
    bound = NEAR * (float(a_sq.max()) + float(b_sq.max())) if a.shape[0] and b.shape[0] else 0.0
    if bound > 0.0:
        # a bound on the cancellation zone, one scalar comparison per entry;
        # negative entries are below it, so they are recomputed too
        refine_near_pairs(d2, a, b, bound)
    else:
        np.maximum(d2, 0.0, out=d2)
    return d2


def draw_centred_labels(
    rng: np.random.Generator,
    big_n: int,
    n: int,
    n_resamples: int,
    *,
    out: FloatArray | None = None,
    out32: npt.NDArray[np.float32] | None = None,
) -> FloatArray | npt.NDArray[np.float32]:
    """Centred labels ``c = N a - n`` of ``n_resamples`` random relabellings, (B, N).

    ``a`` marks the ``n`` rows relabelled as reference: ``c`` is ``N - n`` there and
    ``-n`` elsewhere. Each relabelling gives every row a random 32-bit key (the
    raw output of the chunk's bit generator) and marks the ``n`` smallest keys,
    found by one partial sort; a row whose ``n``-th and ``n + 1``-th keys tie
    (probability about ``N / 2**32``) is drawn again from the same stream, after
    the rest of its chunk. Every ``n``-subset is equally likely, as with
    ``Generator.permuted``, at about a third of its cost (no per-element
    bounded draws); and no threads, so BLAS threads still spinning after a
    matrix product do not slow it down.

    The relabellings are drawn in chunks with independent streams (the chunks
    and seeds of :func:`mllifecycle._resample.map_chunks`), so they depend on
    ``rng`` and the sizes only. Each chunk is written in place in its rows of
    ``out32`` (float32; the values are integers of magnitude at most ``N``:
    exact) and of ``out`` (float64) when given; without ``out32`` the float64
    array is returned (allocated when ``out`` is None).
    """
    if not 0 < n < big_n:
        raise ValueError(f"n must be in [1, big_n - 1] = [1, {big_n - 1}]; got {n}")
    if out is None and out32 is None:
        out = np.empty((n_resamples, big_n))
    sizes = chunk_sizes(n_resamples)
    seeds = chunk_seeds(rng, len(sizes))
    key = np.dtype(_KEY_DTYPE)
    words = -(-big_n * key.itemsize // 8)  # 64-bit raw draws a row
    # a few rows at a time (about 1 MB of keys, in cache): the draws do not
    # depend on it, because a row tied at the cut is drawn again only after
    # the whole chunk, from the same stream
    step = max(1, _KEY_BLOCK_BYTES // (8 * words))
    dests = [d for d in (out32, out) if d is not None]
    start = 0
    for size, seed in zip(sizes, seeds, strict=True):
        bits = np.random.default_rng(seed).bit_generator
        tied: list[int] = []
        for i0 in range(start, start + size, step):
            i1 = min(start + size, i0 + step)
            mark = _below_cut(bits.random_raw((i1 - i0, words)).view(key)[:, :big_n], n)
            tied += (i0 + np.flatnonzero(mark.sum(axis=1) != n)).tolist()
            for dest in dests:
                _write_centred(mark, dest[i0:i1], big_n, n)
        for r in tied:  # a tie at the cut (n marks fewer): drawn again
            while True:
                mark = _below_cut(bits.random_raw((1, words)).view(key)[:, :big_n], n)
                if np.count_nonzero(mark) == n:
                    break
            for dest in dests:
                _write_centred(mark, dest[r : r + 1], big_n, n)
        start += size
    result = out32 if out is None else out
    assert result is not None
    return result


def _below_cut(keys: Any, n: int) -> npt.NDArray[np.bool_]:
    """Mark each row's keys below its ``n + 1``-th smallest (``n`` marks unless a tie)."""
    marks: npt.NDArray[np.bool_] = keys < np.partition(keys, n, axis=1)[:, n : n + 1]
    return marks


def _write_centred(mark: npt.NDArray[np.bool_], block: Any, big_n: int, n: int) -> None:
    """``block = N mark - n``: ``N - n`` where marked, ``-n`` elsewhere, in place."""
    np.multiply(mark, big_n, out=block, dtype=block.dtype)
    block -= n


def strip_rows(big_n: int) -> int:
    """Rows of one strip ``K[I, i0:]`` of the upper triangle.

    About an eighth of the rows (so the strips cover little more than the
    triangle), at most 1024 and at most ``_STRIP_ELEMENTS`` elements a strip.
    """
    return max(64, min(_BLOCK, big_n // 8, _STRIP_ELEMENTS // max(1, big_n)))


def quadratic_forms(
    z: FloatArray,
    n: int,
    n_resamples: int,
    rng: np.random.Generator,
    kernel: Kernel,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
) -> tuple[FloatArray, FloatArray, float, float]:
    """Return ``q``, ``r`` (observed first, then the permutations), ``1'K1``, exact ``q``.

    ``kernel(a, b, a_sq, b_sq)`` returns the float64 block ``K(a, b)`` (it may
    reuse its distance buffer). The first three are what the permutation test
    compares (the observed labelling computed exactly like the permuted ones, in
    float32); the last is the observed ``q`` in float64, for the reported statistic.

    The upper triangle of ``K`` is cut into row strips ``K[I, i0:]`` (one task
    each, run through ``n_jobs`` workers and summed in strip order, so the result
    does not depend on ``n_jobs``); ``progress`` advances once per strip.
    """
    big_n = z.shape[0]
    sq = (z * z).sum(axis=1)
    c_obs = np.full(big_n, -float(n))
    c_obs[:n] = float(big_n - n)
    # the labels in float32 only (integers of magnitude <= N: exact), drawn in
    # place; c'K1 below upcasts them a chunk at a time
    c32 = np.empty((n_resamples + 1, big_n), dtype=np.float32)
    c32[0] = c_obs
    draw_centred_labels(rng, big_n, n, n_resamples, out32=c32[1:])
    rows = strip_rows(big_n)
    starts = list(range(0, big_n, rows))

    def strip(k: int) -> tuple[FloatArray, FloatArray, float]:
        i0 = starts[k]
        i1 = min(big_n, i0 + rows)
        kb = kernel(z[i0:i1], z[i0:], sq[i0:i1], sq[i0:])  # (bi, N - i0)
        bi = i1 - i0
        # one product gives the row sums, K c and K_off c_off (c the observed labels)
        vec = np.zeros((big_n - i0, 3))
        vec[:, 0] = 1.0
        vec[:, 1] = c_obs[i0:]
        vec[bi:, 2] = c_obs[i1:]
        kv = kb @ vec
        rs = np.zeros(big_n)
        rs[i0:i1] = kv[:, 0]
        c_a = c_obs[i0:i1]
        # K symmetric: the off-diagonal block counts twice
        exact = float(c_a @ kv[:, 1] + c_a @ kv[:, 2])
        kb32 = kb.astype(np.float32)
        if i1 < big_n:
            rs[i1:] = np.ones(bi) @ kb[:, bi:]
            kb32[:, bi:] *= 2.0  # exact in float32
        prod = c32[:, i0:] @ kb32.T  # (B + 1, bi) float32
        part: FloatArray = np.einsum("bi,bi->b", c32[:, i0:i1], prod, dtype=np.float64)
        return rs, part, exact

    results = map_tasks(strip, len(starts), n_jobs=n_jobs, progress=progress, caller=caller)
    rs = np.zeros(big_n)
    ckc = np.zeros(n_resamples + 1)
    ckc_exact = 0.0
    for rs_k, part, exact in results:
        rs += rs_k
        ckc += part
        ckc_exact += exact
    inv = 1.0 / float(big_n)
    frac = n * inv
    total = float(rs.sum())
    cr = np.empty(n_resamples + 1)  # c'K1 with c = a - n/N, in float64
    for i0 in range(0, n_resamples + 1, _BLOCK):
        cr[i0 : i0 + _BLOCK] = c32[i0 : i0 + _BLOCK].astype(np.float64) @ rs
    cr *= inv
    r = cr + frac * total
    q = frac * frac * total + 2.0 * frac * cr + ckc * inv * inv
    q_exact = frac * frac * total + 2.0 * frac * cr[0] + ckc_exact * inv * inv
    return q, r, total, float(q_exact)
