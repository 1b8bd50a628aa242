"""Same numbers in any container give the same two-tier answers.

``TwoTier`` (fit, partial_fit, predict_proba, predict, score) and
``replay_keyed`` are run on one small stream held as NumPy float64 arrays (the
reference) and in the other containers a user may pass for ``X``, ``y`` and
``keys``. The answers must be bit-identical (float32 ``X``: close) and the
caller's inputs unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from _containers import matrices, same_answers, vectors
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.twotier import TwoTier, replay_keyed

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")








def part(a: object, i: int, j: int) -> object:
    if isinstance(a, pd.DataFrame | pd.Series):
        return a.iloc[i:j]
    return a[i:j]  # type: ignore[index]





RNG = np.random.default_rng(0)
N = 240
X = RNG.normal(size=(N, 3))
KEYS = RNG.integers(0, 6, N)
Y = (X[:, 0] + (KEYS % 2) * 1.5 - 0.75 > 0).astype(int)

LOCALS = {
    "bias": lambda: TwoTier(LogisticRegression()),
    "blend": lambda: TwoTier(SGDClassifier(loss="log_loss", random_state=0), local="blend"),
    "partial_fit": lambda: TwoTier(SGDClassifier(loss="log_loss", random_state=0),
                                   local="partial_fit"),
}


def answers(make, X=X, y=Y, keys=KEYS):
    m = make().fit(part(X, 0, 80), part(y, 0, 80))
    m.partial_fit(part(X, 80, 160), part(y, 80, 160), part(keys, 80, 160))
    Xt, yt, kt = part(X, 160, N), part(y, 160, N), part(keys, 160, N)
    proba = m.predict_proba(Xt, kt)
    return np.concatenate([proba.ravel(), m.predict(Xt, kt), [m.score(Xt, yt, keys=kt)]])


def _check_all(fn, kinds, *, tol32=None):
    same_answers(fn, fn(None), kinds, tol32=tol32)


@pytest.mark.parametrize("local", list(LOCALS))
def test_two_tier_X_in_every_container(local):
    # a Fortran-ordered X gave probabilities 1.1e-16 off those of C order
    make = LOCALS[local]
    kinds = matrices(X, tuples=False, lazy=False)
    X32 = kinds.pop("float32")
    _check_all(lambda c: answers(make) if c is None else answers(make, X=c), kinds)
    # float32 rows are other numbers (an SGD model moves with them): they give
    # exactly the answer of the same numbers in float64
    np.testing.assert_array_equal(answers(make, X=X32),
                                  answers(make, X=np.asarray(X32, dtype=np.float64)))


@pytest.mark.parametrize("local", list(LOCALS))
def test_two_tier_labels_and_keys_in_every_container(local):
    make = LOCALS[local]
    _check_all(lambda c: answers(make) if c is None else answers(make, y=c), vectors(Y))
    _check_all(lambda c: answers(make) if c is None else answers(make, keys=c), vectors(KEYS))
    names = np.array(list("abcdef"))[KEYS]
    text = {"object": names.astype(object), "pandas_string": pd.Series(names, dtype="string"),
            "category": pd.Series(names).astype("category"), "polars": pl.Series(names)}
    _check_all(lambda c: answers(make, keys=names) if c is None else answers(make, keys=c),
               text)


def test_replay_keyed_in_every_container():
    def run(X=X, y=Y, keys=KEYS):
        r = replay_keyed(X, y, keys, LogisticRegression(), initial_train_size=80,
                         batch_size=40)
        return np.array([*r.accuracy.values(), r.n_evaluated, r.retrains,
                         *[v for g in r.by_group.values() for v in g.values()]])

    _check_all(lambda c: run() if c is None else run(X=c),
               matrices(X, tuples=False, lazy=False), tol32=1e-5)
    _check_all(lambda c: run() if c is None else run(y=c), vectors(Y))
    _check_all(lambda c: run() if c is None else run(keys=c), vectors(KEYS))
