"""Results of mllifecycle.labels compare by value (same seed twice, pickle round trip)."""
from __future__ import annotations

import copy
import pickle

import attrs
import numpy as np
import pytest

from mllifecycle import labels as L


def _answers(seed=0, n_tasks=30):
    rng = np.random.default_rng(seed)
    return [[t, w, int(t % 2 if rng.random() < 0.8 else 1 - t % 2)]
            for t in range(n_tasks) for w in range(4)]


@pytest.mark.parametrize("method", L.AGGREGATION_METHODS)
def test_crowd_results_compare_by_value(method):
    ans = _answers()
    a = L.aggregate(ans, method=method, rng=0)
    assert a == L.aggregate(ans, method=method, rng=0)
    assert a == pickle.loads(pickle.dumps(a))
    assert a == copy.deepcopy(a)
    assert a != L.aggregate(_answers(1), method=method, rng=0)
    assert a != L.aggregate(ans[:-4], method=method, rng=0)


def test_crowd_result_nan_log_likelihood_and_gold_equal():
    ans = _answers()
    a = L.majority_vote(ans, gold={0: 0, 1: 1})
    assert np.isnan(a.log_likelihood)
    assert a == pickle.loads(pickle.dumps(a))
    assert a != L.majority_vote(ans, gold={0: 0})


def test_crowd_result_is_cleanly_unhashable():
    with pytest.raises(TypeError, match="unhashable type: 'CrowdResult'"):
        hash(L.majority_vote(_answers()))


def _lfs():
    return [lambda x: int(x > 5) if x != 3 else L.ABSTAIN,
            lambda x: 0 if x < 2 else L.ABSTAIN]


def test_label_matrix_and_analysis_compare_by_value():
    X = np.arange(10.0)
    lm = L.apply(_lfs(), X)
    assert lm == L.apply(_lfs(), X)
    assert lm == pickle.loads(pickle.dumps(lm))
    assert lm != L.apply(_lfs(), X[::-1])
    an = L.analyze(lm, y=[0] * 5 + [1] * 5)
    assert an == pickle.loads(pickle.dumps(an))
    assert an == L.analyze(lm, y=[0] * 5 + [1] * 5)
    assert an != L.analyze(lm)
    assert an != L.analyze(lm, y=[0] * 10)
    with pytest.raises(TypeError, match="unhashable"):
        hash(lm)
    with pytest.raises(TypeError, match="unhashable"):
        hash(an)


def test_label_matrix_index_compared():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": np.arange(10.0)}, index=list("abcdefghij"))
    lfs = [lambda r: int(r["a"] > 5)]
    lm = L.apply(lfs, X)
    assert lm == pickle.loads(pickle.dumps(lm))
    assert lm != L.apply(lfs, X.reset_index(drop=True))
    assert lm != L.apply(lfs, X.to_dict("records"))


def test_label_model_compares_by_value():
    votes = np.array([[0, 0, -1], [1, 1, 1], [1, -1, 1], [0, 0, 1]] * 20)
    for method in ("dawid_skene", "matrix_completion", "majority_vote"):
        m = L.LabelModel(method=method, rng=0).fit(votes)
        # raised NumPy's "truth value of an array is ambiguous"
        assert m == pickle.loads(pickle.dumps(m))
        assert m == copy.deepcopy(m)
        assert m == L.LabelModel(method=method, rng=0).fit(votes)
        assert m != L.LabelModel(method=method, rng=0).fit(votes[:-1])


def test_simulation_and_noise_results_with_nan_equal_after_pickle():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    res = L.simulate(X, y, LogisticRegression(), L.margin, budget=10, batch_size=5,
                     n_random=2, rng=0)
    assert res == pickle.loads(pickle.dumps(res))
    with pytest.raises(TypeError, match="unhashable"):
        hash(res)
    # never matched: label_fraction NaN, so a round trip was unequal to itself
    nan_res = attrs.evolve(res, label_fraction=np.nan, labels_to_match_random=None)
    assert nan_res == pickle.loads(pickle.dumps(nan_res))
    assert nan_res != attrs.evolve(res, label_fraction=0.5)
