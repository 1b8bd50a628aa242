"""McNemar's test against statsmodels and the textbook formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from mllifecycle.gates import McNemarResult, mcnemar


def _pairs(b, c, both_right=30, both_wrong=10):
    """Labels and predictions with b champion-only and c challenger-only correct."""
    n = b + c + both_right + both_wrong
    y = np.arange(n) % 2
    a = 1 - y
    ch = 1 - y
    a[:b] = y[:b]  # champion right, challenger wrong
    ch[b : b + c] = y[b : b + c]  # challenger right, champion wrong
    sl = slice(b + c, b + c + both_right)
    a[sl] = y[sl]
    ch[sl] = y[sl]
    return y, a, ch


@pytest.mark.parametrize(("b", "c"), [(0, 0), (3, 9), (12, 12), (10, 14), (30, 45), (80, 41)])
def test_hand_computation(b, c):
    y, a, ch = _pairs(b, c)
    res = mcnemar(y, a, ch)
    assert (res.n_champion_only, res.n_challenger_only) == (b, c)
    if b + c < 25:
        assert res.exact
        k = min(b, c)
        expected = (
            1.0
            if b + c == 0
            else min(1.0, 2 * sum(math.comb(b + c, i) for i in range(k + 1)) / 2 ** (b + c))
        )
        assert res.statistic == k
    else:
        assert not res.exact
        chi2 = (abs(b - c) - 1) ** 2 / (b + c)
        expected = stats.chi2.sf(chi2, 1)
        assert res.statistic == pytest.approx(chi2, rel=1e-12)
    assert res.p_value == pytest.approx(expected, rel=1e-12)


@pytest.mark.oracle
@pytest.mark.parametrize(("b", "c"), [(2, 7), (11, 13), (25, 40), (100, 80)])
@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("correction", [True, False])
def test_equals_statsmodels(b, c, exact, correction):
    sm = pytest.importorskip("statsmodels.stats.contingency_tables")
    y, a, ch = _pairs(b, c)
    res = mcnemar(y, a, ch, exact=exact, continuity_correction=correction)
    table = np.array([[30, b], [c, 10]])
    ref = sm.mcnemar(table, exact=exact, correction=correction)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)


def test_switch_point_is_25_discordant_pairs():
    assert mcnemar(*_pairs(10, 14)).exact
    assert not mcnemar(*_pairs(10, 15)).exact


def test_result_fields():
    y, a, ch = _pairs(5, 20)
    res = mcnemar(y, a, ch, alpha=0.05)
    assert isinstance(res, McNemarResult)
    assert res.difference == pytest.approx(res.challenger_accuracy - res.champion_accuracy)
    assert res.null_rejected == (res.p_value < 0.05)
    assert res.to_dict()["method"] == res.method
    with pytest.raises(AttributeError):
        res.p_value = 0.0  # frozen


def test_string_labels():
    y = np.array(["cat", "dog"] * 20)
    a = y.copy()
    b = y.copy()
    b[:6] = np.where(y[:6] == "cat", "dog", "cat")
    res = mcnemar(y, a, b)
    assert (res.n_champion_only, res.n_challenger_only) == (6, 0)
