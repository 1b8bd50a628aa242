"""TwoTier refuses labels and keys of two kinds instead of merging them.

``np.asarray([True, 1, 0])`` holds the ints ``[1, 1, 0]`` and
``np.asarray(["1", 1])`` two ``"1"``: ``fit`` trained on merged classes;
``partial_fit`` and ``score`` counted boolean labels as the classes 0 and 1;
a refit keeping the local tier took ``[False, True]`` for the kept ``[0,
1]``; and keys ``True`` and ``1`` shared one local model.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
Y = (X[:, 0] > 0).astype(int)
KEYS = np.arange(40) % 4
MIXED = [True if v == 1 and i % 2 else int(v) for i, v in enumerate(Y)]


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _fitted(**kw):
    return TwoTier(LogisticRegression(), **kw).fit(X, Y)


ONE_KIND = r"must be labels of one kind \(all text, all numbers or all booleans\)"
SAME = r"must be labels of the same kind as 'classes_''s \({}"
KEYS_ONE = r"must be keys of one type \(booleans and numbers are not told apart: True == 1\)"

REFUSALS = [
    # (call, argument, caller, expected, shown)
    (lambda: TwoTier(LogisticRegression()).fit(X, MIXED), "y", "TwoTier.fit", ONE_KIND,
     "numbers and booleans (1 and True)"),
    (lambda: TwoTier(LogisticRegression()).fit(X, _objects(MIXED)), "y", "TwoTier.fit",
     ONE_KIND, "numbers and booleans (1 and True)"),
    (lambda: TwoTier(LogisticRegression()).fit(X, [str(v) if i % 3 else int(v)
                                                   for i, v in enumerate(Y)]),
     "y", "TwoTier.fit", ONE_KIND, "numbers and text (1 and '1')"),
    (lambda: _fitted().partial_fit(X, Y.astype(bool), KEYS), "y", "TwoTier.partial_fit",
     SAME.format("numbers"), "booleans such as True"),
    (lambda: _fitted().partial_fit(X, MIXED, KEYS), "y", "TwoTier.partial_fit", ONE_KIND,
     "numbers and booleans (1 and True)"),
    (lambda: TwoTier(LogisticRegression()).fit(X, Y.astype(bool)).partial_fit(X, Y, KEYS),
     "y", "TwoTier.partial_fit", SAME.format("booleans"), "numbers such as 1"),
    (lambda: _fitted().score(X, Y.astype(bool)), "y", "TwoTier.score", SAME.format("numbers"),
     "booleans such as True"),
    (lambda: _fitted().score(X, MIXED, keys=KEYS), "y", "TwoTier.score", ONE_KIND,
     "numbers and booleans (1 and True)"),
    (lambda: _fitted(reset_on_refit=False).partial_fit(X, Y, KEYS).fit(X, Y.astype(bool)),
     "y", "TwoTier.fit", SAME.format("numbers"), "booleans such as True"),
    (lambda: _fitted().partial_fit(X, Y, [True, 1, 0, False] * 10), "keys",
     "TwoTier.partial_fit", KEYS_ONE, "booleans and numbers (True and 1)"),
    (lambda: _fitted().partial_fit(X, Y, KEYS).predict_proba(X, [1, np.True_] * 20), "keys",
     "TwoTier.predict_proba", KEYS_ONE, "numbers and booleans (1 and True)"),
]


@pytest.mark.parametrize(("call", "name", "caller", "expected", "shown"), REFUSALS)
def test_labels_and_keys_of_two_kinds_are_refused_by_name(call, name, caller, expected, shown):
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of {caller} {expected}") as err:
        call()
    assert f"Got {shown} instead" in str(err.value)


ENCODINGS = {
    "int": lambda v: [int(x) for x in v],
    "str": lambda v: [str(x) for x in v],
    "bool": lambda v: [bool(x) for x in v],
    "float": lambda v: [float(x) for x in v],
    "int+float": lambda v: [float(x) if i % 2 else int(x) for i, x in enumerate(v)],
    "np.int64+int": lambda v: [np.int64(x) if i % 2 else int(x) for i, x in enumerate(v)],
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_labels_of_one_kind_as_before(encoding):
    enc = ENCODINGS[encoding]
    ref = _fitted().partial_fit(X[:20], Y[:20], KEYS[:20])
    m = TwoTier(LogisticRegression()).fit(X, enc(Y)).partial_fit(X[:20], enc(Y[:20]),
                                                                 KEYS[:20])
    assert m.classes_.tolist() == enc([0, 1])
    np.testing.assert_allclose(m.predict_proba(X, KEYS), ref.predict_proba(X, KEYS))
    assert m.score(X, enc(Y), keys=KEYS) == ref.score(X, Y, keys=KEYS)
    assert m.predict(X, KEYS).tolist() == enc(ref.predict(X, KEYS).tolist())


@pytest.mark.parametrize(
    "keys",
    [[True, False] * 20, [1, np.int64(2)] * 20, (KEYS % 2).tolist()],
    ids=["bool", "int+np.int64", "int"],
)
def test_keys_of_one_kind_as_before(keys):
    as_ints = [int(k) for k in keys]
    ref = _fitted().partial_fit(X, Y, as_ints)
    m = _fitted().partial_fit(X, Y, keys)
    assert m.n_keys_ == ref.n_keys_
    np.testing.assert_allclose(m.predict_proba(X, keys), ref.predict_proba(X, as_ints))


def test_numpy_and_python_booleans_are_one_kind_of_key():
    # refused before as "mixed types ['bool', 'int']"; read as the bool list is (ints)
    keys = [np.True_, False] * 20
    ref = _fitted().partial_fit(X, Y, [True, False] * 20)
    m = _fitted().partial_fit(X, Y, keys)
    assert m.n_keys_ == ref.n_keys_ == 2
    np.testing.assert_allclose(m.predict_proba(X, keys), ref.predict_proba(X, keys))
