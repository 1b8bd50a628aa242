"""A Parquet file's booleans and integers give the answer the same CSV gives."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mllifecycle.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _csv(path, name, values):
    path.write_text(name + "\n" + "\n".join(values) + "\n")
    return str(path)


def _parquet(path, name, values):
    pq.write_table(pa.table({name: pa.array(values)}), path)
    return str(path)


@pytest.fixture
def flags():
    rng = np.random.default_rng(5)
    y = rng.random(80) < 0.5
    flip = lambda share: np.where(rng.random(80) < share, y, ~y)  # noqa: E731
    return y, flip(0.85), flip(0.7)


def _gate(capsys, y_true, challenger, champion):
    code = main(["gate", "--y-true", y_true, "--challenger", challenger, "--champion", champion,
                 "--threshold", "0.5", "--n-resamples", "200", "--json"])
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    return code, [r["evidence"] for r in json.loads(out.out)["results"]]


@pytest.mark.parametrize("parquet", ["y_true", "challenger", "both"])
def test_parquet_booleans_are_the_labels_true_false_of_a_csv(tmp_path, capsys, flags, parquet):
    # a Parquet boolean column was read as the labels 'True'/'False', refused
    # beside the same labels in a CSV ('true'/'false'): exit 2
    y, b, a = flags
    text = lambda v: ["true" if x else "false" for x in v]  # noqa: E731
    csv = {k: _csv(tmp_path / f"{k}.csv", "v", text(v))
           for k, v in (("y", y), ("b", b), ("a", a))}
    par = {k: _parquet(tmp_path / f"{k}.parquet", "v", v.tolist()) for k, v in (("y", y), ("b", b))}
    expected = _gate(capsys, csv["y"], csv["b"], csv["a"])
    y_file = par["y"] if parquet in ("y_true", "both") else csv["y"]
    b_file = par["b"] if parquet in ("challenger", "both") else csv["b"]
    assert _gate(capsys, y_file, b_file, csv["a"]) == expected
    assert expected[1][0]["value"] == pytest.approx(float(np.mean(y == b)))


def test_parquet_boolean_with_a_null_is_refused_as_missing(tmp_path, capsys, flags):
    y, b, _ = flags
    values = [bool(v) for v in y]
    values[3] = None
    y_file = _parquet(tmp_path / "y.parquet", "v", values)
    b_file = _parquet(tmp_path / "b.parquet", "v", b.tolist())
    assert main(["gate", "--y-true", y_file, "--challenger", b_file, "--threshold", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "y_true" in err
    assert "missing value" in err


def test_plan_reads_parquet_integer_sizes_as_a_csv(tmp_path, capsys):
    # int64 sizes from a Parquet file were refused: "column 'n' is not numeric"
    rng = np.random.default_rng(4)
    sizes = [50, 100, 200, 400, 800, 1600]
    folds = {f"fold{k}": [0.92 - 1.5 * n**-0.5 + rng.normal(0, 0.005) for n in sizes]
             for k in range(2)}
    csv = tmp_path / "c.csv"
    csv.write_text("n,fold0,fold1\n" + "".join(
        f"{n},{f0!r},{f1!r}\n" for n, f0, f1 in zip(sizes, *folds.values(), strict=True)))
    par = tmp_path / "c.parquet"
    pq.write_table(pa.table({"n": pa.array(sizes, pa.int64()), **folds}), par)
    outs = []
    for path in (csv, par):
        assert main(["plan", str(path), "--target", "0.88", "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1]
