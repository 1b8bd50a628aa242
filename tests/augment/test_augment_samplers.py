"""Sampler classes: conformance, clone, params, pipelines; hypothesis properties."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone

from mllifecycle.augment import (
    ADASYN,
    SMOTE,
    SMOTENC,
    SMOTER,
    BorderlineSMOTE,
    GaussianNoise,
    Mixup,
    RandomOverSampler,
    adasyn,
    borderline_smote,
    gaussian_noise,
    mixup,
    random_oversample,
    smote,
)
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.protocols import Sampler
from mllifecycle.testing import check_sampler


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (80, 3)), rng.normal(1, 1, (20, 3))]
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    return X, y


CLASSIFICATION_SAMPLERS = [
    SMOTE(random_state=0),
    BorderlineSMOTE(random_state=0),
    BorderlineSMOTE(kind="borderline-2", random_state=0),
    ADASYN(random_state=0),
    SMOTENC(categorical_features=[2], random_state=0),
    RandomOverSampler(random_state=0),
    RandomOverSampler(shrinkage=1.0, random_state=0),
    GaussianNoise(random_state=0),
    Mixup(random_state=0),
]


@pytest.mark.parametrize("sampler", CLASSIFICATION_SAMPLERS, ids=repr)
def test_check_sampler_over_every_classification_sampler(sampler):
    X, y = _data()
    if isinstance(sampler, SMOTENC):
        X[:, 2] = np.round(np.abs(X[:, 2]))
    assert isinstance(sampler, Sampler)
    check_sampler(sampler, X, y)
    _Xn, yn = sampler.fit_resample(X, y)
    assert np.bincount(yn).tolist() == [80, 80]


@pytest.mark.parametrize("sampler", [
    SMOTER(n_samples=30, random_state=0),
    GaussianNoise(n_samples=30, random_state=0),
    Mixup(n_samples=30, random_state=0),
    RandomOverSampler(n_samples=30, shrinkage=0.5, random_state=0),
], ids=repr)
def test_check_sampler_over_regression_samplers(sampler):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 2))
    y = np.exp(X[:, 0]) + 0.1 * rng.normal(size=120)
    check_sampler(sampler, X, y)
    assert sampler.fit_resample(X, y)[0].shape == (150, 2)


ALL_CLASSES = [SMOTE, BorderlineSMOTE, ADASYN, SMOTENC, RandomOverSampler,
               GaussianNoise, Mixup, SMOTER]


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_clone_params_and_keyword_only_init(cls):
    s = cls(random_state=3)
    params = s.get_params()
    assert params["random_state"] == 3
    c = clone(s)
    assert c is not s
    assert c.get_params() == params
    c.set_params(random_state=5)
    assert c.random_state == 5
    assert s.random_state == 3
    with pytest.raises(TypeError):
        cls(5)  # keyword-only
    assert pickle.loads(pickle.dumps(s)).get_params() == params
    with pytest.raises(InvalidParameterError, match="'X'"):
        s.fit(None, None)  # fit validates


def test_sampler_equals_function_and_weights_pass_through():
    X, y = _data(2)
    w = np.linspace(1, 2, 100)
    a = SMOTE(k_neighbors=3, random_state=4).fit_resample(X, y, sample_weight=w)
    b = smote(X, y, k_neighbors=3, sample_weight=w, rng=4)
    assert len(a) == 3
    for u, v in zip(a, b, strict=True):
        assert np.array_equal(u, v)


def test_sampler_params_reach_the_function():
    X, y = _data(3)
    yn = BorderlineSMOTE(sampling_strategy={1: 35}, random_state=0).fit_resample(X, y)[1]
    assert np.bincount(yn).tolist() == [80, 35]
    ys = Mixup(labels="soft", random_state=0).fit_resample(X, y)[1]
    assert ys.shape == (160, 2)


@pytest.mark.oracle
def test_sampler_inside_imblearn_pipeline():
    pytest.importorskip("imblearn")
    from imblearn.pipeline import Pipeline
    from sklearn.model_selection import GridSearchCV
    from sklearn.naive_bayes import GaussianNB

    X, y = _data(5)
    pipe = Pipeline([("aug", SMOTE(random_state=0)), ("clf", GaussianNB())])
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (100,)
    # the sampler runs at fit only: predict sees the original rows
    search = GridSearchCV(pipe, {"aug__k_neighbors": [3, 5]}, cv=2)
    search.fit(X, y)
    assert search.best_params_["aug__k_neighbors"] in (3, 5)
    for sampler in (ADASYN(random_state=0), BorderlineSMOTE(random_state=0),
                    Mixup(random_state=0), GaussianNoise(random_state=0)):
        Pipeline([("aug", sampler), ("clf", GaussianNB())]).fit(X, y)


# ------------------------------------------------------------- properties
@st.composite
def _labelled(draw):
    n_min = draw(st.integers(2, 8))
    n_maj = draw(st.integers(n_min, 25))
    p = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    X = draw(arrays(dtype, (n_min + n_maj, p),
                    elements=st.floats(-100, 100, allow_nan=False, width=32)))
    kind = draw(st.sampled_from(["int", "str"]))
    labels = ["maj", "min"] if kind == "str" else [3, -1]
    y = np.array([labels[0]] * n_maj + [labels[1]] * n_min)
    return X, y


FUNCS = [
    (smote, {"k_neighbors": 1}),
    (borderline_smote, {"k_neighbors": 1, "m_neighbors": 3}),
    (borderline_smote, {"k_neighbors": 1, "kind": "borderline-2"}),
    (adasyn, {"k_neighbors": 1}),
    (random_oversample, {"shrinkage": 0.5}),
    (gaussian_noise, {}),
    (mixup, {}),
]


@pytest.mark.parametrize(("fn", "kw"), FUNCS, ids=lambda v: getattr(v, "__name__", ""))
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=_labelled(), seed=st.integers(0, 2**32 - 1))
def test_dtype_columns_and_label_set_preserved(fn, kw, data, seed):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        Xn, yn = fn(X, y, rng=seed, **kw)
        Xm, ym = fn(X, y, rng=seed, **kw)
    assert Xn.dtype == X.dtype
    assert Xn.shape[1] == X.shape[1]
    assert yn.dtype == y.dtype
    assert set(yn.tolist()) == set(y.tolist())
    assert np.array_equal(Xn[: len(X)], X)
    assert np.array_equal(yn[: len(y)], y)
    n_maj = int((y == y[0]).sum())
    assert (yn == y[0]).sum() == n_maj
    assert (yn != y[0]).sum() == n_maj
    assert np.isfinite(Xn).all()
    assert np.array_equal(Xn, Xm)
    assert np.array_equal(yn, ym)
