"""Labelling functions, analyze and the label model."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError, NotFittedError
from mllifecycle.labels import (
    ABSTAIN,
    LabelMatrix,
    LabelModel,
    analyze,
    apply,
    dawid_skene,
    labeling_function,
)


def simulate_lfs(n=6000, m=8, k=3, seed=0, prior=(0.5, 0.3, 0.2)):
    """Conditionally independent functions with class-dependent coverage.

    Returns (L, y, cond, prior) with cond[j, y, v] = P(vote v | class y), the
    last column being abstain.
    """
    rng = np.random.default_rng(seed)
    prior = np.asarray(prior)
    y = rng.choice(k, n, p=prior)
    cond = np.zeros((m, k, k + 1))
    for j in range(m):
        acc = rng.uniform(0.55, 0.9)
        cov = rng.uniform(0.2, 0.6, k)
        if j % 3 == 0:  # one-sided: fires mostly on one class
            cov = np.full(k, 0.05)
            cov[j % k] = 0.6
        for c in range(k):
            cond[j, c, :k] = cov[c] * (1 - acc) / (k - 1)
            cond[j, c, c] = cov[c] * acc
            cond[j, c, k] = 1 - cov[c]
    cum = cond[:, y, :].cumsum(axis=2)
    v = (rng.random((m, n, 1)) > cum).sum(axis=2).T
    return np.where(v == k, ABSTAIN, v), y, cond, prior


def bayes_predict(L, cond, prior):
    k = len(prior)
    v = np.where(L == ABSTAIN, k, L)
    logp = np.log(prior)[None, :] + sum(np.log(cond[j][:, v[:, j]]).T
                                        for j in range(L.shape[1]))
    return logp.argmax(axis=1)


# ---------------------------------------------------------------- apply


def test_apply_rowwise_vectorised_and_plain_agree():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": ["free cash now", "see you at lunch", "free lunch?", "ok"],
                       "n_links": [3, 0, 1, 0]})

    @labeling_function(name="links")
    def many_links(row):
        return "spam" if row.n_links > 2 else ABSTAIN

    @labeling_function(vectorized=True)
    def question(frame):
        return np.where(frame["text"].str.contains(r"\?"), "ham", None)

    def free(row):
        return "spam" if "free" in row["text"] else None

    L = apply([many_links, question, free], df)
    assert isinstance(L, LabelMatrix)
    assert L.names == ("links", "question", "free")
    assert L.classes.tolist() == ["ham", "spam"]
    assert L.values.tolist() == [[1, -1, 1], [-1, -1, -1], [-1, 0, 1], [-1, -1, -1]]
    assert np.asarray(L).shape == (4, 3)
    # parallel gives the same matrix
    np.testing.assert_array_equal(apply([many_links, question, free], df, n_jobs=2).values,
                                  L.values)


def test_apply_integer_votes_kept_and_classes_argument():
    X = np.arange(6.0).reshape(-1, 1)
    L = apply([lambda r: 1 if r[0] > 3 else ABSTAIN, lambda r: 0], X)
    assert L.classes.tolist() == [0, 1]  # votes 0 .. k-1: kept as they are
    assert L.values[:, 0].tolist() == [-1, -1, -1, -1, 1, 1]
    # votes {0, 2}: the classes cast (class 1 only when classes= names it)
    L = apply([lambda r: 2 if r[0] > 3 else ABSTAIN, lambda r: 0], X)
    assert L.classes.tolist() == [0, 2]
    assert L.values[:, 0].tolist() == [-1, -1, -1, -1, 1, 1]
    L = apply([lambda r: 2 if r[0] > 3 else ABSTAIN, lambda r: 0], X, classes=[0, 1, 2])
    assert L.classes.tolist() == [0, 1, 2]
    assert L.values[:, 0].tolist() == [-1, -1, -1, -1, 2, 2]
    L2 = apply([lambda r: "b"], ["x", "y"], classes=["b", "a"])
    assert L2.values.tolist() == [[0], [0]]


def test_inferred_classes_are_the_votes_cast():
    # votes {3, 7} without classes= were 8 classes (0 .. max vote), and the
    # matrix-completion label model predicted classes no function ever voted
    rng = np.random.default_rng(0)
    y = rng.choice([3, 7], 400)
    lfs = [labeling_function(lambda d, j=j: np.where(rng.random(len(d)) < 0.8, d,
                                                     np.where(d == 3, 7, 3)),
                             vectorized=True) for j in range(5)]
    L = apply(lfs, y)
    assert L.classes.tolist() == [3, 7]
    for method in ("matrix_completion", "majority_vote"):
        pred = LabelModel(method=method, rng=0).fit(L).predict(L)
        assert set(pred.tolist()) <= {3, 7, ABSTAIN}
        assert (pred == y).mean() > 0.8
    # a class nobody voted exists only when classes= names it
    L = apply(lfs, y, classes=[0, 3, 5, 7])
    assert L.classes.tolist() == [0, 3, 5, 7]
    assert set(LabelModel(rng=0).fit(L).predict(L).tolist()) <= {0, 3, 5, 7, ABSTAIN}
    # one class cast: refused by the label model, which names classes=
    with pytest.raises(InvalidParameterError, match=r"apply\(classes=\.\.\.\)"):
        LabelModel(rng=0).fit(apply([lambda r: 1], [0, 1, 2]))


def test_apply_marks_plain_function_vectorised():
    def f(X):
        return np.where(X[:, 0] > 0, 1, -1)

    f.vectorized = True
    L = apply([f], np.array([[1.0], [-1.0]]), classes=[0, 1])
    assert L.values.ravel().tolist() == [1, -1]


def test_apply_float_minus_one_and_pandas_na_votes_abstain():
    """-1.0 (a float vote array) and pd.NA (a nullable Series) are ABSTAIN, not classes;
    they used to become the classes -1.0 and <NA>."""
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [1, -2, 3, 0], "s": pd.array(["x", None, "y", "x"], dtype="string")})
    f = labeling_function(lambda d: np.where(d["a"] > 0, 1.0, -1), vectorized=True)
    g = labeling_function(lambda d: d["s"], vectorized=True)
    L = apply([f], X)
    assert L.classes.tolist() == [1.0]
    assert L.values.ravel().tolist() == [0, -1, 0, -1]
    L = apply([g], X)
    assert L.classes.tolist() == ["x", "y"]
    assert L.values.ravel().tolist() == [0, -1, 1, 0]
    assert apply([lambda r: r["s"]], X).values.ravel().tolist() == [0, -1, 1, 0]


def test_apply_rejects_duplicate_column_names_for_rowwise_functions():
    """A row dict keeps one of two equal column names: the function silently saw
    the wrong column. Vectorised functions get the table itself and still work."""
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame([[1, 0], [0, 1]], columns=["a", "a"])
    with pytest.raises(InvalidParameterError,
                       match=r"'X' parameter of apply must be a data set with unique column "
                             r"names.*Got column name 'a' repeated"):
        apply([lambda r: r["a"]], X)
    f = labeling_function(lambda d: d.iloc[:, 0].to_numpy(), vectorized=True)
    assert apply([f], X).values.ravel().tolist() == [1, 0]


@pytest.mark.parametrize(
    ("lfs", "X", "kwargs", "match"),
    [
        ([], [1, 2], {}, r"'lfs' parameter of apply must be at least one"),
        ([1], [1, 2], {}, r"'lfs' parameter.*callables"),
        ([lambda r: "z"], [1], {"classes": ["a"]},
         r"votes among the classes \['a'\].*'z' from 'lf_0' on example 0"),
        ([labeling_function(lambda X: [1], vectorized=True)], [1, 2], {},
         r"'lfs\[0\] \(lf_0\)' parameter of apply must be a vectorised function "
         r"returning 2 votes. Got an output of shape \(1,\)"),
        ([lambda r: 1], [], {}, r"'X' parameter of apply must be at least one example"),
        ([lambda r: 1], "text", {}, r"'X' parameter"),
        ([lambda r: 1], [1], {"classes": ["a", "a"]}, r"'classes' parameter"),
        # -1 is ABSTAIN: a -1/+1 scheme's class -1 could never be voted (was silently lost)
        ([lambda r: 1.0], [1], {"classes": [-1.0, 1.0]},
         r"'classes' parameter of apply must be class labels other than ABSTAIN"),
        ([lambda r: 1], [1], {"classes": [-1, 1]}, r"'classes' parameter.*remap"),
        ([lambda r: 1], [1], {"n_jobs": 0}, r"'n_jobs' parameter of apply must be a non-zero"),
    ],
)
def test_apply_bad_input(lfs, X, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        apply(lfs, X, **kwargs)


# ---------------------------------------------------------------- analyze


def test_analyze_against_direct_counts():
    L, y, _, _ = simulate_lfs(n=300, m=5, seed=3)
    res = analyze(L, y=y)
    for j in range(5):
        fired = L[:, j] != ABSTAIN
        others = np.delete(L, j, axis=1)
        other_fired = (others != ABSTAIN).any(axis=1)
        differ = np.array([any(v not in (ABSTAIN, L[i, j]) for v in others[i])
                           for i in range(len(L))])
        assert res.coverage[j] == pytest.approx(fired.mean())
        assert res.overlaps[j] == pytest.approx((fired & other_fired).sum() / fired.sum())
        assert res.conflicts[j] == pytest.approx((fired & differ).sum() / fired.sum())
        assert res.accuracy[j] == pytest.approx(np.mean(L[fired, j] == y[fired]))
        assert res.ci_low[j] < res.accuracy[j] < res.ci_high[j]
        assert set(res.polarity[j]) == set(np.unique(L[fired, j]).tolist())
    assert res.total_coverage == pytest.approx((L != ABSTAIN).any(axis=1).mean())


def test_analyze_wilson_interval_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.stats.proportion")
    L = np.array([[1]] * 30 + [[0]] * 10 + [[-1]] * 5)
    res = analyze(L, y=[1] * 45, confidence_level=0.9)
    lo, hi = sm.proportion_confint(30, 40, alpha=0.1, method="wilson")
    assert res.ci_low[0] == pytest.approx(lo)
    assert res.ci_high[0] == pytest.approx(hi)


def test_analyze_results_and_string_classes():
    L = apply([lambda s: "pos" if "good" in s else None,
               lambda s: "neg" if "bad" in s else None], ["good", "bad", "good bad", "meh"])
    res = analyze(L, y=["pos", "neg", "neg", "pos"])
    assert res.accuracy.tolist() == [0.5, 1.0]
    json.dumps(res.to_dict())
    assert all(isinstance(v, float) for v in res.to_metrics().values())
    assert "<table>" in res._repr_html_()
    assert "LFAnalysis(n_samples=4" in repr(res)
    with pytest.raises(InvalidParameterError, match="'y' parameter of analyze"):
        analyze(L, y=["pos", "neg", "maybe", "pos"])


@pytest.mark.parametrize(
    ("L", "kwargs", "match"),
    [
        (np.zeros(4), {}, r"'L' parameter of analyze must be a 2-D"),
        (np.array([[0.5, 1]]), {}, r"integer votes"),
        (np.array([[np.nan, 1]]), {}, r"not NaN"),
        (np.array([["a", "b"]]), {}, r"map string classes with apply"),
        (np.array([[-2, 1]]), {}, r"votes >= -1"),
        (np.zeros((0, 3), int), {}, r"non-empty label matrix"),
        (np.zeros((3, 2), int), {"y": [0, 1]}, r"'y' parameter.*3 gold labels"),
        (np.zeros((3, 2), int), {"confidence_level": 1.0}, r"'confidence_level'"),
    ],
)
def test_analyze_bad_input(L, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        analyze(L, **kwargs)


# ---------------------------------------------------------------- label model


@pytest.mark.parametrize("seed", [0, 1])
def test_dawid_skene_label_model_is_near_bayes(seed):
    L, y, cond, prior = simulate_lfs(seed=seed)
    covered = (L != ABSTAIN).any(axis=1)
    bayes = np.mean(bayes_predict(L, cond, prior)[covered] == y[covered])
    model = LabelModel(rng=0).fit(L)
    acc = np.mean(model.predict(L)[covered] == y[covered])
    mv = np.mean(LabelModel(method="majority_vote", rng=0).fit(L).predict(L)[covered]
                 == y[covered])
    se = np.sqrt(bayes * (1 - bayes) / covered.sum())
    assert acc >= bayes - 3 * se, (acc, bayes)
    assert acc > mv + 0.02
    # parameters recovered: class balance and per-function conditional tables
    assert np.abs(model.class_balance_ - prior).max() < 0.03
    assert np.abs(model.conditional_ - cond).max() < 0.06


def test_matrix_completion_recovers_mu_with_known_balance():
    """With the true class balance and many examples, the fitted vote
    probabilities approach the generating ones (Ratner et al.'s identifiability
    holds with >= 3 conditionally independent functions)."""
    L, y, cond, prior = simulate_lfs(n=40000, m=6, seed=4)
    model = LabelModel(method="matrix_completion", class_balance=prior, rng=0).fit(L)
    assert np.abs(model.conditional_[:, :, :3] - cond[:, :, :3]).max() < 0.05
    covered = (L != ABSTAIN).any(axis=1)
    mv = LabelModel(method="majority_vote", rng=0).fit(L)
    assert (np.mean(model.predict(L)[covered] == y[covered])
            > np.mean(mv.predict(L)[covered] == y[covered]))


def test_label_model_equals_crowd_dawid_skene_without_abstains():
    """With no abstains (and no pseudo-counts, which would also go to the abstain
    column) the label model is exactly crowd Dawid-Skene on the same votes."""
    L, _, _, _ = simulate_lfs(n=400, m=5, seed=2)
    rng = np.random.default_rng(0)
    full = np.where(L == ABSTAIN, rng.integers(0, 3, L.shape), L)
    model = LabelModel(max_iter=30, tol=0.0, smoothing=0.0, rng=0).fit(full)
    answers = np.column_stack([np.repeat(np.arange(400), 5), np.tile(np.arange(5), 400),
                               full.ravel()])
    crowd = dawid_skene(answers, max_iter=30, tol=0.0, smoothing=0.0, rng=0)
    np.testing.assert_allclose(model.predict_proba(full), crowd.proba, rtol=1e-9, atol=1e-12)


def test_all_abstain_rows_are_kept_unlabelled():
    L = np.array([[0, 0, -1], [1, 1, 1], [-1, -1, -1], [1, -1, 0]] * 30)
    for method in ("majority_vote", "dawid_skene", "matrix_completion"):
        model = LabelModel(method=method, rng=0).fit(L)
        proba = model.predict_proba(L)
        assert np.all(np.isfinite(proba))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        pred = model.predict(L)
        assert np.all(pred[2::4] == ABSTAIN)
        assert np.all(pred[1::4] == 1)
    # a matrix of abstains only: fitted, every prediction ABSTAIN
    empty = np.full((10, 3), ABSTAIN)
    assert np.all(LabelModel(n_classes=2, rng=0).fit(empty).predict(empty) == ABSTAIN)


def test_ties_rule():
    L = np.array([[0, 1], [1, 0], [0, 0]] * 20)
    model = LabelModel(method="majority_vote", tie_break="abstain").fit(L)
    assert model.predict(L)[:3].tolist() == [ABSTAIN, ABSTAIN, 0]
    r1 = LabelModel(method="majority_vote", rng=3).fit(L).predict(L)
    r2 = LabelModel(method="majority_vote", rng=3).fit(L).predict(L)
    np.testing.assert_array_equal(r1, r2)
    assert set(r1[:2].tolist()) <= {0, 1}


def test_string_classes_round_trip_and_pickle():
    texts = ["good film", "bad plot", "good but bad", "fine", "good good"] * 20
    L = apply([lambda s: "pos" if "good" in s else None,
               lambda s: "neg" if "bad" in s else None,
               lambda s: "pos" if "fine" in s or "good" in s else None], texts)
    model = LabelModel(rng=0).fit(L)
    pred = model.predict(L)
    assert model.classes_.tolist() == ["neg", "pos"]
    assert pred[0] == "pos"
    assert pred[1] == "neg"
    assert model.score(L, ["pos", "neg", "neg", "pos", "pos"] * 20) >= 0.75
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(L), model.predict_proba(L))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "snorkel"}, r"'method' parameter of LabelModel"),
        ({"n_classes": 1}, r"'n_classes' parameter"),
        ({"max_iter": 0}, r"'max_iter' parameter"),
        ({"tol": -1}, r"'tol' parameter"),
        ({"tie_break": "first"}, r"'tie_break' parameter"),
        ({"rng": "seed"}, r"'rng' parameter"),
        ({"n_classes": 2, "class_balance": [0.2, 0.2]}, r"'class_balance' parameter"),
    ],
)
def test_label_model_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        LabelModel(**kwargs)


def test_label_model_bad_use():
    L = np.array([[0, 1], [1, 1]])
    with pytest.raises(NotFittedError, match="not fitted"):
        LabelModel().predict(L)
    model = LabelModel(rng=0).fit(L)
    with pytest.raises(InvalidParameterError, match="2 columns"):
        model.predict_proba(np.array([[0, 1, 1]]))
    with pytest.raises(InvalidParameterError, match="votes below n_classes=2"):
        model.predict_proba(np.array([[0, 2]]))
    with pytest.raises(InvalidParameterError, match="'class_balance' parameter"):
        LabelModel(class_balance=[0.5, 0.3, 0.2]).fit(L)
    named = apply([lambda s: "a" if s else "b"], [0, 1, 1])
    with pytest.raises(InvalidParameterError, match="a label matrix of 3 classes"):
        LabelModel(n_classes=3).fit(named)


def test_analyze_function_that_never_fires_and_unknown_gold():
    L = np.array([[0, -1], [1, -1], [-1, -1]])
    res = analyze(L, y=[0, ABSTAIN, 1])
    assert res.coverage.tolist() == [2 / 3, 0.0]
    assert res.polarity[1] == ()
    assert res.n_correct.tolist() == [1, 0]
    assert res.n_incorrect.tolist() == [0, 0]
    assert np.isnan(res.accuracy[1])
    assert np.isnan(res.ci_low[1])
    json.dumps(res.to_dict())


def test_analyze_accepts_float_gold_with_nan_for_unknown():
    """A gold column with NaN for unknown rows is float: 0.0/1.0 are class
    indices (as they already were for a LabelMatrix); it raised 'Got 0.0'."""
    L = np.array([[0, 1], [1, 1], [0, -1], [-1, 0]])
    ref = analyze(L, [0, 1, ABSTAIN, 0])
    res = analyze(L, np.array([0.0, 1.0, np.nan, 0.0]))
    np.testing.assert_array_equal(res.n_correct, ref.n_correct)
    np.testing.assert_array_equal(res.accuracy, ref.accuracy)
    with pytest.raises(InvalidParameterError, match=r"'y' parameter.*Got 1.5 instead"):
        analyze(L, np.array([0.0, 1.5, np.nan, 0.0]))


def test_analyze_gold_class_that_no_function_voted():
    """A plain matrix's classes are indices: gold 3 where the functions only
    vote 0..2 is a class they miss, counted as their errors (it was refused)."""
    L = np.array([[0, 2], [1, 2], [2, -1], [0, 0]])
    res = analyze(L, y=[0, 3, 3, 0])
    assert res.n_correct.tolist() == [2, 1]
    assert res.n_incorrect.tolist() == [2, 2]
    np.testing.assert_allclose(res.accuracy, [0.5, 1 / 3])


@pytest.mark.parametrize(
    ("y", "got"),
    [([0, -2, 0, 0], r"Got (np.int64\()?-2"), (np.array([0, 2**62, 0, 0]), r"4611686018427387904"),
     ([0, 0.5, 0, 0], r"Got (np.float64\()?0.5"), (["a", "b", "a", "a"], r"'a'")],
)
def test_analyze_refuses_gold_that_is_not_a_class_index(y, got):
    L = np.array([[0, 2], [1, 2], [2, -1], [0, 0]])
    with pytest.raises(InvalidParameterError, match=r"'y' parameter.*class indices.*" + got):
        analyze(L, y=y)
