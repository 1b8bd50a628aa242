"""DeLong's test: the fast midrank algorithm equals the direct O(n^2) computation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.gates import DeLongResult, delong


def _direct(y, s1, s2):
    """DeLong et al. (1988) straight from the definition, O(n^2)."""
    pos, neg = y == 1, y == 0
    comps = []
    aucs = []
    for s in (s1, s2):
        x, z = s[pos][:, None], s[neg][None, :]
        psi = (x > z) + 0.5 * (x == z)
        aucs.append(psi.mean())
        comps.append((psi.mean(axis=1), psi.mean(axis=0)))
    m, n = pos.sum(), neg.sum()
    s10 = np.cov(np.vstack([comps[0][0], comps[1][0]]))
    s01 = np.cov(np.vstack([comps[0][1], comps[1][1]]))
    S = s10 / m + s01 / n
    var = S[0, 0] + S[1, 1] - 2 * S[0, 1]
    return aucs, var


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equals_direct_quadratic_computation(ties, seed):
    rng = np.random.default_rng(seed)
    n = 300
    y = rng.integers(0, 2, n)
    s1 = y + rng.normal(0, 1.0, n)
    s2 = 0.7 * s1 + 0.5 * y + rng.normal(0, 0.6, n)
    if ties:
        s1, s2 = np.round(s1), np.round(s2, 1)
    res = delong(y, s1, s2)
    aucs, var = _direct(y, s1, s2)
    assert res.champion_auc == pytest.approx(aucs[0], rel=1e-12)
    assert res.challenger_auc == pytest.approx(aucs[1], rel=1e-12)
    assert res.champion_auc == pytest.approx(roc_auc_score(y, s1), rel=1e-12)
    assert res.std_error == pytest.approx(np.sqrt(var), rel=1e-9)
    z = (aucs[1] - aucs[0]) / np.sqrt(var)
    assert res.statistic == pytest.approx(z, rel=1e-9)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    half = stats.norm.ppf(0.975) * np.sqrt(var)
    assert res.ci_low == pytest.approx(res.difference - half, rel=1e-9)
    assert res.ci_high == pytest.approx(res.difference + half, rel=1e-9)


def test_one_sided_hypotheses():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 2000)
    s1 = y + rng.normal(0, 1.0, 2000)
    s2 = y + rng.normal(0, 0.9, 2000)
    two = delong(y, s1, s2)
    sup = delong(y, s1, s2, hypothesis="superiority")
    assert sup.p_value == pytest.approx(stats.norm.sf(two.statistic), rel=1e-9)
    ni = delong(y, s2, s1, hypothesis="non-inferiority", margin=0.05)
    assert ni.null_value == -0.05
    z = (ni.difference + 0.05) / ni.std_error
    assert ni.p_value == pytest.approx(stats.norm.sf(z), rel=1e-9)


def test_two_column_probabilities_and_string_labels():
    rng = np.random.default_rng(4)
    y = rng.choice(["ham", "spam"], 200)
    p1 = np.clip((y == "spam") * 0.3 + rng.random(200) * 0.7, 0, 1)
    p2 = np.clip((y == "spam") * 0.5 + rng.random(200) * 0.5, 0, 1)
    a = delong(y, np.column_stack([1 - p1, p1]), np.column_stack([1 - p2, p2]), test="delong")
    b = delong(y == "spam", p1, p2, test="delong")
    assert a.difference == pytest.approx(b.difference)
    assert a.p_value == pytest.approx(b.p_value)
    assert isinstance(a, DeLongResult)


def test_identical_scores_warn_and_give_p_one():
    y = np.array([0, 1] * 20)
    s = np.arange(40.0)
    with pytest.warns(DegenerateDataWarning, match="variance"):
        res = delong(y, s, s, test="delong")
    assert res.p_value == 1.0
    assert res.difference == 0.0
