"""importance_weights records the cap it actually applied (clip raised when infeasible)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.transfer import importance_weights


def _kmm_few_positive():
    rng = np.random.default_rng(0)
    xs = np.r_[rng.normal(0, 1, (190, 1)), rng.normal(8, 0.1, (10, 1))]
    xt = rng.normal(8, 0.1, (100, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importance_weights(xs, xt, method="kmm", clip=5.0, rng=0)


def test_infeasible_clip_reports_raised_cap_and_touched_weights():
    res = _kmm_few_positive()
    w = res.weights
    k = int((w > 0).sum())
    assert k * 5.0 < w.size  # fewer than n_source / clip positive weights
    assert res.clip == 5.0  # the cap asked for
    assert res.clip_applied == pytest.approx(w.size / k)
    assert res.clip_applied > res.clip
    assert w.max() <= res.clip_applied * (1 + 1e-12)
    assert res.n_clipped == k  # every positive weight is held at the raised cap
    assert res.to_dict()["clip_applied"] == pytest.approx(w.size / k)
    assert "applied" in res._repr_html_()


def test_feasible_clip_applied_is_clip():
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(300, 2))
    xt = rng.normal(0.8, 1.0, size=(200, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = importance_weights(xs, xt, clip=3.0, rng=0)
    assert res.clip_applied == 3.0
    assert res.weights.max() <= 3.0 * (1 + 1e-12)
    assert res.n_clipped == int(np.isclose(res.weights, 3.0).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        free = importance_weights(xs, xt, clip=None, rng=0)
    assert free.clip_applied is None
    assert free.n_clipped == 0
