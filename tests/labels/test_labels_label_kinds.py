"""Labels of two kinds are refused by ActiveLearner and self-training, naming the argument.

``np.asarray([True, 1, 0, False])`` holds the ints ``[1, 1, 0, 0]`` and
``True == 1``, so the check "does NumPy store the labels as given?" let a
flag and a count through as one class: ``ActiveLearner.fit`` with such
initial labels, ``teach`` with ``True`` answers joined to integer labels,
and ``SelfTraining``/``pseudo_label_gain``/``spread_labels`` with a list
``y`` mixing bools and ints (the unlabelled marker ``-1`` included) all
trained on merged classes. Ints and floats are one kind (numbers).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, SelfTraining, margin, pseudo_label_gain, spread_labels

X = np.random.default_rng(0).normal(size=(30, 2))


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _learner(y_init=None):
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, rng=0)
    if y_init is None:
        return learner.fit(X[4:])
    return learner.fit(X[4:], X[:4], y_init)


def _fit(y_init):
    return lambda: _learner(y_init)


def _teach(y_init, answers):
    return lambda: _learner(y_init).teach([0, 1], answers)


def _unlabelled(labelled, marker=None):
    return list(labelled) + [marker] * (30 - len(labelled))


def _self_training(y):
    return lambda: SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1).fit(X, y)


def _gain(y):
    return lambda: pseudo_label_gain(SelfTraining(LogisticRegression()), X, y, cv=2,
                                     n_repeats=1, rng=0)


def _spread(y):
    return lambda: spread_labels(X, y)


FLAGS_AND_COUNTS = [True, 1, 0, False]
ONE_KIND = r"must be labels of one kind \(all text, all numbers or all booleans\)"
ANSWERS = r"must be answers of one kind \(all text, all numbers or all booleans\)"
BESIDES = ONE_KIND + r" besides the unlabelled marker"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (_fit(FLAGS_AND_COUNTS),
         rf"'y_labelled' parameter of ActiveLearner.fit {ONE_KIND}\. "
         r"Got booleans and numbers \(True and 1\)"),
        (_fit(_objects([1, np.int64(1), True, 0])),
         rf"'y_labelled' parameter of ActiveLearner.fit {ONE_KIND}\. "
         r"Got numbers and booleans \(1 and True\)"),
        (_fit(("a", 1, "b", 2)),
         rf"'y_labelled' parameter of ActiveLearner.fit {ONE_KIND}\. "
         r"Got text and numbers \('a' and 1\)"),
        # one kind, yet rounded by NumPy: 2**53 + 1 next to a float is 2**53
        (_fit([2**53 + 1, 0.5, 1, 0.5]),
         r"'y_labelled' parameter of ActiveLearner.fit must be labels NumPy stores as given "
         r".*Got 9007199254740993, stored as 9007199254740992\.0"),
        (_teach(None, [True, 1]),
         rf"'labels' parameter of ActiveLearner.teach {ANSWERS}\. "
         r"Got booleans and numbers \(True and 1\)"),
        (_teach([0, 1, 0, 1], [True, False]),
         r"'labels' parameter of ActiveLearner.teach must be answers of the type of the labels "
         r"so far \(int64, e.g. 0\)\. Got True \(bool\)"),
        (_teach(np.array([True, False, True, False]), [1, 0]),
         r"'labels' parameter of ActiveLearner.teach must be answers of the type of the labels "
         r"so far \(bool, e.g. True\)\. Got 1 \(int64\)"),
        (_self_training(_unlabelled(FLAGS_AND_COUNTS * 2, -1)),
         rf"'y' parameter of SelfTraining {BESIDES}\. Got booleans and numbers \(True and 1\)"),
        (_self_training(_objects(_unlabelled(FLAGS_AND_COUNTS * 2))),
         rf"'y' parameter of SelfTraining {BESIDES}\. Got booleans and numbers"),
        (_gain(_unlabelled(FLAGS_AND_COUNTS * 2, -1)),
         rf"'y' parameter of pseudo_label_gain {BESIDES}\. Got booleans and numbers"),
        (_spread(_unlabelled(FLAGS_AND_COUNTS * 2, -1)),
         rf"'y' parameter of spread_labels {BESIDES}\. Got booleans and numbers"),
        (_spread(_objects(_unlabelled([0, "a"] * 4))),
         rf"'y' parameter of spread_labels {BESIDES}\. Got numbers and text \(0 and 'a'\)"),
    ],
)
def test_labels_of_two_kinds_are_refused_by_name(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_teach_refused_answers_teach_nothing():
    learner = _learner([0, 1, 0, 1])
    with pytest.raises(InvalidParameterError, match="'labels'"):
        learner.teach([0, 1], [True, 1])
    assert learner.n_bought_ == 0
    assert learner.labelled_indices_.tolist() == []


ENCODINGS = {
    "int": lambda v: [int(x) for x in v],
    "str": lambda v: [str(x) for x in v],
    "bool": lambda v: [bool(x) for x in v],
    "float": lambda v: [float(x) for x in v],
    "np.int64+int": lambda v: [np.int64(x) if i % 2 else int(x) for i, x in enumerate(v)],
    "int+float objects": lambda v: _objects([float(x) if i % 2 else int(x)
                                             for i, x in enumerate(v)]),
}
TRUTH = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_active_learner_reads_labels_of_one_kind_as_before(encoding):
    enc = ENCODINGS[encoding]
    expected = _learner(TRUTH[:4].tolist()).teach([0, 1], TRUTH[4:6].tolist())
    learner = _learner(enc(TRUTH[:4])).teach([0, 1], enc(TRUTH[4:6]))
    classes = learner.estimator_.classes_.tolist()
    assert classes == sorted(set(enc([0, 1])))
    np.testing.assert_allclose(learner.estimator_.predict_proba(X),
                               expected.estimator_.predict_proba(X))


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_self_training_reads_labels_of_one_kind_as_before(encoding):
    enc = ENCODINGS[encoding]
    expected = spread_labels(X, _unlabelled(TRUTH[:10].tolist(), None))
    y = _objects(_unlabelled(list(enc(TRUTH[:10])), None))
    res = spread_labels(X, y)
    assert res.classes.tolist() == sorted(set(enc([0, 1])))
    np.testing.assert_allclose(res.proba, expected.proba)
    st = SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1).fit(X, y)
    assert st.classes_.tolist() == sorted(set(enc([0, 1])))


def test_bool_labels_with_the_default_marker_keep_their_kind():
    # np.asarray([True, False, -1]) is [1, 0, -1]: the classes were the ints 0 and 1
    y = _unlabelled([bool(v) for v in TRUTH[:10]], -1)
    assert spread_labels(X, y).classes.tolist() == [False, True]
    st = SelfTraining(LogisticRegression(), guard_cv=None, max_iter=1).fit(X, y)
    assert st.classes_.tolist() == [False, True]
