"""CBPE: exact identities, Monte Carlo agreement, oracles, result API, pickling."""

from __future__ import annotations

import json
import pickle

import attrs
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from mllifecycle.estimate import CBPE, MetricEstimate, PerformanceEstimate
from mllifecycle.estimate._metrics import expected_confusion
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError

ALL = ["accuracy", "precision", "recall", "f1", "roc_auc"]


def _binary(n, seed, a=0.7, b=0.9):
    rng = np.random.default_rng(seed)
    p = rng.beta(a, b, size=n)
    y = (rng.uniform(size=n) < p).astype(int)
    return p, y


def _softmax_probs(n, k, seed, scale=1.5):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, k)) * scale
    P = np.exp(z - z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return P


def _draw_categorical(P, n_draws, rng):
    """(n_draws, n) labels, row i drawn from the categorical P[i]."""
    u = rng.uniform(size=(n_draws, P.shape[0], 1))
    return np.minimum((u > np.cumsum(P, axis=1)[None]).sum(axis=2), P.shape[1] - 1)


# --------------------------------------------------------------- identities
def test_expected_confusion_equals_monte_carlo_mean():
    p, _ = _binary(300, 0)
    yhat = (p >= 0.5).astype(np.intp)
    P = np.column_stack([1 - p, p])[None]
    tp, fp, fn, tn = (float(v[0]) for v in expected_confusion(P, yhat[None], 1))
    rng = np.random.default_rng(1)
    B = 20_000
    Y = rng.uniform(size=(B, p.size)) < p
    g = yhat.astype(bool)
    counts = {
        "tp": (Y & g).sum(1),
        "fp": (~Y & g).sum(1),
        "fn": (Y & ~g).sum(1),
        "tn": (~Y & ~g).sum(1),
    }
    v_pos = np.sum(p[g] * (1 - p[g]))
    v_neg = np.sum(p[~g] * (1 - p[~g]))
    for name, exp, var in [
        ("tp", tp, v_pos),
        ("fp", fp, v_pos),
        ("fn", fn, v_neg),
        ("tn", tn, v_neg),
    ]:
        mc = counts[name].mean()
        assert abs(mc - exp) < 4 * np.sqrt(var / B), name
        assert counts[name].var() == pytest.approx(var, rel=0.05)
    assert tp + fp + fn + tn == pytest.approx(p.size)


@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.8])
def test_accuracy_and_precision_are_exact_closed_forms(threshold):
    p, y = _binary(500, 2)
    est = CBPE(metrics=["accuracy", "precision"], calibration="none",
               threshold=threshold).fit(y_true=y, y_proba=p)
    r = est.estimate(p)
    q = np.where(p >= threshold, p, 1 - p)
    assert r["accuracy"].value == pytest.approx(q.mean(), rel=1e-12)
    assert r["accuracy"].std_error == pytest.approx(
        np.sqrt(np.sum(q * (1 - q))) / p.size, rel=1e-12
    )
    if threshold == 0.5:
        assert r["accuracy"].value == pytest.approx(np.maximum(p, 1 - p).mean())
    pos = p >= threshold
    assert r["precision"].value == pytest.approx(p[pos].mean(), rel=1e-12)
    assert r["precision"].std_error == pytest.approx(
        np.sqrt(np.sum(p[pos] * (1 - p[pos]))) / pos.sum(), rel=1e-12
    )


def test_ratio_metrics_closed_forms():
    p, y = _binary(400, 3)
    r = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=p).estimate(p)
    g = p >= 0.5
    tp, fp, fn = p[g].sum(), (1 - p[g]).sum(), p[~g].sum()
    assert r["recall"].value == pytest.approx(tp / (tp + fn))
    assert r["f1"].value == pytest.approx(2 * tp / (2 * tp + fp + fn))


