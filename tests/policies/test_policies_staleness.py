"""OnStaleness: the pooled age-accuracy bound, pairing, one retrain per model, errors."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from scipy import stats

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, OnStaleness, recommended
from mllifecycle.testing import check_policy


def _errors(n_ok, n_bad):
    return np.r_[np.zeros(n_ok), np.ones(n_bad)]


def _feed(p, version, errors, labels, last_cp=None):
    return p.should_retrain(
        LifecycleState(
            step=labels,
            labels_available=labels,
            model_version=version,
            new_errors=errors,
            last_change_point=last_cp,
        )
    )


def _bound(ok0, ok1, n, confidence_level=0.95):
    """Reference: (a0 - a1) - z * sqrt(s0^2 + s1^2) from the counts, by hand."""
    a0, a1 = ok0 / n, ok1 / n
    se = math.sqrt(a0 * (1 - a0) / n + a1 * (1 - a1) / n)
    return (a0 - a1) - stats.norm.ppf(confidence_level) * se


@pytest.mark.parametrize(
    ("ok1", "threshold"),
    [(80, 0.0), (85, 0.0), (88, 0.0), (80, 0.05), (70, 0.05), (84, 0.02)],
)
def test_fires_exactly_when_the_pooled_bound_exceeds_the_threshold(ok1, threshold):
    # model 0: 92 of 100 right in its first block, ok1 of 100 in its second
    p = OnStaleness(block=100, window=150, threshold=threshold)
    d = _feed(p, 0, np.r_[_errors(92, 8), _errors(ok1, 100 - ok1)], 1200)
    expect = bool(_bound(92, ok1, 100) > threshold)
    assert d.retrain is expect
    if expect:
        assert d.change_point == 1200 - 150
        assert "staleness: models 100 labels old" in d.reason


def test_pairs_each_block_with_the_same_models_first_block():
    # a poor model (70%) lives two blocks, a good one (95%) only one: fresh blocks
    # pooled unpaired would be 82.5% against 70% at age 1 and fire; paired, 70 vs 70
    p = OnStaleness(block=100, threshold=0.0)
    assert not _feed(p, 0, _errors(70, 30), 1100).retrain
    assert not _feed(p, 0, _errors(70, 30), 1200).retrain
    assert not _feed(p, 1, _errors(95, 5), 1300).retrain
    d = _feed(p, 2, np.r_[_errors(95, 5), _errors(95, 5)], 1500)
    assert not d.retrain
    assert "as good as fresh" in d.reason


def test_evidence_pools_over_models_and_fires_once_per_model():
    # each model alone: 90% then 84% on 100 labels is within noise; pooled over
    # four models (400 labels a block) it is not
    assert _bound(90, 84, 100) < 0 < _bound(360, 336, 400)
    p = OnStaleness(block=100, window=250)
    fired = []
    labels = 1000
    for version in range(6):
        for chunk in (_errors(90, 10), _errors(84, 16), _errors(84, 16)):
            labels += 100
            d = _feed(p, version, chunk, labels, last_cp=1000)
            fired.append((version, d.retrain))
    by_model = {v: sum(f for vv, f in fired if vv == v) for v in range(6)}
    first = min(v for v, n in by_model.items() if n)
    assert first >= 1  # not on one model's evidence
    assert all(by_model[v] == 1 for v in range(first, 6))  # then once per model


def _one_stale_model(window=1000):
    p = OnStaleness(block=100, window=window)
    _feed(p, 0, np.r_[_errors(95, 5), _errors(60, 40)], 3000)
    return p


def test_change_point_is_not_before_the_last_reported_change():
    d = _feed(_one_stale_model(), 1, np.zeros(100), 5000, last_cp=4500)
    assert d.retrain
    assert d.change_point == 4500
    d = _feed(_one_stale_model(), 1, np.zeros(100), 5000, last_cp=100)
    assert d.change_point == 4000


def test_a_decline_after_a_change_reported_by_another_policy_is_not_age():
    # model 0 (rows 2800-3000) declines after a change another policy reported at
    # row 2950, inside its life: its second block is left out, nothing is pooled
    p = _one_stale_model()
    d = _feed(p, 1, np.zeros(100), 3100, last_cp=2950)
    assert not d.retrain
    assert "no model of this age" in d.reason
    # the change point of its own staleness retrain explains nothing: kept, and the
    # next model is retrained once 100 labels old
    q = _one_stale_model(window=150)
    assert _feed(q, 1, np.zeros(100), 3100, last_cp=2850).retrain


def test_quiet_on_a_stationary_stream():
    # 30 models of 5 blocks, 90% accurate at every age: false alarms are rare
    rng = np.random.default_rng(0)
    p = OnStaleness(block=100, confidence_level=0.99)
    labels, fired = 0, 0
    for version in range(30):
        for _ in range(5):
            labels += 100
            fired += _feed(p, version, (rng.random(100) < 0.1).astype(float), labels).retrain
    assert fired <= 2


def test_in_recommended_and_pickles_mid_stream():
    stale = [q for q in recommended().policies if isinstance(q, OnStaleness)]
    assert len(stale) == 1
    assert stale[0].robust
    assert not any(isinstance(q, OnStaleness) for q in recommended(staleness=False).policies)
    rng = np.random.default_rng(2)
    states = [
        LifecycleState(
            step=100 * k,
            labels_available=100 * k,
            model_version=k // 6,
            new_errors=(rng.random(100) < 0.05 + 0.05 * (k % 6)).astype(float),
        )
        for k in range(1, 60)
    ]
    check_policy(OnStaleness(block=100), states)
    p = OnStaleness(block=100)
    for s in states[:30]:
        p.should_retrain(s)
    q = pickle.loads(pickle.dumps(p))
    out_p = [p.should_retrain(s) for s in states[30:]]
    assert out_p == [q.should_retrain(s) for s in states[30:]]
    assert any(d.retrain for d in out_p)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"block": 0}, "'block' parameter of OnStaleness"),
        ({"window": 0}, "'window' parameter of OnStaleness"),
        ({"confidence_level": 1.5}, "'confidence_level' parameter of OnStaleness"),
        ({"threshold": -0.1}, "'threshold' parameter of OnStaleness"),
        ({"max_blocks": 1}, "'max_blocks' parameter of OnStaleness"),
        ({"n_models": -1}, "'n_models' parameter of OnStaleness"),
        ({"robust": "yes"}, "'robust' parameter of OnStaleness"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        OnStaleness(**kwargs)


def test_none_state():
    with pytest.raises(InvalidParameterError, match=r"'state' parameter .* Got None"):
        OnStaleness().should_retrain(None)


def test_evidence_expires_when_models_are_retrained_young():
    # the old model's decline is the only evidence; two models retrained at 100
    # labels push it out of the last n_models=2, and the loop of retrains ends
    p = OnStaleness(block=100, n_models=2)
    assert _feed(p, 0, np.r_[_errors(95, 5), _errors(60, 40)], 3000).retrain
    assert _feed(p, 1, np.zeros(100), 3100).retrain
    assert _feed(p, 2, np.zeros(100), 3200).retrain
    d = _feed(p, 3, np.zeros(100), 3300)
    assert not d.retrain
    assert "no model of this age" in d.reason


# ---- robust: the bound must hold with any one model left out --------------------


def _loo_bound(models, confidence_level=0.95):
    """Reference: min over left-out models of the pooled bound, from (ok0, ok1, n) by hand."""
    out = []
    for i in range(len(models)):
        rest = [m for j, m in enumerate(models) if j != i]
        n = sum(m[2] for m in rest)
        a0 = sum(m[0] for m in rest) / n
        a1 = sum(m[1] for m in rest) / n
        se = math.sqrt(a0 * (1 - a0) / n + a1 * (1 - a1) / n)
        out.append((a0 - a1) - stats.norm.ppf(confidence_level) * se)
    return min(out)


def test_robust_one_model_alone_never_decides():
    # a model 95% then 60% accurate: beyond noise alone, but the only model of its age
    errors = np.r_[_errors(95, 5), _errors(60, 40)]
    assert _feed(OnStaleness(block=100), 0, errors, 3000).retrain
    p = OnStaleness(block=100, robust=True)
    d = _feed(p, 0, errors, 3000)
    assert not d.retrain
    assert "fewer than two models of this age" in d.reason
    # nor does it make the next model retrain at its age (the non-robust check does)
    q = OnStaleness(block=100)
    _feed(q, 0, errors, 3000)
    assert _feed(q, 1, np.zeros(100), 3100).retrain
    assert not _feed(p, 1, np.zeros(100), 3100).retrain


@pytest.mark.parametrize(("ok1_b", "threshold"), [(80, 0.0), (90, 0.0), (70, 0.05), (93, 0.0)])
def test_robust_fires_exactly_when_the_leave_one_out_bound_exceeds_the_threshold(ok1_b, threshold):
    # model 0 retired after two blocks (95 -> 75 of 100); the deployed model 1 has
    # just completed its second block (95 -> ok1_b of 100)
    p = OnStaleness(block=100, robust=True, threshold=threshold)
    _feed(p, 0, np.r_[_errors(95, 5), _errors(75, 25)], 3000)
    d = _feed(p, 1, np.r_[_errors(95, 5), _errors(ok1_b, 100 - ok1_b)], 3200)
    expect = _loo_bound([(95, 75, 100), (95, ok1_b, 100)]) > threshold
    assert d.retrain is bool(expect)
    if expect:
        assert "2 model(s) pooled" in d.reason


def test_robust_two_declining_models_fire():
    p = OnStaleness(block=100, robust=True)
    _feed(p, 0, np.r_[_errors(95, 5), _errors(70, 30)], 3000)
    assert _feed(p, 1, np.r_[_errors(95, 5), _errors(70, 30)], 3200).retrain


@pytest.mark.slow
def test_robust_default_is_calibrated_on_a_stationary_stream():
    # 600 models, each living 8 blocks of 500 labels at 85% accuracy, looked at every
    # 100 labels, as recommended() configures it: a model is retrained for staleness
    # no more often than the level of one look (alpha = 0.05)
    fired, models = 0, 0
    for seed in range(2):
        rng = np.random.default_rng(seed)
        p = OnStaleness(robust=True)
        labels = 0
        for version in range(300):
            models += 1
            for _ in range(40):
                labels += 100
                errors = (rng.random(100) >= 0.85).astype(float)
                if _feed(p, version, errors, labels).retrain:
                    fired += 1
                    break
    assert fired / models <= 0.05


@pytest.mark.parametrize("robust", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_remembered_answer_equals_a_fresh_judgement(robust, seed):
    # the quiet answer is reused until an age block completes; a policy that
    # judges afresh at every call must give the same decisions, reasons and
    # change points on streams of uneven batches, ageing models and retrains
    rng = np.random.default_rng(seed)
    memo = OnStaleness(robust=robust, block=200, threshold=0.0, n_models=3)
    fresh = OnStaleness(robust=robust, block=200, threshold=0.0, n_models=3)
    version, labels, age = 0, 0, 0
    fired = 0
    for _ in range(1, 400):
        n = int(rng.integers(1, 160))
        p = min(0.5, 0.1 + 0.0004 * age)  # error rate rises with the model's age
        errors = (rng.random(n) < p).astype(float)
        labels += n
        age += n
        state = LifecycleState(
            step=labels, labels_available=labels, model_version=version, new_errors=errors
        )
        fresh._memo_key = None
        a, b = memo.should_retrain(state), fresh.should_retrain(state)
        assert (a.retrain, a.reason, a.change_point) == (b.retrain, b.reason, b.change_point)
        if a.retrain or rng.random() < 0.01:
            fired += a.retrain
            version += 1
            age = 0
    assert fired >= 3  # the comparison covered decisions that fire
