"""Wrong answers found by a bug hunt in the command line's table reading."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from mllifecycle._io import read_table
from mllifecycle.cli import main


def _text(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def _times(zone):
    return "t\n" + "".join(f"2024-01-01T{h:02d}:00:00{zone}\n" for h in range(8, 18))


@pytest.mark.parametrize("swap", [False, True])
def test_drift_refuses_aware_times_against_naive_ones(tmp_path, capsys, swap):
    # the aware file's times became UTC, the naive file's stayed clock times:
    # the same business hours were compared two hours apart (exit 0 or 1, an
    # answer either way) where a DataFrame with the same columns is refused
    aware = _text(tmp_path / "aware.csv", _times("+02:00"))
    naive = _text(tmp_path / "naive.csv", _times(""))
    args = [naive, aware] if swap else [aware, naive]
    assert main(["drift", *args]) == 2
    err = capsys.readouterr().err
    assert "column 't'" in err
    assert "timezone-aware" in err
    assert "naive" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["drift", aware, aware]) == 0
    assert main(["drift", naive, naive]) == 0


def test_drift_refuses_aware_parquet_against_naive_csv(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    t = pd.date_range("2024-01-01 08:00", periods=10, freq="h", tz="Europe/Berlin")
    path = str(tmp_path / "aware.parquet")
    pq.write_table(pa.table({"t": t}), path)
    from mllifecycle._io import aware_columns

    assert aware_columns(read_table(path)) == {"t"}
    naive = _text(tmp_path / "naive.csv", _times(""))
    assert main(["drift", path, naive]) == 2
    assert "timezone-aware" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["t.csv", "t.json"])
def test_a_column_mixing_aware_and_naive_times_is_refused(tmp_path, name):
    # "10:00+05:00" became 05:00 UTC beside a naive "10:00" read as written
    if name.endswith(".json"):
        text = '[{"t": "2024-01-01T10:00:00+05:00"}, {"t": "2024-01-01T10:00:00"}]'
    else:
        text = "t\n2024-01-01T10:00:00+05:00\n2024-01-01T10:00:00\n"
    path = _text(tmp_path / name, text)
    with pytest.raises(ValueError, match=r"column 't' mixes timezone-aware and naive"):
        read_table(path)


def test_aware_columns_are_named(tmp_path):
    from mllifecycle._io import aware_columns

    path = _text(tmp_path / "t.csv", "a,b,c\n2024-01-01T10:00:00Z,2024-01-01,1\n")
    table = read_table(path)
    assert aware_columns(table) == {"a"}
    assert table["a"].dtype.kind == table["b"].dtype.kind == "M"


@pytest.mark.parametrize(("sep", "ext", "quote"), [("\t", "tsv", ""), ("|", "csv", ""),
                                                   (",", "csv", '"')])
def test_drift_refuses_decimal_commas_read_as_text(tmp_path, capsys, sep, ext, quote):
    # "4,35" outside a semicolon file was text: chi-square on ~300 one-off
    # categories said "no drift" (exit 0) where KS on the numbers finds it
    import numpy as np
    from scipy import stats

    rng = np.random.default_rng(4)
    paths, samples = [], []
    for name, mean in (("r", 5.0), ("c", 5.5)):
        values = np.round(rng.normal(mean, 1.0, 300), 2)
        samples.append(values)
        body = "".join(f"{quote}{v:.2f}{quote}{sep}1\n".replace(".", ",") for v in values)
        paths.append(_text(tmp_path / f"{name}.{ext}", f"v{sep}n\n" + body))
    assert stats.ks_2samp(*samples).pvalue < 0.01  # the numbers did drift
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert "column 'v'" in err
    assert "decimal comma" in err
    assert len(err.strip().splitlines()) == 1


def test_drift_reads_decimal_commas_in_semicolon_files(tmp_path, capsys):
    ref = _text(tmp_path / "r.csv", "v;n\n" + "1,5;1\n2,5;2\n3,25;3\n" * 20)
    assert main(["drift", ref, ref]) == 0


def _flags(tmp_path, name, fmt, gaps=False):
    import numpy as np

    rng = np.random.default_rng(0)
    flags = (rng.random(200) < 0.5).tolist()
    x = rng.normal(size=200).tolist()
    if gaps:  # every tenth flag missing
        flags = [None if i % 10 == 0 else f for i, f in enumerate(flags)]
    if fmt == "parquet":
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        path = str(tmp_path / f"{name}.parquet")
        pq.write_table(pa.table({"flag": flags, "x": x}), path)
        return path
    if fmt == "json":
        rows = ", ".join(
            f'{{"flag": {json.dumps(f)}, "x": {v!r}}}' for f, v in zip(flags, x, strict=True)
        )
        return _text(tmp_path / f"{name}.json", f"[{rows}]")
    cells = {"pandas": str, "upper": lambda f: str(f).upper()}[fmt]
    body = "".join(
        f"{'' if f is None else cells(f)},{v!r}\n" for f, v in zip(flags, x, strict=True)
    )
    return _text(tmp_path / f"{name}.csv", "flag,x\n" + body)


@pytest.mark.parametrize(
    ("ref_fmt", "cur_fmt"),
    [("parquet", "pandas"), ("parquet", "json"), ("pandas", "json"), ("upper", "pandas")],
)
def test_drift_same_booleans_written_two_ways_do_not_drift(tmp_path, capsys, ref_fmt, cur_fmt):
    # one data set as Parquet bools and as CSV text True/False (or JSON
    # true/false): every value was a category of its own, chi-square 400,
    # "drift detected" (exit 1) between identical data
    ref = _flags(tmp_path, "r", ref_fmt)
    cur = _flags(tmp_path, "c", cur_fmt)
    assert main(["drift", "--json", ref, cur]) == 0
    report = json.loads(capsys.readouterr().out)
    flag = next(f for f in report["features"] if f["name"] == "flag")
    assert flag["statistic"] == 0.0
    assert flag["p_value"] == 1.0


@pytest.mark.parametrize(
    ("ref_fmt", "cur_fmt"),
    [("parquet", "parquet"), ("parquet", "pandas"), ("parquet", "json"), ("json", "parquet")],
)
def test_drift_parquet_booleans_with_nulls_are_categories(tmp_path, capsys, ref_fmt, cur_fmt):
    # pyarrow made a boolean column with nulls float64 (1.0/0.0/NaN): tested
    # with KS as numbers, and refused against the same flags in a CSV or JSON
    # file ("non-numeric values ... in current's column 'flag'")
    pytest.importorskip("pyarrow")
    ref = _flags(tmp_path, "r", ref_fmt, gaps=True)
    cur = _flags(tmp_path, "c", cur_fmt, gaps=True)
    if ref_fmt == "parquet":
        col = read_table(ref)["flag"]
        assert col.dtype == object
        assert col.tolist()[:3] == [None, *_flags_head(tmp_path)]
    assert main(["drift", "--json", "--nan-policy", "omit", ref, cur]) == 0
    report = json.loads(capsys.readouterr().out)
    flag = next(f for f in report["features"] if f["name"] == "flag")
    assert flag["test"] == "chi_square"
    assert flag["statistic"] == 0.0
    assert flag["result"]["n_reference"] == flag["result"]["n_current"] == 180
    assert main(["drift", ref, cur]) == 2
    assert "missing value" in capsys.readouterr().err


def _flags_head(tmp_path):
    import numpy as np

    return (np.random.default_rng(0).random(200) < 0.5).tolist()[1:3]


def test_drift_boolean_text_with_missing_cells(tmp_path, capsys):
    ref = _text(tmp_path / "r.csv", "flag,n\n" + "true,1\nfalse,2\n,3\n" * 30)
    cur = _text(tmp_path / "c.csv", "flag,n\n" + "True,1\nFalse,2\n,3\n" * 30)
    assert main(["drift", "--nan-policy", "omit", ref, cur]) == 0
    assert main(["drift", ref, cur]) == 2
    assert "missing" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_drift_big_integers_with_empty_cells_are_numbers(tmp_path, capsys, fmt):
    # a CSV column of integers beyond 2**53 with an empty cell was read as
    # text (chi-square on ~100 one-off categories: "no drift", exit 0); a
    # Parquet int64 column with nulls failed with pyarrow's "not in range"
    big = 2**62
    paths = []
    for name, lo in (("r", 0), ("c", 60)):
        ids = [big + v for v in range(lo, lo + 100)] + [None]
        if fmt == "parquet":
            pa = pytest.importorskip("pyarrow")
            pq = pytest.importorskip("pyarrow.parquet")
            path = str(tmp_path / f"{name}.parquet")
            n = [i % 5 for i in range(101)]
            pq.write_table(pa.table({"id": pa.array(ids, pa.int64()), "n": n}), path)
        else:
            path = _text(tmp_path / f"{name}.csv",
                         "id,n\n" + "".join(f"{'' if v is None else v},{i % 5}\n"
                                           for i, v in enumerate(ids)))
        paths.append(path)
    assert read_table(paths[0])["id"].tolist()[-2:] == [big + 99, None]
    assert main(["drift", "--json", "--nan-policy", "omit", *paths]) == 1
    feature = json.loads(capsys.readouterr().out)["features"][0]
    assert feature["name"] == "id"
    assert feature["test"] == "ks"
    assert feature["statistic"] == pytest.approx(0.6)
    assert main(["drift", *paths]) == 2
    assert "free of NaN" in capsys.readouterr().err


def _marked(tmp_path, name, shift, marker, fmt="csv", kind="number"):
    """200 values (numbers, dates or flags) then one marker cell, beside a column n."""
    import numpy as np

    rng = np.random.default_rng(11 if name == "r" else 12)
    if kind == "number":
        cells = [f"{v:.3f}" for v in rng.normal(shift, 1.0, 200)]
    elif kind == "decimal comma":
        cells = [f"{v:.3f}".replace(".", ",") for v in rng.normal(shift, 1.0, 200)]
    elif kind == "date":
        cells = [f"2024-01-{1 + int(d):02d}" for d in rng.integers(0, 20 + int(shift * 8), 200)]
    else:
        cells = [str(v).lower() for v in (rng.random(200) < 0.5 + shift / 4).tolist()]
    if marker is not None:
        cells.append(marker)
    sep = ";" if kind == "decimal comma" else ","
    if fmt == "json":
        rows = ", ".join(f'{{"x": {json.dumps(c)}, "n": {i % 7}}}' for i, c in enumerate(cells))
        return _text(tmp_path / f"{name}.json", f"[{rows}]")
    body = "".join(f"{c}{sep}{i % 7}\n" for i, c in enumerate(cells))
    return _text(tmp_path / f"{name}.csv", f"x{sep}n\n" + body)


@pytest.mark.parametrize(
    ("ref_marker", "cur_marker", "fmt", "kind", "bad"),
    [
        # a "?" in both files: the numbers were compared as categories ("no drift")
        ("?", "?", "csv", "number", "r"),
        ("?", "?", "json", "number", "r"),
        # in one file only: refused as "non-numeric values" without the cell
        ("?", None, "csv", "number", "r"),
        (None, "-", "csv", "number", "c"),
        (None, "n.a.", "csv", "number", "c"),
        (None, ".", "csv", "decimal comma", "c"),
        ("?", "?", "csv", "date", "r"),
        (None, "?", "csv", "flag", "c"),
    ],
)
def test_drift_refuses_a_missing_value_marker_that_made_numbers_text(
    tmp_path, capsys, ref_marker, cur_marker, fmt, kind, bad
):
    paths = {"r": _marked(tmp_path, "r", 0.0, ref_marker, fmt, kind),
             "c": _marked(tmp_path, "c", 1.0, cur_marker, fmt, kind)}
    assert main(["drift", paths["r"], paths["c"]]) == 2
    err = capsys.readouterr().err
    cell = ref_marker if bad == "r" else cur_marker
    assert re.search(
        rf"error: {re.escape(paths[bad])}: column 'x' holds numbers \(or dates\) and "
        rf"{re.escape(repr(cell))} \(data row 201\), so it was read as text .* pass "
        rf"--na-values={re.escape(shlex.quote(cell))} ",
        err,
    ), err
    assert len(err.strip().splitlines()) == 1
    # named as missing, in both files: the column is tested as what it is
    args = [f"--na-values={ref_marker or cur_marker},unused", paths["r"], paths["c"]]
    assert main(["drift", *args]) == 2
    assert "free of NaN" in capsys.readouterr().err or kind == "flag"
    assert main(["drift", "--json", "--nan-policy", "omit", *args]) == 1
    feature = next(
        f for f in json.loads(capsys.readouterr().out)["features"] if f["name"] == "x"
    )
    assert feature["test"] == ("chi_square" if kind == "flag" else "ks")
    assert (feature["result"]["n_reference"], feature["result"]["n_current"]) == (200, 200)


def test_text_categories_beside_numbers_are_still_categories(tmp_path, capsys):
    # a grade column: numbers and a word that is a category, not a marker
    text = "grade,n\n" + "".join(f"{g},{i % 3}\n" for i, g in enumerate(["K", "1", "2"] * 30))
    path = _text(tmp_path / "g.csv", text)
    assert main(["drift", "--json", path, path]) == 0
    feature = json.loads(capsys.readouterr().out)["features"]
    assert {f["name"]: f["test"] for f in feature}["grade"] == "chi_square"


@pytest.mark.parametrize(
    ("name", "text", "na_values", "expected"),
    [
        ("t.csv", "x,y\n1,a\n?,?\n-,b\n", ["?", "-"], ([1.0, None, None], ["a", None, "b"])),
        ("t.csv", "x;y\n1,5;a\n?;b\n", [" ? "], ([1.5, None], ["a", "b"])),
        ("t.json", '[{"x": 1, "y": "a"}, {"x": "?", "y": "?"}]', ["?"], ([1.0, None], ["a", None])),
    ],
)
def test_read_table_na_values(tmp_path, name, text, na_values, expected):
    table = read_table(_text(tmp_path / name, text), na_values=na_values)
    assert table["x"].dtype.kind == "f"
    assert [None if v != v else v for v in table["x"].tolist()] == expected[0]
    assert table["y"].tolist() == expected[1]


def test_read_table_na_values_in_parquet_text_and_bad_values(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = str(tmp_path / "t.parquet")
    pq.write_table(pa.table({"y": ["a", "?", None]}), path)
    assert read_table(path, na_values=["?"])["y"].tolist() == ["a", None, None]
    with pytest.raises(ValueError, match=r"--na-values must be a list of cell values \(text\)"):
        read_table(path, na_values="?")


def test_gate_whole_numbers_beyond_int64_stay_distinct(tmp_path, capsys):
    # 1e19, 2e19, ... are whole numbers beyond int64: cast to int64 every one
    # became -2**63, a challenger predicting 1e19 throughout scored accuracy 1
    # (PASSED, exit 0) and a mean squared error came out 0
    y = _text(tmp_path / "y.csv", "v\n1e19\n2e19\n3e19\n4e19\n")
    same = _text(tmp_path / "same.csv", "v\n1e19\n1e19\n1e19\n1e19\n")
    assert main(["gate", "--y-true", y, "--challenger", same, "--threshold", "0.9"]) == 1
    assert "accuracy 0.25 < minimum 0.9" in capsys.readouterr().out
    off = _text(tmp_path / "off.csv", "v\n1e19\n2e19\n3e19\n4.5e19\n")
    argv = ["gate", "--y-true", y, "--challenger", off, "--metric", "mean_squared_error"]
    assert main([*argv, "--threshold", "1e40", "--json"]) == 0
    gate = json.loads(capsys.readouterr().out)["results"][0]
    assert gate["evidence"]["value"] == pytest.approx(0.25 * 0.5e19**2)


def test_labels_task_ids_beyond_int64_stay_distinct(tmp_path, capsys):
    # two tasks 1e19 and 2e19 became one task -2**63 (and one worker answered it twice)
    path = _text(tmp_path / "a.csv", "task,worker,label\n1e19,a,x\n2e19,a,y\n1e19,b,x\n2e19,b,y\n")
    assert main(["labels", "aggregate", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_tasks"] == 2


class _ClosedPipe:
    """Standard output whose reader has gone (``| head -1`` after one line)."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_output_to_a_closed_pipe_keeps_the_exit_status(tmp_path, capsys, monkeypatch, json_flag):
    # a closed pipe raised BrokenPipeError, an OSError: `gate` and `drift`
    # exited 2 ("bad input", with "[Errno 32] Broken pipe" on stderr) in place
    # of their finding, and `labels aggregate` exited 0 without checking
    # --min-gold-accuracy
    y = _text(tmp_path / "y.csv", "y\n" + "0\n1\n" * 20)
    bad = _text(tmp_path / "bad.csv", "y\n" + "1\n0\n" * 20)
    ref = _text(tmp_path / "r.csv", "x\n" + "".join(f"{i}\n" for i in range(40)))
    cur = _text(tmp_path / "c.csv", "x\n" + "".join(f"{i + 100}\n" for i in range(40)))
    answers = "task,worker,label\n" + "".join(
        f"{t},{w},{'ab'[(t + (w == 'w2')) % 2]}\n" for t in range(40) for w in ("w0", "w1", "w2")
    )
    a = _text(tmp_path / "a.csv", answers)
    g = _text(tmp_path / "g.csv", "task,label\n" + "".join(f"{t},b\n" for t in range(10)))
    cases = [
        (["gate", "--y-true", y, "--challenger", bad, "--threshold", "0.9"], 1),
        (["drift", ref, cur], 1),
        (["drift", ref, ref], 0),
        (["labels", "aggregate", a, "--gold", g, "--min-gold-accuracy", "0.99"], 1),
    ]
    for argv, status in cases:
        monkeypatch.setattr("sys.stdout", _ClosedPipe())
        assert main([*argv, *json_flag]) == status, argv
        monkeypatch.undo()
        assert "Broken pipe" not in capsys.readouterr().err
