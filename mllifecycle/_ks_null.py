"""The exact null distribution of the two-sample Kolmogorov-Smirnov statistic.

One copy for the whole library: the batch tests (:mod:`mllifecycle.drift`)
and the streaming KSWIN detector both use it.

* :func:`ks_equal_n_sf` - ``P(D >= k/n)`` for every ``k``, two samples of
  size ``n`` (Gnedenko & Korolyuk, 1951), exact in integers;
  :func:`ks_equal_n_sf_at` one of them (cached), and
  :func:`ks_equal_n_critical` the smallest ``k`` reaching a level, found by
  bisection without the whole table.
* :func:`prob_outside_square` - ``P(D_{n,n} >= h/n)`` for one ``h``, the
  product form of Hodges (1958) vectorised, as ``scipy.stats.ks_2samp``
  computes it.
* :func:`exact_unequal` - the exact p-value for unequal sizes.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from mllifecycle import _scipy_shim

__all__ = [
    "ks_equal_n_sf",
    "ks_equal_n_sf_at",
    "ks_equal_n_critical",
    "prob_outside_square",
    "exact_unequal",
]

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


@functools.lru_cache(maxsize=4096)
def ks_equal_n_sf_at(n: int, k: int) -> float:
    """Return ``P(D >= k / n)`` for two samples of size ``n``: ``ks_equal_n_sf(n)[k]``.

    The same exact (correctly rounded) value, for one ``k``, cached.

    Examples
    --------
    >>> from mllifecycle._ks_null import ks_equal_n_sf_at
    >>> ks_equal_n_sf_at(3, 3)
    0.1
    """
    return _scipy_shim.prob_outside_square_fallback(n, k)


@functools.lru_cache(maxsize=256)
def ks_equal_n_critical(n: int, level: float, min_statistic: float = 0.0) -> int | None:
    """Smallest ``k`` in ``1..n`` with ``P(D >= k/n) <= level`` and ``k / n > min_statistic``.

    ``None`` when there is none. The same ``k`` as scanning
    :func:`ks_equal_n_sf` (both conditions are monotone in ``k``), found by
    bisection on :func:`ks_equal_n_sf_at`: about ``log2(n)`` exact values
    instead of all ``n`` (``n = 3000`` took 12 s, ``n = 10000`` minutes).

    Examples
    --------
    >>> from mllifecycle._ks_null import ks_equal_n_critical
    >>> ks_equal_n_critical(30, 0.005), ks_equal_n_critical(3, 0.05)
    (14, None)
    """
    # the smallest k >= 1 with k / n > min_statistic (the float comparison
    # the scan makes; k / n is monotone in k)
    lo = max(1, min(n + 1, math.floor(min_statistic * n)))
    while lo > 1 and (lo - 1) / n > min_statistic:
        lo -= 1
    while lo <= n and not lo / n > min_statistic:
        lo += 1
    if lo > n or not ks_equal_n_sf_at(n, n) <= level:
        return None
    hi = n  # invariant: sf(hi) <= level; every k < lo fails

    def reaches(k: int) -> bool:
        return ks_equal_n_sf_at(n, k) <= level

    # gallop from the asymptotic guess (P(D >= k/n) ~ 2 exp(-k^2 / n)) to a
    # bracket, so that the exact values needed are those of small k (cheap)
    guess = math.ceil(math.sqrt(n * (math.log(2.0) - math.log(level)))) if level > 0.0 else n
    step, k = 1, min(max(guess, lo), hi)
    if reaches(k):
        hi = k
        while hi - step >= lo:
            if not reaches(hi - step):
                lo = hi - step + 1
                break
            hi -= step
            step *= 2
    else:
        lo = k + 1
        while lo + step < hi:
            if reaches(lo + step):
                hi = lo + step
                break
            lo += step + 1
            step *= 2
    while lo < hi:
        mid = (lo + hi) // 2
        if ks_equal_n_sf_at(n, mid) <= level:
            hi = mid
        else:
            lo = mid + 1
    return hi


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


