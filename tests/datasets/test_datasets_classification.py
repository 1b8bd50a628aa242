from __future__ import annotations

import pickle

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.datasets import (
    ClassificationStream,
    agrawal_stream,
    gaussian_stream,
    hyperplane_stream,
    sea_stream,
)
from mllifecycle.datasets._classification import _agrawal_label
from mllifecycle.exceptions import InvalidParameterError

GENERATORS = [
    sea_stream,
    hyperplane_stream,
    agrawal_stream,
    lambda n, **kw: gaussian_stream(n, kind="covariate", **kw),
    lambda n, **kw: gaussian_stream(n, kind="prior", **kw),
    lambda n, **kw: gaussian_stream(n, kind="concept", **kw),
]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_stream_and_frozen(make):
    a, b, c = make(3000, rng=1), make(3000, rng=1), make(3000, rng=2)
    assert isinstance(a, ClassificationStream)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape[0] == a.y.shape[0] == a.timestamps.shape[0] == 3000
    assert set(np.unique(a.y).tolist()) <= {0, 1}
    assert a.change_points == (750, 1500, 2250)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.X = None  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        a.X[0, 0] = 1.0
    assert pickle.loads(pickle.dumps(a)).to_dict() == a.to_dict()
    assert "<table>" in a._repr_html_()


def test_sea_thresholds_and_noise_rate():
    s = sea_stream(40_000, noise=0.0, rng=0)
    theta = np.array([8.0, 9.0, 7.0, 9.5])[s.concept]
    np.testing.assert_array_equal(s.y, (s.X[:, 0] + s.X[:, 1] > theta).astype(int))
    noisy = sea_stream(40_000, noise=0.1, rng=0)
    rate = np.mean(noisy.y != (noisy.X[:, 0] + noisy.X[:, 1] > theta))
    assert abs(rate - 0.1) < 4 * np.sqrt(0.1 * 0.9 / 40_000)
    assert s.concepts == ("x0 + x1 > 8", "x0 + x1 > 9", "x0 + x1 > 7", "x0 + x1 > 9.5")


def test_custom_change_points_and_concept_index():
    s = sea_stream(1000, thresholds=(8, 9), change_points=[300], rng=0)
    assert s.change_points == (300,)
    assert s.concept[299] == 0
    assert s.concept[300] == 1


def test_concepts_really_change():
    # a rule fitted on concept 0 loses accuracy on concept 1
    for s in (
        hyperplane_stream(20_000, noise=0.0, rng=3),
        gaussian_stream(20_000, kind="concept", noise=0.0, rng=3),
        agrawal_stream(20_000, noise=0.0, rng=3),
    ):
        from sklearn.tree import DecisionTreeClassifier

        first = s.concept == 0
        second = s.concept == 1
        m = DecisionTreeClassifier(max_depth=6, random_state=0).fit(s.X[first], s.y[first])
        assert m.score(s.X[first], s.y[first]) - m.score(s.X[second], s.y[second]) > 0.1, s.name


def test_gaussian_kinds_shift_the_named_part():
    cov = gaussian_stream(40_000, kind="covariate", noise=0.0, rng=0)
    means = [cov.X[cov.concept == k, 0].mean() for k in range(4)]
    np.testing.assert_allclose(means, [0, 2, 4, 6], atol=0.05)
    rule = (cov.X[:, 1] > np.sin(1.5 * cov.X[:, 0])).astype(int)
    np.testing.assert_array_equal(cov.y, rule)  # P(y|x) unchanged
    pri = gaussian_stream(40_000, kind="prior", noise=0.0, rng=0)
    shares = [pri.y[pri.concept == k].mean() for k in range(4)]
    np.testing.assert_allclose(shares, [0.5, 0.15, 0.85, 0.5], atol=0.02)
    con = gaussian_stream(40_000, kind="concept", noise=0.0, rng=0)
    m0 = con.X[con.concept == 0].mean(axis=0)
    m1 = con.X[con.concept == 1].mean(axis=0)
    np.testing.assert_allclose(m0, m1, atol=0.05)  # P(x) unchanged


def test_hyperplane_gradual_drift_moves_weights():
    a = hyperplane_stream(5000, n_concepts=1, noise=0.0, rng=4)
    b = hyperplane_stream(5000, n_concepts=1, noise=0.0, mag_change=0.01, rng=4)
    assert a.change_points == ()
    assert np.mean(a.y != b.y) > 0.05


@pytest.mark.oracle
def test_sea_labels_match_river():
    synth = pytest.importorskip("river.datasets.synth")
    for variant, threshold in enumerate((8.0, 9.0, 7.0, 9.5)):
        rows = list(synth.SEA(variant=variant, seed=7).take(500))
        X = np.array([[x[0], x[1], x[2]] for x, _ in rows])
        y = np.array([int(v) for _, v in rows])
        s = sea_stream(2, thresholds=(threshold,), noise=0.0, rng=0)
        ours = (X[:, 0] + X[:, 1] > threshold).astype(int)
        np.testing.assert_array_equal(ours, y)
        assert s.concepts == (f"x0 + x1 > {threshold:g}",)


