"""Samplers are conformant: scikit-learn's and imbalanced-learn's checks, tables in and out."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

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
    smote_regression,
)
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.testing import check_sampler

SAMPLERS = [
    SMOTE(random_state=0),
    BorderlineSMOTE(random_state=0),
    BorderlineSMOTE(kind="borderline-2", random_state=0),
    ADASYN(random_state=0),
    RandomOverSampler(random_state=0),
    RandomOverSampler(shrinkage=0.5, random_state=0),
    GaussianNoise(random_state=0),
    Mixup(random_state=0),
    SMOTENC(categorical_features=[0], random_state=0),
    SMOTER(random_state=0),
]

_OBJECT_REASON = (
    "an object column of strings is refused with our own message naming X and its "
    "dtype, not NumPy's 'argument must be a string or a number'"
)


def _expected_failures(est):
    out = {"check_dtype_object": _OBJECT_REASON}
    if isinstance(est, SMOTENC):
        out["check_fit2d_1feature"] = (
            "SMOTE-NC needs a categorical and a numeric column; one feature cannot be both"
        )
    return out


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failures)
def test_sklearn_check_estimator(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


try:  # imbalanced-learn's sampler checks: an optional oracle
    import imblearn.utils.estimator_checks as imb_checks
except ImportError:  # pragma: no cover - the test extra installs it
    imb_checks = None
needs_imblearn = pytest.mark.skipif(imb_checks is None, reason="imbalanced-learn not installed")

# Checks of imbalanced-learn's sampler suite that do not apply, with the reason.
_IMB_NOT_APPLICABLE = {
    "check_samplers_pandas": "passes y as a one-column DataFrame; y must be 1-D here",
    "check_samplers_multiclass_ova": "one-hot 2-D targets are refused (pass labels)",
    "check_samplers_2d_target": "column-vector targets are refused (pass a 1-D y)",
    "check_samplers_sample_indices": "reads imbalanced-learn's own sampler_tags",
    "check_samplers_sparse": "sparse input is refused with a clear error",
    "check_samplers_pandas_sparse": "sparse input is refused with a clear error",
    "check_samplers_string": "string features are for SMOTENC only",
    "check_samplers_nan": "NaN is refused",
}
_IMB_REGRESSION_ONLY = {
    "check_target_type", "check_samplers_one_label", "check_samplers_preserve_dtype",
}
_IMB_CHECKS = [] if imb_checks is None else [
    getattr(imb_checks, name) for name in (
        "check_target_type", "check_samplers_one_label", "check_samplers_fit",
        "check_samplers_fit_resample", "check_samplers_sampling_strategy_fit_resample",
        "check_samplers_list", "check_samplers_preserve_dtype",
        "check_sampler_get_feature_names_out", "check_sampler_get_feature_names_out_pandas",
    )
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=repr)
@pytest.mark.parametrize("check", _IMB_CHECKS, ids=lambda c: c.__name__)
def test_imblearn_sampler_checks(sampler, check):
    if isinstance(sampler, SMOTER) and check.__name__ in _IMB_REGRESSION_ONLY:
        pytest.skip("SMOTER oversamples a continuous target; class checks do not apply")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(type(sampler).__name__, sampler)


@needs_imblearn
def test_not_applicable_imblearn_checks_are_the_ones_we_skip():
    # each skipped check exists upstream (a rename there would show up here)
    for name in _IMB_NOT_APPLICABLE:
        assert hasattr(imb_checks, name), name


def _data(n0=60, n1=15, p=3, seed=0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (n0, p)), rng.normal(1, 1, (n1, p))]
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return X, y


@pytest.mark.parametrize("sampler", [s for s in SAMPLERS if not isinstance(s, SMOTER | SMOTENC)],
                         ids=repr)
def test_fitted_attributes(sampler):
    X, y = _data()
    with pytest.raises(Exception, match="not fitted"):
        check_is_fitted(sampler)
    fitted = sampler.fit(X, y)
    assert fitted is sampler
    check_is_fitted(sampler)
    assert sampler.n_features_in_ == 3
    assert not hasattr(sampler, "feature_names_in_")
    _, y_new = sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_ == {1: 45}
    assert np.bincount(y_new).tolist() == [60, 60]
    check_sampler(sampler, X, y)


def test_smoter_sampling_strategy_reports_bins():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = np.exp(X[:, 0])
    s = SMOTER(sampling_strategy={"high": 100}, random_state=0).fit(X, y)
    assert s.sampling_strategy_["low"] == 0
    assert s.sampling_strategy_["high"] > 0


def test_fit_validates_like_fit_resample():
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="'k_neighbors'"):
        SMOTE(k_neighbors=0).fit(X, y)
    with pytest.raises(InvalidParameterError, match=r"'X'.*NaN"):
        SMOTE().fit(np.where(X > 1.5, np.nan, X), y)


try:
    import pandas as pd
except ImportError:  # pragma: no cover - the test extra installs it
    pd = None
needs_pandas = pytest.mark.skipif(pd is None, reason="pandas not installed")


def _frames(X, names):
    out = {"pandas": pd.DataFrame(X, columns=names)}
    try:
        import polars as pl

        out["polars"] = pl.DataFrame({n: X[:, j] for j, n in enumerate(names)})
    except ImportError:  # pragma: no cover
        pass
    try:
        import pyarrow as pa

        out["pyarrow"] = pa.table({n: X[:, j] for j, n in enumerate(names)})
    except ImportError:  # pragma: no cover
        pass
    return out


def _series(y, kind):
    if kind == "pandas":
        return pd.Series(y, name="target")
    if kind == "polars":
        import polars as pl

        return pl.Series("target", y)
    import pyarrow as pa

    return pa.chunked_array([y])


@needs_pandas
@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
@pytest.mark.parametrize("sampler", [s for s in SAMPLERS if not isinstance(s, SMOTER | SMOTENC)],
                         ids=repr)
def test_tables_in_same_kind_out(kind, sampler):
    X, y = _data()
    names = ["a", "b", "c"]
    frames = _frames(X, names)
    if kind not in frames:
        pytest.skip(f"{kind} not installed")
    Xf, yf = frames[kind], _series(y, kind)
    Xn, yn = sampler.fit_resample(Xf, yf)
    ref_X, ref_y = type(sampler)(**sampler.get_params()).fit_resample(X, y)
    assert type(Xn) is type(Xf)
    assert type(yn) is type(yf)
    from mllifecycle._frames import column_names, column_to_numpy, frame_to_numpy

    assert column_names(Xn) == names
    np.testing.assert_array_equal(frame_to_numpy(Xn), ref_X)
    np.testing.assert_array_equal(column_to_numpy(yn), ref_y)
    assert list(sampler.feature_names_in_) == names
    assert list(sampler.get_feature_names_out()) == names


@needs_pandas
def test_pandas_dtypes_kept_where_exact_and_series_name_kept():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({
        "count": pd.array(rng.integers(0, 9, 80), dtype="Int64"),
        "flag": rng.integers(0, 2, 80).astype("int32"),
        "x": rng.normal(size=80).astype("float32"),
    })
    y = pd.Series(np.r_[np.zeros(60, int), np.ones(20, int)], name="label")
    Xn, yn = RandomOverSampler(random_state=0).fit_resample(df, y)
    # plain copies keep every dtype, nullable ones included
    assert dict(Xn.dtypes) == dict(df.dtypes)
    assert yn.name == "label"
    assert yn.dtype == y.dtype
    # interpolated values are not integers: the integer columns become float
    Xs, _ = SMOTE(random_state=0).fit_resample(df, y)
    assert list(Xs.columns) == ["count", "flag", "x"]
    pd.testing.assert_frame_equal(Xs.iloc[:80].astype(float), df.astype(float))


@needs_pandas
def test_pd_na_is_missing_and_refused_clearly():
    df = pd.DataFrame({"a": pd.array([1, 2, None, 4] * 10, dtype="Int64"),
                       "b": np.arange(40.0)})
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.raises(InvalidParameterError, match=r"'X'.*NaN"):
        smote(df, y, rng=0)
    ys = pd.Series(pd.array([0, 1, None, 1] * 10, dtype="Int64"))
    with pytest.raises(InvalidParameterError, match=r"'y'.*missing|'y'.*NaN"):
        smote(df.fillna(0), ys, rng=0)


@needs_pandas
def test_nullable_dtypes_without_missing_values_work():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": pd.array(rng.integers(0, 50, 60), dtype="Int64"),
                       "b": pd.array(rng.normal(size=60), dtype="Float64")})
    y = pd.Series(pd.array(np.r_[np.zeros(45, int), np.ones(15, int)], dtype="Int64"))
    Xn, yn = smote(df, y, rng=0)
    assert Xn.shape == (90, 2)
    assert yn.tolist().count(1) == 45
    assert np.isfinite(Xn.to_numpy(dtype=float)).all()


# -- magnitudes near the float64 limit: no overflow, no non-finite row ----------

BIG_FUNCS = [
    (smote, {}), (borderline_smote, {}), (borderline_smote, {"kind": "borderline-2"}),
    (adasyn, {}), (random_oversample, {"shrinkage": 1.0}), (gaussian_noise, {}),
    (mixup, {}),
]


@pytest.mark.parametrize("scale", [1e154, 1e200, 1e307])
@pytest.mark.parametrize(("fn", "kw"), BIG_FUNCS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_huge_magnitudes_give_finite_rows_without_warnings(fn, kw, scale):
    X, y = _data(seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        Xn, _yn = fn(X * scale, y, rng=0, **kw)
        small, _ = fn(X, y, rng=0, **kw)
    assert np.isfinite(Xn).all()
    if fn is not gaussian_noise and fn is not random_oversample:
        # interpolation at scale s is the interpolation at scale 1, times s
        np.testing.assert_allclose(Xn / scale, small, rtol=1e-9, atol=1e-12)


def test_huge_magnitudes_near_the_limit_in_one_column():
    X, y = _data(seed=4)
    X[:, 0] = np.sign(X[:, 0]) * 1.7e308
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", DegenerateDataWarning)
        for fn, kw in BIG_FUNCS:
            Xn = fn(X, y, rng=0, **kw)[0]
            assert np.isfinite(Xn).all(), fn.__name__
    Xr, yr = smote_regression(X, np.exp(X[:, 1]), n_samples=20, rng=0)
    assert np.isfinite(Xr).all()
    assert np.isfinite(yr).all()


@pytest.mark.parametrize("fn", [smote, adasyn, borderline_smote, random_oversample,
                                gaussian_noise, mixup])
def test_complex_input_refused(fn):
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'X'.*Complex data not supported"):
        fn(X + 1j, y, rng=0)


def test_sparse_input_refused():
    sp = pytest.importorskip("scipy.sparse")
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'X'.*sparse input is not supported"):
        smote(sp.csr_matrix(X), y, rng=0)


def test_lists_in_lists_out():
    X, y = _data()
    Xn, yn = SMOTE(random_state=0).fit_resample(X.tolist(), y.tolist())
    assert isinstance(Xn, list)
    assert isinstance(yn, list)
    Xa, _ya = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(np.asarray(Xn), Xa)


def _builtin_samplers():
    import mllifecycle.augment as aug

    return [getattr(aug, n) for n in aug.__all__
            if isinstance(getattr(aug, n), type) and hasattr(getattr(aug, n), "fit_resample")]


@pytest.mark.parametrize("cls", _builtin_samplers(), ids=lambda c: c.__name__)
def test_check_sampler_passes_on_every_builtin(cls):
    X, y = _data()
    if cls is SMOTENC:
        X = np.c_[X[:, :2], np.random.default_rng(0).integers(0, 3, X.shape[0])]
        sampler = cls(categorical_features=[2], random_state=0)
    elif cls is SMOTER:
        y = np.exp(X[:, 0])
        sampler = cls(random_state=0)
    else:
        sampler = cls(random_state=0)
    check_sampler(sampler, X, y)


def test_check_sampler_catches_an_in_place_sampler():
    class Mutating:
        def fit_resample(self, X, y):
            X *= 2.0
            return X, y

    X, y = _data()
    with pytest.raises(AssertionError, match="modified X in place"):
        check_sampler(Mutating(), X, y)
