"""Recovery on simulated crowds: confusion matrices, spammers, accuracy vs majority vote."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import aggregate, dawid_skene, glad, mace, majority_vote, one_coin


def test_dawid_skene_recovers_confusion_matrices(crowd):
    """Each estimated entry is within 4 binomial standard errors (plus 0.02 for the
    posterior's own errors) of the generating probability, using the number of the
    worker's answers on tasks of that true class."""
    answers, truth, confs, _ = crowd(n_tasks=3000, n_good=14, n_uniform=3, n_constant=3,
                                     per_task=5, prior=(0.5, 0.3, 0.2), seed=11)
    res = dawid_skene(answers, rng=0)
    assert res.converged
    t, w = answers[:, 0], answers[:, 1]
    n_wk = np.zeros((res.n_workers, 3))
    np.add.at(n_wk, (w, truth[t]), 1)
    p = confs
    se = np.sqrt(p * (1 - p) / n_wk[:, :, None])
    err = np.abs(res.confusion - p)
    assert np.all(err <= 4 * se + 0.02), float((err - 4 * se).max())
    # class balance recovered within 3 standard errors + 0.01
    share = np.bincount(truth, minlength=3) / len(truth)
    assert np.all(np.abs(res.prior - share) <= 3 * np.sqrt(share * (1 - share) / 3000) + 0.01)


@pytest.mark.parametrize("method", ["dawid_skene", "mace"])
def test_spammers_identified(crowd, method):
    answers, _, _, kinds = crowd(n_tasks=2000, n_good=12, n_uniform=4, n_constant=4,
                                 per_task=5, accuracy=(0.65, 0.9), seed=5)
    res = aggregate(answers, method=method, rng=0)
    spam = set(np.flatnonzero(kinds != "good").tolist())
    assert set(res.spammers(0.2).tolist()) == spam
    assert res.spammer_score[kinds == "good"].min() > 0.35


def test_dawid_skene_not_worse_than_majority_vote(crowd):
    """Homogeneous crowd (MV is near-optimal): DS loses at most 2 standard errors of
    the difference; heterogeneous crowd with spammers: DS wins clearly."""
    for seed in range(4):
        answers, truth, _, _ = crowd(n_tasks=1500, n_good=15, accuracy=(0.7, 0.7),
                                     per_task=5, seed=seed)
        acc_ds = np.mean(dawid_skene(answers, rng=0).labels == truth)
        acc_mv = np.mean(majority_vote(answers, rng=0).labels == truth)
        assert acc_ds >= acc_mv - 2 * np.sqrt(2 * 0.1 / 1500)
    answers, truth, _, _ = crowd(n_tasks=1500, n_good=10, n_uniform=5, n_constant=5,
                                 per_task=5, seed=9)
    acc_ds = np.mean(dawid_skene(answers, rng=0).labels == truth)
    acc_mv = np.mean(majority_vote(answers, rng=0).labels == truth)
    assert acc_ds > acc_mv + 0.03


def _bayes_accuracy(answers, truth, confs, prior):
    """Accuracy of the posterior under the true parameters (the best any method can do)."""
    n, _k = len(truth), confs.shape[1]
    logp = np.tile(np.log(prior), (n, 1))
    np.add.at(logp, answers[:, 0], np.log(np.clip(confs[answers[:, 1], :, answers[:, 2]],
                                                  1e-300, None)))
    return np.mean(logp.argmax(axis=1) == truth)


@pytest.mark.parametrize(
    ("method", "gap"),
    [("dawid_skene", 0.02), ("mace", 0.02), ("one_coin", 0.02), ("glad", 0.02)],
)
def test_close_to_bayes_optimal_without_constant_spammers(crowd, method, gap):
    prior = np.array([0.5, 0.3, 0.2])
    answers, truth, confs, _ = crowd(n_tasks=3000, n_good=15, n_uniform=5, per_task=5,
                                     prior=prior, seed=21)
    bayes = _bayes_accuracy(answers, truth, confs, prior)
    acc = np.mean(aggregate(answers, method=method, rng=0).labels == truth)
    assert acc >= bayes - gap, (acc, bayes)


def test_glad_ranks_abilities_and_difficulty(crowd):
    rng = np.random.default_rng(4)
    n = 800
    truth = rng.integers(0, 2, n)
    hard = rng.random(n) < 0.3
    acc = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7])
    rows = []
    for t in range(n):
        for w, a in enumerate(acc):
            p = 0.55 if hard[t] else a
            rows.append((t, w, truth[t] if rng.random() < p else 1 - truth[t]))
    res = glad(np.array(rows), rng=0)
    assert np.all(np.diff(res.skills) < 0.05)  # abilities decrease with accuracy
    assert res.skills[0] > res.skills[-1] + 0.3
    assert np.median(res.task_difficulty[hard]) > np.median(res.task_difficulty[~hard])
    assert np.mean(res.labels == truth) > np.mean(majority_vote(np.array(rows),
                                                                rng=0).labels == truth) - 0.01


def test_gold_labels_clamp_and_help(crowd):
    answers, truth, _, _ = crowd(n_tasks=1000, n_good=6, n_uniform=6, n_constant=3,
                                 per_task=3, accuracy=(0.55, 0.8), seed=2)
    gold = {i: int(truth[i]) for i in range(200)}
    res = dawid_skene(answers, gold=gold, rng=0)
    assert res.n_gold == 200
    np.testing.assert_array_equal(res.labels[:200], truth[:200])
    assert np.all(res.proba[:200].max(axis=1) == 1.0)
    assert 0.5 < res.gold_accuracy <= 1.0
    free = dawid_skene(answers, rng=0)
    rest = slice(200, None)
    acc_gold = np.mean(res.labels[rest] == truth[rest])
    acc_free = np.mean(free.labels[rest] == truth[rest])
    assert acc_gold >= acc_free - 2 * np.sqrt(2 * 0.25 / 800)


def test_one_coin_matches_accuracies(crowd):
    answers, _, confs, _ = crowd(n_tasks=2000, n_good=10, per_task=5, seed=8)
    res = one_coin(answers, rng=0)
    true_acc = confs[:, 0, 0]
    n_w = res.worker_n_answers
    assert np.all(np.abs(res.skills - true_acc) <= 4 * np.sqrt(true_acc * (1 - true_acc) / n_w)
                  + 0.02)


def test_mace_random_restarts_are_seeded(crowd):
    answers, _, _, _ = crowd(n_tasks=300, n_good=4, n_uniform=2, per_task=3, seed=1)
    a = mace(answers, n_restarts=3, rng=7)
    b = mace(answers, n_restarts=3, rng=7)
    np.testing.assert_array_equal(a.proba, b.proba)
    assert a.log_likelihood >= mace(answers, n_restarts=0, rng=7).log_likelihood - 1e-9
