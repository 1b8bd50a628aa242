"""The ``gate`` command reads a probability file's header by the library's one rule.

Its own matcher parsed headers with ``float()``: ``"1_0"`` was the number 10,
and two classes beyond 2**53 became equal. It now calls
``mllifecycle._frames.columns_by_class``, as CBPE, the gates and
``find_label_issues`` do, so a file and a DataFrame with the same column
names are read alike.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from mllifecycle.cli import main

BIG = 2**53


def _write(path, header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _case(tmp_path, labels, header, order):
    """y_true of ``labels``; probability columns in ``order`` (class indices) under ``header``."""
    rng = np.random.default_rng(0)
    n = 400
    codes = rng.integers(0, len(labels), n)
    right = rng.random(n) < 0.85
    guess = np.where(right, codes, (codes + 1) % len(labels))
    proba = np.full((n, len(labels)), 0.1 / (len(labels) - 1))
    proba[np.arange(n), guess] = 0.9
    y = _write(tmp_path / "y.csv", ["label"], [[labels[c]] for c in codes])
    p = _write(tmp_path / "p.csv", header, proba[:, order].round(6).tolist())
    return y, p, float(np.mean(guess == codes))


def _accuracy(y, p, capsys):
    code = main(["gate", "--y-true", y, "--challenger", p, "--threshold", "0.0", "--json",
                 "--header"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)["results"][0]["evidence"]["value"]


@pytest.mark.parametrize(
    ("labels", "header", "order"),
    [
        ([0, 1], ["1", "0"], [1, 0]),
        ([0, 1], ["1.0", "0.0"], [1, 0]),
        ([0, 10], ["10", "0"], [1, 0]),
        ([BIG, BIG + 1], [str(BIG + 1), str(BIG)], [1, 0]),
        (["no", "yes"], ["yes", "no"], [1, 0]),
        ([0, 1], ["p0", "p1"], [0, 1]),  # no class named: sorted class order
    ],
)
def test_header_read_by_name(tmp_path, capsys, labels, header, order):
    y, p, expected = _case(tmp_path, labels, header, order)
    assert _accuracy(y, p, capsys) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("labels", "header", "message"),
    [
        # "1_0" is no number (float("1_0") is 10): a partial naming
        ([0, 10], ["1_0", "0"], r"no column for the class 10"),
        ([0, 1], ["1", "1.0"], r"both naming the class 1"),
        (["no", "yes"], ["yes", "maybe"], r"no column for the class 'no'"),
    ],
)
def test_header_naming_some_classes_is_refused(tmp_path, capsys, labels, header, message):
    y, p, _ = _case(tmp_path, labels, header, [0, 1])
    code = main(["gate", "--y-true", y, "--challenger", p, "--threshold", "0.0", "--header"])
    err = capsys.readouterr().err
    assert code == 2
    assert "'challenger' parameter" in err
    assert __import__("re").search(message, err), err
