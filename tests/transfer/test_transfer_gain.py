"""transfer_gain (paired CV, corrected resampled t) and domain_distance."""

from __future__ import annotations

import json
import pickle

import attrs
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from mllifecycle._resampling import corrected_resampled_t
from mllifecycle.drift import classifier_drift, mmd
from mllifecycle.transfer import DomainDistance, TransferGainResult, domain_distance, transfer_gain


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls (L-BFGS-B inside LogisticRegression) thrash when threaded
    on a shared 2-core machine; one thread makes them ~10x faster and changes no result."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def related(seed=1, d=20, n_source=5000, n_target=50):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    xs = rng.normal(size=(n_source, d))
    ys = (xs @ w + rng.normal(0, 0.5, n_source) > 0).astype(int)
    xt = rng.normal(size=(n_target, d))
    yt = (xt @ (w + rng.normal(0, 0.05, d)) + rng.normal(0, 0.5, n_target) > 0).astype(int)
    unrelated = (xs, (xs @ rng.normal(size=d) > 0).astype(int))
    return (xs, ys), (xt, yt), unrelated


def test_related_source_gain_interval_excludes_zero():
    """50 target labels, 5,000 related source labels: a gain, with 0 outside the interval."""
    src, tgt, _ = related()
    res = transfer_gain(LogisticRegression(), src, tgt, scoring="neg_log_loss",
                        finetune_params={"source_weight": 1.0}, rng=0)
    assert res.verdict == "helped"
    assert res.helped
    assert not res.hurt
    assert res.ci_low > 0
    assert res.gain > 0
    assert res.n_splits == 15


@pytest.mark.slow
def test_related_source_gain_with_tuned_weight():
    src, tgt, _ = related(seed=1, n_source=2000)
    res = transfer_gain(LogisticRegression(), src, tgt, scoring="neg_log_loss",
                        n_repeats=2, finetune_params={"cv": 3}, rng=0)
    assert res.ci_low > 0
    assert all(w > 0 for w in res.details["source_weights"])


def test_unrelated_source_pooled_is_reported_as_negative_transfer():
    _, tgt, unrelated = related()
    res = transfer_gain(LogisticRegression(), unrelated, tgt, scoring="neg_log_loss",
                        finetune_params={"source_weight": 1.0}, rng=0)
    assert res.verdict == "hurt"
    assert res.hurt
    assert res.ci_high < 0
    assert res.gain < 0


def test_unrelated_source_tuned_weight_claims_no_gain():
    _, tgt, unrelated = related(n_source=1500)
    res = transfer_gain(LogisticRegression(), unrelated, tgt, n_repeats=1,
                        finetune_params={"cv": 3}, rng=0)
    assert not res.helped
    assert res.ci_low <= 0


def test_gain_equals_corrected_t_on_the_same_folds():
    """Oracle: recompute the per-fold differences by hand with the same splitter."""
    src, tgt, _ = related(n_source=400, n_target=40)
    cv = KFold(4, shuffle=True, random_state=0)
    res = transfer_gain(LogisticRegression(), src, tgt, cv=cv,
                        finetune_params={"source_weight": 0.5}, rng=0)
    diffs = []
    xt, yt = tgt
    for tr, te in cv.split(xt):
        pooled = LogisticRegression().fit(
            np.vstack([src[0], xt[tr]]), np.r_[src[1], yt[tr]],
            sample_weight=np.r_[np.full(400, 0.5), np.ones(len(tr))])
        base = LogisticRegression().fit(xt[tr], yt[tr])
        diffs.append(pooled.score(xt[te], yt[te]) - base.score(xt[te], yt[te]))
    ref = corrected_resampled_t(diffs, n_train=30, n_test=10)
    assert res.gain == pytest.approx(ref.mean)
    assert res.ci_low == pytest.approx(ref.ci_low)
    assert res.ci_high == pytest.approx(ref.ci_high)
    assert res.n_splits == 4


