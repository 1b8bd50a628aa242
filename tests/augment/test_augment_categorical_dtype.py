"""Columns typed categorical: labels, never interpolated or perturbed.

A pandas ``Categorical`` of ints went through ``smote`` as numbers and came
back as fractional "categories" (0.117, 1.57, ...) in a float column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import (
    SMOTE,
    SMOTENC,
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

_g = np.random.default_rng(0)
X = pd.DataFrame({
    "a": _g.normal(size=80),
    "b": _g.normal(size=80),
    "c": pd.Categorical(_g.integers(0, 3, 80)),
})
Y = np.r_[np.zeros(60, int), np.ones(20, int)]


@pytest.mark.parametrize(
    ("fn", "kw"),
    [
        (smote, {}),
        (borderline_smote, {}),
        (adasyn, {}),
        (gaussian_noise, {}),
        (mixup, {}),
        (random_oversample, {"shrinkage": 1.0}),
    ],
    ids=["smote", "borderline", "adasyn", "gaussian_noise", "mixup", "shrinkage"],
)
def test_interpolating_augmenters_refuse_categorical_typed_columns(fn, kw):
    with pytest.raises(InvalidParameterError, match=r"column 'c' of categorical type"):
        fn(X, Y, rng=0, **kw)


def test_regression_smote_refuses_categorical_typed_columns():
    with pytest.raises(InvalidParameterError, match=r"smote_nc\(categorical_features='auto'\)"):
        smote_regression(X, _g.normal(size=80), rng=0)


def test_sampler_refuses_too():
    with pytest.raises(InvalidParameterError, match="categorical type"):
        SMOTE(random_state=0).fit_resample(X, Y)


def test_plain_random_oversampling_copies_labels():
    Xn, yn = random_oversample(X, Y, rng=0)
    assert isinstance(Xn["c"].dtype, pd.CategoricalDtype)
    assert set(Xn["c"].tolist()) <= {0, 1, 2}
    assert (yn == 1).sum() == 60


@pytest.mark.parametrize("spec", ["auto", ["c"], [2], [False, False, True]])
def test_smote_nc_reads_auto_names_indices_and_masks_alike(spec):
    want = smote_nc(X, Y, categorical_features=[2], rng=0)[0]
    got = smote_nc(X, Y, categorical_features=spec, rng=0)[0]
    assert got.equals(want)
    assert isinstance(got["c"].dtype, pd.CategoricalDtype)
    assert set(got["c"].tolist()) <= {0, 1, 2}  # labels, never interpolated


def test_smotenc_sampler_auto():
    Xn, yn = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, Y)
    assert (yn == 1).sum() == 60
    assert Xn.shape == (120, 3)
    assert set(Xn["c"].tolist()) <= {0, 1, 2}


def test_smote_nc_auto_on_pyarrow_dictionary_and_polars_enum():
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    want = smote_nc(X.assign(c=X["c"].astype(str)), Y, categorical_features=[2], rng=0)[0]
    t = pa.Table.from_pandas(X.assign(c=X["c"].astype(str).astype("category")))
    assert pa.types.is_dictionary(t.schema.field("c").type)
    got = smote_nc(t, Y, categorical_features="auto", rng=0)[0]
    assert got.column("c").to_pylist() == want["c"].tolist()
    f = pl.from_pandas(X.assign(c=X["c"].astype(str))).with_columns(
        pl.col("c").cast(pl.Enum(["0", "1", "2"]))
    )
    got = smote_nc(f, Y, categorical_features="auto", rng=0)[0]
    assert got.get_column("c").cast(pl.String).to_list() == want["c"].tolist()


@pytest.mark.parametrize(
    ("X_in", "spec", "match"),
    [
        (X, ["zz"], "unknown column 'zz'"),
        (X.assign(c=X["c"].astype(int)), "auto", "without columns typed categorical"),
        (X.to_numpy(), "auto", "without columns typed categorical"),
        (X.to_numpy(), ["c"], "column names of a table"),
    ],
    ids=["unknown-name", "auto-none-typed", "auto-on-array", "names-on-array"],
)
def test_smote_nc_categorical_features_errors(X_in, spec, match):
    with pytest.raises(InvalidParameterError, match=match):
        smote_nc(X_in, Y, categorical_features=spec, rng=0)
