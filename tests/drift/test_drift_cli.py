"""``mllifecycle drift``: in-process via mllifecycle.cli.main and one subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle.cli import main


def _write(path, header, rows):
    with open(path, "w") as fh:
        fh.write(",".join(header) + "\n")
        for r in rows:
            fh.write(",".join(str(v) for v in r) + "\n")
    return str(path)


@pytest.fixture
def csvs(tmp_path):
    rng = np.random.default_rng(0)
    n, m = 300, 200
    ref = [
        (f"{a:.6f}", f"{b:.6f}", c)
        for a, b, c in zip(
            rng.normal(size=n),
            rng.normal(size=n),
            rng.choice(["x", "y"], n),
            strict=True,
        )
    ]
    same = [
        (f"{a:.6f}", f"{b:.6f}", c)
        for a, b, c in zip(
            rng.normal(size=m),
            rng.normal(size=m),
            rng.choice(["x", "y"], m),
            strict=True,
        )
    ]
    moved = [
        (f"{a + 1:.6f}", f"{b:.6f}", c)
        for a, b, c in zip(
            rng.normal(size=m),
            rng.normal(size=m),
            rng.choice(["x", "y", "z"], m),
            strict=True,
        )
    ]
    header = ["height", "weight", "colour"]
    return (
        _write(tmp_path / "ref.csv", header, ref),
        _write(tmp_path / "same.csv", header, same),
        _write(tmp_path / "moved.csv", header, moved),
        ref,
        moved,
    )


def test_cli_no_drift_exit_0(csvs, capsys):
    ref, same, *_ = csvs
    assert main(["drift", ref, same]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DriftReport: no drift")
    assert "height" in out
    assert "colour" in out


def test_cli_drift_exit_1_and_json_matches_detect(csvs, capsys):
    ref_path, _, moved_path, ref_rows, moved_rows = csvs
    assert main(["drift", ref_path, moved_path, "--json", "--correction", "bonferroni"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["drifted"]) == {"height", "colour"}
    assert payload["correction"] == "bonferroni"
    cols = lambda rows: {  # noqa: E731
        "height": np.array([float(r[0]) for r in rows]),
        "weight": np.array([float(r[1]) for r in rows]),
        "colour": np.array([r[2] for r in rows], dtype=object),
    }
    expected = drift.detect(cols(ref_rows), cols(moved_rows), correction="bonferroni", rng=0)
    assert payload == json.loads(json.dumps(expected.to_dict()))


def test_cli_options(csvs, capsys, tmp_path):
    ref, _, moved, *_ = csvs
    # --test cramer_von_mises on a text column ran chi_square in its place
    # without a word; it is refused, naming the column
    assert main(["drift", ref, moved, "--test", "cramer_von_mises"]) == 2
    err = capsys.readouterr().err
    assert "--test cramer_von_mises compares numbers" in err
    assert "column 'colour' holds text" in err
    numeric = []
    for path in (ref, moved):
        lines = Path(path).read_text().splitlines()
        out = tmp_path / ("num_" + path.rsplit("/", 1)[-1])
        out.write_text("\n".join(ln.rsplit(",", 1)[0] for ln in lines) + "\n")
        numeric.append(str(out))
    argv = ["drift", *numeric, "--test", "cramer_von_mises", "--alpha", "0.01"]
    assert main([*argv, "--correction", "none", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    tests = {f["name"]: f["test"] for f in payload["features"]}
    assert tests == {"height": "cramer_von_mises", "weight": "cramer_von_mises"}
    assert payload["alpha"] == 0.01
    assert payload["correction"] is None
    assert main(["drift", ref, moved, "--test", "psi", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert {f["test"] for f in payload["features"]} == {"psi"}
    assert main(["drift", ref, moved, "--min-effect", "0.99"]) == 0


def test_cli_example(capsys):
    assert main(["drift", "--example"]) == 1
    out = capsys.readouterr().out
    assert "income" in out
    assert "DRIFT" in out
    assert main(["drift", "--example", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["drifted"]) == {"income", "channel"}


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["missing.csv", "missing2.csv"], "No such file"),
        (None, [], "give REFERENCE.csv and CURRENT.csv"),
        ("strings", ["REF", "BAD"], "holds numbers in"),
        ("columns", ["REF", "BAD"], "the columns differ"),
        ("ragged", ["REF", "BAD"], "line 3 has 1 field"),
        ("empty", ["REF", "BAD"], "empty file"),
        ("nan", ["REF", "BAD"], "free of NaN"),
        (None, ["REF", "REF", "--alpha", "1.5"], "'alpha' parameter of detect"),
        (
            None,
            ["REF", "REF", "--correction", "sidak"],
            "'correction' parameter of detect",
        ),
        (None, ["REF", "REF", "--test", "t_test"], "'tests' parameter of detect"),
        # --example with files ran on the built-in data and reported its drift
        (None, ["REF", "REF", "--example"], "--example takes no files"),
        (None, ["REF", "--example"], "--example takes no files"),
    ],
)
def test_cli_bad_input_exit_2_one_line(csvs, tmp_path, capsys, setup, args, message):
    ref = csvs[0]
    bad = tmp_path / "bad.csv"
    if setup == "strings":
        _write(
            bad,
            ["height", "weight", "colour"],
            [(1, "heavy", "x"), (2, 3, "y"), (3, 4, "x")],
        )
    elif setup == "columns":
        _write(bad, ["height", "mass", "colour"], [(1, 2, "x"), (2, 3, "y")])
    elif setup == "ragged":
        bad.write_text("height,weight,colour\n1,2,x\n3\n")
    elif setup == "empty":
        bad.write_text("")
    elif setup == "nan":
        _write(
            bad,
            ["height", "weight", "colour"],
            [(1, "", "x"), (2, 3, "y"), (3, 4, "x")],
        )
    argv = [
        "drift",
        *[ref if a == "REF" else str(bad) if a == "BAD" else a for a in args],
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("mllifecycle drift: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("setup", "which", "match"),
    [
        ("directory", "reference", r"is a directory; expected a file"),
        ("directory", "current", r"is a directory; expected a file"),
        ("unreadable", "reference", r"cannot be read \(Permission denied\)"),
        ("unreadable", "current", r"cannot be read \(Permission denied\)"),
        ("missing", "current", r"No such file"),
    ],
)
def test_cli_file_that_cannot_be_read_names_the_argument(
    csvs, tmp_path, capsys, monkeypatch, setup, which, match
):
    # a directory gave "[Errno 21] Is a directory: '...'": neither the argument
    # (reference or current) nor what was expected
    import builtins
    import re

    ref = csvs[0]
    bad = str(tmp_path / "bad.csv")
    if setup == "directory":
        (tmp_path / "bad.csv").mkdir()
    elif setup == "unreadable":
        (tmp_path / "bad.csv").write_text("height,weight,colour\n1,2,x\n")
        real_open = builtins.open

        def deny(path, *args, **kwargs):  # as root, chmod 000 does not stop a read
            if str(path) == bad:
                raise PermissionError(13, "Permission denied", path)
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", deny)
    args = [bad, ref] if which == "reference" else [ref, bad]
    assert main(["drift", *args]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"^mllifecycle drift: error: {which} file {re.escape(bad)}: {match}", err)
    assert len(err.strip().splitlines()) == 1


def test_read_table_refuses_a_directory(tmp_path):
    from mllifecycle._io import read_table

    with pytest.raises(ValueError, match=r"t\.csv: is a directory; expected a file"):
        read_table(str((tmp_path / "t.csv").mkdir() or tmp_path / "t.csv"))


def test_cli_nan_policy_omit(csvs, tmp_path, capsys):
    ref = csvs[0]
    cur = _write(
        tmp_path / "gaps.csv",
        ["height", "weight", "colour"],
        [(0.1, "", "x"), (0.2, 0.3, "y"), ("", 0.1, "x"), (0.4, -0.2, "")],
    )
    from mllifecycle.exceptions import DegenerateDataWarning

    with pytest.warns(DegenerateDataWarning, match="cannot reject"):  # 3 rows left
        assert main(["drift", ref, cur, "--nan-policy", "omit", "--json"]) in (0, 1)
    payload = json.loads(capsys.readouterr().out)
    sizes = {f["name"]: f["result"]["n_current"] for f in payload["features"]}
    assert sizes == {"height": 3, "weight": 3, "colour": 3}


def test_console_script_subprocess():
    exe = shutil.which("mllifecycle")
    cmd = [exe] if exe else [sys.executable, "-m", "mllifecycle.cli"]
    proc = subprocess.run(
        [*cmd, "drift", "--example"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "DriftReport: drift detected" in proc.stdout


def test_cli_module_imports_are_light():
    code = (
        "import sys, mllifecycle.drift._cli; "
        "print(any(m.startswith(('numpy', 'scipy', 'sklearn')) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False"
