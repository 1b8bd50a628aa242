"""A model or sampler without ``get_params`` is deep-copied for each fit, not reused.

``seeded_clone`` returned such an object as it was: every split fitted the one
object, so its own state (a generator, what an earlier fit learned) ran on
from split to split and into the caller's object, and the answer depended on
earlier calls with the same object.
"""

from __future__ import annotations

import threading

import numpy as np

from mllifecycle._estimators import seeded_clone
from mllifecycle.labels import out_of_fold_proba


class _NoisyCentroids:
    """A plain classifier (no get_params) whose fit draws from its own generator."""

    def __init__(self) -> None:
        self.gen = np.random.default_rng(0)
        self.fits = 0

    def fit(self, X, y):
        self.fits += 1
        self.classes_ = np.unique(y)
        self.centres_ = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        self.centres_ = self.centres_ + self.gen.normal(scale=0.5, size=self.centres_.shape)
        return self

    def predict_proba(self, X):
        d = ((X[:, None, :] - self.centres_[None]) ** 2).sum(axis=2)
        e = np.exp(-(d - d.min(axis=1, keepdims=True)))
        return e / e.sum(axis=1, keepdims=True)


def _data():
    gen = np.random.default_rng(1)
    X = gen.normal(size=(120, 3))
    y = (X[:, 0] + 0.5 * gen.normal(size=120) > 0).astype(int)
    return X, y


def test_seeded_clone_copies_an_object_without_get_params():
    m = _NoisyCentroids()
    c = seeded_clone(m, 3)
    assert c is not m
    assert isinstance(c, _NoisyCentroids)
    c.fit(*_data())
    assert m.fits == 0
    assert not hasattr(m, "centres_")


def test_an_object_that_cannot_be_copied_is_used_as_it_is():
    class _Locked(_NoisyCentroids):
        def __init__(self) -> None:
            super().__init__()
            self.lock = threading.Lock()  # deepcopy refuses a lock

    m = _Locked()
    assert seeded_clone(m, 3) is m


def test_the_same_object_twice_gives_the_answer_of_a_fresh_one():
    X, y = _data()
    m = _NoisyCentroids()
    first = out_of_fold_proba(m, X, y, cv=3, rng=0)
    second = out_of_fold_proba(m, X, y, cv=3, rng=0)
    fresh = out_of_fold_proba(_NoisyCentroids(), X, y, cv=3, rng=0)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, fresh)
    assert m.fits == 0  # the caller's object is left as it was
