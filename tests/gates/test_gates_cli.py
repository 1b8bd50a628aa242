"""The ``mllifecycle gate`` command: exit statuses 0 / 1 / 2, JSON, CSV parsing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from mllifecycle.cli import main
from mllifecycle.exceptions import InvalidParameterError


def _write(path, columns, header=None, fmt="%s"):
    arr = np.column_stack(columns) if isinstance(columns, list) else np.asarray(columns)
    lines = [] if header is None else [",".join(header)]
    if arr.ndim == 1:
        arr = arr[:, None]
    lines += [",".join(fmt % v for v in row) for row in arr]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    n = 3000
    y = rng.integers(0, 2, n)
    common = rng.random(n)
    a = np.where(common < 0.80, y, 1 - y)
    b = np.where(common < 0.86, y, 1 - y)  # strictly better on the same examples
    worse = np.where(common < 0.74, y, 1 - y)
    pb = np.clip(np.where(b == 1, 0.8, 0.2) + rng.normal(0, 0.05, n), 0, 1)
    region = rng.choice(["north", "south"], n)
    return {
        "y": _write(tmp_path / "y.csv", y, header=["label"]),
        "a": _write(tmp_path / "a.csv", a, header=["prediction"]),
        "b": _write(tmp_path / "b.csv", b, header=["prediction"]),
        "worse": _write(tmp_path / "w.csv", worse, header=["prediction"]),
        "proba": _write(tmp_path / "p.csv", [1 - pb, pb], header=["0", "1"], fmt="%.6f"),
        "proba_swapped": _write(tmp_path / "ps.csv", [pb, 1 - pb], header=["1", "0"], fmt="%.6f"),
        "slices": _write(tmp_path / "s.csv", region, header=["region"]),
        "tmp": tmp_path,
    }


def test_pass_exit_0(files, capsys):
    argv = ["gate", "--y-true", files["y"], "--champion", files["a"]]
    status = main([*argv, "--challenger", files["b"], "--metric", "accuracy"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("GateReport: PASSED")
    assert "[PASS] NoRegression(accuracy, margin=0)" in out


def test_fail_exit_1_with_json(files, capsys):
    argv = ["gate", "--y-true", files["y"], "--champion", files["a"]]
    status = main([*argv, "--challenger", files["worse"], "--json", "--margin", "0.01"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["passed"] is False
    assert report["results"][0]["name"] == "NoRegression(accuracy, margin=0.01)"


def test_require_improvement_and_slices(files, capsys):
    argv = ["gate", "--y-true", files["y"], "--champion", files["a"]]
    argv += ["--challenger", files["b"], "--require", "improvement"]
    status = main([*argv, "--slices", files["slices"], "--json", "--n-resamples", "1000"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    names = [r["name"] for r in report["results"]]
    assert names == [
        "SignificantImprovement(accuracy)",
        "SliceNoRegression(accuracy, margin=0)",
    ]
    slices = report["results"][1]["evidence"]["slices"]
    assert {s["slice"] for s in slices} == {"north", "south"}


def test_first_model_only_absolute_gates(files, capsys):
    argv = ["gate", "--y-true", files["y"], "--challenger", files["b"]]
    assert main([*argv, "--threshold", "0.8"]) == 0
    out = capsys.readouterr().out
    assert "no champion (first model)" in out
    assert "[SKIP] NoRegression" in out
    assert main([*argv, "--threshold", "0.95"]) == 1


def test_probability_columns_and_header_order(files, capsys):
    base = ["gate", "--y-true", files["y"], "--metric", "log_loss", "--json"]
    assert main([*base, "--challenger", files["proba"], "--threshold", "0.5"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*base, "--challenger", files["proba_swapped"], "--threshold", "0.5"]) == 0
    second = json.loads(capsys.readouterr().out)
    v1 = first["results"][0]["evidence"]["value"]
    assert v1 == second["results"][0]["evidence"]["value"]
    # accuracy from probability columns: argmax labels
    assert main(["gate", "--y-true", files["y"], "--challenger", files["proba"],
                 "--threshold", "0.8", "--json"]) == 0  # fmt: skip
    acc = json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"]
    assert acc > 0.8


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--metric", "acuracy"], "'metric' parameter"),
        (["--challenger", "MISSING.csv"], "(?i)no such file"),
        (["--challenger", "SHORT"], "same number of samples"),
        (["--challenger", "BADLABEL"], "labels present in y_true"),
        (["--challenger", "BADPROBA", "--metric", "log_loss"], r"\[0, 1\]"),
        (["--challenger", "EMPTY"], "'challenger' parameter .* empty file"),
        (["--slices", "EMPTY"], "'slices' parameter .* empty file"),
        (["--challenger", "HEADERONLY"], "'challenger' parameter .* no data rows"),
        (["--challenger", "RAGGED"], "line 3 has 2 field"),
        (["--challenger", "HOLE"], r"'challenger' parameter .*hole\.csv', whose line 3 is empty"),
        # a cell past the csv module's 131072 characters is valid (pandas reads
        # it); an unclosed quote is malformed
        (["--challenger", "UNCLOSED"], "never closes"),
        (["--margin", "-1"], "'margin'"),
        (["--alpha", "2"], "'alpha'"),
        # was "probabilities in [0, 1]" for a file of two columns of values
        (["--challenger", "TWOCOL", "--metric", "mse"],
         r"'challenger' parameter must be one column of predicted values for a regression "
         r"metric. Got 2 columns instead."),
    ],
)
def test_bad_input_exit_2_one_line(files, capsys, extra, message):
    tmp = files["tmp"]
    special = {
        "SHORT": _write(tmp / "short.csv", np.arange(10) % 2, header=["p"]),
        "BADLABEL": _write(tmp / "bad.csv", np.full(3000, 7), header=["p"]),
        "BADPROBA": _write(tmp / "bp.csv", np.full(3000, 1.5), header=["p"]),
        "EMPTY": _write(tmp / "empty.csv", np.array([], dtype=int)),
        "HEADERONLY": _write(tmp / "ho.csv", np.array([], dtype=int), header=["p"]),
        "RAGGED": str(_text(tmp / "rag.csv", "p\n1\n1,2\n")),
        "HOLE": str(_text(tmp / "hole.csv", "a,b\n0.2,0.8\n,0.5\n")),
        "TWOCOL": str(_text(tmp / "two.csv", "a,b\n" + "2.5,3.5\n" * 3000)),
        "UNCLOSED": str(_text(tmp / "unclosed.csv", 'p\n"0.5\n0.5\n0.5\n')),
    }
    extra = [special.get(e, e) for e in extra]
    argv = ["gate", "--y-true", files["y"], "--champion", files["a"]]
    if "--challenger" not in extra:
        argv += ["--challenger", files["b"]]
    status = main([*argv, *extra])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("mllifecycle gate: error:")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    import re

    assert re.search(message, err)


def _text(path, text):
    path.write_text(text)
    return path


def test_read_column_file_header_rules(tmp_path):
    from mllifecycle.gates._cli import read_column_file

    p = tmp_path / "t.csv"
    p.write_text("label\ncat\ndog\ncat\n")
    header, values = read_column_file(str(p), "y")
    assert header == ["label"]
    assert values.tolist() == ["cat", "dog", "cat"]
    # a header equal to one of the labels is a header when header=True says so
    p.write_text("cat\ncat\ndog\ncat\n")
    header, values = read_column_file(str(p), "y")
    assert header == ["cat"]
    assert values.tolist() == ["cat", "dog", "cat"]
    # ... and ambiguous under the command line's default (header=None): that
    # first row may be the first label of a file without a header
    with pytest.raises(InvalidParameterError, match=r"'y' parameter must be a first row that is "
                       r"clearly a header, or --header / --no-header.*first row 'cat' is also "
                       r"one of its labels"):
        read_column_file(str(p), "y", header=None)
    p.write_text("label\ncat\ndog\n")
    assert read_column_file(str(p), "y", header=None)[0] == ["label"]
    p.write_text("cat\ndog\ncat\n")
    header, values = read_column_file(str(p), "y", header=False)
    assert header is None
    assert values.tolist() == ["cat", "dog", "cat"]
    p.write_text("1\n0\n1\n")
    header, values = read_column_file(str(p), "y", header=False)
    assert header is None
    assert values.dtype.kind == "i"
    assert values.tolist() == [1, 0, 1]


@pytest.mark.parametrize(
    ("text", "header", "line"),
    [
        ("p\n1\n\n0\n", True, 3),  # an empty line is a missing value in its place
        ("p\n1\n0\n\n", True, 4),  # as pandas writes a last missing value
        ("\n1\n0\n", False, 1),
        ("p\nNA\n1\n", True, 2),
        ("p\ncat\n\ndog\n", True, 3),
        ("p\r\n0.5\r\n\r\n0.25\r\n", True, 3),
        ("d\n2024-01-01\n\n", True, 3),
        ('a,b\n"x\ny",1\n,2\n', True, 4),  # a quoted cell spanning two lines
    ],
)
def test_read_column_file_names_the_line_of_a_missing_value(tmp_path, text, header, line):
    # empty lines of a one-column file were skipped: the column came out
    # shorter and the error was a length mismatch ("600 expected, got 400")
    from mllifecycle.gates._cli import read_column_file

    p = tmp_path / "t.csv"
    p.write_text(text, newline="")
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter must be a value in every cell.*t\.csv', whose "
                             rf"line {line} is empty or a missing value"):
        read_column_file(str(p), "y", header=header)


def test_read_column_file_final_newline_is_not_a_row(tmp_path):
    from mllifecycle.gates._cli import read_column_file

    p = tmp_path / "t.csv"
    for text in ("p\n1\n0\n", "p\n1\n0", "\n\np\n1\n0\n"):
        p.write_text(text)
        assert read_column_file(str(p), "y")[1].tolist() == [1, 0]


@pytest.mark.parametrize("which", ["--y-true", "--challenger", "--champion", "--slices"])
def test_gate_refuses_empty_lines_naming_file_and_line(tmp_path, capsys, which):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 600)
    cells = {
        "--y-true": y.astype(str),
        "--challenger": y.astype(str),
        "--champion": y.astype(str),
        "--slices": rng.choice(["north", "south"], 600),
    }
    paths = {}
    for opt, col in cells.items():
        col = col.astype(object)
        if opt == which:
            col[::3] = ""  # 200 empty cells: read shorter, 400 values, before
        path = tmp_path / f"{opt[2:]}.csv"
        path.write_text("v\n" + "\n".join(col) + "\n")
        paths[opt] = str(path)
    argv = ["gate", "--threshold", "0.5"] + [a for kv in paths.items() for a in kv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"{which[2:]}.csv', whose line 2 is empty or a missing value" in err, err
    assert "same number of samples" not in err


def test_explicit_header_wins_over_a_header_of_numbers(tmp_path, capsys):
    # probability columns headed by the classes written as floats were
    # refused even with --header, which says the first row is a header
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    p1 = np.clip(np.where(y == 1, 0.8, 0.2) + rng.normal(0, 0.1, 300), 0.01, 0.99)
    yp = _write(tmp_path / "y.csv", y, header=["y"])
    floats = _write(tmp_path / "f.csv", [p1, 1 - p1], header=["1.0", "0.0"], fmt="%.6f")
    ints = _write(tmp_path / "i.csv", [p1, 1 - p1], header=["1", "0"], fmt="%.6f")
    base = ["gate", "--y-true", yp, "--metric", "log_loss", "--threshold", "0.6", "--json"]
    assert main([*base, "--challenger", floats]) == 2
    assert "first row '1.0,0.0' is numbers" in capsys.readouterr().err
    assert main([*base, "--challenger", floats, "--header"]) == 0
    by_float = json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"]
    assert main([*base, "--challenger", ints]) == 0
    by_int = json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"]
    assert by_float == by_int < 0.6  # read by class (1.0 is class 1), not by position
    # one column of labels headed by a number, said to be a header
    one = _text(tmp_path / "one.csv", "1\n" + "\n".join(y.astype(str)) + "\n")
    assert main(["gate", "--y-true", yp, "--challenger", str(one), "--threshold", "0.9",
                 "--header", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"] == 1.0


def test_no_champion_and_no_threshold_refuses(files, capsys):
    status = main(["gate", "--y-true", files["y"], "--challenger", files["b"]])
    err = capsys.readouterr().err
    assert status == 2
    assert "nothing to decide" in err
    assert "PASSED" not in err


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_and_headerless_files(tmp_path, capsys, sep):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 400)
    good = np.where(rng.random(400) < 0.9, y, 1 - y)
    proba = np.column_stack([1 - good * 0.8 - 0.1, good * 0.8 + 0.1])

    def write(name, cols, header):
        rows = [sep.join(header)] if header else []
        rows += [sep.join(str(v) for v in r) for r in np.column_stack(cols)]
        return str(_text(tmp_path / name, "\n".join(rows) + "\n"))

    for header in (["y"], None):
        hp = None if header is None else ["0", "1"]
        argv = ["gate", "--y-true", write("y.txt", [y], header)]
        argv += ["--challenger", write("p.txt", [proba[:, 0], proba[:, 1]], hp)]
        argv += ["--metric", "log_loss", "--threshold", "0.4", "--json"]
        if header is None:
            argv.append("--no-header")
        assert main(argv) == 0, capsys.readouterr().err
        value = json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"]
        expected = -np.mean(np.log(proba[np.arange(400), y]))
        assert value == pytest.approx(expected, rel=1e-9)


def test_console_script_subprocess(files):
    exe = shutil.which("mllifecycle")
    cmd = [exe] if exe else [sys.executable, "-m", "mllifecycle.cli"]
    argv = ["gate", "--y-true", files["y"], "--champion", files["a"]]
    ok = subprocess.run(
        [*cmd, *argv, "--challenger", files["b"]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [*cmd, *argv, "--challenger", files["b"], "--metric", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("y_text", "chal_text", "extra", "match"),
    [
        # headerless files of numbers read with the (default) header row lost
        # their first row in every file alike: a gate judged n-1 rows, exit 0
        ("0\n1\n1\n1\n", "1\n1\n1\n1\n", [], r"'y_true' parameter .*--no-header.*first row '0'"),
        ("y\n0\n1\n", "0.5\n0.5\n", ["--metric", "log_loss"], r"'challenger' .*first row '0.5'"),
        ("y\n0\n1\n", "0.2,0.8\n0.7,0.3\n", ["--metric", "log_loss"],
         r"'challenger' .*first row '0.2,0.8'"),
        ("y\n0\n1\n", "p\n1\n0\n", ["--slices", "SLICES"], r"'slices' .*first row '3'"),
    ],
)
def test_first_row_of_numbers_is_not_taken_for_a_header(tmp_path, capsys, y_text, chal_text,
                                                        extra, match):
    import re

    y = _text(tmp_path / "y.csv", y_text)
    chal = _text(tmp_path / "c.csv", chal_text)
    slices = _text(tmp_path / "s.csv", "3\n4\n")
    extra = [str(slices) if e == "SLICES" else e for e in extra]
    status = main(["gate", "--y-true", str(y), "--challenger", str(chal), "--threshold", "0.1",
                   *extra])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert re.search(match, err), err


def test_header_of_class_names_is_a_header(tmp_path, capsys):
    # several columns named 0, 1 (pandas' names for an unnamed frame) stay a header
    y = _text(tmp_path / "y.csv", "y\n0\n1\n")
    chal = _text(tmp_path / "c.csv", "1,0\n0.3,0.7\n0.6,0.4\n")
    assert main(["gate", "--y-true", str(y), "--challenger", str(chal), "--threshold", "0.9",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["evidence"]["value"] == 1.0


@pytest.mark.parametrize(
    ("chal_text", "metric", "match"),
    [
        # the threshold gate named the challenger 'champion' (there was none)
        ("p\n" + "yes\nno\n" * 20, "accuracy", r"'challenger' parameter of MetricThreshold"),
        ("p\n" + "1.5\n0.5\n" * 20, "log_loss", r"'challenger' .*probabilities in \[0, 1\]"),
    ],
)
def test_threshold_gate_names_the_challenger(tmp_path, capsys, chal_text, metric, match):
    import re

    y = _text(tmp_path / "y.csv", "y\n" + "1\n0\n" * 20)
    chal = _text(tmp_path / "c.csv", chal_text)
    status = main(["gate", "--y-true", str(y), "--challenger", str(chal), "--metric", metric,
                   "--threshold", "0.5"])
    err = capsys.readouterr().err
    assert status == 2
    assert re.search(match, err), err
    assert "champion" not in err


@pytest.mark.parametrize(
    ("metric", "bounds", "match"),
    [
        # a bound outside the metric's range made a gate that always passed
        # (error_rate <= 5, meant as 5 %) or always failed (accuracy >= 80)
        ("accuracy", {"minimum": 80.0}, r"'minimum' .*within accuracy's range \[0, 1\].*Got 80"),
        ("error", {"maximum": 5.0}, r"'maximum' .*within error_rate's range \[0, 1\].*Got 5"),
        ("f1", {"minimum": -0.5}, r"'minimum' .*within f1's range \[0, 1\].*Got -0.5"),
        ("log_loss", {"maximum": -1.0}, r"'maximum' .*within log_loss's range \[0, inf\)"),
        ("brier_score", {"maximum": 2.5}, r"'maximum' .*within brier_score's range \[0, 2\]"),
    ],
)
def test_threshold_outside_the_metric_range_is_refused(metric, bounds, match):
    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.gates import MetricThreshold

    with pytest.raises(InvalidParameterError, match=match):
        MetricThreshold(metric, **bounds)


@pytest.mark.parametrize(
    ("metric", "bounds"),
    [("accuracy", {"minimum": 0.0}), ("accuracy", {"minimum": 1.0}),
     ("brier_score", {"maximum": 1.5}), ("mse", {"maximum": 1e6}),
     (lambda y, p: 0.0, {"minimum": -5.0})],
)
def test_threshold_inside_the_metric_range_is_kept(metric, bounds):
    from mllifecycle.gates import MetricThreshold

    gate = MetricThreshold(metric, **bounds)
    assert gate.minimum == bounds.get("minimum")


def test_gate_threshold_as_a_percentage_exits_2(files, capsys):
    status = main(["gate", "--y-true", files["y"], "--challenger", files["b"], "--threshold", "80"])
    err = capsys.readouterr().err
    assert status == 2
    assert "accuracy's range [0, 1]" in err


@pytest.mark.parametrize(
    ("y_text", "header"),
    [("no\nyes\n", "yes,maybe"), ("0\n1\n", "1,2"), ("0\n1\n", "1.0,p")],
    ids=["unknown-class", "other-numbers", "one-number"],
)
def test_header_naming_some_classes_is_refused(tmp_path, capsys, y_text, header):
    # such a header was read by position: column "yes" became class "no" and
    # ROC AUC became 1 - AUC, with exit 0 or 1 (GateContext refuses such tables)
    y = _text(tmp_path / "y.csv", "y\n" + y_text * 20)
    chal = _text(tmp_path / "c.csv", header + "\n" + "0.7,0.3\n0.2,0.8\n" * 20)
    status = main(["gate", "--y-true", str(y), "--challenger", str(chal), "--metric", "roc_auc",
                   "--threshold", "0.5", "--header"])
    err = capsys.readouterr().err
    assert status == 2
    assert "'challenger' parameter of mllifecycle gate must be one column per class" in err, err
    assert "named by class (in any order" in err


@pytest.mark.parametrize(
    ("header", "status"),
    [("no", 2), ("yes", 0), ("p", 0)],
    ids=["other-class", "positive-class", "not-a-class"],
)
def test_one_probability_column_headed_by_the_other_class_is_refused(tmp_path, capsys, header,
                                                                     status):
    # a column headed "no" (P(no)) was read as P(yes): ROC AUC 1 - AUC, exit 0 or 1
    y = _text(tmp_path / "y.csv", "y\n" + "no\nyes\n" * 20)
    p_yes = np.tile([0.3, 0.8], 20)
    column = 1 - p_yes if header == "no" else p_yes
    chal = _write(tmp_path / "c.csv", column, header=[header])
    got = main(["gate", "--y-true", str(y), "--challenger", chal, "--metric", "roc_auc",
                "--threshold", "0.9"])
    err = capsys.readouterr().err
    assert got == status, err
    if status == 2:
        assert ("'challenger' parameter of mllifecycle gate must be one column of "
                "probabilities of the positive class 'yes'") in err
        assert "named after the other class 'no'" in err
