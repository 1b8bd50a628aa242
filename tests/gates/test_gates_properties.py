"""Property tests (hypothesis) of the paired comparisons."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mllifecycle.gates import delong, mcnemar, paired_bootstrap

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def labelled(draw, min_n=4, max_n=60):
    n = draw(st.integers(min_n, max_n))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    a = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    b = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    y[0], y[1] = 0, 1  # both classes present
    return y, a, b


@st.composite
def scored(draw, min_n=4, max_n=60):
    y, _, _ = draw(labelled(min_n, max_n))
    y[:4] = [0, 1, 0, 1]  # at least two of each class
    n = y.size
    a = draw(arrays(np.float64, n, elements=st.floats(0, 1)))
    b = draw(arrays(np.float64, n, elements=st.floats(0, 1)))
    return y, a, b


@pytest.mark.filterwarnings("ignore::mllifecycle.exceptions.DegenerateDataWarning")
@SETTINGS
@given(labelled(), st.sampled_from(["two-sided", "superiority", "non-inferiority"]))
def test_accuracy_bootstrap_invariants(data, hypothesis):
    y, a, b = data
    margin = 0.0 if hypothesis == "two-sided" else 0.05
    kw = {
        "metric": "accuracy",
        "n_resamples": 200,
        "rng": 3,
        "hypothesis": hypothesis,
        "margin": margin,
    }
    res = paired_bootstrap(y, a, b, ci_method="percentile", **kw)
    assert 0.0 <= res.p_value <= 1.0
    # percentile interval of a bootstrap mean contains the point estimate
    assert res.ci_low <= res.difference + 1e-12
    assert res.difference <= res.ci_high + 1e-12
    assert res.bca_ci[0] <= res.bca_ci[1]
    again = paired_bootstrap(y, a, b, ci_method="percentile", **kw)
    assert again.to_dict() == res.to_dict()
    assert res.difference == pytest.approx(np.mean(b == y) - np.mean(a == y))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.p_value = 0.5


@pytest.mark.filterwarnings("ignore::mllifecycle.exceptions.DegenerateDataWarning")
@SETTINGS
@given(scored(min_n=8), st.sampled_from(["roc_auc", "log_loss", "brier_score", "ece"]))
def test_probability_metric_invariants(data, metric):
    y, a, b = data
    res = paired_bootstrap(y, a, b, metric=metric, n_resamples=100, rng=0)
    assert 0.0 <= res.p_value <= 1.0
    assert res.ci_low <= res.ci_high
    assert res.percentile_ci[0] <= res.percentile_ci[1]
    assert res.n_resamples <= 100
    assert paired_bootstrap(y, a, b, metric=metric, n_resamples=100, rng=0) == res


@SETTINGS
@given(labelled(), st.integers(0, 2**32 - 1))
def test_observed_difference_is_permutation_invariant(data, seed):
    y, a, b = data
    perm = np.random.default_rng(seed).permutation(y.size)
    r1 = paired_bootstrap(y, a, b, metric="f1", n_resamples=40, rng=0)
    r2 = paired_bootstrap(y[perm], a[perm], b[perm], metric="f1", n_resamples=40, rng=0)
    assert r1.difference == pytest.approx(r2.difference)


@SETTINGS
@given(labelled())
def test_swapping_models_negates_the_difference(data):
    y, a, b = data
    r1 = paired_bootstrap(y, a, b, metric="accuracy", n_resamples=300, rng=1)
    r2 = paired_bootstrap(y, b, a, metric="accuracy", n_resamples=300, rng=1)
    assert r2.difference == pytest.approx(-r1.difference)
    assert r2.champion_value == r1.challenger_value


@SETTINGS
@given(labelled(min_n=2))
def test_mcnemar_invariants(data):
    y, a, b = data
    res = mcnemar(y, a, b)
    assert 0.0 <= res.p_value <= 1.0
    assert res.statistic >= 0
    assert res.n_champion_only + res.n_challenger_only <= y.size
    swapped = mcnemar(y, b, a)
    assert swapped.p_value == pytest.approx(res.p_value)


@SETTINGS
@given(scored(min_n=6))
def test_delong_invariants(data):
    y, a, b = data
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = delong(y, a, b)
    assert 0.0 <= res.p_value <= 1.0
    assert res.ci_low <= res.difference <= res.ci_high
    assert 0.0 <= res.champion_auc <= 1.0


@SETTINGS
@given(scored(min_n=6, max_n=40), st.sampled_from(["roc_auc", "brier_score", "log_loss"]))
def test_permutation_p_value_is_symmetric_and_in_range(data, metric):
    from mllifecycle.gates import paired_permutation

    y, a, b = data
    a = np.clip(a, 0.01, 0.99)
    b = np.clip(b, 0.01, 0.99)
    kw = {"metric": metric, "n_resamples": 256, "rng": 0}
    ab = paired_permutation(y, a, b, **kw)
    ba = paired_permutation(y, b, a, **kw)
    assert 0.0 < ab.p_value <= 1.0
    assert ab.difference == pytest.approx(-ba.difference, abs=1e-12)
    if ab.exact:  # enumerated or convolved: exchanging the models changes nothing
        assert ab.p_value == pytest.approx(ba.p_value, abs=1e-12)
    # one-sided p-values in the two directions cover every swap at least once
    sup = paired_permutation(y, a, b, hypothesis="superiority", **kw)
    sup_rev = paired_permutation(y, b, a, hypothesis="superiority", **kw)
    if ab.exact:
        assert sup.p_value + sup_rev.p_value >= 1.0 - 1e-12


@SETTINGS
@given(labelled())
def test_permutation_accuracy_equals_exact_mcnemar(data):
    from mllifecycle.gates import paired_permutation

    y, a, b = data
    assert paired_permutation(y, a, b, metric="accuracy").p_value == pytest.approx(
        mcnemar(y, a, b, exact=True).p_value, rel=1e-9, abs=1e-15
    )
