"""The one place that touches SciPy's private functions, each with a public fallback.

SciPy's private helpers are faster (or the only exact route) for three things
the library needs; private names can move between SciPy releases, so every
use goes through this module, which falls back to a public (or our own)
implementation giving the same numbers when the private one is missing. The
fallbacks are tested against the private functions (tests/test_scipy_shim.py).

* :func:`prob_outside_square` - ``P(D_{n,n} >= h / n)`` of the two-sample KS
  statistic, equal sizes (``scipy.stats._stats_py._compute_prob_outside_square``;
  fallback: Gnedenko & Korolyuk's exact sum in integers).
* :func:`exact_2kssamp` - the exact two-sided two-sample KS p-value for
  unequal sizes (``scipy.stats._stats_py._attempt_exact_2kssamp``; fallback:
  a lattice-path recursion over anti-diagonals, Hodges 1958).
* :func:`linear_filter` - ``scipy.signal.lfilter`` without the wrapper's
  per-call cost (``scipy.signal._sigtools._linear_filter``; fallback: the
  public ``lfilter``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["prob_outside_square", "exact_2kssamp", "linear_filter", "private"]


def private(name: str) -> Callable[..., Any] | None:
    """Return SciPy's private function ``name`` (one of the three above), or None."""
    try:
        if name == "_compute_prob_outside_square":
            from scipy.stats._stats_py import _compute_prob_outside_square as f
        elif name == "_attempt_exact_2kssamp":
            from scipy.stats._stats_py import _attempt_exact_2kssamp as f
        elif name == "_linear_filter":
            from scipy.signal._sigtools import _linear_filter as f
        else:
            return None
    except ImportError:
        return None
    return f  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=16)
def _central_binomial(n: int) -> int:
    """``C(2n, n)``, kept for the last few ``n`` (slow to compute for a large ``n``)."""
    return math.comb(2 * n, n)


def _next_term(term: int, n: int, m: int, h: int) -> int:
    """``C(2n, m - h)`` from ``term = C(2n, m)``, whichever way is cheaper."""
    if m - h < h:  # a short product (C(2n, 0) = 1 at h = n; n! was the other way)
        return math.comb(2 * n, m - h)
    return term * math.perm(m, h) // math.perm(2 * n - m + h, h)


def prob_outside_square_fallback(n: int, h: int) -> float:
    """``P(D_{n,n} >= h/n) = 2 sum_j (-1)^(j+1) C(2n, n - j h) / C(2n, n)``, exactly.

    Gnedenko & Korolyuk (1951); integers throughout, one (correct) rounding
    at the end. The terms ``t_j = C(2n, n - j h)`` decrease, so the sum
    lies between any two consecutive partial sums: the summation stops once
    two consecutive partial sums round to the same float, which is then the
    correctly rounded sum (about ``6 sqrt(n) / h`` terms instead of
    ``n / h``). Each term comes from the previous one by an exact division
    (``C(2n, m - h) = C(2n, m) * m!/(m-h)! / ((2n-m+h)!/(2n-m)!)``) rather
    than a fresh binomial coefficient, which took seconds for ``n`` in the
    thousands.
    """
    if h <= 0:
        return 1.0
    total = _central_binomial(n)

    def rounded(s: int) -> float:
        return float(min(1.0, 2 * s / total))

    j_max = n // h
    if j_max == 0:
        return rounded(0)
    m = n - h  # t_1 = C(2n, n - h)
    term = _next_term(total, n, n, h)
    s = term
    for j in range(1, j_max):
        # t_{j+1} = C(2n, m - h); the partial sum through j + 1
        term = _next_term(term, n, m, h)
        m -= h
        s_next = s + term if j % 2 == 0 else s - term
        p = rounded(s)
        if rounded(s_next) == p:
            return p
        s = s_next
    return rounded(s)


def prob_outside_square(n: int, h: int) -> float:
    """``P(D_{n,n} >= h/n)``; SciPy's private routine, or the exact fallback."""
    f = private("_compute_prob_outside_square")
    if f is None:
        return prob_outside_square_fallback(n, h)
    return float(f(n, h))


def exact_2kssamp_fallback(n1: int, n2: int, d: float) -> tuple[bool, float, float]:
    """Exact two-sided ``P(D >= d)`` for sizes ``n1``, ``n2`` by a lattice-path recursion.

    A uniformly random path from (0, 0) to (n1, n2) stays strictly inside the
    band ``|i n2 - j n1| < d n1 n2`` with the probability computed here, one
    anti-diagonal at a time (Hodges, 1958). Returns ``(True, d, p)`` like
    SciPy's routine.
    """
    big_n = n1 + n2
    c = round(d * n1 * n2)  # d is a multiple of 1 / lcm(n1, n2)
    prob = np.zeros(n1 + 1)
    prob[0] = 1.0
    i = np.arange(n1 + 1)
    for k in range(1, big_n + 1):
        j = k - i
        left = (k - 1) - i  # j of the cell (i, j - 1) on the previous diagonal
        stay = np.where((left >= 0) & (left <= n2), prob * (n2 - left) / (big_n - k + 1), 0.0)
        move = np.zeros(n1 + 1)
        move[1:] = prob[:-1] * (n1 - i[:-1]) / (big_n - k + 1)
        new = stay + move
        valid = (j >= 0) & (j <= n2) & (np.abs(i * n2 - j * n1) < c)
        prob = np.where(valid, new, 0.0)
    p = float(min(1.0, max(0.0, 1.0 - prob[n1])))
    return True, d, p


def exact_2kssamp(n1: int, n2: int, d: float) -> tuple[bool, float, float]:
    """``(ok, d, p)`` of the exact two-sided two-sample KS p-value, sizes ``n1 != n2``."""
    f = private("_attempt_exact_2kssamp")
    if f is None:
        return exact_2kssamp_fallback(n1, n2, d)
    ok, d2, p = f(n1, n2, math.gcd(n1, n2), d, "two-sided")
    return bool(ok), float(d2), float(p)


def linear_filter(
    b: npt.NDArray[np.float64],
    a: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    zi: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """``scipy.signal.lfilter(b, a, x, zi=zi)[0]`` along the last axis."""
    f = private("_linear_filter")
    if f is not None:
        return np.asarray(f(b, a, x, -1, zi)[0], dtype=np.float64)
    from scipy.signal import lfilter

    return np.asarray(lfilter(b, a, x, axis=-1, zi=zi)[0], dtype=np.float64)
