"""Noise rates of a class of y_proba that no row was given."""

from __future__ import annotations

import math

import numpy as np

from mllifecycle.labels import estimate_noise_matrix, find_label_issues


def _problem() -> tuple[np.ndarray, np.ndarray]:
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    p = np.array([[.8, .1, .1], [.7, .2, .1], [.2, .7, .1], [.1, .8, .1],
                  [.2, .7, .1], [.1, .8, .1], [.6, .3, .1], [.3, .6, .1]])
    return y, p


def test_noise_rate_of_a_class_never_given_is_nan() -> None:
    # it was 1.0: "every row given class 2 is wrong", of no rows at all
    y, p = _problem()
    nm = estimate_noise_matrix(y, p)
    assert math.isnan(nm.noise_rates[2])
    assert np.isfinite(nm.noise_rates[:2]).all()
    assert "noise_rate.2" not in nm.to_metrics()
    assert "noise_rate.0" in nm.to_metrics()


def test_noise_rate_with_classes_argument() -> None:
    y, p = _problem()
    res = find_label_issues(np.array(["a", "b"])[y], p, classes=["a", "b", "c"])
    assert math.isnan(res.noise.noise_rates[2])
    assert res.noise.noise_rates[0] == estimate_noise_matrix(y, p).noise_rates[0]
