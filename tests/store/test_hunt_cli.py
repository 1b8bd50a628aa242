"""Hunt: ``mllifecycle registry promote`` on label files with a byte-order mark."""

from __future__ import annotations

import json

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")


@pytest.mark.parametrize(("header", "flags"), [("", ["--no-header"]), ("label\n", [])])
def test_bom_does_not_drop_the_first_label(tmp_path, capsys, header, flags):
    # without a header, "\ufeff0" was not a number, so the first row was taken
    # for a header and dropped from both files: accuracy 3/3 instead of 3/4,
    # and a version below the floor was promoted
    db = str(tmp_path / "reg.db")
    Registry(Store(db)).register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    y, chal = tmp_path / "y.csv", tmp_path / "c.csv"
    y.write_bytes(b"\xef\xbb\xbf" + (header + "0\n1\n1\n1\n").encode())
    chal.write_bytes(b"\xef\xbb\xbf" + (header + "1\n1\n1\n1\n").encode())
    code = main(["registry", "promote", "m", "1", "--store", db, "--y-true", str(y),
                 "--challenger", str(chal), "--minimum", "0.9", *flags])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["passed"] is False
    assert out["report"]["n_samples"] == 4
    assert out["report"]["results"][0]["evidence"]["value"] == 0.75


def _promote(tmp_path, capsys, y_text, chal_text, *extra):
    db = str(tmp_path / "reg.db")
    Registry(Store(db)).register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    y, chal = tmp_path / "y.csv", tmp_path / "c.csv"
    y.write_text(y_text)
    chal.write_text(chal_text)
    code = main(["registry", "promote", "m", "1", "--store", db, "--y-true", str(y),
                 "--challenger", str(chal), "--minimum", "0.5", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("y_text", "chal_text", "extra", "n", "value"),
    [
        # the bug: a text header above text labels was counted as a label (and
        # as a correct prediction): accuracy 2/4 passed a 0.5 floor, truth 1/3
        ("label\nyes\nno\nno\n", "pred\nno\nyes\nno\n", [], 3, 1 / 3),
        ("label\nyes\nno\nno\n", "label\nno\nyes\nno\n", [], 3, 1 / 3),
        # a header equal to a label is a header when --header says so
        ("yes\nyes\nno\nno\n", "no\nno\nyes\nno\n", ["--header"], 3, 1 / 3),
        # headerless files are read whole when --no-header says so
        ("yes\nno\nno\n", "no\nyes\nno\n", ["--no-header"], 3, 1 / 3),
        ("1\n0\n0\n", "0\n1\n0\n", ["--no-header"], 3, 1 / 3),
        # the other delimiters and a float-written prediction of an int label
        ("y\n1\n0\n0\n", "p\n0.0\n1.0\n0.0\n", [], 3, 1 / 3),
    ],
)
def test_promote_header_is_not_a_label(tmp_path, capsys, y_text, chal_text, extra, n, value):
    code, out, err = _promote(tmp_path, capsys, y_text, chal_text, *extra)
    assert code == 1, err
    report = json.loads(out)["report"]
    assert report["n_samples"] == n
    assert report["results"][0]["evidence"]["value"] == pytest.approx(value)


@pytest.mark.parametrize(
    ("y_text", "chal_text", "match"),
    [
        # a headerless file of numbers read with a header would lose its first
        # row silently (in every file alike): refused, naming the file's argument
        ("0\n1\n1\n1\n", "1\n1\n1\n1\n", r"'y_true' .*--no-header.*first row '0' is numbers"),
        ("y\n0\n1\n", "1.0\n1\n1\n", r"'challenger' .*--no-header.*first row '1.0' is num"),
        ("y\n0\n1\n", "p\n1\n", r"same number of samples"),
        ("y\n0\n1\n", "a,b\n1,0\n0,1\n", r"'challenger' parameter .*one column"),
    ],
)
def test_promote_refuses_what_it_cannot_read_right(tmp_path, capsys, y_text, chal_text, match):
    import re

    code, out, err = _promote(tmp_path, capsys, y_text, chal_text)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert re.search(match, err), err


def test_promote_refuses_a_first_row_that_may_be_a_label(tmp_path, capsys):
    # headerless text labels: the first row "yes" is also a label; read as a
    # header it would silently drop a row from every file
    code, _out, err = _promote(tmp_path, capsys, "yes\nno\nno\n", "no\nyes\nno\n")
    assert code == 2
    assert "is also one of its labels" in err
    assert "--header / --no-header" in err
    with pytest.raises(SystemExit) as stop:  # one or the other (argparse)
        _promote(tmp_path, capsys, "yes\nno\nno\n", "no\nyes\nno\n", "--header",
                 "--no-header")
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("y_text", "chal_text", "match"),
    [
        # an empty line was skipped: the file came out shorter and the error
        # was a length mismatch, not the missing value on line 3
        ("y\n1\n0\n0\n", "p\n1\n\n0\n", r"'challenger' .*c\.csv', whose line 3 is empty"),
        ("y\nyes\n\nno\n", "p\nno\nyes\nno\n", r"'y_true' .*y\.csv', whose line 3 is empty"),
    ],
)
def test_promote_names_the_line_of_a_missing_value(tmp_path, capsys, y_text, chal_text, match):
    import re

    code, out, err = _promote(tmp_path, capsys, y_text, chal_text)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert re.search(match, err), err
    assert "same number of samples" not in err


def test_promote_header_option_wins_over_a_header_of_numbers(tmp_path, capsys):
    # a header "1.0" (numbers) was refused even with --header
    code, _out, err = _promote(tmp_path, capsys, "y\n1\n0\n0\n", "1.0\n1\n0\n0\n")
    assert code == 2
    assert "first row '1.0' is numbers" in err
    code, out, err = _promote(tmp_path, capsys, "y\n1\n0\n0\n", "1.0\n1\n0\n0\n", "--header")
    assert code == 0, err
    report = json.loads(out)["report"]
    assert report["n_samples"] == 3
    assert report["results"][0]["evidence"]["value"] == 1.0
