"""Wrong answers found by a bug hunt in the batch drift tests and detect."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import drift


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
def test_detect_bins_declared_categorical_numbers_by_category(test):
    # integer codes declared categorical were binned at quantiles: PSI 0.04
    # ("stable") where moving every even code to its odd neighbour gives 3.17
    rng = np.random.default_rng(13)
    r = rng.integers(0, 40, 2000)
    c = rng.integers(0, 40, 1500)
    c[c % 2 == 0] = (c[c % 2 == 0] + 1) % 40
    direct = getattr(drift, test)(r, c, categorical=True, rng=0)
    rep = drift.detect(r[:, None], c[:, None], tests=test, categorical_features=[0], rng=0)
    fitted = drift.Reference.fit(r[:, None], tests=test, categorical_features=[0])
    for f in (rep.features[0], fitted.compare(c[:, None], rng=0).features[0]):
        assert f.result.details["binning"] == "categories"
        assert f.statistic == direct.statistic
        assert f.p_value == direct.p_value


@pytest.mark.parametrize("base", [2**60, 2**70])
def test_python_integers_beyond_2_53_are_kept_exact(base):
    # an object array (or list) of Python ints went through float64: at 2**60
    # the p-value was 0.024 instead of 1e-11, at 2**70 every value was one
    # constant (p = 1, "no drift"); int64 arrays were already shifted exactly
    from scipy import stats

    r = [base + i for i in range(100)]
    c = [base + i + 50 for i in range(100)]
    expected = stats.ks_2samp(np.arange(100), np.arange(100) + 50)
    for ref, cur in ((r, c), (np.array(r, dtype=object), np.array(c, dtype=object))):
        res = drift.ks(ref, cur)
        assert res.statistic == expected.statistic
        assert res.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    rep = drift.detect(np.array([r], dtype=object).T, np.array([c], dtype=object).T)
    assert rep.features[0].p_value == pytest.approx(expected.pvalue, rel=1e-9)
    w = drift.wasserstein(np.array(r, dtype=object), np.array(c, dtype=object), rng=0)
    assert w.statistic == 50.0


def test_reference_warns_about_python_integers_beyond_2_53():
    from mllifecycle.exceptions import DegenerateDataWarning

    col = np.array([[2**60 + i] for i in range(10)], dtype=object)
    with pytest.warns(DegenerateDataWarning, match="beyond 2\\*\\*53"):
        drift.Reference.fit(col)
