"""``mllifecycle plan`` fits held-out scores only, not training scores or timings."""

from __future__ import annotations

import json

import pytest

from mllifecycle.cli import main

SIZES = [100, 200, 400, 800, 1600, 3200]
HELD_OUT = [round(0.9 - 0.5 * n**-0.5, 5) for n in SIZES]


def _curve(tmp_path, header, rows):
    path = tmp_path / "curve.csv"
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return str(path)


@pytest.mark.parametrize(
    ("header", "column", "kind"),
    [
        ("train_size,train_score,test_score", "train_score", "training scores"),
        ("n_train,accuracy,training accuracy", "training accuracy", "training scores"),
        ("n_train,fit_time,accuracy", "fit_time", "timings"),
        ("size,score,score_time", "score_time", "timings"),
    ],
)
def test_training_scores_and_timings_are_not_fitted_as_folds(
    tmp_path, capsys, header, column, kind
):
    # scikit-learn's 'train_size,train_score,test_score': the training scores were
    # a fold of the curve, "reachable, n=1" for a target reached at n=625 (exit 0)
    other = {"training scores": [round(1 - 0.3 * n**-0.5, 5) for n in SIZES],
             "timings": [n / 1000 for n in SIZES]}[kind]
    names = header.split(",")
    rows = [
        tuple({0: n, names.index(column): o}.get(j, a) for j in range(3))
        for n, a, o in zip(SIZES, HELD_OUT, other, strict=True)
    ]
    path = _curve(tmp_path, header, rows)
    assert main(["plan", path, "--target", "0.88", "--bounds", "0", "1"]) == 2
    err = capsys.readouterr().err
    assert f"column {column!r} looks like {kind}, not one fold's held-out scores" in err
    assert "Traceback" not in err


def test_the_held_out_scores_alone_give_the_library_answer(tmp_path, capsys):
    from mllifecycle.budget import fit_curve, plan

    path = _curve(tmp_path, "train_size,test_score", zip(SIZES, HELD_OUT, strict=True))
    code = main(["plan", path, "--target", "0.88", "--bounds", "0", "1", "--json"])
    out = json.loads(capsys.readouterr().out)
    expected = plan(fit_curve(SIZES, HELD_OUT, bounds=(0.0, 1.0), rng=0), 0.88)
    assert code == 0
    assert out["samples"]["n_samples"] == pytest.approx(expected.samples.n_samples)
    assert 600 < out["samples"]["n_samples"] < 650


def test_a_single_score_column_named_like_timings_is_still_the_curve(tmp_path, capsys):
    # only one score column: the name says what the user measured, so it is fitted
    times = [round(5.0 + 50 * n**-0.5, 4) for n in SIZES]
    path = _curve(tmp_path, "n_train,latency_seconds", zip(SIZES, times, strict=True))
    assert main(["plan", path, "--target", "6", "--bounds", "0", "none"]) in (0, 1)
    assert "looks like" not in capsys.readouterr().err
