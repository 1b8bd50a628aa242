"""How many resamples a decision at a given level needs (one rule, used everywhere).

With ``B`` resamples a Monte Carlo p-value is at least ``1 / (B + 1)``, and the
quantile at tail level ``t`` of ``B`` resampled values is (an interpolation
towards) their smallest value once ``B * t < 1``. A test or bound at one-tail
level ``t`` therefore needs at least ``ceil(1 / t)`` resamples: fewer cannot
reject (or put the bound inside the resampled values), and ``n_resamples=1``
gave a "95 % interval" that was one resample's value, decided on without error.

* a gate at one-sided level ``alpha`` (it reads the two-sided ``1 - 2 alpha``
  interval): ``t = alpha``, at least ``1 / alpha`` (20 at ``alpha=0.05``);
* a two-sided interval at ``confidence_level``: ``t = (1 - confidence_level) / 2``,
  at least ``2 / (1 - confidence_level)`` (40 at 0.95);
* a permutation test at level ``alpha``: ``t = alpha`` one-sided, ``alpha / 2``
  two-sided.

Rows are counted too (:func:`min_paired_rows`): the smallest one-sided p-value
an exact paired test can reach on ``n`` examples is ``2 ** -n`` (every example
in favour, every swap enumerated), so fewer than ``log2(1 / alpha)`` examples
(5 at ``alpha=0.05``) cannot show anything at level ``alpha``. A bootstrap
decides on them all the same (its interval on one to three rows is the range of
their values, often of width zero), and a gate passed a challenger on it.
"""

from __future__ import annotations

import math
from typing import Any

from mllifecycle._validation import check_int, fail

__all__ = [
    "check_gate_resamples",
    "check_resamples_for_tail",
    "min_paired_rows",
    "min_resamples",
]


def min_resamples(tail: float) -> int:
    """Fewest resamples that can decide at one-tail level ``tail``: ``ceil(1 / tail)``.

    Examples
    --------
    >>> from mllifecycle._levels import min_resamples
    >>> min_resamples(0.05), min_resamples(0.025), min_resamples(0.001)
    (20, 40, 1000)
    """
    # 1e-9: 1 / 0.05 is 20.000000000000004 in floating point
    return max(1, math.ceil(1.0 / tail - 1e-9))


def min_paired_rows(alpha: float) -> int:
    """Fewest paired examples on which a one-sided test at level ``alpha`` can decide.

    The smallest p-value of the exact paired (sign-flip) test on ``n``
    examples is ``2 ** -n``; this is the least ``n`` with ``2 ** -n < alpha``.

    Examples
    --------
    >>> from mllifecycle._levels import min_paired_rows
    >>> min_paired_rows(0.05), min_paired_rows(0.0625), min_paired_rows(0.01)
    (5, 5, 7)
    """
    return max(1, math.floor(math.log2(1.0 / alpha) + 1e-9) + 1)


def check_resamples_for_tail(
    value: Any, tail: float, caller: str | None, *, rule: str, what: str
) -> int:
    """Check ``n_resamples`` is an int of at least :func:`min_resamples` ``(tail)``.

    ``rule`` shows how the minimum is computed (``"1/alpha"``) and ``what``
    the decision it serves (``"a one-sided bound at level alpha=0.05"``).
    """
    n = check_int(value, "n_resamples", caller=caller)
    low = min_resamples(tail)
    if n < low:
        fail("n_resamples", f"at least {rule} = {low} resamples for {what}", n, caller)
    return n


def check_gate_resamples(
    value: Any, alpha: float, caller: str | None, *, default: int | None = None
) -> int:
    """Check the ``n_resamples`` of a gate deciding at one-sided level ``alpha``.

    Examples
    --------
    >>> from mllifecycle._levels import check_gate_resamples
    >>> check_gate_resamples(20, 0.05, "NoRegression")
    20
    """
    extra = f" (default {default})" if default is not None else ""
    return check_resamples_for_tail(
        value,
        alpha,
        caller,
        rule="1/alpha",
        what=f"a one-sided bound at level alpha={alpha:g}{extra}",
    )
