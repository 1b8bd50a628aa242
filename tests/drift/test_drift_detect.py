"""detect, DriftReport and the fitted, mergeable Reference."""

from __future__ import annotations

import json
import pickle

import attrs
import numpy as np
import pytest
from scipy import stats

from mllifecycle import drift
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError


def _data(seed=0, n=400, m=300, shift=(0.0, 0.0, 0.6, 0.0, 0.2)):
    rng = np.random.default_rng(seed)
    ref = rng.normal(size=(n, len(shift)))
    cur = rng.normal(size=(m, len(shift))) + np.asarray(shift)
    return ref, cur


def test_detect_uses_ks_and_matches_scipy_per_column():
    ref, cur = _data()
    report = drift.detect(ref, cur, correction=None)
    assert [f.test for f in report.features] == ["ks"] * 5
    for f in report.features:
        j = int(f.name[1:])
        r = stats.ks_2samp(ref[:, j], cur[:, j])
        assert f.statistic == r.statistic
        assert f.p_value == pytest.approx(r.pvalue, rel=1e-9)
        assert f.adjusted_p_value == f.p_value


def test_detect_ranks_by_effect_and_finds_the_shift():
    ref, cur = _data()
    report = drift.detect(ref, cur)
    effects = [f.effect_size for f in report.features]
    assert effects == sorted(effects, reverse=True)
    assert report.features[0].name == "x2"
    assert report.drift_detected
    assert "x2" in report.drifted
    assert report["x2"].drift_detected
    with pytest.raises(KeyError):
        report["nope"]


@pytest.mark.parametrize("correction", ["holm", "bonferroni", "fdr_bh", None])
def test_detect_correction_is_applied(correction):
    ref, cur = _data(1)
    report = drift.detect(ref, cur, correction=correction)
    raw = [f.p_value for f in report.features]
    adj = drift.adjust_p_values(raw, correction)
    assert [f.adjusted_p_value for f in report.features] == pytest.approx(adj.tolist())
    assert [f.drift_detected for f in report.features] == [bool(a < 0.05) for a in adj]


def test_min_effect_suppresses_tiny_significant_shifts():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(20000, 2))
    cur = rng.normal(size=(20000, 2)) + np.array([0.05, 0.5])
    plain = drift.detect(ref, cur)
    assert plain["x0"].drift_detected  # tiny but significant
    strict = drift.detect(ref, cur, min_effect=0.1)
    assert not strict["x0"].drift_detected
    assert strict["x1"].drift_detected
    res = drift.ks(ref[:, 0], cur[:, 0], min_effect=0.1)
    assert res.p_value < 0.05
    assert not res.drift_detected
    assert res.min_effect == 0.1


def test_detect_dataframe_mixed_types_keeps_names():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(
        {
            "age": rng.normal(40, 10, 500),
            "plan": rng.choice(["basic", "pro"], 500, p=[0.7, 0.3]),
            "visits": rng.poisson(3, 500),
            "flag": rng.random(500) < 0.5,
        }
    )
    cur = pd.DataFrame(
        {
            "age": rng.normal(40, 10, 400),
            "plan": rng.choice(["basic", "pro", "team"], 400, p=[0.5, 0.3, 0.2]),
            "visits": rng.poisson(3, 400),
            "flag": rng.random(400) < 0.5,
        }
    )
    report = drift.detect(ref, cur)
    tests = {f.name: f.test for f in report.features}
    assert tests == {
        "age": "ks",
        "plan": "chi_square",
        "visits": "ks",
        "flag": "chi_square",
    }
    assert report.drifted == ["plan"]
    assert report["plan"].result.details["unseen"] == ["team"]
    forced = drift.detect(
        ref, cur, categorical_features=["visits"], tests={"age": "wasserstein"}, rng=0
    )
    assert {f.name: f.test for f in forced.features}["visits"] == "chi_square"
    assert {f.name: f.test for f in forced.features}["age"] == "wasserstein"


