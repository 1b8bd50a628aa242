"""Weak supervision refuses booleans beside numbers instead of merging them.

``True == 1``: ``apply`` made one class of a ``True`` vote and a ``1`` vote,
read boolean votes as ``classes=[0, 1]`` (and ``[False, True, 2]`` became
``[0, 1, 2]``); ``analyze`` scored boolean gold labels against integer
classes; ``LabelModel`` predicted a label matrix of classes ``[False,
True]`` with a model fitted on ``[0, 1]`` (``[False, True] == [0, 1]``) and
scored boolean ``y`` against integer predictions. Votes of text and numbers
that do not collide stay supported.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelModel, analyze, apply

X = list(range(8))


def _vectorized(fn):
    fn.vectorized = True
    return fn


def _parity(x):
    return x % 2


def _flag(x):
    return bool(x % 2)


L_INT = apply([_parity, lambda x: int(x % 3 == 0)], X)
L_BOOL = apply([_flag, lambda x: x % 3 == 0], X)
GOLD = [x % 2 for x in X]
SAME = r"must be {} of the same kind as '{}''s \({}"
FLAGS = r"must be {} that are not booleans and numbers at once"

REFUSALS = [
    # (call, argument, caller, expected, shown)
    (lambda: apply([lambda x: True if x % 2 else 0, lambda x: 1 if x % 2 else False], X),
     "lfs", "apply", FLAGS.format("votes"), "numbers and booleans (0 and True)"),
    (lambda: apply([_flag], X, classes=[0, 1]), "lfs", "apply",
     SAME.format("votes", "classes", "numbers"), "booleans such as False"),
    (lambda: apply([_vectorized(lambda xs: np.asarray(xs) % 2 == 1)], X, classes=[0, 1]),
     "lfs", "apply", SAME.format("votes", "classes", "numbers"), "booleans such as False"),
    (lambda: apply([_parity], X, classes=[False, True]), "lfs", "apply",
     SAME.format("votes", "classes", "booleans"), "numbers such as 0"),
    (lambda: apply([lambda x: x % 3], X, classes=[False, True, 2]), "classes", "apply",
     FLAGS.format("labels"), "booleans and numbers (False and 2)"),
    (lambda: analyze(L_INT, [bool(v) for v in GOLD]), "y", "analyze",
     SAME.format("gold labels", "L", "numbers"), "booleans such as False"),
    (lambda: analyze(L_BOOL, GOLD), "y", "analyze", SAME.format("gold labels", "L", "booleans"),
     "numbers such as 0"),
    (lambda: analyze(np.asarray(L_INT.values), np.array(GOLD, dtype=bool)), "y", "analyze",
     SAME.format("gold class indices", "L", "numbers"), "booleans such as False"),
    (lambda: analyze(L_INT, [True, 1, 0, False, 1, 0, 1, 0]), "y", "analyze",
     FLAGS.format("labels"), "booleans and numbers (True and 1)"),
    (lambda: LabelModel(method="majority_vote").fit(L_INT).predict(L_BOOL), "L",
     "LabelModel.predict", SAME.format("a label matrix whose classes are", "classes_",
                                       "numbers"), "booleans such as False"),
    (lambda: LabelModel(method="dawid_skene", rng=0).fit(L_BOOL).predict_proba(L_INT), "L",
     "LabelModel.predict_proba", SAME.format("a label matrix whose classes are", "classes_",
                                             "booleans"), "numbers such as 0"),
    (lambda: LabelModel(method="majority_vote").fit(L_INT).score(L_INT, [bool(v) for v in GOLD]),
     "y", "LabelModel.score", SAME.format("labels", "classes_", "numbers"),
     "booleans such as False"),
    (lambda: LabelModel(method="majority_vote").fit(L_INT).score(L_INT, [True, 1, *GOLD[2:]]),
     "y", "LabelModel.score", FLAGS.format("labels"), "booleans and numbers (True and 1)"),
    (lambda: LabelModel(method="majority_vote").fit(L_BOOL).score(L_BOOL, GOLD), "y",
     "LabelModel.score", SAME.format("labels", "classes_", "booleans"), "numbers such as 0"),
]


@pytest.mark.parametrize(("call", "name", "caller", "expected", "shown"), REFUSALS)
def test_booleans_beside_numbers_are_refused_by_name(call, name, caller, expected, shown):
    with pytest.raises(InvalidParameterError) as err:
        call()
    msg = str(err.value)
    # predict reaches the check through predict_proba, which it names
    assert f"The '{name}' parameter of {caller}" in msg
    assert re.search(expected, msg), msg
    assert f"Got {shown} instead" in msg


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


ENCODINGS = {
    "int": int,
    "str": str,
    "bool": bool,
    "float": float,
    "np.int64": np.int64,
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("with_classes", [False, True])
def test_votes_of_one_kind_as_before(encoding, with_classes):
    enc = ENCODINGS[encoding]
    lfs = [lambda x: enc(x % 2), lambda x: enc(int(x % 3 == 0)) if x % 4 else ABSTAIN]
    classes = [enc(0), enc(1)] if with_classes else None
    L = apply(lfs, X, classes=classes)
    base = apply([lambda x: x % 2, lambda x: int(x % 3 == 0) if x % 4 else ABSTAIN], X)
    assert L.values.tolist() == base.values.tolist()
    assert L.classes.tolist() == [enc(0), enc(1)]
    gold = [enc(v) for v in GOLD]
    a, b = analyze(L, gold), analyze(base, GOLD)
    np.testing.assert_array_equal(a.accuracy, b.accuracy)
    np.testing.assert_array_equal(a.coverage, b.coverage)
    model = LabelModel(method="dawid_skene", rng=0).fit(L)
    ref = LabelModel(method="dawid_skene", rng=0).fit(base)
    np.testing.assert_allclose(model.predict_proba(L), ref.predict_proba(base))
    assert model.score(L, gold) == ref.score(base, GOLD)
    assert [None if v is None else enc(v) for v in ref.predict(base).tolist()] == \
        model.predict(L).tolist()


def test_ints_with_floats_and_numpy_ints_are_one_kind():
    L = apply([lambda x: x % 2, lambda x: float(x % 3 == 0), lambda x: np.int64(x % 2)], X)
    assert L.classes.tolist() == [0, 1]
    gold = _objects([float(v) if i % 2 else np.int64(v) for i, v in enumerate(GOLD)])
    np.testing.assert_array_equal(analyze(L, gold).accuracy, analyze(L, GOLD).accuracy)


def test_votes_of_text_and_numbers_are_still_kept_apart():
    L = apply([lambda x: 1 if x % 2 else 0, lambda x: "b" if x % 2 else "a"], np.arange(4))
    assert L.classes.tolist() == ["a", "b", 0, 1]
