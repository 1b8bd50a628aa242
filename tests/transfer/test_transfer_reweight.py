"""importance_weights: covariate-shift scenarios with known truth, properties, KMM memory."""

from __future__ import annotations

import pickle
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import log_loss
from threadpoolctl import threadpool_limits

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer import ImportanceWeights, _reweight, importance_weights


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls (L-BFGS-B inside LogisticRegression) thrash when threaded
    on a shared 2-core machine; one thread makes them ~10x faster and changes no result."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


METHODS = ["classifier", "kliep", "kmm"]


def _select(x, seed, strength=2.0):
    """Rows go to the target with probability sigmoid(strength * z(x)); the rest to the source."""
    rng = np.random.default_rng(seed)
    z = (x - x.mean()) / x.std()
    p_target = 1.0 / (1.0 + np.exp(-strength * z))
    return rng.random(x.shape[0]) < p_target, p_target


def _weights(xs, xt, method, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return importance_weights(xs, xt, method=method, rng=seed)


@pytest.mark.parametrize("method", METHODS)
def test_synthetic_shift_weighting_lowers_target_error(method):
    """Shimodaira's (2000) example: a misspecified linear fit of y = -x + x^3."""
    gains = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        xs = rng.normal(0.5, 0.5, (300, 1))
        xt = rng.normal(0.0, 0.3, (300, 1))

        def f(x):
            return -x[:, 0] + x[:, 0] ** 3

        ys = f(xs) + rng.normal(0, 0.3, 300)
        yt = f(xt) + rng.normal(0, 0.3, 300)
        res = _weights(xs, xt, method, seed)
        w = res.weights
        assert np.all(w >= 0)
        assert abs(w.mean() - 1.0) < 1e-9
        if method != "kmm":
            assert np.all(w > 0)
        plain = LinearRegression().fit(xs, ys)
        weighted = LinearRegression().fit(xs, ys, sample_weight=w)
        gains.append(np.mean((plain.predict(xt) - yt) ** 2)
                     - np.mean((weighted.predict(xt) - yt) ** 2))
    assert all(g > 0 for g in gains), gains


@pytest.mark.parametrize("method", METHODS)
def test_breast_cancer_split_by_radius_weighting_lowers_target_log_loss(method):
    """Real data, biased split on mean radius; the model sees texture and smoothness only."""
    X, y = load_breast_cancer(return_X_y=True)
    gains = []
    for seed in range(3):
        t, _ = _select(X[:, 0], seed)
        res = _weights(X[~t], X[t], method, seed)
        w = res.weights
        assert np.all(w >= 0)
        assert abs(w.mean() - 1.0) < 1e-9
        cols = [1, 4]
        xs, ys, xt, yt = X[~t][:, cols], y[~t], X[t][:, cols], y[t]
        plain = LogisticRegression(max_iter=1000).fit(xs, ys)
        weighted = LogisticRegression(max_iter=1000).fit(xs, ys, sample_weight=w)
        gains.append(log_loss(yt, plain.predict_proba(xt))
                     - log_loss(yt, weighted.predict_proba(xt)))
    assert all(g > 0 for g in gains), gains


def test_diabetes_split_by_s5_weighting_lowers_target_mse():
    """Regression on load_diabetes: split on s5, fit on bmi only (omitted-variable misfit)."""
    X, y = load_diabetes(return_X_y=True)
    for seed in range(4):
        t, _ = _select(X[:, 8], seed)
        w = _weights(X[~t], X[t], "classifier", seed).weights
        xs, ys, xt, yt = X[~t][:, [2]], y[~t], X[t][:, [2]], y[t]
        e0 = np.mean((LinearRegression().fit(xs, ys).predict(xt) - yt) ** 2)
        e1 = np.mean((LinearRegression().fit(xs, ys, sample_weight=w).predict(xt) - yt) ** 2)
        assert e1 < e0


@pytest.mark.parametrize("method", METHODS)
def test_weights_track_the_known_density_ratio(method):
    """With a known selection, w(x) is proportional to P(target|x) / P(source|x)."""
    X, _ = load_breast_cancer(return_X_y=True)
    t, p = _select(X[:, 0], 3)
    true_ratio = p[~t] / (1.0 - p[~t])
    w = _weights(X[~t], X[t], method, 3).weights
    from scipy.stats import spearmanr

    # KMM's weights are sparse in 30 dimensions (many exact zeros): weaker, still positive
    assert spearmanr(w, true_ratio).statistic > (0.15 if method == "kmm" else 0.6)


def test_classifier_weights_match_the_odds_formula():
    """Exactness: the classifier weights equal the clipped, normalised odds of the
    out-of-fold probabilities from the same folds (scikit-learn as the oracle)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(200, 2)), rng.normal(0.3, 1.0, size=(100, 2))
    res = importance_weights(xs, xt, estimator=LogisticRegression(), clip=None, rng=7)
    seed = int(np.random.default_rng(7).integers(0, 2**31 - 1))
    # the folds are drawn over each domain's rows in lexicographic order
    o_s, o_t = np.lexsort(xs.T[::-1]), np.lexsort(xt.T[::-1])
    z = np.concatenate([xs[o_s], xt[o_t]])
    d = np.r_[np.zeros(200, int), np.ones(100, int)]
    p = np.empty(200)
    p[o_s] = cross_val_predict(LogisticRegression(), z, d, method="predict_proba",
                               cv=StratifiedKFold(5, shuffle=True, random_state=seed))[:200, 1]
    odds = p / (1 - p)
    np.testing.assert_allclose(res.weights, odds / odds.mean(), rtol=1e-10)


def test_no_shift_gives_near_uniform_weights():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 3))
    for method in METHODS:
        # (KLIEP's likelihood-CV bandwidth is a draw: over seeds its effective
        # sample size is ~340 or ~250 of 400; this seed draws the usual one)
        res = importance_weights(x[:400], x[400:], method=method, rng=4)
        # KMM fits sampling noise (sparse beta), so its weights are less uniform
        assert res.effective_sample_size > (0.4 if method == "kmm" else 0.8) * 400, method


def test_kmm_never_builds_more_than_one_source_by_target_block(monkeypatch):
    """Every kernel block KMM builds has at most n_source x n_target entries."""
    seen = []
    real, real_scaled = _reweight._kernel_block, _reweight._scaled_block

    def spy(a, a_sq, b, b_sq, gamma):
        seen.append(a.shape[0] * b.shape[0])
        return real(a, a_sq, b, b_sq, gamma)

    def spy_scaled(a, a_half, b, b_half):
        seen.append(a.shape[0] * b.shape[0])
        return real_scaled(a, a_half, b, b_half)

    monkeypatch.setattr(_reweight, "_kernel_block", spy)
    monkeypatch.setattr(_reweight, "_scaled_block", spy_scaled)
    monkeypatch.setattr(_reweight, "_BLOCK_ELEMENTS", 10_000)
    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(400, 2)), rng.normal(0.5, 1, size=(30, 2))
    res = importance_weights(xs, xt, method="kmm", max_iter=5, rng=0)
    assert max(seen) <= 400 * 30
    assert len(seen) > 20  # the Gram products did go through the spied blocks
    assert res.details["tile"] ** 2 <= 400 * 30


def test_gram_matvec_equals_dense_product():
    rng = np.random.default_rng(0)
    x, v = rng.normal(size=(157, 3)), rng.random(157)
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    dense = np.exp(-0.3 * d2) @ v
    np.testing.assert_allclose(_reweight._gram_matvec(x, v, 0.3, 40), dense, rtol=1e-12)
    np.testing.assert_allclose(_reweight._kernel_matvec(x, x[:20], v[:20], 0.3, 33),
                               np.exp(-0.3 * d2[:, :20]) @ v[:20], rtol=1e-12)


def test_kmm_solution_satisfies_kkt_of_the_box_qp():
    """Reference check on a small problem: L-BFGS-B's beta meets the KKT conditions of
    min 1/2 b'Kb - kappa'b over 0 <= b <= B (sum constraint inactive here)."""
    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(60, 2)), rng.normal(0.4, 0.8, size=(40, 2))
    res = importance_weights(xs, xt, method="kmm", clip=None, max_iter=5000, bound=5.0,
                             rng=0)
    zs, zt = _reweight._standardise(xs, xt)
    gamma = 1 / (2 * res.details["bandwidth"] ** 2)
    k = np.exp(-gamma * ((zs[:, None] - zs[None]) ** 2).sum(-1))
    kappa = 60 / 40 * np.exp(-gamma * ((zs[:, None] - zt[None]) ** 2).sum(-1)).sum(1)
    beta = res.weights * res.details["raw_sum"] / 60
    grad = k @ beta - kappa
    free = (beta > 1e-6) & (beta < 5.0 - 1e-6)
    assert np.abs(grad[free]).max() < 1e-3 * np.abs(kappa).max()
    assert np.all(grad[beta <= 1e-6] >= -1e-3 * np.abs(kappa).max())
    assert np.all(grad[beta >= 5.0 - 1e-6] <= 1e-3 * np.abs(kappa).max())


def test_clip_is_exact_and_keeps_mean_one():
    w = np.r_[np.full(95, 0.5), np.full(5, 60.0)]
    out, n, cap = _reweight._clip_mean_one(w, 5.0)
    assert abs(out.mean() - 1) < 1e-12
    assert out.max() <= 5.0 + 1e-12
    assert n == 5
    assert cap == 5.0


def test_infeasible_clip_flattens_the_positive_weights():
    out, n, cap = _reweight._clip_mean_one(np.r_[np.zeros(8), 1.0, 3.0], 2.0)
    np.testing.assert_allclose(out, np.r_[np.zeros(8), 5.0, 5.0])
    assert (n, cap) == (2, 5.0)
    # one positive weight: it is already the raised cap, yet held there
    out, n, cap = _reweight._clip_mean_one(np.r_[np.zeros(9), 4.0], 2.0)
    np.testing.assert_allclose(out, np.r_[np.zeros(9), 10.0])
    assert (n, cap) == (1, 10.0)


def test_degenerate_weights_warn_with_the_effective_sample_size():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(500, 2))
    xt = rng.normal(4.0, 0.3, size=(200, 2))  # far in the source's tail
    with pytest.warns(DegenerateDataWarning, match=r"effective sample size collapsed to "
                      r"[0-9.]+ of 500 source rows"):
        res = importance_weights(xs, xt, clip=None, rng=0)
    assert res.ess_fraction < 0.1


def test_result_frozen_picklable_and_json():
    rng = np.random.default_rng(0)
    res = importance_weights(rng.normal(size=(100, 2)), rng.normal(0.2, 1, (80, 2)), rng=0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.method = "x"
    with pytest.raises(ValueError, match="read-only"):
        res.weights[0] = 2.0
    back = pickle.loads(pickle.dumps(res))
    np.testing.assert_array_equal(back.weights, res.weights)
    import json

    d = json.loads(json.dumps(res.to_dict()))
    assert d["method"] == "classifier"
    assert len(d["weights"]) == 100
    assert "ImportanceWeights(" in repr(res)
    assert "<table>" in res._repr_html_()


@pytest.mark.parametrize("method", METHODS)
def test_same_rng_same_weights(method):
    rng = np.random.default_rng(3)
    xs, xt = rng.normal(size=(150, 2)), rng.normal(0.5, 1, (100, 2))
    a = importance_weights(xs, xt, method=method, rng=11)
    b = importance_weights(xs, xt, method=method, rng=11)
    np.testing.assert_array_equal(a.weights, b.weights)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    shift=st.floats(0.0, 1.5),
    method=st.sampled_from(METHODS),
    clip=st.sampled_from([None, 3.0, 20.0]),
)
def test_property_weights_nonnegative_mean_one_bounded(seed, shift, method, clip):
    rng = np.random.default_rng(seed)
    xs, xt = rng.normal(size=(60, 2)), rng.normal(shift, 1.0, (40, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        res = importance_weights(xs, xt, method=method, clip=clip, max_iter=30, rng=seed)
    w = res.weights
    assert isinstance(res, ImportanceWeights)
    assert w.shape == (60,)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0)
    assert abs(w.mean() - 1.0) < 1e-9
    if method == "classifier":
        assert np.all(w > 0)
    if clip is not None:
        cap = max(clip, 60 / np.count_nonzero(w))  # raised when infeasible
        assert w.max() <= cap * (1 + 1e-9)
    assert 0 < res.effective_sample_size <= 60 + 1e-9


def test_median_bandwidth_is_exact_when_most_rows_coincide():
    """Sibling of the MMD cancellation bug: the median pairwise distance taken
    from the expansion |a|^2 + |b|^2 - 2ab was rounding noise (4e-8) when most
    pairs are duplicates; the exact median is 0, so the fallback 1.0 applies."""
    from scipy.spatial.distance import pdist

    from mllifecycle.transfer._reweight import _median_sigma

    g = np.random.default_rng(1)
    c = np.array([-0.196, 0.191, 0.071, -1.011, 1.186, 1.78, 0.641])
    z = np.vstack([np.tile(c, (50, 1)), np.round(g.normal(size=(5, 7)), 3)])
    assert _median_sigma(z[:30], z[30:], np.random.default_rng(0)) == 1.0
    # and on ordinary data it is the exact median of the pooled distances
    x = g.normal(size=(40, 3))
    y = g.normal(1.0, size=(30, 3))
    assert _median_sigma(x, y, np.random.default_rng(0)) == float(
        np.median(pdist(np.vstack([x, y])))
    )
    # through the public API: KMM's bandwidth is the standardised pooled sample's
    xs = np.vstack([np.tile(c, (40, 1)), g.normal(size=(5, 7))])
    xt = np.vstack([np.tile(c, (30, 1)), g.normal(1.0, size=(5, 7))])
    res = importance_weights(xs, xt, method="kmm", rng=0)
    z = np.vstack([xs, xt])
    sd = z.std(axis=0)
    zs = (z - z.mean(axis=0)) / np.where(sd == 0, 1.0, sd)
    med = float(np.median(pdist(zs)))
    assert res.details["bandwidth"] == pytest.approx(med if med > 0 else 1.0, rel=1e-12)


def test_kernel_products_are_exact_on_near_duplicate_rows():
    """Sibling of the mmd cancellation bug in the kernels themselves: with most
    rows near-duplicates the median bandwidth is ~8e-7, and exp(-gamma d^2) from
    |a|^2 + |b|^2 - 2ab was 0.4% off in KMM's Gram product (3e-5 in KLIEP's),
    changing the weights by up to 40%."""
    from scipy.spatial.distance import cdist

    from mllifecycle.transfer._reweight import (
        _gram_matvec,
        _kernel_matvec,
        _median_sigma,
        _standardise,
    )

    g = np.random.default_rng(0)
    c = g.normal(size=(1, 5))
    xs = np.vstack([c + 1e-7 * g.normal(size=(60, 5)), g.normal(size=(10, 5))])
    xt = np.vstack([c + 1e-7 * g.normal(size=(50, 5)), g.normal(1, size=(10, 5))])
    xs, xt = _standardise(xs, xt)
    sigma = _median_sigma(xs, xt, np.random.default_rng(0))
    assert sigma < 1e-6
    gamma = 1.0 / (2.0 * sigma * sigma)
    v = g.random(60)
    ref = np.exp(-gamma * cdist(xs, xt, "sqeuclidean")) @ v
    np.testing.assert_allclose(_kernel_matvec(xs, xt, v, gamma, 1000), ref, rtol=1e-9)
    b = g.random(70)
    ref = np.exp(-gamma * cdist(xs, xs, "sqeuclidean")) @ b
    for tile in (16, 70):
        np.testing.assert_allclose(_gram_matvec(xs, b, gamma, tile), ref, rtol=1e-9)
