"""Agreement with scipy (and direct formulas) on random cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

from mllifecycle import drift
from mllifecycle.drift._ks import ks_pvalues, ks_statistic_columns
from mllifecycle.testing import check_two_sample_test

RTOL = 1e-9


def _close(a, b, rtol=RTOL, atol=1e-12):
    return abs(a - b) <= atol + rtol * abs(b)


def _samples(rng, kind, n, m):
    if kind == "normal":
        return rng.normal(size=n), rng.normal(0.1, 1.2, size=m)
    if kind == "t":
        return rng.standard_t(2, size=n), rng.standard_t(2, size=m) + 0.3
    if kind == "poisson":
        return rng.poisson(2, size=n).astype(float), rng.poisson(2.3, size=m).astype(float)
    return rng.lognormal(size=n), rng.lognormal(size=m)


SIZES = [
    (5, 7),
    (8, 8),
    (20, 33),
    (50, 50),
    (137, 211),
    (1000, 1000),
    (400, 10001),
    (12000, 11000),
]
KINDS = ["normal", "t", "poisson", "lognormal"]


@pytest.mark.parametrize(("n", "m"), SIZES)
@pytest.mark.parametrize("kind", KINDS)
def test_ks_equals_scipy(n, m, kind):
    rng = np.random.default_rng(n * 7 + m + len(kind))
    x, y = _samples(rng, kind, n, m)
    res = drift.ks(x, y)
    ref = stats.ks_2samp(x, y)
    assert res.statistic == float(ref.statistic)
    assert _close(res.p_value, float(ref.pvalue))
    assert res.effect_size == res.statistic


def test_ks_vectorised_columns_equal_scipy_axis():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 25))
    y = rng.normal(size=(300, 25)) + np.linspace(0, 0.5, 25)
    d, p = ks_pvalues(ks_statistic_columns(x, y), 300, 300)
    ref = stats.ks_2samp(x, y, axis=0)
    np.testing.assert_array_equal(d, ref.statistic)
    np.testing.assert_allclose(p, ref.pvalue, rtol=RTOL, atol=1e-300)


@pytest.mark.parametrize(("n", "m"), [(6, 9), (25, 25), (40, 90), (500, 300)])
@pytest.mark.parametrize("kind", KINDS)
def test_cramer_von_mises_equals_scipy(n, m, kind):
    rng = np.random.default_rng(n + m)
    x, y = _samples(rng, kind, n, m)
    res = drift.cramer_von_mises(x, y, rng=0)
    ref = stats.cramervonmises_2samp(x, y)
    assert _close(res.statistic, ref.statistic)
    if res.details["p_value_method"] == "asymptotic":  # no ties, > 200 values
        assert kind != "poisson"
        assert _close(res.p_value, ref.pvalue)
    else:  # ties or small: a permutation p-value, checked against scipy's permutation_test
        assert n + m <= 200 or kind == "poisson"
        oracle = stats.permutation_test(
            (x, y),
            # the statistic only: method="asymptotic" skips the exact null
            # distribution scipy computes for small samples at every call
            lambda a, b: stats.cramervonmises_2samp(a, b, method="asymptotic").statistic,
            n_resamples=4999,
            alternative="greater",
            random_state=1,
        ).pvalue
        se = np.sqrt(oracle * (1 - oracle) / 999) + np.sqrt(oracle * (1 - oracle) / 4999)
        assert abs(res.p_value - oracle) <= 4 * se + 2e-3


def test_cramer_von_mises_ties_identical_samples_not_drift():
    # issue 12 item 1: scipy's p-value assumes no ties (p = 0.0003 here)
    assert stats.cramervonmises_2samp(np.zeros(10), np.zeros(20)).pvalue < 0.01
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = drift.cramer_von_mises(np.zeros(10), np.zeros(20), rng=0)
    assert res.p_value == 1.0
    assert not res.drift_detected


@pytest.mark.parametrize("seed", range(12))
def test_anderson_darling_equals_scipy_where_uncapped(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(10, 300, size=2)
    x = rng.normal(size=n)
    y = rng.normal(rng.uniform(0, 0.6), size=m)
    res = drift.anderson_darling(x, y, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = stats.anderson_ksamp([x, y], variant="midrank")
    assert _close(res.statistic, ref.statistic)
    if 0.001 < ref.pvalue < 0.25:
        assert res.details["p_value_method"] == "interpolated"
        assert _close(res.p_value, ref.pvalue)
    else:
        assert res.details["p_value_method"] == "permutation"


def test_anderson_darling_permutation_beyond_cap_matches_scipy_permutation():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=40), rng.normal(size=40)  # p > 0.25: capped by scipy
    res = drift.anderson_darling(x, y, n_resamples=4999, rng=0)
    ref = stats.anderson_ksamp(
        [x, y],
        variant="midrank",
        method=stats.PermutationMethod(n_resamples=4999, rng=np.random.default_rng(0)),
    )
    assert res.details["p_value_method"] == "permutation"
    assert res.p_value > 0.25
    assert abs(res.p_value - ref.pvalue) < 0.03  # two Monte Carlo estimates


def test_anderson_darling_statistic_of_permutation_code_equals_scipy():
    from mllifecycle.drift._anderson import _ad_sigma, ad_from_counts
    from mllifecycle.drift._grouped import pooled_groups

    rng = np.random.default_rng(5)
    x = rng.poisson(3, 30).astype(float)
    y = rng.poisson(3, 45).astype(float)
    g = pooled_groups(x, y, max_groups=None)
    a2akn = ad_from_counts(g.ref_counts[None, :].astype(float), g.sizes, 30)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = stats.anderson_ksamp([x, y], variant="midrank")
    assert _close((a2akn - 1.0) / _ad_sigma(30, 45), ref.statistic)


@pytest.mark.parametrize("seed", range(8))
def test_chi_square_equals_scipy_with_unseen_categories(seed):
    rng = np.random.default_rng(seed)
    cats = np.array(["a", "b", "c", "d", "e"])
    x = rng.choice(cats[:4], size=rng.integers(30, 200))
    y = rng.choice(cats, size=rng.integers(30, 200))  # "e" never in x
    res = drift.chi_square(x, y)
    u = np.union1d(x, y)
    table = np.array([[np.sum(x == c) for c in u], [np.sum(y == c) for c in u]])
    ref = stats.chi2_contingency(table)
    assert _close(res.statistic, ref.statistic)
    if ref.expected_freq.min() >= 5:
        assert _close(res.p_value, ref.pvalue)
    else:  # small expected counts: an exact permutation p-value instead
        assert res.details["p_value_method"] == "permutation"
    assert ("e" in res.details["unseen"]) == bool(np.any(y == "e"))


def test_chi_square_two_categories_uses_yates_like_scipy():
    x = ["a"] * 30 + ["b"] * 20
    y = ["a"] * 18 + ["b"] * 32
    ref = stats.chi2_contingency([[30, 20], [18, 32]])
    res = drift.chi_square(x, y)
    assert _close(res.statistic, ref.statistic)
    assert _close(res.p_value, ref.pvalue)


def _quiet_energy(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny samples cannot reject: warned
        return drift.energy(x, y, n_resamples=19, rng=0)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("kind", KINDS)
def test_wasserstein_and_energy_equal_scipy(seed, kind):
    rng = np.random.default_rng(seed)
    x, y = _samples(rng, kind, int(rng.integers(2, 200)), int(rng.integers(2, 200)))
    w = drift.wasserstein(x, y, threshold=1.0)
    assert _close(w.statistic, stats.wasserstein_distance(x, y))
    e = _quiet_energy(x, y)
    assert _close(e.statistic, stats.energy_distance(x, y), atol=1e-12)


def _direct_mmd2(x, y, sigma):
    def k(a, b):
        d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * sigma**2))

    n, m = len(x), len(y)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return (
        (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
        + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        - 2 * kxy.mean()
    )


@pytest.mark.parametrize("seed", range(6))
def test_mmd_equals_direct_unbiased_formula(seed):
    rng = np.random.default_rng(seed)
    n, m, d = rng.integers(5, 120), rng.integers(5, 120), rng.integers(1, 6)
    x = rng.normal(size=(n, d))
    y = rng.normal(0.2, 1.0, size=(m, d))
    res = drift.mmd(x, y, n_resamples=20, rng=0)
    z = np.vstack([x, y])
    dist = np.sqrt(((z[:, None] - z[None]) ** 2).sum(-1))[np.triu_indices(n + m, 1)]
    sigma = np.median(dist)
    assert _close(res.details["bandwidth"], sigma)
    assert _close(res.statistic, _direct_mmd2(x, y, sigma), atol=1e-12)
    fixed = drift.mmd(x, y, n_resamples=20, bandwidth=0.7, rng=0)
    assert _close(fixed.statistic, _direct_mmd2(x, y, 0.7), atol=1e-12)


@pytest.mark.parametrize("scale", [1e-7, 1e-4, 1.0])
def test_mmd_and_energy_exact_when_distances_are_far_below_the_data_scale(scale):
    """Near-duplicate rows next to far-away ones (a median bandwidth of ~1e-7 on
    data of scale 1): the expansion |a|^2 + |b|^2 - 2ab cancels there, and once
    gave a statistic 0.5% off that changed with the order of the rows
    (hypothesis found x = 4 x (1, 1), y = 8 rows at ~1.2e-7)."""
    x = np.ones((4, 2))
    y = np.full((8, 2), 1.1920929 * scale)
    y[0, 0] = 0.0
    y[1:, 1] += np.arange(7) * 1e-9
    z = np.vstack([x, y])
    dist = np.sqrt(((z[:, None] - z[None]) ** 2).sum(-1))[np.triu_indices(12, 1)]
    sigma = float(np.median(dist))
    res = drift.mmd(x, y, n_resamples=29, rng=5)
    assert _close(res.details["bandwidth"], sigma)
    assert _close(res.statistic, _direct_mmd2(x, y, sigma), rtol=1e-9, atol=1e-12)
    g = np.random.default_rng(0)
    for _ in range(3):
        px, py = x[g.permutation(4)], y[g.permutation(8)]
        again = drift.mmd(px, py, n_resamples=29, rng=5)
        assert abs(again.statistic - res.statistic) <= 1e-9 * max(1.0, abs(res.statistic))
        e1 = _quiet_energy(x, y)
        e2 = _quiet_energy(px, py)
        assert abs(e1.statistic - e2.statistic) <= 1e-9 * max(1.0, abs(e1.statistic))


def test_wasserstein_energy_mmd_finite_on_subnormal_data():
    """Values below 2**-1022 once got a power-of-two scale of 2**1030 = inf, so
    wasserstein and energy returned nan (scipy: finite)."""
    x = np.array([5e-324, 0.0, -5e-324, 1e-310, 3e-310])
    y = np.array([0.0, 5e-324, 2e-310, -1e-309])
    w = drift.wasserstein(x, y, threshold=1.0)
    assert _close(w.statistic, stats.wasserstein_distance(x, y), atol=0.0)
    e = _quiet_energy(x, y)
    assert _close(e.statistic, stats.energy_distance(x, y), atol=0.0)
    # scaling by a power of two is exact: the 2-D tests scale along
    xx, yy = np.c_[x, 2 * x], np.c_[y, 3 * y]
    big = 2.0**1000
    e2, e2_big = _quiet_energy(xx, yy), _quiet_energy(xx * big, yy * big)
    assert np.isfinite(e2.statistic)
    assert _close(e2.statistic * 2.0**500, e2_big.statistic, atol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m2 = drift.mmd(xx, yy, n_resamples=20, rng=0)
        m2_big = drift.mmd(xx * big, yy * big, n_resamples=20, rng=0)
    assert _close(m2.statistic, m2_big.statistic, atol=1e-12)
    assert _close(m2.details["bandwidth"] * big, m2_big.details["bandwidth"], atol=0.0)


@pytest.mark.parametrize("fn", [drift.psi, drift.jensen_shannon, drift.hellinger])
def test_binned_divergences_invariant_to_scale_near_the_float_limit(fn):
    """Quantile bins are scale-invariant; np.quantile between -1.4e308 and
    1.4e308 once overflowed to a -inf edge (PSI 4.169 instead of 3.995)."""
    x = np.array([-1.7, 1.7, -1.6, 1.6, -1.5, 1.5, -1.4, 1.4]) * 1e308
    y = np.array([1.7, 1.65, 1.6, 1.55, 1.5, -1.7]) * 1e308
    big = fn(x, y, threshold=1.0)
    small = fn(x * 2.0**-10, y * 2.0**-10, threshold=1.0)
    assert big.statistic == small.statistic
    assert big.details == small.details


def test_mmd_permutation_p_matches_explicit_loop():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(15, 2)), rng.normal(0.5, 1.0, size=(12, 2))
    res = drift.mmd(x, y, n_resamples=50, bandwidth=1.0, rng=123)
    # the documented stream: chunks of <= 256 resamples, each from a child of
    # SeedSequence(4 words drawn from rng); in each row the 15 rows with the
    # smallest 32-bit keys (the chunk's raw 64-bit draws, read as two keys
    # each) are relabelled as the reference
    entropy = np.random.default_rng(123).integers(0, 2**63, size=4, dtype=np.int64)
    child = np.random.SeedSequence([int(e) for e in entropy]).spawn(1)[0]
    raw = np.random.default_rng(child).bit_generator.random_raw((50, 14))
    keys = raw.view(np.uint32)[:, :27]
    labels = np.argsort(np.argsort(keys, axis=1), axis=1) < 15
    z = np.vstack([x, y])
    perm = np.array([_direct_mmd2(z[lab], z[~lab], 1.0) for lab in labels])
    b = np.sum(perm >= res.statistic - 1e-12)
    assert res.p_value == pytest.approx((b + 1) / 51)


def test_energy_multivariate_equals_direct_formula():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(30, 3)), rng.normal(0.3, 1.0, size=(25, 3))

    def mean_dist(a, b):
        return np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1)).mean()

    e = 2 * mean_dist(x, y) - mean_dist(x, x) - mean_dist(y, y)
    res = drift.energy(x, y, n_resamples=20, rng=0)
    assert _close(res.statistic, np.sqrt(e))
    assert _close(res.effect_size, e / (2 * mean_dist(x, y)))


def test_jensen_shannon_equals_scipy_on_categories():
    from scipy.spatial.distance import jensenshannon

    x = ["a"] * 40 + ["b"] * 35 + ["c"] * 25
    y = ["a"] * 20 + ["b"] * 50 + ["c"] * 20 + ["d"] * 10
    res = drift.jensen_shannon(x, y, threshold=0.1)
    p = np.array([40, 35, 25, 0]) / 100
    q = np.array([20, 50, 20, 10]) / 100
    assert _close(res.statistic, jensenshannon(p, q, base=2))
    h = drift.hellinger(x, y, threshold=0.1)
    assert _close(h.statistic, np.sqrt(1 - np.sum(np.sqrt(p * q))))
    assert res.p_value is None
    assert res.drift_detected == (res.statistic >= 0.1)


def test_psi_textbook_value_and_bands():
    # reference deciles; current puts 20% in the first decile and 0% in the last
    ref = np.arange(1000, dtype=float)
    cur = np.concatenate([np.arange(0, 100, 0.5), np.arange(100, 900, 1.0)])
    res = drift.psi(ref, cur, threshold=0.25)
    p = np.full(10, 0.1)
    q = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0])
    q = np.maximum(q, 1e-4)
    expected = np.sum((q - p) * np.log(q / p))
    assert _close(res.statistic, expected)
    assert res.details["band"] == "major"
    assert res.drift_detected


def test_adjust_p_values_against_statsmodels():
    sm = pytest.importorskip("statsmodels.stats.multitest")
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.2, size=17) ** 2
    for ours, theirs in [
        ("holm", "holm"),
        ("bonferroni", "bonferroni"),
        ("fdr_bh", "fdr_bh"),
    ]:
        expected = sm.multipletests(p, method=theirs)[1]
        np.testing.assert_allclose(drift.adjust_p_values(p, ours), expected, rtol=1e-12)
    np.testing.assert_array_equal(drift.adjust_p_values(p, None), p)


def _two_d(rng):
    return rng.normal(size=(40, 3)), rng.normal(size=(35, 3))


UNIVARIATE = [
    (drift.ks, {}),
    (drift.cramer_von_mises, {}),
    (drift.anderson_darling, {"n_resamples": 99}),
    (drift.psi, {"n_resamples": 99}),
    (drift.jensen_shannon, {"n_resamples": 99}),
    (drift.hellinger, {"n_resamples": 99}),
    (drift.wasserstein, {"n_resamples": 99}),
]


@pytest.mark.parametrize(("fn", "kw"), UNIVARIATE, ids=lambda v: getattr(v, "__name__", ""))
def test_protocol_check_univariate(fn, kw):
    rng = np.random.default_rng(0)
    check_two_sample_test(fn, rng.normal(size=60), rng.normal(0.3, size=70), **kw)


def test_protocol_check_categorical():
    rng = np.random.default_rng(0)
    cats = np.array(["a", "b", "c"])
    x, y = rng.choice(cats, 80), rng.choice(cats, 90)
    check_two_sample_test(drift.chi_square, x, y)
    for fn in (drift.psi, drift.jensen_shannon, drift.hellinger):
        check_two_sample_test(fn, x, y, n_resamples=50)


@pytest.mark.parametrize(
    ("fn", "kw"),
    [
        (drift.mmd, {"n_resamples": 50}),
        (drift.energy, {"n_resamples": 50}),
        (drift.classifier_drift, {"cv": 3}),
    ],
    ids=["mmd", "energy", "classifier_drift"],
)
def test_protocol_check_multivariate(fn, kw):
    from sklearn.linear_model import LogisticRegression

    if fn is drift.classifier_drift:
        kw = {**kw, "estimator": LogisticRegression()}
    x, y = _two_d(np.random.default_rng(1))
    check_two_sample_test(fn, x, y, **kw)


def test_protocol_runtime_checkable():
    from mllifecycle.protocols import TwoSampleTest

    for name in drift.__all__:
        obj = getattr(drift, name)
        if callable(obj) and name[0].islower() and name not in ("detect", "adjust_p_values"):
            assert isinstance(obj, TwoSampleTest)


def test_ks_vectorised_edge_cases_equal_scipy():
    one_ulp = np.nextafter(1.0, 2.0)
    a = np.array([0.0, -0.0, 1.0, one_ulp, -1.0, np.nextafter(-1.0, 0), 3.0, -2.5, 2.5, 0.0])
    b = np.array([-0.0, one_ulp, 1.0, -1.0, 5.0, np.nextafter(0, 1), -2.5, 2.5, 7.0])
    cases = [(a, b), (b, a), (a[:5], b), (np.ones(7), np.ones(9)), (-np.ones(4), np.ones(4))]
    for x, y in cases:
        d, p = ks_pvalues(ks_statistic_columns(x[:, None], y[:, None]), len(x), len(y))
        ref = stats.ks_2samp(x, y)
        assert d[0] == ref.statistic
        assert _close(p[0], ref.pvalue)


def test_ks_hypothesis_against_scipy():
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    values = st.sampled_from([-3.0, -1.0, -0.0, 0.0, 1e-300, 1.0, np.nextafter(1.0, 2.0), 2.0])
    mixed = st.one_of(values, st.floats(-1e6, 1e6, allow_nan=False, width=64))

    @settings(max_examples=60, deadline=None)
    @given(
        x=arrays(np.float64, st.tuples(st.integers(2, 30), st.just(3)), elements=mixed),
        y=arrays(np.float64, st.tuples(st.integers(2, 30), st.just(3)), elements=mixed),
    )
    def check(x, y):
        d, p = ks_pvalues(ks_statistic_columns(x, y), len(x), len(y))
        for j in range(3):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # exact -> asymp switch
                ref = stats.ks_2samp(x[:, j], y[:, j])
            assert d[j] == ref.statistic
            assert _close(p[j], ref.pvalue)

    check()


@pytest.mark.parametrize("n", [2, 3, 7, 20, 200])
def test_ks_equal_sizes_p_value_next_to_one_takes_scipys_branch(n):
    # D = 1/n (one differing value) gives an exact p-value of 1 up to
    # rounding; scipy's recursion can land just above 1 and then fall back
    # to the asymptotic p-value. The same sample must give the same answer.
    x = np.full((n, 1), -3.0)
    y = x.copy()
    y[0, 0] = -1.0
    d, p = ks_pvalues(ks_statistic_columns(x, y), n, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = stats.ks_2samp(x[:, 0], y[:, 0])
    assert d[0] == ref.statistic
    assert _close(p[0], ref.pvalue)


def test_wasserstein_effect_size_does_not_depend_on_row_order():
    """The effect size divided by ref.std() of the rows as given: summation
    order changed its last bits (65 of 200 random cases), so
    Reference.compare's report differed from detect's."""
    for seed in range(40):
        g = np.random.default_rng(seed)
        x = g.normal(size=int(g.integers(3, 300))) * g.choice([1.0, 1e-3, 1e5]) + 1e3
        y = g.normal(size=50)
        a = drift.wasserstein(x, y, threshold=1.0)
        b = drift.wasserstein(g.permutation(x), g.permutation(y), threshold=1.0)
        assert a.effect_size == b.effect_size
    g = np.random.default_rng(43)
    ref, cur = g.normal(size=(10, 3)), g.normal(size=(10, 3))
    fitted = drift.Reference.fit(ref, tests="wasserstein").compare(cur, rng=1)
    assert fitted.to_dict() == drift.detect(ref, cur, tests="wasserstein", rng=1).to_dict()


@pytest.mark.parametrize("exponent", [-45, -70, -200, 40])
def test_wasserstein_p_value_invariant_to_power_of_two_scaling(exponent):
    """The permutation p-value counted |perm - obs| < 1e-12 as ties: on data
    spread over ~1e-13 every relabelling tied and p was 1.0 for any shift."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=100), rng.normal(size=100) + 1.0
    s = 2.0**exponent
    for cur in (y, rng.normal(size=100)):
        base = drift.wasserstein(x, cur, rng=0)
        scaled = drift.wasserstein(x * s, cur * s, rng=0)
        assert scaled.p_value == base.p_value
        assert scaled.statistic == base.statistic * s
    assert drift.wasserstein(x * s, y * s, rng=0).drift_detected


