"""OnChallengerBetter and replay's state.challenge: a challenger fitted on recent labels."""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import hyperplane_stream, sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, OnChallengerBetter, SlidingWindow, recommended
from mllifecycle.policies._challenger import _sign_test_p
from mllifecycle.replay import replay


@pytest.mark.parametrize(
    ("wins", "losses"), [(0, 0), (5, 0), (0, 5), (30, 20), (60, 31), (1, 1), (200, 150)]
)
def test_sign_test_matches_scipy_binomtest(wins, losses):
    want = (
        1.0
        if wins + losses == 0
        else stats.binomtest(wins, wins + losses, 0.5, alternative="greater").pvalue
    )
    assert _sign_test_p(wins, losses) == pytest.approx(want, rel=1e-12)


def _challenge(wins, losses, n=500):
    def challenge(a, b, c):
        assert c - b == n
        e_d = np.zeros(n)
        e_c = np.zeros(n)
        e_d[:wins] = 1  # the deployed model wrong, the challenger right
        e_c[wins : wins + losses] = 1  # the reverse
        return e_c, e_d

    return challenge


def _state(known, challenge, version=0, deployed_at=1000):
    return LifecycleState(
        step=known,
        labels_available=known,
        model_version=version,
        deployed_at=deployed_at,
        challenge=challenge,
    )


BAD_CHALLENGES = [
    # one deployed error broadcast against 500 challenger errors: 500 "wins"
    (lambda a, b, c: (np.zeros(500), np.ones(1)),
     r"'challenge\(\)\[1\]' parameter .*the deployed model's 0/1 errors, one per test row "
     r"\(500\)\. Got 1 value"),
    (lambda a, b, c: (np.zeros(499), np.zeros(499)),
     r"'challenge\(\)\[0\]' parameter .*the challenger's 0/1 errors, one per test row \(500\)"),
    # 0.5 was cast to True: an error
    (lambda a, b, c: (np.full(500, 0.5), np.zeros(500)),
     r"'challenge\(\)\[0\]' parameter .*binary values in \{0, 1\}.*e\.g\. 0\.5 instead"),
    (lambda a, b, c: np.zeros(500),
     r"'challenge' parameter .*returning a pair .*Got one returning ndarray"),
    (lambda a, b, c: (np.zeros(500), np.zeros(500), np.zeros(500)),
     r"'challenge' parameter .*returning a pair"),
]


@pytest.mark.parametrize(("challenge", "match"), BAD_CHALLENGES)
def test_a_challenge_returning_other_than_two_error_arrays_is_refused(challenge, match):
    with pytest.raises(InvalidParameterError, match=match):
        OnChallengerBetter().should_retrain(_state(2000, challenge))


def test_a_challenge_returning_lists_and_bools_is_read():
    def challenge(a, b, c):
        e_d = [True] * 60 + [False] * 440
        e_c = [0] * 60 + [1] * 20 + [0] * 420
        return e_c, e_d

    assert OnChallengerBetter().should_retrain(_state(2000, challenge)).retrain


def test_decides_by_the_sign_test_and_the_least_gain():
    p = OnChallengerBetter()  # every 1000, train 1000, test 500, 95 %, gain 0.01
    assert not p.should_retrain(_state(1999, _challenge(60, 20))).retrain  # not due
    d = p.should_retrain(_state(2000, _challenge(60, 20)))
    assert d.retrain
    assert d.change_point == 500  # retrains on the latest train + test rows
    assert "right where the deployed model is wrong on 60, the reverse on 20" in d.reason
    # the next check is due 1000 labels later
    assert not p.should_retrain(_state(2500, _challenge(60, 20))).retrain
    q = OnChallengerBetter()
    assert not q.should_retrain(_state(2000, _challenge(25, 15))).retrain  # p = 0.077
    r = OnChallengerBetter(min_gain=0.1)
    assert not r.should_retrain(_state(2000, _challenge(60, 20))).retrain  # gain 0.08
    s = OnChallengerBetter(n_checks=1)
    assert not s.should_retrain(_state(2000, _challenge(20, 20))).retrain
    assert "checks of this model done" in s.should_retrain(_state(3000, _challenge(90, 0))).reason
    # a new model starts its own schedule and its own checks
    assert s.should_retrain(_state(4000, _challenge(90, 0), version=1, deployed_at=3000)).retrain


