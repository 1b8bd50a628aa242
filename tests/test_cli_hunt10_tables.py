"""Round-10 hunt: the table reader on odd but valid files, compared with pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle._io import read_table
from mllifecycle.cli import main

# cells pandas reads as text although float() reads them as numbers
_OTHER_DIGITS = [
    "\uff11\uff12",  # full-width 12
    "\u0661\u0662",  # Arabic-Indic 12
    "\uff11.\uff15",  # full-width 1.5
    "\u0967\u0968",  # Devanagari 12
]


@pytest.mark.parametrize("cell", _OTHER_DIGITS)
def test_other_digits_are_text_as_pandas_reads_them(tmp_path, cell):
    # float("\uff11\uff12") is 12.0: the column silently became numbers
    path = tmp_path / "t.csv"
    path.write_text(f"a,b\n{cell},1\n3,2\n", encoding="utf-8")
    got = read_table(str(path))["a"]
    want = pd.read_csv(path, dtype=None)["a"]
    assert not pd.api.types.is_numeric_dtype(want)  # the reference: text
    assert got.dtype == object
    assert got.tolist() == want.tolist()


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_other_digits_as_text_in_json_and_csv(tmp_path, suffix):
    path = tmp_path / f"t{suffix}"
    frame = pd.DataFrame({"a": ["\uff11\uff12", "3"], "b": [1.0, 2.0]})
    if suffix == ".json":
        frame.to_json(path, orient="records", force_ascii=False)
    else:
        frame.to_csv(path, index=False)
    got = read_table(str(path))
    assert got["a"].tolist() == ["\uff11\uff12", "3"]
    np.testing.assert_array_equal(got["b"], [1.0, 2.0])


@pytest.mark.parametrize(
    "cells",
    [
        ["12", " 7 ", "+3", ".5", "5.", "1e3", "inf", "-Infinity", "NaN", ""],
        ["\u22121.5", "2", "3"],  # a typeset minus stays a minus
    ],
)
def test_ascii_numbers_still_read_as_numbers(tmp_path, cells):
    path = tmp_path / "t.csv"
    path.write_text("a\n" + "".join(f'"{c}"\n' for c in cells), encoding="utf-8")
    got = read_table(str(path))["a"]
    assert got.dtype == np.float64
    want = [float(c.replace("\u2212", "-")) if c else np.nan for c in cells]
    np.testing.assert_array_equal(got, want)


def test_drift_refuses_numbers_in_other_digits(tmp_path, capsys):
    # read as text, both files' full-width numbers were compared as
    # categories: a clear shift was "no drift" (or drift on spelling)
    rng = np.random.default_rng(0)
    table = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
    paths = []
    for name, shift in (("ref.csv", 0), ("cur.csv", 5)):
        values = rng.integers(0, 20, 200) + shift
        path = tmp_path / name
        path.write_text(
            "x\n" + "".join(f"{v}\n".translate(table) for v in values), encoding="utf-8"
        )
        paths.append(str(path))
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert "digits other than 0-9" in err
    assert "'x'" in err
    assert "Traceback" not in err


# -- a one-column frame with a missing value, as pandas writes it ("") --------


def test_quoted_empty_line_is_a_missing_value_as_pandas_reads_it(tmp_path):
    # pandas writes a missing value of a one-column frame as a line "": the
    # reader skipped it as a blank line, one row fewer than pandas reads
    frame = pd.DataFrame({"a": [1.0, np.nan, 2.0, 3.0]})
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    assert '\n""\n' in path.read_text()
    got = read_table(str(path))["a"]
    np.testing.assert_array_equal(got, pd.read_csv(path)["a"].to_numpy())


def test_blank_lines_are_still_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a\n1\n\n2\n   \n3\n")
    np.testing.assert_array_equal(read_table(str(path))["a"], [1.0, 2.0, 3.0])


def test_drift_one_column_with_a_missing_value_as_two_columns(tmp_path, capsys):
    # --nan-policy raise (the default) answered on one row fewer for a frame
    # of one column, and refused the same column in a frame of two
    rng = np.random.default_rng(1)
    statuses = {}
    for cols in (["a"], ["a", "b"]):
        paths = []
        for name in ("ref", "cur"):
            frame = pd.DataFrame({c: rng.normal(0.0, 1.0, 100) for c in cols})
            frame.iloc[5, 0] = np.nan
            path = tmp_path / f"{name}{len(cols)}.csv"
            frame.to_csv(path, index=False)
            paths.append(str(path))
        statuses[len(cols)] = main(["drift", *paths])
        err = capsys.readouterr().err
        assert "--nan-policy omit" in err
        omit = main(["drift", "--json", "--nan-policy", "omit", *paths])
        assert omit in (0, 1)
        assert '"n_reference": 99' in capsys.readouterr().out
    assert statuses == {1: 2, 2: 2}


# -- very long lines ------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";"])
def test_a_cell_longer_than_the_csv_module_limit_is_read(tmp_path, sep):
    # refused as "malformed CSV (field larger than field limit (131072))"
    import csv

    long = "x" * 200_000
    path = tmp_path / "t.csv"
    path.write_text(f"a{sep}b\n1{sep}{long}\n2{sep}y\n")
    limit = csv.field_size_limit()
    got = read_table(str(path))
    want = pd.read_csv(path, sep=sep)
    np.testing.assert_array_equal(got["a"], want["a"].to_numpy(dtype=float))
    assert got["b"].tolist() == want["b"].tolist()
    assert csv.field_size_limit() == limit  # the process's limit is left as it was


# -- a delimiter at the end of the data lines (not of the header) ---------------


def test_trailing_delimiter_on_data_lines_is_named_not_a_decimal_comma(tmp_path, capsys):
    # the hint said "numbers with a decimal comma ('1,2')?" for "1,2," under "a,b"
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2,\n3,4,\n")
    with pytest.raises(ValueError, match="line 2 has 3 field") as info:
        read_table(str(path))
    assert "ends with a comma" in str(info.value)
    assert "decimal comma" not in str(info.value)
    assert main(["drift", str(path), str(path)]) == 2
    assert "ends with a comma" in capsys.readouterr().err