def test_energy_small_true_distances_are_not_zeroed():
    """Energy distances below 1e-6 of the cross term were set to 0 as rounding
    noise: a 3e-4 sd shift gave 0.0 (scipy: 5.0e-4), in 1-D where the
    statistic is exact, and in 2-D where the noise is ~1e-15."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=3000)
    y = x + 3e-4
    e = drift.energy(x, y, rng=0, n_resamples=99)
    assert _close(e.statistic, stats.energy_distance(x, y), rtol=1e-9, atol=0.0)
    e2 = drift.energy(np.c_[x, x], np.c_[y, y], rng=0, n_resamples=99)
    assert _close(e2.statistic, stats.energy_distance(x, y) * 2**0.25, rtol=1e-6, atol=0.0)
    same = drift.energy(np.c_[x, x][:500], np.c_[x, x][:500][::-1], rng=0, n_resamples=99)
    assert same.statistic == 0.0


def _ks_loop(x, y):
    res = [stats.ks_2samp(x[:, j], y[:, j]) for j in range(x.shape[1])]
    return np.array([r.statistic for r in res]), np.array([r.pvalue for r in res])


@pytest.mark.parametrize(
    "kind",
    ["normal", "ties", "adjacent", "signed_zeros", "huge", "subnormal", "infinite", "extremes"],
)
def test_ks_columns_equal_scipy_bit_for_bit(kind):
    # several column blocks; the values carry the sample label in their lowest
    # mantissa bit, and the plain values are sorted again only where ties or
    # adjacent floats need them (an argsort where adjacent floats meet or a
    # packed infinity became NaN): every path gives scipy's statistic
    g = np.random.default_rng(3)
    n, m, p = 700, 500, 50  # several column blocks
    x, y = g.normal(size=(n, p)), g.normal(0.05, 1.0, size=(m, p))
    if kind == "ties":
        x, y = np.round(x), np.round(y)
    elif kind == "adjacent":
        y = np.nextafter(x[:m], np.inf)
        y[:, ::2] = x[:m, ::2]  # exact ties in half the columns
    elif kind == "signed_zeros":
        x = np.where(x > 0, 0.0, -0.0)
        y = np.where(y > 0.5, 1.0, 0.0)
    elif kind == "huge":
        x, y = x * 1e300, -np.abs(y) * 1e-300
    elif kind == "subnormal":
        # the smallest subnormals either side of zero, and both zeros: packing
        # the label bit into -5e-324 gives -0.0, which sorts equal to +0.0
        tiny = np.array([-5e-324, -0.0, 0.0, 5e-324, -1e-323, 1e-323])
        x, y = tiny[g.integers(0, 6, size=(n, p))], tiny[g.integers(0, 6, size=(m, p))]
        y[:, ::3] = tiny[g.integers(1, 4, size=(m, 1))]  # some columns meet no clash
    elif kind == "infinite":
        x[g.random((n, p)) < 0.02] = np.inf
        y[g.random((m, p)) < 0.02] = -np.inf
        x[:, ::4] = np.where(x[:, ::4] > 1, -np.inf, x[:, ::4])
    elif kind == "extremes":
        big = np.finfo(np.float64).max
        x = np.where(x > 1, big, np.where(x < -1, -big, x))
        y = np.where(y > 1, np.nextafter(big, 0), y)
    got = ks_statistic_columns(x, y)
    d, p_value = ks_pvalues(got, n, m)
    d_ref, p_ref = _ks_loop(x, y)
    assert np.array_equal(d, d_ref)
    assert np.allclose(p_value, p_ref, rtol=1e-12, atol=0)


def test_ks_columns_leave_the_inputs_untouched():
    g = np.random.default_rng(4)
    x = np.where(g.random((300, 40)) < 0.5, -0.0, g.normal(size=(300, 40)))
    y = g.normal(size=(200, 40))
    x0, y0 = x.copy(), y.copy()
    ks_statistic_columns(x, y)
    assert np.array_equal(np.signbit(x), np.signbit(x0))
    assert np.array_equal(x, x0)
    assert np.array_equal(y, y0)
