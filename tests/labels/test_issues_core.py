"""Confident learning: inputs, result objects, out-of-fold probabilities, recovery."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    LabelIssues,
    estimate_noise_matrix,
    find_label_issues,
    out_of_fold_proba,
)

Y = np.array([0, 0, 0, 1, 1, 1])
P = np.array([[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.2, 0.8]])


def noisy_blobs(seed, n_per=150, k=3, noise=0.1):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 4, (k, 2))
    X = np.vstack([rng.normal(c, 1.0, (n_per, 2)) for c in centers])
    true = np.repeat(np.arange(k), n_per)
    y = true.copy()
    flip = rng.random(true.shape[0]) < noise
    y[flip] = (true[flip] + 1) % k
    return X, y, true


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"y": Y, "y_proba": P[:, :1]}, InvalidParameterError, "at least 2 classes"),
        ({"y": Y, "y_proba": P * 2}, InvalidParameterError, r"probabilities in \[0, 1\]"),
        ({"y": Y, "y_proba": P * 0.9}, InvalidParameterError, "sum to 1"),
        ({"y": Y[:5], "y_proba": P}, InvalidParameterError, "one label per row"),
        ({"y": Y + 1, "y_proba": P}, InvalidParameterError, r"integer labels in \[0, 1\]"),
        ({"y": np.array(list("abcabc")), "y_proba": P}, InvalidParameterError,
         "cannot be inferred"),
        ({"y": np.array(list("aaabbb")), "y_proba": P, "classes": ["a"]},
         InvalidParameterError, "column order"),
        ({"y": np.array(list("aaabbz")), "y_proba": P, "classes": ["a", "b"]},
         InvalidParameterError, "unknown label"),
        # labels that cannot be ordered raised a bare TypeError from np.unique/searchsorted
        ({"y": np.array([0, "1", 1, 0, 1, 0], dtype=object), "y_proba": P},
         InvalidParameterError,
         r"'y' parameter.*labels of one kind.*Got numbers and text \(0 and '1'\)"),
        ({"y": ["a", "b", "b", None, "a", "b"], "y_proba": P, "classes": ["a", "b"]},
         InvalidParameterError, r"'y' parameter.*unknown label\(s\), e.g. None"),
        ({"y": Y, "y_proba": P, "method": "cl"}, InvalidParameterError, "'method'"),
        ({"y": Y, "y_proba": P, "rank_by": "entropy"}, InvalidParameterError, "'rank_by'"),
        ({"y": Y, "y_proba": np.where(P > 0.85, np.nan, P)}, InvalidParameterError, "NaN"),
        ({"y": Y, "y_proba": P, "min_examples_per_class": -1}, InvalidParameterError,
         "min_examples_per_class"),
    ],
)
def test_find_label_issues_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        find_label_issues(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"estimator": object()}, TypeError, r"predict_proba\(\)"),
        ({"cv": 1}, InvalidParameterError, "'cv'"),
        ({"cv": 200}, InvalidParameterError, "smallest class"),
        ({"cv": "five"}, InvalidParameterError, "'cv'"),
        ({"y": np.zeros(300)}, InvalidParameterError, "at least 2 classes"),
        ({"y": np.zeros(5)}, InvalidParameterError, "one label per row"),
    ],
)
def test_out_of_fold_proba_rejects_bad_input(kwargs, exc, match):
    X, y, _ = noisy_blobs(0, n_per=100)
    args = {"estimator": LogisticRegression(), "X": X, "y": y, **kwargs}
    with pytest.raises(exc, match=match):
        out_of_fold_proba(**args)


def test_out_of_fold_proba_equals_cross_val_predict():
    X, y, _ = noisy_blobs(1)
    cv = StratifiedKFold(5, shuffle=True, random_state=3)
    ours = out_of_fold_proba(LogisticRegression(), X, y, cv=cv)
    ref = cross_val_predict(LogisticRegression(), X, y, cv=cv, method="predict_proba")
    np.testing.assert_allclose(ours, ref)
    again = out_of_fold_proba(LogisticRegression(), X, y, rng=4)
    np.testing.assert_array_equal(again, out_of_fold_proba(LogisticRegression(), X, y, rng=4))


def test_recovers_flipped_labels_with_good_precision_and_recall():
    X, y, true = noisy_blobs(2, n_per=400)
    y_proba = out_of_fold_proba(LogisticRegression(), X, y, rng=0)
    wrong = set(np.flatnonzero(y != true).tolist())
    for method in ("prune_by_noise_rate", "prune_by_class", "both", "confident_joint"):
        found = set(find_label_issues(y, y_proba, method=method).indices.tolist())
        precision = len(found & wrong) / len(found)
        recall = len(found & wrong) / len(wrong)
        assert precision > 0.8, method
        assert recall > 0.7, method
    nm = estimate_noise_matrix(y, y_proba)
    assert abs(nm.noise_fraction - len(wrong) / y.shape[0]) < 0.04


def test_string_labels_and_classes_argument_give_the_same_issues():
    X, y, _ = noisy_blobs(3)
    y_proba = out_of_fold_proba(LogisticRegression(), X, y, rng=0)
    names = np.array(["cat", "dog", "eel"])
    a = find_label_issues(y, y_proba)
    b = find_label_issues(names[y], y_proba)
    # reversed column order with an explicit class list
    c = find_label_issues(names[y], y_proba[:, ::-1], classes=names[::-1])
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.indices, c.indices)
    assert set(b.given_labels.tolist()) <= set(names.tolist())
    assert (b.given_labels != b.suggested_labels).all()


def test_accepts_a_crowd_aggregation_result():
    @attrs.frozen
    class CrowdLike:
        proba: np.ndarray
        classes: np.ndarray

    rng = np.random.default_rng(0)
    post = rng.dirichlet([1.0, 1.0, 1.0], size=200)
    classes = np.array(["x", "y", "z"])
    y = classes[post.argmax(axis=1)]
    y[:15] = classes[(post[:15].argmax(axis=1) + 1) % 3]
    res = find_label_issues(y, CrowdLike(post, classes))
    ref = find_label_issues(y, post, classes=classes)
    np.testing.assert_array_equal(res.indices, ref.indices)
    assert set(res.indices.tolist()) <= set(range(15)) | set(ref.indices.tolist())


def test_result_object_fields_and_serialisation():
    res = find_label_issues(Y, P)
    assert isinstance(res, LabelIssues)
    assert res.mask.sum() == res.n_issues == 1
    np.testing.assert_array_equal(res.ranks, [0])
    d = res.to_dict()
    json.dumps(d)
    assert d["n_issues"] == 1
    m = res.to_metrics()
    assert m["n_issues"] == 1.0
    assert all(isinstance(v, float) for v in m.values())
    assert "LabelIssues(n_issues=1" in repr(res)
    assert "<table>" in res._repr_html_()
    assert "<table>" in res.noise._repr_html_()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.method = "x"  # type: ignore[misc]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5))
def test_issues_never_include_rows_whose_label_is_the_argmax(seed, k):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k), size=60)
    y = rng.integers(k, size=60)
    for method in ("prune_by_noise_rate", "prune_by_class", "both", "confident_joint"):
        res = find_label_issues(y, p, method=method)
        assert not (p[res.indices].argmax(axis=1) == y[res.indices]).any()
        # ranked: label quality non-decreasing along the indices
        assert np.all(np.diff(res.label_quality[res.indices]) >= 0)
    nm = estimate_noise_matrix(y, p)
    np.testing.assert_allclose(nm.noise_matrix.sum(axis=0), 1.0)
    np.testing.assert_array_equal(nm.confident_joint.sum(axis=1), np.bincount(y, minlength=k))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_issue_set_is_invariant_to_row_order(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(3), size=80)
    y = rng.integers(3, size=80)
    perm = rng.permutation(80)
    a = find_label_issues(y, p)
    b = find_label_issues(y[perm], p[perm])
    assert set(a.indices.tolist()) == set(perm[b.indices].tolist())


def test_accepts_a_real_crowd_result():
    from mllifecycle.labels import dawid_skene

    rng = np.random.default_rng(1)
    truth = rng.integers(0, 3, 300)
    rows = []
    for w, acc in enumerate((0.9, 0.8, 0.7, 0.6)):
        right = rng.random(300) < acc
        lab = np.where(right, truth, (truth + rng.integers(1, 3, 300)) % 3)
        rows += [(t, f"w{w}", int(v)) for t, v in enumerate(lab)]
    crowd = dawid_skene(np.array(rows, dtype=object))
    given = crowd.labels.copy()
    given[:10] = (given[:10] + 1) % 3
    res = find_label_issues(given, crowd)
    ref = find_label_issues(given, crowd.proba, classes=crowd.classes)
    np.testing.assert_array_equal(res.indices, ref.indices)
    assert len(set(range(10)) & set(res.indices.tolist())) >= 8
