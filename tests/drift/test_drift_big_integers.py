"""Integers beyond 2**53 (IDs, nanosecond counts, cents) keep their distinct values.

Float64 rounds integers above 2**53: 2**62 + 1 and 2**62 + 3 become equal, so a
rank test used to see one constant sample ("the test cannot see drift") where
scipy, which sorts the integers themselves, sees two separated samples.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mllifecycle import drift
from mllifecycle.exceptions import DegenerateDataWarning

BASE = 2**62
rng = np.random.default_rng(7)
SMALL_R = rng.integers(0, 1000, size=60)
SMALL_C = rng.integers(300, 1300, size=45)
BIG_R = SMALL_R + BASE
BIG_C = SMALL_C + BASE


@pytest.mark.parametrize(
    "test",
    [drift.ks, drift.cramer_von_mises, drift.anderson_darling, drift.wasserstein,
     drift.psi, drift.jensen_shannon, drift.hellinger],
    ids=lambda f: f.__name__,
)
def test_one_sample_pair_tests_see_big_integers_as_their_small_offsets(test):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)  # no "constant" warning
        big = test(BIG_R, BIG_C, rng=0) if test is not drift.ks else test(BIG_R, BIG_C)
    small = test(SMALL_R, SMALL_C, rng=0) if test is not drift.ks else test(SMALL_R, SMALL_C)
    assert big.statistic == pytest.approx(small.statistic, rel=1e-12, abs=1e-15)
    assert big.p_value == pytest.approx(small.p_value, rel=1e-12)


def test_ks_on_big_integers_matches_scipy():
    got = drift.ks(BIG_R, BIG_C)
    want = stats.ks_2samp(BIG_R, BIG_C)  # scipy compares the integers exactly
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-9)
    assert got.statistic > 0.2  # was 0.0 (every value rounded to 2**62)


@pytest.mark.parametrize("test", [drift.mmd, drift.energy], ids=lambda f: f.__name__)
def test_kernel_tests_on_big_integer_columns(test):
    r = np.c_[BIG_R, np.arange(60)]
    c = np.c_[BIG_C, np.arange(45)]
    big = test(r, c, rng=1)
    small = test(np.c_[SMALL_R, np.arange(60)], np.c_[SMALL_C, np.arange(45)], rng=1)
    assert big.statistic == pytest.approx(small.statistic, rel=1e-9)
    assert big.p_value == small.p_value


def test_negative_and_unsigned_extremes():
    lo = np.array([-(2**63), -(2**63) + 2, -(2**63) + 4], dtype=np.int64)
    hi = np.array([2**64 - 1, 2**64 - 3, 2**64 - 5], dtype=np.uint64)
    assert drift.ks(lo, lo + 1).statistic == stats.ks_2samp([0, 2, 4], [1, 3, 5]).statistic
    assert drift.ks(hi, hi - np.uint64(1)).statistic == stats.ks_2samp(
        [5, 3, 1], [4, 2, 0]).statistic


def test_detect_shifts_big_integer_columns_and_names_them_when_too_wide():
    ref = pd.DataFrame({"id": BIG_R, "v": np.linspace(0, 1, 60)})
    cur = pd.DataFrame({"id": BIG_C, "v": np.linspace(0, 1, 45)})
    report = drift.detect(ref, cur)
    want = drift.ks(SMALL_R, SMALL_C)
    got = report["id"]
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.p_value, rel=1e-12)
    # the same through a plain 2-D array (the vectorised KS path)
    arr = drift.detect(np.c_[BIG_R, np.arange(60)], np.c_[BIG_C, np.arange(45)])
    assert arr["x0"].statistic == pytest.approx(want.statistic, rel=1e-12)
    # a range wider than 2**53 cannot be exact: said, with the column's name
    wide_r = np.array([0, 2**60, 2**61, 2**62], dtype=np.int64)
    with pytest.warns(DegenerateDataWarning, match=r"column\(s\) \['id'\] span more than 2\*\*53"):
        drift.detect(pd.DataFrame({"id": wide_r}), pd.DataFrame({"id": wide_r + 1}))


def test_reference_keeps_big_integers_exactly_as_detect_does():
    # the profile was float64: distinct ids tied, so the reference saw another
    # statistic than detect (and only warned); now kept exact, no warning
    ref, cur = pd.DataFrame({"id": BIG_R}), pd.DataFrame({"id": BIG_C})
    want = drift.ks(SMALL_R, SMALL_C)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        for sketch in (None, True):
            got = drift.Reference.fit(ref, sketch=sketch).compare(cur)["id"]
            assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
            assert got.p_value == pytest.approx(want.p_value, rel=1e-12)


def _with_gaps(values):
    return [int(v) for v in values] + [None]


@pytest.mark.parametrize(
    "make",
    [
        lambda x: {"id": np.array(x, dtype=object)},
        lambda x: pd.DataFrame({"id": pd.Series(x, dtype=object)}),
        lambda x: pd.DataFrame({"id": pd.array(x, dtype="Int64")}),
        lambda x: pytest.importorskip("pyarrow").table({"id": x}),
        lambda x: pytest.importorskip("polars").DataFrame({"id": x}),
    ],
    ids=["dict-object", "pandas-object", "pandas-Int64", "pyarrow", "polars"],
)
def test_detect_big_integers_with_missing_values_stay_exact(make):
    # ints with a None were cast to float64 whole: every value rounded to
    # 2**62, "one constant" (statistic 0.0, or pyarrow's raw "not in range")
    ref, cur = make(_with_gaps(BIG_R)), make(_with_gaps(BIG_C))
    want = drift.ks(SMALL_R, SMALL_C)
    got = drift.detect(ref, cur, nan_policy="omit")["id"]
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.p_value, rel=1e-12)
    with pytest.raises(ValueError, match=r"'reference' parameter of detect must be free of NaN"):
        drift.detect(ref, cur)


@pytest.mark.parametrize(
    "test",
    [drift.ks, drift.cramer_von_mises, drift.wasserstein],
    ids=lambda f: f.__name__,
)
def test_pair_tests_big_integers_with_none_stay_exact(test):
    kw = {} if test is drift.ks else {"rng": 0}
    got = test(_with_gaps(BIG_R), _with_gaps(BIG_C), nan_policy="omit", **kw)
    want = test(SMALL_R, SMALL_C, **kw)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12, abs=1e-15)
    assert got.p_value == pytest.approx(want.p_value, rel=1e-12)
