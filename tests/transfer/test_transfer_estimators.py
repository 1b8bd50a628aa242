"""scikit-learn conformance of CORAL and the stacked transfer estimators; CORAL maths."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from mllifecycle.exceptions import NotFittedError
from mllifecycle.transfer import CORAL, StackedTransferClassifier, StackedTransferRegressor


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls (L-BFGS-B inside LogisticRegression) thrash when threaded
    on a shared 2-core machine; one thread makes them ~10x faster and changes no result."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# A pretrained model that accepts any number of features (the checks vary them).
_SRC_CLF = FrozenEstimator(DummyClassifier(strategy="prior").fit(np.zeros((4, 1)),
                                                                 [0, 1, 1, 1]))
_SRC_REG = FrozenEstimator(DummyRegressor().fit(np.zeros((4, 1)), [0.0, 1.0, 2.0, 3.0]))


@parametrize_with_checks(
    [CORAL(), CORAL(regularization=0.1, center=False),
     StackedTransferClassifier(_SRC_CLF), StackedTransferRegressor(_SRC_REG)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _cov_target(seed, d=3, n=400):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(d, d))
    xs = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, d) + 3.0
    xt = rng.normal(size=(n + 50, d)) @ a - 1.0
    return xs, xt


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), lam=st.sampled_from([0.0, 1e-3, 0.5, 1.0, 4.0]),
       center=st.booleans())
def test_property_aligned_covariance_is_target_covariance_up_to_regularisation(
    seed, lam, center
):
    """cov(aligned) = C_t + lam I - lam A'A exactly; with lam = 0 it is C_t."""
    xs, xt = _cov_target(seed)
    coral = CORAL(regularization=lam, center=center).fit(xs, X_target=xt)
    z = coral.transform(xs)
    a = coral.transform_matrix_
    ct = np.cov(xt, rowvar=False)
    expected = ct + lam * np.eye(3) - lam * a.T @ a
    np.testing.assert_allclose(np.cov(z, rowvar=False), expected, atol=1e-8 * np.abs(ct).max())
    if center:
        np.testing.assert_allclose(z.mean(axis=0), xt.mean(axis=0), atol=1e-9)


def test_coral_matches_the_papers_algorithm():
    """Sun et al. (2016), Algorithm 1 with lambda = 1, on centred inputs (center=False)."""
    from scipy.linalg import fractional_matrix_power as fmp

    xs, xt = _cov_target(0)
    cs = np.cov(xs, rowvar=False) + np.eye(3)
    ct = np.cov(xt, rowvar=False) + np.eye(3)
    ref = xs @ np.real(fmp(cs, -0.5)) @ np.real(fmp(ct, 0.5))
    np.testing.assert_allclose(CORAL(center=False).fit_transform(xs, X_target=xt), ref,
                               rtol=1e-9, atol=1e-9)


def test_coral_without_target_is_identity_and_helps_a_shifted_classifier():
    xs, _ = _cov_target(1)
    np.testing.assert_allclose(CORAL().fit_transform(xs), xs, atol=1e-9)
    # Target = source rotated and scaled: CORAL-aligned training recovers accuracy.
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(2000, 2))
    ys = (xs[:, 0] + xs[:, 1] > 0).astype(int)
    m = np.array([[3.0, 0.0], [0.0, 0.3]])
    xt = rng.normal(size=(2000, 2)) @ m
    yt = ((xt @ np.linalg.inv(m)).sum(axis=1) > 0).astype(int)
    plain = LogisticRegression().fit(xs, ys).score(xt, yt)
    aligned = LogisticRegression().fit(CORAL(1e-6).fit_transform(xs, X_target=xt), ys)
    assert aligned.score(xt, yt) > plain + 0.1


def test_coral_pickles_and_rejects_one_sample():
    xs, xt = _cov_target(2)
    c = CORAL().fit(xs, X_target=xt)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(c)).transform(xs), c.transform(xs))
    with pytest.raises(ValueError, match="at least 2 target samples"):
        CORAL().fit(xs, X_target=xt[:1])
    with pytest.raises(ValueError, match="singular"):
        CORAL(regularization=0.0).fit(np.c_[xs[:, 0], xs[:, 0]])


def test_stacked_uses_the_source_model_as_is_and_survives_grid_search():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(500, 3))
    ys = (xs.sum(axis=1) > 0).astype(int)
    src = LogisticRegression().fit(xs, ys)
    xt = rng.normal(size=(60, 3))
    yt = (xt.sum(axis=1) > 0.3).astype(int)
    model = StackedTransferClassifier(FrozenEstimator(src), passthrough=False).fit(xt, yt)
    expected = LogisticRegression().fit(src.predict_proba(xt)[:, 1:], yt)
    np.testing.assert_allclose(model.predict_proba(xt),
                               expected.predict_proba(src.predict_proba(xt)[:, 1:]))
    gs = GridSearchCV(StackedTransferClassifier(FrozenEstimator(src)),
                      {"estimator": [LogisticRegression(C=0.1), LogisticRegression()]},
                      cv=3).fit(xt, yt)
    assert gs.best_estimator_.n_source_features_ == 1


def test_stacked_explains_an_unfitted_or_missing_source_model():
    x, y = np.zeros((10, 2)), np.r_[np.zeros(5), np.ones(5)]
    with pytest.raises(NotFittedError, match="FrozenEstimator"):
        StackedTransferClassifier(LogisticRegression()).fit(x, y)
    with pytest.raises(ValueError, match="'source_model' parameter of StackedTransferRegressor"):
        StackedTransferRegressor().fit(x, y)
    with pytest.raises(ValueError, match="'method' parameter"):
        StackedTransferRegressor(FrozenEstimator(Ridge().fit(x, y)), method="x").fit(x, y)
