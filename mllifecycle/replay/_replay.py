"""The lifecycle loop replayed over a stream: drift -> policy -> retrain -> gate."""

from __future__ import annotations

import copy
import math
import numbers
import time
import types
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NoReturn

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import weight_keyword
from mllifecycle._frames import (
    column_names,
    column_to_numpy,
    frame_kind,
    frame_to_numpy,
    in_row_order,
    is_frame,
    refuse_duplicate_names,
    series_kind,
)
from mllifecycle._lifecycle_types import LifecycleState, _unchecked_state
from mllifecycle._progress import Progress, check_progress, make_progress
from mllifecycle._validation import (
    _missing_label,
    check_1d,
    check_2d,
    check_array,
    check_consistent_length,
    check_has_methods,
    check_int,
    check_labels_of_one_kind,
    check_mapping_keys,
    check_probability,
    check_scalar,
    described,
    fail,
)
from mllifecycle.policies import (
    RetrainDecision,
    SinceLastDrift,
    SlidingWindow,
    WindowSelection,
    as_policy,
)
from mllifecycle.protocols import StreamDetector
from mllifecycle.replay._result import PolicyRun, ReplayResult, RetrainEvent

__all__ = ["replay"]

_CALLER = "replay"


@attrs.frozen
class _Config:
    X: npt.NDArray[np.float64] | None
    table: Any
    y: npt.NDArray[Any]
    timestamps: npt.NDArray[np.float64] | None
    initial_train_size: int
    batch_size: int
    label_delay: int
    retrain_cost: float
    error_cost: float
    metric_window: int
    gates: tuple[Any, ...] | None
    gate_holdout: float
    performance_estimator: Any
    max_reference: int
    # seconds since the epoch of timestamps 0.0 (the first time, for datetimes)
    time_origin: float = 0.0
    # datetimes and durations exactly: whole ticks from the first time, and
    # the seconds of one tick as (numerator, denominator), so a time since a
    # retrain is the exact difference in ticks, rounded once (None: numbers)
    time_ticks: npt.NDArray[np.int64] | None = None
    tick_seconds: tuple[int, int] = (1, 1)
    # what the states' current_X / reference_X show: X, or the values of a
    # table (an object array when a column is not numeric)
    shown: npt.NDArray[Any] | None = None
    # the keyword that carries a window's sample weights to the estimator's
    # fit ("sample_weight", "<last step>__sample_weight" for a Pipeline), and
    # why there is none (None: the estimator cannot take weights)
    weight_key: str | None = "sample_weight"
    no_weights: str = ""


def _features(
    X: Any,
) -> tuple[npt.NDArray[np.float64] | None, _Table | None, npt.NDArray[Any] | None]:
    """Return (the features as a float array, the table for the model, the states' view).

    An array: ``(array, None, array)``. A pandas, polars or pyarrow table: the
    model is fitted and asked on row slices of the table itself (so a
    pipeline selecting columns by name works); the float array holds its
    values when every column is numeric (``None`` when a column is not), and
    the states' ``current_X`` / ``reference_X`` show those floats, or else
    the table's values as an object array (text columns kept as text, which
    a batch drift test such as ``drift.detect`` tests as categorical: with
    ``None`` there, ``OnDrift`` had no features and never fired).

    Columns ``drift.detect`` tests as categorical on the table itself are
    shown so that it tests them as categorical in the states too: boolean
    columns (pandas ``bool``/``boolean``, polars ``Boolean``, pyarrow
    ``bool``) as bools, and columns typed categorical (pandas ``category``,
    polars ``Categorical``/``Enum``, pyarrow dictionary) holding numbers by
    their labels as text (``1`` as ``"1"``), missing values as ``None``.
    Shown as floats or ints, ``OnDrift(drift.detect)`` ran KS on them where
    ``drift.detect`` on the same table runs chi-square.
    """
    if not is_frame(X):
        arr = check_2d(X, "X", caller=_CALLER, min_samples=2)
        return arr, None, arr
    refuse_duplicate_names(column_names(X) or [], "X", _CALLER)
    table = _Table(X)
    values = frame_to_numpy(table.frame)
    shown = _categories_shown(table) if values.ndim == 2 and values.shape[0] else None
    if values.dtype.kind not in "iufb":
        return None, table, values if shown is None else shown
    arr = check_2d(values, "X", caller=_CALLER, min_samples=2)
    return arr, table, arr if shown is None else shown


def _categories_shown(table: _Table) -> npt.NDArray[Any] | None:
    """Return the states' view of a table with boolean or categorical columns, or None."""
    from mllifecycle._frames import categorical_columns, to_columns

    frame = table.frame
    typed = categorical_columns(frame)
    if table.kind == "pandas":
        flags = {j for j, dt in enumerate(frame.dtypes) if str(dt) in ("bool", "boolean")}
    elif table.kind == "polars":
        flags = {j for j, dt in enumerate(frame.schema.values()) if str(dt) == "Boolean"}
    else:
        import pyarrow as pa

        flags = {j for j, f in enumerate(frame.schema) if pa.types.is_boolean(f.type)}
    if not typed and not flags:
        return None
    _, cols = to_columns(frame)
    out = frame_to_numpy(frame, dtype=object)  # other columns as the states showed them
    for j, col in enumerate(cols):
        vals = col.tolist()
        if j in flags and col.dtype.kind in "bf":  # with nulls: 1.0/0.0/NaN
            out[:, j] = [None if v != v else bool(v) for v in vals]
        elif j in typed and all(
            v is None or (isinstance(v, numbers.Number) and not isinstance(v, bool | np.bool_))
            for v in vals
        ):
            out[:, j] = [None if v is None or v != v else str(v) for v in vals]
    return out


class _Table:
    """A pandas, polars or pyarrow table and its row slices (column names kept)."""

    def __init__(self, frame: Any) -> None:
        kind = frame_kind(frame)
        if kind == "polars" and type(frame).__name__ == "LazyFrame":
            frame = frame.collect()
        self.frame, self.kind = frame, kind
        self.n_rows = int(frame.shape[0]) if kind != "pyarrow" else int(frame.num_rows)

    def __len__(self) -> int:
        return self.n_rows

    def rows(self, start: int, stop: int) -> Any:
        """Rows ``start:stop``, as a table of the same kind."""
        if self.kind == "pandas":
            return self.frame.iloc[start:stop]
        return self.frame.slice(start, stop - start)  # polars and pyarrow


def _timestamps(ts: Any, n: int) -> tuple[
    npt.NDArray[np.float64] | None, float, npt.NDArray[np.int64] | None, tuple[int, int]
]:
    """Return the times in seconds, the epoch seconds their 0.0 stands for, and exact ticks.

    Datetimes become seconds from the first time (the states' times), and the
    second value is that first time in seconds since the epoch (what a
    registry's ``created_at`` is); numbers and durations are kept, with 0.0.
    Datetimes and durations also come as whole ticks from the first time (0
    for durations) with the seconds of one tick as ``(numerator,
    denominator)``: a difference of float seconds of sub-second times is not
    the exact elapsed time (10 ms read as 0.010000000000000002, an exact hour
    as 3599.9999999999995, so ``Periodic(every_time=3600)`` missed it). Numbers
    give ``None, (1, 1)``. Datetimes in months or years are read as the first
    instant of their month or year.
    """
    if ts is None:
        return None, 0.0, None, (1, 1)
    if series_kind(ts) is None and hasattr(ts, "to_series") and hasattr(ts, "tz"):
        ts = ts.to_series()  # a pandas DatetimeIndex, maybe timezone-aware
    if series_kind(ts) is not None:
        raw = column_to_numpy(ts)  # timezone-aware datetimes as UTC instants
    else:
        raw = np.asarray(ts.to_numpy() if hasattr(ts, "to_numpy") else ts)
    if raw.dtype == object and raw.ndim == 1:
        raw = _python_times(raw)
    origin_s = 0.0
    ticks: npt.NDArray[np.int64] | None = None
    tick_seconds = (1, 1)
    if raw.dtype.kind in "mM":
        missing = np.isnat(raw)
        if missing.any():
            fail(
                "timestamps",
                "free of missing times (NaT)",
                described(f"{int(missing.sum())} NaT value(s)"),
                _CALLER,
            )
        unit = np.datetime_data(raw.dtype)[0]
        if unit in ("Y", "M"):
            if raw.dtype.kind == "m":
                # NumPy's own TypeError ("incompatible nonlinear base time
                # units") named no argument
                fail(
                    "timestamps",
                    "durations in a unit of fixed length (weeks, days, hours, ...), not in "
                    "months or years, whose length varies",
                    described(f"an array of dtype {raw.dtype}"),
                    _CALLER,
                )
            # a month or a year as its first instant (exact): numpy refused to
            # measure datetime64[M] / [Y] in seconds
            raw = raw.astype("datetime64[s]")
        # seconds: from the first time for datetimes, as they are for durations
        origin = raw.min() if raw.dtype.kind == "M" else np.timedelta64(0, "s")
        if raw.dtype.kind == "M" and raw.size:
            # the first time in seconds since the epoch (where the registry counts from)
            origin_s = float((raw.min() - np.datetime64(0, "s")) / np.timedelta64(1, "s"))
        delta = raw - origin
        ticks, tick_seconds = _exact_ticks(delta)
        raw = delta / np.timedelta64(1, "s")
    if raw.dtype.kind == "b":  # True is no time
        fail("timestamps", "times (numbers of seconds, datetimes or durations)",
             described("an array of bools"), _CALLER)
    if raw.dtype.kind in "iu" and raw.size:
        # beyond 2**53 the float seconds the states hold collapse neighbouring
        # times (2**63 + k are all one float): gaps read as 0 and time-based
        # policies never fired; such numbers are also no seconds (nanoseconds
        # since the epoch are about 1.7e18)
        big = np.flatnonzero((raw > 2**53) | (raw < -(2**53)))
        if big.size:
            fail(
                "timestamps",
                "numbers of seconds within +-2**53 (exact as floats), datetime64 or "
                "datetimes (epoch nanoseconds as int64: pass them as datetime64[ns])",
                described(f"the integer {int(raw[big[0]])} at index {int(big[0])}"),
                _CALLER,
            )
    arr = check_1d(raw, "timestamps", caller=_CALLER)
    if arr.shape[0] != n:
        fail(
            "timestamps",
            f"one timestamp per sample ({n})",
            described(f"{arr.shape[0]}"),
            _CALLER,
        )
    if np.any(np.diff(arr) < 0):
        fail(
            "timestamps",
            "non-decreasing (the stream in time order)",
            described("a timestamp earlier than the one before it"),
            _CALLER,
        )
    return arr, origin_s, ticks, tick_seconds