def test_auc_equals_pairwise_expectation_with_ties():
    rng = np.random.default_rng(4)
    p = np.round(rng.uniform(size=60), 1)  # many tied scores
    p = np.clip(p, 0.05, 0.95)
    y = (rng.uniform(size=60) < p).astype(int)
    r = CBPE(metrics=["roc_auc"], calibration="none").fit(y_true=y, y_proba=p).estimate(p)
    s = p
    h = (s[:, None] > s[None, :]) + 0.5 * (s[:, None] == s[None, :])
    w = p[:, None] * (1 - p[None, :])
    np.fill_diagonal(w, 0.0)
    expected = np.sum(w * h) / np.sum(w)
    denominator = p.sum() * (1 - p).sum() - np.sum(p * (1 - p))
    assert np.sum(w) == pytest.approx(denominator)
    assert r["roc_auc"].value == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------- Monte Carlo
@pytest.mark.slow
def test_binary_estimates_and_std_errors_match_monte_carlo():
    p, y = _binary(600, 5)
    r = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=p).estimate(p)
    rng = np.random.default_rng(6)
    B = 3000
    Y = (rng.uniform(size=(B, p.size)) < p).astype(int)
    yhat = (p >= 0.5).astype(int)
    g = yhat == 1
    tp = (Y * g).sum(1)
    npos = Y.sum(1)
    real = {
        "accuracy": (yhat == Y).mean(1),
        "precision": tp / g.sum(),
        "recall": tp / npos,
        "f1": 2 * tp / (g.sum() + npos),
        "roc_auc": np.array([roc_auc_score(Y[b], p) for b in range(300)]),
    }
    for name in ALL:
        mc = real[name]
        assert abs(mc.mean() - r[name].value) < 4 * mc.std() / np.sqrt(mc.size) + 1e-3
        assert r[name].std_error == pytest.approx(mc.std(), rel=0.1), name


def _realised_multiclass(Y, yhat, P):
    """Vectorised macro metrics of many label draws Y (B, n)."""
    _B, n = Y.shape
    K = P.shape[1]
    from scipy.stats import rankdata

    ranks = rankdata(P, axis=0)
    out = {"accuracy": (yhat == Y).mean(1)}
    prec, rec, f1, auc = [], [], [], []
    for k in range(K):
        pos = k == Y
        g = yhat == k
        tp = (pos & g).sum(1)
        npos = pos.sum(1)
        prec.append(tp / g.sum())
        rec.append(tp / npos)
        f1.append(2 * tp / (g.sum() + npos))
        u = pos.astype(float) @ ranks[:, k]
        auc.append((u - npos * (npos + 1) / 2) / (npos * (n - npos)))
    out["precision"] = np.mean(prec, axis=0)
    out["recall"] = np.mean(rec, axis=0)
    out["f1"] = np.mean(f1, axis=0)
    out["roc_auc"] = np.mean(auc, axis=0)
    return out


@pytest.mark.slow
def test_multiclass_estimates_and_std_errors_match_monte_carlo():
    P = _softmax_probs(600, 4, 7)
    rng = np.random.default_rng(8)
    y = _draw_categorical(P, 1, rng)[0]
    est = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=P)
    r = est.estimate(P)
    assert r.average == "macro"
    assert r.n_classes == 4
    B = 4000
    Y = _draw_categorical(P, B, rng)
    yhat = P.argmax(1)
    real = _realised_multiclass(Y, yhat, P)
    for b in range(5):  # the vectorised realiser agrees with scikit-learn
        assert real["accuracy"][b] == pytest.approx(accuracy_score(Y[b], yhat))
        assert real["precision"][b] == pytest.approx(precision_score(Y[b], yhat, average="macro"))
        assert real["recall"][b] == pytest.approx(recall_score(Y[b], yhat, average="macro"))
        assert real["f1"][b] == pytest.approx(f1_score(Y[b], yhat, average="macro"))
        assert real["roc_auc"][b] == pytest.approx(roc_auc_score(Y[b], P, multi_class="ovr"))
    for name in ALL:
        mc = np.asarray(real[name])
        assert abs(mc.mean() - r[name].value) < 4 * mc.std() / np.sqrt(B) + 1e-3, name
        assert r[name].std_error == pytest.approx(mc.std(), rel=0.1), name


