"""crowd-kit as an optional oracle (skipped when absent).

crowd-kit pulls transformers, nltk and pyarrow, so it is not in the test
extra; run these with an interpreter that has it, e.g. the benchmark venv
``benchmarks/.venv-crowdkit/bin/python -m pytest tests/labels`` (see
benchmarks/labels.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import dawid_skene, glad, majority_vote, one_coin

crowdkit = pytest.importorskip("crowdkit.aggregation")
pd = pytest.importorskip("pandas")

# the peer emits pandas deprecation warnings of its own
pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore::Warning:crowdkit.*")]


@pytest.fixture
def data(crowd):
    answers, _, _, _ = crowd(n_tasks=600, n_good=10, n_uniform=3, n_constant=2,
                                 per_task=5, prior=(0.5, 0.3, 0.2), seed=17)
    frame = pd.DataFrame(answers, columns=["task", "worker", "label"])
    return answers, frame


def _ck_proba(ck_probas, classes):
    return ck_probas.sort_index()[list(classes)].to_numpy()


def test_majority_vote_shares_equal_crowdkit(data):
    answers, frame = data
    ck = crowdkit.MajorityVote().fit(frame)
    ours = majority_vote(answers, rng=0)
    np.testing.assert_allclose(ours.proba, _ck_proba(ck.probas_, ours.classes), atol=1e-12)


def test_dawid_skene_agrees_with_crowdkit(data):
    """Same model and start (majority vote); crowd-kit has no pseudo-counts, so
    ours runs with smoothing=0 and both to convergence."""
    answers, frame = data
    ck = crowdkit.DawidSkene(n_iter=200, tol=1e-10).fit(frame)
    ours = dawid_skene(answers, smoothing=0.0, tol=1e-12, max_iter=200, rng=0)
    p_ck = _ck_proba(ck.probas_, ours.classes)
    assert np.mean(np.abs(ours.proba - p_ck)) < 1e-3
    assert np.mean(ours.proba.argmax(1) == p_ck.argmax(1)) >= 0.995


def test_one_coin_agrees_with_crowdkit(data):
    answers, frame = data
    ck = crowdkit.OneCoinDawidSkene(n_iter=200, tol=1e-10).fit(frame)
    ours = one_coin(answers, smoothing=0.0, tol=1e-12, max_iter=200, rng=0)
    p_ck = _ck_proba(ck.probas_, ours.classes)
    assert np.mean(ours.proba.argmax(1) == p_ck.argmax(1)) >= 0.99


def _glad_objective(answers, a, b, prior):
    """Whitehill et al.'s penalised log-likelihood (unit normal priors centred at 1)."""
    from scipy.special import logsumexp

    n, k = answers[:, 0].max() + 1, len(prior)
    x = a[answers[:, 1]] * np.exp(b[answers[:, 0]])
    log_s = -np.logaddexp(0, -x)
    log_wrong = log_s - x - np.log(k - 1)
    hit = np.arange(k)[None, :] == answers[:, 2][:, None]
    logp = np.tile(np.log(prior), (n, 1))
    np.add.at(logp, answers[:, 0], np.where(hit, log_s[:, None], log_wrong[:, None]))
    return logsumexp(logp, axis=1).sum() - 0.5 * ((a - 1) ** 2).sum() - 0.5 * ((b - 1) ** 2).sum()


@pytest.mark.slow
def test_glad_fits_at_least_as_well_as_crowdkit(crowd):
    """Both maximise the same penalised likelihood by different optimisers: ours
    must reach at least crowd-kit's value, and agree where either is confident."""
    answers, _, _, _ = crowd(n_tasks=150, n_good=6, n_uniform=2, per_task=4, seed=3)
    frame = pd.DataFrame(answers, columns=["task", "worker", "label"])
    ck = crowdkit.GLAD(n_iter=100, tol=1e-7).fit(frame)
    ours = glad(answers, tol=1e-9, max_iter=300, m_step_iter=5, rng=0)
    p_ck = _ck_proba(ck.probas_, ours.classes)
    a_ck = ck.alphas_.sort_index().to_numpy()
    b_ck = ck.betas_.sort_index().to_numpy()
    uniform = np.full(3, 1 / 3)
    ours_obj = _glad_objective(answers, ours.skills, -np.log(ours.task_difficulty), uniform)
    assert ours_obj >= _glad_objective(answers, a_ck, b_ck, uniform) - 1e-6
    sure = (ours.proba.max(1) > 0.7) | (p_ck.max(1) > 0.7)
    assert np.mean(ours.proba.argmax(1)[sure] == p_ck.argmax(1)[sure]) >= 0.99
    assert np.corrcoef(ours.skills, a_ck)[0, 1] > 0.95