def test_detect_named_test_applies_where_it_can():
    rng = np.random.default_rng(0)
    ref = {"a": rng.normal(size=200), "c": rng.choice(["u", "v"], 200)}
    cur = {"a": rng.normal(size=200), "c": rng.choice(["u", "v"], 200)}
    report = drift.detect(ref, cur, tests="cramer_von_mises")
    assert {f.name: f.test for f in report.features} == {
        "a": "cramer_von_mises",
        "c": "chi_square",
    }
    report = drift.detect(ref, cur, tests="psi", rng=0)
    assert {f.test for f in report.features} == {"psi"}


def test_report_outputs():
    ref, cur = _data()
    report = drift.detect(ref, cur)
    d = report.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["drifted"] == report.drifted
    assert len(d["features"]) == 5
    text = repr(report)
    assert text.startswith("DriftReport: drift detected")
    assert "x2" in text.splitlines()[2]
    html = report._repr_html_()
    assert html.startswith("<table>")
    assert "x2" in html
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.drift_detected = False


def test_detect_constant_column_warns_not_crashes():
    ref, cur = _data()
    ref[:, 1] = 1.0
    cur[:, 1] = 1.0
    with pytest.warns(DegenerateDataWarning, match="constant"):
        report = drift.detect(ref, cur)
    assert report["x1"].p_value == 1.0


def test_reference_compare_equals_detect():
    ref, cur = _data(3)
    fitted = drift.Reference.fit(ref)
    a = fitted.compare(cur).to_dict()
    b = drift.detect(ref, cur).to_dict()
    assert a == b
    for seed in range(4):
        _, window = _data(seed + 10, m=200)
        assert fitted.compare(window).to_dict() == drift.detect(ref, window).to_dict()


def test_reference_mixed_and_non_ks_tests_equal_detect():
    rng = np.random.default_rng(0)
    ref = {
        "a": rng.normal(size=300),
        "b": rng.normal(size=300),
        "c": rng.choice(["x", "y", "z"], 300),
    }
    cur = {
        "a": rng.normal(0.3, 1, 250),
        "b": rng.normal(size=250),
        "c": rng.choice(["x", "y"], 250),
    }
    tests = {"b": "anderson_darling"}
    fitted = drift.Reference.fit(ref, tests=tests)
    assert (
        fitted.compare(cur, rng=1).to_dict() == drift.detect(ref, cur, tests=tests, rng=1).to_dict()
    )


def test_reference_pickles_and_merge_is_exact():
    rng = np.random.default_rng(0)
    ref = {
        "a": rng.normal(size=1000),
        "b": rng.poisson(2, 1000).astype(float),
        "c": rng.choice(["x", "y", "z"], 1000),
    }
    cur = {
        "a": rng.normal(0.1, 1, 400),
        "b": rng.poisson(2.2, 400).astype(float),
        "c": rng.choice(["x", "y", "z", "w"], 400),
    }
    full = drift.Reference.fit(ref)
    parts = [drift.Reference.fit({k: v[i::3] for k, v in ref.items()}) for i in range(3)]
    merged = drift.Reference.merge(parts)
    assert merged.n_reference == 1000
    for k in ("a", "b", "c"):
        np.testing.assert_array_equal(merged.reference_column(k), full.reference_column(k))
    assert merged.compare(cur).to_dict() == full.compare(cur).to_dict()
    restored = pickle.loads(pickle.dumps(merged))
    assert restored.compare(cur).to_dict() == full.compare(cur).to_dict()
    assert "n_reference=1000" in repr(restored)


def test_reference_merge_through_joblib():
    joblib = pytest.importorskip("joblib")
    X = np.random.default_rng(0).normal(size=(900, 4))
    chunks = np.array_split(X, 3)
    parts = joblib.Parallel(n_jobs=1)(joblib.delayed(drift.Reference.fit)(c) for c in chunks)
    cur = X[:200] + 0.3
    assert (
        drift.Reference.merge(parts).compare(cur).to_dict()
        == drift.Reference.fit(X).compare(cur).to_dict()
    )


def test_result_fields_and_json():
    rng = np.random.default_rng(0)
    for res in (
        drift.ks(rng.normal(size=30), rng.normal(size=30)),
        drift.mmd(rng.normal(size=(30, 2)), rng.normal(size=(30, 2)), n_resamples=20, rng=0),
        drift.psi(rng.normal(size=30), rng.normal(size=30), threshold=0.25),
    ):
        d = res.to_dict()
        assert json.loads(json.dumps(d)) == d
        assert set(d) >= {
            "statistic",
            "p_value",
            "drift_detected",
            "effect_size",
            "method",
            "n_reference",
            "n_current",
            "alpha",
            "threshold",
            "min_effect",
            "details",
        }
        assert res.method in repr(res)