def test_quiet_without_a_challenge_or_enough_rows():
    p = OnChallengerBetter()
    assert "no challenge()" in p.should_retrain(_state(5000, None)).reason
    assert (
        "too few labelled rows"
        in OnChallengerBetter(every=500)
        .should_retrain(_state(1200, _challenge(90, 0), deployed_at=0))
        .reason
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"every": 0},
            r"'every' parameter of OnChallengerBetter must be an int in the range "
            r"\[1, inf\)\. Got 0",
        ),
        ({"train_size": 1}, r"'train_size' parameter .* \[2, inf\)\. Got 1"),
        ({"test_size": 2.5}, r"'test_size' parameter .* must be an int"),
        ({"confidence_level": 1.0}, r"'confidence_level' parameter .* \(0\.0, 1\.0\)\. Got 1\.0"),
        ({"min_gain": -0.1}, r"'min_gain' parameter .* \[0\.0, 1\.0\)\. Got -0\.1"),
        ({"n_checks": 0}, r"'n_checks' parameter .* Got 0"),
        (
            {"every": 100},
            r"'every' parameter of OnChallengerBetter must be at least test_size \(500\), so "
            r"each check's test rows are new labels .* Got 100 instead",
        ),
        (
            {"every": 499, "test_size": 500},
            r"'every' parameter of OnChallengerBetter must be at least test_size \(500\).* "
            r"Got 499 instead",
        ),
        (
            {"every": 10, "test_size": 4},
            r"'test_size' parameter of OnChallengerBetter must be at least 5, the fewest rows "
            r"on which a sign test can reach confidence_level=0\.95\. Got 4 instead",
        ),
        (
            {"every": 10, "test_size": 6, "confidence_level": 0.99},
            r"'test_size' parameter .* at least 7, .* confidence_level=0\.99\. Got 6 instead",
        ),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        OnChallengerBetter(**kwargs)


def test_checks_test_disjoint_rows_the_deployed_model_predicted():
    # every >= test_size: no two checks share a test row, and no check tests a
    # row before the deployment (the deployed model's training rows)
    calls = []

    def challenge(a, b, c):
        calls.append((a, b, c))
        return np.zeros(c - b), np.zeros(c - b)

    p = OnChallengerBetter(every=200, train_size=300, test_size=200)
    for known in range(1000, 2600, 100):
        p.should_retrain(_state(known, challenge, deployed_at=1000))
    assert calls
    tests = [(b, c) for _, b, c in calls]
    assert all(b >= 1000 for b, _ in tests)
    assert all(c0 <= b1 for (_, c0), (b1, _) in itertools.pairwise(tests))
    # the smallest sizes allowed still decide: 5 rows at 95 %, every one a win
    q = OnChallengerBetter(every=5, train_size=10, test_size=5, min_gain=0.0)
    assert q.should_retrain(_state(1005, _challenge(5, 0, n=5))).retrain


def test_replay_challenge_fits_a_clone_on_labelled_rows_only():
    s = sea_stream(3000, noise=0.05, rng=1)
    seen = []

    def spy(state):
        if state.labels_available >= 2000 and not seen:
            seen.append((state.labels_available, state.challenge(500, 1500, 2000)))
            with pytest.raises(ValueError, match=r"test_stop <= labels_available"):
                state.challenge(500, 1500, state.labels_available + 1)
            with pytest.raises(ValueError, match=r"0 <= train_start < train_stop"):
                state.challenge(1500, 1500, 2000)
            with pytest.raises(InvalidParameterError, match=r"'train_start' parameter"):
                state.challenge(-1, 1500, 2000)
        return False

    replay(s.X, s.y, GaussianNB(), {"spy": spy}, label_delay=300)
    known, (e_c, e_d) = seen[0]
    assert known >= 2000
    challenger = clone(GaussianNB()).fit(s.X[500:1500], s.y[500:1500])
    deployed = clone(GaussianNB()).fit(s.X[:1000], s.y[:1000])
    np.testing.assert_array_equal(e_c, challenger.predict(s.X[1500:2000]) != s.y[1500:2000])
    np.testing.assert_array_equal(e_d, deployed.predict(s.X[1500:2000]) != s.y[1500:2000])


