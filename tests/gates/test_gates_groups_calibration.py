"""Calibration of the cluster comparisons by seeded simulation.

Rows of one group share the models' skill (a user on whom a model is good or
bad), and the champion and the challenger are equally good: the null is
true. Resampling single rows then rejects far more often than the level (the
evidence that the simulation sees the problem); resampling whole groups
rejects at most ``alpha`` plus three Monte-Carlo standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mllifecycle.gates import (
    GateContext,
    SignificantImprovement,
    paired_bootstrap,
    paired_permutation,
)

ALPHA = 0.05


def _null_data(seed: int, n_groups: int, size: int, scores: bool = False):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_groups), size)
    n = g.size
    y = rng.integers(0, 2, n)
    # each model is good (98 %) or poor (50 %) on a whole group, equally often
    skill_a = np.where(rng.random(n_groups) < 0.5, 0.98, 0.5)[g]
    skill_b = np.where(rng.random(n_groups) < 0.5, 0.98, 0.5)[g]
    if scores:
        sep_a = np.where(skill_a > 0.9, 2.5, 0.2)
        sep_b = np.where(skill_b > 0.9, 2.5, 0.2)
        return y, sep_a * y + rng.normal(0, 1, n), sep_b * y + rng.normal(0, 1, n), g
    a = np.where(rng.random(n) < skill_a, y, 1 - y)
    b = np.where(rng.random(n) < skill_b, y, 1 - y)
    return y, a, b, g


def _limit(sims: int) -> float:
    return ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / sims)


@pytest.mark.slow
def test_cluster_bootstrap_and_gate_hold_their_level():
    sims = 400
    rejected = {"rows": 0, "groups": 0, "gate rows": 0, "gate groups": 0}
    gate = SignificantImprovement("accuracy", alpha=ALPHA, n_resamples=1000)
    for s in range(sims):
        y, a, b, g = _null_data(s, n_groups=300, size=10)
        kw = {"metric": "accuracy", "n_resamples": 1000, "test": "bootstrap", "rng": s}
        rejected["rows"] += paired_bootstrap(y, a, b, **kw).null_rejected
        res = paired_bootstrap(y, a, b, groups=g, **kw)
        assert res.test == "bootstrap"
        rejected["groups"] += res.null_rejected
        ctx = GateContext(y_true=y, champion=a, challenger=b, rng=s)
        rejected["gate rows"] += gate.check(ctx).passed
        checked = gate.check(GateContext(y_true=y, champion=a, challenger=b, groups=g, rng=s))
        assert checked.evidence["test"] == "bootstrap"
        rejected["gate groups"] += checked.passed
    rate = {k: v / sims for k, v in rejected.items()}
    # measured: rows 0.31, groups 0.055, gate rows 0.195, gate groups 0.0575
    assert rate["rows"] > 3 * ALPHA, rate
    assert rate["gate rows"] > 2 * ALPHA, rate
    assert rate["groups"] <= _limit(sims), rate
    assert rate["gate groups"] <= _limit(sims), rate


@pytest.mark.slow
def test_cluster_swap_test_holds_its_level():
    sims = 400
    rejected = {"rows": 0, "groups": 0}
    for s in range(sims):
        y, a, b, g = _null_data(1000 + s, n_groups=30, size=10)
        kw = {"metric": "accuracy", "n_resamples": 2000, "rng": s}
        rejected["rows"] += paired_permutation(y, a, b, **kw).null_rejected
        res = paired_permutation(y, a, b, groups=g, **kw)
        rejected["groups"] += res.null_rejected
    rate = {k: v / sims for k, v in rejected.items()}
    assert rate["rows"] > 3 * ALPHA, rate
    assert rate["groups"] <= _limit(sims), rate


@pytest.mark.slow
def test_cluster_auc_bootstrap_holds_its_level():
    sims = 200
    rejected = {"rows": 0, "groups": 0}
    for s in range(sims):
        y, a, b, g = _null_data(2000 + s, n_groups=250, size=8, scores=True)
        kw = {"metric": "roc_auc", "n_resamples": 500, "test": "bootstrap", "rng": s}
        rejected["rows"] += paired_bootstrap(y, a, b, **kw).null_rejected
        rejected["groups"] += paired_bootstrap(y, a, b, groups=g, **kw).null_rejected
    rate = {k: v / sims for k, v in rejected.items()}
    assert rate["rows"] > 2 * ALPHA, rate
    assert rate["groups"] <= _limit(sims), rate
