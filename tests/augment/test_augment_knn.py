"""The bounded exact neighbour search against scikit-learn's brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import NearestNeighbors

import mllifecycle.augment._knn as knn
from mllifecycle.augment import adasyn, borderline_smote, smote
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


def _exact_d2(Y, queries, ind):
    """Squared distances by differences, on ``Y`` brought near 1 by a power of two."""
    Ys = Y / 2.0 ** np.frexp(np.abs(Y).max())[1]
    diff = Ys[queries][:, None, :] - Ys[ind]
    return np.einsum("qkj,qkj->qk", diff, diff)


_HARD = [
    # offset features: scikit-learn's brute force expands ||x - y||^2 and cancels
    ("offset, few rows (brute force)", lambda r: 1e8 + r.normal(size=(8, 2)) * 1e-3),
    ("offset, many features", lambda r: 1e4 + r.normal(size=(200, 20)) * 1e-5),
    # tiny magnitudes: squared differences underflow to 0 and tie every pair
    ("tiny", lambda r: r.normal(size=(8, 2)) * 1e-300),
    ("tiny, many features", lambda r: r.normal(size=(60, 20)) * 1e-170),
]


@pytest.mark.parametrize(("label", "make"), _HARD, ids=[h[0] for h in _HARD])
def test_within_class_neighbours_exact_on_offset_and_tiny_rows(label, make):
    Y = make(np.random.default_rng(5))
    n = Y.shape[0]
    queries = np.arange(n)
    got = neighbors_within(Y, 3, None)
    ref = _reference(Y / 2.0 ** np.frexp(np.abs(Y).max())[1], queries, n)[:, 1:4]
    np.testing.assert_array_equal(_exact_d2(Y, queries, got), _exact_d2(Y, queries, ref))


@pytest.mark.parametrize(("label", "make"), _HARD, ids=[h[0] for h in _HARD])
def test_all_rows_search_exact_on_offset_and_tiny_rows(label, make):
    # the search without a radius bound (small problems) is scikit-learn's: exact now
    Y = make(np.random.default_rng(6))
    queries = np.arange(0, Y.shape[0], 2)
    Ys = Y / 2.0 ** np.frexp(np.abs(Y).max())[1]
    got = knn.kneighbors_all(Ys, queries, 4, None, 1)
    ref = _reference(Ys, queries, 4)
    np.testing.assert_array_equal(_exact_d2(Y, queries, got), _exact_d2(Y, queries, ref))


def test_smote_partners_are_exact_neighbours_on_offset_rows():
    # k=1: every child lies on the segment from a row to its true nearest row
    # (4 rows: scikit-learn picks its brute-force search, which cancels)
    rng = np.random.default_rng(7)
    base = rng.normal(size=(4, 2)) * 1e-3
    X = np.r_[np.zeros((40, 2)), 1e8 + base]
    y = np.r_[np.zeros(40, int), np.ones(4, int)]
    Xn, _ = smote(X, y, k_neighbors=1, rng=0)
    d2 = ((base[:, None] - base[None]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    nearest = d2.argmin(axis=1)
    kids = Xn[44:] - 1e8
    for kid in kids:
        # distance of the child to each segment (row i, its nearest row)
        a, b = base, base[nearest]
        t = np.clip(((kid - a) * (b - a)).sum(1) / ((b - a) ** 2).sum(1), 0, 1)
        dist = np.sqrt((((a + t[:, None] * (b - a)) - kid) ** 2).sum(1))
        assert dist.min() < 1e-7


def _brute(Y):
    return NearestNeighbors(algorithm="brute").fit(Y)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 90),
    p=st.integers(1, 12),
    q=st.integers(1, 12),
    offset=st.sampled_from([0.0, 1.0, 1e3, 1e6, -1e8]),
    grid=st.booleans(),
)
def test_property_certified_lists_are_exact(seed, n, p, q, offset, grid):
    # scikit-learn's expanded lists, certified or refined, equal the exact
    # (distance, row index) lists: offsets, ties and duplicates included
    rng = np.random.default_rng(seed)
    Y = rng.normal(size=(n, p))
    if grid:
        Y = np.round(Y)
    Y = Y + offset
    queries = rng.choice(n, min(n, 15), replace=False)
    got = knn.certified_neighbors(Y, queries, _brute(Y), q)
    assert np.array_equal(got, _reference(Y, queries, min(q, n)))


def test_certificate_skips_the_bounded_search_on_centred_rows(monkeypatch):
    # the bounded search runs only for the lists the certificate cannot vouch for
    calls = []
    real = knn.exact_neighbors

    def spy(Y, queries, ind):
        calls.append(queries.size)
        return real(Y, queries, ind)

    monkeypatch.setattr(knn, "exact_neighbors", spy)
    rng = np.random.default_rng(8)
    Y = rng.normal(size=(500, 5))
    queries = np.arange(500)
    got = knn.certified_neighbors(Y, queries, _brute(Y), 6)
    assert calls == []
    assert np.array_equal(got, _reference(Y, queries, 6))
    # offset rows: the expansion's error exceeds the gaps, every list is refined
    Z = 1e8 + rng.normal(size=(60, 3)) * 1e-3
    got = knn.certified_neighbors(Z, np.arange(60), _brute(Z), 4)
    assert calls == [60]
    assert np.array_equal(got, _reference(Z, np.arange(60), 4))
