"""Crowd aggregation: a polars Enum or Arrow dictionary label column declares the classes."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import AGGREGATION_METHODS, aggregate

pd = pytest.importorskip("pandas")

BASE = pd.DataFrame({
    "task": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
    "worker": ["a", "b", "c"] * 4,
    "label": ["x", "x", "y", "y", "y", "x", "z", "z", "z", "x", "x", "x"],
})
DECLARED = ["z", "y", "x", "w"]  # "w" never answered; classes sorted (the package rule)


def _reference(method):
    cat = BASE.assign(label=pd.Categorical(BASE["label"], categories=DECLARED))
    return aggregate(cat, method, rng=0)


@pytest.mark.parametrize("method", AGGREGATION_METHODS)
def test_polars_enum_label_column_is_read_as_the_pandas_categorical(method):
    pl = pytest.importorskip("polars")
    table = pl.from_pandas(BASE).with_columns(pl.col("label").cast(pl.Enum(DECLARED)))
    res, ref = aggregate(table, method, rng=0), _reference(method)
    # the classes were the sorted answers ["x", "y", "z"]: no column for "w"
    assert res.classes.tolist() == sorted(DECLARED)
    np.testing.assert_allclose(res.proba, ref.proba)
    assert res.labels.tolist() == ref.labels.tolist()


@pytest.mark.parametrize("method", ["majority_vote", "dawid_skene"])
def test_arrow_dictionary_label_column_keeps_its_dictionary(method):
    pa = pytest.importorskip("pyarrow")
    cat = BASE.assign(label=pd.Categorical(BASE["label"], categories=DECLARED))
    res, ref = aggregate(pa.Table.from_pandas(cat), method, rng=0), _reference(method)
    assert res.classes.tolist() == sorted(DECLARED)
    np.testing.assert_allclose(res.proba, ref.proba)


def test_mapping_of_polars_columns_and_plain_columns():
    pl = pytest.importorskip("polars")
    cols = {k: pl.Series(k, BASE[k].tolist()) for k in BASE}
    assert aggregate(cols, "majority_vote").classes.tolist() == ["x", "y", "z"]
    cols["label"] = cols["label"].cast(pl.Enum(DECLARED))
    assert aggregate(cols, "majority_vote").classes.tolist() == sorted(DECLARED)
    # a polars Categorical (no declared set) and plain text stay sorted answers
    table = pl.from_pandas(BASE).with_columns(pl.col("label").cast(pl.Categorical))
    assert aggregate(table, "majority_vote").classes.tolist() == ["x", "y", "z"]
