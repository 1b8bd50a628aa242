"""ActiveLearner loop and simulate: budget, oracle, stopping, one class, bad input."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeRegressor

from mllifecycle.exceptions import InvalidParameterError, NotFittedError
from mllifecycle.labels import (
    ActiveLearner,
    SimulationResult,
    StabilizingPredictions,
    entropy,
    k_center_greedy,
    margin,
    random_sampling,
    simulate,
)


def blobs(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y


def test_budget_is_spent_exactly_and_rows_are_never_asked_twice():
    X, y = blobs()
    asked = []

    def oracle(idx):
        asked.extend(idx.tolist())
        return y[idx]

    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=7,
                            budget=30, rng=0).fit(X).run(oracle)
    assert learner.n_bought_ == 30
    assert len(asked) == len(set(asked)) == 30
    assert learner.stop_reason_ == "budget spent"
    np.testing.assert_array_equal(learner.y_pool_labelled_, y[learner.labelled_indices_])
    # first rounds (one or zero classes known) are random, later ones use the strategy
    assert learner.history_[-1]["strategy"] == "margin"
    assert learner.history_[-1]["n_labelled"] == 30


def test_one_class_labelled_falls_back_to_random_then_uses_the_strategy():
    X, y = blobs(1)
    ones = np.flatnonzero(y == 1)[:3]
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=entropy, batch_size=4,
                            budget=40, rng=0)
    learner.fit(X, X[ones], y[ones])
    assert learner.estimator_ is None
    q = learner.query()
    assert q.strategy.startswith("random (fewer than 2 classes")
    learner.run(lambda idx: y[idx])
    assert learner.estimator_ is not None
    assert any(h["strategy"] == "entropy" for h in learner.history_)


def test_unanswered_queries_cost_nothing_and_a_silent_oracle_stops_the_loop():
    X, y = blobs(2)
    calls = {"n": 0}

    def sometimes(idx):
        calls["n"] += 1
        return [None if i % 2 else int(y[i]) for i in idx]

    learner = ActiveLearner(estimator=LogisticRegression(), batch_size=6, budget=12,
                            rng=0).fit(X).run(sometimes)
    assert learner.n_bought_ == 12
    assert all(i % 2 == 0 for i in learner.labelled_indices_.tolist())
    silent = ActiveLearner(estimator=LogisticRegression(), batch_size=6, budget=12,
                           rng=0).fit(X).run(lambda idx: [float("nan")] * len(idx))
    assert silent.stop_reason_ == "oracle answered nothing"
    assert silent.n_bought_ == 0


def test_pool_exhaustion_and_last_batch_shrinks():
    X, y = blobs(3, n=23)
    learner = ActiveLearner(estimator=LogisticRegression(), batch_size=5, rng=0)
    learner.fit(X).run(lambda idx: y[idx])
    assert learner.stop_reason_ == "pool exhausted"
    assert learner.n_bought_ == 23


def test_default_strategy_is_margin_for_one_row_and_diverse_for_batches():
    X, y = blobs(5, n=400)
    init = np.r_[np.flatnonzero(y == 0)[:3], np.flatnonzero(y == 1)[:3]]
    pool = np.setdiff1d(np.arange(400), init)
    one = ActiveLearner(estimator=LogisticRegression(), rng=0).fit(X[pool], X[init], y[init])
    q = one.query()
    fitted = LogisticRegression().fit(X[init], y[init])
    assert q.strategy == "cluster_margin"
    np.testing.assert_array_equal(q.indices, margin(fitted, X[pool]).indices)
    big = ActiveLearner(estimator=LogisticRegression(), batch_size=10, rng=0)
    qb = big.fit(X[pool], X[init], y[init]).query()
    topk = margin(fitted, X[pool], batch_size=10).indices
    assert qb.strategy == "cluster_margin"
    assert set(qb.indices.tolist()) != set(topk.tolist())  # not plain top-k margin


def test_stabilizing_predictions_stops_early_and_is_reset_by_fit():
    X, y = blobs(4, n=600)
    stop = StabilizingPredictions(X_stop=X[:200], window=2, threshold=0.98)
    learner = ActiveLearner(estimator=LogisticRegression(), batch_size=10, budget=400,
                            stopping=stop, rng=0).fit(X).run(lambda idx: y[idx])
    assert learner.stop_reason_ == "stopping rule"
    assert learner.n_bought_ < 400
    assert min(stop.kappas[-2:]) >= 0.98
    learner.fit(X)
    assert stop.kappas == []


def test_same_seed_same_run_and_learner_pickles_mid_run():
    X, y = blobs(5)
    runs = [ActiveLearner(estimator=LogisticRegression(), strategy=k_center_greedy,
                          batch_size=5, budget=20, rng=3).fit(X).run(lambda i: y[i])
            for _ in range(2)]
    np.testing.assert_array_equal(runs[0].labelled_indices_, runs[1].labelled_indices_)
    a = ActiveLearner(estimator=LogisticRegression(), batch_size=5, budget=20, rng=3).fit(X)
    a.teach(*(lambda q: (q.indices, y[q.indices]))(a.query()))
    b = pickle.loads(pickle.dumps(a))
    a.run(lambda i: y[i])
    b.run(lambda i: y[i])
    np.testing.assert_array_equal(a.labelled_indices_, b.labelled_indices_)


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: ActiveLearner(estimator=LogisticRegression(), budget=0),
         InvalidParameterError, "'budget' parameter of ActiveLearner"),
        (lambda: ActiveLearner(estimator=DecisionTreeRegressor()), TypeError,
         r"predict_proba\(\)"),
        (lambda: ActiveLearner(estimator=LogisticRegression(), batch_size=50).fit(
            np.zeros((10, 2))), InvalidParameterError, "at least batch_size=50 rows"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.array([[0.0, np.nan], [1.0, 2.0]])), InvalidParameterError, "NaN"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).query(),
         NotFittedError, "call fit"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).run(lambda i: i),
         NotFittedError, "call fit"),
        (lambda: ActiveLearner(estimator=LogisticRegression(), strategy="margin"),
         InvalidParameterError, "'strategy'"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2)), np.zeros((3, 2)), None), InvalidParameterError,
         "together"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2))).teach([1, 2], [0]), InvalidParameterError,
         "one answer per queried row"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2))).teach([11], [0]), InvalidParameterError, "pool row indices"),
        # a row twice in one call was labelled twice and charged twice
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2))).teach([3, 3], [0, 1]), InvalidParameterError,
         r"'indices' parameter of ActiveLearner.teach must be distinct pool rows.*"
         r"Got row 3 more than once"),
        # a boolean mask was read as the rows 1 and 0; 2.7 was truncated to row 2
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2))).teach(np.array([True, False]), [0, 1]), InvalidParameterError,
         r"'indices' parameter.*integer pool row indices.*dtype bool"),
        (lambda: ActiveLearner(estimator=LogisticRegression()).fit(
            np.zeros((10, 2))).teach([2.7], [0]), InvalidParameterError,
         r"'indices' parameter.*integer pool row indices.*non-integer values"),
        (lambda: StabilizingPredictions(X_stop=np.zeros((5, 2)), window=0),
         InvalidParameterError, "window"),
    ],
)
def test_loop_rejects_bad_input(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_float32_nan_and_pandas_na_answers_mean_not_labelled():
    """A float32 NaN or pd.NA answer is "not labelled", like None and float NaN;
    they used to be taught as labels (a crash in fit on NaN, a TypeError on NA)."""
    pd = pytest.importorskip("pandas")
    X, y = blobs()
    for answers in (np.array([np.nan, 1.0], dtype=np.float32), pd.array([pd.NA, 1], "Int64")):
        a = ActiveLearner(estimator=LogisticRegression(), rng=0).fit(X, X[:4], y[:4])
        a.teach([5, 6], answers)
        assert a.labelled_indices_.tolist() == [6]
        assert a.skipped_indices_.tolist() == [5]
        assert a.n_bought_ == 1
        assert a.y_pool_labelled_.tolist() == [1]


SIM_X, SIM_Y = blobs(6, n=200)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"budget": 0}, InvalidParameterError, "'budget' parameter of simulate"),
        ({"budget": 1000}, InvalidParameterError, "at most"),
        ({"batch_size": 500}, InvalidParameterError, "batch_size"),
        ({"estimator": DecisionTreeRegressor()}, TypeError, r"predict_proba\(\)"),
        ({"y": np.zeros(200)}, InvalidParameterError, "at least 2 classes"),
        # a class of one row: a raw ValueError from the stratified split
        ({"y": np.r_[SIM_Y[:-1], 7]}, InvalidParameterError,
         r"'y' parameter of simulate must be at least 2 rows of every class.*"
         r"Got class 7 with 1 row"),
        ({"X": np.where(SIM_X > 2.5, np.nan, SIM_X)}, InvalidParameterError, "NaN"),
        ({"test_size": 1.0}, InvalidParameterError, "test_size"),
        ({"initial_size": 1}, InvalidParameterError, "initial_size"),
        ({"n_random": 0}, InvalidParameterError, "'n_random' parameter of simulate"),
        ({"n_random": 2.5}, InvalidParameterError, "'n_random' parameter of simulate"),
    ],
)
def test_simulate_rejects_bad_input(kwargs, exc, match):
    args = {"X": SIM_X, "y": SIM_Y, "estimator": LogisticRegression(),
            "strategy": margin, "budget": 20, "batch_size": 5, "rng": 0, **kwargs}
    X, y, est, strat = args.pop("X"), args.pop("y"), args.pop("estimator"), \
        args.pop("strategy")
    with pytest.raises(exc, match=match):
        simulate(X, y, est, strat, **args)


def test_simulate_curve_shape_area_and_random_against_itself():
    res = simulate(SIM_X, SIM_Y, LogisticRegression(), margin, budget=30, batch_size=10,
                   rng=0)
    assert isinstance(res, SimulationResult)
    np.testing.assert_array_equal(res.n_labels, [4, 14, 24, 34])
    expected_area = np.trapezoid(res.scores, res.n_labels) / 30
    assert res.area == pytest.approx(expected_area)
    assert res.scores[0] == res.random_scores[0]  # same initial set
    json.dumps(res.to_dict())
    assert set(res.to_metrics()) >= {"area", "random_area", "area_difference"}
    assert "<table>" in res._repr_html_()
    # random sampling compared with random sampling: matched by its final score
    same = simulate(SIM_X, SIM_Y, LogisticRegression(), random_sampling, budget=30,
                    batch_size=10, rng=0)
    assert same.labels_to_match_random is None or same.labels_to_match_random <= 34


@pytest.mark.slow
def test_margin_beats_random_on_average_over_seeds():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(1500, 5))
    w = rng.normal(size=5)
    y = (X @ w + 0.3 * rng.normal(size=1500) > 0).astype(int)
    diffs = [simulate(X, y, LogisticRegression(), margin, budget=60, batch_size=10,
                      rng=s).area_difference for s in range(6)]
    assert np.mean(diffs) > 0


def test_simulate_same_seed_same_curves_and_results_pickle():
    a = simulate(SIM_X, SIM_Y, LogisticRegression(), margin, budget=20, batch_size=5, rng=9)
    b = simulate(SIM_X, SIM_Y, LogisticRegression(), margin, budget=20, batch_size=5, rng=9)
    np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.random_scores, b.random_scores)
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(c.n_labels, a.n_labels)


def test_simulate_random_baseline_is_the_mean_of_its_runs():
    # the baseline is the mean of n_random random-sampling runs from the same
    # initial set; n_random=1 is the first of those runs (the earlier behaviour)
    five = simulate(SIM_X, SIM_Y, LogisticRegression(), margin, budget=30, batch_size=10,
                    n_random=5, rng=3)
    one = simulate(SIM_X, SIM_Y, LogisticRegression(), margin, budget=30, batch_size=10,
                   n_random=1, rng=3)
    assert five.random_runs.shape == (5, len(five.n_labels))
    np.testing.assert_allclose(five.random_scores, five.random_runs.mean(axis=0))
    np.testing.assert_array_equal(five.random_runs[0], one.random_scores)
    np.testing.assert_array_equal(five.scores, one.scores)  # the strategy is unchanged
    assert (five.random_runs[:, 0] == five.scores[0]).all()  # same initial set
    assert len({tuple(r) for r in five.random_runs}) > 1  # different random draws
    hit = np.flatnonzero(five.scores >= five.random_scores[-1])
    expected = int(five.n_labels[hit[0]]) if hit.size else None
    assert five.labels_to_match_random == expected
    assert json.dumps(five.to_dict())
