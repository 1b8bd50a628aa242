"""find_label_issues against cleanlab 2.9 (same inputs, same issue sets)."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import (
    confident_joint,
    estimate_noise_matrix,
    find_label_issues,
    label_quality,
)

cleanlab = pytest.importorskip("cleanlab")
from cleanlab.count import compute_confident_joint, estimate_latent  # noqa: E402
from cleanlab.filter import find_label_issues as cl_find  # noqa: E402
from cleanlab.rank import get_label_quality_scores  # noqa: E402

pytestmark = pytest.mark.oracle

METHODS = {
    "prune_by_noise_rate": "prune_by_noise_rate",
    "prune_by_class": "prune_by_class",
    "both": "both",
    "confident_joint": "confident_learning",
    "predicted_neq_given": "predicted_neq_given",
}


def noisy_problem(seed, n=3000, k=4, noise=0.2, dirichlet=1.0):
    """Noisy labels and out-of-sample-like probabilities with a known truth."""
    rng = np.random.default_rng(seed)
    true = rng.integers(k, size=n)
    logits = rng.normal(0, 1.5 * dirichlet, (n, k))
    logits[np.arange(n), true] += 2.0
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = true.copy()
    flip = rng.random(n) < noise
    y[flip] = (true[flip] + rng.integers(1, k, flip.sum())) % k
    return y, p, true


def jaccard(a, b):
    a, b = set(np.asarray(a).tolist()), set(np.asarray(b).tolist())
    return 1.0 if not a and not b else len(a & b) / len(a | b)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("method", list(METHODS))
def test_same_issue_set_as_cleanlab(method, seed):
    y, p, _ = noisy_problem(seed, k=3 + seed)
    ours = find_label_issues(y, p, method=method)
    theirs = np.flatnonzero(cl_find(y, p, filter_by=METHODS[method], n_jobs=1))
    assert ours.n_issues > 0
    assert jaccard(ours.indices, theirs) >= 0.99


@pytest.mark.parametrize("rank_by", ["self_confidence", "normalized_margin"])
def test_ranking_matches_cleanlab(rank_by):
    y, p, _ = noisy_problem(5)
    ours = find_label_issues(y, p, rank_by=rank_by)
    theirs = cl_find(y, p, return_indices_ranked_by=rank_by, n_jobs=1)
    np.testing.assert_array_equal(ours.indices, theirs)
    np.testing.assert_allclose(
        label_quality(y, p, rank_by=rank_by),
        get_label_quality_scores(y, p, method=rank_by),
    )


@pytest.mark.parametrize("seed", [0, 3])
def test_confident_joint_and_noise_matrix_match_cleanlab(seed):
    y, p, _ = noisy_problem(seed)
    for calibrate in (False, True):
        np.testing.assert_array_equal(
            confident_joint(y, p, calibrate=calibrate),
            compute_confident_joint(y, p, calibrate=calibrate),
        )
    cj = compute_confident_joint(y, p)
    py, nm, inv = estimate_latent(cj, y, py_method="marginal")
    ours = estimate_noise_matrix(y, p)
    np.testing.assert_allclose(ours.noise_matrix, nm, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_noise_matrix, inv, atol=1e-12)
    np.testing.assert_allclose(ours.prior, py, atol=1e-12)


def test_min_examples_per_class_matches_cleanlab():
    y, p, _ = noisy_problem(7, n=400, noise=0.45)
    ours = find_label_issues(y, p, method="prune_by_class", min_examples_per_class=60)
    theirs = np.flatnonzero(
        cl_find(y, p, filter_by="prune_by_class", min_examples_per_class=60, n_jobs=1)
    )
    assert jaccard(ours.indices, theirs) >= 0.99
