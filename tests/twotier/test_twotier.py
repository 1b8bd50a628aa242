"""TwoTier: the bias correction by hand, cold keys, LRU eviction, pickling, the
partial_fit and blend strategies, the keyed replay, and bad input."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC

from mllifecycle.datasets import personalization_stream
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.twotier import TwoTier, replay_keyed


@pytest.fixture(scope="module")
def stream():
    return personalization_stream(12_000, n_keys=60, key_effect=1.5, rng=3)


def _fitted(stream, **kw):
    return TwoTier(LogisticRegression(), **kw).fit(stream.X[:3000], stream.y[:3000])


def test_bias_correction_by_hand(stream):
    m = _fitted(stream, tau=4.0)
    X, y, keys = stream.X[3000:5000], stream.y[3000:5000], stream.keys[3000:5000]
    m.partial_fit(X, y, keys)
    key = int(keys[0])
    rows = keys == key
    g = m.global_model_.predict_proba(X[rows])
    counts = np.bincount(y[rows], minlength=2).astype(float)
    expected = g.sum(axis=0)
    prior = 4.0 * m.class_prior_
    corr = np.log(counts + prior) - np.log(expected + prior)
    x_new = stream.X[6000:6003]
    base = m.global_model_.predict_proba(x_new)
    logit = np.log(base) + corr
    want = np.exp(logit) / np.exp(logit).sum(axis=1, keepdims=True)
    got = m.predict_proba(x_new, np.full(3, key))
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_cold_and_unseen_keys_get_the_global_model(stream):
    m = _fitted(stream)
    m.partial_fit(stream.X[3000:4000], stream.y[3000:4000], stream.keys[3000:4000])
    x = stream.X[5000:5010]
    np.testing.assert_array_equal(
        m.predict_proba(x, np.full(10, 10_000)), m.global_model_.predict_proba(x)
    )
    np.testing.assert_array_equal(m.predict_proba(x), m.global_model_.predict_proba(x))


def test_lru_eviction():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    m = TwoTier(LogisticRegression(), max_keys=3, tau=1.0).fit(X, y)
    for key in ["a", "b", "c"]:
        m.partial_fit(X[:5], y[:5], [key] * 5)
    m.partial_fit(X[:5], y[:5], ["a"] * 5)  # a is now the most recent
    m.partial_fit(X[:5], y[:5], ["d"] * 5)  # evicts b, the least recent
    assert m.local_state("b") is None
    assert m.local_state("a") is not None
    assert m.local_state("d")["n_samples"] == 5
    assert m.n_keys_ == 3
    assert m.n_evicted_ == 1
    # a batch with more new keys than room: the batch's keys are kept
    m.partial_fit(X[:3], y[:3], ["e", "f", "g"])
    assert {k for k in "efg" if m.local_state(k) is not None} == set("efg")


def test_pickle_mid_stream_continues_exactly(stream):
    m = _fitted(stream)
    m.partial_fit(stream.X[3000:4000], stream.y[3000:4000], stream.keys[3000:4000])
    restored = pickle.loads(pickle.dumps(m))
    for mod in (m, restored):
        mod.partial_fit(stream.X[4000:5000], stream.y[4000:5000], stream.keys[4000:5000])
    x, k = stream.X[5000:6000], stream.keys[5000:6000]
    np.testing.assert_array_equal(m.predict_proba(x, k), restored.predict_proba(x, k))


def test_partial_fit_strategy_is_a_warm_started_copy(stream):
    sgd = SGDClassifier(loss="log_loss", random_state=0)
    m = TwoTier(sgd, local="partial_fit").fit(stream.X[:3000], stream.y[:3000])
    X, y, keys = stream.X[3000:4000], stream.y[3000:4000], stream.keys[3000:4000]
    m.partial_fit(X, y, keys)
    key = int(keys[0])
    ref = copy.deepcopy(m.global_model_)
    # the copy is taken before any update: rebuild it from a fresh global fit
    ref = clone(sgd).fit(stream.X[:3000], stream.y[:3000])
    ref.partial_fit(X[keys == key], y[keys == key], classes=m.classes_)
    x = stream.X[5000:5005]
    np.testing.assert_allclose(m.predict_proba(x, np.full(5, key)), ref.predict_proba(x))


def test_blend_weight_grows_with_data(stream):
    sgd = SGDClassifier(loss="log_loss", random_state=0)
    m = TwoTier(sgd, local="blend", tau=10.0).fit(stream.X[:3000], stream.y[:3000])
    key = int(stream.keys[3000])
    rows = np.flatnonzero(stream.keys == key)[:30]
    m.partial_fit(stream.X[rows], stream.y[rows], stream.keys[rows])
    x = stream.X[5000:5003]
    g = m.global_model_.predict_proba(x)
    local = m.local_state(key)["model"].predict_proba(x)
    w = 30 / 40
    np.testing.assert_allclose(m.predict_proba(x, np.full(3, key)), (1 - w) * g + w * local)


def test_auto_tau_follows_how_much_keys_differ():
    same = personalization_stream(20_000, n_keys=100, key_effect=0.0, rng=1)
    diff = personalization_stream(20_000, n_keys=100, key_effect=2.0, rng=1)
    taus = []
    for s in (same, diff):
        m = TwoTier(LogisticRegression()).fit(s.X[:3000], s.y[:3000])
        m.partial_fit(s.X[3000:], s.y[3000:], s.keys[3000:])
        taus.append(m._tau_)
    assert taus[0] > 10 * taus[1]


def test_sklearn_conventions():
    m = TwoTier(LogisticRegression(), local="bias", tau=5.0, max_keys=10)
    assert clone(m).get_params()["tau"] == 5.0
    m.set_params(tau=2.0)
    assert m.tau == 2.0


def test_replay_keyed_beats_global_where_keys_differ_and_ties_where_not(stream):
    r = replay_keyed(stream.X, stream.y, stream.keys, LogisticRegression(),
                     initial_train_size=2000)
    assert r.accuracy["two_tier"] > r.accuracy["global"] + 0.02
    cold = r.by_group["cold (no labels yet)"]
    assert cold["two_tier"] == pytest.approx(cold["global"])
    assert cold["two_tier"] > cold["local"]
    same = personalization_stream(12_000, n_keys=60, key_effect=0.0, rng=3)
    r0 = replay_keyed(same.X, same.y, same.keys, LogisticRegression(), initial_train_size=2000)
    assert abs(r0.accuracy["two_tier"] - r0.accuracy["global"]) < 0.01


def test_replay_keyed_no_label_early_and_reproducible(stream):
    with pytest.warns(DegenerateDataWarning, match="no label arrives"):
        far = replay_keyed(stream.X, stream.y, stream.keys, LogisticRegression(),
                           label_delay=10**6)
    # no label ever arrives: the local tier never moves (and replay_keyed says so)
    assert far.accuracy["two_tier"] == far.accuracy["global"]
    a = replay_keyed(stream.X, stream.y, stream.keys, LogisticRegression(),
                     policy=Periodic(every=3000))
    b = replay_keyed(stream.X, stream.y, stream.keys, LogisticRegression(),
                     policy=Periodic(every=3000))
    assert a.accuracy == b.accuracy
    assert a.retrains >= 2
    assert "keyed_replay.accuracy.two_tier" in a.to_metrics()


@pytest.mark.parametrize(
    ("call", "err", "match"),
    [
        (lambda m, s: m.partial_fit(s.X[:4], s.y[:4], [1, "a", 2, 3]), InvalidParameterError,
         "keys of one type"),
        (lambda m, s: m.partial_fit(s.X[:2], s.y[:2], [1.0, np.nan]), InvalidParameterError,
         "without NaN"),
        (lambda m, s: m.partial_fit(s.X[:2], s.y[:2], [1]), InvalidParameterError,
         "2 keys"),
        (lambda m, s: m.partial_fit(s.X[:2], np.array([0, 7]), [1, 1]), InvalidParameterError,
         "labels among the classes"),
        (lambda m, s: m.predict(s.X[:2, :2], [1, 1]), InvalidParameterError, "4 features"),
        (lambda m, s: m.predict(s.X[:2] + 1j, [1, 1]), InvalidParameterError, "complex"),
        (lambda m, s: m.partial_fit(s.X[:2], s.y[:2], None), InvalidParameterError,
         "'keys' parameter"),
    ],
)
def test_bad_input(stream, call, err, match):
    m = _fitted(stream)
    with pytest.raises(err, match=match):
        call(m, stream)


def test_estimators_without_what_a_strategy_needs():
    X = np.random.default_rng(0).normal(size=(50, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(TypeError, match="no predict_proba"):
        TwoTier(LinearSVC()).fit(X, y)
    with pytest.raises(TypeError, match="does not have"):
        TwoTier(LogisticRegression(), local="partial_fit").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'local'"):
        TwoTier(LogisticRegression(), local="knn").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'tau'"):
        TwoTier(LogisticRegression(), tau=-1.0).fit(X, y)


def test_personalization_stream_is_seeded_and_validated():
    a = personalization_stream(3000, n_keys=30, rng=5)
    b = personalization_stream(3000, n_keys=30, rng=5)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.keys, b.keys)
    seen = a.first_seen[a.first_seen >= 0]
    assert seen.min() == 0
    with pytest.raises(InvalidParameterError, match="'change_points'"):
        personalization_stream(3000, change_points=(5000,))
    with pytest.raises(InvalidParameterError, match="'noise'"):
        personalization_stream(3000, noise=0.7)