# ------------------------------------------------------------ realised: oracle
@pytest.mark.parametrize("threshold", [0.5, 0.35])
def test_realized_matches_sklearn_binary(threshold):
    p, y = _binary(300, 9)
    est = CBPE(metrics=ALL, calibration="none", threshold=threshold).fit(y_true=y, y_proba=p)
    got = est.realized(y, p)
    yhat = (p >= threshold).astype(int)
    assert got["accuracy"] == pytest.approx(accuracy_score(y, yhat))
    assert got["precision"] == pytest.approx(precision_score(y, yhat))
    assert got["recall"] == pytest.approx(recall_score(y, yhat))
    assert got["f1"] == pytest.approx(f1_score(y, yhat))
    assert got["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert est.reference_metrics_ == pytest.approx(got)


def test_realized_matches_sklearn_multiclass():
    P = _softmax_probs(400, 3, 10)
    y = _draw_categorical(P, 1, np.random.default_rng(11))[0]
    est = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=P)
    got = est.realized(y, P)
    yhat = P.argmax(1)
    assert got["accuracy"] == pytest.approx(accuracy_score(y, yhat))
    assert got["precision"] == pytest.approx(precision_score(y, yhat, average="macro"))
    assert got["recall"] == pytest.approx(recall_score(y, yhat, average="macro"))
    assert got["f1"] == pytest.approx(f1_score(y, yhat, average="macro"))
    assert got["roc_auc"] == pytest.approx(roc_auc_score(y, P, multi_class="ovr"))


def test_two_column_proba_is_the_binary_problem():
    p, y = _binary(500, 12)
    a = CBPE(metrics=ALL, random_state=0).fit(y_true=y, y_proba=p).estimate(p[:200])
    b = CBPE(metrics=ALL, random_state=0).fit(y_true=y, y_proba=np.column_stack([1 - p, p]))
    rb = b.estimate(np.column_stack([1 - p[:200], p[:200]]))
    assert rb.average == "binary"
    for name in ALL:
        assert rb[name].value == pytest.approx(a[name].value, rel=1e-12)
        assert rb[name].std_error == pytest.approx(a[name].std_error, rel=1e-12)


# ------------------------------------------------------------- calibration
def test_auto_prefers_isotonic_for_a_step_shaped_truth():
    rng = np.random.default_rng(13)
    s = rng.uniform(size=6000)
    truth = np.where(s < 0.5, 0.2, 0.9)
    y = (rng.uniform(size=s.size) < truth).astype(int)
    est = CBPE(random_state=0).fit(y_true=y, y_proba=s)
    assert set(est.calibration_scores_) == {"none", "sigmoid", "isotonic"}
    assert est.calibration_ == "isotonic"
    assert est.calibration_ == min(est.calibration_scores_, key=est.calibration_scores_.get)
    cal = est.calibrate(np.array([0.1, 0.4, 0.6, 0.95]))
    np.testing.assert_allclose(cal, [0.2, 0.2, 0.9, 0.9], atol=0.05)


def test_auto_keeps_a_calibrated_model_nearly_unchanged():
    p, y = _binary(8000, 14)
    est = CBPE(random_state=0).fit(y_true=y, y_proba=p)
    grid = np.linspace(0.05, 0.95, 10)
    np.testing.assert_allclose(est.calibrate(grid), grid, atol=0.05)


