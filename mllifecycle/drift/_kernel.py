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

import numpy as np

from mllifecycle.drift._common import FloatArray, canonical_order, perm_labels

__all__ = ["quadratic_forms", "prepare", "subsample", "sq_dists", "TIE_RTOL"]

#: Relative tolerance below which a permuted statistic ties with the observed.
TIE_RTOL = 1e-4
_BLOCK = 1024

Kernel = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray]


def prepare(ref: FloatArray, cur: FloatArray) -> tuple[FloatArray, float]:
    """Pooled sample centred on its column means and scaled by a power of two.

    Returns the prepared pooled sample and the factor ``s`` it was multiplied
    by (distances in it are ``s`` times the original ones).
    """
    z = np.concatenate([ref, cur], axis=0)
    big = float(np.max(np.abs(z))) if z.size else 0.0
    s0 = 1.0 if big == 0.0 else float(2.0 ** (-np.floor(np.log2(big))))
    z = z * s0  # |z| < 2: no overflow below
    z = z - z.mean(axis=0)
    spread = float(np.max(np.abs(z))) if z.size else 0.0
    s1 = 1.0 if spread == 0.0 else float(2.0 ** (-np.floor(np.log2(spread))))
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
    """Squared Euclidean distances by expansion (data centred first), clipped at 0."""
    d2 = a_sq[:, None] + b_sq[None, :] - 2.0 * (a @ b.T)
    out: FloatArray = np.maximum(d2, 0.0)
    return out


def quadratic_forms(
    z: FloatArray,
    n: int,
    n_resamples: int,
    rng: np.random.Generator,
    kernel: Kernel,
) -> tuple[FloatArray, FloatArray, float, float]:
    """Return ``q``, ``r`` (observed first, then the permutations), ``1'K1``, exact ``q``.

    ``kernel(a, b, a_sq, b_sq)`` returns the float64 block ``K(a, b)``. The
    first three are what the permutation test compares (the observed
    labelling computed exactly like the permuted ones, in float32); the last
    is the observed ``q`` in float64, for the reported statistic.
    """
    big_n = z.shape[0]
    sq = (z * z).sum(axis=1)
    labels = np.empty((n_resamples + 1, big_n), dtype=bool)
    labels[0, :n] = True
    labels[0, n:] = False
    labels[1:] = perm_labels(rng, big_n, n, n_resamples)
    frac = n / big_n
    # c = a - n/N, scaled by N to be integers (exact in float32): m or -n
    c = np.where(labels.T, np.float32(big_n - n), np.float32(-n))  # (N, B + 1)
    ckc = np.zeros(n_resamples + 1)
    rs = np.zeros(big_n)
    c_obs = c[:, 0].astype(np.float64)
    ckc_exact = 0.0
    for i0 in range(0, big_n, _BLOCK):
        i1 = min(big_n, i0 + _BLOCK)
        zi, si = z[i0:i1], sq[i0:i1]
        for j0 in range(i0, big_n, _BLOCK):
            j1 = min(big_n, j0 + _BLOCK)
            kb = kernel(zi, z[j0:j1], si, sq[j0:j1])
            rs[i0:i1] += kb.sum(axis=1)
            exact = float(c_obs[i0:i1] @ (kb @ c_obs[j0:j1]))
            prod = kb.astype(np.float32) @ c[j0:j1]  # (bi, B + 1) float32
            part = np.einsum("ib,ib->b", c[i0:i1], prod, dtype=np.float64)
            if j0 != i0:
                rs[j0:j1] += kb.sum(axis=0)
                part *= 2.0
                exact *= 2.0
            ckc += part
            ckc_exact += exact
    ckc /= float(big_n) ** 2
    total = float(rs.sum())
    r = labels.astype(np.float64) @ rs
    cr = r - frac * total  # c'K1 = a'K1 - (n/N) 1'K1
    q = frac * frac * total + 2.0 * frac * cr + ckc
    q_exact = frac * frac * total + 2.0 * frac * cr[0] + ckc_exact / float(big_n) ** 2
    return q, r, total, float(q_exact)
