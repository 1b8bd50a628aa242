"""Wrong answers found by a bug hunt: odd files as CI jobs feed the command line."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import zipfile

import numpy as np
import pytest

from mllifecycle._io import data_lines, read_table
from mllifecycle.cli import main


def _numbers(seed, shift, n=300):
    return np.random.default_rng(seed).normal(shift, 1.0, n).round(4)


def _column_text(values, name="x"):
    return name + "\n" + "".join(f"{v}\n" for v in values)


def _drift_json(capsys, *args):
    status = main(["drift", "--json", *args])
    out = capsys.readouterr().out
    return status, json.loads(out) if status in (0, 1) else None


def _p_values(report):
    return {f["name"]: (f["test"], f["p_value"]) for f in report["features"]}


# -- a header repeated mid-file (cat a.csv b.csv) ---------------------------


def test_drift_refuses_a_header_repeated_mid_file(tmp_path, capsys):
    # the second file's header became a cell of data: the column of numbers
    # was text, compared as categories, "no drift" with exit 0 for a clear shift
    ref, cur = _numbers(0, 0.0), _numbers(1, 1.0)
    paths = []
    for name, v in (("ref.csv", ref), ("cur.csv", cur)):
        path = tmp_path / name
        path.write_text(_column_text(v[:150]) + _column_text(v[150:]))
        paths.append(str(path))
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert "line 152 repeats the header row 'x'" in err
    assert "reference file" in err
    assert len(err.strip().splitlines()) == 1


def test_a_repeated_header_of_several_columns_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n2,y\na,b\n3,z\n")
    with pytest.raises(ValueError, match=r"line 4 repeats the header row 'a,b'"):
        read_table(str(path))


def test_a_repeated_header_with_its_byte_order_mark_is_refused(tmp_path):
    # two UTF-8 files with a BOM joined: the second header began with U+FEFF
    # and was not even equal to the first
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfx\n1\n2\n" + b"\xef\xbb\xbfx\n3\n4\n")
    with pytest.raises(ValueError, match=r"line 4 repeats the header row 'x'"):
        read_table(str(path))


def test_gate_refuses_numeric_labels_with_a_repeated_header(tmp_path, capsys):
    # with --header the repeated "y" was a label of every file, a correct
    # prediction counted in the accuracy (n=201 for 200 examples)
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    files = {}
    for name, v in (("y", y), ("b", np.where(rng.random(200) < 0.8, y, 1 - y))):
        path = tmp_path / f"{name}.csv"
        path.write_text(_column_text(v[:100], "y") + _column_text(v[100:], "y"))
        files[name] = str(path)
    args = ["gate", "--y-true", files["y"], "--challenger", files["b"], "--threshold", "0.5"]
    assert main([*args, "--header"]) == 2
    assert "repeats the header row 'y'" in capsys.readouterr().err
    assert main(args) == 2
    assert "repeats the header row 'y'" in capsys.readouterr().err


def test_rows_equal_to_a_header_that_is_data_are_kept(tmp_path):
    # probability columns headed by their classes hold 0,1 rows; a single
    # column of text labels may hold its own name as a label
    path = tmp_path / "p.csv"
    path.write_text("0,1\n0.2,0.8\n0,1\n")
    assert read_table(str(path))["1"].tolist() == [0.8, 1.0]
    path.write_text("label\ncat\nlabel\ndog\n")
    assert read_table(str(path))["label"].tolist() == ["cat", "label", "dog"]


# -- encodings --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_drift_reads_utf16_without_a_byte_order_mark(tmp_path, capsys, encoding):
    # decoded as UTF-8, every other byte was a NUL character: no cell was a
    # number and a shift of 1 sd was "no drift" (chi_square, exit 0)
    ref, cur = _numbers(0, 0.0), _numbers(1, 1.0)
    plain = []
    for name, v in (("ref", ref), ("cur", cur)):
        path = tmp_path / f"{name}.csv"
        path.write_text(_column_text(v))
        (tmp_path / f"{name}16.csv").write_bytes(_column_text(v).encode(encoding))
        plain.append(str(path))
    status, report = _drift_json(capsys, *plain)
    status16, report16 = _drift_json(
        capsys, str(tmp_path / "ref16.csv"), str(tmp_path / "cur16.csv")
    )
    assert status == status16 == 1
    assert _p_values(report16) == _p_values(report)
    assert _p_values(report16)["x"][0] == "ks"


def test_utf16_without_a_byte_order_mark_keeps_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("city;n\nZürich;1\nGenève;2\n".encode("utf-16-le"))
    table = read_table(str(path))
    assert table["city"].tolist() == ["Zürich", "Genève"]
    assert table["n"].tolist() == [1.0, 2.0]


def test_a_nul_character_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\n3,\x004\n")
    with pytest.raises(ValueError, match=r"line 3 holds a NUL character"):
        read_table(str(path))


def test_utf32_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\n1,x\n".encode("utf-32"))
    assert {k: v.tolist() for k, v in read_table(str(path)).items()} == {"a": [1.0], "b": ["x"]}


# -- compressed files -------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)],
)
def test_compressed_files_are_read(tmp_path, capsys, suffix, compress):
    # a .csv.gz was refused as "not UTF-8 text (invalid start byte at byte 1)"
    ref, cur = _numbers(0, 0.0), _numbers(1, 0.3)
    paths = []
    for name, v in (("ref", ref), ("cur", cur)):
        (tmp_path / f"{name}.csv").write_text(_column_text(v))
        (tmp_path / f"{name}.csv{suffix}").write_bytes(compress(_column_text(v).encode()))
        paths.append(str(tmp_path / f"{name}.csv"))
    status, report = _drift_json(capsys, *paths)
    zipped = [p + suffix for p in paths]
    assert _drift_json(capsys, *zipped) == (status, report)


def test_compressed_json_and_tsv_keep_their_format(tmp_path):
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a": 1, "b": "x,y"}\n{"a": 2, "b": "z"}\n'))
    assert read_table(str(path))["b"].tolist() == ["x,y", "z"]
    path = tmp_path / "t.tsv.gz"
    path.write_bytes(gzip.compress(b"a\n1,5\n"))  # .tsv: tab-separated, one column
    assert list(read_table(str(path))) == ["a"]


def test_archives_and_broken_compression_are_named(tmp_path):
    path = tmp_path / "t.csv.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("t.csv", "a\n1\n")
    with pytest.raises(ValueError, match="a zip archive; expected a CSV"):
        read_table(str(path))
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"a\n1\n2\n")[:15])
    with pytest.raises(ValueError, match="not a readable gzip file"):
        read_table(str(path))


# -- numbers and delimiters -------------------------------------------------


def test_drift_reads_a_unicode_minus_sign_as_minus(tmp_path, capsys):
    # "\u22121.5" was text: numbers compared as categories (chi_square)
    ref, cur = _numbers(0, 0.0), _numbers(1, 0.7)
    paths, minus = [], []
    for name, v in (("ref", ref), ("cur", cur)):
        text = _column_text(v)
        (tmp_path / f"{name}.csv").write_text(text)
        (tmp_path / f"{name}_minus.csv").write_text(text.replace("-", "\u2212"))
        paths.append(str(tmp_path / f"{name}.csv"))
        minus.append(str(tmp_path / f"{name}_minus.csv"))
    assert _drift_json(capsys, *minus) == _drift_json(capsys, *paths)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n\u22129007199254740993,\u2212x\n5,y\n")
    table = read_table(str(path))
    assert table["a"].tolist() == [-9007199254740993, 5]  # exact, as with "-"
    assert table["b"].tolist() == ["\u2212x", "y"]  # text as written


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_very_long_lines_keep_their_delimiter(tmp_path, sep):
    # the detection sample cut the last line short: no delimiter split every
    # line alike, and the file was refused as one column
    rng = np.random.default_rng(0)
    lines = [sep.join(f"c{j}" for j in range(3000))]
    lines += [sep.join(f"{v:.6f}" for v in rng.normal(size=3000)) for _ in range(10)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    table = read_table(str(path))
    assert len(table) == 3000
    assert table["c0"].dtype == np.float64


def test_excel_sep_line_names_the_delimiter(tmp_path):
    # Excel's "sep=;" first line was taken for the header
    path = tmp_path / "t.csv"
    path.write_bytes(b"sep=;\r\na;b\r\n1,5;x\r\n2,5;y\r\n")
    table = read_table(str(path))
    assert table["a"].tolist() == [1.5, 2.5]
    assert table["b"].tolist() == ["x", "y"]
    assert data_lines(table) == (3, 4)
    path.write_text("sep=;\na;b\n1;2;3\n")
    with pytest.raises(ValueError, match=r"line 3 has 3 field\(s\); the header has 2"):
        read_table(str(path))


def test_drift_no_header_semicolon_file_with_decimal_commas(tmp_path, capsys):
    # "5,13;2,87" on every line split on commas into "5", "13;2" and "87":
    # integer parts were tested with KS and "13;2" as categories
    rng = np.random.default_rng(0)
    paths, dotted = [], []
    for name, shift in (("ref", 0.0), ("cur", 0.5)):
        a, b = rng.normal(5 + shift, 1, 200), rng.normal(3, 1, 200)
        rows = [f"{x:.2f};{y:.2f}" for x, y in zip(a, b, strict=True)]
        (tmp_path / f"{name}.csv").write_text("".join(r.replace(".", ",") + "\n" for r in rows))
        (tmp_path / f"{name}_dot.csv").write_text("".join(r + "\n" for r in rows))
        paths.append(str(tmp_path / f"{name}.csv"))
        dotted.append(str(tmp_path / f"{name}_dot.csv"))
    status, report = _drift_json(capsys, "--no-header", *paths)
    assert (status, report) == _drift_json(capsys, "--no-header", *dotted)
    assert set(_p_values(report)) == {"0", "1"}
    # a comma file with a semicolon inside a text cell stays comma-separated
    path = tmp_path / "c.csv"
    path.write_text("1,x;y,2\n3,z;w,4\n")
    assert read_table(str(path), header=False)["1"].tolist() == ["x;y", "z;w"]


def test_a_trailing_delimiter_is_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,\n1,2,\n")
    with pytest.raises(ValueError, match="header row ends with a comma"):
        read_table(str(path))


# -- Parquet decimals -------------------------------------------------------


def test_drift_reads_parquet_decimals_as_numbers(tmp_path, capsys):
    # Decimal objects were "text": refused against the same numbers in a CSV
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import decimal

    ref, cur = _numbers(0, 0.0), _numbers(1, 0.3)
    dec = tmp_path / "ref.parquet"
    pq.write_table(
        pa.table({"x": pa.array([decimal.Decimal(str(v)) for v in ref], pa.decimal128(12, 4))}),
        str(dec),
    )
    (tmp_path / "ref.csv").write_text(_column_text(ref))
    (tmp_path / "cur.csv").write_text(_column_text(cur))
    expected = _drift_json(capsys, str(tmp_path / "ref.csv"), str(tmp_path / "cur.csv"))
    assert _drift_json(capsys, str(dec), str(tmp_path / "cur.csv")) == expected
    big = tmp_path / "big.parquet"
    values = [decimal.Decimal(2**53 + 1), None, decimal.Decimal("1E+2")]
    pq.write_table(pa.table({"id": pa.array(values, pa.decimal128(38, 0))}), str(big))
    assert read_table(str(big))["id"].tolist() == [2**53 + 1, None, 100]


def test_gate_reads_parquet_decimal_probabilities(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import decimal

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 100)
    p = np.clip(y * 0.6 + rng.random(100) * 0.4, 0, 1).round(3)
    (tmp_path / "y.csv").write_text(_column_text(y, "y"))
    (tmp_path / "p.csv").write_text(_column_text(p, "p"))
    pq.write_table(
        pa.table({"p": pa.array([decimal.Decimal(str(v)) for v in p], pa.decimal128(5, 3))}),
        str(tmp_path / "p.parquet"),
    )
    args = ["gate", "--json", "--metric", "roc_auc", "--threshold", "0.5",
            "--y-true", str(tmp_path / "y.csv"), "--challenger"]
    assert main([*args, str(tmp_path / "p.csv")]) == 0
    expected = capsys.readouterr().out
    assert main([*args, str(tmp_path / "p.parquet")]) == 0
    assert capsys.readouterr().out == expected


def test_drift_reads_a_large_integer_among_decimals_as_numbers(tmp_path, capsys):
    # one integer beyond 2**53 made a column of decimals text, kept "as
    # written" for exact ids: a 1-sd shift was compared as categories,
    # "no drift" with exit 0
    paths = []
    for name, shift in (("ref", 0.0), ("cur", 1.0)):
        v = _numbers(0 if name == "ref" else 1, shift)
        path = tmp_path / f"{name}.csv"
        path.write_text(_column_text(v) + "90071992547409930\n")
        paths.append(str(path))
    status, report = _drift_json(capsys, *paths)
    assert status == 1
    assert _p_values(report)["x"][0] == "ks"


def test_an_unclosed_quote_is_refused(tmp_path, capsys):
    # every line from the opening quote to the end of the file became one
    # cell: a one-column file of 5 labels was read as 2, without a word
    path = tmp_path / "t.csv"
    path.write_text('c\na\n"b\nc\nd\ne\n')
    with pytest.raises(ValueError, match=r"line 3 opens a quoted cell"):
        read_table(str(path))
    ref = tmp_path / "ref.csv"
    ref.write_text("c\n" + "a\nb\n" * 50)
    cur = tmp_path / "cur.csv"
    cur.write_text("c\n" + "a\nb\n" * 25 + '"b\n' + "a\nb\n" * 24)
    assert main(["drift", str(ref), str(cur)]) == 2
    assert "opens a quoted cell" in capsys.readouterr().err
    # a quoted cell spanning lines and closed is one cell, as before
    path.write_text('c,d\n1,"a\nb"\n2,"x""y"\n3,"5" screen\n')
    assert read_table(str(path))["d"].tolist() == ["a\nb", 'x"y', "5 screen"]


def test_drift_leaves_out_a_parquet_files_pandas_index(tmp_path, capsys):
    # DataFrame.to_parquet stores a time index (or a filtered frame's row
    # numbers) as a column "__index_level_0__": two windows of one stream
    # "drifted" on their disjoint times (exit 1) where x did not
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    x = np.random.default_rng(0).normal(size=2000)
    frame = pd.DataFrame({"x": x}, index=pd.date_range("2024-01-01", periods=2000, freq="h"))
    ref, cur = str(tmp_path / "ref.parquet"), str(tmp_path / "cur.parquet")
    frame.iloc[:1000].to_parquet(ref)
    frame.iloc[1000:].to_parquet(cur)
    assert list(read_table(ref)) == list(pd.read_parquet(ref).columns) == ["x"]
    status, report = _drift_json(capsys, ref, cur)
    assert status == 0
    assert set(_p_values(report)) == {"x"}
    # a named index (set_index("k")) is the index too, as pandas reads it back
    path = str(tmp_path / "k.parquet")
    pd.DataFrame({"k": [3, 1, 7], "x": [0.5, 1.5, 2.5]}).set_index("k").to_parquet(path)
    assert {k: v.tolist() for k, v in read_table(path).items()} == {"x": [0.5, 1.5, 2.5]}
    pd.DataFrame({"k": [3, 1, 7]}).set_index("k").to_parquet(path)
    with pytest.raises(ValueError, match="every column is the pandas index"):
        read_table(path)


def test_a_csv_written_with_its_index_is_named(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "t.csv"
    pd.DataFrame({"x": [1.5, 2.5]}).to_csv(path)  # index=True, pandas' default
    with pytest.raises(ValueError, match=r"to_csv\(\) writes a frame's index"):
        read_table(str(path))


def test_drift_refuses_json_keyed_by_row(tmp_path, capsys):
    # DataFrame.to_json(orient="index") has the shape of the default
    # {column: {row: value}}: each of 50 rows was a "column" of two values,
    # and a 1-sd shift of column a was "no drift" with exit 0
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    ref, cur = str(tmp_path / "ref.json"), str(tmp_path / "cur.json")
    pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)}).to_json(ref, orient="index")
    pd.DataFrame({"a": rng.normal(1, 1, 50), "b": rng.normal(size=50)}).to_json(cur, orient="index")
    assert main(["drift", ref, cur]) == 2
    assert "orient='index'" in capsys.readouterr().err
    # the default orient, and a frame with columns 0, 1 (pd.DataFrame(array)), read as before
    path = tmp_path / "c.json"
    pd.DataFrame({"a": [1.5, 2.5, 3.5], "b": ["x", "y", "z"]}).to_json(path)
    assert read_table(str(path))["a"].tolist() == [1.5, 2.5, 3.5]
    pd.DataFrame(np.arange(6.0).reshape(3, 2)).to_json(path)
    assert read_table(str(path))["1"].tolist() == [1.0, 3.0, 5.0]


@pytest.mark.parametrize("head", ["True,False", "TRUE,FALSE", "true,false"])
def test_gate_matches_true_false_written_two_ways(tmp_path, capsys, head):
    # y_true "true"/"false" (JSON, R) and probability columns headed "True,False"
    # (pandas): the columns were read by position, P(True) as P(false), and a
    # ROC AUC of 0.91 was reported as 0.09 (a bad model would have passed)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    p = np.clip(0.3 * y + 0.35 + rng.normal(0, 0.15, 200), 0.01, 0.99).round(3)
    (tmp_path / "y.csv").write_text(_column_text(["true" if v else "false" for v in y], "y"))
    (tmp_path / "p.csv").write_text(head + "\n" + "".join(f"{a},{1 - a:.3f}\n" for a in p))
    args = ["gate", "--json", "--metric", "roc_auc", "--threshold", "0.5",
            "--y-true", str(tmp_path / "y.csv"), "--challenger", str(tmp_path / "p.csv")]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    from sklearn.metrics import roc_auc_score

    expected = roc_auc_score(y, p)
    assert expected > 0.85
    assert out["results"][0]["evidence"]["value"] == pytest.approx(expected)
    # one column headed by the negative class is refused, whatever its case
    (tmp_path / "q.csv").write_text(
        head.split(",")[1] + "\n" + "".join(f"{1 - a:.3f}\n" for a in p)
    )
    assert main([*args[:-1], str(tmp_path / "q.csv")]) == 2
    assert "named after the other class" in capsys.readouterr().err


def test_gate_matches_predicted_labels_true_false_in_any_case(tmp_path, capsys):
    y = np.random.default_rng(1).integers(0, 2, 100)
    (tmp_path / "y.csv").write_text(_column_text(["true" if v else "false" for v in y], "y"))
    (tmp_path / "b.csv").write_text(_column_text(["True" if v else "False" for v in y], "y"))
    args = ["gate", "--threshold", "0.99", "--y-true", str(tmp_path / "y.csv"),
            "--challenger", str(tmp_path / "b.csv")]
    assert main(args) == 0  # refused before: labels 'False' absent from y_true


def test_drift_refuses_a_space_separated_file_read_as_one_column(tmp_path, capsys):
    # np.savetxt / R's write.table: each line was one text value, compared
    # as categories: a 1-sd shift of column a was "no drift", p = 1, exit 0
    rng = np.random.default_rng(0)
    paths = []
    for name, shift in (("ref", 0.0), ("cur", 1.0)):
        a, b = rng.normal(shift, 1, 300).round(3), rng.normal(0, 1, 300).round(3)
        path = tmp_path / f"{name}.csv"
        path.write_text("a b\n" + "".join(f"{x} {y}\n" for x, y in zip(a, b, strict=True)))
        paths.append(str(path))
    assert main(["drift", *paths]) == 2
    assert "separated by spaces" in capsys.readouterr().err
    status, report = _drift_json(capsys, "--sep", "space", *paths)
    assert status == 1
    assert set(_p_values(report)) == {"a", "b"}
    bare = []  # without a header (np.savetxt's default)
    for name in ("ref", "cur"):
        text = (tmp_path / f"{name}.csv").read_text()
        (tmp_path / f"{name}_bare.csv").write_text(text.split("\n", 1)[1])
        bare.append(str(tmp_path / f"{name}_bare.csv"))
    assert main(["drift", "--no-header", *bare]) == 2
    assert "separated by spaces" in capsys.readouterr().err
    # one column of text with spaces in it is one column
    path = tmp_path / "t.csv"
    path.write_text("class name\nbig cat\nsmall dog\n")
    assert read_table(str(path))["class name"].tolist() == ["big cat", "small dog"]
