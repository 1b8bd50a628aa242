"""The one recommended composition: drift detection, staged refits and a floor."""

from __future__ import annotations

from typing import Any

from mllifecycle._validation import check_bool, check_int
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies._challenger import OnChallengerBetter
from mllifecycle.policies._combinators import AnyOf
from mllifecycle.policies._floor import OnSettledBelowFloor
from mllifecycle.policies._periodic import Periodic
from mllifecycle.policies._stale import OnStaleness
from mllifecycle.policies._triggers import DEFAULT_REFITS, OnDrift

__all__ = ["recommended"]


def recommended(
    detector: Any = None,
    *,
    refits: Any = DEFAULT_REFITS,
    floor: bool = True,
    staleness: bool = True,
    challenger: bool = True,
    every: int | None = None,
    rng: Any = None,
) -> AnyOf:
    """Return the recommended retraining policy (one configuration for every stream).

    ``any_of(OnDrift(detector, refits=refits, refit_initial=True),
    OnSettledBelowFloor(), OnStaleness(robust=True), OnChallengerBetter())``:

    - a streaming detector on the deployed model's 0/1 errors (default
      HDDM-A, Frias-Blanco et al. [1]_) triggers a retrain at a change, with
      the change point it estimates;
    - staged refits retrain again at 500, 1000, 2000 and 4000 labels after
      the change, so a retrain made on a window that straddles the change is
      replaced by models trained on the new concept alone;
    - a post-deployment floor (:class:`OnSettledBelowFloor`) retrains a new
      model whose settled accuracy stays below the level before the change,
      beyond sampling noise, and accepts the lower level after two failed
      tries;
    - a staleness check (:class:`OnStaleness` with ``robust=True``) for slow
      (incremental) drift that never looks like a change: it retrains the
      deployed model on the latest 1000 rows once models of its age, pooled
      over the last few models, are more than a point less accurate than
      fresh ones beyond sampling noise, with any one model left out (so one
      model hit by an undetected change does not decide);
    - a challenger check (:class:`OnChallengerBetter`): every 1000 labels a
      clone of the estimator is fitted on recent labelled rows and compared
      with the deployed model on the newest 500 (an exact one-sided sign
      test at 95 % and at least one point of accuracy); a better challenger
      means the stream has moved on although the deployed model's own errors
      have not risen (slow drift, a gradual change a weak model barely
      shows). It needs :func:`mllifecycle.replay.replay`'s
      ``state.challenge``; each check costs a fit, not a deployment;
    - optionally ``Periodic(every=every)`` as a calendar backstop.

    Use it with a window that follows the change
    (:class:`SinceLastDrift`, the default of
    :func:`mllifecycle.replay.replay` for policies that report change
    points). ``benchmarks/policies.py`` measures it against an oracle schedule
    and the best periodic schedule over abrupt, gradual, recurring and
    incremental drift, a no-drift control and a real data set: within 1
    accuracy point in 21 of 24 settings, 0.32 points below on average, with
    0.27 times the best periodic schedule's retrains. The largest gaps are on
    incremental drift (1.0-1.4 points below retraining every 500 samples on
    the last 1000; figures in ``benchmarks/results/policies.md`` and
    docs/lifecycle.md).

    Parameters
    ----------
    detector : StreamDetector, optional
        Change detector fed the error stream (default:
        ``mllifecycle.drift.stream.HDDM_A()``, which did better than ADWIN in
        ``benchmarks/policies.py`` and costs a tenth of its time per batch);
        anything :class:`OnDrift` accepts.
    refits : sequence of int or None, default=(500, 1000, 2000, 4000)
        Staged refits after a detection (labels since the change).
    floor : bool, default=True
        Include :class:`OnSettledBelowFloor`.
    staleness : bool, default=True
        Include ``OnStaleness(robust=True)``.
    challenger : bool, default=True
        Include ``OnChallengerBetter()`` (``False``: the composition before it
        was added, which reads only the deployed model's errors).
    every : int, optional
        Also retrain every ``every`` samples.
    rng : int, Generator, SeedSequence or None, default=None
        Passed to :class:`OnDrift` as its ``rng``: seeds a permutation-based
        batch test given as ``detector`` (e.g. ``drift.energy`` or
        ``drift.mmd``), so the policy's decisions are the same on every run.
        Refused for a streaming detector (the default), which draws no random
        numbers.

    Returns
    -------
    AnyOf

    References
    ----------
    .. [1] I. Frias-Blanco, J. del Campo-Avila, G. Ramos-Jimenez, R. Morales-Bueno,
       A. Ortiz-Diaz and Y. Caballero-Mota, "Online and non-parametric drift
       detection methods based on Hoeffding's bounds", IEEE Transactions on
       Knowledge and Data Engineering, 27(3), 810-823, 2015.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, recommended
    >>> policy = recommended()
    >>> [type(p).__name__ for p in policy.policies]
    ['OnDrift', 'OnSettledBelowFloor', 'OnStaleness', 'OnChallengerBetter']
    >>> policy.should_retrain(LifecycleState(step=100)).retrain
    False

    A backtest on a stream with three abrupt changes, against never retraining:

    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.replay import replay
    >>> s = sea_stream(12_000, noise=0.02, rng=0)
    >>> r = replay(s.X, s.y, GaussianNB(),
    ...            {"never": lambda state: False, "rec": recommended()})
    >>> r["rec"].accuracy > r["never"].accuracy, r["rec"].retrains > 0
    (True, True)
    """
    if detector is None:
        from mllifecycle.drift.stream import HDDM_A

        detector = HDDM_A()
    try:
        drift = OnDrift(detector, refits=refits, refit_initial=True, rng=rng)
    except InvalidParameterError as exc:
        if rng is None or "'rng' parameter of OnDrift" not in str(exc):
            raise
        # the caller gave rng to recommended, not to OnDrift
        raise InvalidParameterError(
            str(exc).replace("'rng' parameter of OnDrift", "'rng' parameter of recommended "
                             "(passed to OnDrift)")
        ) from None
    parts: list[Any] = [drift]
    floor = check_bool(floor, "floor", "recommended")
    staleness = check_bool(staleness, "staleness", "recommended")
    challenger = check_bool(challenger, "challenger", "recommended")
    if floor:
        parts.append(OnSettledBelowFloor())
    if staleness:
        parts.append(OnStaleness(robust=True))
    if challenger:
        parts.append(OnChallengerBetter())

    if every is not None:
        parts.append(Periodic(every=check_int(every, "every", caller="recommended", low=1)))
    return AnyOf(tuple(parts))