class _SlowFitNB(GaussianNB):
    """GaussianNB whose fit takes at least 0.2 s (to see where the time is booked)."""

    def fit(self, X, y, sample_weight=None):
        import time

        time.sleep(0.2)
        return super().fit(X, y, sample_weight=sample_weight)


def test_challenger_fits_count_as_fit_time_not_policy_time():
    # the challenger's fit is the model's time: it must land in fit_seconds
    # and not also in policy_seconds (the replay benchmark's overhead is
    # total - fit - predict, and "machinery" subtracts policy_seconds too)
    s = sea_stream(2500, noise=0.05, rng=1)
    calls = []

    def challenging(state):
        if state.labels_available >= 2000 and not calls:
            calls.append(state.challenge(500, 1500, 2000))
        return False

    r = replay(s.X, s.y, _SlowFitNB(), {"c": challenging}, initial_train_size=1000)
    run = r.runs["c"]
    assert len(calls) == 1
    assert run.fit_seconds >= 0.4  # the initial fit and the challenger's
    assert run.policy_seconds < 0.15


def test_incremental_drift_is_caught_where_errors_do_not_rise():
    s = hyperplane_stream(
        12_000,
        n_features=10,
        n_drift_features=5,
        n_concepts=1,
        mag_change=0.0005,
        sigma=0.0005,
        noise=0.05,
        rng=0,
    )
    r = replay(
        s.X,
        s.y,
        GaussianNB(),
        {"never": lambda st: False, "challenger": OnChallengerBetter()},
        window={"never": SlidingWindow(1000), "challenger": SlidingWindow(1500)},
    )
    assert r["challenger"].retrains >= 2
    assert r["challenger"].accuracy > r["never"].accuracy + 0.05


@pytest.mark.slow
def test_stationary_stream_false_retrains_at_most_alpha_plus_3_se():
    # under no drift a challenger fitted on as many rows of the same concept
    # is no better: the share of checks that retrain stays within alpha + 3 SE
    outcomes: list[bool] = []
    for seed in range(12):
        s = sea_stream(21_000, thresholds=(8.0,), noise=0.1, rng=seed)
        pol = OnChallengerBetter()

        def counted(state, pol=pol):
            d = pol.should_retrain(state)
            if d.reason.startswith("challenger fitted"):
                outcomes.append(d.retrain)
            return d

        replay(s.X, s.y, GaussianNB(), {"c": counted}, window=SlidingWindow(1000))
    checks, rate = len(outcomes), float(np.mean(outcomes))
    assert checks >= 200
    alpha = 0.05
    assert rate <= alpha + 3 * np.sqrt(alpha * (1 - alpha) / checks), (rate, checks)


def test_pickles_and_recommended_includes_it():
    p = OnChallengerBetter(every=700)
    p.should_retrain(_state(2000, _challenge(10, 10)))
    q = pickle.loads(pickle.dumps(p))
    assert q.every == 700
    parts = [type(x).__name__ for x in recommended().policies]
    assert "OnChallengerBetter" in parts
    assert "OnChallengerBetter" not in [
        type(x).__name__ for x in recommended(challenger=False).policies
    ]


@pytest.mark.parametrize("name", ["floor", "staleness", "challenger"])
def test_recommended_refuses_non_bool_switches(name):
    with pytest.raises(
        InvalidParameterError,
        match=rf"'{name}' parameter of recommended must "
        r"be a bool\. Got 'no'",
    ):
        recommended(**{name: "no"})


def test_states_pickle_without_the_replays_challenge_and_copy_with_it():
    import copy

    s = sea_stream(2000, noise=0.05, rng=2)
    seen = []
    replay(s.X, s.y, GaussianNB(), {"spy": lambda st: seen.append(st) or False})
    state = seen[-1]
    assert callable(state.challenge)
    assert pickle.loads(pickle.dumps(state)).challenge is None
    assert copy.copy(state).challenge is state.challenge
    assert copy.deepcopy(state).challenge is state.challenge
    assert state.to_dict()["challenge"] is True
