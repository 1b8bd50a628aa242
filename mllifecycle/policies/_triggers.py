"""Event-triggered policies: on drift, on an observed or estimated performance drop."""

from __future__ import annotations

import inspect
import itertools
import math
from statistics import NormalDist
from typing import Any, NoReturn

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._lifecycle_types import _decision
from mllifecycle._validation import (
    check_bool,
    check_int,
    check_option,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle.policies._state import LifecycleState, RetrainDecision, check_state
from mllifecycle.protocols import StreamDetector

__all__ = ["OnDrift", "OnPerformanceDrop", "OnEstimatedPerformanceDrop"]

DEFAULT_REFITS: tuple[int, ...] = (500, 1000, 2000, 4000)
"""Labels since a change at which :class:`OnDrift` and ``Oracle`` refit."""


def check_schedule(value: Any, name: str, caller: str) -> tuple[int, ...]:
    """Return a refit schedule as a strictly increasing tuple of positive ints."""
    if value is None:
        return ()
    items = [value] if isinstance(value, int | np.integer) else value
    try:
        out = tuple(check_int(k, name, caller=caller, low=1) for k in items)
    except TypeError:
        fail(name, "a sequence of positive ints (labels since the change) or None", value, caller)
    if any(b <= a for a, b in itertools.pairwise(out)):
        fail(name, "strictly increasing label counts", value, caller)
    return out


def _kind_of(detector: Any) -> str:
    if detector is None:
        return "state"
    if isinstance(detector, StreamDetector):
        return "stream"
    if callable(getattr(detector, "compare", None)) or (
        callable(getattr(detector, "fit", None)) and isinstance(detector, type)
    ):
        return "reference"
    if callable(detector):
        return "test"
    fail(
        "detector",
        "None, a StreamDetector (update, update_many, reset, drift_detected), a "
        "two-sample test (reference, current) -> result, or a fitted reference "
        "with compare(current)",
        described(f"{type(detector).__name__}, which has none of these"),
        "OnDrift",
    )


_KIND_NAMES = {
    "state": "detector=None (drift reported in the state)",
    "test": "a two-sample test",
    "reference": "a fitted reference",
}


def _drift_flag(flag: Any, name: str, what: str) -> bool:
    """Return a result's ``drift_detected`` as a bool: a bool, or 0 / 1; else fail.

    ``bool()`` of it read the string ``"False"`` as drift, and failed on an
    array of per-feature flags with NumPy's "truth value of an array is
    ambiguous", naming nothing.
    """
    if isinstance(flag, bool | np.bool_):
        return bool(flag)
    number = isinstance(flag, int | np.integer | float | np.floating) or (
        isinstance(flag, np.ndarray) and flag.ndim == 0 and flag.dtype.kind in "biuf"
    )
    if number and (flag == 0 or flag == 1):
        return bool(flag)
    fail(
        name,
        "drift results whose drift_detected is one bool (drift or not; a multivariate "
        "test answers once for all features, as drift.detect does)",
        described(f"{what} with drift_detected={flag!r}"),
        "OnDrift.should_retrain",
    )


def _bad_detections(det: Any, n: int, got: str) -> NoReturn:
    fail(
        "detector",
        f"a StreamDetector whose update_many(xs) returns the indices (ints in [0, {n}) for "
        f"{n} values) of the values at which it detected a change",
        described(f"{_name(det)}.update_many returning {got}"),
        "OnDrift.should_retrain",
    )


def _detection_indices(idx: npt.NDArray[Any], det: Any, n: int) -> npt.NDArray[Any]:
    """Return a detector's ``update_many`` answer that is no 1-D int array as one, or fail.

    Floats holding whole numbers are indices. A boolean mask (one flag per
    value) was read as indices: it has a first element whatever it holds, so
    OnDrift retrained at every batch "at sample 0" of it; None failed with a
    bare IndexError.
    """
    if idx.ndim == 1 and idx.dtype.kind == "f" and bool(np.all(idx == np.round(idx))):
        return idx.astype(np.intp)
    if idx.ndim == 1 and idx.dtype.kind == "b":
        got = f"a boolean array of {idx.shape[0]} flag(s), not indices"
    elif idx.dtype == object and idx.ndim == 0:
        got = type(idx.item()).__name__
    else:
        got = f"an array of dtype {idx.dtype} and shape {idx.shape}"
    _bad_detections(det, n, got)


def _name(obj: Any) -> str:
    inner = getattr(obj, "func", None)  # functools.partial(drift.detect, ...)
    if inner is not None and callable(inner):
        obj = inner
    return str(getattr(obj, "__name__", None) or type(obj).__name__)


def _takes_rng(fn: Any) -> bool | None:
    """Whether ``fn`` takes an ``rng`` keyword (None when its signature is unknown)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    p = params.get("rng")
    if p is not None:
        return p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    return any(q.kind == q.VAR_KEYWORD for q in params.values())


def _check_seedable(detector: Any, kind: str, rng: Any) -> np.random.Generator:
    """Return the Generator behind ``OnDrift(rng=...)``; refuse a detector it cannot seed."""
    if kind in ("state", "stream"):
        what = "detector=None" if kind == "state" else f"a streaming detector {_name(detector)}"
        fail("rng", "None unless the detector is a two-sample test or a fitted reference "
             "that takes rng (a permutation test)", described(f"rng={rng!r} with {what}"),
             "OnDrift")
    if kind == "test" and "rng" in (getattr(detector, "keywords", None) or {}):
        fail("rng", "None when the test's rng is already bound (functools.partial(..., rng=))",
             described(f"rng={rng!r} and {_name(detector)} bound to "
                       f"rng={detector.keywords['rng']!r}"), "OnDrift")
    fn = detector if kind == "test" else getattr(detector, "compare", None)
    if _takes_rng(fn) is False:
        where = "test" if kind == "test" else "reference's compare()"
        fail("rng", "None unless the detector takes rng (a permutation test)",
             described(f"rng={rng!r} with a {where} {_name(detector)} that takes no rng"),
             "OnDrift")
    return check_rng(rng, "rng", "OnDrift")


@attrs.define
class OnDrift:
    """Retrain when a drift detector fires.

    Works with any detector from :mod:`mllifecycle.drift`:

    - **a streaming detector** (``drift.stream.ADWIN``, ``DDM``,
      ``PageHinkley``, or anything with the
      :class:`~mllifecycle.protocols.StreamDetector` methods) is fed, at each
      decision, the 0/1 errors of the deployed model on the labels that
      arrived since the previous decision (``signal="error"``), or the
      uncertainty ``1 - max(proba)`` of each row of the latest batch
      (``signal="confidence"``, needs no labels; a 1-D ``current_proba`` holds
      a binary model's positive-class probabilities ``p``, whose uncertainty
      is ``1 - max(p, 1 - p)``). It is reset whenever a new model is deployed, because
      the new model's errors are a new stream. Its ``update_many(xs)`` must
      return the indices of the values at which it detected a change (ints,
      or floats holding whole numbers); a boolean mask, None or an index
      outside ``xs`` raises an ``InvalidParameterError`` naming ``detector``.
    - **a batch two-sample test** (a callable ``(reference, current) ->
      result`` with ``drift_detected``, such as ``drift.detect``) compares the
      latest batch's features (``state.current_X``) with the most recent
      ``max_reference`` rows the deployed model was trained on
      (``state.reference_X``). A table replayed with a text, boolean or
      categorical-typed column is shown as an object array (bools as bools,
      categories of numbers by their labels as text), whose such columns
      ``drift.detect`` and ``drift.Reference`` test as categorical, as
      ``drift.detect`` does on the table itself.
    - **a fitted reference** (an object with ``compare(current)``, such as
      ``drift.Reference.fit(X)``) compares the latest batch with it; pass the
      class itself (``drift.Reference``) to refit it on the training rows at
      every deployment.
    - **None**: retrain when any result in ``state.drift`` (drift monitored
      outside the policy) has ``drift_detected``.

    Parameters
    ----------
    detector : StreamDetector, callable, reference or None, default=None
        The detector (see above).
    signal : {"error", "confidence"}, default="error"
        What a streaming detector is fed (``"confidence"`` needs one).
    max_reference : int, default=2000
        Reference rows a batch test compares against (the most recent ones;
        :func:`~mllifecycle.replay.replay`'s states hold at most 5000).
    refits : sequence of int or None, default=(500, 1000, 2000, 4000)
        Staged refits: after a detection, retrain again each time the labels
        that arrived since the change point reach one of these counts. The
        retrain at detection time sees only the few rows since the change
        (with a label delay, often none: its window straddles the change), and
        the new model's error is then high but flat, so a detector on its
        error stream may never fire again; the refits replace it with models
        trained on more and more of the new concept (with
        :class:`SinceLastDrift`, on the rows since the change alone). A new
        detection restarts the schedule from its change point. ``None`` or
        ``()`` turns the refits off (one retrain per detection).
    refit_initial : bool, default=False
        Treat the model deployed when the policy starts as trained at a
        change at row 0: refit it on all rows (change point 0) as the labels
        reach the counts in ``refits`` beyond those it was trained on (the
        labels available before its first decision's new errors), so a
        model trained on a small initial set grows with the data.
    rng : int, Generator, SeedSequence or None, default=None
        Seeds a permutation-based batch test or fitted reference (one that
        takes ``rng``, such as ``drift.energy``, ``drift.mmd`` or
        ``drift.detect`` with a permutation test): each comparison is passed
        its own seed, drawn from one Generator made from ``rng``, so the
        policy's decisions (and a :func:`~mllifecycle.replay.replay` of it,
        which works on a copy of the policy) are the same on every run.
        ``None`` passes no ``rng``: the test uses its own default, and an
        unseeded permutation test may decide differently on every run.
        Refused for a streaming detector, ``detector=None``, and a test whose
        ``rng`` is already bound (``functools.partial(..., rng=0)``) or that
        takes none.

    Notes
    -----
    The decision's ``change_point`` is where the detector fired or, for a
    detector with a warning zone (one that records ``warnings_``, like
    ``drift.stream.DDM``), where the warning zone still open at detection
    began: Gama et al. [1]_ relearn from the examples since the warning.
    :class:`SinceLastDrift` then trains on the rows from there on.

    A batch test run at every batch makes many tests: at level alpha it
    fires falsely about once every 1/alpha batches. Combine with
    :func:`cooldown` or use a small alpha. A permutation test near its
    level decides by its random permutations: give ``rng`` for reproducible
    decisions.

    References
    ----------
    .. [1] J. Gama, P. Medas, G. Castillo and P. Rodrigues, "Learning with
       drift detection", SBIA 2004, LNCS 3171, 286-295.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.policies import LifecycleState, OnDrift
    >>> class Threshold:  # a toy streaming detector: fires on 5 errors in a row
    ...     drift_detected = False
    ...     def __init__(self):
    ...         self.run = 0
    ...     def update(self, x):
    ...         self.run = self.run + 1 if x else 0
    ...         self.drift_detected = self.run >= 5
    ...         return self.drift_detected
    ...     def update_many(self, xs):
    ...         hits = [i for i, x in enumerate(xs) if self.update(x)]
    ...         return np.array(hits, dtype=np.intp)
    ...     def reset(self):
    ...         self.run = 0
    >>> policy = OnDrift(Threshold())
    >>> state = LifecycleState(step=10, labels_available=10, new_errors=np.ones(10))
    >>> d = policy.should_retrain(state)
    >>> d.retrain, d.change_point
    (True, 4)

    Once 500 labels have arrived since the change, the first staged refit:

    >>> later = LifecycleState(step=600, labels_available=504, model_version=1,
    ...                        new_errors=np.zeros(494))
    >>> d = policy.should_retrain(later)
    >>> d.retrain, d.change_point
    (True, 4)
    """

    detector: Any = None
    signal: str = "error"
    max_reference: int = 2000
    refits: tuple[int, ...] | None = attrs.field(default=DEFAULT_REFITS, kw_only=True)
    refit_initial: bool = attrs.field(default=False, kw_only=True)
    rng: Any = attrs.field(default=None, kw_only=True)
    _kind: str = attrs.field(init=False, default="state", repr=False)
    # the Generator the comparisons' seeds are drawn from (None: no rng passed)
    _gen: np.random.Generator | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )
    _version: int = attrs.field(init=False, default=-1, repr=False)
    _fitted: Any = attrs.field(init=False, default=None, repr=False)
    _warn_start: int | None = attrs.field(init=False, default=None, repr=False)
    _pending: int | None = attrs.field(init=False, default=None, repr=False)
    _stage: int = attrs.field(init=False, default=0, repr=False)
    _quiet: RetrainDecision | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        self._kind = _kind_of(self.detector)
        check_option(self.signal, "signal", ("error", "confidence"), "OnDrift")
        if self.signal != "error" and self._kind != "stream":
            # only a streaming detector is fed a signal: it would be ignored
            fail(
                "signal",
                '"error" (the default) unless the detector is a StreamDetector, the only '
                "kind fed a signal",
                described(f"signal={self.signal!r} with {_KIND_NAMES[self._kind]}"),
                "OnDrift",
            )
        self.max_reference = check_int(self.max_reference, "max_reference", caller="OnDrift")
        self.refits = check_schedule(self.refits, "refits", "OnDrift")
        self.refit_initial = check_bool(self.refit_initial, "refit_initial", "OnDrift")
        if self._kind == "reference" and not isinstance(self.detector, type):
            self._fitted = self.detector
        if self.rng is not None:
            self._gen = _check_seedable(self.detector, self._kind, self.rng)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Feed the detector what the state holds; retrain when it fires."""
        check_state(state, "OnDrift.should_retrain")
        if self._version == -1 and self.refit_initial and self.refits:
            # the first model counts as trained at a change at row 0: refit as
            # labels accumulate, skipping the stages its training set covers
            # (the labels before this decision's: counting the first batch's
            # too skipped a stage the model never saw, e.g. the refit at 1000
            # labels of a model trained on 950 when the first batch brought 100)
            xs = state.new_errors
            trained = state.labels_available - (0 if xs is None else xs.shape[0])
            self._pending = 0
            self._stage = sum(1 for k in self.refits if k <= trained)
            if self._stage >= len(self.refits):
                self._pending = None
        new_model = state.model_version != self._version
        self._version = state.model_version
        if self._kind == "state":
            for i, r in enumerate(state.drift):
                if not hasattr(r, "drift_detected"):
                    # (a bool True was read as "no drift")
                    fail("state.drift", "drift results, each with drift_detected",
                         described(f"{type(r).__name__} at index {i}, which has no "
                                   "drift_detected"), "OnDrift.should_retrain")
            hits = [
                r for i, r in enumerate(state.drift)
                if _drift_flag(r.drift_detected, "state.drift",
                               f"{type(r).__name__} at index {i}")
            ]
            if hits:
                what = getattr(hits[0], "method", None) or type(hits[0]).__name__
                return RetrainDecision(retrain=True, reason=f"drift reported by {what}")
            return RetrainDecision(retrain=False, reason="no drift reported")
        if self._kind == "stream":
            decision = self._stream(state, new_model)
        else:
            decision = self._batch(state, new_model)
        return self._follow_up(state, decision)

    def _follow_up(self, state: LifecycleState, d: RetrainDecision) -> RetrainDecision:
        """Start the staged refits on a detection; fire the next one when it is due."""
        if not self.refits:
            return d
        if d.retrain:
            self._pending = d.change_point
            self._stage = 0
            return d
        cp = self._pending
        if cp is None:
            return d
        since = state.labels_available - cp
        refits, stage = self.refits, self._stage
        if stage < len(refits) and since < refits[stage]:
            return d  # the next stage is not due (the schedule increases)
        due = [k for k in refits[stage:] if since >= k]
        if not due:
            return d
        self._stage += len(due)
        if self._stage >= len(self.refits):
            self._pending = None
        return RetrainDecision(
            retrain=True,
            reason=f"staged refit ({self._stage} of {len(self.refits)}) on the {since} "
            f"labelled samples since the change at sample {cp}",
            change_point=cp,
        )

    def _seed(self) -> int:
        """Return the next comparison's seed, drawn from the policy's Generator."""
        assert self._gen is not None
        return int(self._gen.integers(2**63))

    def _stream(self, state: LifecycleState, new_model: bool) -> RetrainDecision:
        det = self.detector
        if new_model:
            det.reset()
        if self.signal == "error":
            xs = state.new_errors
            offset = state.labels_available - (0 if xs is None else len(xs))
        else:
            proba = state.current_proba
            if proba is None:
                xs = None
            elif proba.ndim == 1:  # a binary model's positive-class probabilities
                xs = 1.0 - np.maximum(proba, 1.0 - proba)
            else:
                xs = 1.0 - np.max(proba, axis=1)
            offset = state.step - (0 if xs is None else len(xs))
        if xs is None or len(xs) == 0:
            return RetrainDecision(retrain=False, reason=f"no new {self.signal} values")
        if xs.dtype != np.float64:
            xs = np.asarray(xs, dtype=np.float64)
        idx = np.asarray(det.update_many(xs))
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            idx = _detection_indices(idx, det, len(xs))
        first = int(idx[0]) if idx.size else len(xs)
        if not 0 <= first < len(xs) and idx.size:
            _bad_detections(det, len(xs), f"the index {first}")
        warned = getattr(det, "warnings_", None)
        if warned is not None:  # DDM-style warning zone: the change began at its start
            if len(warned):
                self._track_warning(np.asarray(warned), first, offset)
            else:
                self._warn_start = None  # no warning zone open at the end
        if idx.size:
            where = offset + first
            start = self._warn_start
            self._warn_start = None
            cp = start if start is not None and start <= where else where
            since = "" if cp == where else f" (warning since sample {cp})"
            return RetrainDecision(
                retrain=True,
                reason=f"{_name(det)} detected a change in the {self.signal} stream "
                f"at sample {where}{since}",
                change_point=cp,
            )
        quiet = self._quiet  # the "keep" answer, built once (a decision is frozen)
        if quiet is None:
            quiet = self._quiet = _decision(False, f"{_name(det)}: no change")
        return quiet

    def _track_warning(self, w: npt.NDArray[Any], first: int, offset: int) -> None:
        """Keep the start of the warning zone still open just before ``first``."""
        w = w[w < first]
        if not w.size or int(w[-1]) != first - 1:
            self._warn_start = None  # no warning zone open at the end
            return
        gaps = np.flatnonzero(np.diff(w) != 1)
        run_start = int(w[gaps[-1] + 1]) if gaps.size else int(w[0])
        if run_start > 0 or self._warn_start is None:
            self._warn_start = offset + run_start

    def _batch(self, state: LifecycleState, new_model: bool) -> RetrainDecision:
        cur, ref = state.current_X, state.reference_X
        if cur is None or (ref is None and self._fitted is None):
            return RetrainDecision(retrain=False, reason="no features to compare")
        if len(cur) < 2:
            # a stream's last batch may hold one row (replay with
            # n - initial_train_size = 1 mod batch_size): drift.detect and
            # Reference.compare refused it, failing the replay at its end
            return RetrainDecision(
                retrain=False,
                reason=f"{_name(self.detector)}: the latest batch has {len(cur)} row(s), "
                "too few for a two-sample test (2 at least)",
            )
        if ref is not None:
            ref = ref[-self.max_reference :]
        if self._kind == "reference":
            if isinstance(self.detector, type) and (new_model or self._fitted is None):
                self._fitted = self.detector.fit(ref)  # type: ignore[attr-defined]
            result = (self._fitted.compare(cur) if self._gen is None
                      else self._fitted.compare(cur, rng=self._seed()))
        elif self._gen is None:
            result = self.detector(ref, cur)
        else:
            result = self.detector(ref, cur, rng=self._seed())
        if not hasattr(result, "drift_detected"):
            # a test answering a bool, a p-value or SciPy's (statistic, pvalue) was
            # read as "no drift" at every batch: the policy never retrained
            kind = "fitted reference's compare()" if self._kind == "reference" else "test"
            fail(
                "detector",
                "a two-sample test (or a fitted reference) whose result has "
                "drift_detected, such as mllifecycle.drift.detect",
                described(f"a {kind} {_name(self.detector)} returning "
                          f"{type(result).__name__}, which has no drift_detected"),
                "OnDrift.should_retrain",
            )
        flag = result.drift_detected
        if type(flag) is not bool and not isinstance(flag, np.bool_):
            kind = "fitted reference's compare()" if self._kind == "reference" else "test"
            flag = _drift_flag(flag, "detector", f"a {kind} {_name(self.detector)} returning a "
                               f"{type(result).__name__}")
        if flag:
            p = getattr(result, "p_value", None)
            extra = "" if p is None else f" (p={p:.3g})"
            return RetrainDecision(
                retrain=True,
                reason=f"{_name(self.detector)} found drift in the latest batch{extra}",
                change_point=state.step - len(cur),
            )
        return RetrainDecision(retrain=False, reason=f"{_name(self.detector)}: no drift")


_Z_CACHE: dict[float, float] = {}


def _z(confidence_level: float) -> float:
    if confidence_level not in _Z_CACHE:
        _Z_CACHE[confidence_level] = (
            NormalDist().inv_cdf(confidence_level) if confidence_level > 0.5 else 0.0
        )
    return _Z_CACHE[confidence_level]


def _se(value: float, n: int, given: float | None) -> float:
    if given is not None:
        return float(given)
    if 0.0 <= value <= 1.0 and n > 0:
        return math.sqrt(value * (1.0 - value) / n)
    return 0.0


def _pooled(
    owner: Any, state: LifecycleState, value: float | None, n: int, se: float | None
) -> tuple[float | None, int, float | None]:
    """Return the estimate, pooled with earlier ones when it rests on too few samples.

    ``owner`` is the policy: its ``min_samples``, and its ``_pool`` (the
    deployed model's latest estimates: (step, n, value, std_error or None))
    and ``_pool_version`` fields, which this updates.
    """
    pool: list[tuple[int, int, float, float | None]] = owner._pool
    if state.model_version != owner._pool_version:
        owner._pool_version = state.model_version
        pool.clear()
    if value is None or n <= 0:
        return value, n, se
    entry = (state.step, n, float(value), None if se is None else float(se))
    if pool and pool[-1][0] == state.step:  # the same state asked again
        pool.pop()
    if n >= owner.min_samples or (pool and state.step - n < pool[-1][0]):
        pool[:] = [entry]  # enough alone, or rows overlapping the last estimate's
        return value, n, se
    pool.append(entry)
    total = sum(k for _, k, _, _ in pool)
    while len(pool) > 1 and total - pool[0][1] >= owner.min_samples:
        total -= pool.pop(0)[1]
    if len(pool) == 1 or total < owner.min_samples:
        return value, total, se
    mean = sum(k * v for _, k, v, _ in pool) / total
    ses = [s for _, _, _, s in pool if s is not None]
    pooled_se = (None if len(ses) < len(pool)
                 else sum(k * s for (_, k, _, _), s in zip(pool, ses, strict=True)) / total)
    return mean, total, pooled_se


@attrs.define
class _SinceDeployment:
    """The deployed model's labelled errors since its deployment, in blocks.

    Fed ``state.new_errors`` at every decision; keeps one (end, n, errors)
    block per decision so a single change point can be estimated, and the
    error count over the first ``cap`` labels (the model's settled level).
    """

    version: int = -1
    start: int = 0
    n: int = 0
    errors: float = 0.0
    capped_n: int = 0
    capped_errors: float = 0.0
    ends: list[int] = attrs.field(factory=list)
    counts: list[int] = attrs.field(factory=list)
    errs: list[float] = attrs.field(factory=list)
    blocks: bool = True
    last_errors: float = 0.0  # the sum of the latest update's errors
    # the latest update's labels beyond ``cap`` (and their errors), when it
    # crossed it: the capped counts stop at exactly ``cap`` labels
    over_n: int = 0
    over_errors: float = 0.0

    def update(self, state: LifecycleState, cap: int | None = None) -> bool:
        """Add the state's new errors; return True when a new model is deployed."""
        new_model = state.model_version != self.version
        xs = state.new_errors
        k = 0 if xs is None else int(xs.shape[0])
        if new_model:
            self.version = state.model_version
            self.start = state.labels_available - k if xs is not None else state.deployed_at
            self.n = self.capped_n = self.over_n = 0
            self.errors = self.capped_errors = self.over_errors = 0.0
            self.ends, self.counts, self.errs = [], [], []
        if k:
            assert xs is not None
            e = self.last_errors = float(xs.sum())
            self.n += k
            self.errors += e
            self.over_n, self.over_errors = 0, 0.0
            if cap is None or self.capped_n + k <= cap:
                self.capped_n += k
                self.capped_errors += e
            elif self.capped_n < cap:
                # the level is over the first ``cap`` labels exactly: a batch
                # crossing the cap was counted whole (a model judged on 2050
                # labels for max_samples=2000, the later 50 in its floor)
                take = cap - self.capped_n
                head = float(xs[:take].sum())
                self.capped_n = cap
                self.capped_errors += head
                self.over_n, self.over_errors = k - take, e - head
            if self.blocks:
                self.ends.append(state.labels_available)
                self.counts.append(k)
                self.errs.append(e)
        return new_model

    def change_point(self) -> int | None:
        """Most likely single rise of the error rate since deployment (Hinkley 1970).

        The split of the blocks that maximises the two-segment Bernoulli
        log-likelihood, among splits whose later segment has the higher error
        rate; None without at least two blocks.
        """
        if len(self.counts) < 2:
            return None
        n = np.cumsum(self.counts, dtype=float)
        e = np.cumsum(self.errs)
        n1, e1 = n[:-1], e[:-1]
        n2, e2 = n[-1] - n1, e[-1] - e1

        def loglik(k: npt.NDArray[np.float64], m: npt.NDArray[np.float64]) -> Any:
            p = np.clip(k / m, 1e-12, 1 - 1e-12)
            return k * np.log(p) + (m - k) * np.log1p(-p)

        ll = loglik(e1, n1) + loglik(e2, n2)
        ll[e2 / n2 <= e1 / n1] = -np.inf
        if not np.isfinite(ll).any():
            return None
        return int(self.ends[int(np.argmax(ll))])


def _check_tries(value: Any, caller: str) -> int:
    return check_int(value, "max_tries", caller=caller, low=0)


def _check_level(value: Any, caller: str) -> float:
    """Check a one-sided confidence level lies in [0, 1) (1 needs an infinite bound)."""
    return check_scalar(
        value, "confidence_level", caller=caller, low=0.0, high=1.0, high_inclusive=False
    )


@attrs.define
class _Degradation:
    """Shared machinery: a baseline, the current value and a lower bound on the drop."""

    source: str = "observed"
    min_samples: int = 200
    confidence_level: float = 0.95
    baseline: float | str = "best"
    max_tries: int = 2
    _learned: tuple[float, float] | None = attrs.field(init=False, default=None, repr=False)
    _best: tuple[float, float] | None = attrs.field(init=False, default=None, repr=False)
    _version: int = attrs.field(init=False, default=-1, repr=False)
    _tries: int = attrs.field(init=False, default=0, repr=False)
    _history: _SinceDeployment = attrs.field(init=False, factory=_SinceDeployment, repr=False)
    # the source the baselines above were learned from, and those of the other
    # source (CostAware's source="auto" moves from the label-free estimate to
    # the observed metric: a level of one is no baseline for the other)
    _source: str | None = attrs.field(init=False, default=None, repr=False)
    _others: dict[str, tuple[Any, Any, int]] = attrs.field(init=False, factory=dict, repr=False)

    def _check(self, caller: str) -> None:
        self.min_samples = check_int(self.min_samples, "min_samples", caller=caller, low=1)
        self.confidence_level = _check_level(self.confidence_level, caller)
        if isinstance(self.baseline, str):
            check_option(self.baseline, "baseline", ("best", "latest"), caller)
        else:
            self.baseline = check_scalar(self.baseline, "baseline", caller=caller)
        self.max_tries = _check_tries(self.max_tries, caller)

    def _current(self, state: LifecycleState) -> tuple[float | None, int, float | None, str]:
        source = self.source
        if source == "auto":
            source = (
                "observed"
                if state.metric is not None and state.metric_n >= self.min_samples
                else "estimated"
            )
        if source == "observed":
            return state.metric, state.metric_n, state.metric_std_error, "observed"
        return (
            state.estimated_metric,
            state.estimated_n,
            state.estimated_std_error,
            "estimated",
        )

    def _learn(self, value: float, se: float) -> str:
        """Learn a new model's baseline; accept a lower level after ``max_tries`` tries."""
        self._learned = (value, se)
        best = self._best
        if best is None or value >= best[0]:
            self._best, self._tries = self._learned, 0
            return ""
        gap = best[0] - value - _z(self.confidence_level) * math.sqrt(se * se + best[1] ** 2)
        if gap <= 0.0:  # within sampling noise of the best: the level is back
            self._tries = 0
            return ""
        self._tries += 1
        if self._tries > self.max_tries:
            self._best, self._tries = self._learned, 0
            return f"; the best level is not reached after {self.max_tries} retrain(s): accepted"
        return ""

    def _drop(self, state: LifecycleState) -> tuple[float | None, float, float, str]:
        """Return (lower bound on the absolute drop, baseline, current, source)."""
        self._history.update(state)
        if state.model_version != self._version:
            self._version = state.model_version
            self._learned = None
            self._others = {k: (None, b, t) for k, (_, b, t) in self._others.items()}
        value, n, se, source = self._current(state)
        if source != self._source:  # baselines are learned and compared per source
            if self._source is not None:
                self._others[self._source] = (self._learned, self._best, self._tries)
            self._learned, self._best, self._tries = self._others.pop(source, (None, None, 0))
            self._source = source
        name = state.metric_name
        if value is None or n < self.min_samples:
            return (
                None,
                math.nan,
                math.nan,
                (f"{source} {name} rests on {n} sample(s); need {self.min_samples}"),
            )
        se = _se(float(value), n, se)
        if not isinstance(self.baseline, str):
            base, base_se = float(self.baseline), 0.0
        elif self._learned is None:
            note = self._learn(float(value), se)
            return (
                None,
                float(value),
                float(value),
                (f"baseline {name} of the new model learned: {float(value):.4g}{note}"),
            )
        else:
            best = self._best if self._best is not None else self._learned
            base, base_se = best if self.baseline == "best" else self._learned
        drop = base - float(value)
        lower = drop - _z(self.confidence_level) * math.sqrt(se * se + base_se * base_se)
        return lower, base, float(value), source

    def _change_point(self, state: LifecycleState, source: str) -> int:
        """Return the detected rise of the error rate since deployment, else the deployment."""
        h = self._history
        if source == "observed" and h.version == state.model_version and h.counts:
            cp = h.change_point()
            return h.start if cp is None else cp
        return state.deployed_at


@attrs.define
class OnPerformanceDrop(_Degradation):
    """Retrain when the observed metric has dropped, beyond sampling noise.

    The drop is measured against a baseline: a fixed number, or one learned
    from the data. A learned baseline is the first measurement with at least
    ``min_samples`` labels after a deployment: with ``"latest"`` the one of the
    deployed model, with ``"best"`` the best any deployed model has shown (so
    a model retrained on a window that straddles a change, and therefore
    worse from the start, is still caught). When ``max_tries`` retrained
    models in a row start significantly below the best, the best is given up
    and the latest level accepted (the concept got harder; retraining again
    will not bring the old level back). The policy fires only when the lower
    one-sided ``confidence_level`` bound of the drop exceeds ``threshold``, so
    a noisy dip on a few labels does not trigger a retrain. With standard
    errors ``s`` (current) and ``s0`` (baseline; binomial
    ``sqrt(m (1 - m) / n)`` unless the state gives one)::

        drop_lower = (baseline - metric) - z * sqrt(s**2 + s0**2)
        retrain if drop_lower > threshold            (absolute)
        retrain if drop_lower / |baseline| > threshold (relative)

    Parameters
    ----------
    threshold : float, default=0.05
        Drop that warrants a retrain (metric units, or a fraction when
        ``relative``).
    relative : bool, default=False
        Measure the drop relative to the baseline's magnitude ``|baseline|``
        (against a baseline of exactly 0, where no relative drop is defined,
        the drop is measured in metric units).
    baseline : float or {"best", "latest"}, default="best"
        A fixed baseline (e.g. the validation accuracy at training time), or
        how to learn it (see above).
    min_samples : int, default=200
        Labels needed before the metric is trusted.
    confidence_level : float, default=0.95
        One-sided confidence level of the bound (0.5 uses the point estimate).
    max_tries : int, default=2
        Retrained models in a row below the best after which the lower level
        is accepted (``baseline="best"`` only).

    Notes
    -----
    The decision's ``change_point`` is the most likely single rise of the
    deployed model's error rate since its deployment (the split of its
    labelled errors that maximises the two-segment Bernoulli likelihood,
    Hinkley [1]_), or the deployment position when the state carries no
    per-label errors (``new_errors``) or no rise is found, so
    :class:`SinceLastDrift` trains on the rows since the change.

    References
    ----------
    .. [1] D. V. Hinkley, "Inference about the change-point in a sequence of
       random variables", Biometrika, 57(1), 1-17, 1970.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, OnPerformanceDrop
    >>> p = OnPerformanceDrop(0.05, baseline=0.90)
    >>> p.should_retrain(LifecycleState(step=1, metric=0.80, metric_n=1000)).retrain
    True
    >>> p.should_retrain(LifecycleState(step=1, metric=0.80, metric_n=30)).retrain
    False
    """

    threshold: float = attrs.field(default=0.05, kw_only=False)
    relative: bool = attrs.field(default=False, kw_only=True)
    baseline: float | str = attrs.field(default="best", kw_only=True)
    min_samples: int = attrs.field(default=200, kw_only=True)
    confidence_level: float = attrs.field(default=0.95, kw_only=True)
    max_tries: int = attrs.field(default=2, kw_only=True)
    source: str = attrs.field(default="observed", init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = type(self).__name__
        self.threshold = check_scalar(self.threshold, "threshold", caller=caller, low=0.0)
        self.relative = check_bool(self.relative, "relative", caller)
        self._check(caller)

    def should_retrain(self, state: LifecycleState) -> RetrainDecision:
        """Return a decision from the (observed or estimated) metric in ``state``."""
        check_state(state, f"{type(self).__name__}.should_retrain")
        lower, base, value, msg = self._drop(state)
        if lower is None:
            return _decision(False, msg)
        size = lower / abs(base) if self.relative and base != 0 else lower
        unit = "" if not self.relative else (" (relative)" if base != 0 else
                                             " (in metric units: the baseline is 0)")
        fire = bool(size > self.threshold)
        verb = "dropped" if fire else "holds"
        return _decision(
            fire,
            f"{msg} {state.metric_name} {verb}: {value:.4g} vs baseline {base:.4g}, "
            f"drop lower bound {size:.4g}{unit} vs threshold {self.threshold:g}",
            self._change_point(state, msg) if fire else None,
        )


@attrs.define
class OnEstimatedPerformanceDrop(OnPerformanceDrop):
    """Retrain when the label-free estimate of the metric has dropped.

    Same rule as :class:`OnPerformanceDrop`, applied to
    ``state.estimated_metric`` and ``state.estimated_std_error`` (e.g. from
    ``mllifecycle.estimate.CBPE``), so it can act before labels arrive;
    ``min_samples`` counts the samples behind the estimate. The change point
    reported is the deployment position.

    Parameters
    ----------
    threshold : float, default=0.05
        Drop of the estimate that warrants a retrain (metric units, or a
        fraction when ``relative``).
    relative : bool, default=False
        Measure the drop relative to ``|baseline|`` (in metric units against a
        baseline of exactly 0).
    baseline : float or {"best", "latest"}, default="best"
        A fixed baseline, or how to learn it from the estimates (as
        :class:`OnPerformanceDrop` learns it from the metric).
    min_samples : int, default=200
        Samples behind the estimate needed before it is trusted. An estimate
        on fewer (:func:`~mllifecycle.replay.replay` estimates on each batch,
        so ``estimated_n`` is its ``batch_size``, 100 by default) is pooled
        with the deployed model's previous estimates on the rows just before
        it, newest first, until they reach ``min_samples``: the sample-weighted
        mean of the estimates, on the sum of their samples, with the weighted
        mean of their standard errors (a bound that holds however the batch
        estimates are correlated; the binomial error of the pooled value when
        a state has none). Estimates of rows that overlap are not pooled.
    confidence_level : float, default=0.95
        One-sided confidence level of the bound (0.5 uses the point estimate).
    max_tries : int, default=2
        Retrained models in a row below the best after which the lower level
        is accepted (``baseline="best"`` only).

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, OnEstimatedPerformanceDrop
    >>> p = OnEstimatedPerformanceDrop(0.05, baseline=0.9, min_samples=100)
    >>> s = LifecycleState(step=1, estimated_metric=0.7, estimated_std_error=0.02,
    ...                    estimated_n=500)
    >>> p.should_retrain(s).retrain
    True
    """

    source: str = attrs.field(default="estimated", init=False, repr=False)
    # the deployed model's latest estimates: (step, n, value, std_error or None)
    _pool: list[tuple[int, int, float, float | None]] = attrs.field(
        init=False, factory=list, repr=False
    )
    _pool_version: int = attrs.field(init=False, default=-1, repr=False)

    def _current(self, state: LifecycleState) -> tuple[float | None, int, float | None, str]:
        value, n, se, source = super()._current(state)
        value, n, se = _pooled(self, state, value, n, se)
        return value, n, se, source
