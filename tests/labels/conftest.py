"""Simulated crowds with known truth and known worker confusion matrices."""

from __future__ import annotations

import numpy as np
import pytest


def simulate_crowd(
    n_tasks=2000,
    n_classes=3,
    n_good=20,
    n_uniform=0,
    n_constant=0,
    per_task=5,
    accuracy=(0.6, 0.9),
    prior=None,
    seed=0,
):
    """Return (answers (n, 3) int array, truth, confusion (W, K, K), kinds).

    Good workers have a symmetric confusion with a diagonal drawn uniformly in
    ``accuracy``; uniform spammers answer uniformly at random; constant
    spammers always answer one class. Each task gets ``per_task`` distinct
    workers drawn uniformly.
    """
    rng = np.random.default_rng(seed)
    k = n_classes
    prior = np.full(k, 1.0 / k) if prior is None else np.asarray(prior)
    truth = rng.choice(k, n_tasks, p=prior)
    confs, kinds = [], []
    for _ in range(n_good):
        d = rng.uniform(*accuracy)
        c = np.full((k, k), (1 - d) / (k - 1))
        np.fill_diagonal(c, d)
        confs.append(c)
        kinds.append("good")
    for _ in range(n_uniform):
        confs.append(np.full((k, k), 1.0 / k))
        kinds.append("uniform")
    for _ in range(n_constant):
        c = np.zeros((k, k))
        c[:, rng.integers(k)] = 1.0
        confs.append(c)
        kinds.append("constant")
    confs = np.array(confs)
    n_workers = len(confs)
    t = np.repeat(np.arange(n_tasks), per_task)
    w = np.argsort(rng.random((n_tasks, n_workers)), axis=1)[:, :per_task].ravel()
    cum = confs[w, truth[t]].cumsum(axis=1)
    y = np.minimum((rng.random(len(t))[:, None] > cum).sum(axis=1), k - 1)
    return np.column_stack([t, w, y]), truth, confs, np.array(kinds)


@pytest.fixture
def crowd():
    return simulate_crowd


def simulate_votes(n=300, seed=0, functions=((0.9, 0.5), (0.8, 0.6), (0.7, 0.9))):
    """Return a binary label matrix: one column per (accuracy, coverage) pair.

    Each labelling function votes the true class with probability
    ``accuracy`` (the other class otherwise) on a ``coverage`` share of the
    rows, and abstains (-1) on the rest; ``None`` is a function that never
    votes.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    columns = []
    for spec in functions:
        if spec is None:
            columns.append(np.full(n, -1))
            continue
        acc, cov = spec
        vote = np.where(rng.random(n) < acc, y, 1 - y)
        columns.append(np.where(rng.random(n) < cov, vote, -1))
    return np.column_stack(columns)


@pytest.fixture
def votes():
    return simulate_votes