# seconds in one tick of each unit of a timedelta64
_UNIT_SECONDS = {
    "W": Fraction(604800), "D": Fraction(86400), "h": Fraction(3600), "m": Fraction(60),
    "s": Fraction(1), "ms": Fraction(1, 10**3), "us": Fraction(1, 10**6),
    "ns": Fraction(1, 10**9), "ps": Fraction(1, 10**12), "fs": Fraction(1, 10**15),
    "as": Fraction(1, 10**18),
}


def _exact_ticks(
    delta: npt.NDArray[Any],
) -> tuple[npt.NDArray[np.int64] | None, tuple[int, int]]:
    """Return a timedelta64 array as int64 ticks, and one tick's seconds as (num, den).

    ``(None, (1, 1))`` for a unit without a fixed length in seconds.
    """
    unit, count = np.datetime_data(delta.dtype)
    base = _UNIT_SECONDS.get(unit)
    if base is None:
        return None, (1, 1)
    per = base * count
    return delta.astype(np.int64), (per.numerator, per.denominator)


@attrs.define
class _FollowChange:
    """replay's default window: the rows since the last reported change point.

    ``SinceLastDrift(min_samples)`` once a policy has reported a change point,
    ``SlidingWindow(initial_train_size)`` before (and for policies that never
    report one, such as ``Periodic``).
    """

    initial_train_size: int
    since: SinceLastDrift = attrs.field(init=False)
    sliding: SlidingWindow = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.since = SinceLastDrift(min(_MIN_SINCE, self.initial_train_size))
        self.sliding = SlidingWindow(self.initial_train_size)

    def select(self, state: Any) -> Any:
        if state.last_change_point is None:
            return self.sliding.select(state)
        return self.since.select(state)


_MIN_SINCE = 500


def _check_window(window: Any, name: str, n: int, init: int) -> Any:
    if isinstance(window, type):
        fail(
            name,
            f"a TrainingWindow instance, e.g. {window.__name__}(...)",
            described(f"the class {window.__name__}"),
            _CALLER,
        )
    check_has_methods(window, name, ["select"], _CALLER)
    for attr in ("n_samples", "min_samples"):
        size = getattr(window, attr, None)
        if isinstance(size, int | np.integer) and size > n:
            fail(
                name,
                f"a window no longer than the stream ({n} samples)",
                described(f"{type(window).__name__} with {attr}={int(size)}"),
                _CALLER,
            )
    return window


def _validate(
    X: Any,
    y: Any,
    estimator: Any,
    policies: Any,
    timestamps: Any,
    window: Any,
    label_delay: Any,
    retrain_cost: Any,
    error_cost: Any,
    initial_train_size: Any,
    batch_size: Any,
    gates: Any,
    gate_holdout: Any,
    performance_estimator: Any,
    metric_window: Any,
    change_points: Any,
    n_jobs: Any,
    progress: Any,
) -> tuple[_Config, dict[str, Any], dict[str, Any], tuple[int, ...]]:
    # pandas y (and timestamps) holding X's row labels in another order are
    # put in X's order (the rows were paired by position: a y sorted by
    # index against a shuffled X scored 0.485 for 0.995); the rule gates and
    # CBPE use (_frames.in_row_order)
    y = in_row_order(y, X, "y", "X", _CALLER)
    if timestamps is not None:
        timestamps = in_row_order(timestamps, X, "timestamps", "X", _CALLER)
    Xa, table, shown = _features(X)
    if series_kind(y) is not None:
        y = column_to_numpy(y)
    ya = check_array(y, "y", caller=_CALLER, ndim=1, dtype="any")
    if ya.dtype == object:  # a missing label would be scored as a wrong prediction
        # pd.NA too: it failed in the comparison with a prediction ("boolean
        # value of NA is ambiguous") midway through the replay
        missing = np.flatnonzero([_missing_label(v) for v in ya.tolist()])
        if missing.size:
            fail(
                "y",
                "free of missing labels (None, NaN or pd.NA)",
                described(f"{missing.size} missing label(s), the first at row {missing[0]}"),
                _CALLER,
            )
        # 1 and True (or 1 and "1") are one class to ==, two to a model
        # (scikit-learn refused them with "Unknown label type: unknown")
        kinds = check_labels_of_one_kind(ya, "y", _CALLER)
        if set(kinds) <= {"numbers", "booleans"}:
            # numbers or booleans held as objects (a pandas ``category`` of
            # ints, an object Series): the same labels as a numeric array;
            # scikit-learn refused the object array ("Unknown label type:
            # unknown") at the first fit
            plain = np.asarray(ya.tolist())
            if plain.dtype.kind in "iufb" and plain.shape == ya.shape:
                ya = plain
    n = check_consistent_length([Xa if table is None else table, ya], ["X", "y"], _CALLER)
    if n < 2:
        fail("X", "at least 2 samples", described(f"{n}"), _CALLER)
    check_has_methods(estimator, "estimator", ["fit", "predict"], _CALLER)
    if _is_regressor(estimator):
        # scored by accuracy (a prediction equal to its label), a regressor's
        # predictions were all "wrong": accuracy 0.0 and every row an error
        fail(
            "estimator",
            "a classifier (replay scores accuracy: a prediction is right only when it "
            "equals its label)",
            described(f"the regressor {type(estimator).__name__}"),
            _CALLER,
        )
    if not isinstance(policies, Mapping) or not policies:
        fail(
            "policies",
            "a non-empty mapping of name to policy, e.g. {'periodic': Periodic(every=1000)}",
            policies,
            _CALLER,
        )
    pols: dict[str, Any] = {}
    for key, p in policies.items():
        if not isinstance(key, str):
            fail("policies", "a mapping with str keys (policy names)", key, _CALLER)
        pols[key] = as_policy(p, f"policies[{key}]", _CALLER)
    init = check_int(initial_train_size, "initial_train_size", caller=_CALLER, low=1, high=n - 1)
    bs = check_int(batch_size, "batch_size", caller=_CALLER, low=1)
    delay = check_int(label_delay, "label_delay", caller=_CALLER, low=0)
    if delay >= n - init:
        import warnings

        from mllifecycle.exceptions import DegenerateDataWarning

        # no label arrives: every retrain refitted the initial rows and was
        # counted and charged, and no policy saw an error, without a word
        warnings.warn(
            f"replay: label_delay={delay} is at least the {n - init} rows after the "
            f"initial training: no label arrives during the replay, so the policies "
            f"see no error and every retrain refits the {init} initial rows",
            DegenerateDataWarning,
            stacklevel=3,
        )
    rc = check_scalar(retrain_cost, "retrain_cost", caller=_CALLER, low=0.0)
    ec = check_scalar(error_cost, "error_cost", caller=_CALLER, low=0.0)
    mw = check_int(metric_window, "metric_window", caller=_CALLER, low=1)
    if window is None:
        window = _FollowChange(init)
    wins: dict[str, Any] = {}
    if isinstance(window, Mapping):
        check_mapping_keys(window, pols, "window", "policy", _CALLER)
        for key in pols:
            w = window.get(key, _FollowChange(init))
            wins[key] = _check_window(w, f"window[{key}]", n, init)
    else:
        _check_window(window, "window", n, init)
        wins = dict.fromkeys(pols, window)
    gate_list: tuple[Any, ...] | None = None
    if gates is not None:
        gate_list = tuple(gates) if isinstance(gates, Sequence) else (gates,)
        for i, g in enumerate(gate_list):
            check_has_methods(g, f"gates[{i}]", ["check"], _CALLER)
        if not hasattr(estimator, "predict"):
            fail("estimator", "an estimator with predict()", estimator, _CALLER)
    holdout = check_probability(gate_holdout, "gate_holdout", _CALLER, open_interval=True)
    if performance_estimator is not None:
        check_has_methods(
            performance_estimator, "performance_estimator", ["fit", "estimate"], _CALLER
        )
        check_has_methods(estimator, "estimator", ["fit", "predict", "predict_proba"], _CALLER)
        # the states' estimated_metric is its "accuracy": refused here, before
        # any training, rather than as a KeyError at the first batch
        estimated = getattr(performance_estimator, "metrics", None)
        if isinstance(estimated, str):
            estimated = (estimated,)
        if isinstance(estimated, Sequence) and "accuracy" not in estimated:
            fail(
                "performance_estimator",
                "an estimator of 'accuracy' (the replay's metric), e.g. CBPE()",
                described(f"{type(performance_estimator).__name__} with "
                          f"metrics={performance_estimator.metrics!r}"),
                _CALLER,
            )
    cps: tuple[int, ...] = ()
    if change_points is not None:
        if isinstance(change_points, str | bytes) or not hasattr(change_points, "__iter__"):
            fail("change_points", "a sequence of stream positions", change_points, _CALLER)
        cps = tuple(
            check_int(c, "change_points", caller=_CALLER, low=0, high=n) for c in change_points
        )
    if n_jobs is not None:
        check_int(n_jobs, "n_jobs", caller=_CALLER, low=-1)
        if n_jobs == 0:  # joblib has no meaning for it (select refuses it too)
            fail("n_jobs", "a positive int, -1 (all cores) or None", n_jobs, _CALLER)
    check_progress(progress, _CALLER)
    times, time_origin, time_ticks, tick_seconds = _timestamps(timestamps, n)
    _refuse_blind_policies(pols, times, estimator, performance_estimator, bs, mw)
    # one rule for every package that fits with weights (mllifecycle._estimators),
    # worked out once, before any training
    weight_key, no_weights = weight_keyword(estimator)
    _refuse_unweighted_fit(wins, weight_key, no_weights)
    cfg = _Config(
        X=Xa,
        table=table,
        y=ya,
        timestamps=times,
        initial_train_size=init,
        batch_size=bs,
        label_delay=delay,
        retrain_cost=rc,
        error_cost=ec,
        metric_window=mw,
        gates=gate_list,
        gate_holdout=holdout,
        performance_estimator=performance_estimator,
        max_reference=5000,
        time_origin=time_origin,
        time_ticks=time_ticks,
        tick_seconds=tick_seconds,
        shown=shown,
        weight_key=weight_key,
        no_weights=no_weights,
    )
    return cfg, pols, wins, cps


