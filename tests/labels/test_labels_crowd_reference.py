"""Exactness: each EM against a reference written plainly with loops and dicts.

The references follow the papers' update equations answer by answer, with no
vectorisation, so they share no code with the library. Both start from the
majority-vote posterior, use the same pseudo-counts and run a fixed number of
iterations (``tol=0``), so posteriors and parameters must agree to rounding.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.labels import (
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin,
    wawa,
    zero_based_skill,
)


def _index(answers):
    tasks = sorted({a[0] for a in answers})
    workers = sorted({a[1] for a in answers})
    classes = sorted({a[2] for a in answers})
    by_task = defaultdict(list)
    for t, w, y in answers:
        by_task[tasks.index(t)].append((workers.index(w), classes.index(y)))
    return tasks, workers, classes, by_task


def _mv_post(by_task, n_tasks, k):
    post = []
    for i in range(n_tasks):
        votes = [0.0] * k
        for _, y in by_task[i]:
            votes[y] += 1
        post.append([v / sum(votes) for v in votes])
    return post


def _normalise(logs):
    m = max(logs)
    e = [math.exp(v - m) for v in logs]
    z = sum(e)
    return [v / z for v in e], m + math.log(z)


def reference_dawid_skene(answers, n_iter, s):
    tasks, workers, classes, by_task = _index(answers)
    n, nw, k = len(tasks), len(workers), len(classes)
    post = _mv_post(by_task, n, k)
    for _ in range(n_iter):
        prior = [(sum(post[i][c] for i in range(n)) + s) / (n + k * s) for c in range(k)]
        counts = [[[s] * k for _ in range(k)] for _ in range(nw)]
        for i in range(n):
            for w, y in by_task[i]:
                for c in range(k):
                    counts[w][c][y] += post[i][c]
        conf = [[[v / sum(row) for v in row] for row in cw] for cw in counts]
        post, ll = [], 0.0
        for i in range(n):
            logs = [math.log(prior[c]) + sum(math.log(conf[w][c][y]) for w, y in by_task[i])
                    for c in range(k)]
            p, z = _normalise(logs)
            post.append(p)
            ll += z
    return np.array(post), np.array(conf), np.array(prior), ll


def reference_one_coin(answers, n_iter, s):
    tasks, workers, classes, by_task = _index(answers)
    n, nw, k = len(tasks), len(workers), len(classes)
    post = _mv_post(by_task, n, k)
    for _ in range(n_iter):
        prior = [(sum(post[i][c] for i in range(n)) + s) / (n + k * s) for c in range(k)]
        right, total = [0.0] * nw, [0] * nw
        for i in range(n):
            for w, y in by_task[i]:
                right[w] += post[i][y]
                total[w] += 1
        p = [(right[w] + s) / (total[w] + 2 * s) for w in range(nw)]
        post = []
        for i in range(n):
            logs = []
            for c in range(k):
                v = math.log(prior[c])
                for w, y in by_task[i]:
                    v += math.log(p[w]) if y == c else math.log((1 - p[w]) / (k - 1))
                logs.append(v)
            post.append(_normalise(logs)[0])
    return np.array(post), np.array(p)


def reference_mace(answers, n_iter, s):
    """MACE EM (Hovy et al. 2013) started, as the library does, by one M-step on MV."""
    tasks, workers, classes, by_task = _index(answers)
    n, nw, k = len(tasks), len(workers), len(classes)
    post = _mv_post(by_task, n, k)
    theta, xi = [0.5] * nw, [[1.0 / k] * k for _ in range(nw)]

    def m_step(post, theta, xi):
        honest, total = [0.0] * nw, [0] * nw
        spam = [[0.0] * k for _ in range(nw)]
        for i in range(n):
            for w, y in by_task[i]:
                h = post[i][y] * theta[w] / (theta[w] + (1 - theta[w]) * xi[w][y])
                honest[w] += h
                total[w] += 1
                spam[w][y] += 1 - h
        theta = [(honest[w] + s) / (total[w] + 2 * s) for w in range(nw)]
        xi = [[(spam[w][c] + s) / (sum(spam[w]) + k * s) for c in range(k)] for w in range(nw)]
        return theta, xi

    def e_step(theta, xi, prior):
        out = []
        for i in range(n):
            logs = []
            for c in range(k):
                v = math.log(prior[c])
                for w, y in by_task[i]:
                    v += math.log(theta[w] * (y == c) + (1 - theta[w]) * xi[w][y])
                logs.append(v)
            out.append(_normalise(logs)[0])
        return out

    def prior_of(post):
        return [(sum(post[i][c] for i in range(n)) + 0.01) / (n + k * 0.01) for c in range(k)]

    theta, xi = m_step(post, theta, xi)
    post = e_step(theta, xi, prior_of(post))
    for _ in range(n_iter):
        prior = prior_of(post)
        theta, xi = m_step(post, theta, xi)
        post = e_step(theta, xi, prior)
    return np.array(post), np.array(theta)


@pytest.fixture
def small(crowd):
    answers, truth, _, _ = crowd(n_tasks=60, n_good=5, n_uniform=1, n_constant=1,
                                 per_task=4, seed=3)
    return answers, truth


@pytest.mark.parametrize("s", [0.01, 1.0])
def test_dawid_skene_matches_reference(small, s):
    answers, _ = small
    ref_post, ref_conf, ref_prior, ref_ll = reference_dawid_skene(answers.tolist(), 7, s)
    res = dawid_skene(answers, max_iter=7, tol=0.0, smoothing=s, rng=0)
    assert res.n_iter == 7
    np.testing.assert_allclose(res.proba, ref_post, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res.confusion, ref_conf, rtol=1e-10)
    np.testing.assert_allclose(res.prior, ref_prior, rtol=1e-10)
    assert res.log_likelihood == pytest.approx(ref_ll, rel=1e-12)


def test_one_coin_matches_reference(small):
    answers, _ = small
    ref_post, ref_p = reference_one_coin(answers.tolist(), 6, 0.01)
    res = one_coin(answers, max_iter=6, tol=0.0, smoothing=0.01, rng=0)
    np.testing.assert_allclose(res.proba, ref_post, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res.skills, ref_p, rtol=1e-10)


def test_mace_matches_reference(small):
    answers, _ = small
    ref_post, ref_theta = reference_mace(answers.tolist(), 5, 0.5)
    res = mace(answers, max_iter=5, tol=0.0, n_restarts=0, smoothing=0.5, rng=0)
    np.testing.assert_allclose(res.proba, ref_post, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(res.skills, ref_theta, rtol=1e-9)


def test_majority_vote_matches_counting(small):
    answers, _ = small
    _, _, _, by_task = _index(answers.tolist())
    ref = np.array(_mv_post(by_task, len(by_task), 3))
    res = majority_vote(answers, rng=0)
    np.testing.assert_allclose(res.proba, ref)
    # the chosen label is always one of the most voted classes
    top = ref == ref.max(axis=1, keepdims=True)
    assert top[np.arange(len(ref)), res.labels].all()


def test_majority_vote_tie_rule_and_skills_match_hand_count():
    """Documented tie rule: the class more frequent over all answers (here 'cat',
    11 answers to 3), not the mean of the task shares ('dog', 2.5 to 1.5); and
    the skills are agreement with the labels returned, random ties included
    (they were computed against a second, independent tie draw)."""
    ans = [["A", f"w{i}", "cat"] for i in range(10)] + [
        ["B", "w0", "dog"], ["C", "w1", "dog"], ["D", "w2", "cat"], ["D", "w3", "dog"]]
    res = majority_vote(ans, rng=0)
    assert res.labels.tolist() == ["cat", "dog", "dog", "cat"]
    np.testing.assert_allclose(res.prior, [0.375, 0.625])  # the estimated balance is unchanged
    balanced = [["t1", "a", "x"], ["t1", "b", "y"], ["t2", "a", "x"], ["t2", "b", "y"],
                ["t3", "a", "y"], ["t3", "b", "x"]]
    for seed in range(20):
        res = majority_vote(balanced, rng=seed)
        label = dict(zip(res.tasks.tolist(), res.labels.tolist(), strict=True))
        ref = [np.mean([label[t] == y for t, w, y in balanced if w == wk])
               for wk in res.workers.tolist()]
        np.testing.assert_allclose(res.skills, ref)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 4)), min_size=2, max_size=25),
       st.data())
def test_majority_vote_follows_the_documented_tie_rule(pairs, data):
    """Hand count: the most voted class; ties to the class more frequent over
    all answers; remaining ties at random (any of them)."""
    answers = [[t, w, data.draw(st.integers(0, 2))] for t, w in sorted(pairs)]
    if len({a[2] for a in answers}) < 2:
        return
    res = majority_vote(answers, rng=data.draw(st.integers(0, 10)))
    classes = res.classes.tolist()
    total = {c: sum(a[2] == c for a in answers) for c in classes}
    for t, label in zip(res.tasks.tolist(), res.labels.tolist(), strict=True):
        votes = [a[2] for a in answers if a[0] == t]
        count = {c: votes.count(c) for c in classes}
        top = [c for c in classes if count[c] == max(count.values())]
        best = [c for c in top if total[c] == max(total[d] for d in top)]
        assert label in best
        row = res.proba[res.tasks.tolist().index(t)]
        np.testing.assert_allclose(row, [count[c] / len(votes) for c in classes])


def _glad_q(answers, post, a, b, k, mu_a=1.0, mu_b=1.0):
    """Whitehill et al.'s expected complete-data log-likelihood plus priors, by loops."""
    q = 0.0
    for t, w, y in answers:
        x = a[w] * math.exp(b[t])
        log_s = -math.log1p(math.exp(-x)) if x > -30 else x
        log_1ms = -math.log1p(math.exp(x)) if x < 30 else -x
        for c in range(k):
            q += post[t][c] * (log_s if y == c else log_1ms - math.log(k - 1))
    q -= 0.5 * sum((v - mu_a) ** 2 for v in a) + 0.5 * sum((v - mu_b) ** 2 for v in b)
    return q


