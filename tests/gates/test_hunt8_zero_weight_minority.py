"""The small-sample rule counts the rarer class's rows of positive weight.

150 positives of which 100 weigh 0 are 50 examples of evidence: ``test="auto"``
must take the exact permutation test there, as it does on the 900 rows of
positive weight alone. It counted 150 and took the bootstrap, whose interval
over-rejects on such samples (log loss: p = 0.039 against the exact 0.088).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import paired_bootstrap

N = 1000


def _data() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(150, int), np.zeros(N - 150, int)]
    pa = np.clip(0.3 * y + 0.7 * rng.random(N), 0, 1)
    pb = np.clip(0.3 * y + 0.7 * rng.random(N), 0, 1)
    w = np.ones(N)
    w[:100] = 0.0  # 100 of the 150 positives carry no weight
    return y, pa, pb, w


@pytest.mark.parametrize("metric", ["log_loss", "brier_score", "f1", "precision"])
def test_zero_weight_rows_do_not_count_toward_the_rarer_class(metric: str) -> None:
    y, pa, pb, w = _data()
    a, b = (pa, pb) if metric in ("log_loss", "brier_score") else ((pa > 0.5) * 1,
                                                                  (pb > 0.5) * 1)
    kept = w > 0
    ref = paired_bootstrap(y[kept], a[kept], b[kept], metric=metric, n_resamples=500, rng=0)
    got = paired_bootstrap(y, a, b, metric=metric, sample_weight=w, n_resamples=500, rng=0)
    assert ref.test == "permutation"
    assert ref.small_sample
    assert got.test == ref.test
    assert got.small_sample
    assert got.p_value == pytest.approx(ref.p_value, rel=1e-12)


def test_roc_auc_zero_weight_positives_make_a_small_sample() -> None:
    y, pa, pb, w = _data()
    got = paired_bootstrap(y, pa, pb, metric="roc_auc", sample_weight=w, n_resamples=500,
                           rng=0)
    assert got.test == "permutation"
    assert got.small_sample


def test_groups_count_groups_holding_a_weighted_example() -> None:
    y, pa, pb, w = _data()
    groups = np.arange(N)  # one row per group: 50 groups hold a weighted positive
    got = paired_bootstrap(y, pa, pb, metric="log_loss", sample_weight=w, groups=groups,
                           n_resamples=500, rng=0)
    assert got.test == "permutation"
    assert got.small_sample