def _is_regressor(estimator: Any) -> bool:
    """Whether scikit-learn's tags call ``estimator`` a regressor (False when it has none)."""
    import warnings

    from sklearn.base import is_regressor

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(is_regressor(estimator))
    except (AttributeError, TypeError, ValueError):  # no tags: a user's own estimator
        return False


def _refuse_unweighted_fit(wins: dict[str, Any], weight_key: str | None, why: str) -> None:
    """Refuse, before any training, a weighting window for an estimator that takes no weights.

    The fit failed at the first retrain; ignoring the weights would train
    another model than the window asks for.
    """
    from mllifecycle.policies import RecencyWeights

    if weight_key is not None:
        return
    for key, w in wins.items():
        if isinstance(w, RecencyWeights):
            _fail_unweighted(key, w, why)


def _fail_unweighted(key: str, window: Any, why: str) -> NoReturn:
    fail(
        "estimator",
        f"an estimator whose fit takes sample_weight for policy {key!r}, whose window "
        f"{type(window).__name__} weights the training rows (a Pipeline passes them to its "
        "final step; or use an unweighted window such as SlidingWindow)",
        described(why),
        _CALLER,
    )


def _find_policy(policy: Any, hit: Callable[[Any], bool], seen: set[int] | None = None) -> Any:
    """Return the first of ``policy`` and its parts (through combinators) ``hit`` accepts."""
    seen = set() if seen is None else seen
    if id(policy) in seen:
        return None
    seen.add(id(policy))
    if hit(policy):
        return policy
    parts = getattr(policy, "policies", None)
    parts = list(parts) if isinstance(parts, tuple | list) else []
    inner = getattr(policy, "policy", None)
    if inner is not None:
        parts.append(inner)
    for part in parts:
        found = _find_policy(part, hit, seen)
        if found is not None:
            return found
    return None


def _refuse_blind_policies(
    pols: dict[str, Any],
    timestamps: Any,
    estimator: Any,
    performance_estimator: Any,
    batch_size: int = 2,
    metric_window: int | None = None,
) -> None:
    """Refuse, before any training, a built-in policy that could never see its signal.

    ``Periodic(every_time=...)`` without ``timestamps`` failed at the first
    batch, after the initial model was fitted; a policy on the label-free
    estimate without ``performance_estimator`` (every ``estimated_metric``
    None), ``OnDrift(signal="confidence")`` with an estimator lacking
    ``predict_proba`` (every ``current_proba`` None) and ``OnDrift()`` without
    a detector (it reads ``state.drift``, which the replay does not fill)
    silently never retrained. So did ``OnDrift`` with a batch test or a
    reference at ``batch_size=1`` (a two-sample test needs two rows of the
    latest batch; it failed at the first batch, naming the test's
    ``current``). So did ``OnPerformanceDrop`` and ``CostAware`` on the
    observed accuracy with ``min_samples`` above ``metric_window``: the
    states' ``metric_n`` never reaches it, and the metric was never trusted.
    """
    from mllifecycle.policies import (
        CostAware,
        OnDrift,
        OnEstimatedPerformanceDrop,
        OnPerformanceDrop,
        Periodic,
    )

    for key, p in pols.items():
        if timestamps is None:
            found = _find_policy(
                p, lambda q: isinstance(q, Periodic) and q.every_time is not None
            )
            if found is not None:
                fail(
                    "timestamps",
                    f"given (one time per sample) for policy {key!r}, which holds "
                    f"Periodic(every_time={found.every_time:g}) and retrains by stream time",
                    None,
                    _CALLER,
                )
        if performance_estimator is None:
            found = _find_policy(
                p,
                lambda q: isinstance(q, OnEstimatedPerformanceDrop)
                or (isinstance(q, CostAware) and q.source == "estimated"),
            )
            if found is not None:
                what = (type(found).__name__ if isinstance(found, OnEstimatedPerformanceDrop)
                        else 'CostAware(source="estimated")')
                fail(
                    "performance_estimator",
                    f"given (e.g. mllifecycle.estimate.CBPE()) for policy {key!r}, which "
                    f"holds {what} and decides on the label-free estimate (without it "
                    "there is none, and the policy never retrains)",
                    None,
                    _CALLER,
                )
        found = _find_policy(p, lambda q: isinstance(q, OnDrift) and q.detector is None)
        if found is not None:
            # it reads state.drift, which the replay does not fill
            fail(
                f"policies[{key}]",
                "a policy that can retrain in a replay: OnDrift with a detector (e.g. "
                "OnDrift(drift.stream.HDDM_A()) or OnDrift(drift.detect)); with "
                "detector=None it reads state.drift, results of drift monitored "
                "outside the policy, which replay does not compute",
                described("OnDrift(detector=None), which would never retrain"),
                _CALLER,
            )
        if metric_window is not None:
            found = _find_policy(
                p,
                lambda q: isinstance(q, OnPerformanceDrop | CostAware)
                and (q.source == "observed"
                     or (q.source == "auto" and performance_estimator is None))
                and isinstance(q.min_samples, int)
                and q.min_samples > metric_window,
            )
            if found is not None:
                fail(
                    "metric_window",
                    f"at least {found.min_samples} for policy {key!r}, which holds "
                    f"{type(found).__name__}(min_samples={found.min_samples}) and trusts the "
                    "observed accuracy only on that many labels (state.metric rests on "
                    "metric_window labels at most: the policy would never retrain); or a "
                    "smaller min_samples",
                    metric_window,
                    _CALLER,
                )
        if batch_size < 2:
            found = _find_policy(
                p,
                lambda q: isinstance(q, OnDrift)
                and q.detector is not None
                and not isinstance(q.detector, StreamDetector),
            )
            if found is not None:
                det = found.detector
                what = getattr(det, "__name__", None) or type(det).__name__
                fail(
                    "batch_size",
                    f"at least 2 for policy {key!r}, which holds OnDrift({what}), a "
                    "two-sample test of each batch's rows against the training rows "
                    "(one row is no sample to test)",
                    batch_size,
                    _CALLER,
                )
        if not callable(getattr(estimator, "predict_proba", None)):
            found = _find_policy(
                p, lambda q: isinstance(q, OnDrift) and q.signal == "confidence"
            )
            if found is not None:
                fail(
                    "estimator",
                    f"a classifier with predict_proba for policy {key!r}, which holds "
                    'OnDrift(signal="confidence") and reads the model\'s class '
                    "probabilities (without them it never retrains)",
                    described(f"{type(estimator).__name__}, which has no predict_proba"),
                    _CALLER,
                )


def _evaluate_gates(
    gates: tuple[Any, ...],
    y_true: Any,
    challenger: Any,
    champion: Any,
    challenger_proba: Any,
    champion_proba: Any,
    rng: int,
    promote: Any = None,
    classes: Any = None,
) -> tuple[bool, tuple[str, ...]]:
    """Run the gates through :mod:`mllifecycle.gates` (or each gate's ``check``).

    ``promote(gates, context) -> report``, when given, runs them instead (the
    registry's ``promote``, which records the report and moves its champion).
    """
    kwargs = {
        "y_true": y_true,
        "challenger": challenger,
        "champion": champion,
        "challenger_proba": challenger_proba,
        "champion_proba": champion_proba,
    }
    try:
        from mllifecycle.gates import GateContext, evaluate_gates  # type: ignore[attr-defined]
    except ImportError:
        context = types.SimpleNamespace(**kwargs, slices=None, sample_weight=None, rng=rng,
                                        classes=classes)
        results = [g.check(context) for g in gates]
        reasons: list[str] = []
        for r in results:
            rs = getattr(r, "reasons", ())
            reasons.extend([rs] if isinstance(rs, str) else [str(x) for x in rs])
        return all(bool(r.passed) for r in results), tuple(reasons)
    gate_context = GateContext(**kwargs, rng=rng, classes=classes)
    if promote is not None:
        report = promote(list(gates), gate_context)
    else:
        report = evaluate_gates(list(gates), gate_context)
    rs = getattr(report, "reasons", ())
    reasons = [rs] if isinstance(rs, str) else [str(x) for x in rs]
    # the report's reasons are its verdict and notes ("FAILED: 1 of 1 gate(s)
    # failed"); each gate's own evidence (values, bounds, p-value) is in its
    # result, and the events kept only the verdict: why a retrain was refused
    # could not be read from the replay
    for r in getattr(report, "results", ()):
        name = getattr(r, "name", type(r).__name__)
        status = getattr(r, "status", "passed" if getattr(r, "passed", False) else "failed")
        own = getattr(r, "reasons", ())
        for x in [own] if isinstance(own, str) else own:
            reasons.append(f"[{status}] {name}: {x}")
    return bool(report.passed), tuple(reasons)


