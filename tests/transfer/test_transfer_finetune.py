"""finetune and progressive: strategies, auto choice, related-task gain, no mutation."""

from __future__ import annotations

import json
import pickle

import attrs
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import GradientBoostingClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from mllifecycle.transfer import (
    FinetuneResult,
    ProgressiveResult,
    StackedTransferClassifier,
    StackedTransferRegressor,
    finetune,
    progressive,
)


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls (L-BFGS-B inside LogisticRegression) thrash when threaded
    on a shared 2-core machine; one thread makes them ~10x faster and changes no result."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def related_task(seed=0, d=20, n_source=5000, n_target=50, n_test=2000, delta=0.05):
    """Source and target share most of a linear concept (target = source + small change)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    wt = w + rng.normal(0, delta, d)
    xs = rng.normal(size=(n_source, d))
    ys = (xs @ w + rng.normal(0, 0.5, n_source) > 0).astype(int)
    xt = rng.normal(size=(n_target + n_test, d))
    yt = (xt @ wt + rng.normal(0, 0.5, n_target + n_test) > 0).astype(int)
    return (xs, ys), (xt[:n_target], yt[:n_target]), (xt[n_target:], yt[n_target:])


@pytest.mark.parametrize(
    ("estimator", "strategy"),
    [
        (LogisticRegression(), "weighted"),
        (SGDClassifier(loss="log_loss", random_state=0), "partial_fit"),
        (GradientBoostingClassifier(n_estimators=30, random_state=0), "warm_start"),
        (GaussianNB(), "stacked"),
    ],
)
def test_every_strategy_beats_target_only_on_a_related_task(estimator, strategy):
    src, tgt, test = related_task(seed=1)
    res = finetune(estimator, src, tgt, strategy=strategy, rng=0)
    assert res.strategy == strategy
    base = clone(estimator).fit(*tgt)
    assert res.model.score(*test) > base.score(*test) + 0.03


def test_auto_weighted_beats_target_only_and_says_why():
    src, tgt, test = related_task(seed=2)
    res = finetune(LogisticRegression(), src, tgt, rng=0)
    assert res.strategy == "weighted"
    assert "'auto' chose 'weighted'" in res.reason
    assert "sample_weight" in res.reason
    assert res.source_weight > 0
    assert res.model.score(*test) > LogisticRegression().fit(*tgt).score(*test) + 0.05


@pytest.mark.parametrize(
    ("estimator", "expected"),
    [
        (LogisticRegression(), "weighted"),
        (SGDClassifier(), "weighted"),
        (GaussianNB(), "weighted"),
        (KNeighborsClassifier(), "stacked"),
        (Ridge(), "weighted"),
    ],
)
def test_auto_order(estimator, expected):
    src, tgt, _ = related_task(seed=0, n_source=300, n_target=30, n_test=1)
    if not hasattr(estimator, "predict_proba") and expected == "weighted" and isinstance(
        estimator, Ridge
    ):
        tgt = (tgt[0], tgt[1].astype(float))
        src = (src[0], src[1].astype(float))
    assert finetune(estimator, src, tgt, cv=3, rng=0).strategy == expected


def test_auto_falls_through_in_order_when_restricted():
    src, tgt, _ = related_task(seed=0, n_source=300, n_target=30, n_test=1)
    res = finetune(SGDClassifier(random_state=0), src, tgt,
                   strategy=["warm_start", "partial_fit"], rng=0)
    assert res.strategy == "warm_start"
    res = finetune(KNeighborsClassifier(), src, tgt, strategy=["partial_fit", "stacked"],
                   rng=0)
    assert res.strategy == "stacked"
    assert isinstance(res.model, StackedTransferClassifier)


def test_estimator_is_cloned_never_mutated():
    src, tgt, _ = related_task(seed=0, n_source=300, n_target=30, n_test=1)
    for est, strat in [(SGDClassifier(), "partial_fit"),
                       (GradientBoostingClassifier(n_estimators=5), "warm_start"),
                       (LogisticRegression(), "weighted"),
                       (DecisionTreeClassifier(), "stacked")]:
        before = est.get_params()
        res = finetune(est, src, tgt, strategy=strat, cv=3, rng=0)
        assert est.get_params() == before
        assert not hasattr(est, "classes_")
        assert res.model is not est


def test_weighted_zero_weight_is_target_only_and_fixed_weight_is_pooling():
    src, tgt, _test = related_task(seed=3, n_source=500)
    r0 = finetune(LogisticRegression(), src, tgt, source_weight=0.0, rng=0)
    np.testing.assert_allclose(r0.model.coef_, LogisticRegression().fit(*tgt).coef_)
    r1 = finetune(LogisticRegression(), src, tgt, source_weight=1.0, rng=0)
    pooled = LogisticRegression().fit(np.vstack([src[0], tgt[0]]),
                                      np.r_[src[1], tgt[1]])
    np.testing.assert_allclose(r1.model.coef_, pooled.coef_, rtol=1e-6)


def test_weighted_tuning_refuses_an_unrelated_source():
    src, tgt, _ = related_task(seed=4)
    rng = np.random.default_rng(9)
    unrelated = (src[0], (src[0] @ rng.normal(size=20) > 0).astype(int))
    res = finetune(LogisticRegression(), unrelated, tgt, rng=0)
    assert res.source_weight <= 0.3 * 50 / 5000 + 1e-12  # 0 or the smallest non-zero
    assert res.details["candidates"][0] == 0.0
    assert len(res.details["cv_scores"]) == len(res.details["candidates"])


def test_warm_start_grows_an_ensemble_with_members_fitted_on_the_target():
    src, tgt, _ = related_task(seed=0, n_source=300, n_target=40, n_test=1)
    rf = RandomForestRegressor(n_estimators=10, random_state=0)
    res = finetune(rf, (src[0], src[1].astype(float)), (tgt[0], tgt[1].astype(float)),
                   strategy="warm_start", extra_estimators=4, rng=0)
    assert len(res.model.estimators_) == 14
    assert res.details["estimators_added"] == 4


def test_partial_fit_schedule_sets_eta0_per_epoch_and_restores_it():
    src, tgt, _ = related_task(seed=0, n_source=300, n_target=40, n_test=1)
    sgd = SGDClassifier(learning_rate="constant", eta0=0.1, random_state=0)
    res = finetune(sgd, src, tgt, strategy="partial_fit", target_epochs=3,
                   schedule=lambda e: 0.5**e, batch_size=16, rng=0)
    np.testing.assert_allclose(res.details["learning_rates"], [0.1, 0.05, 0.025])
    assert res.model.eta0 == 0.1


def test_partial_fit_knows_classes_that_only_the_target_has():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(200, 2))
    ys = (xs[:, 0] > 0).astype(int)
    xt = rng.normal(size=(30, 2))
    yt = np.r_[np.zeros(10), np.ones(10), np.full(10, 2)]
    res = finetune(SGDClassifier(), (xs, ys), (xt, yt), strategy="partial_fit", rng=0)
    np.testing.assert_array_equal(res.model.classes_, [0, 1, 2])


def test_stacked_regressor_for_regressors():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(500, 3))
    ys = xs @ [1.0, 2.0, 0.0]
    xt = rng.normal(size=(30, 3))
    yt = 1.5 * (xt @ [1.0, 2.0, 0.0])
    from sklearn.neighbors import KNeighborsRegressor

    res = finetune(KNeighborsRegressor(), (xs, ys), (xt, yt), rng=0)
    assert res.strategy == "stacked"
    assert isinstance(res.model, StackedTransferRegressor)


def test_same_rng_same_result_and_result_is_frozen_picklable():
    src, tgt, test = related_task(seed=5, n_source=800)
    a = finetune(SGDClassifier(), src, tgt, strategy="partial_fit", rng=3)
    b = finetune(SGDClassifier(), src, tgt, strategy="partial_fit", rng=3)
    np.testing.assert_array_equal(a.model.coef_, b.model.coef_)
    assert isinstance(a, FinetuneResult)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.strategy = "x"
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(c.model.predict(test[0]), a.model.predict(test[0]))
    d = json.loads(json.dumps(a.to_dict()))
    assert d["strategy"] == "partial_fit"
    assert d["model"] == "SGDClassifier"
    assert "FinetuneResult(strategy='partial_fit'" in repr(a)
    assert "<table>" in a._repr_html_()


# -- progressive -----------------------------------------------------------------


def _stages(seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=5)

    def draw(n, flip, wrong=False):
        x = rng.normal(size=(n, 5))
        y = (x @ (-w if wrong else w) > 0).astype(int)
        return x, np.where(rng.random(n) < flip, 1 - y, y)

    return draw


def test_progressive_keeps_helpful_stages_and_drops_harmful_ones():
    draw = _stages(0)
    stages = {"public": draw(3000, 0.3), "corrupt": draw(3000, 0.0, wrong=True),
              "gold": draw(80, 0.0)}
    res = progressive(LogisticRegression(), stages, validation=draw(400, 0.0),
                      strategy="weighted", source_weight=1.0,
                      rng=0)
    assert isinstance(res, ProgressiveResult)
    assert [s.kept for s in res.stages] == [True, False, True]
    assert res.kept == ["public", "gold"]
    assert res.stages[1].score < res.stages[0].score
    assert res.final_score == res.stages[2].score
    assert res.stages[0].previous_score is None
    assert res.stages[2].previous_score == res.stages[0].score
    d = json.loads(json.dumps(res.to_dict()))
    assert d["kept"] == ["public", "gold"]
    assert "dropped" in repr(res)
    assert "<table>" in res._repr_html_()


@pytest.mark.parametrize(
    ("estimator", "strategy"),
    [(SGDClassifier(loss="log_loss", random_state=0), "partial_fit"),
     (GradientBoostingClassifier(n_estimators=10, random_state=0), "warm_start"),
     (DecisionTreeClassifier(max_depth=3, random_state=0), "stacked"),
     (LogisticRegression(), "weighted")],
)
def test_progressive_runs_every_strategy_and_reverts_on_harm(estimator, strategy):
    draw = _stages(1)
    stages = [draw(1500, 0.2), draw(1500, 0.0, wrong=True), draw(100, 0.0)]
    val = draw(300, 0.0)
    res = progressive(estimator, stages, validation=val, strategy=strategy, cv=3, rng=0)
    assert res.strategy == strategy
    assert not res.stages[1].kept
    assert res.final_score == max(s.score for s in res.stages if s.kept)
    assert res.model.score(*val) == pytest.approx(res.final_score)


def test_progressive_tolerance_keeps_a_slightly_worse_stage():
    draw = _stages(2)
    stages = [draw(2000, 0.0), draw(2000, 0.0, wrong=True)]
    val = draw(300, 0.0)
    strict = progressive(LogisticRegression(), stages, validation=val,
                         source_weight=1.0, rng=0)
    assert not strict.stages[1].kept
    loose = progressive(LogisticRegression(), stages, validation=val, source_weight=1.0,
                        tolerance=1.0, rng=0)
    assert loose.stages[1].kept


def test_weight_tuning_survives_single_class_target_folds():
    """A fold whose target rows hold one class cannot train target-only: that
    candidate loses there, and the source-weighted candidates still compete."""
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(300, 2))
    ys = (xs[:, 0] > 0).astype(int)
    xt = rng.normal(size=(6, 2))
    yt = np.r_[0, 0, 0, 0, 0, 1]
    from sklearn.exceptions import FitFailedWarning

    # the failed fits are said out loud, as scikit-learn's searches do
    with pytest.warns(FitFailedWarning, match=r"finetune: \d+ of 15 cross-validation fits"):
        res = finetune(LogisticRegression(), (xs, ys), (xt, yt), cv=3, rng=0)
    assert res.source_weight > 0
    assert res.details["n_failed_fits"] >= 1
    assert res.details["cv_scores"][0] is None


def test_progressive_same_rng_same_result_frozen_picklable():
    draw = _stages(3)
    stages = [draw(500, 0.2), draw(60, 0.0)]
    val = draw(200, 0.0)
    a = progressive(SGDClassifier(), stages, validation=val, strategy="partial_fit",
                    epochs=3, rng=4)
    b = progressive(SGDClassifier(), stages, validation=val, strategy="partial_fit",
                    epochs=3, rng=4)
    np.testing.assert_array_equal(a.model.coef_, b.model.coef_)
    assert a.to_dict() == b.to_dict()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.final_score = 1.0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.stages[0].kept = False
    c = pickle.loads(pickle.dumps(a))
    assert c.to_dict() == a.to_dict()
    assert "StageReport(name='stage 0'" in repr(a.stages[0])


def test_schedule_must_give_positive_rates():
    src, tgt, _ = related_task(seed=0, n_source=100, n_target=20, n_test=1)
    with pytest.raises(ValueError, match=r"schedule\(1\) gave a learning rate of 0.0"):
        finetune(SGDClassifier(learning_rate="constant", eta0=0.1), src, tgt,
                 strategy="partial_fit", schedule=lambda e: 1.0 - e, rng=0)
