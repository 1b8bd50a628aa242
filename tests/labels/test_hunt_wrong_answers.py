"""Wrong answers returned without an error, found by hunting edge cases.

Each test failed before its fix.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    ABSTAIN,
    ActiveLearner,
    LabelModel,
    SelfTraining,
    analyze,
    apply,
    confident_joint,
    dawid_skene,
    kl_divergence,
    labeling_function,
    majority_vote,
    margin,
    out_of_fold_proba,
    simulate,
    vote_entropy,
    wawa,
)


def test_wawa_weights_are_agreement_with_majority_vote_labels_on_ties():
    """Task 3 is a tie ('a' vs 'b'): majority_vote gives it 'a', the class more
    frequent over all answers (5 of 8), while the mean of the task shares
    favours 'b'. Wawa's weights must be agreement with majority_vote's labels:
    w2 answered 'a' on task 3 (agrees), w3 answered 'b' (disagrees)."""
    answers = [[1, "w1", "a"], [1, "w2", "a"], [1, "w3", "a"], [1, "w4", "a"],
               [1, "w5", "b"], [2, "w1", "b"], [3, "w2", "a"], [3, "w3", "b"]]
    mv = majority_vote(answers, rng=0)
    assert mv.labels.tolist() == ["a", "b", "a"]
    for seed in range(5):
        res = wawa(answers, rng=seed)
        np.testing.assert_array_equal(res.skills, [1.0, 1.0, 0.5, 1.0, 0.0])
        np.testing.assert_array_equal(res.skills, mv.skills)


# messages name ids and labels as the user wrote them (1, 'a'), not their NumPy
# repr (np.int64(1), np.str_('a'))
class _OneClass:
    classes_ = np.array([3])

    def predict_proba(self, X):
        return np.ones((len(X), 1))


_MESSAGES = [
    (lambda: majority_vote(np.array([[1, 2, 0], [1, 2, 1], [2, 3, 1]])),
     "e.g. task 1 by worker 2 instead"),
    (lambda: dawid_skene({"task": np.array([1, 1, 2]), "worker": np.array(["a", "a", "b"]),
                          "label": [0, 1, 1]}),
     "e.g. task 1 by worker 'a' instead"),
    (lambda: margin(_OneClass(), np.zeros((3, 1))), "the single class 3 instead"),
]


@pytest.mark.parametrize(("call", "match"), _MESSAGES)
def test_messages_show_ids_as_python_values(call, match):
    with pytest.raises(InvalidParameterError, match=match) as info:
        call()
    assert "np." not in str(info.value)


def test_lf_analysis_metrics_keep_functions_sharing_a_name():
    """Three functions from one factory are all named 'lf': their metrics were
    keyed by name, so only the last one's survived."""
    def make(word, cls):
        def lf(text):
            return cls if word in text else ABSTAIN
        return lf

    L = apply([make("a", 1), make("b", 0), make("c", 1)], ["a", "b", "c", "ab", "bc"])
    assert L.names == ("lf", "lf", "lf")
    metrics = analyze(L).to_metrics()
    assert [metrics[f"lf_{j}.coverage"] for j in range(3)] == [0.4, 0.6, 0.4]
    assert len(metrics) == 3 + 3 * 3


def test_label_model_predict_breaks_ties_the_same_way_every_call():
    """Every row is a 1-1 tie of equal-balance classes: predict drew the tie
    breaks from a running generator, so a second call (or score, then predict)
    returned other labels than the first."""
    L = np.array([[0, 1], [1, 0]] * 10)
    model = LabelModel(method="majority_vote", rng=0).fit(L)
    first = model.predict(L)
    assert len(set(first.tolist())) == 2  # random ties, not one class
    np.testing.assert_array_equal(model.predict(L), first)
    np.testing.assert_array_equal(model.predict(L[:5]), first[:5])
    # a refit with the same seed gives the same labels again
    np.testing.assert_array_equal(model.fit(L).predict(L), first)


def _member(labels):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit([[-2.0], [-1.0], [1.0], [2.0]], labels)


