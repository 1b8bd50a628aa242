"""The commands' table reader refuses nested Parquet columns with a clear message."""

from __future__ import annotations

import pytest

from mllifecycle.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.mark.parametrize(
    ("values", "kind"),
    [([[1, 2], [3], [1, 2]] * 20, "list<"), ([{"a": 1}, {"a": 2}, {"a": 1}] * 20, "struct<")],
)
def test_a_nested_parquet_column_is_refused_naming_it(tmp_path, capsys, values, kind):
    # a list column failed with NumPy's "The truth value of an array with more
    # than one element is ambiguous"; a struct column's dicts were compared as
    # categories (exit 0)
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"nested": pa.array(values), "x": list(range(60))}), path)
    assert main(["drift", str(path), str(path)]) == 2
    err = capsys.readouterr().err
    assert f"column 'nested' holds nested values ({kind}" in err
    assert "truth value" not in err


def test_flat_parquet_columns_are_still_read(tmp_path, capsys):
    path = tmp_path / "t.parquet"
    table = pa.table({"b": pa.array([b"ab", b"cd"] * 30),
                      "c": pa.array(["x", "y", "z"] * 20).dictionary_encode(),
                      "x": list(range(60))})
    pq.write_table(table, path)
    assert main(["drift", str(path), str(path)]) == 0
    assert "nested" not in capsys.readouterr().err
