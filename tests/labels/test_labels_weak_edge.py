"""Weak supervision on inputs the main tests do not cover: each case once returned a
wrong answer or a raw error."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import LabelModel, apply, labeling_function


def test_dawid_skene_unsmoothed_unseen_vote_is_not_nan(votes):
    # smoothing=0 is allowed; a vote never seen in fit has probability 0 under
    # every class, which must not turn into a NaN posterior
    L = votes()
    train = L.copy()
    train[:, 0] = np.where(L[:, 0] == 1, -1, L[:, 0])  # lf 0 never votes 1 in fit
    model = LabelModel(smoothing=0.0, rng=0).fit(train)
    with pytest.raises(InvalidParameterError, match=r"'L' parameter.*smoothing"):
        model.predict_proba(L)
    # the rows it can explain are still finite and sum to 1
    proba = model.predict_proba(train)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("method", ["dawid_skene", "matrix_completion", "majority_vote"])
def test_label_model_refuses_a_single_class_label_matrix(method):
    # a vectorised function with NaN for abstain votes floats: only 1.0 is
    # ever voted, so the label matrix has one class and every example would be
    # "class 1.0 with probability 1"
    lf = labeling_function(vectorized=True)(lambda X: np.where(X > 2, 1.0, np.nan))
    L = apply([lf], np.arange(8))
    with pytest.raises(InvalidParameterError, match=r"at least 2 classes.*\[1\.0\]"):
        LabelModel(method=method).fit(L)
    # naming the classes fixes it
    L2 = apply([lf], np.arange(8), classes=[0.0, 1.0])
    assert LabelModel(method=method).fit(L2).predict_proba(L2).shape == (8, 2)


BAD_L = [
    ("inf vote", np.array([[0.0, np.inf], [1.0, -1.0]]), r"finite integer votes.*inf"),
    ("-inf vote", np.array([[0.0, -np.inf], [1.0, -1.0]]), r"finite integer votes.*inf"),
    ("huge float vote", np.array([[0.0, 1e300], [1.0, -1.0]]),
     r"votes below 2\*\*62.*1e\+300"),
    ("huge negative vote", np.array([[0.0, -1e300], [1.0, -1.0]]),
     r"votes below 2\*\*62.*-1e\+300"),
    ("huge uint vote", np.array([[0, 2**63 + 5], [1, 0]], dtype=np.uint64),
     r"votes below 2\*\*62.*9223372036854775813"),
]


@pytest.mark.parametrize(("case", "L", "match"), BAD_L, ids=[b[0] for b in BAD_L])
def test_label_matrix_errors_name_the_value_given(case, L, match):
    with pytest.raises(InvalidParameterError, match=r"'L' parameter.*" + match):
        LabelModel().fit(L)


def test_apply_classes_of_mixed_types():
    # np.asarray([0, "a"]) would turn the class 0 into the string "0"
    L = apply([lambda x: "a" if x % 2 else 0], np.arange(4), classes=[0, "a"])
    assert L.classes.tolist() == [0, "a"]
    assert L.values[:, 0].tolist() == [0, 1, 0, 1]


def _spam_lfs():
    return [lambda s: "spam" if "win" in s else ("eggs" if "egg" in s else -1),
            lambda s: "ham" if "meet" in s else -1,
            lambda s: "spam" if "cash" in s else -1]


@pytest.mark.parametrize("method", ["dawid_skene", "matrix_completion", "majority_vote"])
def test_label_model_reads_a_label_matrix_by_its_class_names(method):
    lfs = _spam_lfs()
    train = apply(lfs, ["win cash", "meet up", "win a meet", "egg", "cash", "meet"] * 5)
    model = LabelModel(method=method, rng=0).fit(train)
    batch = ["win cash", "egg", "cash", "meet"]
    expected = model.predict_proba(apply(lfs, batch))
    # the same votes under another class order: the columns follow classes_, not the
    # batch's own order
    reordered = apply(lfs, batch, classes=["spam", "ham", "eggs"])
    np.testing.assert_allclose(model.predict_proba(reordered), expected)
    assert model.predict(reordered).tolist() == model.predict(apply(lfs, batch)).tolist()
    # a batch that votes only some of the classes
    sub = ["win cash", "meet", "cash"]
    np.testing.assert_allclose(model.predict_proba(apply(lfs, sub)),
                               model.predict_proba(apply(lfs, sub, classes=train.classes)))
    assert model.predict(apply(lfs, sub)).tolist() == ["spam", "ham", "spam"]


def test_label_model_refuses_a_label_matrix_voting_an_unknown_class():
    lfs = _spam_lfs()
    model = LabelModel(method="majority_vote").fit(apply(lfs, ["win", "meet", "egg"] * 5))
    other = apply([lambda s: "junk" if "x" in s else "spam"] * 3, ["x", "y"])
    with pytest.raises(InvalidParameterError,
                       match=r"'L' parameter.*classes \['eggs', 'ham', 'spam'\].*'junk'"):
        model.predict(other)


@pytest.mark.parametrize(
    ("lfs", "match"),
    [
        # 1 from one function and "1" from another were two classes ['1', 'a', 0, 1]
        ([lambda x: 1 if x % 2 else 0, lambda x: "1" if x % 2 else "a"],
         r"'lfs' parameter of apply must be votes of one type per class.*"
         r"Got votes '1' and 1, which read the same"),
        ([lambda x: 1.5 if x % 2 else -1, lambda x: "1.5" if x % 3 else "b"],
         r"'lfs' parameter of apply.*Got votes '1\.5' and 1\.5, which read the same"),
    ],
)
def test_apply_refuses_two_spellings_of_one_vote(lfs, match):
    with pytest.raises(InvalidParameterError, match=match):
        apply(lfs, np.arange(6))


def test_apply_keeps_distinct_votes_of_mixed_types():
    L = apply([lambda x: 1 if x % 2 else 0, lambda x: "b" if x % 2 else "a"], np.arange(4))
    assert L.classes.tolist() == ["a", "b", 0, 1]