@pytest.mark.parametrize("strategy", [vote_entropy, kl_divergence])
@pytest.mark.parametrize(("other", "match"), [
    (["0", "0", "1", "1"], r"numbers and text \(0 and '0'\)"),
    ([True, True, False, False], r"numbers and booleans \(0 and False\)"),
])
def test_committee_members_of_two_label_kinds_are_refused(strategy, other, match):
    """A member fitted on 0/1 and one fitted on '0'/'1' (or on flags) had their
    classes pooled as one (np.unique of the concatenation), and were scored as
    agreeing."""
    committee = [_member([0, 0, 1, 1]), _member(other)]
    with pytest.raises(InvalidParameterError, match=rf"'estimator' parameter.*{match}"):
        strategy(committee, np.zeros((3, 1)), rng=0)


def test_committee_members_of_one_label_kind_still_work():
    committee = [_member([0, 0, 1, 1]), _member([0.0, 0.0, 2.0, 2.0])]  # ints and floats
    assert vote_entropy(committee, np.zeros((3, 1)), rng=0).batch_size == 1


_Y_BOOL = (np.arange(40) % 2).astype(bool)


@pytest.mark.parametrize(("y", "match"), [
    # a list: NumPy made True and 1 one class, and the simulation ran on it
    ([True if v else 0 for v in _Y_BOOL[:-2]] + [1, 0], r"numbers and booleans"),
    # an object array: refused, but naming ActiveLearner.fit's 'y_labelled'
    (np.array([True if v else 0 for v in _Y_BOOL], dtype=object), r"numbers and booleans"),
    # ints and text: a raw TypeError from np.unique
    (np.array([1 if v else "0" for v in _Y_BOOL], dtype=object), r"text and numbers"),
])
def test_simulate_refuses_labels_of_two_kinds_naming_y(y, match):
    from sklearn.linear_model import LogisticRegression

    X = np.random.default_rng(0).normal(size=(40, 2))
    with pytest.raises(InvalidParameterError, match=rf"'y' parameter of simulate.*{match}"):
        simulate(X, y, LogisticRegression(), margin, budget=4, batch_size=2, rng=0)


def _forest_data():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (30, 2))]
    y = np.r_[np.zeros(90, int), np.ones(30, int)]
    y_partial = np.where(rng.random(120) < 0.3, y, -1)
    return X, y, y_partial


def _forest():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=5)  # random_state left unset


_SAME_SEED_RUNS = {
    "out_of_fold_proba": lambda X, y, yp: out_of_fold_proba(_forest(), X, y, rng=0),
    "SelfTraining": lambda X, y, yp: SelfTraining(_forest(), max_iter=2, random_state=0)
    .fit(X, yp).predict_proba(X),
    "ActiveLearner": lambda X, y, yp: ActiveLearner(
        estimator=_forest(), strategy=margin, batch_size=5, budget=15, rng=0)
    .fit(X).run(lambda i: y[i]).labelled_indices_,
    "simulate": lambda X, y, yp: simulate(X, y, _forest(), margin, budget=10, batch_size=5,
                                          n_random=1, rng=0).scores,
}


@pytest.mark.parametrize("name", list(_SAME_SEED_RUNS))
def test_same_seed_same_result_with_an_unseeded_estimator(name):
    """The clones of an estimator whose random_state is unset (a forest) were
    fitted unseeded: the same rng gave other probabilities, pseudo-labels,
    queries and learning curves on every call (augmentation_gain and
    pseudo_label_gain already seeded them)."""
    X, y, y_partial = _forest_data()
    run = _SAME_SEED_RUNS[name]
    np.testing.assert_array_equal(run(X, y, y_partial), run(X, y, y_partial))


@pytest.mark.parametrize("value", ["False", "no", 0, None])
def test_confident_joint_refuses_a_calibrate_that_is_not_a_bool(value):
    """calibrate="False" (a string, truthy) silently calibrated."""
    y = np.array([0, 0, 1, 1])
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7]])
    with pytest.raises(InvalidParameterError, match=r"'calibrate' parameter of "
                       r"confident_joint must be a bool"):
        confident_joint(y, proba, calibrate=value)
    np.testing.assert_array_equal(confident_joint(y, proba, calibrate=np.bool_(False)),
                                  [[1, 1], [0, 1]])


def test_labeling_function_refuses_a_vectorized_that_is_not_a_bool():
    """vectorized="False" (truthy) marked a row-wise function vectorised: it
    was called once on the whole table."""
    with pytest.raises(InvalidParameterError, match=r"'vectorized' parameter of "
                       r"labeling_function must be a bool"):
        labeling_function(lambda row: 1, vectorized="False")
    assert labeling_function(lambda row: 1, vectorized=np.bool_(True)).vectorized is True
