"""The mergeable quantile sketch behind ``Reference.fit(..., sketch=...)`` (no Dask needed)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mllifecycle.drift import Reference
from mllifecycle.drift._sketch import QuantileSketch, ks_from_sketches


def _exact_cdf(x: np.ndarray, at: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.sort(x), at, side="right") / x.shape[0]


def _check_bound(s: QuantileSketch, x: np.ndarray) -> None:
    at = np.union1d(x, s.values)
    at = np.r_[at, np.nextafter(at, -np.inf)]  # just left of every jump too
    err = np.abs(s.cdf(at) - _exact_cdf(x, at)).max()
    assert err <= s.eps + 1e-12
    assert s.n == x.shape[0]
    assert s.weights.sum() == x.shape[0]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3000),
    capacity=st.integers(64, 300),
    n_parts=st.integers(1, 9),
    levels=st.integers(0, 40),
    seed=st.integers(0, 2**32 - 1),
)
def test_rank_error_within_tracked_bound(
    n: int, capacity: int, n_parts: int, levels: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    if levels:  # ties: a few distinct values mixed in
        x[: n // 2] = rng.integers(0, levels, size=n // 2)
    parts = [p for p in np.array_split(x, n_parts) if p.shape[0]]
    sketches = [QuantileSketch.from_values(p, capacity) for p in parts]
    for p, s in zip(parts, sketches, strict=True):
        _check_bound(s, p)
        assert s.values.shape[0] <= capacity
    merged = QuantileSketch.merge(sketches)
    _check_bound(merged, x)
    assert merged.values.shape[0] <= capacity
    # merging on a tree keeps the bound too
    tree = QuantileSketch.merge(
        [QuantileSketch.merge(sketches[i : i + 2]) for i in range(0, len(sketches), 2)]
    )
    _check_bound(tree, x)


def test_exact_when_few_distinct_values() -> None:
    x = np.random.default_rng(0).integers(0, 50, size=10_000).astype(float)
    s = QuantileSketch.merge([QuantileSketch.from_values(p, 64) for p in np.array_split(x, 7)])
    assert s.error == 0
    at = np.arange(-1.0, 51.0, 0.5)
    np.testing.assert_array_equal(s.cdf(at), _exact_cdf(x, at))


@pytest.mark.parametrize("capacity", [64, 256, 4096])
def test_ks_statistic_within_bound_of_scipy(capacity: int) -> None:
    rng = np.random.default_rng(capacity)
    a, b = rng.normal(size=20_000), rng.normal(0.05, size=15_000)
    d_hat, eps = ks_from_sketches(
        QuantileSketch.from_values(a, capacity), QuantileSketch.from_values(b, capacity)
    )
    d = stats.ks_2samp(a, b).statistic
    assert eps > 0
    assert abs(d_hat - d) <= eps + 1e-12


def test_small_data_sketch_matches_scipy_exactly() -> None:
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(400, 3)), rng.normal(0.1, size=(300, 3))
    rep = Reference.fit(X, sketch=True).compare(Y)
    assert Reference.fit(X, sketch=True).sketch_error == 0.0
    for f in rep.features:
        j = int(f.name[1:])
        ref = stats.ks_2samp(X[:, j], Y[:, j])
        assert f.statistic == pytest.approx(ref.statistic, abs=1e-12)
        assert f.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_p_value_is_conservative_and_interval_holds_exact_statistic() -> None:
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(30_000, 2)), rng.normal(size=(20_000, 2))
    Y[:, 1] *= 1.05
    sk = Reference.fit(X, sketch=128).compare(Y)
    for f in sk.features:
        j = int(f.name[1:])
        ex = stats.ks_2samp(X[:, j], Y[:, j])
        det = f.result.details
        assert det["sketch_error"] > 0
        assert det["statistic_low"] <= ex.statistic <= det["statistic_high"]
        assert f.p_value >= ex.pvalue * (1 - 1e-9)


def test_categorical_columns_equal_exact_mode() -> None:
    rng = np.random.default_rng(3)
    ref = {"a": rng.normal(size=2000), "c": rng.choice(list("pqrs"), 2000)}
    cur = {"a": rng.normal(size=900), "c": rng.choice(list("pqrs"), 900, p=[0.4, 0.2, 0.2, 0.2])}
    for test in ("chi_square", "psi", "jensen_shannon", "hellinger"):
        tests = {"c": test}
        exact = Reference.fit(ref, tests=tests).compare(cur, rng=5)
        sk = Reference.fit(ref, tests=tests, sketch=True).compare(cur, rng=5)
        assert sk["c"].result.to_dict() == exact["c"].result.to_dict()


def test_merge_of_sketched_and_exact_and_pickle() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6000, 2))
    parts = [Reference.fit(X[:2000], sketch=256), Reference.fit(X[2000:])]
    merged = Reference.merge(parts)
    assert merged.sketch == 256
    assert merged.n_reference == 6000
    assert 0 < merged.sketch_error <= 3 / 256
    back = pickle.loads(pickle.dumps(merged))
    cur = X[:500] + 0.3
    assert back.compare(cur).to_dict() == merged.compare(cur).to_dict()
    assert "sketch=256" in repr(merged)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sketch": "yes"}, "sketch"),
        ({"sketch": 10}, "sketch"),
        ({"sketch": 1.5}, "sketch"),
        ({"sketch": True, "tests": "cramer_von_mises"}, "'ks' for numeric columns"),
        ({"sketch": 64, "tests": {"x1": "wasserstein"}}, "'ks' for numeric columns"),
    ],
)
def test_fit_errors(kwargs: dict[str, object], match: str) -> None:
    X = np.random.default_rng(0).normal(size=(100, 2))
    with pytest.raises(ValueError, match=match):
        Reference.fit(X, **kwargs)  # type: ignore[arg-type]


def test_reference_column_of_a_sketch_is_refused() -> None:
    ref = Reference.fit(np.random.default_rng(0).normal(size=(100, 2)), sketch=True)
    with pytest.raises(ValueError, match="without a sketch"):
        ref.reference_column("x0")


@pytest.mark.slow
def test_sketch_ks_level_under_the_null() -> None:
    """Rejection rate under H0 <= alpha + 3 SE with a coarse sketch (eps > 0)."""
    alpha, reps = 0.05, 400
    rng = np.random.default_rng(2026)
    rejected, eps = 0, []
    for _ in range(reps):
        X, Y = rng.normal(size=(3000, 1)), rng.normal(size=(2000, 1))
        rep = Reference.fit(X, sketch=64).compare(Y)
        eps.append(rep.features[0].result.details["sketch_error"])
        rejected += rep.features[0].p_value <= alpha
    se = np.sqrt(alpha * (1 - alpha) / reps)
    assert min(eps) > 0  # the approximation was really exercised
    assert rejected / reps <= alpha + 3 * se


@pytest.mark.slow
def test_sketch_ks_keeps_power() -> None:
    """A fine sketch loses little power against a moderate shift."""
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(100):
        X, Y = rng.normal(size=(20_000, 1)), rng.normal(0.05, size=(20_000, 1))
        hits += Reference.fit(X, sketch=4096).compare(Y).drift_detected
    assert hits >= 80


def test_sketched_reference_needs_no_extra_trusted_type_in_skops() -> None:
    sio = pytest.importorskip("skops.io")
    X = np.random.default_rng(5).normal(size=(800, 2))
    ref = Reference.fit(X, sketch=64)
    data = sio.dumps(ref)
    assert sio.get_untrusted_types(data=data) == ["mllifecycle.drift._reference.Reference"]
    back = sio.loads(data, trusted=["mllifecycle.drift._reference.Reference"])
    assert back.compare(X[:200] + 0.2).to_dict() == ref.compare(X[:200] + 0.2).to_dict()


def test_exact_sketch_equals_exact_ks_at_large_coprime_sizes() -> None:
    """With no compression (sketch_error 0) the statistic is put on the exact
    lattice h / lcm(n1, n2); a fixed 1e-9 margin let rounding (~1e-8 at
    lcm ~ 4e7) push it one lattice step up, with a smaller p-value."""
    from mllifecycle import drift
    from mllifecycle.drift._sketch import lattice_floor

    for seed in range(12):
        g = np.random.default_rng(seed)
        n1, n2 = int(g.integers(3000, 8000)), int(g.integers(3000, 8000))
        ref, cur = g.normal(size=(n1, 1)), g.normal(size=(n2, 1)) + 0.05
        exact = drift.detect(ref, cur)["x0"]
        sketched = Reference.fit(ref, sketch=10000).compare(cur)["x0"]
        assert sketched.result.details["sketch_error"] == 0.0
        assert sketched.statistic == exact.statistic
        assert sketched.p_value == exact.p_value
    g = np.random.default_rng(0)
    for _ in range(2000):
        n1, n2 = int(g.integers(2, 10001)), int(g.integers(2, 10001))
        c1, c2 = int(g.integers(0, n1 + 1)), int(g.integers(0, n2 + 1))
        d = abs(c1 / n1 - c2 / n2)
        lcm = n1 * n2 // np.gcd(n1, n2)
        assert round(lattice_floor(d, n1, n2, 10000) * lcm) == round(d * lcm)
