"""Hunt: a target label accuracy exactly at what a redundancy reaches (a tie)."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from mllifecycle.budget import redundancy


def _exact_majority(p: Fraction, k: int) -> Fraction:
    """Majority of k answers right w.p. p, ties by a fair coin, in exact arithmetic."""
    total = Fraction(0)
    for j in range(k + 1):
        pmf = comb(k, j) * p**j * (1 - p) ** (k - j)
        if 2 * j > k:
            total += pmf
        elif 2 * j == k:
            total += pmf / 2
    return total


@pytest.mark.parametrize(
    ("accuracy", "k"),
    [("0.7", 3), ("0.6", 3), ("0.9", 3), ("0.8", 3), ("0.75", 5), ("0.55", 7)],
)
def test_a_target_reached_exactly_needs_that_redundancy(accuracy, k):
    # 3 answers at 0.7 are right 0.784 of the time exactly; the sum of the
    # binomial pmf came out 0.7839999999999997 < 0.784, so 4 answers were asked
    p = Fraction(accuracy)
    target = float(_exact_majority(p, k))
    want = min(j for j in range(1, 26) if _exact_majority(p, j) >= _exact_majority(p, k))
    plan = redundancy(float(accuracy), target, rng=0)
    assert plan.majority_needed == want
