"""classifier_drift seeding and estimator checks; Reference.reference_column names."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle import drift
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError


def test_same_rng_same_result_with_a_pipeline() -> None:
    # the forest inside the pipeline was left unseeded: the AUC changed on every call
    rng = np.random.default_rng(0)
    ref, cur = rng.normal(size=(80, 3)), rng.normal(0.2, size=(80, 3))
    est = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=10))
    runs = [drift.classifier_drift(ref, cur, estimator=est, rng=0) for _ in range(3)]
    assert len({(r.statistic, r.p_value) for r in runs}) == 1
    assert est.steps[1][1].random_state is None  # the caller's estimator is untouched


def test_estimator_class_is_refused_naming_estimator() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InvalidParameterError, match=r"'estimator'.*instance"):
        drift.classifier_drift(
            rng.normal(size=(20, 2)), rng.normal(size=(20, 2)), estimator=RandomForestClassifier
        )


def test_reference_column_refuses_an_unknown_name_naming_it() -> None:
    # a bare "ValueError: 'zz' is not in list" named neither the argument nor the columns
    ref = drift.Reference.fit(np.arange(10.0).reshape(5, 2))
    with pytest.raises(InvalidParameterError, match=r"'name'.*among \['x0', 'x1'\]"):
        ref.reference_column("zz")


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
def test_binned_tests_bin_decimals_as_numbers(test: str) -> None:
    # Decimal is no numbers.Real: the values were one category each ("no drift", p = 1)
    from decimal import Decimal

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=50).round(6), rng.normal(1.0, size=60).round(6)
    fn = getattr(drift, test)
    want = fn(a, b, rng=0)
    got = fn([Decimal(str(x)) for x in a], [Decimal(str(x)) for x in b], rng=0)
    assert (got.statistic, got.p_value) == (want.statistic, want.p_value)
    assert got.drift_detected


@pytest.mark.parametrize("bandwidth", [1e-160, 1e-200, 1e-300])
def test_mmd_tiny_bandwidth_is_its_limit_not_nan_or_a_crash(bandwidth: float) -> None:
    # 1e-160: statistic NaN and "drift" (p = 0.002) between samples of one
    # distribution; 1e-200 and below: a bare ZeroDivisionError
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 2)), rng.normal(size=(50, 2))
    # the kernel is the identity: every relabelling ties, and the user is told
    with pytest.warns(DegenerateDataWarning, match="cannot reject"):
        res = drift.mmd(a, b, bandwidth=bandwidth, rng=0)
    with pytest.warns(DegenerateDataWarning, match="cannot reject"):
        limit = drift.mmd(a, b, bandwidth=1e-5, rng=0)  # already identity-like on these rows
    assert (res.statistic, res.p_value) == (limit.statistic, limit.p_value) == (0.0, 1.0)
    assert not res.drift_detected
    assert res.details["bandwidth"] == bandwidth