@pytest.mark.oracle
@pytest.mark.parametrize("function", range(10))
def test_agrawal_functions_match_river(function):
    synth = pytest.importorskip("river.datasets.synth")
    rows = list(synth.Agrawal(classification_function=function, seed=11).take(2000))
    names = [
        "salary",
        "commission",
        "age",
        "elevel",
        "car",
        "zipcode",
        "hvalue",
        "hyears",
        "loan",
    ]
    X = np.array([[x[k] for k in names] for x, _ in rows], dtype=float)
    y = np.array([v for _, v in rows])
    np.testing.assert_array_equal(_agrawal_label(X, function), y)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(10, 400), seed=st.integers(0, 2**16))
def test_property_shapes_and_sorted_change_points(n, seed):
    for make in GENERATORS:
        s = make(n, rng=seed)
        assert s.X.shape[0] == n
        assert np.isfinite(s.X).all()
        cps = list(s.change_points)
        assert cps == sorted(set(cps))
        assert all(0 < c < n for c in cps)


BAD = [
    (lambda: sea_stream(1), "'n_samples' parameter of sea_stream"),
    (lambda: sea_stream(100, noise=1.5), "'noise' parameter of sea_stream"),
    (lambda: sea_stream(100, thresholds=()), "'thresholds'"),
    (lambda: sea_stream(100, change_points=[10, 5, 50]), "strictly increasing"),
    (lambda: sea_stream(100, change_points=[10]), "3 position"),
    (lambda: sea_stream(100, change_points=[10, 20, 100]), "'change_points'"),
    (lambda: sea_stream(100, rng=-1), "'rng'"),
    (lambda: hyperplane_stream(100, n_drift_features=20), "'n_drift_features'"),
    (lambda: hyperplane_stream(100, mag_change=-1.0), "'mag_change'"),
    (
        lambda: agrawal_stream(100, functions=(0, 10)),
        "'functions' parameter of agrawal_stream",
    ),
    (lambda: gaussian_stream(100, kind="label"), "'kind' parameter of gaussian_stream"),
    (lambda: gaussian_stream(100, magnitude=-1.0), "'magnitude'"),
]


@pytest.mark.parametrize(("make", "message"), BAD)
def test_bad_input_table(make, message):
    with pytest.raises(InvalidParameterError, match=message):
        make()


def test_gradual_width_mixes_the_concepts_across_the_transition():
    from mllifecycle.datasets import agrawal_stream, sea_stream

    abrupt = sea_stream(20_000, noise=0.0, rng=4)
    assert np.array_equal(abrupt.y, sea_stream(20_000, noise=0.0, gradual_width=0, rng=4).y)
    s = sea_stream(20_000, thresholds=(8.0, 9.5), noise=0.0, gradual_width=4000, rng=4)
    total = s.X[:, 0] + s.X[:, 1]
    old, new = (total > 8.0).astype(int), (total > 9.5).astype(int)
    differ = old != new
    assert np.array_equal(s.y[:8000], old[:8000])  # before the transition: the old concept
    assert np.array_equal(s.y[12_000:], new[12_000:])  # after it: the new one
    # inside, where the two concepts disagree, the share of the new one rises linearly
    for lo, expected in ((8000, 0.125), (10_000, 0.625), (11_000, 0.875)):
        rows = np.arange(lo, lo + 1000)
        rows = rows[differ[rows]]
        share = float(np.mean(s.y[rows] == new[rows]))
        assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / rows.size) + 0.02
    g = agrawal_stream(6000, functions=(0, 2), gradual_width=1000, rng=0)
    assert g.change_points == (3000,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gradual_width": -1}, "'gradual_width' parameter of sea_stream"),
        ({"gradual_width": 5000}, "no longer than the shortest concept segment"),
    ],
)
def test_gradual_width_bad_input(kwargs, message):
    from mllifecycle.datasets import sea_stream

    with pytest.raises(InvalidParameterError, match=message):
        sea_stream(8000, **kwargs)


@pytest.mark.parametrize("name", ["mean_shift_stream", "variance_shift_stream", "bernoulli_stream"])
def test_change_stream_generators_take_n_samples(name):
    import mllifecycle.datasets as ds

    make = getattr(ds, name)
    extra = {"rates": [0.1, 0.4]} if name == "bernoulli_stream" else {}
    s = make(n_samples=300, change_points=[150], rng=0, **extra)
    assert s.values.shape == (300,)
    with pytest.raises(InvalidParameterError, match=f"'n_samples' parameter of {name}"):
        make(n_samples=0, change_points=[], **extra)
