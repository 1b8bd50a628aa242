"""Redundancy planning against exact enumeration and an independent simulation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mllifecycle.budget import majority_vote_accuracy, redundancy
from mllifecycle.exceptions import InvalidParameterError


def _enumerate_binary(p, k):
    """Majority-vote accuracy by listing every answer pattern."""
    total = 0.0
    for pattern in itertools.product([0, 1], repeat=k):
        right = sum(pattern)
        prob = p**right * (1 - p) ** (k - right)
        if 2 * right > k:
            total += prob
        elif 2 * right == k:
            total += prob / 2
    return total


@pytest.mark.parametrize("p", [0.55, 0.7, 0.9])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_exact_binary_majority(p, k):
    assert majority_vote_accuracy(p, k) == pytest.approx(_enumerate_binary(p, k), abs=1e-12)


def _plain_simulation(acc, k, n_classes, n_items, seed, weighted):
    """An independent, loop-written simulation of the same crowd."""
    rng = np.random.default_rng(seed)
    acc = np.atleast_1d(np.asarray(acc, dtype=float))
    correct = 0
    for _ in range(n_items):
        workers = rng.choice(acc.size, size=k, replace=False) if acc.size > 1 else [0] * k
        scores = np.zeros(n_classes)
        for w in workers:
            label = 0 if rng.random() < acc[w] else rng.integers(1, n_classes)
            p = min(max(acc[w], 1e-6), 1 - 1e-6)
            scores[label] += np.log(p * (n_classes - 1) / (1 - p)) if weighted else 1.0
        best = np.flatnonzero(scores == scores.max())
        correct += rng.choice(best) == 0
    return correct / n_items


@pytest.mark.slow
@pytest.mark.parametrize(
    ("acc", "n_classes"),
    [
        ([0.95, 0.9, 0.6, 0.55, 0.5, 0.7], 2),
        ([0.95, 0.9, 0.6, 0.55, 0.5, 0.7, 0.8, 0.65], 2),
        ([0.8, 0.6, 0.45, 0.7], 3),
        (0.65, 4),
    ],
)
def test_plan_agrees_with_simulation_within_one_point(acc, n_classes):
    plan = redundancy(acc, 0.9, n_classes=n_classes, max_answers=5, n_simulations=50_000, rng=0)
    for k in (k for k in (1, 3, 5) if k <= plan.answers.size):
        for weighted, curve in ((False, plan.majority_accuracy), (True, plan.weighted_accuracy)):
            sim = _plain_simulation(acc, k, n_classes, 6000, seed=k, weighted=weighted)
            assert abs(curve[k - 1] - sim) < 0.01 + 3 * np.sqrt(0.25 / 6000), (k, weighted)


def test_weighted_vote_never_loses_to_majority_beyond_noise():
    plan = redundancy([0.95, 0.9, 0.85, 0.7, 0.6, 0.55, 0.55], 0.97, n_simulations=50_000,
                      rng=1)
    assert np.all(plan.weighted_accuracy >= plan.majority_accuracy - 4 * plan.std_error)
    assert plan.weighted_needed is not None
    assert plan.majority_needed is None or plan.weighted_needed <= plan.majority_needed


@pytest.mark.parametrize("p", [0.3, 0.45, 0.5])
def test_exact_weighted_vote_of_workers_below_one_half(p):
    """Identical binary workers below 1/2 have negative log-odds weights: the
    weighted (Bayes) vote reverses their answers, so its accuracy is the
    majority accuracy at 1 - p, as the simulation path and the loop reference
    give; the exact path returned the plain majority accuracy (0.3, not 0.7)."""
    plan = redundancy(p, 0.9, max_answers=5, rng=0)
    for k in range(1, 6):
        assert plan.majority_accuracy[k - 1] == pytest.approx(_enumerate_binary(p, k), abs=1e-12)
        assert plan.weighted_accuracy[k - 1] == pytest.approx(
            _enumerate_binary(max(p, 1 - p), k), abs=1e-12)
    sim = _plain_simulation(p, 3, 2, 4000, seed=0, weighted=True)
    assert abs(plan.weighted_accuracy[2] - sim) < 4 * np.sqrt(0.25 / 4000)


def test_a_pool_gives_at_most_one_answer_per_worker():
    plan = redundancy([0.9, 0.8, 0.7], 0.999, max_answers=10, rng=0)
    assert plan.answers.tolist() == [1, 2, 3]
    assert plan.majority_needed is None


def test_unreachable_target_and_costs():
    plan = redundancy(0.52, 0.99, max_answers=5, price_per_answer=0.1, rng=0)
    assert plan.majority_needed is None
    assert plan.cost_per_item["majority"] is None
    plan = redundancy(0.8, 0.9, price_per_answer=0.1, rng=0)
    k = plan.majority_needed
    assert plan.cost_per_item["majority"] == pytest.approx(0.1 * k)
    assert plan.cost_per_clean_label["majority"] == pytest.approx(
        0.1 * k / majority_vote_accuracy(0.8, k)
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((0.0, 0.9), {}, "'worker_accuracy'"),
        ((1.5, 0.9), {}, "'worker_accuracy'"),
        (([], 0.9), {}, "'worker_accuracy'"),
        ((0.8, 1.0), {}, "'target_accuracy'"),
        ((0.8, 0.9), {"n_classes": 1}, "'n_classes'"),
        ((0.8, 0.9), {"price_per_answer": -1}, "'price_per_answer'"),
        ((0.8, 0.9), {"max_answers": 0}, "'max_answers'"),
    ],
)
def test_bad_input(args, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        redundancy(*args, **kwargs)


def test_a_large_pool_is_sampled_in_bounded_memory():
    """Sampling k distinct workers drew an (n_simulations, pool size) block at
    once: 160 MB here, gigabytes for a crowd of thousands at the default
    200_000 simulations. Drawn in row chunks, the random stream (and so every
    accuracy) is unchanged."""
    import tracemalloc

    acc = np.linspace(0.55, 0.95, 1000)
    tracemalloc.start()
    try:
        plan = redundancy(acc, 0.95, max_answers=2, n_simulations=10_000, rng=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40e6
    # the same numbers as one (n_simulations, pool) draw
    gen = np.random.default_rng(0)
    workers = np.argsort(gen.random((10_000, 1000)), axis=1)[:, :1]
    right = gen.random((10_000, 1)) < acc[workers]
    assert plan.majority_accuracy[0] == right.mean()