def test_sigmoid_recovers_platt_parameters():
    rng = np.random.default_rng(15)
    z = rng.normal(scale=2.0, size=40_000)
    raw = 1 / (1 + np.exp(-z))
    truth = 1 / (1 + np.exp(-(2.0 * z - 0.5)))
    y = (rng.uniform(size=z.size) < truth).astype(int)
    est = CBPE(calibration="sigmoid").fit(y_true=y, y_proba=raw)
    cal = est.calibrators_[0]
    assert cal.a == pytest.approx(2.0, abs=0.08)
    assert cal.b == pytest.approx(-0.5, abs=0.08)
    # same fit as scikit-learn's (nearly unpenalised) logistic regression on logit(p)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6).fit(np.log(raw / (1 - raw))[:, None], y)
    assert cal.a == pytest.approx(lr.coef_[0, 0], rel=1e-3)
    assert cal.b == pytest.approx(lr.intercept_[0], abs=1e-3)


def test_calibration_fixes_a_miscalibrated_model():
    rng = np.random.default_rng(16)
    truth = rng.uniform(size=20_000)
    raw = truth**3  # monotone, badly calibrated
    y = (rng.uniform(size=truth.size) < truth).astype(int)
    est = CBPE(metrics=["accuracy"], random_state=0).fit(y_true=y[:10_000], y_proba=raw[:10_000])
    assert est.calibration_ != "none"
    r = est.estimate(raw[10_000:])
    realised = est.realized(y[10_000:], raw[10_000:])["accuracy"]
    assert r["accuracy"].ci_low <= realised <= r["accuracy"].ci_high
    naive = CBPE(metrics=["accuracy"], calibration="none").fit(y_true=y, y_proba=raw)
    assert abs(naive.estimate(raw[10_000:])["accuracy"].value - realised) > 0.05


def test_multiclass_calibrated_rows_sum_to_one():
    P = _softmax_probs(3000, 3, 17)
    y = _draw_categorical(P**0.5 / (P**0.5).sum(1, keepdims=True), 1, np.random.default_rng(18))[0]
    for method in ["isotonic", "sigmoid", "auto"]:
        cal = CBPE(calibration=method, random_state=0).fit(y_true=y, y_proba=P).calibrate(P)
        assert cal.shape == P.shape
        np.testing.assert_allclose(cal.sum(1), 1.0)


# --------------------------------------------------------- windows and API
def test_estimate_many_equals_estimate_per_window():
    p, y = _binary(3000, 19)
    est = CBPE(metrics=ALL, random_state=0).fit(y_true=y, y_proba=p)
    q = np.random.default_rng(20).beta(2, 1, size=2500)
    many = est.estimate_many(q, window_size=1000)
    assert [r.n_samples for r in many] == [1000, 1000, 500]
    singles = [est.estimate(q[i : i + 1000]) for i in range(0, 2500, 1000)]
    for a, b in zip(many, singles, strict=True):
        for name in ALL:
            assert a[name].value == pytest.approx(b[name].value, rel=1e-12)
            assert a[name].std_error == pytest.approx(b[name].std_error, rel=1e-12)
    listed = est.estimate_many([q[:1000], q[1000:2000], q[2000:]])
    assert [r.to_dict() for r in listed] == [r.to_dict() for r in many]


def test_result_api_and_serialisation():
    p, y = _binary(1000, 21)
    est = CBPE(metrics=["f1", "accuracy"], random_state=0).fit(y_true=y, y_proba=p)
    r = est.estimate(p[:300])
    assert isinstance(r, PerformanceEstimate)
    assert isinstance(r["f1"], MetricEstimate)
    assert list(r) == ["f1", "accuracy"] == r.keys()
    assert len(r) == 2
    assert "f1" in r
    assert "roc_auc" not in r
    with pytest.raises(KeyError, match="'roc_auc' was not estimated"):
        r["roc_auc"]
    e = r["accuracy"]
    assert e.ci_low <= e.value <= e.ci_high
    assert e.std_error > 0
    assert e.sampling_std_error == e.std_error
    assert np.isnan(e.calibration_std_error)
    d = r.to_dict()
    json.dumps(d)
    assert d["n_samples"] == 300
    assert d["method"] == "cbpe"
    m = r.to_metrics()
    assert m["accuracy"] == e.value
    assert m["accuracy.std_error"] == e.std_error
    assert m["n_samples"] == 300.0
    assert all(isinstance(v, float) for v in m.values())
    assert d["threshold"] == 0.5
    assert d["estimates"]["accuracy"]["value"] == e.value
    text = repr(r)
    assert "PerformanceEstimate" in text
    assert "accuracy" in text
    assert "95% CI" in text
    assert "MetricEstimate(metric='f1'" in repr(r["f1"])
    html = r._repr_html_()
    assert html.startswith("<table>")
    assert "f1" in html
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.n_samples = 5
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        e.value = 0.0


