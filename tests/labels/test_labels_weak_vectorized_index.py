"""A vectorised labelling function whose Series comes back in another row order.

A function that sorts (or groups) the table returns its votes under the rows'
index labels but in another order; ``apply`` read them by position, so the
votes landed on other rows (exit 0). They are now put back in the table's order.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import apply, labeling_function

pd = pytest.importorskip("pandas")


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    a = rng.normal(size=30)
    return pd.DataFrame({"a": a}, index=rng.permutation(np.arange(100, 130)))


def test_sorted_series_is_read_by_row_label(table):
    @labeling_function(vectorized=True)
    def top_third(df):
        ranked = df.sort_values("a")["a"]  # index in sorted order
        return pd.Series(np.r_[np.zeros(20, int), np.ones(10, int)], index=ranked.index)

    @labeling_function()
    def row_wise(row):
        return int(row["a"] >= np.sort(table["a"].to_numpy())[20])

    L = apply([top_third, row_wise], table)
    np.testing.assert_array_equal(L.values[:, 0], L.values[:, 1])


def test_positional_outputs_are_unchanged(table):
    # a fresh 0..n-1 index, an array, or the table's own index: read by position
    fresh = labeling_function(vectorized=True)(
        lambda df: pd.Series((df["a"].to_numpy() > 0).astype(int)))
    array = labeling_function(vectorized=True)(lambda df: (df["a"].to_numpy() > 0).astype(int))
    same = labeling_function(vectorized=True)(lambda df: (df["a"] > 0).astype(int))
    L = apply([fresh, array, same], table)
    expected = (table["a"].to_numpy() > 0).astype(int)
    for j in range(3):
        np.testing.assert_array_equal(L.values[:, j], expected)