def _gate_classes(y_true: npt.NDArray[Any], *models: Any) -> npt.NDArray[Any] | None:
    """Return the labels of a gate's problem: the holdout's and the models', sorted.

    A small holdout may lack a class the models predict (one class only, on
    rare positives): named through ``GateContext(classes=...)``, the gates
    judge such models rather than refuse their probabilities mid-replay.
    None when a model's classes are unknown or cannot be sorted with the labels.
    """
    parts = [np.asarray(y_true)]
    for m in models:
        classes = getattr(m, "classes_", None)
        if classes is None:
            return None
        parts.append(np.asarray(classes))
    try:
        return np.unique(np.concatenate(parts))
    except TypeError:  # labels of kinds that do not sort together
        return None


def _gate_proba(model: Any, proba: Any, target: npt.NDArray[Any]) -> Any:
    """Return a model's class probabilities with one column per label of ``target`` (sorted).

    ``predict_proba`` has one column per class of ``model.classes_``; when a
    class disappeared or appeared in the stream these are not the problem's
    classes, and reading one as the other scores the model against the wrong
    classes. A class the model never saw gets a column of zeros (it predicts
    it with probability 0); a model with a class ``target`` lacks has
    probabilities that no columns of it can hold: None, so a gate that needs
    them says so.
    """
    classes = getattr(model, "classes_", None)
    if proba is None or classes is None:
        return proba
    classes = np.asarray(classes)
    proba = np.asarray(proba)
    if classes.shape == target.shape and bool((classes == target).all()):
        return proba
    if proba.ndim != 2 or proba.shape[1] != classes.shape[0]:
        return proba  # not one column per class: the gates' own checks apply
    col = np.searchsorted(target, classes)
    known = col < target.shape[0]
    if not known.all() or not bool((target[col] == classes).all()):
        return None
    out = np.zeros((proba.shape[0], target.shape[0]), dtype=np.float64)
    out[:, col] = proba
    return out


def _python_times(raw: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Python ``datetime``, ``date`` or ``timedelta`` objects as datetime64 or timedelta64.

    Timezone-aware datetimes become UTC instants, as pandas' are; naive and
    aware ones together are refused (their order is unknown). Anything else
    is returned as it is, for the numeric check to judge.
    """
    import datetime as _dt

    vals = raw.tolist()
    if not vals:
        return raw
    # pandas' Timestamp and Timedelta objects hold nanoseconds that Python's
    # datetime drops: read at microseconds, 1 ns apart became equal times
    nano = any(getattr(v, "nanosecond", 0) or getattr(v, "nanoseconds", 0) for v in vals)
    if all(isinstance(v, _dt.timedelta) for v in vals):
        if nano:
            return np.array([v.to_timedelta64() if hasattr(v, "to_timedelta64")
                             else np.timedelta64(v) for v in vals], dtype="timedelta64[ns]")
        return np.array(vals, dtype="timedelta64[us]")
    # dates (datetime.date, days of the stream) are naive times at midnight:
    # they were refused as "numbers (datetimes ... are not read as numbers)"
    if not all(isinstance(v, _dt.date) for v in vals):
        return raw
    aware = [isinstance(v, _dt.datetime) and v.utcoffset() is not None for v in vals]
    if any(aware) and not all(aware):
        fail("timestamps", "datetimes all with a time zone or all without",
             described(f"{sum(aware)} with and {len(aware) - sum(aware)} without"), _CALLER)
    if all(aware):
        vals = [v.astimezone(_dt.UTC).replace(tzinfo=None) for v in vals]
    if nano:
        # to_datetime64 keeps a Timestamp's nanoseconds (astimezone and replace too)
        return np.array([v.to_datetime64() if hasattr(v, "to_datetime64")
                         else np.datetime64(v) for v in vals], dtype="datetime64[ns]")
    return np.array(vals, dtype="datetime64[us]")


class _RegistrySink:
    """Writes one policy's models into a registry as the replay trains them.

    Every model the replay fits (the initial one and each retrain, deployed
    or not) becomes a version of ``model_name``, with its lineage: the policy
    decision and reason, the training rows (``tags``) and their fingerprint
    (``data``), the parent (the version deployed when it was trained), the
    retrain cost, the stream's time, and the fitted drift ``Reference`` of
    its training features when they are numeric. With gates, promotion runs
    through the registry (which records the gate report and moves its
    champion only on a pass).
    """

    def __init__(
        self,
        registry: Any,
        model_name: str,
        policy: str,
        timestamps: npt.NDArray[np.float64] | None,
        retrain_cost: float,
        time_origin: float = 0.0,
    ) -> None:
        self.registry, self.model_name, self.policy = registry, model_name, policy
        self.timestamps, self.retrain_cost = timestamps, retrain_cost
        # datetimes are replayed as seconds from the first time: a version's
        # created_at is the time since the epoch (not since the stream began)
        self.time_origin = time_origin

    def register(
        self,
        model: Any,
        X_train: Any,
        y_train: Any,
        X: npt.NDArray[np.float64] | None,
        start: int,
        stop: int,
        step: int,
        decision: Any,
        parent: int | None,
    ) -> int:
        """Register one fitted model; return its version."""
        reference = None
        if X is not None:
            from mllifecycle.drift import Reference

            reference = Reference.fit(X[start:stop])
        ts = self.timestamps
        version = self.registry.register(
            self.model_name,
            model,
            data=(X_train, y_train),
            reference=reference,
            parent=parent or None,
            decision=decision,
            tags={
                "replay_policy": self.policy,
                "step": step,
                "train_start": start,
                "train_stop": stop,
            },
            cost=None if decision is None else self.retrain_cost,
            created_at=None if ts is None else self.time_origin + float(ts[step - 1]),
        )
        return int(version.version)

    def promoter(self, version: int) -> Any:
        """``(gates, context) -> report`` promoting ``version`` through the registry."""

        def promote(gates: Any, context: Any) -> Any:
            result = self.registry.promote(
                self.model_name,
                version,
                gates=gates,
                context=context,
                reason=f"replay of policy {self.policy!r}",
            )
            return result.report

        return promote


class _Model:
    """The deployed model plus the timing of its own work."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.use_proba = callable(getattr(model, "predict_proba", None))
        self.fit_s = 0.0
        self.predict_s = 0.0

    def predict(self, Xb: npt.NDArray[np.float64]) -> tuple[Any, Any]:
        """Return the model's own predictions and its class probabilities (or None).

        The predictions come from ``predict``, never from the argmax of
        ``predict_proba``: a thresholded classifier (``FixedThresholdClassifier``,
        ``TunedThresholdClassifierCV``) predicts otherwise.
        """
        t0 = time.perf_counter()
        m = self.model
        pred = m.predict(Xb)
        proba = m.predict_proba(Xb) if self.use_proba else None
        self.predict_s += time.perf_counter() - t0
        return pred, proba

    def unpack(self) -> tuple[Any, Any]:
        """Return (predict, predict_proba or None).

        The replay's batch loop predicts with these, as :meth:`predict` would.
        """
        m = self.model
        return m.predict, (m.predict_proba if self.use_proba else None)


class _StateMaker:
    """The template of the :class:`LifecycleState` snapshots a replay builds.

    Every field not set per batch takes its default (and the costs, fixed for
    the run, are set once): each batch copies :attr:`fields`, sets the fields
    that change and, when ``direct`` (``LifecycleState`` keeps its fields in
    an instance dict), makes that dict the new state's (through the
    validator-free ``_unchecked_state`` otherwise): a state per batch and
    policy is the replay's most frequent allocation.
    """

    def __init__(self, **fixed: Any) -> None:
        template = _unchecked_state(step=0, **fixed)
        self.fields: dict[str, Any] = {
            f.name: getattr(template, f.name) for f in attrs.fields(LifecycleState)
        }
        own = getattr(template, "__dict__", None)
        # whether a state's fields are exactly its instance dict
        self.direct = isinstance(own, dict) and own.keys() == self.fields.keys()


_new_object = object.__new__
_set_attribute = object.__setattr__


class _PendingProba:
    """The deployed model's class probabilities for one batch, computed on first read.

    Most policies read only the errors; a ``predict_proba`` per batch they
    never read would double the prediction cost of a forest (whose
    ``predict`` is itself an argmax of ``predict_proba``). The time of the
    call, when a policy makes it, is the model's (``seconds``).
    """

    __slots__ = ("X", "fn", "seconds", "value")

    def __init__(self, fn: Callable[[Any], Any], X: Any) -> None:
        self.fn: Callable[[Any], Any] | None = fn
        self.X = X
        self.value: Any = None
        self.seconds = 0.0

    def get(self) -> Any:
        if self.fn is not None:
            t0 = time.perf_counter()
            self.value = self.fn(self.X)
            self.seconds += time.perf_counter() - t0
            self.fn = self.X = None  # computed once; drop the batch's rows
        return self.value


class _LazyProbaState(LifecycleState):
    """A :class:`LifecycleState` whose ``current_proba`` is computed when first read.

    Built by the replay's batch loop only (its instance dict holds a
    :class:`_PendingProba`). It reads, compares, copies and pickles as the
    plain state with the probabilities filled in.
    """

    @property  # type: ignore[override]
    def current_proba(self) -> Any:
        value = self.__dict__["current_proba"]
        return value.get() if type(value) is _PendingProba else value

    @current_proba.setter
    def current_proba(self, value: Any) -> None:  # attrs' __init__ (attrs.evolve)
        self.__dict__["current_proba"] = value

    def _plain(self) -> LifecycleState:
        return _unchecked_state(**{**self.__dict__, "current_proba": self.current_proba})

    def __reduce__(self) -> tuple[Any, ...]:  # pickle: the plain state
        return (_plain_state, (self._plain().__getstate__(),))

    def __copy__(self) -> LifecycleState:
        return self._plain()

    def __deepcopy__(self, memo: dict[int, Any]) -> LifecycleState:
        return self._plain().__deepcopy__(memo)

    def __repr__(self) -> str:
        return repr(self._plain())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _LazyProbaState):
            other = other._plain()
        return self._plain() == other

    __hash__ = LifecycleState.__hash__


