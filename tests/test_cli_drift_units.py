"""``mllifecycle drift`` refuses numbers written with a unit or sign (read as text)."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.cli import main


def _files(tmp_path, fmt, shift=2.0, n=80):
    rng = np.random.default_rng(1)
    a, b = rng.normal(10, 2, n), rng.normal(10 + shift, 2, n)
    paths = []
    for name, values in (("ref.csv", a), ("cur.csv", b)):
        path = tmp_path / name
        path.write_text("x,k\n" + "".join(f"{fmt(v)},{i}\n" for i, v in enumerate(values)))
        paths.append(str(path))
    return paths


def _accounting(v):
    return f"({-v:.2f})" if v < 0 else f"{v:.2f}"


@pytest.mark.parametrize(
    ("fmt", "cell"),
    [
        (lambda v: f"{v:.2f}%", "%"),  # read as text: chi_square said "no drift" (p=0.6)
        (lambda v: f"${v:.2f}", "$"),
        (lambda v: f"{v:.2f} \u20ac", "\u20ac"),
        (lambda v: _accounting(v - 11), "("),  # an accountant's negatives
        (lambda v: f"{abs(v - 11):.2f}-" if v < 11 else f"{v - 11:.2f}", "-"),  # trailing minus
    ],
)
def test_numbers_with_a_unit_are_refused(tmp_path, capsys, fmt, cell):
    ref, cur = _files(tmp_path, fmt)
    assert main(["drift", ref, cur]) == 2
    err = capsys.readouterr().err
    assert f"{ref}: column 'x' holds numbers with a unit or sign written around them (" in err
    assert cell in err.split("(", 1)[1]
    assert "read as text; write them as plain numbers" in err
    assert len(err.strip().splitlines()) == 1


def test_percent_column_was_no_drift_and_plain_numbers_drift(tmp_path, capsys):
    # the same numbers without the unit: KS finds the 1-sd shift
    ref, cur = _files(tmp_path, lambda v: f"{v:.2f}")
    assert main(["drift", ref, cur]) == 1
    capsys.readouterr()


def test_units_with_a_missing_marker_are_refused_for_the_units(tmp_path, capsys):
    ref = tmp_path / "ref.csv"
    cur = tmp_path / "cur.csv"
    ref.write_text("x\n12.5%\n?\n3%\n4\n")
    cur.write_text("x\n2.5%\n3%\n4%\n5%\n")
    assert main(["drift", str(ref), str(cur)]) == 2
    assert "column 'x' holds numbers with a unit or sign written around them ('12.5%')" in (
        capsys.readouterr().err)


@pytest.mark.parametrize("cells", [["5kg", "3kg"], ["A1", "5%"], ["(a)", "(b)"], ["1-2", "3-4"]])
def test_text_that_is_not_a_number_with_a_unit_is_still_text(tmp_path, capsys, cells):
    ref = tmp_path / "ref.csv"
    cur = tmp_path / "cur.csv"
    ref.write_text("x\n" + "\n".join(cells * 20) + "\n")
    cur.write_text("x\n" + "\n".join(cells * 20) + "\n")
    assert main(["drift", str(ref), str(cur)]) == 0
    capsys.readouterr()


def _durations(tmp_path, fmt, n=80):
    rng = np.random.default_rng(1)
    paths = []
    for name, shift in (("ref.csv", 0.0), ("cur.csv", 40.0)):
        seconds = rng.normal(100 + shift, 20, n).round(1)
        path = tmp_path / name
        path.write_text("t\n" + "".join(fmt(s) + "\n" for s in seconds))
        paths.append(str(path))
    return paths


@pytest.mark.parametrize(
    "fmt",
    [
        lambda s: f"0 days 00:{int(s // 60):02d}:{s % 60:09.6f}",  # DataFrame.to_csv
        lambda s: f"00:{int(s // 60):02d}:{s % 60:04.1f}",
        lambda s: f"PT{s:.1f}S",
    ],
)
def test_durations_written_as_text_are_refused(tmp_path, capsys, fmt):
    # as text each duration was a category: chi_square, "no drift" (p=0.1, exit 0)
    # for a shift of 2 sd that KS on the seconds finds
    ref, cur = _durations(tmp_path, fmt)
    assert main(["drift", ref, cur]) == 2
    err = capsys.readouterr().err
    assert f"{ref}: column 't' holds durations or clock times (" in err
    assert "write them as numbers of one unit (such as seconds)" in err


@pytest.mark.parametrize("cells", [["2 days", "3 days"], ["09:00", "17:30"]])
def test_slots_that_may_be_categories_are_still_categories(tmp_path, capsys, cells):
    ref = tmp_path / "ref.csv"
    cur = tmp_path / "cur.csv"
    ref.write_text("t\n" + "\n".join(cells * 20) + "\n")
    cur.write_text("t\n" + "\n".join(cells * 20) + "\n")
    assert main(["drift", str(ref), str(cur)]) == 0
    capsys.readouterr()


def test_a_second_header_row_is_refused(tmp_path, capsys):
    # DataFrame.to_csv with MultiIndex columns writes two header rows: the second
    # made every column text, chi_square, "no drift" (p = 1, exit 0) for a 0.5 sd shift
    rng = np.random.default_rng(0)
    paths = []
    for name, shift in (("ref.csv", 0.0), ("cur.csv", 0.5)):
        path = tmp_path / name
        rows = "".join(f"{a:.6f},{b:.6f}\n" for a, b in rng.normal(shift, 1, (200, 2)))
        path.write_text("x,y\na,b\n" + rows)
        paths.append(str(path))
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert (f"{paths[0]}: the first data row's 'a' (column 'x') sits above numbers, like a "
            "second header row") in err
