"""pandas nullable dtypes (Int64, Float64, boolean) work in every augmenter; pd.NA is missing."""

from __future__ import annotations

import numpy as np
import pytest

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
    smote_nc,
    smote_regression,
)
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

N_MAJ, N_MIN = 45, 15

CLASSIFIERS = [
    (smote, {}),
    (borderline_smote, {}),
    (borderline_smote, {"kind": "borderline-2"}),
    (adasyn, {}),
    (random_oversample, {}),
    (gaussian_noise, {}),
    (mixup, {}),
    (smote_nc, {"categorical_features": [2]}),
]
IDS = [f"{f.__name__}{'-' + kw['kind'] if 'kind' in kw else ''}" for f, kw in CLASSIFIERS]


def _frame(seed=0):
    rng = np.random.default_rng(seed)
    n = N_MAJ + N_MIN
    X = pd.DataFrame({
        "count": pd.array(rng.integers(0, 50, n), dtype="Int64"),
        "amount": pd.array(rng.normal(size=n), dtype="Float64"),
        "flag": pd.array(rng.integers(0, 2, n).astype(bool), dtype="boolean"),
    })
    y = pd.Series(pd.array(np.r_[np.zeros(N_MAJ, int), np.ones(N_MIN, int)], dtype="Int64"),
                  name="label")
    return X, y


def _plain(X):
    """The same data as NumPy float64 (booleans as 0/1)."""
    return X.astype("float64").to_numpy()


@pytest.mark.parametrize(("fn", "kw"), CLASSIFIERS, ids=IDS)
def test_nullable_columns_give_the_same_rows_as_their_float_copy(fn, kw):
    X, y = _frame()
    Xn, yn = fn(X, y, rng=0, **kw)
    Xr, yr = fn(_plain(X), y.to_numpy(dtype=int), rng=0, **kw)
    assert isinstance(Xn, pd.DataFrame)
    assert list(Xn.columns) == list(X.columns)
    assert yn.name == "label"
    assert yn.tolist().count(1) == yn.tolist().count(0) == N_MAJ
    np.testing.assert_allclose(_plain(Xn), Xr)
    np.testing.assert_array_equal(yn.to_numpy(dtype=int), yr)


@pytest.mark.parametrize(("fn", "kw"), CLASSIFIERS, ids=IDS)
@pytest.mark.parametrize("column", ["count", "amount", "flag"])
def test_pd_na_in_any_nullable_column_is_a_missing_value(fn, kw, column):
    X, y = _frame()
    X.loc[7, column] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of \w+ must be free of"):
        fn(X, y, rng=0, **kw)


@pytest.mark.parametrize(("fn", "kw"), CLASSIFIERS, ids=IDS)
def test_pd_na_in_a_nullable_target_is_a_missing_value(fn, kw):
    X, y = _frame()
    y[3] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of \w+ must be"):
        fn(X, y, rng=0, **kw)


@pytest.mark.filterwarnings("ignore::mllifecycle.exceptions.DegenerateDataWarning")
def test_smote_regression_nullable_target_and_pd_na():
    X, _ = _frame(1)
    rng = np.random.default_rng(1)
    yv = np.r_[rng.normal(size=50), rng.normal(6.0, 0.5, 10)]
    y = pd.Series(pd.array(yv, dtype="Float64"), name="target")
    Xn, yn = smote_regression(X, y, rng=0)
    Xr, yr = smote_regression(_plain(X), yv, rng=0)
    np.testing.assert_allclose(_plain(Xn), Xr)
    np.testing.assert_allclose(yn.to_numpy(dtype=float), yr)
    y[4] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of smote_regression"):
        smote_regression(X, y, rng=0)
    X.loc[2, "amount"] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of smote_regression"):
        smote_regression(X, yv, rng=0)


@pytest.mark.parametrize(
    "sampler",
    [SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0),
     RandomOverSampler(random_state=0), GaussianNoise(random_state=0),
     Mixup(random_state=0), SMOTENC(categorical_features=[2], random_state=0)],
    ids=lambda s: type(s).__name__,
)
def test_samplers_accept_nullable_dtypes_and_refuse_pd_na(sampler):
    X, y = _frame(2)
    Xn, yn = sampler.fit_resample(X, y)
    assert list(Xn.columns) == list(X.columns)
    assert len(Xn) == len(yn) > len(X)
    assert list(sampler.feature_names_in_) == list(X.columns)
    X.loc[0, "amount"] = pd.NA
    with pytest.raises(InvalidParameterError, match=r"'X'"):
        sampler.fit_resample(X, y)


@pytest.mark.filterwarnings("ignore::mllifecycle.exceptions.DegenerateDataWarning")
def test_smoter_sampler_nullable():
    X, _ = _frame(3)
    rng = np.random.default_rng(3)
    y = pd.Series(pd.array(np.r_[rng.normal(size=50), rng.normal(6, 0.5, 10)],
                           dtype="Float64"))
    Xn, yn = SMOTER(random_state=0).fit_resample(X, y)
    assert len(Xn) == len(yn) > len(X)
