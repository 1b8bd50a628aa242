"""NoiseMatrix / LabelIssues.to_metrics keep one rate per class."""

from __future__ import annotations

import numpy as np

from mllifecycle.labels import estimate_noise_matrix, find_label_issues

Y_PROBA = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])


def test_classes_that_read_the_same_keep_both_rates():
    # classes 1 and "1" were both keyed "noise_rate.1": the second rate (0.0)
    # overwrote the first (1/3)
    y = np.array([1, 1, 1, "1", "1", "1"], dtype=object)
    classes = np.array([1, "1"], dtype=object)
    nm = estimate_noise_matrix(y, Y_PROBA, classes=classes)
    metrics = nm.to_metrics()
    assert metrics["noise_rate.1"] == nm.noise_rates[0] > 0.3
    assert metrics["noise_rate.'1'"] == nm.noise_rates[1] == 0.0
    issues = find_label_issues(y, Y_PROBA, classes=classes).to_metrics()
    assert issues["noise_rate.1"] > 0.3
    assert issues["noise_rate.'1'"] == 0.0


def test_plain_class_names_unchanged():
    nm = estimate_noise_matrix([0, 0, 0, 1, 1, 1], Y_PROBA)
    assert set(nm.to_metrics()) == {"noise_fraction", "noise_rate.0", "noise_rate.1"}
    nm = estimate_noise_matrix(["a", "a", "a", "b", "b", "b"], Y_PROBA)
    assert set(nm.to_metrics()) == {"noise_fraction", "noise_rate.a", "noise_rate.b"}