def test_gain_result_frozen_picklable_json_same_rng():
    src, tgt, _ = related(n_source=300, n_target=40)
    kw = {"n_repeats": 1, "finetune_params": {"source_weight": 1.0}, "cv": 4}
    a = transfer_gain(LogisticRegression(), src, tgt, rng=5, **kw)
    b = transfer_gain(LogisticRegression(), src, tgt, rng=5, **kw)
    assert a.to_dict() == b.to_dict()
    assert isinstance(a, TransferGainResult)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.gain = 1.0
    assert pickle.loads(pickle.dumps(a)) == a
    d = json.loads(json.dumps(a.to_dict()))
    assert d["method"] == "weighted"
    assert len(d["candidate_scores"]) == 4
    assert "TransferGainResult(verdict=" in repr(a)
    assert "<table>" in a._repr_html_()


# -- domain_distance --------------------------------------------------------------


def test_domain_distance_uses_the_drift_tests_and_reads_them():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(300, 3))
    near = rng.normal(size=(300, 3))
    mid = rng.normal(size=(300, 3)) + np.array([0.9, 0, 0])
    far = rng.normal(size=(300, 3)) + 3.0
    lr = LogisticRegression()
    kw = {"estimator": lr, "n_resamples": 100, "rng": 0}
    d_near = domain_distance(xs, near, **kw)
    d_mid = domain_distance(xs, mid, **kw)
    d_far = domain_distance(xs, far, **kw)
    assert (d_near.risk, d_mid.risk, d_far.risk) == ("low", "moderate", "high")
    assert d_near.transfer_likely_safe
    assert not d_far.transfer_likely_safe
    assert "likely safe" in d_near.reading
    assert "risky" in d_mid.reading
    assert "risky" in d_far.reading
    assert d_near.auc < d_mid.auc < d_far.auc
    # the evidence is exactly what mllifecycle.drift returns on the same inputs
    assert d_far.classifier.method == "classifier_drift"
    assert d_far.mmd.method == "mmd"
    ref = classifier_drift(xs, far, estimator=lr, cv=5, rng=1)  # other folds, same AUC
    assert ref.statistic == pytest.approx(d_far.auc, abs=0.02)
    assert mmd(xs[:50], far[:50], n_resamples=50, rng=0).drift_detected


def test_domain_distance_frozen_json_same_rng_and_subsample():
    rng = np.random.default_rng(1)
    xs, xt = rng.normal(size=(400, 2)), rng.normal(0.5, 1, (300, 2))
    kw = {"estimator": LogisticRegression(), "n_resamples": 50, "max_samples": 100}
    a = domain_distance(xs, xt, rng=3, **kw)
    b = domain_distance(xs, xt, rng=3, **kw)
    assert a.to_dict() == b.to_dict()
    assert a.details["mmd_rows"] == [100, 100]
    assert a.mmd.n_reference == 100
    assert isinstance(a, DomainDistance)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.risk = "low"
    assert pickle.loads(pickle.dumps(a)).to_dict() == a.to_dict()
    json.dumps(a.to_dict())
    assert "DomainDistance(risk=" in repr(a)
    assert "<table>" in a._repr_html_()


@pytest.mark.slow
def test_calibration_unrelated_source_rarely_claims_a_gain():
    """Over 12 seeded unrelated-source problems, the tuned transfer claims a gain
    at most as often as a 5% test may err (binomial slack: <= 2 of 12)."""
    claims = 0
    for seed in range(12):
        _, tgt, unrelated = related(seed=100 + seed, d=10, n_source=300, n_target=40)
        res = transfer_gain(LogisticRegression(), unrelated, tgt, n_repeats=1,
                            finetune_params={"cv": 3}, rng=seed)
        claims += res.helped
    assert claims <= 2


@pytest.mark.slow
def test_power_related_source_usually_detected():
    """Over 6 seeded related-source problems, pooling is detected as a gain in most."""
    hits = 0
    for seed in range(6):
        src, tgt, _ = related(seed=200 + seed)
        res = transfer_gain(LogisticRegression(), src, tgt, scoring="neg_log_loss",
                            finetune_params={"source_weight": 1.0}, rng=seed)
        hits += res.helped
    assert hits >= 4
