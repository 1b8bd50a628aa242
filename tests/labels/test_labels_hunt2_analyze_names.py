"""analyze: a label matrix given as a table keeps its column names as function names."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import analyze

pd = pytest.importorskip("pandas")

L = np.array([[1, -1], [1, 1], [0, 1], [-1, -1]])


def test_table_columns_name_the_functions():
    # they were reported as lf_0, lf_1, so to_metrics keyed "a"'s numbers
    # under "lf_0" (and a table in another column order mixed them up)
    res = analyze(pd.DataFrame(L, columns=["a", "b"]), [1, 1, 0, 0])
    assert res.names == ("a", "b")
    metrics = res.to_metrics()
    assert metrics["a.coverage"] == 0.75
    assert metrics["b.coverage"] == 0.5
    assert metrics["a.accuracy"] == 1.0
    assert metrics["b.accuracy"] == 0.5
    swapped = analyze(pd.DataFrame(L[:, ::-1], columns=["b", "a"]), [1, 1, 0, 0]).to_metrics()
    assert all(swapped[k] == v for k, v in metrics.items())


def test_non_text_column_names_are_shown_as_text_and_arrays_keep_defaults():
    assert analyze(pd.DataFrame(L, columns=[3, 4])).names == ("3", "4")
    assert analyze(L).names == ("lf_0", "lf_1")