def _plain_state(fields: dict[str, Any]) -> LifecycleState:
    return _unchecked_state(**fields)


def _with_fields(state: LifecycleState, **changes: Any) -> LifecycleState:
    """``state`` with ``changes``, keeping a pending ``current_proba`` pending."""
    fields = {**vars(state), **changes}
    if type(state) is _LazyProbaState:
        new = _new_object(_LazyProbaState)
        _set_attribute(new, "__dict__", fields)
        return new
    return _unchecked_state(**fields)


def _check_change_point(cp: Any, name: str, step: int) -> int:
    """Return a retrain decision's change point as an int in ``[0, step]``, or fail clearly.

    Checked on retrains only (not per batch). A change after the decision is
    not one the policy can have seen; a position past the labelled rows (a
    change among rows whose labels are still delayed) is allowed, and a
    window trains on the labelled rows only.
    """
    if isinstance(cp, numbers.Integral) and not isinstance(cp, bool | np.bool_):
        value = int(cp)
        if 0 <= value <= step:
            return value
    fail(
        "change_point",
        f"None or an int stream position in [0, {step}] (a change not after the decision)",
        cp,
        f"the decision of policy {name!r} at step {step}",
    )


def _as_selection(sel: Any, window: Any, name: str, step: int) -> WindowSelection:
    """Return a window's answer checked as a :class:`WindowSelection` (duck-typed too).

    Its ``sample_weight`` was sliced to the training rows unchecked, so weights
    of other rows (e.g. one per row of the history) were silently given to
    the rows trained on; a ``start`` that was not an int failed in slicing.
    """
    if isinstance(sel, WindowSelection):
        return sel
    if not (hasattr(sel, "start") and hasattr(sel, "stop")):
        fail(
            "window",
            "a window whose select(state) returns a WindowSelection (start, stop, "
            "sample_weight)",
            described(f"{type(window).__name__}.select returning {type(sel).__name__}"),
            f"{_CALLER} (policy {name!r}, step {step})",
        )
    return WindowSelection(
        start=sel.start,
        stop=sel.stop,
        sample_weight=getattr(sel, "sample_weight", None),
        window=str(getattr(sel, "window", "") or ""),
    )


def _not_equal_objects(pred: Any, y: npt.NDArray[Any], out: npt.NDArray[np.float64]) -> None:
    """``out[:] = 1.0 - (pred == y)``: the 0/1 errors of object labels, compared with ==."""
    np.subtract(1.0, np.equal(pred, y), out=out)


def _batch_errors(pred: Any, y: npt.NDArray[Any], out: npt.NDArray[np.float64]) -> int:
    """Write ``pred != y`` into the float errors ``out``; return how many are wrong.

    The same errors as ``np.not_equal(pred, y, out=out)`` followed by a count
    of ``out``, in cheaper steps: the comparison as booleans, copied into
    ``out`` and counted on the booleans. A prediction of another shape (or
    an answer that is not an array) takes the one-ufunc way, so it fails, or
    broadcasts, exactly as it did.
    """
    bad = _not_equal(pred, y)
    if type(bad) is not np.ndarray or bad.shape != out.shape:
        _not_equal(pred, y, out=out)
        return int(_count_nonzero(out))
    out[...] = bad
    return int(_count_nonzero(bad))


_not_equal = np.not_equal
_count_nonzero = np.count_nonzero


def _fit(
    template: Any, X: Any, y: Any, w: Any, weight_key: str = "sample_weight"
) -> tuple[Any, float]:
    from sklearn.base import clone

    t0 = time.perf_counter()
    m = clone(template)
    if w is None:
        m.fit(X, y)
    else:  # sample_weight=, or <final step>__sample_weight= for a Pipeline
        m.fit(X, y, **{weight_key: w})
    return m, time.perf_counter() - t0


def _label_columns(classes: Any, y: npt.NDArray[Any]) -> npt.NDArray[np.intp] | None:
    """Each label's column in ``predict_proba`` (the index in ``classes``), or None.

    None when a label is not one of ``classes`` (a class the model never saw,
    e.g. one only in a gate's holdout): it has no column, and the nearest
    index ``searchsorted`` gives would read it as another class.
    """
    classes = np.asarray(classes)
    if classes.ndim != 1 or classes.shape[0] == 0:
        return None
    order = np.argsort(classes, kind="stable")  # classes_ need not be sorted
    pos = np.searchsorted(classes, y, sorter=order)
    idx = order[np.minimum(pos, classes.shape[0] - 1)]
    if not bool((classes[idx] == y).all()):
        return None
    return np.asarray(idx, dtype=np.intp)


def _fit_estimator(estimator: Any, model: Any, X: Any, y: Any) -> Any:
    """Fit the label-free estimator on a model's rows; None when they cannot calibrate it."""
    from sklearn.base import clone

    idx = _label_columns(getattr(model, "classes_", ()), y)
    if idx is None:  # a label the model never saw: no column to calibrate it in
        return None
    proba = model.predict_proba(X)
    # a user's estimator without get_params is copied, not fitted in place:
    # the caller's object stays unfitted, and policies run in threads do not
    # refit one shared object under each other
    if hasattr(estimator, "get_params"):
        est = clone(estimator)
    else:
        try:
            est = copy.deepcopy(estimator)
        except Exception:  # an object that cannot be copied is fitted as it is
            est = estimator
    try:
        fitted = est.fit(y_true=idx, y_proba=proba)
    except (ValueError, TypeError):  # too few rows of a class to calibrate
        return None
    # a plain class's fit may return None (not self, as scikit-learn's do):
    # that None was taken for "cannot calibrate", and the replay gave no
    # estimate at all (state.estimated_metric None throughout)
    return fitted if callable(getattr(fitted, "estimate", None)) else est


