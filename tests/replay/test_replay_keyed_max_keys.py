"""replay_keyed with max_keys below the distinct keys the replay feeds the local tier at once."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import replay_keyed

FITS: list[int] = []


class _CountedNB(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        FITS.append(len(y))
        self.m_ = GaussianNB().fit(X, y)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X):
        return self.m_.predict(X)

    def predict_proba(self, X):
        return self.m_.predict_proba(X)


def _stream(n=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.tile([0, 1], n // 2)
    keys = np.zeros(n, dtype=np.int64)
    keys[10:30] = np.arange(20)  # batch [10, 30): 20 distinct keys, 10 per half
    return X, y, keys


def test_too_many_keys_per_chunk_refused_before_any_training():
    # before: TwoTier.partial_fit's error on 'keys' midway, after the global
    # model was fitted and the first batch predicted
    X, y, keys = _stream()
    FITS.clear()
    with pytest.raises(InvalidParameterError,
                       match=r"'max_keys'.*batch_size=20.*rows 10:30 hold 20 distinct keys"):
        replay_keyed(X, y, keys, _CountedNB(), max_keys=10, initial_train_size=10,
                     batch_size=20)
    assert FITS == []


def test_chunks_cut_by_the_label_delay_are_not_refused():
    # with a delay of 10 the labels of batch [10, 30) arrive in two chunks of
    # 10 keys each: max_keys=10 is enough, and the replay runs
    X, y, keys = _stream()
    r = replay_keyed(X, y, keys, GaussianNB(), max_keys=10, initial_train_size=10,
                     batch_size=20, label_delay=10)
    assert r.n_evaluated == 40
    with pytest.raises(InvalidParameterError, match="'max_keys'"):
        replay_keyed(X, y, keys, GaussianNB(), max_keys=9, initial_train_size=10,
                     batch_size=20, label_delay=10)


# (the random delays may exceed the stream: replay_keyed then warns that no label arrives)
@pytest.mark.filterwarnings("ignore:replay_keyed. label_delay=.*no label arrives")
@pytest.mark.parametrize("seed", range(40))
def test_refused_exactly_when_a_chunk_would_fail(seed):
    # the up-front check cuts the chunks as the loop does: every accepted
    # replay runs to the end (never the local tier's error), and a replay
    # with max_keys raised to the largest chunk's keys is accepted
    rng = np.random.default_rng(seed)
    n, init = int(rng.integers(60, 200)), int(rng.integers(20, 40))
    bs, delay = int(rng.integers(1, 50)), int(rng.integers(0, 60))
    X = rng.normal(size=(n, 2))
    y = np.tile([0, 1], n // 2 + 1)[:n]
    keys = rng.integers(0, int(rng.integers(2, 30)), n)
    kw = {"initial_train_size": init, "batch_size": bs, "label_delay": delay}
    mk = int(rng.integers(1, 20))
    refused = None
    try:
        replay_keyed(X, y, keys, GaussianNB(), max_keys=mk, **kw)
    except InvalidParameterError as exc:
        refused = str(exc)
    if refused is not None:
        assert "'max_keys'" in refused
        needed = int(refused.split(" hold ")[1].split()[0])
        assert needed > mk
        replay_keyed(X, y, keys, GaussianNB(), max_keys=needed, **kw)
