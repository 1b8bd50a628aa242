"""Command line: inputs that gave a wrong answer with exit 0/1, or an unclear error."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mllifecycle.cli import main


def _lines(path, header, values):
    path.write_text("\n".join([header, *[str(v) for v in values]]) + "\n")
    return str(path)


# --- gate: one probability column headed by the negative class (library rule) ---


def test_gate_probability_column_headed_by_the_negative_class_as_a_float(tmp_path, capsys):
    # y_true 0/1, a column headed "0.0" (--header) holds P(0): the inline check
    # compared text ("0.0" != "0") and read it as P(1), ROC AUC 1 - AUC, exit 0
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p1 = np.clip(np.where(y == 1, 0.8, 0.2) + rng.normal(0, 0.1, 200), 0, 1)
    yp = _lines(tmp_path / "y.csv", "y", y)
    chal = _lines(tmp_path / "c.csv", "0.0", [f"{v:.4f}" for v in 1 - p1])
    argv = ["gate", "--y-true", yp, "--challenger", chal, "--metric", "roc_auc", "--header"]
    assert main([*argv, "--threshold", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "one column of probabilities of the positive class '1'" in err
    assert "named after the other class '0.0'" in err
    # the positive class's column, headed "1.0", is read as it says
    chal = _lines(tmp_path / "c1.csv", "1.0", [f"{v:.4f}" for v in p1])
    argv[4] = chal
    assert main([*argv, "--threshold", "0.9"]) == 0


# --- gate / registry promote: --n-resamples too small for alpha ---


@pytest.fixture
def gate_files(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    y = rng.integers(0, 2, n)
    a = np.where(rng.random(n) < 0.7, y, 1 - y)
    b = np.where(rng.random(n) < 0.8, y, 1 - y)
    return {k: _lines(tmp_path / f"{k}.csv", "v", v) for k, v in (("y", y), ("a", a), ("b", b))}


@pytest.mark.parametrize(("n", "alpha", "status"), [
    ("1", "0.05", 2), ("19", "0.05", 2), ("20", "0.05", 0), ("100", "0.001", 2),
])
def test_gate_n_resamples_below_one_over_alpha_is_refused(gate_files, capsys, n, alpha, status):
    # --n-resamples 1: the "95% bound" was one resample's value, and the gate
    # passed or failed on it
    f = gate_files
    got = main(["gate", "--y-true", f["y"], "--champion", f["a"], "--challenger", f["b"],
                "--n-resamples", n, "--alpha", alpha])
    err = capsys.readouterr().err
    assert got == status, err
    if status == 2:
        assert "'n_resamples' parameter of mllifecycle gate must be at least 1/alpha" in err
        assert f"Got {n} instead" in err


def test_registry_promote_n_resamples_below_one_over_alpha_is_refused(gate_files, tmp_path,
                                                                      capsys):
    pytest.importorskip("skops")
    from sklearn.dummy import DummyClassifier

    from mllifecycle.store import Registry, Store

    db = tmp_path / "reg.db"
    reg = Registry(Store(str(db)))
    for _ in range(2):
        reg.register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    reg.store.close()
    f = gate_files
    argv = ["registry", "promote", "m", "2", "--store", str(db), "--y-true", f["y"],
            "--challenger", f["b"], "--champion", f["a"]]
    assert main([*argv, "--n-resamples", "1"]) == 2
    err = capsys.readouterr().err
    assert "'n_resamples' parameter of mllifecycle registry promote must be at least" in err


# --- an infinite number read as a label ---


def test_gate_refuses_an_infinite_label(tmp_path, capsys):
    # "inf" became a class of its own beside 0 and 1, and the gate passed
    y = _lines(tmp_path / "y.csv", "y", [0, 1, "inf", 1, 0, 1])
    assert main(["gate", "--y-true", y, "--challenger", y, "--threshold", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "'y_true' parameter must be finite numbers (no inf or -inf)" in err
    assert "line 4 is infinite" in err


@pytest.mark.parametrize("column", ["task", "label"])
def test_labels_aggregate_refuses_an_infinite_number(tmp_path, capsys, column):
    # label "inf" among 0/1: accepted, and every label printed as a float (1.0)
    rows = [(1, "a", 1), (1, "b", 1), (2, "a", 0), (2, "b", 0)]
    rows[0] = ("inf", "a", 1) if column == "task" else (1, "a", "-inf")
    if column == "task":
        rows[1] = ("inf", "b", 1)
    path = tmp_path / "answers.csv"
    path.write_text("task,worker,label\n" + "".join(f"{t},{w},{lab}\n" for t, w, lab in rows))
    assert main(["labels", "aggregate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"column {column!r} holds" in err
    assert "an infinite number" in err


def test_labels_aggregate_text_label_inf_is_still_a_label(tmp_path, capsys):
    path = tmp_path / "answers.csv"
    path.write_text("task,worker,label\n1,a,x\n1,b,inf\n2,a,y\n2,b,y\n")
    assert main(["labels", "aggregate", str(path)]) == 0


# --- plan: a target outside --bounds ---


@pytest.mark.parametrize(("target", "bounds", "status"), [
    ("1.5", ["0", "1"], 2), ("-0.1", ["0", "none"], 2), ("0.7", ["0", "1"], 0),
])
def test_plan_target_outside_bounds_is_a_usage_error(tmp_path, capsys, target, bounds, status):
    # --target 1.5 for an accuracy exited 1 ("not reachable"), as a finding
    curve = tmp_path / "curve.csv"
    curve.write_text("size,score\n100,0.6\n200,0.7\n400,0.76\n800,0.8\n")
    got = main(["plan", str(curve), "--target", target, "--bounds", *bounds])
    err = capsys.readouterr().err
    assert got == status, err
    if status == 2:
        assert "'target' parameter of mllifecycle plan must be a value within --bounds" in err


# --- drift: column kinds ---


def _column(path, name, values):
    path.write_text(name + "\n" + "".join(f"{v}\n" for v in values))
    return str(path)


def test_drift_numeric_test_on_text_column_is_refused(tmp_path, capsys):
    # --test ks on a text column ran chi_square in its place without a word
    r = _column(tmp_path / "r.csv", "colour", ["x", "y"] * 50)
    c = _column(tmp_path / "c.csv", "colour", ["x"] * 100)
    for test in ("ks", "wasserstein", "anderson_darling", "cramer_von_mises"):
        assert main(["drift", r, c, "--test", test]) == 2
        err = capsys.readouterr().err
        assert f"--test {test} compares numbers (or dates), and column 'colour' holds text" in err
    assert main(["drift", r, c, "--test", "chi_square", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["features"][0]["test"] == "chi_square"


def test_drift_dates_against_numbers_are_refused(tmp_path, capsys):
    # dates were tested as nanoseconds against the numbers: KS statistic 1, exit 1
    r = _column(tmp_path / "r.csv", "when", [f"2024-01-{d:02d}" for d in range(1, 29)])
    c = _column(tmp_path / "c.csv", "when", list(range(1, 29)))
    assert main(["drift", r, c]) == 2
    err = capsys.readouterr().err
    assert "column 'when' holds dates in" in err
    assert "(such as '2024-01-01') and numbers in" in err
    assert "(such as '1')" in err


@pytest.mark.parametrize("policy", ["raise", "omit"])
def test_drift_column_empty_in_one_file_is_named(tmp_path, capsys, policy):
    # was "non-numeric values (such as strings) in reference's column 'b'",
    # blaming the file that held the only values
    r = tmp_path / "r.csv"
    r.write_text("a,b\n" + "".join(f"{i},{'xy'[i % 2]}\n" for i in range(20)))
    c = tmp_path / "c.csv"
    c.write_text("a,b\n" + "".join(f"{i}," + "\n" for i in range(20)))
    assert main(["drift", str(r), str(c), "--nan-policy", policy]) == 2
    err = capsys.readouterr().err
    assert f"{c}: column 'b' has no values (every cell is empty or a missing value)" in err


def test_drift_numbers_against_text_names_both_files(tmp_path, capsys):
    r = _column(tmp_path / "r.csv", "a", range(20))
    c = _column(tmp_path / "c.csv", "a", ["x", "y"] * 10)
    assert main(["drift", r, c]) == 2
    err = capsys.readouterr().err
    assert f"column 'a' holds numbers in {r} (such as '0') and text in {c} (such as 'x')" in err


def test_drift_true_false_in_one_file_and_text_in_the_other(tmp_path, capsys):
    # true/false/maybe (text) against true/false (read as booleans): refused
    # with advice for Python callers (astype(str)); now compared as categories
    rng = np.random.default_rng(0)
    ref = rng.choice(["true", "false", "maybe"], 300, p=[0.45, 0.45, 0.1])
    same = rng.choice(["True", "False"], 300)
    r = _column(tmp_path / "r.csv", "f", ref)
    c = _column(tmp_path / "c.csv", "f", same)
    assert main(["drift", r, c, "--json"]) == 1  # "maybe" is gone: drift
    feature = json.loads(capsys.readouterr().out)["features"][0]
    assert feature["test"] == "chi_square"
    # same proportions of true/false, and "maybe" in neither ... and in both
    counts = {k: int((ref == k).sum()) for k in ("true", "false", "maybe")}
    cur = rng.permutation(np.repeat(["TRUE", "false", "maybe"], list(counts.values())))
    c2 = _column(tmp_path / "c2.csv", "f", cur)
    assert main(["drift", r, c2, "--json"]) == 0
    feature = json.loads(capsys.readouterr().out)["features"][0]
    assert feature["statistic"] == pytest.approx(0.0)  # "TRUE" is "true": same counts


# --- messages: the file's own line, numbers written with a comma, one-line warnings ---


def test_ragged_row_names_the_files_own_line(tmp_path, capsys):
    # blank lines before the row were not counted: "line 4" for line 6
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1,2\n\n\n3,4\n5\n")
    assert main(["drift", str(path), str(path)]) == 2
    assert "line 6 has 1 field(s); the header has 2" in capsys.readouterr().err
    path.write_text('a,b\n1,2\n"3\n4",5\n6\n')  # a quoted cell over two lines
    assert main(["drift", str(path), str(path)]) == 2
    assert "line 5 has 1 field(s)" in capsys.readouterr().err


def test_decimal_commas_in_a_one_column_file_get_a_hint(tmp_path, capsys):
    y = _lines(tmp_path / "y.csv", "y", [1, 0, 1, 0])
    p = _lines(tmp_path / "p.csv", "p", ["0,8", "0,2", "0,7", "0,4"])
    argv = ["gate", "--y-true", y, "--challenger", p, "--metric", "roc_auc", "--threshold", "0.5"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "line 2 has 2 field(s); the header has 1 (comma-separated); numbers with a " in err
    assert "decimal comma ('0,8')? Pass --sep ';'" in err
    assert main([*argv, "--sep", ";"]) == 0
    capsys.readouterr()
    # quoted, the cells were read as text: "Got text values" and no more
    q = _lines(tmp_path / "q.csv", "p", ['"0,8"', '"0,2"', '"0,7"', '"0,4"'])
    assert main(["gate", "--y-true", y, "--challenger", q, "--metric", "roc_auc",
                 "--threshold", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "numeric probabilities for this metric. Got numbers written with a comma such as " \
           "'0,8'" in err


def test_gate_regression_predictions_written_as_text(tmp_path, capsys):
    # was the library's "numeric (... use a categorical test)", naming no cell
    y = _lines(tmp_path / "y.csv", "y", [1.5, 2.5, 3.5, 4.5])
    p = _lines(tmp_path / "p.csv", "p", [1.5, 2.5, "n/a?", 4.5])
    assert main(["gate", "--y-true", y, "--challenger", p, "--metric", "mse",
                 "--threshold", "5"]) == 2
    err = capsys.readouterr().err
    assert ("'challenger' parameter must be numbers (predicted values) for a regression "
            "metric. Got text values such as 'n/a?'") in err


def test_plan_text_column_names_a_cell(tmp_path, capsys):
    curve = tmp_path / "c.csv"
    curve.write_text('size,f1\n"1,000",0.6\n"2,000",0.7\n"4,000",0.76\n"8,000",0.8\n')
    assert main(["plan", str(curve), "--target", "0.8", "--bounds", "0", "1"]) == 2
    assert "column 'size' is not numeric (it holds '1,000', a number written with a comma" \
        in capsys.readouterr().err
    curve.write_text("size,f1\n100,0.6\n200,0.7\n400,x\n800,0.8\n")
    assert main(["plan", str(curve), "--target", "0.8", "--bounds", "0", "1"]) == 2
    assert "column 'f1' is not numeric (it holds 'x')" in capsys.readouterr().err


def test_drift_columns_in_another_order(tmp_path, capsys):
    r = tmp_path / "r.csv"
    r.write_text("a,b\n1,x\n2,y\n3,x\n")
    c = tmp_path / "c.csv"
    c.write_text("b,a\nx,1\ny,2\nx,3\n")
    assert main(["drift", str(r), str(c)]) == 2
    assert "the columns are in another order" in capsys.readouterr().err


def test_warnings_print_one_line_naming_the_command(tmp_path):
    import subprocess
    import sys

    # Python's format added a line of the library's source to every warning
    r = _column(tmp_path / "r.csv", "a", [1, 1, 1, 1])
    proc = subprocess.run(
        [sys.executable, "-m", "mllifecycle", "drift", r, r, "--test", "psi"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines, proc.stderr
    assert all(ln.startswith("mllifecycle drift: warning: ") for ln in lines), proc.stderr
    assert lines[0].endswith("(DegenerateDataWarning)")


def _european(x, sep):
    return f"{x:,.1f}".replace(",", "X").replace(".", ",").replace("X", sep)


@pytest.mark.parametrize("sep", [".", " ", "\u202f", "'"], ids=["point", "space", "nnbsp", "apos"])
def test_drift_numbers_grouped_by_points_or_spaces_are_refused(tmp_path, capsys, sep):
    # 5.125,7 (German) or 5 125,7 (French) in a semicolon file was text: the
    # amounts moved from ~1000 to ~1400 and the report said "no drift", exit 0
    rng = np.random.default_rng(0)
    paths = []
    for name, mean in (("r", 1000), ("c", 1400)):
        path = tmp_path / f"{name}.csv"
        cells = [_european(v, sep) for v in rng.normal(mean, 300, 200)]
        path.write_text("amount;k\n" + "".join(f"{c};a\n" for c in cells), encoding="utf-8")
        paths.append(str(path))
    assert main(["drift", *paths]) == 2
    err = capsys.readouterr().err
    assert "column 'amount' holds numbers with a thousands separator" in err
    assert "read as text; write them without one" in err


# --- --no-header on a file with a header row ---


def test_drift_no_header_on_a_file_with_one(tmp_path, capsys):
    # "height" above numbers made the column text: compared as categories
    rng = np.random.default_rng(0)
    paths = []
    for name, mean in (("r", 0.0), ("c", 1.0)):
        path = tmp_path / f"{name}.csv"
        rows = zip(rng.normal(mean, 1, 300), rng.choice(list("xy"), 300), strict=True)
        path.write_text("height,colour\n" + "".join(f"{v:.3f},{c}\n" for v, c in rows))
        paths.append(str(path))
    assert main(["drift", *paths, "--no-header"]) == 2
    err = capsys.readouterr().err
    assert "with --no-header the first row is data, but its 'height' (column '0')" in err
    assert main(["drift", *paths, "--json"]) == 1  # read with its header: ks on height
    tests = {f["name"]: f["test"] for f in json.loads(capsys.readouterr().out)["features"]}
    assert tests == {"height": "ks", "colour": "chi_square"}


def test_gate_no_header_on_files_with_one(tmp_path, capsys):
    # y_true and predictions both headed "label": the header was a correct prediction
    y = _lines(tmp_path / "y.csv", "label", [1, 0, 1, 0, 1, 1])
    p = _lines(tmp_path / "p.csv", "label", [1, 0, 0, 0, 1, 1])
    # read with the header as a label, accuracy 6/7 passed a threshold that 5/6 fails
    assert main(["gate", "--y-true", y, "--challenger", p, "--threshold", "0.85",
                 "--no-header"]) == 2
    err = capsys.readouterr().err
    assert "first row ('label' in a column of numbers) looks like a header; drop --no-header" \
        in err
    assert main(["gate", "--y-true", y, "--challenger", p, "--threshold", "0.85"]) == 1


@pytest.mark.parametrize("header", ["task,worker,label", "id,who,answer"])
def test_labels_aggregate_no_header_on_a_file_with_one(tmp_path, capsys, header):
    # task "task" got a label of its own in the output, exit 0
    path = tmp_path / "a.csv"
    path.write_text(header + "\n1,a,1\n1,b,1\n2,a,0\n2,b,0\n")
    assert main(["labels", "aggregate", str(path), "--no-header"]) == 2
    err = capsys.readouterr().err
    assert "drop --no-header" in err


def test_plan_no_header_on_a_file_with_one(tmp_path, capsys):
    curve = tmp_path / "c.csv"
    curve.write_text("size,score\n100,0.6\n200,0.7\n400,0.76\n800,0.8\n")
    assert main(["plan", str(curve), "--target", "0.8", "--no-header"]) == 2
    assert "its 'size' sits above numbers, like a header; drop --no-header" \
        in capsys.readouterr().err


@pytest.mark.parametrize("cell", ["#DIV/0!", "#VALUE!", "#N/A", "#NAME?"])
def test_drift_spreadsheet_error_values_among_numbers(tmp_path, capsys, cell):
    # an error value in both files made both columns text: the numbers moved
    # by one standard deviation and were compared as categories
    rng = np.random.default_rng(0)
    paths = []
    for name, mean in (("r", 0.0), ("c", 1.0)):
        cells = [f"{v:.3f}" for v in rng.normal(mean, 1, 300)]
        cells[5] = cell
        paths.append(_column(tmp_path / f"{name}.csv", "a", cells))
    status = main(["drift", *paths])
    err = capsys.readouterr().err
    if cell == "#N/A":  # pandas' marker: a missing value
        assert status == 2
        assert "free of NaN" in err or "missing" in err, err
        return
    assert status == 2, err
    assert f"column 'a' holds numbers (or dates) and {cell!r} (data row 6)" in err
    assert main(["drift", *paths, f"--na-values={cell}", "--nan-policy", "omit"]) == 1


def test_drift_text_example_is_a_cell_that_is_not_a_number(tmp_path, capsys):
    r = _column(tmp_path / "r.csv", "a", ["0.5", "1.5", "2.5 kg", "3"])
    c = _column(tmp_path / "c.csv", "a", [1, 2, 3, 4])
    assert main(["drift", r, c]) == 2
    assert "holds text in" in (err := capsys.readouterr().err)
    assert "(such as '2.5 kg')" in err
