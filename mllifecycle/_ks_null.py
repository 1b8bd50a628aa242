"""The exact null distribution of the two-sample Kolmogorov-Smirnov statistic.

One copy for the whole library: the batch tests (:mod:`mllifecycle.drift`)
and the streaming KSWIN detector both use it.

* :func:`ks_equal_n_sf` - ``P(D >= k/n)`` for every ``k``, two samples of
  size ``n`` (Gnedenko & Korolyuk, 1951), exact in integers.
* :func:`prob_outside_square` - ``P(D_{n,n} >= h/n)`` for one ``h``, the
  product form of Hodges (1958) vectorised, as ``scipy.stats.ks_2samp``
  computes it.
* :func:`exact_unequal` - the exact p-value for unequal sizes.
"""

from __future__ import annotations

import math

import numpy as np

from mllifecycle import _scipy_shim

__all__ = ["ks_equal_n_sf", "prob_outside_square", "exact_unequal"]

_FIRST_TERMS = 7.0  # terms summed first: _FIRST_TERMS * sqrt(n) / h + 2


def ks_equal_n_sf(n: int) -> list[float]:
    """Return ``P(D >= k / n)`` for ``k = 0..n``, two samples of size ``n``.

    The exact null distribution of the two-sided two-sample Kolmogorov-Smirnov
    statistic for equal sample sizes and continuous data (Gnedenko & Korolyuk,
    1951): ``P(D >= k/n) = 2 sum_j (-1)**(j+1) C(2n, n - j k) / C(2n, n)``.
    With ties (discrete data) the true probability is smaller, so a test using
    it is conservative.

    Examples
    --------
    >>> from mllifecycle._ks_null import ks_equal_n_sf
    >>> [round(p, 4) for p in ks_equal_n_sf(3)]
    [1.0, 1.0, 0.6, 0.1]
    """
    return [1.0] + [_scipy_shim.prob_outside_square_fallback(n, k) for k in range(1, n + 1)]


def prob_outside_square(n: int, h: int) -> float:
    """``P(D_{n,n} >= h/n)`` as scipy's ``ks_2samp`` computes it (Hodges 1958).

    ``2 * sum_k (-1)^k prod_{i<=k} p_i`` with
    ``p_k = prod_{j<h} (n - k h - j) / (n + k h + j + 1)``, vectorised, and
    summed only as far as the products are not negligible (below 1e-17 of
    the sum): about ``7 sqrt(n)`` terms in all instead of ``n``.
    Next to 1 the two summation orders can round to opposite sides of it,
    and ``ks_2samp`` falls back to the asymptotic p-value when scipy's sum
    exceeds 1; there (small ``h``, so a short loop) scipy's own recursion is
    used (through :mod:`mllifecycle._scipy_shim`), so the caller takes the
    branch scipy takes.

    Examples
    --------
    >>> from mllifecycle._ks_null import prob_outside_square
    >>> round(prob_outside_square(3, 2), 4)
    0.6
    """
    k_max = n // h
    # p_1 ... p_k fall like exp(-h^2 k^2 / n): past k ~ 7 sqrt(n) / h the
    # products are below 1e-21, so the sum is taken that far first; the rest
    # is added only if the last product kept is not negligible (the omitted
    # alternating tail is smaller than it in absolute value)
    k_stop = min(k_max, int(_FIRST_TERMS * math.sqrt(n) / h) + 2)
    while True:
        k = np.arange(k_stop + 1)[:, None]
        j = np.arange(h)[None, :]
        # |terms| < 1: no overflow; underflow to 0 is harmless (and silent)
        terms = (n - k * h - j) / (n + k * h + j + 1.0)
        cp = np.cumprod(np.prod(terms, axis=1))
        cp[1::2] *= -1.0
        half = float(np.sum(cp))
        if k_stop == k_max or abs(cp[-1]) <= 1e-17 * abs(half):
            break
        k_stop = k_max
    prob = 2.0 * half
    if prob > 1.0 - 1e-12:
        prob = _scipy_shim.prob_outside_square(n, h)
    return prob


def exact_unequal(n1: int, n2: int, d: float) -> tuple[bool, float, float]:
    """``(ok, d, p)``: the exact two-sided p-value for sizes ``n1 != n2``.

    Examples
    --------
    >>> from mllifecycle._ks_null import exact_unequal
    >>> ok, d, p = exact_unequal(5, 7, 3 / 7)
    >>> ok, round(p, 4)
    (True, 0.5455)
    """
    return _scipy_shim.exact_2kssamp(n1, n2, d)


