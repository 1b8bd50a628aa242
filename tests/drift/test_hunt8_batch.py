"""Hunt 8 (batch drift): findings checked against scipy and exact enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mllifecycle import drift


def _exact_cvm_null(n_total: int) -> np.ndarray:
    """Scipy's two-sample T for every placement of 2 reference values among ``n_total``.

    Without ties only the ranks matter; the current values between the k-th and
    (k+1)-th reference value each contribute ``k**2`` to ``sum (s_j - j)**2``.
    """
    n, m = 2, n_total - 2
    r1, r2 = np.triu_indices(n_total, 1)
    r1, r2 = r1 + 1.0, r2 + 1.0  # 1-based ranks of the reference values
    u = n * ((r1 - 1.0) ** 2 + (r2 - 2.0) ** 2) + m * ((r2 - r1 - 1.0) + 4.0 * (n_total - r2))
    out: np.ndarray = u / (n * m * n_total) - (4.0 * n * m - 1.0) / (6.0 * n_total)
    return out


def test_cvm_tiny_reference_against_large_current_keeps_its_level() -> None:
    # 2 values against 300: scipy's asymptotic p-value is 0.04997 here, the
    # exact permutation p-value 0.063 (enumerated below). The asymptotic null
    # rejected 6.3% of true nulls at alpha = 0.05 for such sizes.
    n_total = 302
    z = np.arange(n_total, dtype=np.float64)
    is_ref = np.zeros(n_total, dtype=bool)
    is_ref[[7, 59]] = True  # ranks 8 and 60
    ref, cur = z[is_ref], z[~is_ref]
    null = _exact_cvm_null(n_total)
    t_obs = float(stats.cramervonmises_2samp(ref, cur).statistic)
    p_exact = float(np.mean(null >= t_obs - 1e-12))
    assert stats.cramervonmises_2samp(ref, cur).pvalue < 0.05 < p_exact  # the trap
    res = drift.cramer_von_mises(ref, cur, n_resamples=9999, rng=0)
    assert res.statistic == pytest.approx(t_obs, rel=1e-12)
    assert res.details["p_value_method"].startswith("permutation")
    se = np.sqrt(p_exact * (1.0 - p_exact) / 9999)
    assert abs(res.p_value - p_exact) < 4.0 * se + 1.0 / 10000
    assert not res.drift_detected
    # either way round, and through detect
    swapped = drift.cramer_von_mises(cur, ref, n_resamples=9999, rng=0)
    assert abs(swapped.p_value - p_exact) < 4.0 * se + 1.0 / 10000
    rep = drift.detect(ref[:, None], cur[:, None], tests="cramer_von_mises", rng=0)
    assert rep.features[0].result.details["p_value_method"].startswith("permutation")


@pytest.mark.parametrize(
    ("n", "m", "method"),
    [
        (2, 300, "permutation"),
        (5, 400, "permutation"),
        (6, 400, "asymptotic"),
        (300, 5, "permutation"),
        (150, 150, "asymptotic"),
    ],
)
def test_cvm_p_value_method_by_sizes(n: int, m: int, method: str) -> None:
    rng = np.random.default_rng(0)
    ref, cur = rng.normal(size=n), rng.normal(size=m)
    res = drift.cramer_von_mises(ref, cur, rng=0)
    assert res.details["p_value_method"] == method
    want = stats.cramervonmises_2samp(ref, cur)
    assert res.statistic == pytest.approx(want.statistic, rel=1e-12)
    if method == "asymptotic":  # unchanged: scipy's p-value
        assert res.p_value == pytest.approx(want.pvalue, rel=1e-12)
