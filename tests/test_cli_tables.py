"""The command line's one table reader (mllifecycle._io.read_table) and what the
drift and gate commands do with odd files: delimiters, no header, Parquet,
dates, malformed CSV — every input error exits 2, never 1 ("drift found")."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mllifecycle._io import read_table
from mllifecycle.cli import main


def _text(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_is_detected(tmp_path, sep):
    path = _text(tmp_path / "t.txt", sep.join(["a", "b", "c"]) + "\n" + sep.join("12x") + "\n")
    table = read_table(path)
    assert list(table) == ["a", "b", "c"]
    assert table["a"].tolist() == [1.0]
    assert table["c"].tolist() == ["x"]


def test_tsv_extension_means_tab(tmp_path):
    # a comma inside a tab-separated field is data, not a delimiter
    path = _text(tmp_path / "t.tsv", "name\tv\nSmith, J\t1\nLee, K\t2\n")
    table = read_table(path)
    assert table["name"].tolist() == ["Smith, J", "Lee, K"]
    assert table["v"].tolist() == [1.0, 2.0]


def test_explicit_sep_wins(tmp_path):
    path = _text(tmp_path / "t.csv", "a;b,c\n1;2,3\n")
    assert list(read_table(path, sep=";")) == ["a", "b,c"]
    assert list(read_table(path, sep=",")) == ["a;b", "c"]
    # a one-column file whose header holds no other delimiter is read as asked
    assert list(read_table(_text(tmp_path / "o.csv", "a\n1\n2\n"), sep=";")) == ["a"]


def test_explicit_sep_reading_one_column_of_a_delimited_file_is_an_error(tmp_path):
    # `mllifecycle drift a.csv b.csv --sep tab` on comma files read one column of
    # whole lines and compared them as categories: "no drift", exit 0
    path = _text(tmp_path / "t.csv", "a;b\n1;2\n")
    with pytest.raises(ValueError, match=r"--sep comma reads one column named 'a;b', but the "
                       r"file reads as semicolon-separated columns; check --sep"):
        read_table(path, sep=",")


def test_one_column_with_another_delimiter_in_header_is_an_error(tmp_path):
    path = _text(tmp_path / "t.csv", "a\tb\n1\t2\n3\t4\n")
    # detected as tab-separated
    assert list(read_table(path)) == ["a", "b"]
    # a ragged file that no delimiter splits evenly, read as one column of whole
    # lines with a tab in its header: refused, not tested as one text column
    path = _text(tmp_path / "u.csv", "a\tb\n1\t2\n3\n")
    with pytest.raises(ValueError, match="holds a tab; is the file tab-separated"):
        read_table(path)


def test_headerless_only_when_asked(tmp_path):
    path = _text(tmp_path / "t.csv", "1,2\n3,4\n")
    table = read_table(path, header=False)
    assert list(table) == ["0", "1"]
    assert table["0"].tolist() == [1.0, 3.0]
    assert list(read_table(path)) == ["1", "2"]


def test_missing_cells_bom_quotes_and_dates(tmp_path):
    text = "\ufeffx,when,note\n1.5,2024-01-02,\"a, b\"\n,2024-01-03T10:00:00,\"line\nbreak\"\n"
    table = read_table(_text(tmp_path / "t.csv", text))
    assert list(table) == ["x", "when", "note"]
    assert np.isnan(table["x"][1])
    assert table["when"].dtype.kind == "M"
    assert table["when"].astype("datetime64[D]").tolist()[0].isoformat() == "2024-01-02"
    assert table["note"].tolist() == ["a, b", "line\nbreak"]


@pytest.mark.parametrize(
    "token", ["NA", "N/A", "NaN", "nan", "null", "NULL", "None", "<NA>", "#N/A"]
)
def test_missing_value_markers_keep_a_column_numeric(tmp_path, token):
    # once: one "NA" turned the whole numeric column into text (then categorical tests)
    text = f"x,when,label\n1.5,2024-01-02,a\n{token},{token},{token}\n-2,2024-01-04,b\n"
    table = read_table(_text(tmp_path / "t.csv", text))
    assert table["x"].dtype == np.float64
    assert table["x"][[0, 2]].tolist() == [1.5, -2.0]
    assert np.isnan(table["x"][1])
    assert table["when"].dtype.kind == "M"
    assert np.isnat(table["when"][1])
    assert table["label"].tolist() == ["a", None, "b"]


def test_decimal_comma_in_semicolon_files(tmp_path):
    text = "price;qty;code\n1,5;3;1,2,3\n-0,25;4;x\n2;NA;y\n1,5e3;5;z\n"
    table = read_table(_text(tmp_path / "t.csv", text))
    assert table["price"].tolist() == [1.5, -0.25, 2.0, 1500.0]
    assert table["qty"][[0, 1, 3]].tolist() == [3.0, 4.0, 5.0]
    assert np.isnan(table["qty"][2])
    assert table["code"].tolist() == ["1,2,3", "x", "y", "z"]
    # a thousands separator with a decimal comma is not guessed at: text
    odd = read_table(_text(tmp_path / "u.csv", "v;w\n1.234,5;1\n2,5;2\n"))
    assert odd["v"].dtype == object
    # commas are never decimal points in a comma-separated file (quoted cell: text)
    comma = read_table(_text(tmp_path / "c.csv", 'v,w\n"1,5",1\n"2,5",2\n'))
    assert comma["v"].tolist() == ["1,5", "2,5"]


def test_underscores_are_not_digit_separators(tmp_path):
    # Python's float() reads "1_000"; a table reader must not
    table = read_table(_text(tmp_path / "t.csv", "v\n1_000\n2\n"))
    assert table["v"].tolist() == ["1_000", "2"]


def test_dates_with_time_zones_become_utc(tmp_path):
    path = _text(tmp_path / "t.csv", "t\n2024-01-01T12:00:00+02:00\n2024-01-01T10:00:00Z\n")
    t = read_table(path)["t"]
    assert t[0] == t[1]


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = str(tmp_path / "t.parquet")
    pq.write_table(pa.table({"a": [1.0, None], "b": ["x", "y"]}), path)
    table = read_table(path)
    assert np.isnan(table["a"][1])
    assert table["b"].tolist() == ["x", "y"]


def test_parquet_bytes_behind_a_csv_name(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"PAR1\x00\x00\xff\xfe")  # not UTF-8 either: named as Parquet
    with pytest.raises(ValueError, match="this is a Parquet file"):
        read_table(str(path))


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("", {}, "empty file"),
        ("a,b\n", {}, "no data rows"),
        ("a,a\n1,2\n", {}, "duplicate column name 'a'"),
        ("a,\n1,2\n", {}, "empty column name"),
        ("a,b\n1,2\n3\n", {}, r"line 3 has 1 field\(s\); the header has 2"),
        # a cell beyond the csv module's 131072 characters is valid (pandas reads
        # it; see test_cli_hunt10_tables); an unclosed quote is not
        ('a\n"x\n1\n2\n', {}, "never closes"),
        ("a\n1\n", {"sep": ";;"}, "--sep must be one character"),
    ],
)
def test_bad_files(tmp_path, text, kwargs, match):
    with pytest.raises(ValueError, match=match):
        read_table(_text(tmp_path / "t.csv", text), **kwargs)


def test_not_utf8(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a\n\xff\xfe\n")
    with pytest.raises(ValueError, match="not UTF-8"):
        read_table(str(path))


# ------------------------------------------------------------- drift command
def _pair(tmp_path, sep, ext="csv", shift=0.0):
    rng = np.random.default_rng(3)
    out = []
    for name, s in (("ref", 0.0), ("cur", shift)):
        x = rng.normal(s, 1, (400, 2))
        rows = [sep.join(["u", "v"])] + [sep.join(f"{v:.6f}" for v in r) for r in x]
        out.append(_text(tmp_path / f"{name}.{ext}", "\n".join(rows) + "\n"))
    return out


@pytest.mark.parametrize(("sep", "ext"), [(",", "csv"), (";", "csv"), ("\t", "tsv"), ("\t", "txt")])
def test_drift_reads_every_delimiter(tmp_path, capsys, sep, ext):
    ref, cur = _pair(tmp_path, sep, ext, shift=1.0)
    assert main(["drift", ref, cur, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["name"] for f in report["features"]} == {"u", "v"}


def test_drift_tsv_read_as_one_column_was_no_drift(tmp_path, capsys):
    # the bug: a TSV read as one text column of whole lines gave "no drift", exit 0
    ref, cur = _pair(tmp_path, "\t", "csv", shift=1.0)
    assert main(["drift", ref, cur]) == 1


@pytest.mark.parametrize(
    ("cur_text", "match"),
    [
        ('u,v\n"x,1\n2,3\n4,5\n', "never closes"),
        ("u,v\n1,2\n3\n", "line 3 has 1 field"),
        ("", "empty file"),
    ],
)
def test_drift_bad_file_exits_2_not_1(tmp_path, capsys, cur_text, match):
    ref, _ = _pair(tmp_path, ",")
    cur = _text(tmp_path / "bad.csv", cur_text)
    status = main(["drift", ref, cur])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert match in err


def test_drift_no_header_flag(tmp_path, capsys):
    rng = np.random.default_rng(4)
    paths = []
    for name, s in (("r", 0.0), ("c", 2.0)):
        x = rng.normal(s, 1, (200, 2))
        paths.append(_text(tmp_path / f"{name}.csv", "\n".join(f"{a},{b}" for a, b in x) + "\n"))
    assert main(["drift", *paths, "--no-header", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["name"] for f in report["features"]} == {"0", "1"}


def test_unexpected_error_exits_2_with_one_line(monkeypatch, capsys):
    import mllifecycle.drift._cli as drift_cli

    def boom(args):
        raise RuntimeError("kaput\nsecond line")

    monkeypatch.setattr(drift_cli, "run", boom)
    monkeypatch.delenv("MLLIFECYCLE_DEBUG", raising=False)
    assert main(["drift", "--example"]) == 2
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: kaput" in err
    assert len(err.strip().splitlines()) == 1


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mllifecycle", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("mllifecycle ")


# ------------------------------------------------ integers beyond 2**53
BIG = 2**53  # 9007199254740992: 2**53 + 1 is the first integer a float64 cannot hold


@pytest.mark.parametrize(
    ("cells", "dtype", "expected"),
    [
        # every cell an integer in int64's range: int64, exact
        ([str(BIG + 1), str(BIG), "7"], "int64", [BIG + 1, BIG, 7]),
        ([f"-{BIG + 1}", "0"], "int64", [-BIG - 1, 0]),
        # with an empty cell: Python ints and None (as text, drift compared categories)
        ([str(BIG + 1), ""], "object", [BIG + 1, None]),
        # beyond int64: the text as written
        ([str(2**64 + 1), str(2**64)], "object", [str(2**64 + 1), str(2**64)]),
        # with a fraction the column holds measurements, not ids: float64 (as
        # text, drift compared its numbers as categories)
        ([str(BIG + 1), "1.5"], "float64", [float(BIG + 1), 1.5]),
        ([str(2**64 + 1), "1e3"], "float64", [float(2**64 + 1), 1000.0]),
        # within 2**53, or written as floats: float64 as before
        ([str(BIG), "1"], "float64", [float(BIG), 1.0]),
        (["1e300", "2"], "float64", [1e300, 2.0]),
    ],
)
def test_integers_beyond_2_53_are_kept_exact(tmp_path, cells, dtype, expected):
    # float64 read 2**53 + 1 as 2**53: two ids (tasks, labels, keys) became one
    table = read_table(_text(tmp_path / "t.csv", "id,v\n" + "".join(f"{c},1\n" for c in cells)))
    assert table["id"].dtype == np.dtype(dtype)
    assert table["id"].tolist() == expected
    assert table["v"].dtype == np.float64


def test_labels_aggregate_keeps_big_task_ids_apart(tmp_path, capsys):
    # two tasks whose ids differ beyond float64's precision were merged into one
    rows = [f"{BIG + 1},a,1", f"{BIG + 1},b,1", f"{BIG},c,0", f"{BIG},d,0", "5,a,1", "5,c,0"]
    path = _text(tmp_path / "a.csv", "task,worker,label\n" + "\n".join(rows) + "\n")
    assert main(["labels", "aggregate", path, "--json"]) == 0
    tasks = {t["task"]: t["label"] for t in json.loads(capsys.readouterr().out)["tasks"]}
    assert tasks.keys() == {str(BIG + 1), str(BIG), "5"}
    assert tasks[str(BIG + 1)] == "1"
    assert tasks[str(BIG)] == "0"


def test_gate_labels_beyond_2_53(tmp_path, capsys):
    y = _text(tmp_path / "y.csv", "y\n" + f"{BIG + 1}\n{BIG}\n" * 5)
    chal = _text(tmp_path / "c.csv", "p\n" + f"{BIG}\n{BIG + 1}\n" * 5)  # every one wrong
    assert main(["gate", "--y-true", y, "--challenger", chal, "--threshold", "0.5",
                 "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"] == 0.0


# ------------------------------------- decimal commas and points in one file
@pytest.mark.parametrize(
    ("text", "match"),
    [
        # "1.000" beside "1,5" is one thousand in the writer's convention: it
        # was read as 1.0
        ("a;b\n1,5;1\n1.000;2\n", r"column 'a': '1,5'.*column 'a': '1.000'"),
        ("price;qty\n1,5;1.000\n2,5;2.500\n", r"column 'price': '1,5'.*column 'qty': '1.000'"),
        ("price;qty\n1,5;2\n2,5;0.25\n", r"column 'price': '1,5'.*column 'qty': '0.25'"),
    ],
)
def test_decimal_comma_beside_points_is_refused(tmp_path, text, match):
    path = _text(tmp_path / "t.csv", text)
    with pytest.raises(ValueError, match=match) as exc:
        read_table(path)
    assert str(exc.value).startswith(path)
    assert main(["drift", path, path]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b\n1.5;1\n2.25;2\n", [1.5, 2.25]),  # points only: decimal points
        ("a;b\n1,5;1\n2;2\n", [1.5, 2.0]),  # commas only: decimal commas
        ("a;b\n1,5;1\n2;v1.2\n", [1.5, 2.0]),  # a point in text is not a number
    ],
)
def test_one_decimal_mark_per_file_still_reads(tmp_path, text, expected):
    assert read_table(_text(tmp_path / "t.csv", text))["a"].tolist() == expected


# ------------------------------- one number written two ways in a text column
@pytest.mark.parametrize(
    ("column", "match"),
    [
        # a text column (for "x") with 1 and 1.0: two labels, or two tasks, where
        # the writer meant one
        ("label", r"a.csv: column 'label' writes one number two ways: '1' and '1.0'"),
        ("task", r"a.csv: column 'task' writes one number two ways: '2' and '2.00'"),
    ],
)
def test_labels_aggregate_refuses_a_number_written_two_ways(tmp_path, capsys, column, match):
    import re

    if column == "label":
        rows = ["t1,a,1", "t1,b,1.0", "t2,a,x", "t2,b,x"]
    else:
        rows = ["2,a,yes", "2.00,b,yes", "x,a,no", "x,b,no"]
    path = _text(tmp_path / "a.csv", "task,worker,label\n" + "\n".join(rows) + "\n")
    assert main(["labels", "aggregate", path]) == 2
    err = capsys.readouterr().err
    assert re.search(match, err), err


def test_gate_refuses_a_label_written_two_ways(tmp_path, capsys):
    y = _text(tmp_path / "y.csv", "y\n" + "1\nx\n1.0\n" * 10)
    chal = _text(tmp_path / "c.csv", "p\n" + "1\nx\n1\n" * 10)
    assert main(["gate", "--y-true", y, "--challenger", chal, "--threshold", "0.9"]) == 2
    err = capsys.readouterr().err
    assert "'y_true' parameter" in err
    assert "writes one number two ways: '1' and '1.0'" in err


def test_codes_with_leading_zeros_stay_distinct(tmp_path, capsys):
    # "01" and "1" may be two codes; only a decimal part makes the same number twice
    rows = ["t1,a,01", "t1,b,01", "t2,a,1", "t2,b,1", "t3,a,x", "t3,b,x"]
    path = _text(tmp_path / "a.csv", "task,worker,label\n" + "\n".join(rows) + "\n")
    assert main(["labels", "aggregate", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["classes"] == ["01", "1", "x"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path, newline):
    # old Mac "\r" endings were refused as malformed CSV
    path = tmp_path / "t.csv"
    path.write_bytes(newline.join(["a,b", "1,x", '2,"y z"', ""]).encode())
    table = read_table(str(path))
    assert table["a"].tolist() == [1.0, 2.0]
    assert table["b"].tolist() == ["x", "y z"]


# ------------------------------------------------------------------ JSON
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("t.jsonl", '{"a": 1.5, "b": "x", "id": 9007199254740993}\n\n'
                    '{"a": null, "b": "y", "id": 2}\n'),
        ("t.ndjson", '{"a": 1.5, "b": "x", "id": 9007199254740993}\r\n'
                     '{"b": "y", "id": 2}\r\n'),  # a missing key is a missing cell
        ("t.json", '[{"a": 1.5, "b": "x", "id": 9007199254740993}, '
                   '{"a": null, "b": "y", "id": 2}]'),
        # pandas' DataFrame.to_json(): columns of {index: value}
        ("t.json", '{"a": {"0": 1.5, "1": null}, "b": {"0": "x", "1": "y"}, '
                   '"id": {"0": 9007199254740993, "1": 2}}'),
        ("t.json", '{"a": [1.5, null], "b": ["x", "y"], "id": [9007199254740993, 2]}'),
    ],
)
def test_json_tables(tmp_path, name, text):
    # JSON was read as delimited text: '{"a": 1.5' was a column name
    table = read_table(_text(tmp_path / name, text))
    assert list(table) == ["a", "b", "id"]
    assert table["a"][0] == 1.5
    assert np.isnan(table["a"][1])
    assert table["b"].tolist() == ["x", "y"]
    assert table["id"].tolist() == [9007199254740993, 2]


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("t.jsonl", '{"a": 1}\n{"a": 2\n', r"t.jsonl: line 2 is not JSON"),
        ("t.jsonl", '{"a": 1}\n[1, 2]\n', r"t.jsonl: line 2 is not a JSON object"),
        ("t.jsonl", '{"a": [1, 2]}\n', r"t.jsonl: column 'a' holds a list in row 1"),
        ("t.json", '[]', r"t.json: no data rows"),
        ("t.json", '"x"', r"t.json: expected a JSON array of records"),
        ("t.json", '{"a": [1, 2], "b": [1]}', r"t.json: column 'b' has 1 value\(s\), column 'a' 2"),
        ("t.jsonl", '', r"t.jsonl: empty file"),
        # json.loads keeps the last of two equal keys: a column lost silently
        ("t.jsonl", '{"a": 1, "a": 2}\n', r"t.jsonl: duplicate key 'a' in a JSON object"),
        ("t.json", '[{"a": 1, "a": 2}]', r"t.json: duplicate key 'a' in a JSON object"),
        # JSON behind a .csv name: refused, not read as comma-separated text
        ("t.csv", '{"a": 1, "b": 2}\n{"a": 3, "b": 4}\n', r"t.csv: this looks like JSON"),
    ],
)
def test_bad_json(tmp_path, name, text, match):
    with pytest.raises(ValueError, match=match):
        read_table(_text(tmp_path / name, text))


def test_drift_and_gate_read_json_lines(tmp_path, capsys):
    rng = np.random.default_rng(5)
    paths = []
    for name, shift in (("r", 0.0), ("c", 1.0)):
        rows = [json.dumps({"x": float(v), "k": str(rng.choice(["a", "b"]))})
                for v in rng.normal(shift, 1, 300)]
        paths.append(_text(tmp_path / f"{name}.jsonl", "\n".join(rows) + "\n"))
    assert main(["drift", *paths, "--json"]) == 1
    assert {f["name"] for f in json.loads(capsys.readouterr().out)["features"]} == {"x", "k"}
    y = _text(tmp_path / "y.jsonl", '{"0": 1}\n{"0": 0}\n{"0": 1}\n')  # a key "0" is a name
    chal = _text(tmp_path / "c.jsonl", '{"p": 1}\n{"p": 1}\n{"p": 1}\n')
    assert main(["gate", "--y-true", y, "--challenger", chal, "--threshold", "0.5",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"] == 2 / 3


# ---------------------------------------------- thousands separators in drift
@pytest.mark.parametrize(
    ("sep", "cells", "example"),
    [
        # quoted "5,346" cells were text: chi-square on ~600 one-off categories
        # found "no drift" (exit 0) in a column whose mean moved by 3000
        (",", ['"{:,.0f}"', '"{:,.0f}"'], "5,"),
        (",", ['"{:,.2f}"', "{:.2f}"], "5,"),
        # where "," is the decimal mark, "999" beside "1.234" was 999 beside 1.234
        (";", ["{:,.0f}", "{:,.0f}"], "1."),
    ],
)
def test_drift_refuses_numbers_with_thousands_separators(tmp_path, capsys, sep, cells, example):
    rng = np.random.default_rng(2)
    paths = []
    means = (1100, 1500) if sep == ";" else (5000, 8000)
    for name, mean, fmt in (("r", means[0], cells[0]), ("c", means[1], cells[1])):
        values = rng.normal(mean, 300, 300)
        body = [fmt.format(v) for v in values]
        header = "amount"
        if sep == ";":  # two columns, so the file is seen to be semicolon-separated
            body = [b.replace(",", "_").replace(".", ",").replace("_", ".") + ";1" for b in body]
            header = "amount;n"
        paths.append(_text(tmp_path / f"{name}.csv", header + "\n" + "\n".join(body) + "\n"))
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert "column 'amount'" in err
    assert "thousands separator" in err
    assert f"'{example}" in err
    assert len(err.strip().splitlines()) == 1


def test_drift_keeps_text_categories_that_are_not_numbers(tmp_path, capsys):
    ref = _text(tmp_path / "r.csv", "code\n" + '"1,2"\n"x"\n' * 50)
    assert main(["drift", ref, ref]) == 0


@pytest.mark.parametrize(
    ("sep", "expected"),
    [("\\t", "\t"), ("tab", "\t"), ("TAB", "\t"), ("semicolon", ";"), ("comma", ","),
     ("pipe", "|"), ("\t", "\t"), (";", ";")],
)
def test_sep_accepts_escapes_and_names(tmp_path, sep, expected):
    # --sep '\t' (as written in a shell or a CI file) was refused as two characters
    path = _text(tmp_path / "t.txt", expected.join(["a", "b"]) + "\n" + expected.join("12") + "\n")
    assert list(read_table(path, sep=sep)) == ["a", "b"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark(tmp_path, encoding):
    # spreadsheets' "Unicode text" export: UTF-16 with a BOM, tab-separated;
    # it was refused as "not UTF-8"
    path = tmp_path / "t.txt"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path.write_bytes(bom + "a\tb\n1\tx\n2\ty\n".encode(encoding))
    table = read_table(str(path))
    assert table["a"].tolist() == [1.0, 2.0]
    assert table["b"].tolist() == ["x", "y"]


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        # a row of empty cells is a row of missing values (it was dropped)
        ("a,b\n1,x\n,\n3,y\n", [1.0, None, 3.0], ["x", None, "y"]),
        ("a;b\n1;x\n;\n;\n", [1.0, None, None], ["x", None, None]),
        ('a,b\n1,x\n"",""\n', [1.0, None], ["x", None]),
        # blank lines are not rows (pandas' skip_blank_lines)
        ("a,b\n1,x\n\n3,y\n\n", [1.0, 3.0], ["x", "y"]),
        ("a,b\n1,x\n   \n3,y\n", [1.0, 3.0], ["x", "y"]),
    ],
)
def test_rows_of_empty_cells_are_missing_values(tmp_path, text, a, b):
    table = read_table(_text(tmp_path / "t.csv", text))
    assert [None if np.isnan(v) else v for v in table["a"].tolist()] == a
    assert table["b"].tolist() == b


def test_drift_counts_rows_of_empty_cells(tmp_path, capsys):
    # ",," rows were dropped: nan_policy="raise" answered (exit 0) and the
    # reported row counts left them out
    ref, cur = _pair(tmp_path, ",")
    with open(cur, "a") as fh:
        fh.write(",\n,\n")
    assert main(["drift", ref, cur]) == 2
    err = capsys.readouterr().err
    assert "'current' parameter of detect must be free of NaN" in err
    assert "Got 2 NaN value(s)" in err
    assert main(["drift", "--json", "--nan-policy", "omit", ref, cur]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {f["result"]["n_current"] for f in report["features"]} == {400}


def test_empty_lines_of_a_one_column_file_can_be_missing_values(tmp_path):
    # read_column_file reads one value per line: an empty line is a missing
    # value in its place (skipped, the labels came out shorter), and the line
    # each data row starts on is kept for the error messages
    from mllifecycle._io import data_lines

    p = tmp_path / "p.csv"
    p.write_text("p\n0.1\n\n0.3\n\n")
    table = read_table(str(p), empty_lines="missing")
    np.testing.assert_array_equal(table["p"], [0.1, np.nan, 0.3, np.nan])
    assert data_lines(table) == (2, 3, 4, 5)
    table = read_table(str(p))  # skipped by default, as before
    assert table["p"].tolist() == [0.1, 0.3]
    assert data_lines(table) == (2, 4)
    p.write_text("a,b\n1,2\n\n3,4\n")  # several columns: an empty line is no row
    assert read_table(str(p), empty_lines="missing")["a"].tolist() == [1.0, 3.0]
    with pytest.raises(ValueError, match="empty_lines must be 'skip' or 'missing'"):
        read_table(str(p), empty_lines="keep")
