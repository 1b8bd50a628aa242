"""spread_labels against the closed form of Zhou et al. (dense reference)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import pairwise_distances

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.labels import find_label_issues, spread_labels


def dense_reference(X, y, k, alpha):
    """(1 - alpha) (I - alpha S)^-1 Y with a brute-force k-NN graph."""
    n = len(X)
    D = pairwise_distances(X)
    np.fill_diagonal(D, np.inf)
    A = np.zeros((n, n))
    for i in range(n):
        A[i, np.argsort(D[i], kind="stable")[:k]] = 1.0
    W = (A + A.T) / 2
    d = W.sum(1)
    S = W / np.sqrt(np.outer(d, d))
    classes = np.unique(y[y != -1])
    Y = np.zeros((n, len(classes)))
    for j, c in enumerate(classes):
        Y[y == c, j] = 1
    F = (1 - alpha) * np.linalg.solve(np.eye(n) - alpha * S, Y)
    return F / F.sum(1, keepdims=True)


@pytest.mark.parametrize(("k", "alpha"), [(5, 0.99), (8, 0.5), (6, 0.2)])
def test_equals_the_closed_form(k, alpha):
    X, y = make_blobs(150, centers=3, cluster_std=1.5, random_state=k)
    rng = np.random.default_rng(k)
    yp = np.where(rng.random(150) < 0.1, y, -1)
    yp[[np.flatnonzero(y == c)[0] for c in range(3)]] = [0, 1, 2]
    res = spread_labels(X, yp, n_neighbors=k, clamping=alpha)
    np.testing.assert_allclose(res.proba, dense_reference(X, yp, k, alpha), atol=1e-10)
    np.testing.assert_array_equal(res.labels, res.classes[res.proba.argmax(1)])


def test_string_labels_nan_marker_and_feeding_find_label_issues():
    X, y = make_blobs(200, centers=2, cluster_std=0.8, random_state=0)
    names = np.array(["ham", "spam"], dtype=object)[y]
    partial = names.copy()
    partial[np.arange(200) % 4 != 0] = None
    res = spread_labels(X, partial, n_neighbors=7)
    assert set(res.classes.tolist()) == {"ham", "spam"}
    assert (res.labels == names).mean() > 0.95
    # two wrong labels among the labelled rows stand out against their neighbours
    given = names.copy()
    given[[0, 4]] = np.where(given[[0, 4]] == "ham", "spam", "ham")
    issues = find_label_issues(given, res)
    assert {0, 4} <= set(issues.indices.tolist())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": np.full(20, -1)}, "at least 2 classes"),
        ({"n_neighbors": 0}, "n_neighbors"),
        ({"n_neighbors": 50}, "n_neighbors"),
        ({"clamping": 1.0}, "'clamping'"),
        ({"y": np.zeros(5)}, "one label per row"),
        ({"X": np.full((20, 2), np.nan)}, "NaN"),
    ],
)
def test_rejects_bad_input(kwargs, match):
    rng = np.random.default_rng(0)
    args = {"X": rng.normal(size=(20, 2)), "y": np.r_[0, 1, np.full(18, -1)], **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        spread_labels(**args)


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_spread_is_scale_free_for_huge_and_tiny_features(scale):
    """The k-NN graph's squared distances overflowed beyond ~1e154 (a reshape
    crash in kneighbors_graph) and underflowed below ~1e-154 (all-zero
    distances: arbitrary neighbours, half the rows wrong)."""
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (30, 2)), rng.normal(2, 1, (30, 2))]
    y = np.full(60, -1)
    y[0], y[59] = 0, 1
    ref = spread_labels(X, y)
    got = spread_labels(X * scale, y)
    np.testing.assert_array_equal(got.labels, ref.labels)
    np.testing.assert_allclose(got.proba, ref.proba, rtol=1e-12)


def test_rows_no_label_reaches_are_flagged():
    """A group of rows linked to no labelled row got the first class silently."""
    X = np.r_[np.arange(5.0), np.arange(5.0) + 20, np.arange(3.0) + 50][:, None]
    y = np.r_[0, [-1] * 8, 1, [-1] * 3]
    with pytest.warns(DegenerateDataWarning,
                      match=r"spread_labels: 3 row\(s\) are connected to no labelled row "
                            r"in the 2-NN graph.*first class 0"):
        res = spread_labels(X, y, n_neighbors=2)
    np.testing.assert_allclose(res.proba[-3:], 0.5)
    assert res.labels[:10].tolist() == [0] * 5 + [1] * 5
