"""ECE bins hold their left edge k / n_bins, whatever the rounding of conf * n_bins."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import paired_bootstrap


def _hand_ece(y, p, n_bins):
    """Top-label ECE with bins [k / n_bins, (k + 1) / n_bins), the last closed."""
    if p.ndim == 1:
        conf = np.maximum(p, 1 - p)
        pred = (p > 0.5).astype(int)
    else:
        conf = p.max(axis=1)
        pred = p.argmax(axis=1)
    edges = np.arange(n_bins + 1) / n_bins
    total = 0.0
    for k in range(n_bins):
        upper = conf < edges[k + 1] if k < n_bins - 1 else conf <= 1.0
        m = (conf >= edges[k]) & upper
        if m.any():
            total += m.sum() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return total / y.size


def test_confidence_on_an_edge_is_not_pooled_with_the_bin_below() -> None:
    # 0.58 * 100 is 57.99999999999999: the rows at 0.58 (all wrong) were pooled
    # with those at 0.575 (all right) in [0.57, 0.58), and the two errors cancelled
    y = np.array([1] * 60 + [0] * 60)
    p = np.array([0.575] * 60 + [0.58] * 60)
    other = np.full(120, 0.5)
    res = paired_bootstrap(y, p, other, metric="ece", n_bins=100, n_resamples=100, rng=0,
                           test="bootstrap")
    assert res.champion_value == pytest.approx((0.425 + 0.58) / 2)
    assert res.champion_value == pytest.approx(_hand_ece(y, p, 100))


@pytest.mark.parametrize("n_bins", [7, 10, 50, 100])
def test_ece_of_rounded_probabilities_matches_a_hand_computation(n_bins) -> None:
    rng = np.random.default_rng(5)
    n = 400
    y = rng.integers(0, 3, n)
    p = np.round(rng.dirichlet(np.ones(3), n), 2)
    p[:, 2] = 1.0 - p[:, 0] - p[:, 1]
    p = np.clip(p, 0.0, 1.0)
    p /= p.sum(axis=1, keepdims=True)
    q = rng.dirichlet(np.ones(3), n)
    res = paired_bootstrap(y, p, q, metric="ece", n_bins=n_bins, n_resamples=100, rng=0,
                           test="bootstrap")
    assert res.champion_value == pytest.approx(_hand_ece(y, p, n_bins), abs=1e-12)
    assert res.challenger_value == pytest.approx(_hand_ece(y, q, n_bins), abs=1e-12)
