"""``mllifecycle gate --groups G.csv``: the gates resample whole groups."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mllifecycle.cli import main


def _write(path, values, header):
    path.write_text("\n".join([header, *(str(v) for v in values)]) + "\n")
    return str(path)


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    n_groups, size = 60, 20
    g = np.repeat(np.arange(n_groups), size)
    y = rng.integers(0, 2, g.size)
    # the challenger is better on 8 whole users and worse on 4: clear row by
    # row, noise when users are the units (8 of 12 by a fair coin)
    skill_a = np.full(n_groups, 0.8)[g]
    skill_b = np.full(n_groups, 0.8)
    skill_b[:8], skill_b[8:12] = 1.0, 0.6
    skill_b = skill_b[g]
    common = rng.random(g.size)
    a = np.where(common < skill_a, y, 1 - y)
    b = np.where(common < skill_b, y, 1 - y)
    users = np.array([f"user{k:02d}" for k in range(n_groups)])[g]
    return {
        "y": _write(tmp_path / "y.csv", y, "label"),
        "a": _write(tmp_path / "a.csv", a, "prediction"),
        "b": _write(tmp_path / "b.csv", b, "prediction"),
        "g": _write(tmp_path / "g.csv", users, "user"),
        "short": _write(tmp_path / "short.csv", users[:10], "user"),
        "two": str((tmp_path / "two.csv").write_text("u,v\n" + "a,b\n" * g.size) and
                   tmp_path / "two.csv"),
    }


def _argv(files, *extra):
    return ["gate", "--y-true", files["y"], "--champion", files["a"],
            "--challenger", files["b"], "--require", "improvement",
            "--n-resamples", "2000", "--json", *extra]


def test_groups_option_resamples_groups(files, capsys):
    rows = main(_argv(files))
    by_rows = json.loads(capsys.readouterr().out)
    grouped = main(_argv(files, "--groups", files["g"]))
    report = json.loads(capsys.readouterr().out)
    evidence = report["results"][0]["evidence"]
    assert evidence["n_groups"] == 60
    assert evidence["n_samples"] == 1200
    assert "cluster" in evidence["method"]
    assert by_rows["results"][0]["evidence"]["n_groups"] is None
    # significant row by row, not once users are the units
    assert rows == 0
    assert grouped == 1
    assert evidence["p_value"] > by_rows["results"][0]["evidence"]["p_value"]


@pytest.mark.parametrize(("which", "message"),
                         [("short", "'groups' parameter .*one group label per row"),
                          ("two", "'groups' parameter .*one column")])
def test_bad_groups_file_exit_2(files, capsys, which, message):
    import re

    status = main(_argv(files, "--groups", files[which]))
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("mllifecycle gate: error:")
    assert re.search(message, err), err
