"""Active-learning query strategies: exact scores, diversity, conformance, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.ensemble import BaggingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    cluster_margin,
    density_weighted,
    entropy,
    k_center_greedy,
    kl_divergence,
    least_confident,
    margin,
    random_sampling,
    vote_entropy,
)
from mllifecycle.protocols import QueryStrategy
from mllifecycle.testing import check_query_strategy

UNCERTAINTY = [least_confident, margin, entropy, density_weighted, cluster_margin]
COMMITTEE = [vote_entropy, kl_divergence]
ALL = [random_sampling, *UNCERTAINTY, *COMMITTEE, k_center_greedy]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    y = np.digitize(X[:, 0] + 0.5 * X[:, 1], [-0.6, 0.6])  # 3 classes
    pool = rng.normal(size=(150, 3))
    model = LogisticRegression().fit(X[:60], y[:60])
    bag = BaggingClassifier(DecisionTreeClassifier(max_depth=3), n_estimators=7,
                            random_state=0).fit(X[:60], y[:60])
    return X, y, pool, model, bag


def _estimator_for(strategy, data):
    _, _, _, model, bag = data
    return bag if strategy in COMMITTEE else model


@pytest.mark.parametrize("strategy", ALL, ids=lambda s: s.__name__)
def test_every_strategy_conforms(strategy, data):
    X, _, pool, _, _ = data
    assert isinstance(strategy, QueryStrategy)
    check_query_strategy(strategy, _estimator_for(strategy, data), pool,
                         X_labelled=X[:60], batch_size=6)


def test_uncertainty_scores_equal_reference_formulas(data):
    _, _, pool, model, _ = data
    p = model.predict_proba(pool)
    n = pool.shape[0]
    top2 = np.sort(p, axis=1)[:, -2:]
    refs = {
        least_confident: 1 - p.max(axis=1),
        margin: 1 - (top2[:, 1] - top2[:, 0]),
        entropy: stats.entropy(p, axis=1),
    }
    for fn, ref in refs.items():
        q = fn(model, pool, batch_size=n, rng=0)
        np.testing.assert_allclose(q.scores, ref[q.indices], rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(q.indices[:10], np.argsort(-ref, kind="stable")[:10])


def test_committee_scores_equal_reference_formulas(data):
    _, _, pool, _, bag = data
    members = np.stack([m.predict_proba(pool) for m in bag.estimators_])  # coded classes
    n = pool.shape[0]
    votes = members.argmax(axis=2)
    shares = np.stack([(votes == c).mean(axis=0) for c in range(3)], axis=1)
    q = vote_entropy(bag, pool, batch_size=n, rng=0)
    np.testing.assert_allclose(q.scores, stats.entropy(shares, axis=1)[q.indices], atol=1e-12)
    cons = members.mean(axis=0)
    kl = np.mean([stats.entropy(m.T, cons.T) for m in members], axis=0)
    q = kl_divergence(bag, pool, batch_size=n, rng=0)
    np.testing.assert_allclose(q.scores, kl[q.indices], atol=1e-10)
    # a list of fitted classifiers is a committee too, and a forest as well
    X, y = data[0], data[1]
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    assert vote_entropy(forest, pool, batch_size=3).batch_size == 3
    lst = [LogisticRegression(C=c).fit(X[:60], y[:60]) for c in (0.01, 1.0, 100.0)]
    assert kl_divergence(lst, pool, batch_size=3).batch_size == 3


def _k_center_reference(pool, labelled, b):
    d = np.min(((pool[:, None, :] - labelled[None, :, :]) ** 2).sum(-1), axis=1)
    picks = []
    for _ in range(b):
        i = int(np.argmax(d))
        picks.append(i)
        d = np.minimum(d, ((pool - pool[i]) ** 2).sum(1))
    return picks


def test_k_center_greedy_equals_brute_force(data):
    X, _, pool, model, _ = data
    q = k_center_greedy(model, pool, batch_size=12, X_labelled=X[:60], rng=0)
    np.testing.assert_array_equal(q.indices, _k_center_reference(pool, X[:60], 12))
    assert np.all(np.diff(q.scores) <= 1e-12)  # coverage radius never grows


@pytest.mark.parametrize("seed", range(5))
def test_k_center_greedy_is_exact_for_features_with_a_large_offset(seed):
    """Sibling of the mmd cancellation bug: distances from |a|^2 + |b|^2 - 2ab
    lost their digits when the rows sit far from the origin (offset 1e6, spread
    0.05), so the cover picked other rows than brute force."""
    g = np.random.default_rng(seed)
    pool = 1e6 + g.normal(scale=0.05, size=(60, 3))
    labelled = 1e6 + g.normal(scale=0.05, size=(2, 3))
    q = k_center_greedy(None, pool, batch_size=10, X_labelled=labelled, rng=0)
    np.testing.assert_array_equal(q.indices, _k_center_reference(pool, labelled, 10))


def test_k_center_greedy_hybrid_covers_the_low_margin_candidates_only(data):
    X, _, pool, model, _ = data
    p = model.predict_proba(pool)
    top2 = np.sort(p, axis=1)[:, -2:]
    cand = np.argsort(-(1 - (top2[:, 1] - top2[:, 0])), kind="stable")[:30]  # ceil(2.5 * 12)
    q = k_center_greedy(model, pool, batch_size=12, X_labelled=X[:60], rng=0,
                        candidate_factor=2.5)
    ref = cand[_k_center_reference(pool[cand], X[:60], 12)]
    np.testing.assert_array_equal(q.indices, ref)
    # the whole-pool cover reaches out to confident rows; the hybrid never does
    whole = k_center_greedy(model, pool, batch_size=12, X_labelled=X[:60], rng=0).indices
    assert not set(whole.tolist()) <= set(cand.tolist())
    # candidate_factor=1 is top-k margin (as a set)
    one = k_center_greedy(model, pool, batch_size=12, X_labelled=X[:60], candidate_factor=1)
    assert set(one.indices.tolist()) == set(margin(model, pool, batch_size=12).indices.tolist())


def test_batch_diverse_strategies_spread_out_more_than_top_k(data):
    X, y, _, _, _ = data
    rng = np.random.default_rng(1)
    pool = rng.normal(size=(600, 3))
    model = LogisticRegression().fit(X, y)

    def spread(idx):
        P = pool[idx]
        d = np.sqrt(((P[:, None] - P[None]) ** 2).sum(-1))
        return d[np.triu_indices(len(idx), 1)].min()

    top = margin(model, pool, batch_size=20, rng=0).indices
    cm = cluster_margin(model, pool, batch_size=20, rng=0).indices
    kc = k_center_greedy(model, pool, batch_size=20, X_labelled=X, rng=0).indices
    assert spread(cm) > spread(top)
    assert spread(kc) > spread(top)


def test_density_weighted_with_beta_zero_is_plain_uncertainty(data):
    _, _, pool, model, _ = data
    for u, fn in (("entropy", entropy), ("margin", margin), ("least_confident",
                                                              least_confident)):
        a = density_weighted(model, pool, batch_size=10, beta=0.0, uncertainty=u, rng=3)
        b = fn(model, pool, batch_size=10, rng=3)
        np.testing.assert_array_equal(a.indices, b.indices)
    # an outlier far from the pool's direction loses to a representative row
    pool2 = np.r_[np.tile([[1.0, 1.0, 0.0]], (50, 1)), [[-1.0, -1.0, 0.0]]]
    const = LogisticRegression().fit([[0, 0, 1], [0, 0, -1]], [0, 1])  # all equally unsure
    assert density_weighted(const, pool2, batch_size=1).indices[0] != 50


def test_ties_are_broken_with_rng():
    const = LogisticRegression().fit([[0.0, 1.0], [0.0, -1.0]], [0, 1])
    pool = np.tile([1.0, 0.0], (40, 1))  # every row has the same margin
    picks = {tuple(margin(const, pool, batch_size=3, rng=s).indices) for s in range(8)}
    assert len(picks) > 1
    assert margin(const, pool, batch_size=3, rng=5).indices.tolist() == \
        margin(const, pool, batch_size=3, rng=5).indices.tolist()


class NoProba:
    classes_ = np.array([0, 1])

    def predict(self, X):
        return np.zeros(len(X))


POOL = np.random.default_rng(0).normal(size=(20, 3))


@pytest.mark.parametrize(
    ("strategy", "est", "pool", "kwargs", "exc", "match"),
    [
        (margin, "model", POOL[:3], {"batch_size": 5}, InvalidParameterError,
         r"'batch_size' parameter of margin must be at most the pool size \(3 rows\)"),
        (entropy, "model", POOL, {"batch_size": 0}, InvalidParameterError, "batch_size"),
        (margin, NoProba(), POOL, {}, TypeError, r"predict_proba\(\)"),
        (least_confident, "one_class", POOL, {}, InvalidParameterError,
         "at least 2 classes"),
        (entropy, "model", np.where(POOL > 1.5, np.nan, POOL), {}, InvalidParameterError,
         "NaN"),
        (margin, "model", POOL[0], {}, InvalidParameterError, "2-D"),
        (vote_entropy, "model", POOL, {}, InvalidParameterError, "committee"),
        (kl_divergence, [], POOL, {}, InvalidParameterError, "at least 2 members"),
        (density_weighted, "model", POOL, {"beta": -1.0}, InvalidParameterError, "beta"),
        (density_weighted, "model", POOL, {"uncertainty": "x"}, InvalidParameterError,
         "uncertainty"),
        (cluster_margin, "model", POOL, {"candidate_factor": 0.5}, InvalidParameterError,
         "candidate_factor"),
        (k_center_greedy, "model", POOL, {"X_labelled": np.ones((3, 2))},
         InvalidParameterError, "X_labelled"),
        (k_center_greedy, "model", POOL, {"candidate_factor": 0.5}, InvalidParameterError,
         r"'candidate_factor' parameter of k_center_greedy"),
        (k_center_greedy, NoProba(), POOL, {"candidate_factor": 2.0}, TypeError,
         r"predict_proba\(\)"),
        (random_sampling, None, POOL, {"rng": -1}, InvalidParameterError, "'rng'"),
        # an embedding with the wrong number of rows made picks point past the pool
        (k_center_greedy, None, POOL, {"embedding": lambda z: np.repeat(z, 2, axis=0)},
         InvalidParameterError,
         r"'embedding' parameter of k_center_greedy must be a map returning one row per "
         r"pool row \(20\). Got 40 rows"),
        (k_center_greedy, None, POOL, {"X_labelled": POOL[:1],
                                       "embedding": lambda z: z[:, :2] if len(z) == 20 else z},
         InvalidParameterError, r"'embedding' parameter.*X_labelled the 2 dimension"),
    ],
)
def test_strategies_reject_bad_input(strategy, est, pool, kwargs, exc, match, data):
    X, y = data[0], data[1]
    if est == "model":
        est = LogisticRegression().fit(X[:, :3], y)
    elif est == "one_class":
        est = DecisionTreeClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(exc, match=match):
        strategy(est, pool, **kwargs)


@pytest.mark.parametrize("strategy", ALL, ids=lambda s: s.__name__)
def test_every_strategy_names_itself_in_the_shared_pool_errors(strategy, data):
    est = _estimator_for(strategy, data)
    name = strategy.__name__
    with pytest.raises(InvalidParameterError,
                       match=rf"^The 'batch_size' parameter of {name} must be at most the "
                             r"pool size \(3 rows\)"):
        strategy(est, POOL[:3], batch_size=4)
    with pytest.raises(InvalidParameterError, match=rf"'X_pool' parameter of {name} .*NaN"):
        strategy(est, np.where(POOL > 1.5, np.nan, POOL))
    with pytest.raises(InvalidParameterError, match=rf"'rng' parameter of {name}"):
        strategy(est, POOL, rng=-1)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30), st.integers(2, 4))
def test_top_k_strategies_choose_the_highest_scores(seed, batch, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 3))
    y = np.arange(60) % k
    model = LogisticRegression().fit(X, y)
    pool = rng.normal(size=(40, 3))
    for fn in (least_confident, margin, entropy):
        full = fn(model, pool, batch_size=40, rng=seed)
        q = fn(model, pool, batch_size=batch, rng=seed)
        assert len(set(q.indices.tolist())) == batch
        chosen = np.zeros(40, bool)
        chosen[q.indices] = True
        scores = np.empty(40)
        scores[full.indices] = full.scores
        assert scores[chosen].min() >= scores[~chosen].max(initial=-np.inf)
        assert np.all(np.diff(q.scores) <= 0)


@pytest.mark.parametrize("scale", [1e-200, 1e160, 1e200])
def test_density_weighted_is_scale_free_for_huge_and_tiny_features(scale):
    """Cosine similarity does not see the scale, but |x|^2 overflowed beyond
    ~1e154 (underflowed below ~1e-154): every unit vector became 0, every
    density 1/2, and the picks random. With a constant-probability model the
    scores are the density alone and must match the unscaled ones."""
    from sklearn.dummy import DummyClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) + np.array([2.0, 0.0, 0.0])
    model = DummyClassifier(strategy="prior").fit(X, rng.integers(0, 2, 50))
    ref = density_weighted(model, X, batch_size=5, rng=0)
    got = density_weighted(model, X * scale, batch_size=5, rng=0)
    np.testing.assert_array_equal(got.indices, ref.indices)
    np.testing.assert_allclose(got.scores, ref.scores, rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_k_center_greedy_is_scale_free_for_huge_and_tiny_features(scale):
    """Squared distances overflowed to inf (underflowed to 0) beyond ~1e154
    (below ~1e-154): every row tied and the cover was random. A power-of-two
    rescaling is exact: same picks as brute force, scores in the data's units."""
    rng = np.random.default_rng(0)
    pool, labelled = rng.normal(size=(40, 3)), rng.normal(size=(2, 3))
    ref = k_center_greedy(None, pool, batch_size=5, X_labelled=labelled, rng=0)
    np.testing.assert_array_equal(ref.indices, _k_center_reference(pool, labelled, 5))
    got = k_center_greedy(None, pool * scale, batch_size=5, X_labelled=labelled * scale,
                          rng=0)
    np.testing.assert_array_equal(got.indices, ref.indices)
    np.testing.assert_allclose(got.scores, ref.scores * scale, rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_cluster_margin_is_scale_free_for_huge_and_tiny_features(scale):
    """Average-linkage distances overflowed (scipy: 'must contain only finite
    values') or underflowed to 0 (arbitrary clusters)."""

    class Even:
        classes_ = np.array([0, 1])

        def predict_proba(self, X):
            return np.full((len(X), 2), 0.5)

    pool = np.random.default_rng(0).normal(size=(60, 3))
    ref = cluster_margin(Even(), pool, batch_size=5, rng=0).indices
    got = cluster_margin(Even(), pool * scale, batch_size=5, rng=0).indices
    np.testing.assert_array_equal(got, ref)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    offset=st.sampled_from([0.0, 1.0, 1e3, 1e6, 1e8]),
    spread=st.sampled_from([1e-6, 1e-3, 1.0, 100.0]),
    n=st.integers(1, 40),
    m=st.integers(1, 12),
    d=st.integers(1, 6),
    dup=st.booleans(),
)
def test_min_sq_dist_is_the_brute_force_minimum(seed, offset, spread, n, m, d, dup):
    # the matrix product only chooses candidates; the distance returned is from
    # the differences, so it must equal the brute-force minimum (to rounding of
    # a sum of d squares) even with large offsets, tiny spreads and duplicates
    from mllifecycle.labels._active import _lower_sq_dist, _min_sq_dist, _sq_norms, _tol_scale

    g = np.random.default_rng(seed)
    C = offset + spread * g.normal(size=(m, d))
    X = offset + spread * g.normal(size=(n, d))
    if dup:  # exact and near duplicates of C's rows
        X[: min(n, m)] = C[: min(n, m)]
        X[-1] = C[0] + spread * 1e-9
    ref = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    got = _min_sq_dist(X, C, row_chunk=7, col_chunk=5)  # chunk edges exercised
    np.testing.assert_allclose(got, ref.min(axis=1), rtol=1e-13, atol=0)
    # the greedy update: min(d_old, |X - X[i]|^2) for every row
    d_old = ref.min(axis=1).copy()
    upd = _lower_sq_dist(X, _sq_norms(X), 0, d_old.copy(), _tol_scale(d))
    own = ((X - X[0]) ** 2).sum(1)
    np.testing.assert_allclose(upd, np.minimum(d_old, own), rtol=1e-13, atol=0)
