"""Random (smoothed) oversampling, Gaussian noise and mixup."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mllifecycle.augment import gaussian_noise, mixup, random_oversample


def _data(seed=0, n_maj=200, n_min=40):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (n_maj, 3)), rng.normal([2, -1, 0], [1, 2, 3], (n_min, 3))]
    y = np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]
    return X, y


def _rows_of(S, X):
    """Index of the row of X equal to each row of S (-1 when none)."""
    eq = (S[:, None, :] == X[None, :, :]).all(-1)
    return np.where(eq.any(1), eq.argmax(1), -1)


def test_random_oversample_copies_minority_rows_and_their_weights():
    X, y = _data()
    w = np.arange(240, dtype=float)
    Xn, yn, wn = random_oversample(X, y, sample_weight=w, rng=0)
    assert np.bincount(yn).tolist() == [200, 200]
    parent = _rows_of(Xn[240:], X)
    assert (parent >= 200).all()  # copies of minority rows
    np.testing.assert_array_equal(wn[240:], w[parent])
    # the parents are uniform over the minority rows: chi-square goodness of fit
    counts = np.bincount(parent - 200, minlength=40)
    assert stats.chisquare(counts).pvalue > 1e-3


def test_smoothed_bootstrap_noise_has_the_rule_of_thumb_scale():
    X, y = _data(1, n_maj=4000, n_min=400)
    h = 1.5
    Xn, _yn = random_oversample(X, y, shrinkage=h, rng=0)
    S = Xn[4400:]
    Xc = X[y == 1]
    # the smoothed bootstrap is a Gaussian KDE: variance = class var + bandwidth^2
    d, n_c = 3, 400
    bw = h * (4 / ((d + 2) * n_c)) ** (1 / (d + 4)) * Xc.std(axis=0)
    expected_var = Xc.var(axis=0) + bw**2
    n = S.shape[0]
    np.testing.assert_allclose(S.var(axis=0), expected_var, rtol=6 * np.sqrt(2 / n))
    np.testing.assert_allclose(S.mean(axis=0), Xc.mean(axis=0),
                               atol=5 * np.sqrt(expected_var / n).max())
    # shrinkage 0 is the plain bootstrap
    X0 = random_oversample(X, y, shrinkage=0.0, rng=0)[0]
    assert (_rows_of(X0[4400:4450], X) >= 0).all()
    # per-class dict
    Xd = random_oversample(X, y, shrinkage={1: 0.0}, rng=0)[0]
    assert np.array_equal(Xd, X0)


def test_random_oversample_regression_needs_n_samples_and_copies_targets():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 2))
    y = X[:, 0] * 3.3
    Xn, yn = random_oversample(X, y, n_samples=20, rng=0)
    parent = _rows_of(Xn[50:], X)
    assert (parent >= 0).all()
    np.testing.assert_array_equal(yn[50:], y[parent])


def test_gaussian_noise_scale_relative_to_feature_spread():
    rng = np.random.default_rng(3)
    X = rng.normal(0, 1, (500, 3)) * np.array([1.0, 100.0, 0.0]) + np.array([0, 5, 7])
    y = rng.normal(size=500)
    Xn, yn = gaussian_noise(X, y, n_samples=20000, scale=0.2, rng=0)
    # recover each copy's parent: nearest original row in standardised units
    S = Xn[500:]
    noise_free = yn[500:]  # targets are copied from the parent
    parent = np.searchsorted(np.sort(y), noise_free)
    order = np.argsort(y)
    noise = S - X[order[parent]]
    sd = X.std(axis=0)
    np.testing.assert_allclose(noise[:, :2].std(axis=0), 0.2 * sd[:2], rtol=0.03)
    assert (noise[:, 2] == 0).all()  # a constant feature stays constant
    assert abs(noise.mean(axis=0)[0]) < 5 * 0.2 * sd[0] / np.sqrt(20000)


def test_gaussian_noise_classification_balances_and_keeps_weights():
    X, y = _data(4)
    w = np.r_[np.ones(200), np.full(40, 3.0)]
    Xn, yn, wn = gaussian_noise(X, y, scale=0.0, sample_weight=w, rng=0)
    assert np.bincount(yn).tolist() == [200, 200]
    assert (wn[240:] == 3.0).all()
    assert (_rows_of(Xn[240:], X) >= 200).all()


def test_mixup_hard_labels_balance_and_weights_mix_like_rows():
    X, y = _data(5)
    w = 20.0 + 0.25 * X[:, 0] - 0.5 * X[:, 1]  # affine weights
    Xn, yn, wn = mixup(X, y, concentration=0.4, sample_weight=w, rng=0)
    assert np.bincount(yn).tolist() == [200, 200]
    np.testing.assert_allclose(wn, 20.0 + 0.25 * Xn[:, 0] - 0.5 * Xn[:, 1], rtol=1e-12)


def test_mixup_soft_labels_and_lambda_distribution():
    rng = np.random.default_rng(6)
    # one-dimensional rows at known positions: lambda can be read off
    X = np.c_[np.r_[np.zeros(50), np.ones(50)]]
    y = np.r_[np.zeros(50, int), np.ones(50, int)]
    Xn, ys = mixup(X, y, n_samples=4000, concentration=0.5, labels="soft", rng=rng)
    assert ys.shape == (4100, 2)
    np.testing.assert_allclose(ys.sum(1), 1.0)
    assert np.array_equal(ys[:100].argmax(1), y)
    new = ys[100:]
    mixed = (new > 0).all(1)  # pairs from different classes
    # the soft label of class 1 equals the row's position (0 and 1 endpoints)
    np.testing.assert_allclose(new[:, 1], Xn[100:, 0], atol=1e-12)
    # lambda = max(B, 1 - B), B ~ Beta(0.5, 0.5): compare with its law
    lam = new[mixed].max(1)
    folded = stats.beta(0.5, 0.5)
    assert stats.kstest(lam, lambda t: 2 * folded.cdf(t) - 1).pvalue > 1e-3
    # hard labels: the seed dominates, so the label is the nearer endpoint
    Xh, yh = mixup(X, y, n_samples=500, concentration=0.5, rng=1)
    assert np.array_equal(yh[100:], (Xh[100:, 0] >= 0.5).astype(int))


def test_mixup_regression_mixes_targets():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60, 2))
    y = 2.0 * X[:, 0] - X[:, 1] + 0.5
    Xn, yn = mixup(X, y, n_samples=100, rng=0)
    np.testing.assert_allclose(yn, 2.0 * Xn[:, 0] - Xn[:, 1] + 0.5, rtol=1e-12)
    _Xi, yi = mixup(X, np.round(y * 10), n_samples=10, task="regression", rng=0)
    assert yi.dtype == np.float64
    assert yi.shape == (70,)


@pytest.mark.parametrize("fn", [random_oversample, gaussian_noise, mixup])
def test_same_rng_same_output(fn):
    X, y = _data(8)
    a, b = fn(X, y, rng=11), fn(X, y, rng=11)
    assert np.array_equal(a[0], b[0])
    assert not np.array_equal(a[0], fn(X, y, rng=12)[0])


@pytest.mark.parametrize("magnitude", [1e-160, 1e-300, 1.0, 1e300])
def test_noise_scale_is_invariant_to_the_features_magnitude(magnitude):
    # the spread of tiny features was taken from squares that underflow: no
    # noise at 1e-300 (copies were exact duplicates), 0.01 % off at 1e-160
    rng = np.random.default_rng(8)
    X = rng.normal(0, 1, (400, 2))
    y = rng.normal(size=400)
    ref = gaussian_noise(X, y, n_samples=50, scale=0.3, rng=1)[0]
    got = gaussian_noise(X * magnitude, y, n_samples=50, scale=0.3, rng=1)[0]
    np.testing.assert_allclose(got / magnitude, ref, rtol=1e-9)
    ref = random_oversample(X, y, n_samples=50, shrinkage=1.0, rng=1)[0]
    got = random_oversample(X * magnitude, y, n_samples=50, shrinkage=1.0, rng=1)[0]
    np.testing.assert_allclose(got / magnitude, ref, rtol=1e-9)


def test_smote_nc_categorical_distance_survives_tiny_numeric_columns():
    # SMOTE-NC's categorical penalty is the median numeric std: it squared to 0
    # on tiny numeric columns, so categories no longer weighed in the distance
    from mllifecycle.augment import smote_nc

    rng = np.random.default_rng(9)
    num = rng.normal(size=(60, 2))
    cat = rng.integers(0, 3, 60).astype(float)
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    ref = smote_nc(np.column_stack([num, cat]), y, categorical_features=[2], rng=0)[0]
    got = smote_nc(np.column_stack([num * 1e-300, cat]), y, categorical_features=[2], rng=0)[0]
    np.testing.assert_array_equal(got[:, 2], ref[:, 2])
    np.testing.assert_allclose(got[:, :2] / 1e-300, ref[:, :2], rtol=1e-9)
