"""Batch drift: column names from either side, big integers against floats,
Reference equality by value, subnormal significance levels."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift import (
    Reference,
    anderson_darling,
    chi_square,
    classifier_drift,
    cramer_von_mises,
    detect,
    energy,
    hellinger,
    jensen_shannon,
    ks,
    mmd,
    psi,
    wasserstein,
)
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError

RNG = np.random.default_rng(5)
A = RNG.normal(size=(200, 2))
B = RNG.normal(size=(200, 2))
B[:, 1] += 1.0
NAMES = ["age", "income"]


def _names(report):
    return sorted(f.name for f in report.features)


# -- 1. column names given on either side ------------------------------------


@pytest.mark.parametrize(
    "run",
    [
        lambda: detect(A, pd.DataFrame(B, columns=NAMES)),
        lambda: detect(pd.DataFrame(A, columns=NAMES), B),
        lambda: detect(A, {"age": B[:, 0], "income": B[:, 1]}),
        lambda: Reference.fit(A).compare(pd.DataFrame(B, columns=NAMES)),
        lambda: Reference.fit(A, sketch=True).compare(pd.DataFrame(B, columns=NAMES)),
        lambda: Reference.fit(A).compare({"age": B[:, 0], "income": B[:, 1]}),
    ],
    ids=["detect-array-table", "detect-table-array", "detect-array-dict",
         "compare-table", "compare-sketch-table", "compare-dict"],
)
def test_array_against_table_reports_the_table_names(run):
    report = run()
    assert _names(report) == NAMES
    assert report.drifted == ["income"]


def test_array_against_table_same_report_as_two_tables():
    both = detect(pd.DataFrame(A, columns=NAMES), pd.DataFrame(B, columns=NAMES))
    one = detect(A, pd.DataFrame(B, columns=NAMES))
    assert one.to_dict() == both.to_dict()


def test_array_against_table_reads_the_table_categorical_columns():
    cur = pd.DataFrame({"c": pd.Categorical([1, 2] * 100), "d": [1, 2, 3, 4] * 50})
    ref = np.array([[1, 1], [2, 2]] * 100)
    rep = detect(ref, cur)
    assert {f.name: f.test for f in rep.features} == {"c": "chi_square", "d": "ks"}
    as_table = pd.DataFrame({"c": pd.Categorical(ref[:, 0]), "d": ref[:, 1]})
    assert rep.to_dict() == detect(as_table, cur).to_dict()
    # the table's names work as keys
    rep = detect(ref, cur, categorical_features=["d"], tests={"c": "psi"})
    assert {f.name: f.test for f in rep.features} == {"c": "psi", "d": "chi_square"}
    # a reference fitted on the array refuses the categorical-typed column,
    # naming the position to declare
    with pytest.raises(InvalidParameterError, match="position 0 in 'categorical_features'"):
        Reference.fit(ref).compare(cur)


def test_two_tables_with_other_names_are_refused_not_paired_by_position():
    ref = pd.DataFrame(A, columns=["income", "age"])
    cur = pd.DataFrame(B, columns=NAMES)
    with pytest.raises(InvalidParameterError, match="columns"):
        detect(ref, cur)
    with pytest.raises(InvalidParameterError, match="columns"):
        Reference.fit(ref).compare(cur)


def test_array_against_table_on_dask():
    dd = pytest.importorskip("dask.dataframe")
    da = pytest.importorskip("dask.array")
    cur = pd.DataFrame({"c": pd.Categorical([1, 2] * 100), "d": [1, 2, 3, 4] * 50})
    ref = np.array([[1, 1], [2, 2]] * 100)
    want = detect(ref, cur, categorical_features=["d"], tests={"c": "psi"})
    got = detect(
        da.from_array(ref, chunks=50), dd.from_pandas(cur, npartitions=2),
        categorical_features=["d"], tests={"c": "psi"},
    )
    assert got.to_dict() == want.to_dict()
    got = detect(da.from_array(ref, chunks=50), dd.from_pandas(cur, npartitions=2))
    assert {f.name: f.test for f in got.features} == {"c": "chi_square", "d": "ks"}


# -- 2. integers beyond 2**53 against floats ----------------------------------

BIG = (2**60 + np.arange(1000)).reshape(-1, 1)
FLOATS = (np.float64(2**60) + np.array([0.0, 256, 512, 768] * 50)).reshape(-1, 1)
ROUNDED = "integers beyond 2\\*\\*53 in 'reference'.* meet floats in 'current'"


@pytest.mark.parametrize(
    ("run", "match"),
    [
        (lambda: detect(BIG, FLOATS), "in 'reference' \\(column 'x0'\\) meet floats in 'current'"),
        (lambda: detect(pd.DataFrame({"id": BIG[:, 0]}), pd.DataFrame({"id": FLOATS[:, 0]})),
         "column 'id'"),
        (lambda: ks(BIG[:, 0], FLOATS[:, 0]), ROUNDED),
        (lambda: cramer_von_mises(list(BIG[:, 0]), pd.Series(FLOATS[:, 0]), rng=0), ROUNDED),
        (lambda: ks(FLOATS[:, 0], BIG[:, 0]),
         "in 'current' meet floats in 'reference'"),
        (lambda: Reference.fit(BIG).compare(FLOATS), ROUNDED),
        (lambda: Reference.fit(BIG, sketch=True).compare(FLOATS), ROUNDED),
        (lambda: Reference.fit(FLOATS).compare(BIG), "in 'current' .*meet floats in 'reference'"),
        (lambda: ks([2**60, 2**60 + 1, 0.5], [1.0, 2.0]),
         "in 'reference' meet floats in 'reference' and 'current'"),
        (lambda: Reference.merge([Reference.fit(BIG), Reference.fit(FLOATS)]),
         "in 'references\\[0\\]' \\(column 'x0'\\) meet floats in 'references\\[1\\]'"),
    ],
    ids=["detect", "detect-table", "ks", "cvm-list-series", "ks-reversed", "compare",
         "compare-sketch", "compare-reversed", "ks-mixed-list", "merge"],
)
def test_big_integers_against_floats_warn(run, match):
    with pytest.warns(DegenerateDataWarning, match=match):
        run()


@pytest.mark.parametrize(
    "run",
    [
        lambda: detect(BIG, BIG + 3),
        lambda: ks(BIG[:, 0], BIG[:, 0] + 3),
        lambda: ks(FLOATS[:, 0], FLOATS[:, 0] + 512),
        lambda: detect(BIG - 2**60, FLOATS - 2.0**60),  # small integers: exact anyway
        lambda: Reference.fit(BIG).compare(BIG + 3),
    ],
)
def test_no_rounding_warning_when_nothing_rounds(run):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run()
    assert not [w for w in seen if issubclass(w.category, DegenerateDataWarning)]


def test_table_of_big_integers_compared_exactly_as_the_array():
    r = 2**60 + np.arange(200) * 3
    c = r + 1
    want = energy(np.c_[r, r], np.c_[c, c], rng=0)
    got = energy(pd.DataFrame({"a": r, "b": r}), pd.DataFrame({"a": c, "b": c}), rng=0)
    assert got.statistic == want.statistic > 0
    # an int64 column beside a uint64 one (to_numpy gives float64)
    u = np.arange(200, dtype=np.uint64)
    want = energy(np.c_[r, u.astype(np.int64)], np.c_[c, u.astype(np.int64)], rng=0)
    got = energy(pd.DataFrame({"a": r, "b": u}), pd.DataFrame({"a": c, "b": u}), rng=0)
    assert got.statistic == want.statistic


@pytest.mark.parametrize("test", [energy, mmd, classifier_drift], ids=lambda f: f.__name__)
def test_table_mixing_big_integers_and_floats_warns(test):
    # the integer column was read as float64 with the float one, silently
    r = pd.DataFrame({"id": 2**60 + np.arange(200) % 3, "x": np.linspace(0, 1, 200)})
    c = pd.DataFrame({"id": 2**60 + 1 + np.arange(200) % 3, "x": np.linspace(0, 1, 200)})
    with pytest.warns(DegenerateDataWarning, match=r"integers beyond 2\*\*53 in 'reference' "
                      r"and 'current' meet floats"):
        test(r, c, rng=0)


def test_table_mixing_small_integers_and_floats_does_not_warn():
    r = pd.DataFrame({"id": np.arange(200) % 3, "x": np.linspace(0, 1, 200)})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        energy(r, r + 1, rng=0)
    assert not [w for w in seen if issubclass(w.category, DegenerateDataWarning)]


# -- 3. Reference equality by value --------------------------------------------


@pytest.mark.parametrize(
    ("data", "kw"),
    [
        (A, {}),
        (A, {"sketch": 64}),
        (pd.DataFrame({"a": ["x", "y"] * 50, "b": np.arange(100)}), {}),
        (pd.DataFrame({"id": 2**60 + np.arange(100)}), {}),
    ],
    ids=["numeric", "sketch", "categorical", "big-int"],
)
def test_reference_compares_by_value(data, kw):
    ref = Reference.fit(data, **kw)
    assert ref == pickle.loads(pickle.dumps(ref))
    assert ref == copy.deepcopy(ref)
    assert ref == Reference.fit(data.copy(), **kw)
    ref.compare(data)  # caches built by compare do not count
    assert ref == Reference.fit(data, **kw)
    other = data + 1 if isinstance(data, np.ndarray) else data.iloc[::-1].iloc[:-1]
    assert ref != Reference.fit(other, **kw)
    assert ref != object()


def test_reference_equality_sees_kinds_tests_and_sketches():
    X = A.copy()
    assert Reference.fit(X) != Reference.fit(X, sketch=64)
    assert Reference.fit(X) != Reference.fit(X, tests="wasserstein")
    ints = np.arange(100).reshape(-1, 1)
    assert Reference.fit(ints) != Reference.fit(ints.astype(float))
    assert Reference.merge([Reference.fit(X[:100]), Reference.fit(X[100:])]) == Reference.fit(X)
    with pytest.raises(TypeError):
        hash(Reference.fit(X))


# -- 4. subnormal significance levels ------------------------------------------

X1, Y1 = RNG.normal(size=50), RNG.normal(size=50) + 3
X2, Y2 = RNG.normal(size=(50, 2)), RNG.normal(size=(50, 2)) + 3
CATS = np.array(["a", "b"] * 25)


@pytest.mark.parametrize("alpha", [5e-324, 1e-310, np.float64(2e-308)])
@pytest.mark.parametrize(
    ("caller", "run"),
    [
        ("detect", lambda a: detect(X2, Y2, alpha=a)),
        ("Reference.compare", lambda a: Reference.fit(X2).compare(Y2, alpha=a)),
        ("ks", lambda a: ks(X1, Y1, alpha=a)),
        ("cramer_von_mises", lambda a: cramer_von_mises(X1, Y1, alpha=a, rng=0)),
        ("anderson_darling", lambda a: anderson_darling(X1, Y1, alpha=a, rng=0)),
        ("wasserstein", lambda a: wasserstein(X1, Y1, alpha=a, rng=0)),
        ("chi_square", lambda a: chi_square(CATS, CATS, alpha=a, rng=0)),
        ("psi", lambda a: psi(X1, Y1, alpha=a, rng=0)),
        ("jensen_shannon", lambda a: jensen_shannon(X1, Y1, alpha=a, rng=0)),
        ("hellinger", lambda a: hellinger(X1, Y1, alpha=a, rng=0)),
        ("mmd", lambda a: mmd(X2, Y2, alpha=a, rng=0)),
        ("energy", lambda a: energy(X2, Y2, alpha=a, rng=0)),
        ("classifier_drift", lambda a: classifier_drift(X2, Y2, alpha=a, rng=0)),
    ],
)
def test_subnormal_alpha_is_refused(caller, run, alpha):
    msg = (
        f"The 'alpha' parameter of {caller} must be at least 2.2250738585072014e-308, "
        "the smallest normal float (p-values below it are rounded to a few bits). "
        f"Got {float(alpha)!r} instead."
    )
    with pytest.raises(InvalidParameterError) as info:
        run(alpha)
    assert str(info.value) == msg


def test_smallest_normal_alpha_is_accepted():
    tiny = float(np.finfo(np.float64).tiny)
    assert ks(X1, Y1, alpha=tiny).alpha == tiny
    assert detect(X2, Y2, alpha=tiny).alpha == tiny
