"""``mllifecycle drift`` refuses dates written as text instead of comparing them as categories."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mllifecycle.cli import main

BASE = pd.Timestamp("2024-01-01")


def _times(seed, low, high, n=300):
    rng = np.random.default_rng(seed)
    return BASE + pd.to_timedelta(rng.uniform(low, high, n), unit="s")


def _write(path, times, fmt):
    rows = [f"{t.strftime(fmt)},{i % 2}" for i, t in enumerate(times)]
    path.write_text("t,x\n" + "\n".join(rows) + "\n")
    return str(path)


@pytest.mark.parametrize(
    "fmt", ["%m/%d/%Y %H:%M:%S", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y %H:%M", "%m/%d/%y",
            "%Y/%m/%d", "%m/%d/%Y %I:%M %p"]
)
def test_a_shift_of_non_iso_dates_is_not_no_drift(tmp_path, capsys, fmt):
    # '%m/%d/%Y %H:%M:%S': every time a category of its own, chi-square p = 1,
    # "no drift" with exit 0 for times moved to the last third of the year
    ref = _write(tmp_path / "ref.csv", _times(0, 0, 3e7), fmt)
    cur = _write(tmp_path / "cur.csv", _times(1, 2e7, 3e7), fmt)
    assert main(["drift", ref, cur]) == 2
    err = capsys.readouterr().err
    assert "column 't' holds dates written as text" in err
    assert "ISO 8601" in err
    assert "Traceback" not in err


def test_the_same_dates_drawn_again_are_not_reported_as_drift(tmp_path, capsys):
    # '%d.%m.%Y': one category per day, chi-square p = 0.009 for two draws of
    # one distribution, "drift" with exit 1
    ref = _write(tmp_path / "ref.csv", _times(0, 0, 3e7), "%d.%m.%Y")
    cur = _write(tmp_path / "cur.csv", _times(1, 0, 3e7), "%d.%m.%Y")
    assert main(["drift", ref, cur, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "holds dates written as text ('" in captured.err


def test_iso_dates_are_compared_as_times_like_the_library(tmp_path, capsys):
    from mllifecycle.drift import detect

    t_ref, t_cur = _times(0, 0, 3e7), _times(1, 2e7, 3e7)
    ref = _write(tmp_path / "ref.csv", t_ref, "%Y-%m-%d %H:%M:%S")
    cur = _write(tmp_path / "cur.csv", t_cur, "%Y-%m-%d %H:%M:%S")
    code = main(["drift", ref, cur, "--json"])
    out = json.loads(capsys.readouterr().out)
    expected = detect(
        pd.DataFrame({"t": t_ref.floor("s"), "x": np.arange(300) % 2}),
        pd.DataFrame({"t": t_cur.floor("s"), "x": np.arange(300) % 2}),
    )
    assert code == 1
    assert out["features"][0]["test"] == "ks"
    assert out["features"][0]["statistic"] == pytest.approx(
        expected.features[0].statistic
    )


def test_iso_dates_stored_as_parquet_text_are_refused(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    days = [f"2024-01-0{i % 9 + 1}" for i in range(60)]
    pd.DataFrame({"t": days, "x": range(60)}).to_parquet(tmp_path / "ref.parquet")
    pd.DataFrame({"t": days[::-1], "x": range(60)}).to_parquet(tmp_path / "cur.parquet")
    code = main(["drift", str(tmp_path / "ref.parquet"), str(tmp_path / "cur.parquet")])
    assert code == 2
    assert "store them as a date or timestamp column" in capsys.readouterr().err


@pytest.mark.parametrize("values", [["1.2.3", "1.12.10", "2.0.1"], ["3/4", "1/2", "5/8"],
                                    ["12/2024", "01/2025", "02/2025"]])
def test_versions_fractions_and_months_stay_categories(tmp_path, capsys, values):
    ref = tmp_path / "ref.csv"
    cur = tmp_path / "cur.csv"
    ref.write_text("v\n" + "\n".join(values * 20) + "\n")
    cur.write_text("v\n" + "\n".join(values * 20) + "\n")
    assert main(["drift", str(ref), str(cur), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["features"][0]["test"] == "chi_square"


@pytest.mark.parametrize("which", ["reference", "current"])
def test_a_missing_cell_names_the_file_and_the_option(tmp_path, capsys, which):
    # the refusal named only detect's keyword "nan_policy='omit'", not the
    # file nor the command's --nan-policy
    full = tmp_path / "full.csv"
    holed = tmp_path / "holed.csv"
    full.write_text("v,b\n" + "".join(f"{i / 7:.3f},{'xy'[i % 2]}\n" for i in range(40)))
    holed.write_text("v,b\n" + "".join(f"{i / 7:.3f},{'xy'[i % 2] if i % 9 else ''}\n"
                                       for i in range(40)))
    files = [str(holed), str(full)] if which == "reference" else [str(full), str(holed)]
    assert main(["drift", *files]) == 2
    err = capsys.readouterr().err
    assert f"In {which} file {holed}: pass --nan-policy omit" in err
    assert main(["drift", *files, "--nan-policy", "omit"]) == 0


def test_parquet_times_of_day_are_refused_not_compared_as_categories(tmp_path, capsys):
    # a time64 column came back as datetime.time objects, each a category:
    # times moved from the whole day to the afternoon gave p = 1, exit 0
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime as dt

    rng = np.random.default_rng(6)

    def times(low, high):
        secs = rng.uniform(low, high, 300)
        return [(dt.datetime(2024, 1, 1) + dt.timedelta(seconds=float(s))).time()
                for s in secs]

    ref, cur = tmp_path / "ref.parquet", tmp_path / "cur.parquet"
    pq.write_table(pa.table({"tm": pa.array(times(0, 86_000), pa.time64("us"))}), ref)
    cur_times = times(43_000, 86_000)
    cur_times[3] = None
    pq.write_table(pa.table({"tm": pa.array(cur_times, pa.time64("us"))}), cur)
    assert main(["drift", str(ref), str(cur)]) == 2
    err = capsys.readouterr().err
    assert "column 'tm' holds times of day (" in err
    assert "seconds since midnight" in err
