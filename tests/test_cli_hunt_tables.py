"""Wrong answers found by a bug hunt in the command line's table reading."""

from __future__ import annotations

import json

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


def _flags(tmp_path, name, fmt):
    import numpy as np

    rng = np.random.default_rng(0)
    flags = (rng.random(200) < 0.5).tolist()
    x = rng.normal(size=200).tolist()
    if fmt == "parquet":
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        path = str(tmp_path / f"{name}.parquet")
        pq.write_table(pa.table({"flag": flags, "x": x}), path)
        return path
    if fmt == "json":
        rows = ", ".join(
            f'{{"flag": {str(f).lower()}, "x": {v!r}}}' for f, v in zip(flags, x, strict=True)
        )
        return _text(tmp_path / f"{name}.json", f"[{rows}]")
    cells = {"pandas": str, "upper": lambda f: str(f).upper()}[fmt]
    body = "".join(f"{cells(f)},{v!r}\n" for f, v in zip(flags, x, strict=True))
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


def test_drift_boolean_text_with_missing_cells(tmp_path, capsys):
    ref = _text(tmp_path / "r.csv", "flag,n\n" + "true,1\nfalse,2\n,3\n" * 30)
    cur = _text(tmp_path / "c.csv", "flag,n\n" + "True,1\nFalse,2\n,3\n" * 30)
    assert main(["drift", "--nan-policy", "omit", ref, cur]) == 0
    assert main(["drift", ref, cur]) == 2
    assert "missing" in capsys.readouterr().err
