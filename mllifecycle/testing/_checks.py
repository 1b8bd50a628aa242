"""Implementation of the conformance checks in :mod:`mllifecycle.testing`."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle.protocols import Gate, Sampler, StreamDetector

__all__ = [
    "check_stream_detector",
    "check_two_sample_test",
    "check_policy",
    "check_window",
    "check_gate",
    "check_sampler",
]


def check_stream_detector(
    make_detector: Callable[[], Any], stream: npt.ArrayLike, *, split: int | None = None
) -> None:
    """Check a streaming detector honours the :class:`StreamDetector` protocol.

    Checks that it is recognised as a ``StreamDetector``; that ``update_many``
    gives exactly the detections of element-by-element ``update`` and the same
    final ``drift_detected``; that ``drift_detected`` after each ``update``
    is what that call returned (whether the last element triggered a
    detection); that an empty ``update_many`` is a no-op returning
    no indices; that a detector pickled at ``split`` and restored, or deep-copied
    there, continues exactly as if never stopped; that the stream fed to ``update_many`` in
    several calls (split at ``split`` and one after it, with an empty call
    between) gives the same detections, so each call leaves the state
    ``update`` leaves; and that ``reset`` replays identically (after
    ``update`` and after ``update_many``, warnings included). For a
    :class:`~mllifecycle.protocols.WarningDetector` it also checks that
    ``warnings_`` after ``update_many`` lists exactly the indices at which
    ``warning_detected`` was True in the ``update`` loop.

    Parameters
    ----------
    make_detector : callable
        Returns a fresh detector (a class works).
    stream : array-like of shape (n,)
        Values to feed; should contain at least one change for a useful check.
    split : int, optional
        Where to pickle mid-stream, in ``[0, n]`` (default: the middle).

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
    # a copy: the caller's stream is not handed to the detector under test
    xs = np.array(stream)
    if split is not None:
        # a split outside [0, n] failed the check of a correct detector as
        # "restored from a pickle" (xs[:-3] and xs[-3:] are no split of the stream)
        from mllifecycle._validation import check_int

        split = check_int(split, "split", caller="check_stream_detector", low=0,
                          high=len(xs))
    det = make_detector()
    assert isinstance(det, StreamDetector), (
        f"{type(det).__name__} lacks update/update_many/reset/drift_detected"
    )
    from mllifecycle.protocols import WarningDetector

    one = make_detector()
    warns = isinstance(one, WarningDetector)
    loop: list[int] = []
    loop_warnings: list[int] = []
    for i, x in enumerate(xs.tolist()):
        hit = one.update(x)
        if hit:
            loop.append(i)
        # drift_detected tells whether the last element triggered a detection:
        # a flag never set, or left True after the detection (not cleared by
        # the next update), passed, as update_many left the same wrong flag
        assert bool(one.drift_detected) == bool(hit), (
            f"after update of element {i}, drift_detected is {bool(one.drift_detected)} "
            f"while update returned {bool(hit)} (drift_detected must tell whether the "
            "last element fed triggered a detection)"
        )
        if warns and one.warning_detected:
            loop_warnings.append(i)
    many = make_detector()
    fed = xs.copy()
    idx = np.asarray(many.update_many(fed))
    assert np.array_equal(fed, xs, equal_nan=xs.dtype.kind in "fc"), (
        "update_many changed the values it was given in place (it must only read them)"
    )
    assert idx.ndim == 1, "update_many must return a 1-D array of indices"
    # no detections may come as an empty list (NumPy makes it float64)
    assert idx.dtype.kind in "iu" or idx.shape[0] == 0, (
        f"update_many must return integer indices, got {idx.dtype}"
    )
    assert idx.tolist() == loop, (
        f"update_many detections {idx.tolist()[:10]} differ from update's {loop[:10]}"
    )
    assert bool(many.drift_detected) == bool(one.drift_detected), (
        "update_many leaves a different drift_detected than update"
    )
    if warns:
        got = np.asarray(many.warnings_).tolist()
        assert got == loop_warnings, (
            f"update_many's warnings_ {got[:10]} differ from the indices at which "
            f"update left warning_detected True {loop_warnings[:10]}"
        )
        assert bool(many.warning_detected) == bool(one.warning_detected), (
            "update_many leaves a different warning_detected than update"
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
    # deep-copied mid-stream (replay runs a deep copy of each policy, its
    # detector included), the copy continues exactly too
    dup = copy.deepcopy(first)
    tail_dup = [k + i for i, x in enumerate(xs[k:].tolist()) if dup.update(x)]
    assert head + tail_dup == loop, (
        "a detector deep-copied mid-stream does not continue exactly (copy.deepcopy, "
        "as replay copies each policy)"
    )
    # the restored one and the continued one end in the same state
    cont = pickle.loads(pickle.dumps(first))
    cont_many = cont.update_many(xs[k:])
    assert (np.asarray(cont_many) + k).tolist() == tail, (
        "update_many after unpickling differs from update after unpickling"
    )
    # the stream fed in several update_many calls (split at k and k + 1, with
    # an empty call at k) gives the same detections: each call leaves the
    # state update leaves, and the empty call changes nothing
    parts = make_detector()
    got_parts: list[int] = []
    warn_parts: list[int] = []
    for lo, hi in ((0, k), (k, k), (k, k + 1), (k + 1, len(xs))):
        got_parts += (np.asarray(parts.update_many(xs[lo:hi]), dtype=np.intp) + lo).tolist()
        if warns:
            warn_parts += (np.asarray(parts.warnings_, dtype=np.intp) + lo).tolist()
    assert got_parts == loop, (
        f"update_many over several calls (split at {k} and {k + 1}, with an empty "
        f"call at {k}) gives detections "
        f"{got_parts[:10]}, not update's {loop[:10]}: a call does not leave the state "
        "that update leaves"
    )
    if warns:
        assert warn_parts == loop_warnings, (
            f"update_many's warnings_ over several calls (split at {k} and {k + 1}) "
            f"{warn_parts[:10]} differ from update's {loop_warnings[:10]}"
        )
    assert bool(parts.drift_detected) == bool(one.drift_detected), (
        "update_many over several calls leaves a different drift_detected than update"
    )
    # reset replays the same detections (and warnings)
    one.reset()
    again: list[int] = []
    again_warnings: list[int] = []
    for i, x in enumerate(xs.tolist()):
        if one.update(x):
            again.append(i)
        if warns and one.warning_detected:
            again_warnings.append(i)
    assert again == loop, "reset() does not return the detector to its initial state"
    if warns:
        # a reset that kept the warning state passed: only detections were compared
        assert again_warnings == loop_warnings, (
            f"after reset() update leaves warning_detected True at {again_warnings[:10]}, "
            f"not at {loop_warnings[:10]} as a fresh detector does"
        )
    # reset of a detector fed by update_many: its warnings_ (from the earlier
    # call) are cleared as a fresh detector's, and the stream replays identically
    many = make_detector()
    many.update_many(xs.copy())
    many.reset()
    fresh = make_detector()
    if warns:
        assert np.asarray(many.warnings_).tolist() == np.asarray(fresh.warnings_).tolist(), (
            "reset() leaves the warnings_ of an earlier update_many call"
        )
        assert bool(many.warning_detected) == bool(fresh.warning_detected), (
            "reset() leaves warning_detected as the last value left it"
        )
    assert not bool(many.drift_detected) or bool(fresh.drift_detected), (
        "reset() leaves drift_detected True"
    )
    replay = np.asarray(many.update_many(xs.copy()), dtype=np.intp).tolist()
    assert replay == loop, (
        f"update_many after reset() gives detections {replay[:10]}, not {loop[:10]}: "
        "reset() does not return the detector to its initial state"
    )
    if warns:
        got = np.asarray(many.warnings_).tolist()
        assert got == loop_warnings, (
            f"update_many's warnings_ after reset() {got[:10]} differ from "
            f"{loop_warnings[:10]}"
        )


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
    * when the test accepts ``rng``, the same seed gives the same result;
    * the test leaves the samples it is given unchanged.

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
    # copies: the caller's samples are not handed to the test under test
    ref = np.array(reference)
    cur = np.array(current)
    seeded = dict(kwargs)
    if takes_rng:
        seeded.setdefault("rng", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate-data warnings are not failures here
        ref_in, cur_in = ref.copy(), cur.copy()
        res = test(ref_in, cur_in, **seeded)
        # a test standardising its samples in place (reference -= mean) changed
        # the caller's data, and passed
        for given, kept, which in ((ref_in, ref, "reference"), (cur_in, cur, "current")):
            assert np.array_equal(given, kept, equal_nan=kept.dtype.kind in "fc"), (
                f"the test changed {which} in place (it must only read its samples)"
            )
        for field in ("statistic", "p_value", "drift_detected"):
            assert hasattr(res, field), f"the result lacks {field!r}"
        stat = float(res.statistic)
        assert np.isfinite(stat) or np.isnan(stat), (
            f"statistic must be a finite float (or NaN), got {res.statistic!r}"
        )
        p = res.p_value
        # NaN of any float type (np.float32 is no Python float) is allowed
        if p is not None and not np.isnan(float(p)):
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
            # two levels around this data's p-value too: with only 0.05 and 0.5,
            # a test deciding at a fixed 0.05 whatever alpha it was given passed
            # on every p-value outside [0.05, 0.5) (samples alike: p near 1)
            pf = float(p)
            around = [lv for lv in (pf / 2.0, (1.0 + pf) / 2.0)
                      if np.isfinite(pf) and 0.0 < lv < 1.0 and lv != pf]
            for level, optional in ((0.05, False), (0.5, False),
                                    *((lv, True) for lv in around)):
                try:
                    r = test(ref, cur, **{**seeded, "alpha": level})
                except ValueError:
                    if optional:  # a test may refuse such a level (e.g. alpha > 0.5)
                        continue
                    raise
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
            assert a.p_value == c.p_value or (
                a.p_value is not None
                and c.p_value is not None
                and np.isnan(float(a.p_value))
                and np.isnan(float(c.p_value))
            ), "same rng, different p_value"


def _array_fields(state: Any) -> dict[str, Any]:
    """Return copies of the arrays a (frozen) state holds, to detect in-place changes.

    Arrays held in dicts, lists and tuples count too (``GateContext.slices``,
    ``LifecycleState.drift``): a gate emptying a slice mask in place corrupted
    every later gate of a report and passed the check. Keys are paths such as
    ``slices['a']``.
    """
    fields = getattr(state, "__dict__", None) or {
        name: getattr(state, name, None)
        for name in getattr(state, "__slots__", ())
        if name != "__weakref__"
    }
    out: dict[str, Any] = {}
    for name, value in fields.items():
        _collect_arrays(value, name, (name,), out, 0)
    return out


def _collect_arrays(
    value: Any, label: str, path: tuple[Any, ...], out: dict[str, Any], depth: int
) -> None:
    if isinstance(value, np.ndarray):
        out[label] = (path, value.copy())
    elif depth < 3 and isinstance(value, dict):
        for k, v in value.items():
            _collect_arrays(v, f"{label}[{k!r}]", (*path, k), out, depth + 1)
    elif depth < 3 and isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _collect_arrays(v, f"{label}[{i}]", (*path, i), out, depth + 1)


def _lookup(state: Any, path: tuple[Any, ...]) -> Any:
    value = getattr(state, path[0])
    for key in path[1:]:
        value = value[key]
    return value


def _assert_unchanged(before: dict[str, Any], state: Any, who: str, what: str = "state",
                      why: str = "the state is shared: a policy or window must only "
                      "read it") -> None:
    for label, (path, old) in before.items():
        try:
            new = np.asarray(_lookup(state, path))
        except (KeyError, IndexError, TypeError, AttributeError):
            raise AssertionError(f"{who} removed {what}.{label} ({why})") from None
        same = new.shape == old.shape and np.array_equal(
            old, new, equal_nan=old.dtype.kind in "fc" and new.dtype.kind in "fc"
        )
        assert same, f"{who} changed {what}.{label} in place ({why})"


def _same_decision(a: Any, b: Any) -> bool:
    return bool(a.retrain) == bool(b.retrain) and a.change_point == b.change_point


def check_policy(policy: Any, states: Sequence[Any]) -> None:
    """Check a retraining policy is one :func:`mllifecycle.replay.replay` accepts.

    Exactly what ``replay`` accepts passes: an object with a callable
    ``should_retrain(state)`` or a plain function ``state -> bool |
    RetrainDecision`` (wrapped as ``replay`` wraps it). Checks that every
    decision is a :class:`~mllifecycle.policies.RetrainDecision` with a bool
    ``retrain``, a str ``reason`` and an int or None ``change_point`` (on a
    retrain, in ``[0, state.step]``, as ``replay`` requires); that
    ``should_retrain`` leaves the state's arrays unchanged; that a
    deep copy (what ``replay`` runs) decides identically; and, when the policy
    pickles (needed for ``replay(n_jobs=...)`` and for restarts), that a
    copy restored from a pickle mid-stream continues identically.

    Parameters
    ----------
    policy : RetrainPolicy or callable
        The policy to check.
    states : sequence of LifecycleState
        States to feed, in order.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, Periodic
    >>> from mllifecycle.testing import check_policy
    >>> states = [LifecycleState(step=s, samples_since_retrain=s) for s in (10, 500, 2000)]
    >>> check_policy(Periodic(every=1000), states)
    >>> check_policy(lambda state: state.step > 100, states)
    """
    import copy

    from mllifecycle.policies import RetrainDecision, as_policy

    try:
        wrapped = as_policy(policy, "policy", "check_policy")
    except TypeError as exc:
        raise AssertionError(str(exc)) from exc
    twin = copy.deepcopy(wrapped)
    try:
        blob: bytes | None = pickle.dumps(wrapped)
    except Exception:
        blob = None
    k = len(states) // 2
    restored = None
    for i, state in enumerate(states):
        if i == k and blob is not None:
            restored = pickle.loads(pickle.dumps(wrapped))
        before = _array_fields(state)
        d1 = wrapped.should_retrain(state)
        _assert_unchanged(before, state, "should_retrain")
        assert isinstance(d1, RetrainDecision), (
            f"should_retrain must return a RetrainDecision, got {type(d1).__name__}"
        )
        assert isinstance(d1.retrain, bool | np.bool_), "decision.retrain must be a bool"
        assert isinstance(d1.reason, str), "decision.reason must be a str"
        assert d1.change_point is None or isinstance(d1.change_point, int | np.integer), (
            "decision.change_point must be an int or None"
        )
        # replay refuses a retrain whose change point is after the decision
        # (a change the policy cannot have seen); the check passed such a policy
        if d1.retrain and d1.change_point is not None:
            assert 0 <= int(d1.change_point) <= int(state.step), (
                f"decision.change_point {int(d1.change_point)} is after the decision at "
                f"step {int(state.step)} (replay needs a change point in [0, step])"
            )
        assert _same_decision(d1, twin.should_retrain(state)), (
            f"a deep copy of the policy decides differently at step {int(state.step)} "
            "(its decisions depend on state kept outside the policy, such as a global "
            "or a class attribute, or on state a copy does not carry; replay runs a copy)"
        )
        if restored is not None:
            assert _same_decision(d1, restored.should_retrain(state)), (
                "a policy restored from a pickle mid-stream decides differently"
            )


def check_window(window: Any, states: Sequence[Any]) -> None:
    """Check a training window is one :func:`mllifecycle.replay.replay` accepts.

    Checks that it has ``select(state)``; that every selection is a
    :class:`~mllifecycle.policies.WindowSelection` of labelled rows only
    (``0 <= start <= stop <= state.labels_available``, what ``replay``
    enforces) with one finite non-negative weight per row when weighted;
    that ``select`` leaves the state's arrays unchanged; that selecting
    twice gives the same rows; and that it pickles and deep-copies to a window
    selecting the same rows.

    Parameters
    ----------
    window : TrainingWindow
        The window to check.
    states : sequence of LifecycleState
        States to select on.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, SinceLastDrift
    >>> from mllifecycle.testing import check_window
    >>> states = [LifecycleState(step=s, labels_available=s, last_change_point=cp)
    ...           for s, cp in ((1000, None), (5000, 4000), (6000, 5990))]
    >>> check_window(SinceLastDrift(300), states)
    """
    import copy

    from mllifecycle.policies import WindowSelection
    from mllifecycle.protocols import TrainingWindow

    assert isinstance(window, TrainingWindow), f"{type(window).__name__} lacks select(state)"
    assert callable(window.select), f"{type(window).__name__}.select is not callable"
    twin = copy.deepcopy(window)
    restored = pickle.loads(pickle.dumps(window))
    for state in states:
        before = _array_fields(state)
        sel = window.select(state)
        _assert_unchanged(before, state, "select")
        assert isinstance(sel, WindowSelection), (
            f"select must return a WindowSelection, got {type(sel).__name__}"
        )
        assert 0 <= sel.start <= sel.stop <= state.labels_available, (
            f"selected rows {sel.start}:{sel.stop} but only 0:{state.labels_available} "
            "are labelled"
        )
        w = sel.sample_weight
        if w is not None:
            assert len(w) == sel.stop - sel.start, "one sample weight per selected row"
            assert np.all(np.isfinite(w)), "sample weights must be finite"
            assert np.all(np.asarray(w) >= 0), "sample weights must be non-negative"
        for other in (window, twin, restored):
            again = other.select(state)
            assert (again.start, again.stop) == (sel.start, sel.stop), (
                "a copy of the window (or a second call) selects different rows"
            )
            # the weights too: a window whose weights drift between calls (state
            # kept across select calls, or lost in a copy) trains another model
            aw = again.sample_weight
            same = (aw is None and w is None) or (
                aw is not None and w is not None
                and np.array_equal(np.asarray(aw), np.asarray(w))
            )
            assert same, (
                "a copy of the window (or a second call) gives the rows other sample weights"
            )


def check_gate(gate: Any, context: Any) -> None:
    """Check an evaluation gate honours the :class:`Gate` protocol.

    Checks that it is a ``Gate`` (has ``check``); that ``check`` leaves the
    context's arrays unchanged; that its result has a bool ``passed`` and
    ``reasons`` as a list or tuple of str; that checking twice gives the same
    answer; and that the gate pickles.

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
    before = _array_fields(context)
    r1 = gate.check(context)
    _assert_unchanged(before, context, "check", "context",
                      "the context is shared by every gate of a report: a gate must "
                      "only read it")
    r2 = pickle.loads(pickle.dumps(gate)).check(context)
    assert isinstance(r1.passed, bool | np.bool_), "result.passed must be a bool"
    assert hasattr(r1, "reasons"), "the result lacks 'reasons'"
    reasons = r1.reasons
    msg = f"result.reasons must be a list or tuple of str, got {reasons!r}"
    assert isinstance(reasons, list | tuple), msg
    assert all(isinstance(r, str) for r in reasons), msg
    assert bool(gate.check(context).passed) == bool(r1.passed), (
        "checking the same context twice gives different answers"
    )
    assert bool(r1.passed) == bool(r2.passed), "a gate restored from a pickle decides differently"


def _assert_rows_keep_labels(
    Xa: npt.NDArray[Any], ya: npt.NDArray[Any], Xr: npt.NDArray[Any], yr: npt.NDArray[Any]
) -> None:
    """Assert every returned row equal to a row of ``X`` carries a label of that row.

    A sampler returning its labels in another order than its rows (the
    synthetic rows' labels first, or ``y`` shuffled) kept the feature count,
    the lengths and the label set, and passed: every model trained on its
    output learned from mislabelled rows. Rows equal to no row of ``X``
    (synthetic ones) are not constrained; a row of ``X`` present under
    several labels may carry any of them.
    """
    if Xa.ndim != 2 or ya.ndim != 1 or Xa.shape[0] != ya.shape[0]:
        return
    known: dict[Any, set[Any]] = {}
    try:
        for row, label in zip(Xa.tolist(), ya.tolist(), strict=True):
            known.setdefault(tuple(row), set()).add(label)
        for i, (row, label) in enumerate(zip(Xr.tolist(), yr.tolist(), strict=True)):
            labels = known.get(tuple(row))
            if labels is not None and label not in labels:
                raise AssertionError(
                    f"fit_resample returned row {i}, a row of X whose label is "
                    f"{sorted(labels, key=repr)[0]!r}, with the label {label!r}: the labels "
                    "are not paired with their rows"
                )
    except TypeError:  # unhashable values or labels: nothing to match on
        return


def _param_hashes(sampler: Any) -> dict[str, str] | None:
    """Hashes of a scikit-learn style object's parameters, or None without them."""
    if not hasattr(sampler, "get_params"):
        return None
    import joblib

    try:
        return {k: joblib.hash(v) for k, v in sampler.get_params(deep=False).items()}
    except Exception:  # parameters joblib cannot hash: nothing to compare
        return None


def check_sampler(sampler: Any, X: npt.ArrayLike, y: npt.ArrayLike) -> None:
    """Check a resampler honours the :class:`Sampler` protocol.

    Checks that ``fit_resample`` keeps the number of features, returns a 1-D
    ``y`` with as many labels as rows, and leaves its inputs untouched (and,
    for a scikit-learn style sampler, its own ``get_params``); for
    class labels (``y`` not of floats, and not returned as floats, as a
    regression sampler returns mixed integer targets), that it introduces no
    new labels and keeps every returned copy of a row of ``X`` paired with
    that row's label (its rows and labels in the same order);
    that a ``clone`` with the same parameters (when it is a scikit-learn
    estimator) gives the same output; and, when the sampler records
    ``n_features_in_`` (as scikit-learn and imbalanced-learn samplers do),
    that it matches ``X``.

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
    X_before, y_before = Xa.copy(), ya.copy()
    params_before = _param_hashes(sampler)
    Xr, yr = sampler.fit_resample(Xa, ya)[:2]
    if params_before is not None:
        # a sampler adjusting its own parameters in fit_resample (k_neighbors
        # lowered to the rows there were) resampled on, and passed: a clone, a
        # GridSearchCV candidate or the next fit then starts from other parameters
        after = _param_hashes(sampler) or {}
        changed = sorted(k for k in params_before if after.get(k) != params_before[k])
        assert not changed, (
            f"fit_resample changed the parameter(s) {changed} (get_params must give "
            "what the sampler was constructed with; keep what fitting learns in "
            "attributes ending in '_')"
        )
    Xr = np.asarray(Xr)
    yr = np.asarray(yr)
    assert np.array_equal(Xa, X_before, equal_nan=Xa.dtype.kind == "f"), (
        "fit_resample modified X in place"
    )
    assert np.array_equal(ya, y_before), "fit_resample modified y in place"
    assert Xr.ndim == 2, "fit_resample must return a 2-D X"
    assert Xr.shape[1] == Xa.shape[1], "fit_resample changed the feature count"
    assert yr.ndim == 1, f"fit_resample must return a 1-D y, got shape {yr.shape}"
    assert Xr.shape[0] == yr.shape[0], "fit_resample returned mismatched X and y lengths"
    # class labels, unless the target is continuous: floats in, or integers (counts)
    # that came back as floats, mixed by a regression sampler (SMOTER, mixup's
    # task="regression"), which was failed for "labels absent from y"
    labels = ya.dtype.kind != "f" and yr.dtype.kind != "f"
    if labels:
        assert set(np.unique(yr).tolist()) <= set(np.unique(ya).tolist()), (
            "fit_resample introduced labels absent from y"
        )
    n_in = getattr(sampler, "n_features_in_", None)
    if n_in is not None:
        assert n_in == Xa.shape[1], (
            f"n_features_in_ is {n_in} after resampling {Xa.shape[1]} feature(s)"
        )
    if hasattr(sampler, "get_params"):
        from sklearn.base import clone

        Xc, yc = clone(sampler).fit_resample(Xa, ya)[:2]
        Xr2, yr2 = clone(sampler).fit_resample(Xa, ya)[:2]
        assert np.array_equal(np.asarray(Xc), np.asarray(Xr2)), (
            "two clones with the same parameters resample differently (seed the sampler)"
        )
        # the labels too: rows equal but labels drawn unseeded passed
        assert np.array_equal(np.asarray(yc), np.asarray(yr2)), (
            "two clones with the same parameters give the resampled rows different "
            "labels (seed the sampler)"
        )
    if labels:  # a regression sampler may give a copy of x_i an interpolated target
        _assert_rows_keep_labels(Xa, ya, Xr, yr)
