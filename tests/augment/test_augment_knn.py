"""The bounded exact neighbour search against scikit-learn's brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import NearestNeighbors

import mllifecycle.augment._knn as knn
from mllifecycle.augment import adasyn, borderline_smote
from mllifecycle.augment._common import drop_self, neighbors_within


@pytest.fixture
def always_filter(monkeypatch):
    """Send every search through the single-precision filter, with small blocks."""
    monkeypatch.setattr(knn, "MIN_PAIRS", 0)
    monkeypatch.setattr(knn, "_Q_BLOCK", 16)
    monkeypatch.setattr(knn, "_Y_TILE", 64)
    monkeypatch.setattr(knn, "_PAIR_CHUNK", 50)


def _bounded(Y, queries, q):
    """Neighbours of ``queries`` within a random subset holding them, and the bound."""
    within = drop_self(
        NearestNeighbors(n_neighbors=q).fit(Y).kneighbors(Y[queries], return_distance=False),
        queries,
    )
    return knn.radius_bound(Y, queries, within[:, : q - 1])


def _reference(Y, queries, q):
    diff = Y[queries][:, None, :] - Y[None, :, :]
    d2 = np.einsum("qnj,qnj->qn", diff, diff)
    order = np.lexsort((np.broadcast_to(np.arange(len(Y)), d2.shape), d2), axis=-1)
    return order[:, :q]


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize(
    ("scale", "offset"), [(1.0, 0.0), (1e-30, 0.0), (1e30, 0.0), (1.0, 1e6), (1e-3, -5e3)]
)
def test_same_neighbours_as_exact_reference_at_any_scale(always_filter, scale, offset, n_jobs):
    rng = np.random.default_rng(0)
    Y = rng.normal(size=(300, 6)) * scale + offset
    queries = rng.choice(300, 40, replace=False)
    tau = _bounded(Y, queries, 8)
    got = knn.kneighbors_all(Y, queries, 8, tau, n_jobs)
    assert np.array_equal(got, _reference(Y, queries, 8))


def test_ties_and_duplicates_broken_by_row_index(always_filter):
    # integer grid: many exactly tied distances, and duplicated rows
    rng = np.random.default_rng(1)
    Y = rng.integers(0, 3, size=(200, 3)).astype(float)
    queries = np.arange(0, 200, 7)
    tau = _bounded(Y, queries, 6)
    got = knn.kneighbors_all(Y, queries, 6, tau, 1)
    assert np.array_equal(got, _reference(Y, queries, 6))


def test_a_loose_bound_falls_back_to_scikit_learn(always_filter, monkeypatch):
    monkeypatch.setattr(knn, "_MAX_KEPT_PER_QUERY", 2)
    rng = np.random.default_rng(2)
    Y = rng.normal(size=(150, 4))
    queries = np.arange(30)
    tau = np.full(30, 1e9)  # every row is kept: over budget
    got = knn.kneighbors_all(Y, queries, 5, tau, 1)
    ref = NearestNeighbors(n_neighbors=5).fit(Y).kneighbors(Y[queries], return_distance=False)
    assert all(set(a) == set(b) for a, b in zip(got, ref, strict=True))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(12, 120),
    p=st.integers(1, 9),
    q=st.integers(2, 10),
    log_scale=st.integers(-40, 40),
)
def test_property_bounded_search_is_exact(seed, n, p, q, log_scale):
    rng = np.random.default_rng(seed)
    Y = rng.normal(size=(n, p)) * 10.0**log_scale
    if seed % 3 == 0:
        Y[: n // 3] = np.round(Y[: n // 3] / 10.0**log_scale) * 10.0**log_scale
    queries = rng.choice(n, min(n, 17), replace=False)
    q = min(q, n)
    tau = _bounded(Y, queries, q)
    saved = knn.MIN_PAIRS, knn._Q_BLOCK, knn._Y_TILE
    knn.MIN_PAIRS, knn._Q_BLOCK, knn._Y_TILE = 0, 5, 16
    try:
        got = knn.kneighbors_all(Y, queries, q, tau, 1)
    finally:
        knn.MIN_PAIRS, knn._Q_BLOCK, knn._Y_TILE = saved
    assert np.array_equal(got, _reference(Y, queries, q))


@pytest.mark.parametrize(
    ("fn", "kw"),
    [(borderline_smote, {}), (borderline_smote, {"kind": "borderline-2"}), (adasyn, {})],
)
def test_augmenters_give_the_same_rows_through_the_filter(monkeypatch, fn, kw):
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 1, (600, 4)), rng.normal(0.7, 1, (60, 4))]
    y = np.r_[np.zeros(600, int), np.ones(60, int)]
    plain = fn(X, y, rng=0, **kw)
    monkeypatch.setattr(knn, "MIN_PAIRS", 0)
    monkeypatch.setattr(knn, "_Q_BLOCK", 16)
    monkeypatch.setattr(knn, "_Y_TILE", 64)
    fast = fn(X, y, rng=0, **kw)
    assert np.array_equal(plain[0], fast[0])
    assert np.array_equal(plain[1], fast[1])


def test_within_class_partners_are_a_prefix_of_the_longer_search():
    # borderline-1 takes its k partners from the first columns of an m-search
    rng = np.random.default_rng(4)
    X = rng.normal(size=(80, 3))
    long = neighbors_within(X, 10, None)
    short = neighbors_within(X, 5, None)
    assert np.array_equal(long[:, :5], short)
