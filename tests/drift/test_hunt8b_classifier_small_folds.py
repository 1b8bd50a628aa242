"""classifier_drift keeps its level when a fold holds only a few rows of one sample."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.drift import classifier_drift


@pytest.mark.parametrize(("n", "m"), [(2, 80), (3, 60)])
def test_tiny_sample_against_a_large_one_keeps_the_level(n: int, m: int) -> None:
    # one or two reference rows per fold and tied neighbour scores: the normal
    # tail of the summed U was far too thin (8-9% false positives at 5%)
    rng = np.random.default_rng(3)
    reps = 250
    rejected = 0
    for i in range(reps):
        ref, cur = rng.normal(size=(n, 2)), rng.normal(size=(m, 2))
        res = classifier_drift(ref, cur, estimator=KNeighborsClassifier(3), rng=i)
        rejected += res.p_value <= 0.05
    assert rejected / reps <= 0.05


def test_fold_p_value_method_is_reported_only_for_small_folds() -> None:
    rng = np.random.default_rng(0)
    est = KNeighborsClassifier(3)
    small = classifier_drift(rng.normal(size=(4, 2)), rng.normal(size=(40, 2)),
                             estimator=est, rng=0)
    assert "Bonferroni" in small.details["p_value_method"]
    big = classifier_drift(rng.normal(size=(40, 2)), rng.normal(size=(40, 2)),
                           estimator=est, rng=0)
    assert big.details["p_value_method"] == "within-fold Mann-Whitney U, dependence-free bound"


def test_small_folds_still_detect_a_large_shift() -> None:
    rng = np.random.default_rng(1)
    ref, cur = rng.normal(size=(12, 2)), rng.normal(4.0, size=(200, 2))
    res = classifier_drift(ref, cur, estimator=KNeighborsClassifier(3), rng=0)
    assert res.drift_detected
    again = classifier_drift(ref, cur, estimator=KNeighborsClassifier(3), rng=0)
    assert again.p_value == res.p_value
