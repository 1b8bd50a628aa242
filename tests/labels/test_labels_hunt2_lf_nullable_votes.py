"""apply: votes of a vectorised function returned as a nullable integer Series stay ints."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import ABSTAIN, LabelModel, apply, labeling_function

pd = pytest.importorskip("pandas")

DF = pd.DataFrame({"a": [1, -1, 2, 3, 0, -2]})


@labeling_function(vectorized=True)
def positive(X):
    return pd.Series(np.where(X.a > 0, 1, pd.NA), dtype="Int64")


@labeling_function(vectorized=True)
def small(X):
    return pd.Series(np.where(X.a < 1, 0, 1), dtype="UInt8")


def test_nullable_integer_votes_give_integer_classes_like_plain_ints():
    # the Int64 Series went through floats: classes [0.0, 1.0], and predict
    # returned objects (None for unlabelled) instead of ints with ABSTAIN
    L = apply([positive, small], DF)
    plain = apply([lambda r: 1 if r.a > 0 else ABSTAIN, lambda r: 0 if r.a < 1 else 1], DF)
    assert L.classes.dtype.kind == "i"
    assert L.classes.tolist() == plain.classes.tolist() == [0, 1]
    assert L.values.tolist() == plain.values.tolist()
    pred = LabelModel(method="majority_vote", rng=0).fit(L).predict(L)
    assert pred.dtype == np.int64
    assert pred.tolist() == [1, 0, 1, 1, 0, 0]


def test_large_nullable_integer_votes_stay_distinct():
    # must not go through float64 (2**60 + 1 would become 2**60, merging two classes)
    @labeling_function(vectorized=True)
    def big(X):
        return pd.Series([2**60 + 1, pd.NA, 2**60, pd.NA, pd.NA, pd.NA], dtype="Int64")

    L = apply([big], DF)
    assert L.classes.tolist() == [2**60, 2**60 + 1]
    assert L.values[:, 0].tolist() == [1, -1, 0, -1, -1, -1]


def test_reordered_nullable_series_is_still_realigned():
    @labeling_function(vectorized=True)
    def reordered(X):
        return pd.Series(np.where(X.a > 0, 1, pd.NA), dtype="Int64", index=X.index)[::-1]

    frame = DF.set_index(pd.Index([5, 4, 3, 2, 1, 0]))
    assert apply([reordered], frame).values[:, 0].tolist() == [0, -1, 0, 0, -1, -1]
