"""Hunt: augmentation_gain refused the tables smote_nc is made for (text columns)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mllifecycle.augment import SMOTENC, augmentation_gain, smote_nc
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    n = 160
    codes = rng.integers(0, 3, n)
    y = np.r_[np.zeros(130, int), np.ones(30, int)]
    x = rng.normal(size=n) + y
    return x, codes, y


def _model(column):
    return make_pipeline(
        make_column_transformer((OneHotEncoder(), [column]), remainder="passthrough"),
        LogisticRegression(),
    )


def _table(kind, x, text):
    if kind == "pandas":
        return pd.DataFrame({"x": x, "c": text}, index=np.arange(1000, 1000 + x.size))
    pl = pytest.importorskip("polars")
    return pl.DataFrame({"x": x, "c": text})


@pytest.mark.parametrize("kind", ["pandas", "polars"])  # sklearn cannot fit on pyarrow
@pytest.mark.parametrize("sampler", [False, True])
def test_gain_on_a_table_with_text_equals_the_gain_on_its_codes(kind, sampler):
    # a table with a text column was refused ("must be numeric"): the gain of
    # smote_nc could not be measured on the data it is made for
    x, codes, y = _data()
    text = np.array(["a", "b", "c"])[codes]
    table = _table(kind, x, text)
    twin = pd.DataFrame({"x": x, "c": codes})
    if sampler:
        aug_t, aug_n = SMOTENC(categorical_features=["c"]), SMOTENC(categorical_features=["c"])
    else:
        aug_t = partial(smote_nc, categorical_features=["c"])
        aug_n = partial(smote_nc, categorical_features=["c"])
    got = augmentation_gain(_model("c"), table, y, aug_t, n_repeats=2, rng=0)
    want = augmentation_gain(_model("c"), twin, y, aug_n, n_repeats=2, rng=0)
    np.testing.assert_allclose(got.gain, want.gain)
    np.testing.assert_allclose([got.ci_low, got.ci_high], [want.ci_low, want.ci_high])


@pytest.mark.parametrize(
    ("y", "match"),
    [
        (np.zeros(5, int), r"'y' parameter of augmentation_gain"),
        (None, r"'y' parameter of augmentation_gain"),
    ],
)
def test_a_text_table_still_has_its_labels_checked(y, match):
    x, codes, _ = _data()
    table = pd.DataFrame({"x": x, "c": np.array(["a", "b", "c"])[codes]})
    with pytest.raises(InvalidParameterError, match=match):
        augmentation_gain(_model("c"), table, y, partial(smote_nc, categorical_features=["c"]),
                          rng=0)
