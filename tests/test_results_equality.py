"""Results holding arrays compare with == as values (a bool; NaN equal to NaN)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import (
    entropy,
    estimate_noise_matrix,
    find_label_issues,
    margin,
    simulate,
    spread_labels,
)
from mllifecycle.transfer import importance_weights

RNG = np.random.default_rng(0)
X = RNG.normal(size=(120, 3))
Y = (X[:, 0] + 0.5 * RNG.normal(size=120) > 0).astype(int)
P = np.column_stack([1 / (1 + np.exp(2 * X[:, 0])), 1 - 1 / (1 + np.exp(2 * X[:, 0]))])


MAKE = {
    "Query": lambda: entropy(LogisticRegression().fit(X[:20], Y[:20]), X[20:], batch_size=5,
                             rng=0),
    "NoiseMatrix": lambda: estimate_noise_matrix(Y, P),
    "LabelIssues": lambda: find_label_issues(Y, P),
    "SpreadLabels": lambda: spread_labels(X, np.where(np.arange(120) < 20, Y, -1)),
    "SimulationResult": lambda: simulate(X, Y, LogisticRegression(), margin, budget=20,
                                         batch_size=5, rng=0),
    "ImportanceWeights": lambda: importance_weights(X[:60], X[60:], method="classifier",
                                                    rng=0),
}


@pytest.mark.parametrize("name", sorted(MAKE))
def test_results_compare_as_values(name):
    # before: NumPy's "truth value of an array is ambiguous" from ==
    a, b = MAKE[name](), MAKE[name]()
    assert type(a == b) is bool
    assert a == b
    assert a == copy.deepcopy(a)
    assert type(a != b) is bool
