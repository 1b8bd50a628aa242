from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mllifecycle.cli import main


@pytest.fixture(scope="module")
def demo_json():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = main(["demo", "--json", "--n-samples", "20000", "--seed", "1"])
    assert status == 0
    return json.loads(buf.getvalue())


def test_demo_json_shape(demo_json):
    policies = demo_json["policies"]
    assert list(policies) == ["never", "periodic", "recommended", "cost-aware"]
    for figures in policies.values():
        assert {"accuracy", "retrains", "labels", "cost"} <= set(figures)
        assert 0.0 <= figures["accuracy"] <= 1.0
    assert demo_json["stream"]["change_points"] == [5000, 10000, 15000]


def test_demo_is_convincing(demo_json):
    p = demo_json["policies"]
    assert p["recommended"]["accuracy"] - p["never"]["accuracy"] >= 0.03
    assert p["recommended"]["accuracy"] >= p["periodic"]["accuracy"] - 0.01
    assert p["recommended"]["retrains"] < p["periodic"]["retrains"] / 2
    assert p["recommended"]["labels"] < p["periodic"]["labels"]
    assert p["cost-aware"]["cost"] < p["periodic"]["cost"]
    assert p["never"]["retrains"] == 0


def test_demo_table_and_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "demo.png"
    status = main(["demo", "--n-samples", "20000", "--plot", str(path)])
    out = capsys.readouterr().out
    assert status == 0
    assert "policy" in out
    assert "accuracy" in out
    assert "recommended policy:" in out
    assert path.stat().st_size > 1000


def test_demo_same_seed_same_numbers(demo_json, capsys):
    assert main(["demo", "--json", "--n-samples", "20000", "--seed", "1"]) == 0
    again = json.loads(capsys.readouterr().out)
    for name, figures in again["policies"].items():
        figures.pop("compute_seconds")
        first = dict(demo_json["policies"][name])
        first.pop("compute_seconds")
        assert figures == first


def test_demo_bad_input_exits_2(capsys):
    assert main(["demo", "--n-samples", "100"]) == 2
    err = capsys.readouterr().err
    assert "mllifecycle demo: error:" in err
    assert "--n-samples" in err


@pytest.mark.slow
def test_console_script_runs_the_demo():
    import pathlib

    # the module of this checkout (an installed console script may point at another)
    root = pathlib.Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "mllifecycle.cli"]
    proc = subprocess.run(
        [*cmd, "demo", "--json", "--n-samples", "20000"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr
    names = set(json.loads(proc.stdout)["policies"])
    assert names == {"never", "periodic", "recommended", "cost-aware"}


def test_demo_plot_without_matplotlib_fails_before_the_replay(monkeypatch, capsys, tmp_path):
    import importlib.util


    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    ran = []
    monkeypatch.setattr("mllifecycle.replay.replay", lambda *a, **k: ran.append(1))
    status = main(["demo", "--plot", str(tmp_path / "p.png")])
    err = capsys.readouterr().err
    assert status == 2
    assert "pip install mllifecycle[plot]" in err
    assert ran == []


def test_demo_plot_in_a_missing_directory_fails_before_the_replay(tmp_path, capsys):
    out = tmp_path / "missing" / "plot.png"
    assert main(["demo", "--n-samples", "20000", "--plot", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"--plot {str(out)!r}: no directory {str(out.parent)!r}" in err
