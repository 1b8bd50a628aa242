"""SMOTE family: geometry (segments), class counts, seeds, weights, labels, dtypes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.augment import (
    adasyn,
    borderline_smote,
    default_relevance,
    smote,
    smote_nc,
    smote_regression,
)
from mllifecycle.augment._smote import _smote_nc_impl
from mllifecycle.exceptions import DegenerateDataWarning


def _imbalanced(seed=0, n_maj=300, n_min=30, p=3, shift=1.0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (n_maj, p)), rng.normal(shift, 1, (n_min, p))]
    y = np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]
    return X, y


def _knn_within(Xc, k):
    """Brute-force k nearest neighbours (self excluded): an independent oracle."""
    d = ((Xc[:, None, :] - Xc[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def _on_some_segment(S, A, B, tol=1e-9):
    """For each row of S: is it a + u (b - a), u in [0, 1], for some pair (a, b)?"""
    D = B - A  # (pairs, p)
    R = S[:, None, :] - A[None, :, :]  # (m, pairs, p)
    dd = (D * D).sum(-1)
    u = (R * D[None]).sum(-1) / np.where(dd > 0, dd, 1.0)
    resid = np.linalg.norm(R - u[..., None] * D[None], axis=-1)
    ok = (resid <= tol * (1 + np.linalg.norm(S, axis=1))[:, None]) & (u >= -tol) & (
        u <= 1 + tol
    )
    return ok.any(axis=1)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_every_smote_point_on_a_segment_to_a_k_nearest_minority_neighbour(seed, k):
    X, y = _imbalanced(seed, n_maj=150, n_min=25)
    Xn, yn = smote(X, y, k_neighbors=k, rng=seed)
    S = Xn[len(X):]
    Xc = X[y == 1]
    nn = _knn_within(Xc, k)
    A = np.repeat(Xc, k, axis=0)
    B = Xc[nn.ravel()]
    assert _on_some_segment(S, A, B).all()
    # and not merely on a segment to any minority row: with k=1 a wider
    # neighbourhood would put points off these segments
    assert np.array_equal(Xn[: len(X)], X)
    assert (yn[len(X):] == 1).all()


def test_segment_check_rejects_points_off_segments():
    X, y = _imbalanced(0, n_maj=150, n_min=25)
    S = smote(X, y, k_neighbors=3, rng=0)[0][len(X):]
    Xc = X[y == 1]
    nn = _knn_within(Xc, 3)
    A, B = np.repeat(Xc, 3, axis=0), Xc[nn.ravel()]
    assert not _on_some_segment(S + 0.05, A, B).any()


@pytest.mark.parametrize("fn", [smote, borderline_smote, adasyn])
@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("auto", [300, 300, 300]),
        (0.5, [300, 150, 150]),
        ({1: 100, 2: 41}, [300, 100, 41]),
    ],
)
def test_class_counts_as_requested(fn, strategy, expected):
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 1, (300, 2)), rng.normal(0.7, 1, (60, 2)),
              rng.normal(-0.7, 1, (40, 2))]
    y = np.r_[np.zeros(300, int), np.ones(60, int), np.full(40, 2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        Xn, yn = fn(X, y, sampling_strategy=strategy, rng=0)
    assert np.bincount(yn).tolist() == expected
    assert Xn.shape == (sum(expected), 2)


def test_ratio_leaves_classes_above_it_alone():
    X = np.random.default_rng(0).normal(size=(190, 2))
    y = np.r_[np.zeros(100, int), np.ones(80, int), np.full(10, 2)]
    yn = smote(X, y, sampling_strategy=0.5, rng=0)[1]
    assert np.bincount(yn).tolist() == [100, 80, 50]


def test_n_samples_splits_in_proportion_to_class_sizes():
    X = np.random.default_rng(0).normal(size=(90, 2))
    y = np.r_[np.zeros(60, int), np.ones(30, int)]
    yn = smote(X, y, n_samples=31, rng=0)[1]
    # 31 * 60/90 = 20.67 -> 21, 31 * 30/90 = 10.33 -> 10
    assert np.bincount(yn[90:]).tolist() == [21, 10]
    X2, y2 = smote(X, y, n_samples=0, rng=0)
    assert np.array_equal(X2, X)
    assert np.array_equal(y2, y)


@pytest.mark.parametrize(
    ("fn", "kw"),
    [
        (smote, {}),
        (borderline_smote, {"kind": "borderline-1"}),
        (borderline_smote, {"kind": "borderline-2"}),
        (adasyn, {}),
    ],
)
def test_same_rng_same_output_and_different_rng_differs(fn, kw):
    X, y = _imbalanced(4)
    a = fn(X, y, rng=7, **kw)
    b = fn(X, y, rng=np.random.default_rng(7), **kw)
    c = fn(X, y, rng=8, **kw)
    assert np.array_equal(a[0], b[0])
    assert np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_string_labels_supported_and_returned_unchanged():
    X, y = _imbalanced(5)
    ys = np.where(y == 1, "fraud", "ok")
    for fn in (smote, borderline_smote, adasyn):
        _Xn, yn = fn(X, ys, rng=0)
        assert yn.dtype == ys.dtype
        assert np.array_equal(yn[: len(ys)], ys)
        assert set(yn[len(ys):]) == {"fraud"}
    obj = ys.astype(object)
    yo = smote(X, obj, rng=0)[1]
    assert yo.dtype == object
    assert yo[-1] == "fraud"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_floating_dtype_preserved(dtype):
    X, y = _imbalanced(6)
    for fn in (smote, borderline_smote, adasyn):
        Xn = fn(X.astype(dtype), y, rng=0)[0]
        assert Xn.dtype == dtype
    assert smote(np.round(X * 10).astype(int), y, rng=0)[0].dtype == np.float64


@pytest.mark.parametrize(
    ("fn", "kw"),
    [
        (smote, {}),
        (borderline_smote, {"kind": "borderline-1"}),
        (borderline_smote, {"kind": "borderline-2"}),
        (adasyn, {}),
    ],
)
def test_sample_weight_interpolated_with_the_same_gap(fn, kw):
    # weights affine in the first feature: interpolated weights must equal the
    # same affine map of the synthetic rows
    X, y = _imbalanced(7)
    w = 2.0 + 0.5 * X[:, 0]
    Xn, yn, wn = fn(X, y, sample_weight=w, rng=0, **kw)
    assert np.array_equal(wn[: len(w)], w)
    np.testing.assert_allclose(wn, 2.0 + 0.5 * Xn[:, 0], rtol=1e-12, atol=1e-12)
    assert wn.shape == yn.shape


def test_small_minority_uses_smaller_k_with_warning():
    X = np.random.default_rng(0).normal(size=(43, 2))
    y = np.r_[np.zeros(40, int), np.ones(3, int)]
    with pytest.warns(DegenerateDataWarning, match="using k_neighbors=2"):
        Xn, yn = smote(X, y, k_neighbors=5, rng=0)
    assert np.bincount(yn).tolist() == [40, 40]
    Xc = X[y == 1]
    nn = _knn_within(Xc, 2)
    assert _on_some_segment(Xn[43:], np.repeat(Xc, 2, axis=0), Xc[nn.ravel()]).all()


def _danger_layout():
    """Minority cluster A far from everything; cluster B mixed with the majority."""
    rng = np.random.default_rng(11)
    maj = rng.uniform(0, 1, (400, 2))
    a = rng.normal(5.0, 0.1, (10, 2))
    b = rng.uniform(0.4, 0.6, (10, 2))
    X = np.r_[maj, a, b]
    y = np.r_[np.zeros(400, int), np.ones(20, int)]
    return X, y


def _danger_rows(X, y, m):
    d = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nn = np.argsort(d, axis=1)[:, :m]
    n_other = (y[nn] != y[:, None]).sum(1)
    return (y == 1) & (2 * n_other >= m) & (n_other < m)


def test_borderline_seeds_only_rows_in_danger():
    X, y = _danger_layout()
    danger = _danger_rows(X, y, 10)
    assert danger.sum() > 0
    assert not danger[400:410].any()
    Xn, _ = borderline_smote(X, y, rng=0)
    S = Xn[len(X):]
    assert (S.max(axis=1) < 1.0).all()  # nothing near cluster A
    # borderline-1: each point on a segment from a danger row to one of its
    # 5 nearest minority rows
    idx1 = np.flatnonzero(y == 1)
    Xc = X[idx1]
    nn = _knn_within(Xc, 5)
    dpos = np.flatnonzero(danger[idx1])
    A = np.repeat(Xc[dpos], 5, axis=0)
    B = Xc[nn[dpos].ravel()]
    assert _on_some_segment(S, A, B).all()


def test_borderline2_partners_from_any_class_and_half_gap_to_other_class():
    X, y = _danger_layout()
    danger = np.flatnonzero(_danger_rows(X, y, 10))
    Xn, _ = borderline_smote(X, y, kind="borderline-2", rng=0)
    S = Xn[len(X):]
    d = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nn = np.argsort(d, axis=1)[:, :5]
    same = [(i, j) for i in danger for j in nn[i] if y[j] == 1]
    other = [(i, j) for i in danger for j in nn[i] if y[j] == 0]
    on_same = _on_some_segment(S, X[[p[0] for p in same]], X[[p[1] for p in same]])
    # toward another class the gap is below 0.5: a point on the near half
    A = X[[p[0] for p in other]]
    mid = A + 0.5 * (X[[p[1] for p in other]] - A)
    on_other_half = _on_some_segment(S, A, mid)
    assert (on_same | on_other_half).all()
    assert on_other_half.sum() > 0


def test_borderline_without_danger_falls_back_with_warning():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (100, 2)), rng.normal(20, 1, (20, 2))]
    y = np.r_[np.zeros(100, int), np.ones(20, int)]
    with pytest.warns(DegenerateDataWarning, match="in danger"):
        yn = borderline_smote(X, y, rng=0)[1]
    assert np.bincount(yn).tolist() == [100, 100]


def test_adasyn_gives_no_children_to_safe_rows():
    X, y = _danger_layout()
    Xn, _ = adasyn(X, y, rng=0)
    S = Xn[len(X):]
    assert (S.max(axis=1) < 1.0).all()


def test_adasyn_shares_follow_the_difficulty_ratio():
    # one minority row with all neighbours of the other class gets every child
    # only if alone; two groups with ratios 1:3 get children in that proportion
    X, y = _danger_layout()
    from mllifecycle.augment._common import apportion

    idx = np.flatnonzero(y == 1)
    d = ((X[idx][:, None] - X[None]) ** 2).sum(-1)
    d[np.arange(idx.size), idx] = np.inf
    nn = np.argsort(d, axis=1)[:, :5]
    r = (y[nn] != 1).mean(1)
    shares = apportion(r, 380)
    assert shares.sum() == 380
    assert shares[:10].sum() == 0
    np.testing.assert_allclose(shares, r / r.sum() * 380, atol=1.0)


def test_adasyn_without_other_class_neighbours_warns_and_is_uniform():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (100, 2)), rng.normal(20, 1, (20, 2))]
    y = np.r_[np.zeros(100, int), np.ones(20, int)]
    with pytest.warns(DegenerateDataWarning, match="equal share"):
        yn = adasyn(X, y, rng=0)[1]
    assert np.bincount(yn).tolist() == [100, 100]


def test_duplicate_rows_do_not_break_self_exclusion():
    X, y = _imbalanced(8, n_min=12)
    X[-1] = X[-2]  # two identical minority rows
    Xn, yn = smote(X, y, k_neighbors=3, rng=0)
    assert np.isfinite(Xn).all()
    assert np.bincount(yn).tolist() == [300, 300]


# ---------------------------------------------------------------- SMOTE-NC
def _mixed(seed=0):
    rng = np.random.default_rng(seed)
    n_maj, n_min = 120, 24
    X = np.empty((n_maj + n_min, 4), dtype=object)
    X[:, 0] = np.r_[rng.normal(0, 1, n_maj), rng.normal(1, 1, n_min)]
    X[:, 1] = rng.choice(["a", "b", "c"], n_maj + n_min)
    X[:, 2] = np.r_[rng.normal(0, 1, n_maj), rng.normal(-1, 1, n_min)]
    X[:, 3] = rng.choice(["x", "y"], n_maj + n_min)
    y = np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]
    return X, y


def test_smote_nc_categories_from_the_neighbours_and_numeric_on_segments():
    X, y = _mixed()
    (Xn, yn), parents = _smote_nc_impl(
        X, y, [1, 3], sampling_strategy="auto", n_samples=None, k_neighbors=5,
        sample_weight=None, n_jobs=None, rng=0,
    )
    assert Xn.dtype == object
    assert Xn.shape == (240, 4)
    assert np.bincount(yn).tolist() == [120, 120]
    seeds, nbrs = parents[0]
    S = Xn[144:]
    for col in (1, 3):
        vals = X[nbrs, col]  # (n_new, k) categories of the seed's neighbours
        assert all(S[r, col] in set(vals[r]) for r in range(S.shape[0]))
        # and it is the most frequent of them (ties: smallest)
        for r in range(0, S.shape[0], 7):
            u, c = np.unique(vals[r], return_counts=True)
            assert S[r, col] == u[np.argmax(c)]
    num = S[:, [0, 2]].astype(float)
    Xnum = X[:, [0, 2]].astype(float)
    a = Xnum[seeds]
    ok = np.zeros(len(S), bool)
    for j in range(nbrs.shape[1]):
        ok |= _on_some_segment_pairwise(num, a, Xnum[nbrs[:, j]])
    assert ok.all()
    assert set(Xn[144:, 1]) <= {"a", "b", "c"}


def _on_some_segment_pairwise(S, A, B, tol=1e-9):
    D = B - A
    R = S - A
    dd = (D * D).sum(-1)
    u = (R * D).sum(-1) / np.where(dd > 0, dd, 1.0)
    resid = np.linalg.norm(R - u[:, None] * D, axis=1)
    return (resid <= tol * (1 + np.linalg.norm(S, axis=1))) & (u >= -tol) & (u <= 1 + tol)


def test_smote_nc_distance_counts_category_mismatch_as_median_std():
    # two candidate neighbours equally near numerically; the one sharing the
    # category must be chosen
    X = np.array([[0.0, 0], [1.0, 0], [1.0, 1], [-1.0, 1], [5.0, 1], [6.0, 0],
                  [7.0, 1], [8.0, 0]])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    (_, _), parents = _smote_nc_impl(
        X, y, [1], sampling_strategy={1: 4}, n_samples=None, k_neighbors=1,
        sample_weight=None, n_jobs=None, rng=0,
    )
    assert parents == []
    (_, _), parents = _smote_nc_impl(
        X, y, [1], sampling_strategy={1: 40}, n_samples=None, k_neighbors=1,
        sample_weight=None, n_jobs=None, rng=0,
    )
    seeds, nbrs = parents[0]
    # row 0 (category 0): numeric ties between rows 1 and 3 at distance 1;
    # row 1 shares category 0, so it is row 0's nearest neighbour
    assert set(nbrs[seeds == 0, 0]) == {1}


def test_smote_nc_numeric_input_and_weights():
    rng = np.random.default_rng(1)
    X = np.c_[rng.normal(size=80), rng.integers(0, 4, 80), rng.normal(size=80)]
    y = np.r_[np.zeros(60, int), np.ones(20, int)]
    w = 1.0 + X[:, 0] ** 2
    Xn, _yn, wn = smote_nc(X, y, categorical_features=np.array([False, True, False]),
                          sample_weight=w, rng=0)
    assert Xn.dtype == np.float64
    assert set(np.unique(Xn[:, 1])) <= set(np.unique(X[y == 1, 1]))
    assert (wn[80:] >= w[y == 1].min() - 1e-12).all()
    assert (wn[80:] <= w[y == 1].max() + 1e-12).all()
    a = smote_nc(X, y, categorical_features=[1], rng=3)[0]
    b = smote_nc(X, y, categorical_features=[-2], rng=3)[0]
    assert np.array_equal(a, b)


# ---------------------------------------------------------------- SMOTER
def test_default_relevance_against_hand_computation():
    y = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 100.0])
    # median 2.5, quartiles 1.25 and 3.75, whiskers at 0 and 4
    expected = [1.0, 0.6, 0.2, 1 / 3, 1.0, 1.0]
    np.testing.assert_allclose(default_relevance(y), expected)


def test_smote_regression_interpolates_target_within_rare_bins():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = np.exp(X[:, 0]) + 0.1 * rng.normal(size=400)
    w = 3.0 - 0.2 * X[:, 1]
    Xn, yn, wn = smote_regression(X, y, sample_weight=w, rng=0)
    phi = default_relevance(y)
    rare = phi >= 0.8
    med = np.median(y)
    hi = np.flatnonzero(rare & (y >= med))
    lo = np.flatnonzero(rare & (y < med))
    n_common = int((~rare).sum())
    assert len(yn) - 400 == max(n_common - hi.size, 0) + max(n_common - lo.size, 0)
    # new targets stay within the range of their bin
    ys = yn[400:]
    in_hi = (ys >= y[hi].min() - 1e-12) & (ys <= y[hi].max() + 1e-12)
    in_lo = (ys >= y[lo].min() - 1e-12) & (ys <= y[lo].max() + 1e-12)
    assert (in_hi | in_lo).all()
    # the target is interpolated with the same gap as the features: a
    # target affine in the features stays affine
    np.testing.assert_allclose(wn, 3.0 - 0.2 * Xn[:, 1], rtol=1e-12)
    Xa = rng.normal(size=(300, 2))
    ya = 1.0 + 2.0 * Xa[:, 0] - Xa[:, 1] + 0.37
    Xb, yb = smote_regression(Xa, ya, n_samples=100, rng=1)
    np.testing.assert_allclose(yb, 1.37 + 2.0 * Xb[:, 0] - Xb[:, 1], rtol=1e-10)


def test_smote_regression_strategies_and_custom_relevance():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 2))
    y = X[:, 0] + 0.01 * rng.normal(size=200)

    def top_decile(v):
        return (v >= np.quantile(v, 0.9)).astype(float)

    _Xn, yn = smote_regression(X, y, relevance=top_decile,
                              sampling_strategy={"high": 60}, rng=0)
    assert len(yn) == 240
    assert (yn[200:] >= np.quantile(y, 0.9) - 1e-12).all()
    _Xr, yr = smote_regression(X, y, relevance=top_decile, sampling_strategy=0.5,
                              rng=0)
    assert len(yr) == 200 + (90 - 20)

    def top_and_min(v):
        return top_decile(v) + (v == v.min())

    with pytest.warns(DegenerateDataWarning, match="low rare bin has 1 row"):
        _Xm, ym = smote_regression(X, y, relevance=top_and_min, rng=0)
    assert len(ym) == 200 + (179 - 20)


@pytest.mark.parametrize(
    ("fn", "kw"),
    [(smote, {}), (borderline_smote, {"kind": "borderline-2"}), (adasyn, {})],
)
def test_memory_stays_linear_no_n_by_n_matrix(fn, kw):
    import tracemalloc

    rng = np.random.default_rng(0)
    n, p = 20000, 5
    X = rng.normal(size=(n, p))
    y = (rng.random(n) < 0.05).astype(int)
    n_out = 2 * int((y == 0).sum())
    fn(X[:500], y[:500], rng=0, **kw)  # warm caches and imports
    tracemalloc.start()
    try:
        fn(X, y, rng=0, **kw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    out_bytes = n_out * p * 8
    # an n x n float matrix would be 3.2 GB, a minority x all one 160 MB; the
    # peak stays within a small multiple of the output (plus the neighbour
    # search's bounded chunks)
    assert peak < 6 * out_bytes + 24 * 2**20


def test_smote_nc_accepts_a_dataframe_with_string_categories():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(9)
    df = pd.DataFrame({
        "amount": rng.normal(size=50),
        "country": rng.choice(["FR", "DE", "IT"], size=50),
        "age": rng.integers(18, 80, 50).astype(float),
    })
    y = pd.Series(np.r_[np.zeros(40, int), np.ones(10, int)])
    Xn, yn = smote_nc(df, y, categorical_features=[1], rng=0)
    assert isinstance(Xn, pd.DataFrame)
    assert isinstance(yn, pd.Series)
    assert Xn.shape == (80, 3)
    assert list(Xn.columns) == ["amount", "country", "age"]
    assert Xn["amount"].dtype == np.float64
    assert Xn["age"].dtype == np.float64
    assert set(Xn["country"].iloc[50:]) <= {"FR", "DE", "IT"}
    pd.testing.assert_frame_equal(Xn.iloc[:50], df, check_dtype=False)
    assert np.array_equal(yn.to_numpy()[:50], y.to_numpy())
