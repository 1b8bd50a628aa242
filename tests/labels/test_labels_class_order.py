"""One class order across mllifecycle.labels: sorted, as scikit-learn's ``classes_``.

A categorical label column declares the class set (unused categories
included where a result holds them) but not the order. The crowd aggregators
used the declared order while confident learning, ``out_of_fold_proba``,
``SelfTraining`` and a model's ``predict_proba`` sort, so a crowd
``proba`` fed to ``find_label_issues`` next to the same categorical labels was
read column by column as other classes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.labels import (
    AGGREGATION_METHODS,
    SelfTraining,
    aggregate,
    estimate_noise_matrix,
    find_label_issues,
    majority_vote,
    out_of_fold_proba,
    spread_labels,
)

pd = pytest.importorskip("pandas")
LogisticRegression = pytest.importorskip("sklearn.linear_model").LogisticRegression

DECLARED = ["dog", "cat", "bird"]  # not sorted


def _data(n=90, seed=0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 3, n)
    X = rng.normal(size=(n, 2)) + 3.0 * np.eye(3)[codes][:, :2] - 1.5 * (codes == 2)[:, None]
    y = pd.Series(pd.Categorical(np.asarray(DECLARED)[codes], categories=DECLARED))
    return X, y


def _answers(n_tasks=30, seed=1, categories=DECLARED, used=DECLARED):
    rng = np.random.default_rng(seed)
    truth = rng.choice(used, n_tasks)
    rows = []
    for t in range(n_tasks):
        for w in range(3):
            lab = truth[t] if rng.random() < 0.8 else rng.choice(used)
            rows.append((t, f"w{w}", lab))
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
    frame["label"] = pd.Categorical(frame["label"], categories=categories)
    return frame


def test_every_function_orders_a_categorical_alike():
    X, y = _data()
    expected = sorted(DECLARED)
    model = LogisticRegression().fit(X, y)
    assert model.classes_.tolist() == expected  # the oracle
    proba = out_of_fold_proba(LogisticRegression(), X, y, rng=0)
    assert find_label_issues(y, proba).noise.classes.tolist() == expected
    assert estimate_noise_matrix(y, proba).classes.tolist() == expected
    assert SelfTraining(LogisticRegression()).fit(X, y).classes_.tolist() == expected
    partial = y.copy()
    partial[np.arange(len(y)) % 3 != 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        assert spread_labels(X, partial).classes.tolist() == expected
    frame = _answers()
    for method in AGGREGATION_METHODS:
        kw = {"n_restarts": 0} if method == "mace" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateDataWarning)
            res = aggregate(frame, method, rng=0, **kw)
        assert res.classes.tolist() == expected, method


def test_crowd_proba_reads_the_same_beside_its_categorical_labels():
    frame = _answers(n_tasks=40)
    res = majority_vote(frame, rng=0)
    # one label per task: the first worker's answer, kept categorical
    first = frame.groupby("task", observed=True)["label"].first()
    y = pd.Series(pd.Categorical(first.to_numpy(), categories=DECLARED))
    via_result = find_label_issues(y, res)
    via_array = find_label_issues(y, res.proba)  # columns were dog, cat, bird
    np.testing.assert_array_equal(via_array.indices, via_result.indices)
    np.testing.assert_array_equal(via_array.suggested_labels, via_result.suggested_labels)
    np.testing.assert_allclose(via_array.label_quality, via_result.label_quality)


def test_unused_category_keeps_its_column_in_label_issues():
    # the crowd result has a column for the unused "bird"; the categorical y
    # declares it, so the columns are read without passing classes=
    frame = _answers(used=["dog", "cat"])
    res = majority_vote(frame, rng=0)
    assert res.classes.tolist() == ["bird", "cat", "dog"]
    y = pd.Series(pd.Categorical(res.labels, categories=DECLARED))
    out = find_label_issues(y, res.proba)
    ref = find_label_issues(np.asarray(res.labels, dtype=object), res.proba,
                            classes=res.classes)
    np.testing.assert_array_equal(out.indices, ref.indices)
    assert out.noise.classes.tolist() == ["bird", "cat", "dog"]


def test_integer_categories_are_the_classes_not_column_codes():
    # categories [1, 2, 3]: a model's classes_ are [1, 2, 3], column 0 is class 1;
    # labels {1, 2} were read as column codes 1 and 2 (class 1 -> column of 2)
    y = pd.Series(pd.Categorical([1, 1, 1, 2, 2, 2], categories=[1, 2, 3]))
    proba = np.array([[.8, .1, .1], [.7, .2, .1], [.8, .1, .1],
                      [.1, .8, .1], [.2, .7, .1], [.1, .8, .1]])
    res = find_label_issues(y, proba)
    assert res.n_issues == 0
    assert res.noise.classes.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(res.noise.confident_joint,
                                  [[3, 0, 0], [0, 3, 0], [0, 0, 0]])


def test_incomparable_categories_keep_their_declared_order():
    frame = pd.DataFrame({"task": [0, 0, 1, 1], "worker": ["a", "b", "a", "b"],
                          "label": pd.Categorical(["x", "x", 1, 1], categories=["x", 1])})
    assert majority_vote(frame, rng=0).classes.tolist() == ["x", 1]