def test_interval_width_follows_confidence_level():
    p, y = _binary(1000, 22)
    r90 = CBPE(calibration="none", confidence_level=0.90).fit(y_true=y, y_proba=p).estimate(p)
    r99 = CBPE(calibration="none", confidence_level=0.99).fit(y_true=y, y_proba=p).estimate(p)
    e90, e99 = r90["accuracy"], r99["accuracy"]
    assert (e90.ci_high - e90.ci_low) / (2 * e90.std_error) == pytest.approx(1.6449, rel=1e-4)
    assert (e99.ci_high - e99.ci_low) / (2 * e99.std_error) == pytest.approx(2.5758, rel=1e-4)


def test_pickle_round_trip_and_sklearn_params():
    p, y = _binary(1000, 23)
    est = CBPE(metrics=ALL, random_state=3, n_resamples=5).fit(y_true=y, y_proba=p)
    again = pickle.loads(pickle.dumps(est))
    assert again.estimate(p[:200]).to_dict() == est.estimate(p[:200]).to_dict()
    r = est.estimate(p[:200])
    assert pickle.loads(pickle.dumps(r)) == r
    params = est.get_params()
    assert params == {
        "metrics": ALL,
        "calibration": "auto",
        "cv": 5,
        "threshold": 0.5,
        "confidence_level": 0.95,
        "random_state": 3,
        "n_resamples": 5,
    }
    c = clone(est)
    assert not hasattr(c, "calibrators_")
    c.set_params(calibration="sigmoid", metrics="recall")
    assert c.fit(y_true=y, y_proba=p).calibration_ == "sigmoid"
    assert c.estimate(p).keys() == ["recall"]
    for attr in [
        "calibration_",
        "calibration_scores_",
        "calibrators_",
        "n_classes_",
        "classes_",
        "n_reference_",
        "reference_metrics_",
        "bootstrap_calibrators_",
    ]:
        assert hasattr(est, attr)


def test_same_random_state_same_result_and_bootstrap_is_added():
    p, y = _binary(1500, 24)
    a = CBPE(metrics=ALL, random_state=7, n_resamples=20).fit(y_true=y, y_proba=p).estimate(p[:400])
    b = CBPE(metrics=ALL, random_state=7, n_resamples=20).fit(y_true=y, y_proba=p).estimate(p[:400])
    assert a == b
    plain = CBPE(metrics=ALL, random_state=7).fit(y_true=y, y_proba=p).estimate(p[:400])
    for name in ALL:
        e = a[name]
        assert e.calibration_std_error > 0
        assert e.sampling_std_error == pytest.approx(plain[name].std_error)
        assert e.std_error == pytest.approx(np.hypot(e.sampling_std_error, e.calibration_std_error))
        assert e.value == pytest.approx(plain[name].value)


