"""time_fits fits a table as a table (as learning_curve does)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mllifecycle.budget import time_fits

pd = pytest.importorskip("pandas")


def _table():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"a": rng.normal(size=600), "c": rng.choice(["x", "y", "z"], 600)},
        index=rng.permutation(600) * 7,  # unsorted, not 0..n-1
    )
    y = pd.Series((df["a"] > 0).astype(int).to_numpy(), index=df.index)
    return df, y


def test_a_pipeline_selecting_columns_by_name_is_timed():
    df, y = _table()
    pipe = make_pipeline(
        ColumnTransformer([("n", StandardScaler(), ["a"]), ("o", OneHotEncoder(), ["c"])]),
        LogisticRegression(),
    )
    # the table was turned into an object array: "Specifying the columns using
    # strings is only supported for dataframes"
    model = time_fits(pipe, df, y, [100, 200, 400], rng=0)
    assert model.seconds.size == 3
    assert np.all(model.n_features == 2)


class _Recorder(ClassifierMixin, BaseEstimator):
    seen: ClassVar[list] = []

    def fit(self, X, y):
        type(self).seen.append((type(X).__name__, list(X.index), list(y.index)))
        return self


def test_rows_and_labels_stay_paired_on_a_shuffled_index():
    df, y = _table()
    _Recorder.seen = []
    time_fits(_Recorder(), df, y, [10, 20, 40], repeats=1, rng=0)
    assert [kind for kind, _, _ in _Recorder.seen] == ["DataFrame"] * 3
    for _, x_index, y_index in _Recorder.seen:
        assert x_index == y_index
