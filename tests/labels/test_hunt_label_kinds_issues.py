"""Confident learning refuses labels of two kinds instead of merging classes.

``np.asarray([True, 1, 0, False])`` holds the ints ``[1, 1, 0, 0]`` and
``np.asarray(["1", 1])`` two ``"1"``; a dict lookup finds ``True`` under the
class ``1``. So ``find_label_issues``, ``estimate_noise_matrix``,
``label_quality``, ``confident_joint`` and ``out_of_fold_proba`` scored a
flag as the class 1 (or "1" and 1 as one class) without a word. Classes of
text and numbers (``[0, "b"]``) stay supported: they are kept apart.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    confident_joint,
    estimate_noise_matrix,
    find_label_issues,
    label_quality,
    majority_vote,
    out_of_fold_proba,
)

P = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])
P3 = np.array([[.8, .1, .1], [.7, .2, .1], [.1, .8, .1], [.2, .7, .1], [.1, .1, .8],
               [.1, .2, .7]])
Y = [0, 0, 0, 1, 1, 1]
FLAGS = [bool(v) for v in Y]
CL = [find_label_issues, estimate_noise_matrix, label_quality, confident_joint]


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _crowd_result():
    rows = [[t, w, t % 2] for t in range(6) for w in range(3)]
    return majority_vote(rows, rng=0)


ONE_KIND = r"must be labels of one kind \(all text, all numbers or all booleans"
SAME = r"must be labels of the same kind as '{}''s \({}"
REFUSALS = [
    # (y, y_proba, classes, argument, shown)
    ([True, 1, 0, False, 1, 0], P, None, "y", ONE_KIND, "booleans and numbers (True and 1)"),
    (_objects([True, 1, 0, False, 1, 0]), P, None, "y", ONE_KIND,
     "booleans and numbers (True and 1)"),
    (["1", 1, "0", 0, 1, 0], P, None, "y", ONE_KIND, "text and numbers ('1' and 1)"),
    ([True, False, 2, 2, True, False], P3, None, "y", ONE_KIND,
     "booleans and numbers (True and 2)"),
    (FLAGS, P, [0, 1], "y", SAME.format("classes", "numbers"), "booleans such as False"),
    (np.array(FLAGS), P, [0.0, 1.0], "y", SAME.format("classes", "numbers"),
     "booleans such as False"),
    (Y, P, [False, True], "y", SAME.format("classes", "booleans"), "numbers such as 0"),
    ([0, 0, 1, 1, 2, 2], P3, [False, True, 2], "classes", r"must be labels that are not "
     r"booleans and numbers at once", "booleans and numbers (False and 2)"),
    ([True] * 6, P, [True, 2], "classes", r"must be labels that are not "
     r"booleans and numbers at once", "booleans and numbers (True and 2)"),
    (FLAGS, "crowd", None, "y", SAME.format("y_proba.classes", "numbers"),
     "booleans such as False"),
]


@pytest.mark.parametrize("fn", CL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("y", "proba", "classes", "name", "expected", "shown"), REFUSALS)
def test_labels_of_two_kinds_are_refused_by_name(fn, y, proba, classes, name, expected, shown):
    proba = _crowd_result() if isinstance(proba, str) else proba
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of {fn.__name__} {expected}") as err:
        fn(y, proba, classes=classes)
    assert f"Got {shown} instead" in str(err.value)


X = np.random.default_rng(0).normal(size=(20, 2))


@pytest.mark.parametrize(
    ("y", "shown"),
    [
        ([True, 1, 0, False] * 5, "booleans and numbers (True and 1)"),
        (_objects([True, 1, 0, False] * 5), "booleans and numbers (True and 1)"),
        (["1", 1, "0", 0] * 5, "text and numbers ('1' and 1)"),
    ],
)
def test_out_of_fold_proba_refuses_labels_of_two_kinds(y, shown):
    with pytest.raises(InvalidParameterError,
                       match=r"The 'y' parameter of out_of_fold_proba must be labels of one kind"
                       ) as err:
        out_of_fold_proba(LogisticRegression(), X, y, cv=2, rng=0)
    assert f"Got {shown} instead" in str(err.value)


ENCODINGS = {
    "int": lambda v: [int(x) for x in v],
    "str": lambda v: [str(x) for x in v],
    "bool": lambda v: [bool(x) for x in v],
    "float": lambda v: [float(x) for x in v],
    "int+float": lambda v: [float(x) if i % 2 else int(x) for i, x in enumerate(v)],
    "np.int64+int": lambda v: [np.int64(x) if i % 2 else int(x) for i, x in enumerate(v)],
    "int+float objects": lambda v: _objects([float(x) if i % 2 else int(x)
                                             for i, x in enumerate(v)]),
}
Y_NOISY = [0, 0, 0, 1, 1, 1, 0, 1]
P_NOISY = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.6, .4], [.7, .3],
                    [.4, .6]])


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("with_classes", [False, True])
def test_labels_of_one_kind_give_the_same_answers(encoding, with_classes):
    enc = ENCODINGS[encoding]
    expected = find_label_issues(Y_NOISY, P_NOISY)
    classes = enc([0, 1]) if with_classes else None
    res = find_label_issues(enc(Y_NOISY), P_NOISY, classes=classes)
    assert res.indices.tolist() == expected.indices.tolist()
    assert res.given_labels.tolist() == enc(expected.given_labels.tolist())
    assert res.suggested_labels.tolist() == enc(expected.suggested_labels.tolist())
    np.testing.assert_array_equal(res.noise.confident_joint, expected.noise.confident_joint)
    np.testing.assert_array_equal(label_quality(enc(Y_NOISY), P_NOISY, classes=classes),
                                  label_quality(Y_NOISY, P_NOISY))
    np.testing.assert_array_equal(
        estimate_noise_matrix(enc(Y_NOISY), P_NOISY, classes=classes).noise_matrix,
        estimate_noise_matrix(Y_NOISY, P_NOISY).noise_matrix)


# an object array of ints and floats is a target type scikit-learn does not split
@pytest.mark.parametrize("encoding", sorted(set(ENCODINGS) - {"int+float objects"}))
def test_out_of_fold_proba_of_one_kind_as_before(encoding):
    y = [int(v) for v in X[:, 0] > 0]
    expected = out_of_fold_proba(LogisticRegression(), X, y, cv=2, rng=0)
    got = out_of_fold_proba(LogisticRegression(), X, ENCODINGS[encoding](y), cv=2, rng=0)
    np.testing.assert_allclose(got, expected)


def test_classes_of_text_and_numbers_still_work():
    y = _objects([0, 0, 0, "b", "b", "b"])
    res = find_label_issues(y, P, classes=[0, "b"])
    assert res.indices.tolist() == [2]
    assert res.given_labels.tolist() == [0]
