"""Bad input: a table of cases, each with the expected error and message."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError

rng = np.random.default_rng(0)
X1 = rng.normal(size=50)
Y1 = rng.normal(size=40)
X2 = rng.normal(size=(50, 3))
Y2 = rng.normal(size=(40, 3))
NAN = np.r_[X1[:10], np.nan]
INF = np.r_[X1[:10], np.inf]
STRAY = Y2.astype(object)
STRAY[3, 2] = "n/a"  # one string in a numeric column
STRAY1 = STRAY.copy()
STRAY1[3, 2] = Y2[3, 2]
STRAY1[5, 1] = "?"

CASES = [
    # empty or one-sample input
    (
        drift.ks,
        ([], Y1),
        {},
        r"'reference' parameter of ks must be an array with at least 2",
    ),
    (
        drift.ks,
        (X1, [1.0]),
        {},
        r"'current' parameter of ks must be an array with at least 2 sample\(s\)\. Got 1 sample",
    ),
    (drift.cramer_von_mises, ([3.0], Y1), {}, r"at least 2 sample"),
    (
        drift.mmd,
        (X2[:1], Y2),
        {},
        r"'reference' parameter of mmd must be an array with at least 2",
    ),
    (
        drift.chi_square,
        (["a"], ["a", "b"]),
        {},
        r"'reference' parameter of chi_square .*at least 2",
    ),
    (drift.detect, (X2[:1], Y2), {}, r"'reference' parameter of detect .*at least 2"),
    # NaN / inf
    (
        drift.ks,
        (NAN, Y1),
        {},
        r"must be free of NaN \(drop or impute missing values first, or pass "
        r"nan_policy='omit' where the function takes it\)\. Got 1 NaN",
    ),
    (
        drift.wasserstein,
        (X1, INF),
        {},
        r"'current' parameter of wasserstein must be finite",
    ),
    (drift.mmd, (np.c_[X2[:, :2], np.r_[np.nan, X2[1:, 2]]], Y2), {}, r"free of NaN"),
    (
        drift.chi_square,
        (np.array(["a", None, "b"], dtype=object), ["a", "b"]),
        {},
        r"free of missing values",
    ),
    (
        drift.ks,
        (X1, Y1),
        {"nan_policy": "ignore"},
        r"'nan_policy' parameter of ks must be one of",
    ),
    (
        drift.detect,
        (np.c_[X2[:, :2], np.r_[np.nan, X2[1:, 2]]], Y2),
        {},
        r"'reference' parameter of detect must be free of NaN.*column 'x2'",
    ),
    # 1-D vs 2-D, different feature counts
    (
        drift.ks,
        (X2, Y1),
        {},
        r"'reference' parameter of ks must be a 1-D array \(pass one column",
    ),
    (
        drift.mmd,
        (X1, Y2),
        {},
        r"'current' parameter of mmd must be a 1-D array like 'reference'",
    ),
    (
        drift.energy,
        (X2, Y2[:, :2]),
        {},
        r"must be an array with 3 feature\(s\), like 'reference'\. Got 2",
    ),
    (
        drift.detect,
        (X1, Y1),
        {},
        r"'reference' parameter of detect must be a 2-D array",
    ),
    (
        drift.detect,
        (X2, Y2[:, :2]),
        {},
        r"'current' parameter of detect must be a data set with 3 column",
    ),
    # strings in numeric columns
    (
        drift.ks,
        (["a", "b", "c"], Y1),
        {},
        r"'reference' parameter of ks must be numeric",
    ),
    (drift.detect, (X2, STRAY), {}, r"non-numeric values .* column 'x2'"),
    # alpha outside (0, 1)
    (
        drift.ks,
        (X1, Y1),
        {"alpha": 1.5},
        r"'alpha' parameter of ks must be a float in the range \(0\.0, 1\.0\)\. Got 1\.5",
    ),
    (
        drift.mmd,
        (X2, Y2),
        {"alpha": 0.0},
        r"'alpha' parameter of mmd must be a float in the range",
    ),
    (drift.detect, (X2, Y2), {"alpha": -0.1}, r"'alpha' parameter of detect"),
    (drift.psi, (X1, Y1), {"alpha": "0.05"}, r"'alpha' parameter of psi"),
    # non-positive permutation counts
    (
        drift.mmd,
        (X2, Y2),
        {"n_resamples": 0},
        r"'n_resamples' parameter of mmd must be an int in the range \[1, inf\)",
    ),
    (
        drift.energy,
        (X2, Y2),
        {"n_resamples": -3},
        r"'n_resamples' parameter of energy",
    ),
    (
        drift.wasserstein,
        (X1, Y1),
        {"n_resamples": 0},
        r"'n_resamples' parameter of wasserstein",
    ),
    (
        drift.anderson_darling,
        (X1, Y1),
        {"n_resamples": 2.5},
        r"'n_resamples' parameter of anderson_darling",
    ),
    # unknown correction names and tests
    (
        drift.detect,
        (X2, Y2),
        {"correction": "sidak"},
        r"'correction' parameter of detect must be one of "
        r"\{'holm', 'hochberg', 'bonferroni', 'fdr_bh', 'fdr_by', None\}",
    ),
    (
        drift.adjust_p_values,
        ([0.1],),
        {"correction": "BH"},
        r"'correction' parameter of adjust_p_values",
    ),
    (
        drift.detect,
        (X2, Y2),
        {"tests": "t_test"},
        r"'tests' parameter of detect must be one of",
    ),
    (
        drift.detect,
        (X2, Y2),
        {"tests": {"nope": "ks"}},
        r"'tests' parameter of detect must be a mapping whose keys",
    ),
    # other parameters
    (
        drift.ks,
        (X1, Y1),
        {"min_effect": -0.1},
        r"'min_effect' parameter of ks must be a float in the range \[0\.0, inf\)",
    ),
    (
        drift.wasserstein,
        (X1, Y1),
        {"threshold": -1.0},
        r"'threshold' parameter of wasserstein",
    ),
    (drift.mmd, (X2, Y2), {"bandwidth": 0.0}, r"'bandwidth' parameter of mmd"),
    (drift.mmd, (X2, Y2), {"rng": "seed"}, r"'rng' parameter of mmd"),
    (
        drift.psi,
        (X1, Y1),
        {"n_bins": 1},
        r"'n_bins' parameter of psi must be an int in the range \[2, inf\)",
    ),
    (
        drift.classifier_drift,
        (X2, Y2),
        {"cv": 1},
        r"'cv' parameter of classifier_drift must be an int in the range \[2",
    ),
    (
        drift.classifier_drift,
        (X2, Y2),
        {"cv": 45},
        r"'cv' parameter of classifier_drift must be at most the smaller sample size \(40\)",
    ),
    (
        drift.classifier_drift,
        (X2, Y2),
        {"estimator": object()},
        r"'estimator' parameter of classifier_drift must be an object with fit\(\)",
    ),
    (
        drift.detect,
        (X2, Y2),
        {"categorical_features": ["zz"]},
        r"'categorical_features' parameter of detect must be column names",
    ),
]


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "message"),
    CASES,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_bad_input_raises_clear_error(fn, args, kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        fn(*args, **kwargs)


def test_errors_are_value_errors_for_generic_handlers():
    with pytest.raises(ValueError, match="alpha"):
        drift.ks(X1, Y1, alpha=2.0)


def test_nan_policy_omit_drops_missing_values():
    res = drift.ks(NAN, Y1, nan_policy="omit")
    assert res.n_reference == 10
    assert res.statistic == drift.ks(NAN[:10], Y1).statistic
    ref = np.c_[X2[:, :2], np.r_[np.nan, X2[1:, 2]]]
    report = drift.detect(ref, Y2, nan_policy="omit")
    assert report["x2"].result.n_reference == 49
    assert report["x0"].result.n_reference == 50


def test_reference_errors():
    ref = drift.Reference.fit(X2)
    with pytest.raises(
        InvalidParameterError,
        match=r"'current' parameter of Reference.compare must be a data set with 3 column",
    ):
        ref.compare(Y2[:, :2])
    with pytest.raises(
        InvalidParameterError,
        match=r"'current' parameter of Reference.compare must be column 'x1' numeric",
    ):
        ref.compare(STRAY1)
    with pytest.raises(InvalidParameterError, match=r"'references' parameter of Reference.merge"):
        drift.Reference.merge([])
    with pytest.raises(InvalidParameterError, match=r"same columns"):
        drift.Reference.merge([ref, drift.Reference.fit(X2[:, :2])])
    with pytest.raises(
        InvalidParameterError,
        match=r"'reference' parameter of Reference.fit must be free of NaN",
    ):
        drift.Reference.fit(np.c_[X2[:, :2], np.r_[np.nan, X2[1:, 2]]])


def test_categorical_missing_values_follow_nan_policy_whatever_the_dtype():
    """pandas.NA (string dtype, object arrays) and NaT were once counted as a
    category '<NA>' / None even with nan_policy='raise' or 'omit', and float
    NaN raised even with nan_policy='omit'."""
    pd = pytest.importorskip("pandas")
    clean = ["a", "b", "b", "a"] * 10
    with_na = ["a", "b", None, "a"] * 10
    want = drift.chi_square(["a", "b", "a"] * 10, clean)
    cases = [
        pd.Series(with_na, dtype="string"),
        pd.Series(with_na, dtype="category"),
        np.array(["a", "b", pd.NA, "a"] * 10, dtype=object),
        np.array(["a", "b", pd.NaT, "a"] * 10, dtype=object),
    ]
    for ref in cases:
        for fn in (drift.chi_square, drift.psi):
            with pytest.raises(InvalidParameterError, match=r"'reference' parameter.*missing"):
                fn(ref, clean)
        got = drift.chi_square(ref, clean, nan_policy="omit")
        assert got.details["categories"] == ["a", "b"]
        assert got.statistic == want.statistic
        assert got.n_reference == 30
    days = np.array(["2020-01-01", "NaT", "2020-01-02"] * 10, dtype="datetime64[D]")
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter.*missing"):
        drift.chi_square(days, days[[0, 2, 2]].repeat(10))
    assert drift.chi_square(days, days[[0, 2]].repeat(10), nan_policy="omit").n_reference == 20
    codes = np.array([1.0, np.nan, 2.0] * 10, dtype=np.float32)
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter.*NaN"):
        drift.chi_square(codes, [1.0, 2.0] * 10)
    got = drift.chi_square(codes, [1.0, 2.0, 2.0] * 10, nan_policy="omit")
    assert got.n_reference == 20
    assert got.details["categories"] == [1.0, 2.0]


def test_datetime_samples_compared_in_one_unit_with_nat_missing():
    """NumPy casts datetime64 to float as a count of its own unit and NaT to
    -9.2e18: the same instants in days and in seconds gave ks D = 1.0, and
    NaT was a huge negative value instead of a missing one."""
    days = np.array(["2020-01-01", "2020-01-02", "2020-01-04"], dtype="datetime64[D]")
    secs = days.astype("datetime64[s]")
    assert drift.ks(days, secs).statistic == 0.0
    assert drift.wasserstein(days, secs, threshold=1.0).statistic == 0.0
    assert drift.wasserstein(days, secs + 60, threshold=1.0).statistic == 60.0  # seconds
    assert drift.wasserstein(days, days + 1, threshold=1.0).statistic == 1.0  # days, as given
    with_nat = np.r_[days, np.datetime64("NaT")]
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter of ks.*NaN"):
        drift.ks(with_nat, days)
    assert drift.ks(with_nat, secs, nan_policy="omit").statistic == 0.0
    with pytest.raises(InvalidParameterError, match=r"'current' parameter of ks must be datetimes"):
        drift.ks(days, [1.0, 2.0, 3.0])
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter of ks must be dur"):
        drift.ks([1.0, 2.0, 3.0], days - days[0])


def test_numeric_tests_refuse_strings_that_parse_as_numbers():
    """NumPy casts "1.5" to 1.5: ks(["1.5", "2", "3"], ...) once ran on the
    parsed numbers instead of refusing text as the documentation says."""
    y = [1.0, 2.0, 2.5]
    texts = [["1.5", "2", "3"], np.array([b"1", b"2", b"3"]), np.array(["1", 2.0, 3], dtype=object)]
    for x in texts:
        for fn, kw in ((drift.ks, {}), (drift.wasserstein, {"threshold": 1.0})):
            with pytest.raises(InvalidParameterError, match=r"'reference' parameter.*strings"):
                fn(x, y, **kw)
            with pytest.raises(InvalidParameterError, match=r"'current' parameter.*strings"):
                fn(y, x, **kw)
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter of mmd.*strings"):
        drift.mmd(np.array([["1", "2"], ["3", "4"]]), np.ones((3, 2)))


MIXED = np.array([1, 2] * 20 + ["1", "2"] * 5, dtype=object)
INTS = np.array([1, 2] * 25)
TEXT = np.array(["1", "2"] * 25)
FLAGS = np.array([True, False] * 25)


@pytest.mark.parametrize("test", ["chi_square", "psi", "jensen_shannon", "hellinger"])
@pytest.mark.parametrize(
    ("reference", "current", "match"),
    [
        # 1 and "1" were one category (compared as text when NumPy could not sort them)
        (MIXED, INTS, r"'reference' parameter of {} must be category labels of one kind "
                      r".* Got numbers and text \(1 and '1'\)"),
        (INTS, MIXED, r"'current' parameter of {} must be category labels of one kind"),
        # the same categories written as numbers in one sample, text in the other
        (INTS, TEXT, r"'current' parameter of {} must be category labels of the same kind "
                     r"as 'reference''s \(numbers, such as 1; .*Got text such as '1'"),
        (TEXT, INTS.astype(object), r"'current' .* same kind as 'reference''s \(text"),
        # True == 1 in Python and NumPy: flags and counts were merged
        (FLAGS, INTS, r"'current' .* same kind as 'reference''s \(booleans, .*Got numbers"),
        (np.array([True, 1] * 20, dtype=object), FLAGS,
         r"'reference' .* one kind .* Got booleans and numbers \(True and 1\)"),
    ],
)
def test_categorical_tests_refuse_mixed_kinds_of_labels(test, reference, current, match):
    fn = getattr(drift, test)
    kw = {} if test == "chi_square" else {"categorical": True}
    with pytest.raises(InvalidParameterError, match=match.format(test)):
        fn(reference, current, **kw)


def test_detect_and_reference_refuse_mixed_kinds_of_labels():
    with pytest.raises(
        InvalidParameterError,
        match=r"'current' parameter of detect must be category labels of the same kind "
        r".*\(column 'c', test chi_square\)",
    ):
        drift.detect({"c": INTS}, {"c": TEXT}, categorical_features=["c"])
    with pytest.raises(
        InvalidParameterError,
        match=r"'reference' parameter of Reference.fit must be category labels of one kind",
    ):
        drift.Reference.fit({"c": MIXED})
    fitted = drift.Reference.fit({"c": INTS}, categorical_features=["c"])
    with pytest.raises(InvalidParameterError, match=r"'current' parameter of Reference.compare"):
        fitted.compare({"c": TEXT})
    with pytest.raises(InvalidParameterError, match=r"'references' parameter of Reference.merge"):
        drift.Reference.merge([fitted, drift.Reference.fit({"c": TEXT})])
    # one kind: still tested (numbers of two dtypes, text of two dtypes)
    assert drift.chi_square(INTS, INTS.astype(float)).statistic == 0.0
    assert drift.chi_square(TEXT, TEXT.astype(object)).statistic == 0.0


@pytest.mark.parametrize("scale", [1e-300, 1.0, 1e300])
def test_mmd_bandwidth_with_a_zero_median_distance_is_scale_free(scale):
    # most rows identical: the median distance is 0 and the bandwidth was 1.0 in
    # the data's units, so at 1e-300 the kernel was 1 everywhere (p = 1 for a
    # clear shift) and at 1e300 its gamma divided by zero
    import warnings

    from mllifecycle.drift import mmd

    rng = np.random.default_rng(0)
    a = np.zeros((100, 2))
    a[:10] = rng.normal(size=(10, 2))
    b = np.zeros((100, 2))
    b[:40] = rng.normal(size=(40, 2)) + 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = mmd(a * scale, b * scale, rng=0, n_resamples=199)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = mmd(a, b, rng=0, n_resamples=199)
    assert res.p_value == ref.p_value == 0.005
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.details["bandwidth"] == pytest.approx(ref.details["bandwidth"] * scale, rel=1e-12)
    assert any("median of the non-zero distances" in str(w.message) for w in caught)
