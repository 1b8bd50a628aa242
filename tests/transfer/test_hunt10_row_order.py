"""importance_weights: the same rows in another order get the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.transfer import importance_weights


def _data():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(120, 3))
    xt = rng.normal(0.5, 1.5, size=(90, 3))
    return rng, xs, xt


@pytest.mark.parametrize("method", ["classifier", "kliep", "kmm"])
def test_weights_follow_their_rows_under_shuffling(method):
    rng, xs, xt = _data()
    ps, pt = rng.permutation(xs.shape[0]), rng.permutation(xt.shape[0])
    a = importance_weights(xs, xt, method=method, rng=3, max_iter=20)
    b = importance_weights(xs[ps], xt[pt], method=method, rng=3, max_iter=20)
    np.testing.assert_array_equal(a.weights[ps], b.weights)
    assert a.effective_sample_size == b.effective_sample_size
    assert a.to_dict()["details"] == b.to_dict()["details"]


@pytest.mark.parametrize("method", ["classifier", "kliep"])
def test_grouped_weights_follow_their_rows_under_shuffling(method):
    rng, xs, xt = _data()
    gs, gt = rng.integers(0, 20, xs.shape[0]), rng.integers(100, 125, xt.shape[0])
    ps, pt = rng.permutation(xs.shape[0]), rng.permutation(xt.shape[0])
    a = importance_weights(xs, xt, method=method, groups=(gs, gt), rng=3)
    b = importance_weights(xs[ps], xt[pt], method=method, groups=(gs[ps], gt[pt]), rng=3)
    np.testing.assert_array_equal(a.weights[ps], b.weights)


def test_seed_kinds_agree():
    _, xs, xt = _data()
    a = importance_weights(xs, xt, rng=np.random.SeedSequence(5))
    b = importance_weights(xs, xt, rng=np.random.SeedSequence(5))
    c = importance_weights(xs, xt, rng=np.random.default_rng(5))
    d = importance_weights(xs, xt, rng=5)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(c.weights, d.weights)


@pytest.mark.parametrize("max_samples", [100, 1000])
def test_domain_distance_does_not_depend_on_row_order(max_samples):
    """Above ``max_samples`` MMD runs on a subsample; it was drawn by position."""
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.transfer import domain_distance

    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(300, 2)), rng.normal(0.2, 1.0, size=(250, 2))
    ps, pt = rng.permutation(300), rng.permutation(250)
    kw = {"estimator": LogisticRegression(), "max_samples": max_samples,
          "n_resamples": 50, "rng": 0}
    a = domain_distance(xs, xt, **kw)
    b = domain_distance(xs[ps], xt[pt], **kw)
    assert a.to_dict() == b.to_dict()
    assert repr(a) == repr(b)
