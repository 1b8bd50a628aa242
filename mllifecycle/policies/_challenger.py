"""Retrain when a model refitted on recent labels beats the deployed one on newer labels."""

from __future__ import annotations

import functools

import attrs
import numpy as np

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import check_binary, check_int, check_scalar, described, fail
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state

__all__ = ["OnChallengerBetter"]

_CALLER = "OnChallengerBetter"

# the frequent "keep" answers, built once (a decision is frozen)
_NO_CHALLENGE = _decision(False, "challenger: no challenge() in the state (use replay)")
_CHECKS_DONE = _decision(False, "challenger: checks of this model done")
_NOT_DUE = _decision(False, "challenger: next check not due")


@functools.lru_cache(maxsize=4096)
def _sign_test_p(wins: int, losses: int) -> float:
    """One-sided exact sign (McNemar) test: P(Binomial(wins + losses, 1/2) >= wins).

    Cached: a check's counts are small and recur over a stream, and SciPy's
    tail costs more than the rest of a check.
    """
    from scipy.stats import binom

    n = wins + losses
    if n == 0:
        return 1.0
    return float(binom.sf(wins - 1, n, 0.5))


def _errors_pair(pair: object, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the challenger's and the deployed model's 0/1 errors on the ``n`` test rows.

    ``state.challenge`` may be the user's: a pair of any other shape was
    broadcast (one error against ``n``) or cast (``0.5`` as an error), and
    the sign test counted wrong rows, silently.
    """
    caller = "OnChallengerBetter.should_retrain"
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        fail("challenge", "a callable returning a pair (challenger errors, deployed errors)",
             described(f"one returning {type(pair).__name__}"), caller)
    out = []
    for j, which in enumerate(("challenger", "deployed model")):
        name = f"challenge()[{j}]"
        errors = check_binary(pair[j], name, caller)
        if errors.shape[0] != n:
            fail(name, f"the {which}'s 0/1 errors, one per test row ({n})",
                 described(f"{errors.shape[0]} value(s)"), caller)
        out.append(errors.astype(bool))
    return out[0], out[1]


@attrs.define
class OnChallengerBetter:
    """Retrain when a challenger fitted on recent labels is better on newer labels.

    Every ``every`` labels (once the deployed model has predicted at least
    ``every`` of them), a challenger -- a clone of the estimator -- is fitted
    on the ``train_size`` labelled rows before the newest ``test_size``, and
    both it and the deployed model predict those newest ``test_size`` rows.
    Of the rows where exactly one of the two is right, the challenger must be
    right on significantly more (a one-sided exact sign test, McNemar's test
    without the normal approximation [1]_, at ``confidence_level``), and its
    accuracy must exceed the deployed model's by at least ``min_gain``; then
    the policy retrains on the latest ``train_size + test_size`` rows (its
    ``change_point``). This is the champion/challenger comparison of a
    deployment gate run ahead of time: it sees what the deployed model's own
    errors cannot, a stream that moves on while the deployed model stays as
    good as it was (slow, incremental drift), where fresh models are better
    although the old one does not get worse. A challenger fitted on the same
    concept as the deployed one, on no more rows, is no better, so on a
    stable stream it retrains only at the test's false-alarm rate per check.

    It needs ``state.challenge`` (set by :func:`mllifecycle.replay.replay`;
    see :class:`LifecycleState`); without it the policy never retrains. Each
    check costs a model fit (counted in the replay's ``fit_seconds``), not a
    deployment.

    Parameters
    ----------
    every : int, default=1000
        Labels between checks (and the deployed model's least age at a check);
        at least ``test_size``, so the rows of one check's test are labels the
        deployed model predicted after its deployment and are not tested again.
    train_size : int, default=1000
        Labelled rows the challenger is fitted on.
    test_size : int, default=500
        Newest labelled rows the two models are compared on.
    confidence_level : float, default=0.95
        One-sided confidence level of the sign test.
    min_gain : float, default=0.01
        Least accuracy gain of the challenger (one point).
    n_checks : int or None, default=None
        Checks per deployed model at most (None: no limit).

    References
    ----------
    .. [1] Q. McNemar, "Note on the sampling error of the difference between
       correlated proportions or percentages", Psychometrika 12(2), 153-157,
       1947.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.policies import LifecycleState, OnChallengerBetter
    >>> def challenge(a, b, c):  # the challenger is right where the deployed is not
    ...     deployed = np.r_[np.ones(60), np.zeros(c - b - 60)]
    ...     return np.zeros(c - b), deployed
    >>> p = OnChallengerBetter(every=500, train_size=500, test_size=200)
    >>> d = p.should_retrain(LifecycleState(step=2000, labels_available=2000,
    ...                                     deployed_at=1000, challenge=challenge))
    >>> d.retrain, d.change_point
    (True, 1300)
    """

    every: int = attrs.field(default=1000, kw_only=True)
    train_size: int = attrs.field(default=1000, kw_only=True)
    test_size: int = attrs.field(default=500, kw_only=True)
    confidence_level: float = attrs.field(default=0.95, kw_only=True)
    min_gain: float = attrs.field(default=0.01, kw_only=True)
    n_checks: int | None = attrs.field(default=None, kw_only=True)
    _version: int = attrs.field(init=False, default=-1, repr=False)
    _last: int = attrs.field(init=False, default=0, repr=False)
    _checks: int = attrs.field(init=False, default=0, repr=False)

    def __attrs_post_init__(self) -> None:
        self.every = check_int(self.every, "every", caller=_CALLER)
        self.train_size = check_int(self.train_size, "train_size", caller=_CALLER, low=2)
        self.test_size = check_int(self.test_size, "test_size", caller=_CALLER)
        if self.every < self.test_size:
            # a check tests the newest test_size labels: with checks closer than
            # that, consecutive sign tests share rows (the same evidence counted
            # again), and the first check of a model reaches back before its
            # deployment, onto rows it was trained on or never predicted
            fail(
                "every",
                f"at least test_size ({self.test_size}), so each check's test rows are "
                "new labels the deployed model predicted and no two checks share them",
                self.every,
                _CALLER,
            )
        self.confidence_level = check_scalar(
            self.confidence_level,
            "confidence_level",
            caller=_CALLER,
            low=0.0,
            high=1.0,
            low_inclusive=False,
            high_inclusive=False,
        )
        self.min_gain = check_scalar(
            self.min_gain, "min_gain", caller=_CALLER, low=0.0, high=1.0, high_inclusive=False
        )
        if self.n_checks is not None:
            self.n_checks = check_int(self.n_checks, "n_checks", caller=_CALLER)
        # the smallest p-value of the sign test on test_size rows is 0.5**test_size
        # (the challenger right on every one where exactly one model is): a test
        # that cannot reach the level could never retrain
        if 0.5**self.test_size >= 1.0 - self.confidence_level:
            need = 1
            while 0.5**need >= 1.0 - self.confidence_level:
                need += 1
            fail(
                "test_size",
                f"at least {need}, the fewest rows on which a sign test can reach "
                f"confidence_level={self.confidence_level:g}",
                self.test_size,
                _CALLER,
            )

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Compare a challenger with the deployed model when a check is due."""
        check_state(state, "OnChallengerBetter.should_retrain")
        if state.model_version != self._version:
            self._version = state.model_version
            self._last = max(state.deployed_at, 0)
            self._checks = 0
        known = state.labels_available
        if state.challenge is None:
            return _NO_CHALLENGE
        if self.n_checks is not None and self._checks >= self.n_checks:
            return _CHECKS_DONE
        if known - self._last < self.every:
            return _NOT_DUE
        stop = known - self.test_size
        start = stop - self.train_size
        if start < 0:
            return _decision(False, "challenger: too few labelled rows")
        self._last = known
        self._checks += 1
        e_c, e_d = _errors_pair(state.challenge(start, stop, known), known - stop)
        wins = int(np.count_nonzero(e_d & ~e_c))
        losses = int(np.count_nonzero(e_c & ~e_d))
        gain = (wins - losses) / e_c.shape[0]
        p = _sign_test_p(wins, losses)
        level = 1.0 - self.confidence_level
        msg = (
            f"challenger fitted on rows {start}:{stop}: right where the deployed model is "
            f"wrong on {wins}, the reverse on {losses} of {e_c.shape[0]} newer labels "
            f"(gain {gain:+.4f}, one-sided p={p:.3g})"
        )
        if p < level and gain >= self.min_gain:
            return _decision(True, msg, change_point=start)
        return _decision(False, msg)
