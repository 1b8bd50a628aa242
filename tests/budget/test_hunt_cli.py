"""Hunt: ``mllifecycle plan`` on curve files whose size column is not spelled 'size'."""

from __future__ import annotations

import json
import re

import pytest

from mllifecycle.cli import main

ROWS = [(100, 0.7, 0.71), (200, 0.78, 0.77), (400, 0.82, 0.83), (800, 0.85, 0.84),
        (1600, 0.86, 0.87)]


def _write(tmp_path, header, size_last=False):
    lines = [header]
    for n, a, b in ROWS:
        lines.append(f"{a},{b},{n}" if size_last else f"{n},{a},{b}")
    path = tmp_path / "curve.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.mark.parametrize(
    ("header", "size_last"),
    [
        # 'Size' (or 'SIZE ', ' size') was not the 'size' column: the first column,
        # a fold's scores, was read as the sizes: "reachable with 1 row"
        ("f1,f2,Size", True),
        ("f1,f2,SIZE ", True),
        ("f1,f2, size", True),
        ("size,f1,f2", False),
        ("Size,f1,f2", False),
    ],
)
def test_the_size_column_is_found_whatever_its_case(tmp_path, capsys, header, size_last):
    path = _write(tmp_path, header, size_last)
    assert main(["plan", path, "--target", "0.85", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["curve"]["sizes"] == [100.0, 200.0, 400.0, 800.0, 1600.0]
    assert out["samples"]["n_available"] == 1600


def test_sizes_that_are_not_row_counts_are_refused(tmp_path, capsys):
    # a size column that holds scores (named so by mistake) is refused
    path = _write(tmp_path, "f1,f2,rows", size_last=True)
    assert main(["plan", path, "--target", "0.85", "--size-column", "f1"]) == 2
    err = capsys.readouterr().err
    assert re.search(
        r"column 'f1' \(the training sizes\) must hold "
        r"whole row counts of at least 1; got 0\.7", err), err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("direction", "status"), [("auto", 0), ("higher", 1), ("lower", 0)])
def test_the_direction_of_the_metric_can_be_given(tmp_path, capsys, direction, status):
    # a flat accuracy that dips by noise was read as an error curve: 0.85 "reached"
    path = tmp_path / "curve.csv"
    path.write_text("size,acc\n100,0.80\n200,0.79\n400,0.795\n800,0.785\n1600,0.79\n")
    assert main(["plan", str(path), "--target", "0.85", "--direction", direction,
                 "--json"]) == status
    out = json.loads(capsys.readouterr().out)
    assert out["curve"]["higher_is_better"] is (direction == "higher")