def test_classifier_drift_reports_auc_and_importances():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    ref = rng.normal(size=(150, 4))
    cur = rng.normal(size=(150, 4))
    cur[:, 1] += 1.0
    res = drift.classifier_drift(ref, cur, rng=0)
    assert res.statistic == res.details["auc"]
    assert res.statistic > 0.6
    assert res.drift_detected
    assert int(np.argmax(res.details["feature_importances"])) == 1
    assert res.effect_size == pytest.approx(2 * res.statistic - 1)
    lr = LogisticRegression()
    drift.classifier_drift(ref, cur, estimator=lr, rng=0)
    assert not hasattr(lr, "coef_")  # cloned, not mutated


def test_chi_square_single_category_warns():
    with pytest.warns(DegenerateDataWarning, match="single category"):
        res = drift.chi_square(["a"] * 10, ["a"] * 12)
    assert res.p_value == 1.0
    assert not res.drift_detected


def test_psi_threshold_decision_and_band():
    rng = np.random.default_rng(0)
    res = drift.psi(rng.normal(size=2000), rng.normal(1.0, size=2000), threshold=0.25)
    assert res.p_value is None
    assert res.threshold == 0.25
    assert res.drift_detected
    assert res.details["band"] == "major"


@pytest.mark.parametrize("lib", ["pandas", "polars", "pyarrow"])
def test_nullable_boolean_column_stays_categorical_with_nulls(lib):
    """A boolean column with nulls came out of the table as 1.0/0.0/NaN, so it
    was numeric (KS) when it had nulls and categorical without: detect raised
    a kind mismatch ("non-numeric values") and Reference.fit chose KS."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    b, b2 = rng.integers(0, 2, 200).astype(bool), rng.integers(0, 2, 150).astype(bool)
    ref = pd.DataFrame({"b": pd.array(b, dtype="boolean"), "x": rng.normal(size=200)})
    ref.loc[:4, "b"] = None
    cur = pd.DataFrame({"b": pd.array(b2, dtype="boolean"), "x": rng.normal(size=150)})
    if lib == "polars":
        pl = pytest.importorskip("polars")
        ref, cur = pl.from_pandas(ref), pl.from_pandas(cur)
    elif lib == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        ref, cur = pa.Table.from_pandas(ref), pa.Table.from_pandas(cur)
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter.*missing"):
        drift.detect(ref, cur)
    rep = drift.detect(ref, cur, nan_policy="omit")
    want = drift.chi_square(b[5:], b2)
    assert rep["b"].test == "chi_square"
    assert rep["b"].statistic == want.statistic
    assert rep["b"].result.details["categories"] == [False, True]
    fitted = drift.Reference.fit(ref, nan_policy="omit")
    assert fitted.compare(cur).to_dict() == rep.to_dict()


def test_detect_refuses_mappings_whose_columns_differ_in_name_or_order():
    """Dicts of columns were matched by position, not name: {'a', 'b'} against
    {'b', 'a'} compared a with b (KS D = 1.0 on undrifted data), and a
    renamed column was accepted; Reference.compare already refused both."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    ref = {"a": rng.normal(size=200), "b": rng.normal(size=200) + 100}
    cur = {"b": rng.normal(size=150) + 100, "a": rng.normal(size=150)}
    for r, c in ((ref, cur), (pd.DataFrame(ref), cur), (ref, pd.DataFrame(cur))):
        with pytest.raises(InvalidParameterError, match=r"'current' parameter of detect"):
            drift.detect(r, c)
    with pytest.raises(InvalidParameterError, match=r"Got columns \['a', 'c'\]"):
        drift.detect(ref, {"a": cur["a"], "c": cur["b"]})
    same = drift.detect(ref, {"a": cur["a"], "b": cur["b"]})
    assert same["a"].statistic < 0.2
    assert same["b"].statistic < 0.2
    assert drift.detect(ref, np.c_[cur["a"], cur["b"]]).to_dict() == same.to_dict()