# ------------------------------------------------------------ degenerate
def test_no_predicted_positive_gives_nan_precision_with_warning():
    p, y = _binary(1000, 25)
    est = CBPE(metrics=["accuracy", "precision"], calibration="none").fit(y_true=y, y_proba=p)
    with pytest.warns(DegenerateDataWarning, match="precision undefined"):
        r = est.estimate(np.full(10, 0.1))
    assert np.isnan(r["precision"].value)
    assert np.isnan(r["precision"].ci_low)
    assert r["accuracy"].value == pytest.approx(0.9)
    assert r.to_dict()["estimates"]["precision"]["value"] is None
    with pytest.warns(DegenerateDataWarning, match="in 1 window"):
        est.estimate_many([np.full(10, 0.1), np.full(10, 0.9)])
    with pytest.warns(DegenerateDataWarning, match="precision undefined"):
        got = est.realized(np.zeros(5), np.full(5, 0.2))
    assert np.isnan(got["precision"])
    assert got["accuracy"] == 1.0


def test_single_row_window_auc_is_nan():
    p, y = _binary(1000, 26)
    est = CBPE(metrics=["accuracy", "roc_auc"], calibration="none").fit(y_true=y, y_proba=p)
    with pytest.warns(DegenerateDataWarning, match="roc_auc"):
        r = est.estimate([0.7])
    assert np.isnan(r["roc_auc"].value)
    assert r["accuracy"].value == pytest.approx(0.7)


def test_multiclass_estimate_many_matches_estimate_and_ignores_threshold():
    P = _softmax_probs(1200, 3, 27)
    y = _draw_categorical(P, 1, np.random.default_rng(28))[0]
    a = CBPE(metrics=ALL, calibration="isotonic").fit(y_true=y, y_proba=P)
    b = CBPE(metrics=ALL, calibration="isotonic", threshold=0.9).fit(y_true=y, y_proba=P)
    many = a.estimate_many(P, window_size=400)
    for i, r in enumerate(many):
        single = b.estimate(P[400 * i : 400 * (i + 1)])
        assert r.threshold is None
        assert single.threshold is None
        for name in ALL:
            assert r[name].value == pytest.approx(single[name].value, rel=1e-12)
            assert r[name].std_error == pytest.approx(single[name].std_error, rel=1e-12)


def test_multiclass_accuracy_is_mean_calibrated_probability_of_the_prediction():
    P = _softmax_probs(500, 4, 29)
    y = _draw_categorical(P, 1, np.random.default_rng(30))[0]
    est = CBPE(metrics=["accuracy", "precision"], calibration="none").fit(y_true=y, y_proba=P)
    r = est.estimate(P)
    q = P[np.arange(500), P.argmax(1)]
    assert r["accuracy"].value == pytest.approx(q.mean(), rel=1e-12)
    assert r["accuracy"].std_error == pytest.approx(np.sqrt(np.sum(q * (1 - q))) / 500)
    per_class = [P[P.argmax(1) == k, k].mean() for k in range(4)]
    assert r["precision"].value == pytest.approx(np.mean(per_class), rel=1e-12)


def test_fit_arguments_are_keyword_only_and_named_for_what_they_are():
    p = np.array([0.2, 0.7, 0.4, 0.6, 0.9, 0.1])
    y = np.array([0, 1, 0, 1, 1, 0])
    with pytest.raises(TypeError):
        CBPE(calibration="none").fit(y, p)  # positional reads backwards: refused
    est = CBPE(calibration="none").fit(y_proba=p, y_true=y)
    assert est.estimate(y_proba=p).n_samples == 6


def test_complex_and_table_probabilities():
    p = np.array([0.2, 0.7, 0.4, 0.6, 0.9, 0.1])
    y = np.array([0, 1, 0, 1, 1, 0])
    with pytest.raises(InvalidParameterError, match=r"'y_proba'.*Complex data not supported"):
        CBPE(calibration="none").fit(y_true=y, y_proba=p + 0j)
    pd = pytest.importorskip("pandas")
    est = CBPE(calibration="none").fit(y_true=pd.Series(y), y_proba=pd.Series(p))
    assert est.estimate(pd.Series(p))["accuracy"].value == pytest.approx(
        CBPE(calibration="none").fit(y_true=y, y_proba=p).estimate(p)["accuracy"].value)
