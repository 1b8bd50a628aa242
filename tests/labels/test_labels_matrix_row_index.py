"""A LabelMatrix keeps the row index of the pandas table it was applied to.

``analyze`` and ``LabelModel.score`` read a pandas ``y`` against those rows by
the shared rule (``mllifecycle._frames.in_row_order``): gold labels sorted
while the table was shuffled were read by position, against other rows.
"""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelMatrix, LabelModel, analyze, apply

N = 120


def _data(index: Any = None) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(3)
    a = rng.normal(size=N)
    idx = index if index is not None else [f"r{i}" for i in range(N)]
    X = pd.DataFrame({"a": a}, index=idx)
    return X, pd.Series((a > 0).astype(int), index=idx)


LFS = [lambda r: 1 if r["a"] > 0.3 else ABSTAIN,
       lambda r: 0 if r["a"] < -0.3 else ABSTAIN,
       lambda r: int(r["a"] > 0)]


def _shuffled(X: pd.DataFrame) -> pd.DataFrame:
    return X.iloc[np.random.default_rng(0).permutation(len(X))]


@pytest.mark.parametrize("index", [
    None, list(range(100, 100 + N)), list(range(N))[::-1],
    pd.date_range("2024-01-01", periods=N, freq="h"),
    pd.MultiIndex.from_arrays([np.repeat(["x", "y"], N // 2), np.tile(np.arange(N // 2), 2)]),
], ids=["str", "int", "reversed", "dates", "multi"])
def test_analyze_and_score_match_gold_by_row_label(index):
    X, y = _data(index)
    L_sorted = apply(LFS, X)
    L = apply(LFS, _shuffled(X))
    assert list(L.index) == list(_shuffled(X).index)
    # every function is right on every row it labels: read by position the
    # gold labels were those of other rows (accuracy near 0.5)
    res = analyze(L, y)
    np.testing.assert_array_equal(res.accuracy, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(res.n_correct, analyze(L_sorted, y).n_correct)
    model = LabelModel(method="majority_vote", rng=0).fit(L)
    assert model.score(L, y) == 1.0
    assert model.score(L, y) == model.score(L_sorted, y)


@pytest.mark.parametrize("make_y", [
    lambda y, L: y.to_numpy(),            # array: by position, as before
    lambda y, L: y.tolist(),              # list
    lambda y, L: y,                       # same order
])
def test_aligned_and_plain_gold_unchanged(make_y):
    X, y = _data()
    L = apply(LFS, X)
    plain = LabelMatrix(values=L.values, classes=L.classes, names=L.names)
    a, b = analyze(L, make_y(y, L)), analyze(plain, y.to_numpy())
    assert a.to_dict() == b.to_dict()
    m = LabelModel(rng=0).fit(L)
    assert m.score(L, make_y(y, L)) == m.score(plain, y.to_numpy())


def test_arrays_and_polars_keep_no_index():
    X, _ = _data()
    assert apply(LFS, X.to_dict("records")).index is None
    assert apply([lambda r: int(r[0] > 0)], X.to_numpy()).index is None
    pl = pytest.importorskip("polars")
    assert apply(LFS, pl.from_pandas(X)).index is None


def test_series_of_examples_keeps_its_index():
    s = pd.Series(["win cash", "meeting", "win"], index=["c", "a", "b"])
    L = apply([lambda t: "spam" if "win" in t else ABSTAIN], s, classes=["ham", "spam"])
    assert list(L.index) == ["c", "a", "b"]
    gold = pd.Series(["ham", "spam", "spam"], index=["a", "b", "c"])
    assert analyze(L, gold).accuracy.tolist() == [1.0]


def test_default_index_in_two_orders_is_refused_naming_y():
    X, y = _data(list(range(N)))
    L = apply(LFS, _shuffled(X))
    with pytest.raises(InvalidParameterError, match=r"'y'.*RangeIndex"):
        analyze(L, y.reset_index(drop=True))
    with pytest.raises(InvalidParameterError, match="'y'"):
        LabelModel(rng=0).fit(L).score(L, y.reset_index(drop=True))


def test_kept_through_pickle_copy_to_dict_and_recoding():
    X, y = _data()
    L = apply(LFS, _shuffled(X))
    for again in (pickle.loads(pickle.dumps(L)), copy.deepcopy(L)):
        assert again.index.equals(L.index)
        np.testing.assert_array_equal(again.values, L.values)
    d = L.to_dict()
    assert d["index"] == list(L.index)
    assert json.dumps(d)
    assert apply(LFS, X.to_dict("records")).to_dict()["index"] is None
    assert repr(L).startswith("LabelMatrix(n_samples=120, n_lfs=3")
    # compared by value: a round trip is equal, another row order is not
    assert pickle.loads(pickle.dumps(L)) == L
    assert apply(LFS, X) != L
    # a batch of string classes in another order is re-coded with its index kept
    text = [lambda r: "pos" if r["a"] > 0.3 else ABSTAIN,
            lambda r: "neg" if r["a"] < -0.3 else ABSTAIN,
            lambda r: "pos" if r["a"] > 0 else "neg"]
    gold = y.map({0: "neg", 1: "pos"})
    model = LabelModel(method="majority_vote", rng=0).fit(apply(text, X))
    batch = apply(text, _shuffled(X), classes=["pos", "neg"])
    assert model.score(batch, gold) == 1.0