def test_glad_m_step_reaches_a_stationary_point_of_q(small):
    """Repeated GLAD M-steps on a fixed posterior end where the loop-computed
    Q has zero numerical gradient, and each step never lowers Q."""
    from mllifecycle.labels import _crowd

    answers, _ = small
    data = _crowd._read_answers(answers, columns=("task", "worker", "label"), classes=None,
                                gold=None, duplicates="raise", caller="test")
    k = data.n_classes
    post = _crowd._shares(_crowd._counts(data))
    q = post[data.t, data.y]
    a = np.ones(data.n_workers)
    b = np.ones(data.n_tasks)
    rows = answers.tolist()
    values = [_glad_q(rows, post, a, b, k)]
    for _ in range(60):
        a = _crowd._glad_step_alpha(data, a, b, q, k, 1.0)
        b = _crowd._glad_step_beta(data, a, b, q, k, 1.0)
        values.append(_glad_q(rows, post, a, b, k))
    assert np.all(np.diff(values) >= -1e-9)
    eps = 1e-6
    for vec, other, is_a in ((a, b, True), (b, a, False)):
        for j in range(0, len(vec), max(1, len(vec) // 7)):
            up, dn = vec.copy(), vec.copy()
            up[j] += eps
            dn[j] -= eps
            if is_a:
                g = (_glad_q(rows, post, up, other, k) - _glad_q(rows, post, dn, other, k))
            else:
                g = (_glad_q(rows, post, other, up, k) - _glad_q(rows, post, other, dn, k))
            assert abs(g / (2 * eps)) < 1e-4


def test_glad_e_step_matches_loops(small):
    """The final GLAD posterior is the loop-computed posterior at its own parameters."""
    answers, _ = small
    res = glad(answers, max_iter=5, tol=0.0, rng=0)
    a = res.skills
    b = -np.log(res.task_difficulty)
    k = 3
    for i in range(len(res.tasks)):
        logs = []
        for c in range(k):
            v = math.log(res.prior[c])
            for t, w, y in answers.tolist():
                if t != i:
                    continue
                sig = 1 / (1 + math.exp(-a[w] * math.exp(b[t])))
                v += math.log(sig) if y == c else math.log((1 - sig) / (k - 1))
            logs.append(v)
        np.testing.assert_allclose(res.proba[i], _normalise(logs)[0], rtol=1e-9)


def test_wawa_matches_reference(small):
    """Weights = agreement with the majority label (ties to the more frequent
    class; none occur in these data after that rule), then weighted vote shares."""
    answers, _ = small
    rows = answers.tolist()
    _, _, _, by_task = _index(rows)
    n = len(by_task)
    mv = _mv_post(by_task, n, 3)
    # ties: the class more frequent over all answers, as majority_vote breaks them
    freq = [sum(y == c for i in range(n) for _, y in by_task[i]) for c in range(3)]
    labels = []
    for p in mv:
        top = [c for c in range(3) if p[c] >= max(p) - 1e-12]
        best = [c for c in top if freq[c] >= max(freq[x] for x in top)]
        assert len(best) == 1
        labels.append(best[0])
    hits, total = defaultdict(float), defaultdict(int)
    for i in range(n):
        for w, y in by_task[i]:
            hits[w] += y == labels[i]
            total[w] += 1
    skill = {w: hits[w] / total[w] for w in total}
    ref = []
    for i in range(n):
        votes = [0.0] * 3
        for w, y in by_task[i]:
            votes[y] += skill[w]
        ref.append([v / sum(votes) for v in votes])
    res = wawa(answers, rng=0)
    np.testing.assert_allclose(res.proba, ref, rtol=1e-12)
    np.testing.assert_allclose(res.skills, [skill[w] for w in sorted(skill)], rtol=1e-12)


def test_zero_based_skill_matches_reference(small):
    answers, _ = small
    _, _, _, by_task = _index(answers.tolist())
    n, nw, k = len(by_task), 7, 3
    skills = [1 / k + 1e-5] * nw
    lr = 1.0
    for it in range(1, 31):
        if it % 20 == 0:
            lr *= 0.5
        labels = []
        for i in range(n):
            votes = [0.0] * k
            for w, y in by_task[i]:
                votes[y] += skills[w]
            labels.append(max(range(k), key=lambda c, v=votes: (v[c], -c)))
        hits, total = [0.0] * nw, [0] * nw
        for i in range(n):
            for w, y in by_task[i]:
                hits[w] += y == labels[i]
                total[w] += 1
        skills = [s + lr * (hits[w] / total[w] - s) for w, s in enumerate(skills)]
    res = zero_based_skill(answers, max_iter=30, tol=0.0, rng=0)
    np.testing.assert_allclose(res.skills, skills, rtol=1e-10)
