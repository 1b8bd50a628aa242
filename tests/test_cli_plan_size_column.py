"""``mllifecycle plan`` finds the size column by its name, never by position under a header."""

from __future__ import annotations

import json

import pytest

from mllifecycle.cli import main

SIZES = [100, 200, 400, 800, 1600]
RMSE = [0.52, 0.41, 0.33, 0.29, 0.27]


def _curve(tmp_path, header, rows):
    path = tmp_path / "curve.csv"
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return str(path)


@pytest.mark.parametrize(
    "header", ["rmse,n_train", "rmse,n", "rmse,N_Samples", "rmse,train size", "rmse,rows"]
)
def test_a_usual_size_name_in_any_place_is_the_size_column(tmp_path, capsys, header):
    # 'rmse,n_train': the RMSEs were fitted as the sizes and the row counts as the
    # scores, "reachable, n=1089" with exit 0
    path = _curve(tmp_path, header, zip(RMSE, SIZES, strict=True))
    code = main(["plan", path, "--target", "0.25", "--bounds", "0", "none", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["curve"]["sizes"] == [float(n) for n in SIZES]
    assert out["samples"]["n_available"] == 1600


def test_no_recognisable_size_column_is_refused_naming_the_columns(tmp_path, capsys):
    path = _curve(tmp_path, "rmse,count", zip(RMSE, SIZES, strict=True))
    assert main(["plan", path, "--target", "0.25"]) == 2
    err = capsys.readouterr().err
    assert "no column of training sizes among the columns ['rmse', 'count']" in err
    assert "--size-column" in err
    assert len(err.strip().splitlines()) == 1


def test_the_size_column_can_be_named(tmp_path, capsys):
    path = _curve(tmp_path, "rmse,count", zip(RMSE, SIZES, strict=True))
    assert main(["plan", path, "--target", "0.25", "--size-column", "count", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["curve"]["sizes"] == [float(n) for n in SIZES]
    assert main(["plan", path, "--target", "0.25", "--size-column", "rows"]) == 2
    assert "--size-column 'rows' is not a column; the columns are ['rmse', 'count']" in (
        capsys.readouterr().err)


def test_two_size_names_are_refused_as_ambiguous(tmp_path, capsys):
    rows = [(n, n * 2, r) for n, r in zip(SIZES, RMSE, strict=True)]
    path = _curve(tmp_path, "n_train,n_samples,rmse", rows)
    assert main(["plan", path, "--target", "0.25"]) == 2
    assert "columns ['n_train', 'n_samples'] could each be the training sizes" in (
        capsys.readouterr().err)


def test_positional_names_keep_the_first_column(tmp_path, capsys):
    # pandas' names of an unnamed frame, and --no-header: the first column, as documented
    path = _curve(tmp_path, "0,1", zip(SIZES, RMSE, strict=True))
    assert main(["plan", path, "--target", "0.25", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["curve"]["sizes"] == [float(n) for n in SIZES]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # was fit_curve's "'scores' ... must be finite scores", naming no column or row
        ([(100, 0.7, 0.71), (200, 0.78, ""), (400, 0.82, 0.83)],
         "column 'f2' holds an empty cell at size 200;"),
        ([(100, 0.7, 0.71), (200, "inf", 0.77), (400, 0.82, 0.83)],
         "column 'f1' holds inf at size 200;"),
        # was "must hold whole row counts of at least 1; got nan"
        ([(100, 0.7, 0.71), ("", 0.78, 0.77), (400, 0.82, 0.83)],
         "column 'size' holds an empty cell at data row 2;"),
    ],
)
def test_missing_cells_are_refused_naming_column_and_row(tmp_path, capsys, rows, message):
    path = _curve(tmp_path, "size,f1,f2", rows)
    assert main(["plan", path, "--target", "0.85"]) == 2
    err = capsys.readouterr().err
    assert message in err, err


@pytest.mark.parametrize("header", ["size,mean,std", "n_train,mean_test_score,std_test_score",
                                    "size,acc,acc_lower,acc_upper"])
def test_summary_columns_are_not_fitted_as_folds(tmp_path, capsys, header):
    # 'size,mean,std': the standard deviations were a fold's scores, the curve their
    # average ("not reachable; asymptote 0.43" for a curve reaching 0.86, exit 1)
    means = [0.70, 0.78, 0.82, 0.85, 0.86]
    if header.count(",") == 2:
        rows = [(n, a, 0.01) for n, a in zip(SIZES, means, strict=True)]
    else:
        rows = [(n, a, a - 0.02, a + 0.02) for n, a in zip(SIZES, means, strict=True)]
    path = _curve(tmp_path, header, rows)
    assert main(["plan", path, "--target", "0.85"]) == 2
    err = capsys.readouterr().err
    assert "looks like a summary of the folds" in err
    assert "give one score column per fold, or only the mean scores" in err


def test_the_mean_alone_is_fitted(tmp_path, capsys):
    path = _curve(tmp_path, "size,mean", zip(SIZES, [0.70, 0.78, 0.82, 0.85, 0.86], strict=True))
    assert main(["plan", path, "--target", "0.85", "--json"]) == 0
    capsys.readouterr()
