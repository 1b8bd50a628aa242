"""Wrong answers found by a bug hunt in the batch drift tests and detect."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle import drift


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
def test_detect_bins_declared_categorical_numbers_by_category(test):
    # integer codes declared categorical were binned at quantiles: PSI 0.04
    # ("stable") where moving every even code to its odd neighbour gives 3.17
    rng = np.random.default_rng(13)
    r = rng.integers(0, 40, 2000)
    c = rng.integers(0, 40, 1500)
    c[c % 2 == 0] = (c[c % 2 == 0] + 1) % 40
    direct = getattr(drift, test)(r, c, categorical=True, rng=0)
    rep = drift.detect(r[:, None], c[:, None], tests=test, categorical_features=[0], rng=0)
    fitted = drift.Reference.fit(r[:, None], tests=test, categorical_features=[0])
    for f in (rep.features[0], fitted.compare(c[:, None], rng=0).features[0]):
        assert f.result.details["binning"] == "categories"
        assert f.statistic == direct.statistic
        assert f.p_value == direct.p_value


@pytest.mark.parametrize("base", [2**60, 2**70])
def test_python_integers_beyond_2_53_are_kept_exact(base):
    # an object array (or list) of Python ints went through float64: at 2**60
    # the p-value was 0.024 instead of 1e-11, at 2**70 every value was one
    # constant (p = 1, "no drift"); int64 arrays were already shifted exactly
    from scipy import stats

    r = [base + i for i in range(100)]
    c = [base + i + 50 for i in range(100)]
    expected = stats.ks_2samp(np.arange(100), np.arange(100) + 50)
    for ref, cur in ((r, c), (np.array(r, dtype=object), np.array(c, dtype=object))):
        res = drift.ks(ref, cur)
        assert res.statistic == expected.statistic
        assert res.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    rep = drift.detect(np.array([r], dtype=object).T, np.array([c], dtype=object).T)
    assert rep.features[0].p_value == pytest.approx(expected.pvalue, rel=1e-9)
    w = drift.wasserstein(np.array(r, dtype=object), np.array(c, dtype=object), rng=0)
    assert w.statistic == 50.0


def test_reference_keeps_python_integers_beyond_2_53_exactly():
    # it warned that its float64 profile rounded them; it now keeps them as
    # integers, so its answer is detect's (no warning)
    import warnings

    from mllifecycle.exceptions import DegenerateDataWarning

    col = np.array([[2**60 + i] for i in range(10)], dtype=object)
    cur = np.array([[2**60 + i + 5] for i in range(10)], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        got = drift.Reference.fit(col).compare(cur).to_dict()
    assert got == drift.detect(col, cur).to_dict()


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
def test_binned_numbers_with_none_are_binned_as_numbers(test):
    # a list of floats with None (an object array) was read as categories:
    # every value its own category, JS distance 1.0 and p = 1 ("no drift")
    # where dropping the None by hand gives 0.42 (JS)
    rng = np.random.default_rng(5)
    x = rng.normal(size=30)
    y = rng.normal(0.5, size=25)
    x[[2, 7]] = np.nan
    y[0] = np.nan
    fn = getattr(drift, test)
    expected = fn(x[~np.isnan(x)], y[~np.isnan(y)], rng=0)
    as_none = [[None if np.isnan(v) else v for v in a] for a in (x, y)]
    for ref, cur in (as_none, [np.array(a, dtype=object) for a in as_none]):
        got = fn(ref, cur, nan_policy="omit", rng=0)
        assert got.details["binning"] == expected.details["binning"] != "categories"
        assert got.to_dict() == expected.to_dict()


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
@pytest.mark.parametrize(("scale", "shift"), [(3.0, 7.0), (0.001, -5.0), (1e6, 0.0)])
def test_binned_statistic_does_not_depend_on_the_unit(test, scale, shift):
    # a quantile falling on a data value came out a hair above or below it
    # (np.linspace probabilities), so that value's bin, and the statistic,
    # changed with the unit (JS 0.414 on x, 0.488 on 3 x + 7 in one draw).
    # 71 and 111 values: the k/10 quantiles are data values
    rng = np.random.default_rng({"psi": 3, "jensen_shannon": 83, "hellinger": 83}[test])
    x, y = rng.normal(size=71), rng.normal(0.3, size=40)
    base = getattr(drift, test)(x, y, threshold=0.1).statistic
    moved = getattr(drift, test)(x * scale + shift, y * scale + shift, threshold=0.1).statistic
    assert moved == pytest.approx(base, rel=1e-12)


def test_binned_quantile_edges_on_data_values_are_those_values():
    from mllifecycle.drift._binned import _edges

    # pooled 71 values, 10 bins: the 2/10 quantile is exactly the 15th value
    x = np.arange(71.0) * 3.0 + 7.0
    edges, _ = _edges(x, 10)
    assert edges.tolist() == [x[7 * k] for k in range(1, 10)]
    np.testing.assert_allclose(edges, np.quantile(x, np.linspace(0, 1, 11)[1:-1]), rtol=1e-15)


def test_sketched_reference_draws_categorical_permutations_as_detect():
    # a sketched Reference seeded its categorical columns' permutations by
    # their rank among the categorical columns, detect by their position in
    # the table: the same rng gave p = 0.002 against detect's 0.001
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"a": rng.normal(size=52), "s": rng.choice(["p", "q"], 52)})
    cur = pd.DataFrame({"a": rng.normal(size=9), "s": ["p"] + ["q"] * 5 + ["r"] * 3})
    expected = drift.detect(ref, cur, rng=0)["s"]
    assert expected.result.details["p_value_method"] == "permutation"
    for sketch in (64, True):
        got = drift.Reference.fit(ref, sketch=sketch).compare(cur, rng=0)["s"]
        assert (got.statistic, got.p_value) == (expected.statistic, expected.p_value)


def test_detect_on_dask_draws_categorical_permutations_as_on_pandas():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"a": rng.normal(size=52), "s": rng.choice(["p", "q"], 52)})
    cur = pd.DataFrame({"a": rng.normal(size=9), "s": ["p"] + ["q"] * 5 + ["r"] * 3})
    expected = drift.detect(ref, cur, rng=0)
    got = drift.detect(
        dd.from_pandas(ref, npartitions=3), dd.from_pandas(cur, npartitions=2), rng=0
    )
    for nm in ("a", "s"):
        assert (got[nm].statistic, got[nm].p_value) == (
            expected[nm].statistic,
            expected[nm].p_value,
        )


@pytest.mark.parametrize("value", [0.1, 0.3, 7.7, 1e300])
def test_wasserstein_effect_of_a_constant_reference_uses_the_pooled_spread(value):
    # the float std of a constant like 0.1 is rounding noise (2.8e-17), not 0,
    # so the "reference constant: pooled std" rule was skipped: effect size
    # 3.6e15 where the pooled spread gives 2.04 (as for the constant 1.0)
    ref, cur = np.full(30, value), np.full(20, 2 * value)
    res = drift.wasserstein(ref, cur, rng=0)
    pooled = np.r_[ref, cur] / value  # exact for these values
    assert res.effect_size == pytest.approx(1.0 / pooled.std(), rel=1e-12)
    assert not drift.wasserstein(ref, cur, min_effect=3.0, rng=0).drift_detected
    rep = drift.detect(ref[:, None], cur[:, None], tests="wasserstein", rng=0)
    assert rep.features[0].effect_size == res.effect_size


def test_report_metrics_of_a_column_named_empty_text_keep_the_report_decision():
    # flat_metrics dropped the empty prefix: the column's "drift_detected"
    # (0.0) overwrote the report's (1.0, column "b" drifted)
    rng = np.random.default_rng(0)
    ref = {"": rng.normal(size=50), "b": rng.normal(size=50)}
    cur = {"": rng.normal(size=50), "b": rng.normal(3.0, size=50)}
    rep = drift.detect(ref, cur)
    assert rep.drifted == ["b"]
    m = rep.to_metrics()
    assert m["drift_detected"] == 1.0
    assert m[".drift_detected"] == 0.0
    assert m["b.drift_detected"] == 1.0
    assert m[".statistic"] == rep[""].statistic
    assert "statistic" not in m


def test_cramer_von_mises_effect_with_ties_is_the_ecdf_distance():
    # effect_size is documented as the L2 distance between the ECDFs; with
    # ties it came from the midrank T, which ties inflate: two samples with
    # one ECDF got 0.22 (and two equal constants 0.24) instead of 0
    same = drift.cramer_von_mises([0.0, 0.0, 1.0, 1.0] * 10, [0.0, 1.0] * 10, rng=0)
    assert same.effect_size == 0.0
    from mllifecycle.exceptions import DegenerateDataWarning

    with warnings.catch_warnings():  # one constant: the test cannot see drift
        warnings.simplefilter("ignore", DegenerateDataWarning)
        assert drift.cramer_von_mises(np.ones(30), np.ones(20), rng=0).effect_size == 0.0
    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, 30).astype(float)
    b = rng.integers(1, 5, 20).astype(float)
    pooled = np.concatenate([a, b])
    f = (a[None, :] <= pooled[:, None]).mean(axis=1)
    g = (b[None, :] <= pooled[:, None]).mean(axis=1)
    res = drift.cramer_von_mises(a, b, rng=0)
    assert res.effect_size == pytest.approx(np.sqrt(np.mean((f - g) ** 2)), rel=1e-12)
    rep = drift.detect(a[:, None], b[:, None], tests="cramer_von_mises", rng=0)
    assert rep.features[0].effect_size == res.effect_size


@pytest.mark.parametrize(("n", "m"), [(2, 3), (3, 3), (2, 6), (3, 4)])
def test_anderson_darling_small_samples_keep_the_level(n, m):
    # the Scholz-Stephens table's p-value was used for tiny samples: over
    # every relabelling of n + m distinct values (the exact null), 2 + 3
    # rejected 20% at alpha = 0.05, 3 + 3 10%, 2 + 6 7%, 3 + 4 5.7%
    from itertools import combinations

    from mllifecycle.exceptions import DegenerateDataWarning

    z = np.arange(float(n + m))
    rejected = []
    for idx in combinations(range(n + m), n):
        mask = np.zeros(n + m, dtype=bool)
        mask[list(idx)] = True
        with warnings.catch_warnings():  # "this test cannot reject": right
            warnings.simplefilter("ignore", DegenerateDataWarning)
            res = drift.anderson_darling(z[mask], z[~mask], rng=0)
        assert res.details["p_value_method"] == "permutation"
        rejected.append(res.drift_detected)
    assert np.mean(rejected) <= 0.05


def test_anderson_darling_two_against_three_is_not_significant():
    # exact permutation p-value of the most extreme split of 2 + 3 values: 2/10
    from mllifecycle.exceptions import DegenerateDataWarning

    with pytest.warns(DegenerateDataWarning, match="cannot reject"):
        res = drift.anderson_darling([1.0, 2.0], [5.0, 6.0, 7.0], rng=0)
    assert res.p_value == pytest.approx(0.2, abs=0.04)
    assert not res.drift_detected
