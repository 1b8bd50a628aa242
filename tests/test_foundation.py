"""The package foundation: lazy imports, exceptions, validation, CLI plumbing."""

from __future__ import annotations

import datetime
import pickle
import subprocess
import sys

import numpy as np
import pytest

import mllifecycle
from mllifecycle import _validation as v
from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._results import jsonable
from mllifecycle.exceptions import (
    DegenerateDataWarning,
    InvalidParameterError,
    MLLifecycleError,
    NotFittedError,
)


def test_import_is_light():
    code = (
        "import sys, mllifecycle; "
        "heavy = [m for m in ('sklearn', 'scipy.stats', 'pandas', 'matplotlib') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_lazy_submodules_and_dir():
    assert "drift" in dir(mllifecycle)
    assert mllifecycle.exceptions.InvalidParameterError is InvalidParameterError
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = mllifecycle.nope


def test_exception_hierarchy():
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)
    assert issubclass(InvalidParameterError, MLLifecycleError)
    assert issubclass(NotFittedError, AttributeError)
    assert issubclass(DegenerateDataWarning, RuntimeWarning)


BAD = [
    (v.check_alpha, (1.5,), {"caller": "ks"},
     r"The 'alpha' parameter of ks must be a float in the range \(0.0, 1.0\). Got 1.5"),
    (v.check_alpha, (0.0,), {}, r"'alpha' parameter must be a float in the range"),
    (v.check_alpha, ("0.05",), {}, r"Got '0.05' instead"),
    (v.check_alpha, (True,), {}, r"Got True instead"),
    (v.check_alpha, (float("nan"),), {}, r"Got nan instead"),
    (v.check_int, (0, "n_permutations"), {}, r"'n_permutations' parameter must be an int "
     r"in the range \[1, inf\)\. Got 0"),
    (v.check_int, (2.5, "n"), {}, r"must be an int"),
    # exact integer bounds: a float round trip would let 2**53 + 1 pass 2**53
    (v.check_int, (2**53 + 1, "n"), {"high": 2**53},
     r"'n' parameter must be an int in the range \[1, 9007199254740992\]\. Got 9007199254740993"),
    (v.check_int, (np.True_, "n"), {}, r"must be an int"),
    (v.check_scalar, (10**400, "scale"), {}, r"'scale' parameter must be a finite float"),
    (v.check_rng, ("seed",), {}, r"'rng' parameter must be a non-negative int seed"),
    (v.check_rng, (-1,), {}, r"Got -1 instead"),
    (v.check_rng, (np.random.RandomState(0),), {}, r"legacy RandomState"),
    (v.check_option, ("holmes", "correction", ["holm", "bonferroni"]), {},
     r"'correction' parameter must be one of \{'holm', 'bonferroni'\}\. Got 'holmes'"),
    # an option is matched by kind too: 1 is not True, 0.0 not False, and an
    # array (even of one element, which compares equal to it) is no option
    (v.check_option, (1, "categorical", (True, False, None)), {},
     r"'categorical' parameter must be one of \{True, False, None\}\. Got 1 instead"),
    (v.check_option, (0.0, "categorical", (True, False, None)), {}, r"Got 0\.0 instead"),
    (v.check_option, (np.array(["holm"]), "correction", ["holm", None]), {},
     r"'correction' parameter must be one of \{'holm', None\}\. Got an array of shape \(1,\)"),
    (v.check_option, (np.array(["holm", "x"]), "correction", ["holm"]), {},
     r"Got an array of shape \(2,\)"),
    (v.check_option, ("None", "correction", ["holm", None]), {}, r"Got 'None' instead"),
    # datetimes and durations were cast to their integer counts (NaT to -9.2e18)
    (v.check_array, (np.array(["2020-01-01", "NaT"], dtype="M8[D]"), "x"), {},
     r"'x' parameter must be numbers \(datetimes and durations are not read as numbers "
     r"here; convert them explicitly, e\.g\. to seconds\)\. Got an array of dtype "
     r"datetime64\[D\]"),
    (v.check_array, (np.array([1, 2], dtype="m8[s]"), "x"), {}, r"dtype timedelta64\[s\]"),
    (v.check_array, (np.array([datetime.datetime(2020, 1, 1), 1.0], dtype=object), "x"), {},
     r"dtype object holding datetimes or durations"),
    # an int beyond the float range raised a bare OverflowError
    (v.check_array, ([1, 10**400], "x"), {},
     r"'x' parameter must be finite numbers\. Got an int beyond the float range"),
    (v.check_nan_policy, ("propagate",), {}, r"'nan_policy' parameter must be one of"),
    (v.check_array, ([], "reference"), {}, r"at least 1 sample\(s\). Got 0 sample"),
    (v.check_array, ([1.0, np.nan], "x"), {}, r"free of NaN \(drop or impute missing values "
     r"first, or pass nan_policy='omit' where the function takes it\)\. Got 1 NaN"),
    (v.check_array, ([1.0, np.inf], "x"), {}, r"must be finite. Got 1 infinite"),
    (v.check_array, (["a", "b"], "x"), {}, r"must be numeric"),
    (v.check_array, ("abc", "x"), {}, r"must be a 1-D or 2-D array-like"),
    (v.check_array, (np.zeros((2, 2, 2)), "x"), {}, r"Got a 3-D array"),
    (v.check_1d, (np.zeros((3, 2)), "x"), {}, r"pass one column"),
    (v.check_2d, (np.zeros(3), "x"), {}, r"reshape a single feature"),
    (v.check_array, ([[1.0, 2.0], [3.0]], "x"), {}, r"cannot convert"),
    (v.check_binary, ([0, 1, 2], "error"), {}, r"binary values in \{0, 1\}"),
    (v.check_proba, ([0.2, 1.2], "p"), {}, r"probabilities in \[0, 1\]"),
    (v.check_proba, ([[0.2, 0.2]], "p"), {}, r"rows of class probabilities that sum to 1"),
    (v.check_has_methods, (object(), "model", ["fit", "predict"]), {},
     r"an object with fit\(\), predict\(\)\. Got object, which lacks fit\(\), predict\(\)"),
    (v.check_callable, (3, "metric"), {}, r"must be a callable"),
    (v.check_bool, ("yes", "progress"), {}, r"must be a bool"),
    (v.check_probability, (1.2, "level"), {}, r"\[0.0, 1.0\]"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "match"), BAD,
                         ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_validation_errors(fn, args, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        fn(*args, **kwargs)


def test_validation_accepts_good_input():
    assert v.check_alpha(0.05) == 0.05
    assert v.check_int(np.int64(3), "n") == 3
    # integers beyond 2**53 (and beyond the float range) come back exactly
    assert v.check_int(2**63 + 5, "n") == 2**63 + 5
    assert v.check_int(np.uint64(2**64 - 1), "n") == 2**64 - 1
    assert v.check_int(10**400, "n") == 10**400
    assert type(v.check_int(np.int64(3), "n")) is int
    # a NumPy string or bool names its option, which comes back as given in options
    got = v.check_option(np.str_("holm"), "correction", ["holm", None])
    assert got == "holm"
    assert type(got) is str
    assert v.check_option(np.True_, "categorical", (True, False, None)) is True
    assert v.check_option(None, "correction", ["holm", None]) is None
    g = v.check_rng(np.random.default_rng(1))
    assert isinstance(g, np.random.Generator)
    assert v.check_rng(3).random() == np.random.default_rng(3).random()
    x = v.check_array([[1, 2], [np.nan, 3], [4, 5]], "x", nan_policy="omit")
    assert x.shape == (2, 2)
    assert x.dtype == np.float64
    labels = v.check_array(["a", "b"], "y", ndim=1, dtype="any")
    assert labels.dtype.kind == "U"
    assert v.check_binary([True, False, 1], "error").tolist() == [1.0, 0.0, 1.0]
    v.check_same_n_features(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(InvalidParameterError, match="2 feature"):
        v.check_same_n_features(np.zeros((3, 2)), np.zeros((4, 3)))
    with pytest.raises(InvalidParameterError, match="2-D array like"):
        v.check_same_n_features(np.zeros((3, 2)), np.zeros(4))
    assert v.check_consistent_length([[1, 2], [3, 4]], ["y_true", "y_pred"]) == 2
    with pytest.raises(InvalidParameterError, match="y_true=2, y_pred=3"):
        v.check_consistent_length([[1, 2], [3, 4, 5]], ["y_true", "y_pred"])


def test_column_names_without_pandas_import():
    class Frame:
        columns = ("a", 1)

        def to_numpy(self):
            return np.zeros((2, 2))

    assert v.column_names(Frame()) == ["a", "1"]
    assert v.column_names(np.zeros((2, 2))) is None
    assert v.check_array(Frame(), "X").shape == (2, 2)


def test_jsonable_round_trips_numpy():
    out = jsonable({"a": np.float32(1.5), "b": np.array([[1, 2]]), "c": np.inf,
                    "d": (np.bool_(True),), "e": {1, 2}})
    assert out["a"] == 1.5
    assert out["b"] == [[1, 2]]
    assert out["c"] is None
    assert out["d"] == [True]
    assert sorted(out["e"]) == [1, 2]


def test_jsonable_long_double():
    # np.longdouble(...).item() is a long double again: jsonable recursed for
    # ever (a registry metric of that type raised RecursionError)
    out = jsonable({"m": np.longdouble(0.25), "v": np.array([0.5, np.inf], dtype=np.longdouble),
                    "z": np.clongdouble(1 + 2j)})
    assert out == {"m": 0.25, "v": [0.5, None], "z": "(1+2j)"}
    assert type(out["m"]) is float


def test_corrected_resampled_t_matches_formula():
    from scipy import stats

    d = np.array([0.01, 0.03, -0.02, 0.05, 0.00, 0.02])
    r = corrected_resampled_t(d, n_train=90, n_test=10, confidence_level=0.9)
    se = np.sqrt((1 / 6 + 10 / 90) * d.var(ddof=1))
    q = stats.t.ppf(0.95, 5)
    assert r.mean == pytest.approx(d.mean())
    assert r.ci_low == pytest.approx(d.mean() - q * se)
    assert r.ci_high == pytest.approx(d.mean() + q * se)
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(d.mean() / se), 5))
    same = corrected_resampled_t([0.1, 0.1], n_train=5, n_test=5)
    assert same.ci_low == same.ci_high == 0.1
    assert same.p_value == 0.0
    assert pickle.loads(pickle.dumps(r)) == r


def test_cli_without_command_prints_help(capsys):
    from mllifecycle.cli import main

    assert main([]) == 2
    assert "usage: mllifecycle" in capsys.readouterr().out


@pytest.mark.parametrize(
    "x",
    [
        np.array([["1.5"], ["2"]]),  # unicode that parses as numbers
        np.array([[b"1"], [b"2"]]),  # bytes
        np.array([["02139"], ["10001"]]),  # zip codes
        np.array([[1.0], ["2"]], dtype=object),  # a number and a numeric string
        [["1"], ["2"]],
    ],
)
def test_check_array_refuses_text_that_parses_as_numbers(x):
    # scikit-learn's check_array(dtype="numeric") refuses strings; the numbers
    # a parse would give (02139 -> 2139.0) are a guess, not the data
    with pytest.raises(v.InvalidParameterError, match=r"'X' parameter of f must be numeric"):
        v.check_array(x, "X", caller="f", ndim=2)


def test_check_array_still_converts_numbers_held_as_objects():
    out = v.check_array(np.array([[1], [2.5], [True]], dtype=object), "X", caller="f", ndim=2)
    np.testing.assert_array_equal(out, [[1.0], [2.5], [1.0]])
    assert out.dtype == np.float64
