"""Implementation of the conformance checks in :mod:`mllifecycle.testing`."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle.protocols import Gate, RetrainPolicy, Sampler, StreamDetector

__all__ = [
    "check_stream_detector",
    "check_two_sample_test",
    "check_policy",
    "check_gate",
    "check_sampler",
]


def check_stream_detector(
    make_detector: Callable[[], Any], stream: npt.ArrayLike, *, split: int | None = None
) -> None:
    """Check a streaming detector honours the :class:`StreamDetector` protocol.

    Checks that it is recognised as a ``StreamDetector``; that ``update_many``
    gives exactly the detections of element-by-element ``update`` and the same
    final ``drift_detected``; that an empty ``update_many`` is a no-op returning
    no indices; that a detector pickled at ``split`` and restored continues
    exactly as if never stopped; and that ``reset`` replays identically.

    Parameters
    ----------
    make_detector : callable
        Returns a fresh detector (a class works).
    stream : array-like of shape (n,)
        Values to feed; should contain at least one change for a useful check.
    split : int, optional
        Where to pickle mid-stream (default: the middle).

    Raises
    ------
    AssertionError
        Naming the property that does not hold.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import DDM
    >>> from mllifecycle.testing import check_stream_detector
    >>> rng = np.random.default_rng(0)
    >>> errors = np.r_[rng.random(2000) < 0.1, rng.random(2000) < 0.4].astype(float)
    >>> check_stream_detector(DDM, errors)
    """
    xs = np.asarray(stream)
    det = make_detector()
    assert isinstance(det, StreamDetector), (
        f"{type(det).__name__} lacks update/update_many/reset/drift_detected"
    )
    one = make_detector()
    loop = [i for i, x in enumerate(xs.tolist()) if one.update(x)]
    many = make_detector()
    idx = np.asarray(many.update_many(xs))
    assert idx.ndim == 1, "update_many must return a 1-D array of indices"
    assert idx.dtype.kind in "iu", f"update_many must return integer indices, got {idx.dtype}"
    assert idx.tolist() == loop, (
        f"update_many detections {idx.tolist()[:10]} differ from update's {loop[:10]}"
    )
    assert bool(many.drift_detected) == bool(one.drift_detected), (
        "update_many leaves a different drift_detected than update"
    )
    empty = many.update_many(np.asarray([], dtype=float))
    assert len(empty) == 0, "update_many([]) must return no indices"
    # pickled mid-stream, restored, continues identically
    k = len(xs) // 2 if split is None else split
    first = make_detector()
    head = [i for i, x in enumerate(xs[:k].tolist()) if first.update(x)]
    restored = pickle.loads(pickle.dumps(first))
    tail = [k + i for i, x in enumerate(xs[k:].tolist()) if restored.update(x)]
    assert head + tail == loop, "a detector restored from a pickle does not continue exactly"
    # the restored one and the continued one end in the same state
    cont = pickle.loads(pickle.dumps(first))
    cont_many = cont.update_many(xs[k:])
    assert (np.asarray(cont_many) + k).tolist() == tail, (
        "update_many after unpickling differs from update after unpickling"
    )
    # reset replays the same detections
    one.reset()
    again = [i for i, x in enumerate(xs.tolist()) if one.update(x)]
    assert again == loop, "reset() does not return the detector to its initial state"


def check_two_sample_test(
    test: Callable[..., Any],
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    **kwargs: Any,
) -> None:
    """Check a two-sample drift test honours the :class:`TwoSampleTest` protocol.

    A callable alone is not a two-sample test, so this check calls it. It
    checks that:

    * the signature takes ``reference`` and ``current`` first (positionally)
      and a keyword ``alpha``;
    * the result carries a finite float ``statistic``, a ``p_value`` in
      [0, 1] (or None when a threshold decided) and a bool ``drift_detected``,
      and is frozen;
    * the decision is ``p_value < alpha`` (when there is a p-value and no
      ``threshold``/``min_effect``), for ``alpha`` = 0.05 and 0.5;
    * permuting the rows within each sample leaves the statistic unchanged;
    * comparing a sample with itself is not drift;
    * when the test accepts ``rng``, the same seed gives the same result.

    Parameters
    ----------
    test : callable
        ``test(reference, current, **kwargs) -> result``.
    reference, current : array-like
        Two samples the test accepts.
    **kwargs
        Passed to every call.

    Raises
    ------
    AssertionError
        Naming the first property that does not hold.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from types import SimpleNamespace
    >>> def my_ks(reference, current, alpha=0.05):
    ...     r = stats.ks_2samp(reference, current)
    ...     return SimpleNamespace(statistic=float(r.statistic), p_value=float(r.pvalue),
    ...                            drift_detected=bool(r.pvalue < alpha))
    >>> rng = np.random.default_rng(0)
    >>> check_two_sample_test(my_ks, rng.normal(size=50), rng.normal(size=60))
    """
    import inspect
    import warnings

    assert callable(test), f"a two-sample test must be callable, got {type(test).__name__}"
    try:
        params = inspect.signature(test).parameters
    except (TypeError, ValueError):
        params = None
    if params is not None:
        positional = [
            p
            for p in params.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        assert len(positional) >= 2, "the test must take reference and current positionally"
        assert "alpha" in params or any(p.kind == p.VAR_KEYWORD for p in params.values()), (
            "the test must accept a keyword alpha (its significance level)"
        )
    takes_rng = params is not None and "rng" in params
    ref = np.asarray(reference)
    cur = np.asarray(current)
    seeded = dict(kwargs)
    if takes_rng:
        seeded.setdefault("rng", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate-data warnings are not failures here
        res = test(ref, cur, **seeded)
        for field in ("statistic", "p_value", "drift_detected"):
            assert hasattr(res, field), f"the result lacks {field!r}"
        stat = float(res.statistic)
        assert np.isfinite(stat) or np.isnan(stat), "statistic must be a float"
        p = res.p_value
        if p is not None and not (isinstance(p, float) and np.isnan(p)):
            assert 0.0 <= float(p) <= 1.0, f"p_value {p!r} is outside [0, 1]"
        assert isinstance(res.drift_detected, bool | np.bool_), "drift_detected must be a bool"
        try:
            res.statistic = 0.0
        except AttributeError:
            pass
        else:
            if type(res).__name__ != "SimpleNamespace":
                raise AssertionError("results must be frozen")
        plain = (
            p is not None
            and getattr(res, "threshold", None) is None
            and getattr(res, "min_effect", None) is None
            and "threshold" not in kwargs
            and "min_effect" not in kwargs
        )
        if plain and (params is None or "alpha" in params):
            for level in (0.05, 0.5):
                r = test(ref, cur, **{**seeded, "alpha": level})
                assert bool(r.drift_detected) == (float(r.p_value) < level), (
                    f"drift_detected is not p_value < alpha at alpha={level}"
                )
        perm = np.random.default_rng(12345)
        ref2 = ref[perm.permutation(ref.shape[0])]
        cur2 = cur[perm.permutation(cur.shape[0])]
        a = test(ref, cur, **seeded)
        b = test(ref2, cur2, **seeded)
        sa, sb = float(a.statistic), float(b.statistic)
        assert (np.isnan(sa) and np.isnan(sb)) or np.isclose(sa, sb, rtol=1e-9, atol=1e-12), (
            "the statistic changes when rows are permuted within a sample"
        )
        same = test(ref, ref.copy(), **seeded)
        assert not bool(same.drift_detected), "a sample compared with itself is reported as drift"
        if takes_rng:
            c = test(ref, cur, **seeded)
            assert float(a.statistic) == float(c.statistic) or (
                np.isnan(float(a.statistic)) and np.isnan(float(c.statistic))
            ), "same rng, different statistic"
            assert a.p_value == c.p_value, "same rng, different p_value"


def check_policy(policy: Any, states: Sequence[Any]) -> None:
    """Check a retraining policy honours the :class:`RetrainPolicy` protocol.

    Checks that it is a ``RetrainPolicy`` (has ``should_retrain``); that every
    decision has a bool ``retrain`` and a str ``reason``; and that a policy
    pickled and restored makes the same decisions on the same states.

    Parameters
    ----------
    policy : RetrainPolicy
        The policy to check.
    states : sequence of LifecycleState
        States to feed, in order.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic
    >>> from mllifecycle.testing import check_policy
    >>> states = [LifecycleState(step=s, samples_since_retrain=s) for s in (10, 500, 2000)]
    >>> check_policy(Periodic(every=1000), states)
    """
    assert isinstance(policy, RetrainPolicy), (
        f"{type(policy).__name__} lacks should_retrain(state)"
    )
    restored = pickle.loads(pickle.dumps(policy))
    for state in states:
        d1 = policy.should_retrain(state)
        d2 = restored.should_retrain(state)
        assert isinstance(d1.retrain, bool | np.bool_), "decision.retrain must be a bool"
        assert isinstance(d1.reason, str), "decision.reason must be a str"
        assert bool(d1.retrain) == bool(d2.retrain), (
            "a policy restored from a pickle decides differently"
        )


def check_gate(gate: Any, context: Any) -> None:
    """Check an evaluation gate honours the :class:`Gate` protocol.

    Checks that it is a ``Gate`` (has ``check``); that its result has a bool
    ``passed`` and reasons; that checking twice gives the same answer; and that
    the gate pickles.

    Parameters
    ----------
    gate : Gate
        The gate to check.
    context : GateContext
        A context to check it on.

    Examples
    --------
    >>> from mllifecycle.gates import GateContext, MetricThreshold
    >>> from mllifecycle.testing import check_gate
    >>> ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    >>> check_gate(MetricThreshold("accuracy", minimum=0.7), ctx)
    """
    assert isinstance(gate, Gate), f"{type(gate).__name__} lacks check(context)"
    r1 = gate.check(context)
    r2 = pickle.loads(pickle.dumps(gate)).check(context)
    assert isinstance(r1.passed, bool | np.bool_), "result.passed must be a bool"
    assert hasattr(r1, "reasons"), "the result lacks 'reasons'"
    assert bool(r1.passed) == bool(r2.passed), "a gate restored from a pickle decides differently"


def check_sampler(sampler: Any, X: npt.ArrayLike, y: npt.ArrayLike) -> None:
    """Check a resampler honours the :class:`Sampler` protocol.

    Checks that ``fit_resample`` keeps the number of features, returns as many
    labels as rows, introduces no new labels, and that a ``clone`` with the
    same parameters (when it is a scikit-learn estimator) gives the same output.

    Parameters
    ----------
    sampler : Sampler
        The sampler to check.
    X, y : array-like
        Data to resample.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import SMOTE
    >>> from mllifecycle.testing import check_sampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3))
    >>> y = np.r_[np.zeros(50, dtype=int), np.ones(10, dtype=int)]
    >>> check_sampler(SMOTE(random_state=0), X, y)
    """
    assert isinstance(sampler, Sampler), f"{type(sampler).__name__} lacks fit_resample(X, y)"
    Xa = np.asarray(X)
    ya = np.asarray(y)
    Xr, yr = sampler.fit_resample(Xa, ya)
    Xr = np.asarray(Xr)
    yr = np.asarray(yr)
    assert Xr.ndim == 2, "fit_resample must return a 2-D X"
    assert Xr.shape[1] == Xa.shape[1], "fit_resample changed the feature count"
    assert Xr.shape[0] == yr.shape[0], "fit_resample returned mismatched X and y lengths"
    if ya.dtype.kind not in "f":
        assert set(np.unique(yr).tolist()) <= set(np.unique(ya).tolist()), (
            "fit_resample introduced labels absent from y"
        )
    if hasattr(sampler, "get_params"):
        from sklearn.base import clone

        Xc, _ = clone(sampler).fit_resample(Xa, ya)
        Xr2, _ = clone(sampler).fit_resample(Xa, ya)
        assert np.array_equal(np.asarray(Xc), np.asarray(Xr2)), (
            "two clones with the same parameters resample differently (seed the sampler)"
        )