def _run_policy(
    name: str,
    policy: Any,
    window: Any,
    model: Any,
    cfg: _Config,
    tick: Any = None,
    sink: _RegistrySink | None = None,
) -> PolicyRun:
    t_start = time.perf_counter()
    # copied together: an object that is both the policy (or a part of it)
    # and the window (a user's class remembering where it saw the change and
    # selecting from there) stays one object in the copy; copied apart, the
    # window's copy never saw the policy's decisions and trained from 0
    policy, window = copy.deepcopy((policy, window))
    X, y, ts, table = cfg.X, cfg.y, cfg.timestamps, cfg.table
    # what the model is fitted and asked on: the array, or row slices of the table
    rows = (lambda a, b: X[a:b]) if table is None else table.rows  # type: ignore[index]
    n, init, bs, delay = (
        y.shape[0],
        cfg.initial_train_size,
        cfg.batch_size,
        cfg.label_delay,
    )
    try:
        fitted, fit_s = _fit(model, rows(0, init), y[:init], None)
    except Exception as exc:
        y0 = y[:init]
        if (y0 != y0[0]).any():
            raise
        # a classifier that needs two classes failed with its own message,
        # naming no argument of the replay: the initial rows are at fault
        fail("initial_train_size", "enough initial rows for the first model to see at least "
             "2 classes (or an estimator that fits on one)",
             described(f"{init} initial row(s), all of the class {y0[:1].tolist()[0]!r}, on which "
                       f"{type(model).__name__} failed ({type(exc).__name__}: "
                       f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''})"),
             _CALLER)
    deployed = _Model(fitted)
    deployed.fit_s += fit_s
    registered = champion_v = 0  # registry versions (with a sink): the latest, the deployed
    if sink is not None:
        champion_v = sink.register(fitted, rows(0, init), y[:init], X, 0, init, init, None, None)
    used = np.zeros(n, dtype=bool)
    used[:init] = True
    # the deployed model's 0/1 error on each row, written when the row is
    # predicted (once: rows are predicted in order); the states' new_errors
    # are read-only views of it, so no array is made per batch
    wrong = np.zeros(n, dtype=np.float64)
    wrong_shown = wrong.view()
    wrong_shown.flags.writeable = False
    # != in one operation into the float errors; object labels as 1 - (==),
    # as the comparison was always made (a class's != need not be not ==)
    mark_wrong = np.not_equal if y.dtype != object else _not_equal_objects
    # other labels: != as booleans, copied into the float errors (a ufunc
    # writing floats through its cast costs more than the two steps), and
    # counted on the booleans; see _batch_errors
    bool_errors = y.dtype != object
    ref_rows = (0, init)
    # what the states show of X: read-only views, so a policy that writes into
    # state.current_X or state.reference_X cannot change the caller's X (the
    # rows later fits use, and the stream of the policies replayed after it)
    X_shown = None
    if cfg.shown is not None:
        X_shown = cfg.shown.view()
        X_shown.flags.writeable = False
    # the deployed model's training rows (the newest max_reference of them),
    # sliced once per deployment rather than at every batch
    ref_X = None if X_shown is None else X_shown[max(0, init - cfg.max_reference) : init]
    estimator = None
    if cfg.performance_estimator is not None:
        estimator = _fit_estimator(cfg.performance_estimator, fitted, rows(0, init), y[:init])
    labels_known = init  # rows [0, labels_known) are labelled
    deploy_pos = init  # first row predicted by the deployed model
    n_challenges = 0
    challenge_s = 0.0  # model time spent in challenge() during the current policy call

    def challenge(train_start: int, train_stop: int, test_stop: int) -> tuple[Any, Any]:
        """Fit a challenger on labelled rows; both models' 0/1 errors on newer labelled rows."""
        nonlocal n_challenges, challenge_s
        a, b, c = (
            check_int(v, nm, caller="LifecycleState.challenge", low=0)
            for v, nm in (
                (train_start, "train_start"),
                (train_stop, "train_stop"),
                (test_stop, "test_stop"),
            )
        )
        if not a < b < c <= labels_known:
            raise ValueError(
                f"challenge needs 0 <= train_start < train_stop < test_stop <= "
                f"labels_available ({labels_known}); got {a}, {b}, {c}"
            )
        # the fits and predictions here are the model's time (fit_seconds,
        # predict_seconds), not the policy's: the caller takes it out of
        # policy_seconds
        y_fit = y[a:b]
        if not (y_fit != y_fit[0]).any():  # one class: no challenger
            t0 = time.perf_counter()
            err = np.asarray(deployed.model.predict(rows(b, c)) != y[b:c], dtype=np.float64)
            spent = time.perf_counter() - t0
            deployed.predict_s += spent
            challenge_s += spent
            return err, err
        cand, fit_s = _fit(model, rows(a, b), y_fit, None)
        deployed.fit_s += fit_s
        n_challenges += 1
        Xt = rows(b, c)
        t0 = time.perf_counter()
        e_c = np.asarray(cand.predict(Xt) != y[b:c], dtype=np.float64)
        e_d = np.asarray(deployed.model.predict(Xt) != y[b:c], dtype=np.float64)
        spent = time.perf_counter() - t0
        deployed.predict_s += spent
        challenge_s += fit_s + spent
        return e_c, e_d

    last_train = init  # position of the last (re)train
    seen_known = init  # labels already shown to the policy
    retrains = version = 0
    known_errors = 0
    last_cp: int | None = None
    events: list[RetrainEvent] = []
    policy_s = 0.0
    starts = np.arange(init, n, bs)
    ends = np.minimum(starts + bs, n)
    # hits[b]: correct predictions in the batches before batch b, so a count
    # over rows from one batch start to another (or to the stream's end) is a
    # difference of two of these rather than a count_nonzero over the rows
    hits = [0]
    count_nonzero = np.count_nonzero
    perf_counter = time.perf_counter
    should_retrain = policy.should_retrain
    metric_window = cfg.metric_window
    retrain_cost, error_cost = cfg.retrain_cost, cfg.error_cost
    # the fields every state shares; each batch copies this dict and sets
    # the fields that change (cheaper than keyword arguments, see _StateMaker)
    make_state = _StateMaker(retrain_cost=retrain_cost, error_cost=error_cost)
    fields, direct_state = make_state.fields, make_state.direct
    # fields that change only at a retrain or a deployment are set in the
    # template itself, where they change (below), not copied over at each batch
    fields["challenge"] = challenge
    fields["reference_X"] = ref_X
    fields["retrains"] = retrains
    fields["model_version"] = version
    fields["deployed_at"] = deploy_pos
    fields["last_change_point"] = last_cp
    ts_list = None if ts is None else ts.tolist()  # Python floats, as float(ts[i])
    # the times a time since the retrain is a difference of: the float seconds
    # (numbers), or exact whole ticks divided once by the ticks per second
    # (datetimes, durations: see _timestamps); Python's int / int is rounded once
    since_ticks, per_second = ts_list, 1
    if cfg.time_ticks is not None:
        num, per_second = cfg.tick_seconds
        since_ticks = [t * num for t in cfg.time_ticks.tolist()] if num != 1 else (
            cfg.time_ticks.tolist()
        )
    # the deployed model, unpacked: its predict and predict_proba (or None)
    m_predict, m_proba = deployed.unpack()
    predict_s = 0.0
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if table is None:
            Xm, Xb = X[s:e], X_shown[s:e]  # type: ignore[index]
        else:
            Xm, Xb = table.rows(s, e), None if X_shown is None else X_shown[s:e]
        # the model's own work, timed exactly as _Model.predict times it
        t0 = perf_counter()
        pred = m_predict(Xm)
        pending = None
        if m_proba is None:
            proba = None
        elif estimator is not None or not direct_state:
            proba = m_proba(Xm)
        else:  # computed if a policy reads state.current_proba
            proba = pending = _PendingProba(m_proba, Xm)
        predict_s += perf_counter() - t0
        batch_wrong = wrong[s:e]
        # writes the batch's 0/1 errors into ``wrong``; n_bad, a Python int
        # (cheaper arithmetic below), counts them
        if bool_errors:
            n_bad = _batch_errors(pred, y[s:e], batch_wrong)
        else:
            mark_wrong(pred, y[s:e], batch_wrong)
            n_bad = int(count_nonzero(batch_wrong))
        hits.append(hits[-1] + (e - s - n_bad))  # (the batch accuracies come from these)
        # labels of rows i with i + delay < e have arrived
        new_known = e - delay
        if new_known > labels_known:
            if labels_known == s and new_known == e:  # no delay: this batch
                known_errors += n_bad
            else:
                known_errors += int(count_nonzero(wrong[labels_known:new_known]))
            labels_known = new_known
        lo = seen_known if seen_known > deploy_pos else deploy_pos
        # the 0/1 errors (float64), read-only (shared by the policies of a composition)
        new_errors = None if labels_known <= lo else wrong_shown[lo:labels_known]
        seen_known = labels_known
        m_lo = labels_known - metric_window
        if m_lo < deploy_pos:
            m_lo = deploy_pos
        m_n = labels_known - m_lo
        if m_n > 0:
            if (m_lo - init) % bs or ((labels_known - init) % bs and labels_known != n):
                n_hit = m_n - int(count_nonzero(wrong[m_lo:labels_known]))
            else:  # both ends start a batch (or end the stream): from the batches' counts
                n_hit = hits[-(-(labels_known - init) // bs)] - hits[(m_lo - init) // bs]
            metric = n_hit / m_n
        else:
            metric, m_n = None, 0
        state_fields = fields.copy()
        state_fields["step"] = e
        if ts_list is not None:
            state_fields["time"] = ts_list[e - 1]
            state_fields["time_since_retrain"] = (
                since_ticks[e - 1] - since_ticks[last_train - 1]  # type: ignore[index]
            ) / per_second
        state_fields["samples_since_retrain"] = e - last_train
        state_fields["new_errors"] = new_errors
        state_fields["current_X"] = Xb
        state_fields["current_proba"] = proba
        state_fields["metric"] = metric
        state_fields["metric_n"] = m_n
        if estimator is not None and proba is not None:
            est = estimator.estimate(proba)["accuracy"]
            state_fields["estimated_metric"] = float(est.value)
            state_fields["estimated_std_error"] = float(est.std_error)
            state_fields["estimated_n"] = e - s
        state_fields["labels_available"] = labels_known
        state_fields["cost"] = retrains * retrain_cost + known_errors * error_cost
        if direct_state:
            state = _new_object(LifecycleState if pending is None else _LazyProbaState)
            _set_attribute(state, "__dict__", state_fields)
        else:
            state = _unchecked_state(**state_fields)
        t_policy = perf_counter()
        decision = should_retrain(state)
        policy_s += perf_counter() - t_policy
        if challenge_s:  # counted as fit / predict time already
            policy_s -= challenge_s
            challenge_s = 0.0
        if pending is not None and pending.seconds:  # the model's time, not the policy's
            policy_s -= pending.seconds
            predict_s += pending.seconds
            pending.seconds = 0.0
        if type(decision) is not RetrainDecision and not isinstance(decision, RetrainDecision):
            raise TypeError(
                f"The policy {name!r} must return a RetrainDecision from "
                f"should_retrain. "
                f"Got {type(decision).__name__} instead."
            )
        if tick is not None:
            tick()
        if not decision.retrain:
            continue
        if decision.change_point is not None:
            last_cp = fields["last_change_point"] = _check_change_point(
                decision.change_point, name, e
            )
            state = _with_fields(state, last_change_point=last_cp)
        sel = window.select(state)
        if type(sel) is not WindowSelection:
            sel = _as_selection(sel, window, name, e)
        if not 0 <= sel.start <= sel.stop <= labels_known:
            raise ValueError(
                f"The window {type(window).__name__} selected rows "
                f"{sel.start}:{sel.stop}, "
                f"but only rows 0:{labels_known} are labelled at step {e}."
            )
        # as Python ints: a user's window may give NumPy ints, which the
        # events showed as np.int64(1800)
        lo_t, hi_t = int(sel.start), int(sel.stop)
        w = sel.sample_weight
        n_hold = 0
        if cfg.gates is not None:
            n_hold = math.ceil(cfg.gate_holdout * (hi_t - lo_t))
        tr_hi = hi_t - n_hold
        y_fit = y[lo_t:tr_hi]
        # (as floats: a window may give a list, WindowSelection checks but keeps it)
        w_fit = None if w is None else np.asarray(w, dtype=np.float64)[: tr_hi - lo_t]
        # rows of weight 0 are not trained on (RecencyWeights' oldest rows
        # underflow to 0, a gate's holdout may take every weighted row): with
        # fewer than two of the others, or one class among them, the fit
        # failed mid-replay ("Sample weights must contain at least one non-zero
        # number") or fitted a one-class model on rows of one label
        weighted = None if w_fit is None or w_fit.all() else np.flatnonzero(w_fit)
        y_seen = y_fit if weighted is None else y_fit[weighted]
        # fewer than two classes: compare with the first label (a full
        # np.unique sort per retrain costs more than the rest of the step)
        if y_seen.shape[0] < 2 or not (y_seen != y_seen[0]).any():
            events.append(
                RetrainEvent(
                    step=e,
                    reason=decision.reason + " (skipped: too few labelled rows or a single class)",
                    deployed=False,
                    train_start=lo_t,
                    train_stop=tr_hi,
                    fitted=False,
                )
            )
            continue
        if w_fit is not None and cfg.weight_key is None:
            # a user's window weighting rows for a model that takes no weights
            _fail_unweighted(name, window, cfg.no_weights)
        cand, fit_s = _fit(
            model,
            rows(lo_t, tr_hi),
            y_fit,
            w_fit,
            cfg.weight_key,  # type: ignore[arg-type]
        )
        deployed.fit_s += fit_s
        retrains += 1
        fields["retrains"] = retrains
        last_train = e
        if sink is not None:
            registered = sink.register(
                cand, rows(lo_t, tr_hi), y_fit, X, lo_t, tr_hi, e, decision, parent=champion_v
            )
        if weighted is None:
            used[lo_t:tr_hi] = True
        else:  # the rows of weight 0 were not used
            used[lo_t + weighted] = True
        passed = True
        gate_reasons: tuple[str, ...] = ()
        if cfg.gates is not None and n_hold > 0:
            Xh, yh = rows(tr_hi, hi_t), y[tr_hi:hi_t]
            challenger = _Model(cand)
            c_pred, c_proba = challenger.predict(Xh)
            o_pred, o_proba = deployed.predict(Xh)
            deployed.predict_s += challenger.predict_s
            # the problem's labels, not only the holdout's: a small holdout
            # lacking a class the models predict made a probability gate raise
            # mid-replay ("GateContext with challenger_proba")
            labels = _gate_classes(yh, cand, deployed.model)
            target = np.unique(yh) if labels is None else labels
            passed, gate_reasons = _evaluate_gates(
                cfg.gates,
                yh,
                c_pred,
                o_pred,
                _gate_proba(cand, c_proba, target),
                _gate_proba(deployed.model, o_proba, target),
                rng=e,
                promote=None if sink is None else sink.promoter(registered),
                classes=labels,
            )
        events.append(
            RetrainEvent(
                step=e,
                reason=decision.reason,
                deployed=passed,
                train_start=lo_t,
                train_stop=tr_hi,
                gate_reasons=gate_reasons,
            )
        )
        if passed:
            if sink is not None:
                champion_v = registered
            new = _Model(cand)
            new.fit_s, new.predict_s = deployed.fit_s, deployed.predict_s
            deployed = new
            m_predict, m_proba = deployed.unpack()
            version += 1
            deploy_pos = e
            ref_rows = (lo_t, tr_hi)
            if X_shown is not None:
                ref_X = X_shown[max(ref_rows[0], ref_rows[1] - cfg.max_reference) : ref_rows[1]]
            fields["model_version"] = version
            fields["deployed_at"] = deploy_pos
            fields["reference_X"] = ref_X
            if cfg.performance_estimator is not None:
                estimator = _fit_estimator(
                    cfg.performance_estimator, cand, rows(lo_t, hi_t), y[lo_t:hi_t]
                )
    # counts, not means: count / n is the same float as the mean of 0/1 (the
    # batch sizes and counts convert to floats exactly)
    batch_acc = np.diff(np.asarray(hits, dtype=np.float64)) / (ends - starts)
    n_eval = n - init
    errors = int(count_nonzero(wrong[init:]))
    return PolicyRun(
        name=name,
        # (correct predictions) / n: the same float as the mean of the 0/1 hits
        accuracy=(n_eval - errors) / n_eval,
        n_evaluated=n_eval,
        errors=errors,
        retrains=retrains,
        events=tuple(events),
        labels=int(used.sum()),
        fit_seconds=deployed.fit_s,
        predict_seconds=deployed.predict_s + predict_s,
        policy_seconds=policy_s,
        total_seconds=time.perf_counter() - t_start,
        cost=retrains * cfg.retrain_cost + errors * cfg.error_cost,
        batch_ends=ends.astype(np.int64),
        batch_accuracy=batch_acc,
    )


def _sinks(
    registry: Any, model_name: Any, pols: dict[str, Any], cfg: _Config
) -> dict[str, _RegistrySink]:
    """Validate ``registry`` / ``model_name``; return a sink per policy that registers."""
    if registry is None:
        if model_name is not None:
            fail("registry", "a Registry when model_name is given", registry, _CALLER)
        return {}
    check_has_methods(registry, "registry", ["register", "promote"], _CALLER)
    names: dict[str, str]
    if isinstance(model_name, str) and model_name.strip():
        if len(pols) == 1:
            names = {next(iter(pols)): model_name}
        else:
            names = {k: f"{model_name}/{k}" for k in pols}
    elif isinstance(model_name, Mapping) and model_name:
        check_mapping_keys(model_name, pols, "model_name", "policy", _CALLER)
        names = {}
        for key, value in model_name.items():
            if not isinstance(value, str) or not value.strip():
                fail(f"model_name[{key}]", "a non-empty string", value, _CALLER)
            names[key] = value
    else:
        fail(
            "model_name",
            "the registry's model name (a non-empty str) or a mapping of policy name to it",
            model_name,
            _CALLER,
        )
    for key, value in names.items():
        if value != value.strip():
            # the registry matches names exactly: "fraud " would be a model beside
            # "fraud"; refused here, before any training, as the registry would
            fail(
                "model_name" if isinstance(model_name, str) else f"model_name[{key}]",
                "a model name without leading or trailing whitespace (the registry matches "
                "names exactly: with a trailing space it would be another model)",
                described(f"{value!r}, the model name of policy {key!r}"),
                _CALLER,
            )
    return {
        k: _RegistrySink(registry, v, k, cfg.timestamps, cfg.retrain_cost, cfg.time_origin)
        for k, v in names.items()
    }


def _run_parallel(
    pols: dict[str, Any],
    wins: dict[str, Any],
    estimator: Any,
    cfg: _Config,
    n_jobs: int,
    bar: Progress,
    n_batches: int,
) -> list[PolicyRun]:
    """Run the policies with joblib (its active backend), advancing ``bar`` as each ends.

    ``joblib.Parallel`` without a backend argument uses the one a caller set
    with ``joblib.parallel_backend(...)`` (loky processes by default, threads,
    Dask, Ray...). Results come back in completion order where the backend
    can stream them, so the bar moves as work completes; they are put back in
    the order of ``policies``.
    """
    # scikit-learn's wrappers of joblib's: each task runs under the caller's
    # scikit-learn configuration (metadata routing, transform_output...), as
    # the serial run does; with joblib's own, a loky worker ran with the
    # defaults, so a Pipeline given weights by routing failed there
    from sklearn.utils.parallel import Parallel, delayed

    tasks = [delayed(_run_policy)(k, p, wins[k], estimator, cfg) for k, p in pols.items()]
    try:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    except ValueError:  # a backend that cannot stream results: all at the end
        parallel = Parallel(n_jobs=n_jobs)
    done: dict[str, PolicyRun] = {}
    for run in parallel(tasks):
        done[run.name] = run
        bar.update(n_batches)
    return [done[k] for k in pols]


def replay(
    X: Any,
    y: Any,
    estimator: Any,
    policies: Mapping[str, Any],
    *,
    timestamps: Any = None,
    window: Any = None,
    label_delay: int = 0,
    retrain_cost: float = 100.0,
    error_cost: float = 1.0,
    initial_train_size: int = 1000,
    batch_size: int = 100,
    gates: Any = None,
    gate_holdout: float = 0.2,
    performance_estimator: Any = None,
    metric_window: int = 500,
    change_points: Sequence[int] | None = None,
    n_jobs: int | None = None,
    progress: bool | Callable[[int, int], Any] = False,
    registry: Any = None,
    model_name: str | Mapping[str, str] | None = None,
) -> ReplayResult:
    """Backtest retraining policies over a labelled stream, side by side.

    Test-then-train (prequential) evaluation in batches. For each policy, a
    clone of ``estimator`` is fitted on the first ``initial_train_size`` rows;
    then, batch by batch, the deployed model predicts the batch (that is the
    score recorded), the labels whose delay has passed arrive, the policy is
    shown a :class:`~mllifecycle.policies.LifecycleState` and decides. On a
    retrain, a fresh clone is fitted on the rows the policy's window selects
    (always labelled rows), optionally checked by ``gates`` on a held-out
    tail of the window, and deployed if it passes. Every policy runs on its
    own copy of the model, the policy and the window (the policy and its
    window copied together: one object serving as both stays one object).

    What the policy sees (and nothing else): the latest batch's features and
    the deployed model's class probabilities on it; the 0/1 errors of the
    deployed model on the labels that arrived since the last decision (how a
    streaming detector in :class:`~mllifecycle.policies.OnDrift` is fed); the
    features the deployed model was trained on, its newest 5000 training rows
    at most (what a batch drift test compares against); the deployed model's accuracy on its last
    ``metric_window`` labelled predictions; the label-free estimate from
    ``performance_estimator``; counts, costs and times. A label reaches the policy, a
    window or a fit only ``label_delay`` samples after its row was predicted.

    Parameters
    ----------
    X : array-like or table of shape (n_samples, n_features)
        Features in stream order (e.g. ``stream.X`` of a
        :mod:`mllifecycle.datasets` stream). A pandas, polars or pyarrow
        table is passed to the estimator as row slices of the same kind of
        table, column names kept (a ``ColumnTransformer`` selecting columns
        by name works); the states' ``current_X`` / ``reference_X`` hold its
        values as a float array when every column is numeric, and as an
        object array otherwise (text kept as text: ``drift.detect`` and
        ``drift.Reference`` in :class:`~mllifecycle.policies.OnDrift` test
        such columns as categorical).
    y : array-like or Series of shape (n_samples,)
        Labels.
    estimator : scikit-learn classifier
        Cloned with :func:`sklearn.base.clone` for every fit; never mutated.
    policies : mapping of str to policy
        Name -> :class:`~mllifecycle.protocols.RetrainPolicy` or a function
        ``state -> bool | RetrainDecision``. A never-retrain baseline is
        ``lambda state: False``.
    timestamps : array-like of shape (n_samples,), optional
        Non-decreasing times (numbers in seconds, datetime64 or
        timezone-aware datetimes, read as instants, Python ``datetime``,
        ``date`` (midnight) or ``timedelta`` objects, or timedelta64) for
        time-based policies. A ``datetime64`` in months or years is read as
        the first instant of each month or year; durations in months or years
        (no fixed length) are refused. ``state.time_since_retrain`` is the
        exact elapsed time of datetimes and durations, rounded once to float
        seconds.
    window : TrainingWindow or mapping of str to TrainingWindow, optional
        Rows to retrain on, for all policies or per policy name. The default
        follows the change: ``SinceLastDrift(500)`` (the rows since the last
        change point a decision reported, at least 500, or
        ``initial_train_size`` when that is smaller) once the policy has
        reported a change point, ``SlidingWindow(initial_train_size)`` until
        then and for policies that never report one (``Periodic``).
        A window's ``sample_weight`` (``RecencyWeights``) goes to the fit as
        ``sample_weight=``; a ``Pipeline`` passes it to its final step (its
        transformers are fitted unweighted), or, with scikit-learn's metadata
        routing enabled, where the steps' ``set_fit_request`` ask for it. An
        estimator that cannot take weights is refused before any training.
    label_delay : int, default=0
        Samples between a prediction and the arrival of its label. At least
        the rows after ``initial_train_size`` (no label ever arrives) warns
        with a :class:`~mllifecycle.exceptions.DegenerateDataWarning`.
    retrain_cost : float, default=100.0
        Cost of one retrain, in units of ``error_cost``.
    error_cost : float, default=1.0
        Cost of one wrong prediction. Total cost is
        ``retrains * retrain_cost + errors * error_cost``.
    initial_train_size : int, default=1000
        Rows the first model is trained on (labelled from the start).
    batch_size : int, default=100
        Rows per decision.
    gates : Gate or sequence of Gate, optional
        Checks a retrained challenger must pass (against the deployed
        champion, on the most recent ``gate_holdout`` share of the window,
        which is then not trained on) before it is deployed; evaluated with
        ``mllifecycle.gates.evaluate_gates``.
    gate_holdout : float, default=0.2
        Share of the window held out for the gates.
    performance_estimator : optional
        A label-free performance estimator (``mllifecycle.estimate.CBPE``:
        ``fit(y_true=..., y_proba=...)``, ``estimate(y_proba)["accuracy"]``), refitted on
        each deployed model's training rows and applied to every batch; its
        estimate becomes ``state.estimated_metric``. Needs ``predict_proba``.
        Each fit is on a copy (``sklearn.base.clone``, or a deep copy of an
        object without ``get_params``), whose ``fit`` may return itself or None.
        A model whose rows cannot calibrate it (too few rows of a class, or a
        label the model never saw, as in a gate's holdout) gets no estimate:
        ``state.estimated_metric`` stays ``None`` while it is deployed.
    metric_window : int, default=500
        Labelled predictions behind ``state.metric``.
    change_points : sequence of int, optional
        Known change points, kept for the plot.
    n_jobs : int, optional
        Run the policies in parallel with joblib (``-1``: all cores), on the
        backend active in the caller (``with joblib.parallel_backend("threading"):``
        or ``"dask"`` for a Dask cluster; loky processes by default). The
        results are identical to the serial run's.
    progress : bool or callable, default=False
        ``True`` draws a bar (tqdm, the ``progress`` extra); a callable is
        called as ``progress(done, total)``, counted in batches over all
        policies. Serially it advances after every batch; with ``n_jobs`` by a
        policy's batches as each policy's run completes.
    registry : mllifecycle.store.Registry, optional
        Record every model the replay fits (the initial one and each retrain,
        deployed or not) as a version with its lineage: the decision and its
        reason, the training rows and their fingerprint, the parent (the
        version deployed when it was trained), the retrain cost, the stream's
        time as ``created_at`` (seconds since the epoch for datetimes) and the
        training features' drift ``Reference``. With ``gates``, promotion runs
        through the registry, which records each gate report and moves its
        champion on a pass. The registry's champion moves only through gates:
        the initial model, and retrains deployed without gates, are registered
        but not made champion.
    model_name : str or mapping of str to str, optional
        The registry's model name (needed with ``registry``): with several
        policies, ``"name"`` registers policy ``k`` as ``"name/k"``; a mapping
        names each policy's model.

    Returns
    -------
    ReplayResult
        Per policy: accuracy, retrains with their reasons, labels used,
        compute seconds, cost and the metric over time.

    Raises
    ------
    InvalidParameterError
        On mismatched lengths, a window longer than the stream, negative
        costs, an estimator without ``fit``/``predict`` or that scikit-learn
        calls a regressor (accuracy would count every prediction wrong), or a
        policy without
        ``should_retrain`` (a ``TypeError`` naming what is missing). Before
        any training, on a built-in policy (alone or inside a combinator)
        that could never see its signal: ``Periodic(every_time=...)`` without
        ``timestamps``, ``OnEstimatedPerformanceDrop`` or
        ``CostAware(source="estimated")`` without ``performance_estimator``,
        ``OnDrift(signal="confidence")`` with an estimator lacking
        ``predict_proba``, ``OnDrift()`` without a detector (it reads
        ``state.drift``, which a replay does not fill), and
        ``OnPerformanceDrop`` or ``CostAware`` on the observed accuracy whose
        ``min_samples`` exceeds ``metric_window`` (``state.metric_n`` never
        reaches it). Before any training,
        on a ``RecencyWeights`` window for an estimator that takes no sample
        weights (a ``fit`` without ``sample_weight``, a ``Pipeline`` whose
        final step has none, or metadata-routing requests that cannot route
        them); a user's window that gives weights to such an estimator is
        refused at its first weighted retrain.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic
    >>> from mllifecycle.replay import replay
    >>> s = sea_stream(8000, noise=0.02, rng=0)
    >>> result = replay(s.X, s.y, LogisticRegression(solver="newton-cholesky"),
    ...                 {"never": lambda state: False,
    ...                  "periodic": Periodic(every=1000)},
    ...                 change_points=s.change_points)
    >>> result["periodic"].retrains
    7
    >>> result["periodic"].accuracy > result["never"].accuracy
    True
    """
    cfg, pols, wins, cps = _validate(
        X,
        y,
        estimator,
        policies,
        timestamps,
        window,
        label_delay,
        retrain_cost,
        error_cost,
        initial_train_size,
        batch_size,
        gates,
        gate_holdout,
        performance_estimator,
        metric_window,
        change_points,
        n_jobs,
        progress,
    )
    sinks = _sinks(registry, model_name, pols, cfg)
    n_batches = -(-(cfg.y.shape[0] - cfg.initial_train_size) // cfg.batch_size)
    with make_progress(progress, total=n_batches * len(pols), desc="replay", caller=_CALLER) as bar:
        if n_jobs is None or len(pols) == 1 or sinks:
            tick = None if progress is False else bar.update
            runs = [
                _run_policy(k, p, wins[k], estimator, cfg, tick, sinks.get(k))
                for k, p in pols.items()
            ]
        else:
            runs = _run_parallel(pols, wins, estimator, cfg, n_jobs, bar, n_batches)
    return ReplayResult(
        runs={r.name: r for r in runs},
        metric="accuracy",
        n_samples=int(cfg.y.shape[0]),
        initial_train_size=cfg.initial_train_size,
        batch_size=cfg.batch_size,
        label_delay=cfg.label_delay,
        retrain_cost=cfg.retrain_cost,
        error_cost=cfg.error_cost,
        change_points=cps,
    )
