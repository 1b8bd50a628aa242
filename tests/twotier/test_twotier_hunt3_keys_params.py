"""TwoTier: one key rule in every method; parameters set after fit act at once."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3000, 2))
K = RNG.integers(0, 20, 3000)
Y = (X[:, 0] + (K % 2) * 1.5 - 0.75 > 0).astype(int)


def _fitted(**kw):
    m = TwoTier(LogisticRegression(), **kw).fit(X[:1000], Y[:1000])
    return m.partial_fit(X[1000:2000], Y[1000:2000], K[1000:2000])


@pytest.mark.parametrize("key", [3.0, np.float64(3.0), np.float32(3.0), np.int64(3),
                                 np.array(3.0), np.uint8(3)])
def test_a_whole_float_key_is_the_same_key_in_every_method(key):
    # partial_fit read keys=[3.0] as the key 3; local_state(3.0) and
    # reset_key(3.0) refused it ("float keys, such as 3.0")
    m = TwoTier(LogisticRegression()).fit(X[:1000], Y[:1000])
    m.partial_fit(X[1000:2000], Y[1000:2000], K[1000:2000].astype(np.float64))
    n3 = int((K[1000:2000] == 3).sum())
    assert m.local_state(3)["n_samples"] == n3
    assert m.local_state(key)["n_samples"] == n3
    want = m.predict_proba(X[:4], np.full(4, 3))
    one = key.item() if isinstance(key, np.ndarray) else key
    np.testing.assert_array_equal(m.predict_proba(X[:4], [one] * 4), want)
    m.partial_fit(X[2000:2010], Y[2000:2010], [one] * 10)
    assert m.local_state(3)["n_samples"] == n3 + 10
    m.reset_key(key)
    assert m.local_state(3) is None
    assert m.n_keys_ == 19


@pytest.mark.parametrize("method", ["local_state", "reset_key"])
@pytest.mark.parametrize(
    ("key", "match"),
    [(3.5, "fractional"), (float("nan"), "missing"), (None, "missing"),
     ([3], "one key"), (2.0**60, "2\\*\\*53")],
)
def test_keys_partial_fit_refuses_are_refused_by_every_method(method, key, match):
    m = _fitted()
    with pytest.raises(InvalidParameterError, match=rf"'key' parameter of TwoTier\.{method}.*"
                       + match):
        getattr(m, method)(key)
    assert m.n_keys_ == 20


def test_tau_set_after_fit_takes_effect_at_once():
    # set_params(tau=500) after fit was ignored until the next fit
    m = _fitted(tau=5.0)
    m.set_params(tau=500.0)
    want = _fitted(tau=500.0)
    np.testing.assert_allclose(m.predict_proba(X[2000:], K[2000:]),
                               want.predict_proba(X[2000:], K[2000:]))
    # and "auto" set after fit uses the estimate refreshed by every partial_fit
    m.set_params(tau="auto")
    np.testing.assert_allclose(m.predict_proba(X[2000:], K[2000:]),
                               _fitted().predict_proba(X[2000:], K[2000:]))
    assert clone(m).get_params()["tau"] == "auto"
    back = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(back.predict_proba(X[:5], K[:5]),
                                  m.predict_proba(X[:5], K[:5]))


@pytest.mark.parametrize("tau", [-1.0, True, "x", float("nan")])
def test_a_bad_tau_set_after_fit_is_refused(tau):
    m = _fitted(tau=5.0)
    m.set_params(tau=tau)
    for call in (lambda: m.predict_proba(X[:5], K[:5]),
                 lambda: m.partial_fit(X[:5], Y[:5], K[:5])):
        with pytest.raises(InvalidParameterError, match="'tau' parameter"):
            call()


def test_max_keys_lowered_after_fit_bounds_the_keys_held():
    m = _fitted()
    assert m.n_keys_ == 20
    m.set_params(max_keys=5)
    m.partial_fit(X[2000:2005], Y[2000:2005], K[2000:2005])
    assert m.n_keys_ <= 5
    assert m.n_evicted_ == 15
    # the batch's keys are kept
    assert all(m.local_state(int(k)) is not None for k in K[2000:2005])
    m.set_params(max_keys=0)
    with pytest.raises(InvalidParameterError, match="'max_keys' parameter"):
        m.partial_fit(X[:5], Y[:5], K[:5])


def test_a_switch_to_a_model_per_key_after_bias_keys_is_refused_clearly():
    sgd = SGDClassifier(loss="log_loss", random_state=0)
    m = TwoTier(sgd).fit(X[:1000], Y[:1000])
    m.partial_fit(X[1000:2000], Y[1000:2000], K[1000:2000])
    m.set_params(local="blend")  # was a raw KeyError at predict_proba
    # the global tier alone reads no local parameter
    np.testing.assert_array_equal(m.predict_proba(X[:5]), m.global_model_.predict_proba(X[:5]))
    with pytest.raises(InvalidParameterError, match=r"'local' parameter.*reset_local"):
        m.predict_proba(X[:5], K[:5])
    with pytest.raises(InvalidParameterError, match=r"'local' parameter.*reset_local"):
        m.partial_fit(X[:5], Y[:5], K[:5])
    m.reset_local()
    m.partial_fit(X[1000:2000], Y[1000:2000], K[1000:2000])
    assert m.local_state(int(K[1000]))["model"] is not None
    # from a model per key back to "bias": the counts are kept, it works
    m.set_params(local="bias", tau=10.0)
    bias = TwoTier(sgd, tau=10.0).fit(X[:1000], Y[:1000])
    bias.partial_fit(X[1000:2000], Y[1000:2000], K[1000:2000])
    np.testing.assert_allclose(m.predict_proba(X[2000:], K[2000:]),
                               bias.predict_proba(X[2000:], K[2000:]))
