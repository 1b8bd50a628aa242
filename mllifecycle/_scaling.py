"""Exact numerics for squared magnitudes, shared by every package that computes them.

- Power-of-two rescaling: multiplying by ``2 ** k`` changes only the exponent
  of a float, so it is exact (no rounding) and keeps the order of values and
  of distances; squared magnitudes then neither overflow (beyond ~1e154) nor
  underflow (below ~1e-154).
- Near-pair refinement: squared distances by the expansion
  ``|a|^2 + |b|^2 - 2ab`` (one matrix product) have an absolute error of about
  ``1e-16 (|a|^2 + |b|^2)``, which is most of a distance far below the norms
  (near-duplicate rows); those entries are recomputed from the differences.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_SCALE_EXP", "NEAR", "nonzero_sparse", "pow2_exponent", "pow2_scale", "refine_near_pairs",
]

#: Largest exponent of a power-of-two scale (``2.0 ** 1024`` overflows to inf).
MAX_SCALE_EXP = 1023


def pow2_exponent(big: float, cap: int = MAX_SCALE_EXP) -> int:
    """Return ``k = -floor(log2(big))`` clipped to at most ``cap``.

    ``big * 2 ** k`` is in [1, 2), except for subnormal ``big`` (below
    ``2 ** -1022``), whose exact exponent 1023 and more would overflow
    ``2 ** k`` to inf: those get ``cap`` only (still exact, and far from
    underflow). ``big`` must be positive and finite.

    Examples
    --------
    >>> from mllifecycle._scaling import pow2_exponent
    >>> pow2_exponent(8.0), pow2_exponent(0.3), pow2_exponent(5e-324)
    (-3, 2, 1023)
    """
    return min(-int(np.floor(np.log2(big))), cap)


def pow2_scale(big: float, cap: int = MAX_SCALE_EXP) -> float:
    """Return ``2 ** pow2_exponent(big, cap)``.

    Examples
    --------
    >>> from mllifecycle._scaling import pow2_scale
    >>> pow2_scale(8.0), pow2_scale(0.3)
    (0.125, 4.0)
    """
    return float(np.ldexp(1.0, pow2_exponent(big, cap)))


#: Squared distances below ``NEAR`` times the largest squared norms are
#: recomputed from the differences (the expansion's relative error above it is
#: below 1e-9).
NEAR = 1e-7
_NEAR_CHUNK = 1 << 16


def nonzero_sparse(
    mask: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """``np.nonzero`` of a 2-D mask that is nearly all False, eight entries at a time.

    Any width (a tail of fewer than eight entries is searched on its own);
    the one copy, used by the near-pair refinement here and the bounded
    neighbour search of :mod:`mllifecycle.augment`.

    >>> import numpy as np
    >>> m = np.zeros((3, 7), dtype=bool); m[0, 6] = m[2, 0] = m[2, 6] = True
    >>> [a.tolist() for a in nonzero_sparse(m)] == [a.tolist() for a in np.nonzero(m)]
    True
    """
    width = mask.shape[1]
    flat = np.ascontiguousarray(mask).reshape(-1)
    k = flat.size - flat.size % 8
    words = np.flatnonzero(flat[:k].view(np.uint64))
    r, c = np.nonzero(flat[:k].reshape(-1, 8)[words])
    pos = np.concatenate([words[r] * 8 + c, np.flatnonzero(flat[k:]) + k])
    return pos // width, pos % width


def refine_near_pairs(
    d2: npt.NDArray[np.float64], a: npt.NDArray[np.float64], b: npt.NDArray[np.float64],
    bound: float,
) -> None:
    """Recompute in place the entries of ``d2`` (``|a_i - b_j|^2``) below ``bound``.

    From the row differences, in chunks of pairs (bounded memory however many
    near pairs there are).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._scaling import refine_near_pairs
    >>> a = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-9]])
    >>> d2 = np.zeros((2, 2))
    >>> refine_near_pairs(d2, a, a, 1.0)
    >>> bool(d2[0, 1] > 0.0)
    True
    """
    i, j = nonzero_sparse(d2 < bound)
    for s in range(0, i.size, _NEAR_CHUNK):
        ii, jj = i[s : s + _NEAR_CHUNK], j[s : s + _NEAR_CHUNK]
        diff = a[ii] - b[jj]
        d2[ii, jj] = np.einsum("ij,ij->i", diff, diff)
