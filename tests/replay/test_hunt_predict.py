"""replay scores the deployed model's own predict(), not the argmax of predict_proba."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier
from sklearn.naive_bayes import GaussianNB

from mllifecycle.policies import LifecycleState, Periodic
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 1200
X = rng.normal(size=(N, 2))
y = ((X[:, 0] + 0.7 * rng.normal(size=N)) > 0).astype(int)


@pytest.mark.parametrize(
    "estimator",
    [
        FixedThresholdClassifier(LogisticRegression(), threshold=0.9),
        FixedThresholdClassifier(GaussianNB(), threshold=0.1),
        LogisticRegression(),
    ],
    ids=["threshold-0.9", "threshold-0.1", "plain"],
)
def test_accuracy_is_that_of_the_models_predict(estimator):
    r = replay(X, y, estimator, {"never": lambda s: False}, initial_train_size=600,
               batch_size=100)
    model = clone(estimator).fit(X[:600], y[:600])
    wrong = int((model.predict(X[600:]) != y[600:]).sum())
    assert r["never"].errors == wrong
    assert r["never"].accuracy == 1.0 - wrong / 600
    assert r["never"].cost == float(wrong)


def test_states_carry_the_errors_of_predict_and_the_probabilities():
    est = FixedThresholdClassifier(LogisticRegression(), threshold=0.9)
    seen: list[LifecycleState] = []

    def spy(state):
        seen.append(state)
        return False

    replay(X, y, est, {"spy": spy}, initial_train_size=600, batch_size=300)
    model = clone(est).fit(X[:600], y[:600])
    first = seen[0]
    np.testing.assert_array_equal(first.new_errors, model.predict(X[600:900]) != y[600:900])
    np.testing.assert_allclose(first.current_proba, model.predict_proba(X[600:900]))


def test_retrained_thresholded_model_is_scored_by_its_predict():
    est = FixedThresholdClassifier(LogisticRegression(), threshold=0.9)
    r = replay(X, y, est, {"p": Periodic(every=300)}, initial_train_size=600, batch_size=300)
    # retrain at 900 on rows 600:900 (the default window: the latest 600 rows is 300:900)
    (event,) = [e for e in r["p"].events if e.step == 900]
    first = clone(est).fit(X[:600], y[:600])
    second = clone(est).fit(X[event.train_start : event.train_stop],
                            y[event.train_start : event.train_stop])
    wrong = int((first.predict(X[600:900]) != y[600:900]).sum()) + int(
        (second.predict(X[900:]) != y[900:]).sum()
    )
    assert r["p"].errors == wrong


class _CountingLR(LogisticRegression):
    """Counts predict_proba calls across clones (a class attribute)."""

    proba_calls = 0

    def predict_proba(self, X):
        type(self).proba_calls += 1
        return super().predict_proba(X)


def test_probabilities_are_computed_only_when_a_policy_reads_them():
    # a forest's predict is an argmax of predict_proba: a call per batch that
    # no policy reads would double the replay's prediction cost
    _CountingLR.proba_calls = 0
    r = replay(X, y, _CountingLR(), {"never": lambda s: False, "p": Periodic(every=300)},
               initial_train_size=600, batch_size=100)
    assert _CountingLR.proba_calls == 0
    assert r["never"].accuracy > 0.5

    def reads(state):
        return state.current_proba[0, 0] < 0.0  # never true; reads every batch

    r = replay(X, y, _CountingLR(), {"reads": reads}, initial_train_size=600, batch_size=100)
    assert _CountingLR.proba_calls == 6  # one per batch read, none twice


def test_states_with_pending_probabilities_copy_pickle_and_compare_as_plain_states():
    import copy
    import pickle

    import attrs

    seen: list[LifecycleState] = []

    def spy(state):
        seen.append(state)
        return False

    replay(X, y, LogisticRegression(), {"spy": spy}, initial_train_size=600, batch_size=300)
    model = LogisticRegression().fit(X[:600], y[:600])
    want = model.predict_proba(X[600:900])
    state = seen[0]
    assert isinstance(state, LifecycleState)
    for other in (pickle.loads(pickle.dumps(state)), copy.copy(state), copy.deepcopy(state)):
        assert type(other) is LifecycleState
        np.testing.assert_allclose(other.current_proba, want)
        assert other.step == state.step == 900
        assert other.new_errors.tolist() == state.new_errors.tolist()
    np.testing.assert_allclose(attrs.asdict(state)["current_proba"], want)
    evolved = attrs.evolve(state, step=901)
    assert evolved.step == 901
    np.testing.assert_allclose(evolved.current_proba, want)
    assert repr(state).startswith("LifecycleState(")
    assert "_Pending" not in repr(state)
