"""Evaluating change detectors on streams with known changes, and calibrating them.

Definitions used throughout
---------------------------
* A detection at index ``i`` is a **true positive** for change point ``c``
  when it is the first detection in the window ``[c, c + tolerance)``
  (truncated at the next change point); its **delay** is ``i - c``.
* Every other detection is a **false alarm** (detections before the first
  change, long after a change, and repeated detections of a change already
  detected).
* A change with no detection in its window is **missed**.
* The **false-alarm rate** is the number of false alarms per point of the
  stream; results also give it per 100,000 points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._progress import make_progress
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import (
    check_1d,
    check_callable,
    check_has_methods,
    check_int,
    check_rng,
    check_scalar,
    described,
    fail,
    label_kinds,
)

__all__ = [
    "DetectorEvaluation",
    "evaluate_detector",
    "CalibrationResult",
    "calibrate",
]

_PER = 100_000


def _nan_to_none_repr(v: float) -> str:
    return "nan" if isinstance(v, float) and math.isnan(v) else format_value(v)


@attrs.frozen(kw_only=True, eq=False)
class DetectorEvaluation:
    """How well a detector found known changes, within a tolerance.

    Attributes
    ----------
    tolerance : int
        A detection counts for change ``c`` only in ``[c, c + tolerance)``.
    n_streams, n_samples, n_changes, n_detections : int
        Totals over all streams.
    true_positives, false_alarms, missed : int
        See the module definitions; ``true_positives + missed == n_changes``.
    mean_delay : float
        Mean delay (in points) over the detected changes; NaN if none.
    delays : tuple of tuple of float
        Per stream, the delay of each change (NaN when missed).
    false_alarm_rate : float
        False alarms per point.
    false_alarms_per_100k : float
        False alarms per 100,000 points.
    precision, recall, f1 : float
        ``TP / n_detections`` (NaN with no detection), ``TP / n_changes``
        (NaN with no change) and their harmonic mean, computed as
        ``2 TP / (n_detections + n_changes)`` as in scikit-learn's
        ``f1_score``: 0 when changes were all missed without a detection, or
        detections made on streams without a change; NaN only with neither.
    detections : tuple of tuple of int
        Per stream, the detection indices.

    Examples
    --------
    >>> from mllifecycle.datasets import mean_shift_stream
    >>> from mllifecycle.drift.stream import CUSUM, evaluate_detector
    >>> streams = [mean_shift_stream(4000, [2000], means=[0, 1], rng=s) for s in range(3)]
    >>> ev = evaluate_detector(lambda: CUSUM(threshold=8.0), streams, tolerance=500)
    >>> type(ev).__name__, ev.n_changes
    ('DetectorEvaluation', 3)
    """

    tolerance: int
    n_streams: int
    n_samples: int
    n_changes: int
    n_detections: int
    true_positives: int
    false_alarms: int
    missed: int
    mean_delay: float
    delays: tuple[tuple[float, ...], ...]
    false_alarm_rate: float
    false_alarms_per_100k: float
    precision: float
    recall: float
    f1: float
    detections: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-safe Python (NaN becomes None)."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numeric fields as a flat ``name -> float`` mapping.

        Per-stream tuples (delays, detections) and NaN measures are left out,
        so ``mlflow.log_metrics(evaluation.to_metrics())`` works as-is.
        """
        return flat_metrics(self.to_dict())

    def _summary(self) -> list[tuple[str, Any]]:
        return [
            ("n_streams", self.n_streams),
            ("n_samples", self.n_samples),
            ("n_changes", self.n_changes),
            ("detected", self.true_positives),
            ("missed", self.missed),
            ("false_alarms", self.false_alarms),
            ("false_alarms_per_100k", self.false_alarms_per_100k),
            ("mean_delay", self.mean_delay),
            ("precision", self.precision),
            ("recall", self.recall),
            ("f1", self.f1),
            ("tolerance", self.tolerance),
        ]

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={_nan_to_none_repr(v)}" for k, v in self._summary())
        return f"DetectorEvaluation({body})"

    def _repr_html_(self) -> str:
        return html_table(
            [[k, v] for k, v in self._summary()], ["measure", "value"],
            caption="DetectorEvaluation",
        )


def _as_stream_list(
    streams: Any, change_points: Any, caller: str
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.intp]]]:
    """Normalise the (streams, change_points) pair to lists of arrays."""
    # one stream: a 1-D array or Series (a Series is no Sequence: it was
    # taken as one stream per value), a ChangeStream, or a list of numbers
    if getattr(streams, "ndim", None) == 2 and hasattr(streams, "columns"):
        # list(df) is its column names: each was read as a stream ("Got 'a'")
        fail("streams", "one stream (1-D) or a sequence of streams (for a DataFrame's "
             "columns pass [df[c] for c in df], for its rows df.to_numpy())",
             described(f"a DataFrame of shape {streams.shape}"), caller)
    single = getattr(streams, "ndim", None) == 1 and not isinstance(streams, str)
    single = single or hasattr(streams, "change_points")
    # a polars Series or pyarrow array (no ndim) is one stream too: it was
    # taken as one stream per value ("one list of change points per stream (n)")
    lib = type(streams).__module__.partition(".")[0]
    single = single or (lib == "polars" and type(streams).__name__ == "Series")
    single = single or (lib == "pyarrow" and hasattr(streams, "to_pylist")
                        and not hasattr(streams, "column_names"))
    if (
        not single
        and isinstance(streams, Sequence)
        and len(streams) > 0
        and all(isinstance(v, int | float | np.number | np.bool_) for v in streams)
    ):
        single = True
    items = [streams] if single else list(streams)
    if not items:
        fail("streams", "at least one stream", described("none"), caller)
    if change_points is None:
        missing = [i for i, s in enumerate(items) if not hasattr(s, "change_points")]
        if missing:
            fail(
                "change_points",
                "given (or streams that carry their change_points, such as "
                "mllifecycle.datasets.ChangeStream)",
                None,
                caller,
            )
        cps_list: list[Any] = [s.change_points for s in items]
    elif single:
        cps_list = [change_points]
    else:
        cps_list = list(change_points)
        if len(cps_list) != len(items):
            fail(
                "change_points",
                f"one list of change points per stream ({len(items)})",
                described(f"{len(cps_list)} list(s)"),
                caller,
            )
    values: list[npt.NDArray[np.float64]] = []
    cps_out: list[npt.NDArray[np.intp]] = []
    for s, c in zip(items, cps_list, strict=True):
        raw = s.values if hasattr(s, "values") and hasattr(s, "change_points") else s
        arr = check_1d(raw, "streams", caller=caller)
        cp = check_1d(c, "change_points", caller=caller, min_samples=0)
        if "booleans" in label_kinds(c):  # NumPy reads True as the position 1
            fail("change_points", "integer indices (booleans are not positions)", c, caller)
        if cp.shape[0] and (
            np.any(cp != np.round(cp)) or cp.min() < 0 or cp.max() >= arr.shape[0]
            or np.any(np.diff(cp) <= 0)
        ):
            fail(
                "change_points",
                f"strictly increasing integer indices in [0, {arr.shape[0] - 1}]",
                # whole numbers shown as ints: [1500, 1000], not [1500.0, 1000.0]
                described(str([int(v) if v == round(v) else v for v in cp.tolist()[:10]])
                          + (" ..." if cp.shape[0] > 10 else "")),
                caller,
            )
        values.append(arr)
        cps_out.append(cp.astype(np.intp))
    return values, cps_out


def _match(
    detections: npt.NDArray[np.intp], cps: npt.NDArray[np.intp], n: int, tolerance: int
) -> tuple[list[float], int]:
    """Return per-change delays (NaN = missed) and the number of false alarms."""
    delays: list[float] = []
    used = np.zeros(detections.shape[0], dtype=bool)
    ends = np.r_[cps[1:], n] if cps.shape[0] else np.zeros(0, dtype=np.intp)
    for c, nxt in zip(cps.tolist(), ends.tolist(), strict=True):
        hi = min(c + tolerance, nxt)
        j = int(np.searchsorted(detections, c, side="left"))
        if j < detections.shape[0] and detections[j] < hi:
            used[j] = True
            delays.append(float(detections[j] - c))
        else:
            delays.append(math.nan)
    return delays, int((~used).sum())


def _detection_indices(raw: Any, n: int, caller: str) -> npt.NDArray[np.intp]:
    """Return a detector's ``update_many`` answer as increasing indices into its ``n`` values.

    The detector may be the user's: unsorted or repeated indices, floats or
    positions past the stream were matched to change points as they came,
    and the counts were wrong, silently.
    """
    arr = np.asarray(raw)
    if arr.ndim != 1 or (arr.shape[0] and arr.dtype.kind not in "iu"):
        fail("make_detector()", "a detector whose update_many returns a 1-D array of integer "
             "indices", described(f"an array of shape {arr.shape} and dtype {arr.dtype}"),
             caller)
    hits = arr.astype(np.intp)
    if hits.shape[0] and (hits[0] < 0 or hits[-1] >= n or (np.diff(hits) <= 0).any()):
        fail("make_detector()", f"a detector whose update_many returns increasing indices "
             f"in [0, {n - 1}]", described(f"{hits[:5].tolist()} ..."), caller)
    return hits


def _check_detector(det: Any, name: str, caller: str) -> None:
    """Raise unless ``det`` has ``update_many``; say how to add it to one with ``update``.

    A user's detector written with ``update`` only was refused with no hint
    that :func:`with_update_many` gives it an exact ``update_many``.
    """
    if not callable(getattr(det, "update_many", None)) and callable(
        getattr(det, "update", None)
    ):
        fail(
            name,
            "a detector with update_many() (for a class of your own with update() only, "
            "decorate it with mllifecycle.drift.stream.with_update_many, or add "
            "update_many(self, xs) returning update_many_from_update(self, xs))",
            described(f"{type(det).__name__}, which has update() but lacks update_many()"),
            caller,
        )
    check_has_methods(det, name, ["update_many"], caller)


def _check_fresh(det: Any, made: list[Any], caller: str) -> None:
    """Raise when ``make_detector`` hands out a detector it handed out before.

    One detector carried its state from one stream (or bisection step) into
    the next, and the counts were silently those of a different experiment.
    """
    if any(det is old for old in made):
        fail("make_detector", "a callable returning a fresh detector at each call "
             "(a class, or a lambda building one)",
             described(f"a callable that returned the same {type(det).__name__} twice"),
             caller)
    made.append(det)


def evaluate_detector(
    make_detector: Callable[[], Any],
    streams: Any,
    change_points: Any = None,
    *,
    tolerance: int,
) -> DetectorEvaluation:
    """Run a fresh detector over each stream and score it against known changes.

    Parameters
    ----------
    make_detector : callable
        ``make_detector()`` returns a fresh detector (a class works); its
        ``update_many`` is called once per stream.
    streams : array-like, ChangeStream, or a sequence of them
        One stream or several.
    change_points : array-like of int, or a sequence of them, optional
        The change points of each stream (indices of the first value after
        each change). Optional when the streams are
        :class:`~mllifecycle.datasets.ChangeStream` objects.
    tolerance : int
        Detections count for a change only within ``tolerance`` points of it
        (see the module definitions); later ones are false alarms.

    Returns
    -------
    DetectorEvaluation
        Delay (mean and per change), false alarms (count, per point, per
        100,000 points), missed changes, precision, recall and F1.

    Examples
    --------
    >>> from mllifecycle.datasets import mean_shift_stream
    >>> from mllifecycle.drift.stream import CUSUM, evaluate_detector
    >>> streams = [mean_shift_stream(5000, [2500], means=[0, 1], rng=s)
    ...            for s in range(5)]
    >>> ev = evaluate_detector(lambda: CUSUM(threshold=8.0), streams, tolerance=500)
    >>> ev.recall, ev.mean_delay < 50
    (1.0, True)
    """
    caller = "evaluate_detector"
    check_callable(make_detector, "make_detector", caller)
    tol = check_int(tolerance, "tolerance", caller=caller, low=1)
    values, cps_list = _as_stream_list(streams, change_points, caller)
    all_delays: list[tuple[float, ...]] = []
    all_dets: list[tuple[int, ...]] = []
    fa = 0
    n_det = 0
    n_samples = 0
    made: list[Any] = []  # kept alive, so a fresh detector cannot reuse an id
    for arr, cps in zip(values, cps_list, strict=True):
        det = make_detector()
        _check_detector(det, "make_detector()", caller)
        _check_fresh(det, made, caller)
        hits = _detection_indices(det.update_many(arr), arr.shape[0], caller)
        delays, f = _match(hits, cps, arr.shape[0], tol)
        fa += f
        n_det += int(hits.shape[0])
        n_samples += int(arr.shape[0])
        all_delays.append(tuple(delays))
        all_dets.append(tuple(int(h) for h in hits.tolist()))
    flat = np.array([d for ds in all_delays for d in ds], dtype=np.float64)
    n_changes = int(flat.shape[0])
    found = flat[~np.isnan(flat)]
    tp = int(found.shape[0])
    precision = tp / n_det if n_det else math.nan
    recall = tp / n_changes if n_changes else math.nan
    # F1 = 2 TP / (2 TP + FP + FN), as scikit-learn computes it: 0 when every
    # change was missed with no detection at all (precision undefined), which
    # was NaN, and left out of to_metrics() as if nothing had been measured
    scored = 2 * tp + (n_det - tp) + (n_changes - tp)
    f1 = 2 * tp / scored if scored else math.nan
    rate = fa / n_samples
    return DetectorEvaluation(
        tolerance=tol,
        n_streams=len(values),
        n_samples=n_samples,
        n_changes=n_changes,
        n_detections=n_det,
        true_positives=tp,
        false_alarms=fa,
        missed=n_changes - tp,
        mean_delay=float(found.mean()) if tp else math.nan,
        delays=tuple(all_delays),
        false_alarm_rate=rate,
        false_alarms_per_100k=rate * _PER,
        precision=precision,
        recall=recall,
        f1=f1,
        detections=tuple(all_dets),
    )


@attrs.frozen(kw_only=True, eq=False)
class CalibrationResult:
    """The parameter value that meets a false-alarm target, found by simulation.

    Attributes
    ----------
    parameter : str
        Name of the calibrated parameter (for reports).
    value : float
        The least conservative value found whose simulated false-alarm rate
        is at most the target.
    achieved_rate : float
        False alarms per point at ``value`` on the simulated stationary data.
    target_rate : float
        The requested false alarms per point.
    achieved_per_100k, target_per_100k : float
        The same two rates per 100,000 points.
    n_samples : int
        Length of the simulated stationary stream.
    n_alarms : int
        Alarms at ``value`` on that stream.
    n_evaluations : int
        Number of detector runs the search used.
    bounds : tuple of float
        The search interval.

    Examples
    --------
    >>> from mllifecycle.drift.stream import CUSUM, calibrate
    >>> res = calibrate(lambda t: CUSUM(allowance=0.5, threshold=t), "threshold",
    ...                 target_false_alarm_rate=1e-3, bounds=(1.0, 20.0),
    ...                 generator=lambda rng, n: rng.standard_normal(n),
    ...                 n_samples=50_000, rtol=1e-2, rng=0)
    >>> type(res).__name__, res.achieved_rate <= 1e-3
    ('CalibrationResult', True)
    """

    parameter: str
    value: float
    achieved_rate: float
    target_rate: float
    achieved_per_100k: float
    target_per_100k: float
    n_samples: int
    n_alarms: int
    n_evaluations: int
    bounds: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-safe Python."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numeric fields as a flat ``name -> float`` mapping.

        The search ``bounds`` and the parameter name are left out, so
        ``mlflow.log_metrics(result.to_metrics())`` works as-is.
        """
        return flat_metrics(self.to_dict())

    def __repr__(self) -> str:
        return (
            f"CalibrationResult(parameter={self.parameter!r}, "
            f"value={format_value(self.value)}, "
            f"achieved_rate={format_value(self.achieved_rate)}, "
            f"target_rate={format_value(self.target_rate)}, "
            f"n_samples={self.n_samples}, n_alarms={self.n_alarms})"
        )

    def _repr_html_(self) -> str:
        rows = [[f.name, getattr(self, f.name)] for f in attrs.fields(type(self))]
        return html_table(rows, ["field", "value"], caption="CalibrationResult")


def _block_bootstrap(
    x: npt.NDArray[np.float64], n: int, block: int, gen: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Circular block bootstrap of ``x`` to length ``n`` (keeps local dependence)."""
    size = x.shape[0]
    block = max(1, min(block, size))
    n_blocks = -(-n // block)
    starts = gen.integers(0, size, n_blocks)
    idx = (starts[:, None] + np.arange(block)[None, :]) % size
    out: npt.NDArray[np.float64] = x[idx.ravel()[:n]]
    return out


def calibrate(
    make_detector: Callable[[float], Any],
    parameter: str,
    *,
    target_false_alarm_rate: float,
    bounds: tuple[float, float],
    stationary_stream: npt.ArrayLike | None = None,
    generator: Callable[[np.random.Generator, int], npt.ArrayLike] | None = None,
    n_samples: int | None = None,
    block_length: int = 100,
    rtol: float = 1e-3,
    rng: int | np.random.Generator | None = None,
    progress: bool | Callable[[int, int], Any] = False,
) -> CalibrationResult:
    """Find the parameter value that gives a requested false-alarm rate.

    The false-alarm rate is the number of detections **per point** on a
    stationary stream (no change), with the detector restarting after each
    detection as it does in use; 1e-3 means one false alarm per 1,000 points
    on average (an in-control average run length of about 1,000). The
    stationary data are simulated once (common random numbers), and the
    parameter is bisected (on a log scale when both bounds are positive)
    between ``bounds`` until the interval is within ``rtol``; the direction
    (larger = fewer alarms, like a threshold, or more alarms, like a
    confidence) is found from the rates at the two bounds.

    Parameters
    ----------
    make_detector : callable
        ``make_detector(value)`` returns a fresh detector with the parameter
        set to ``value``.
    parameter : str
        Name of the parameter (reported in the result).
    target_false_alarm_rate : float
        Wanted false alarms per point, in (0, 1).
    bounds : tuple of float
        ``(low, high)`` interval to search.
    stationary_stream : array-like, optional
        In-control data like the user's; resampled to ``n_samples`` with a
        circular block bootstrap (blocks of ``block_length``) so short-range
        dependence is kept. Give this or ``generator``.
    generator : callable, optional
        ``generator(rng, n)`` returns ``n`` stationary values.
    n_samples : int, optional
        Length of the simulated stream; default ``100 / target`` points,
        clipped to [100,000, 5,000,000], so that about 100 alarms are
        expected at the answer.
    block_length : int, default=100
        Block length of the bootstrap of ``stationary_stream``; at most the
        length of ``stationary_stream`` (ignored with ``generator``).
    rtol : float, default=1e-3
        Relative width of the final bisection interval.
    rng : int, numpy.random.Generator or None
        Seed or generator for the simulation.
    progress : bool or callable, default=False
        Report the detector runs of the search: True draws a bar (needs the
        ``progress`` extra, tqdm), a callable is called as
        ``progress(done, total)`` after each run. ``total`` is the number of
        runs the bisection needs at most (the two bounds plus its steps);
        the last call has ``done == total``.

    Returns
    -------
    CalibrationResult
        ``value`` and the achieved rate on the simulated data.

    Raises
    ------
    InvalidParameterError
        If even the most conservative bound gives too many alarms, or
        ``block_length`` exceeds the length of ``stationary_stream``.

    Examples
    --------
    >>> from mllifecycle.drift.stream import CUSUM, calibrate
    >>> res = calibrate(lambda t: CUSUM(allowance=0.5, threshold=t), "threshold",
    ...                 target_false_alarm_rate=1e-3, bounds=(1.0, 20.0),
    ...                 generator=lambda rng, n: rng.standard_normal(n),
    ...                 n_samples=100_000, rtol=1e-2, rng=0)
    >>> 5.0 < res.value < 7.0, res.achieved_rate <= 1e-3
    (True, True)
    """
    caller = "calibrate"
    check_callable(make_detector, "make_detector", caller)
    if not isinstance(parameter, str):
        fail("parameter", "a str naming the parameter", parameter, caller)
    target = check_scalar(
        target_false_alarm_rate, "target_false_alarm_rate", caller=caller,
        low=0.0, high=1.0, low_inclusive=False, high_inclusive=False,
    )
    if isinstance(bounds, np.ndarray) and bounds.shape == (2,):
        bounds = tuple(bounds.tolist())  # a pair too (it was refused as not one)
    if not isinstance(bounds, Sequence) or isinstance(bounds, str) or len(bounds) != 2:
        fail("bounds", "a (low, high) pair", bounds, caller)
    lo = check_scalar(bounds[0], "bounds", caller=caller)
    hi = check_scalar(bounds[1], "bounds", caller=caller)
    if not lo < hi:
        fail("bounds", "a (low, high) pair with low < high", bounds, caller)
    if (stationary_stream is None) == (generator is None):
        fail(
            "stationary_stream",
            "given, or generator given (exactly one of the two)",
            described("both" if generator is not None else "neither"),
            caller,
        )
    if n_samples is None:
        n = int(min(5_000_000, max(100_000, math.ceil(100.0 / target))))
    else:
        n = check_int(n_samples, "n_samples", caller=caller, low=100)
    blk = check_int(block_length, "block_length", caller=caller, low=1)
    tol = check_scalar(
        rtol, "rtol", caller=caller, low=0.0, high=1.0, low_inclusive=False
    )
    gen = check_rng(rng, caller=caller)
    if generator is not None:
        check_callable(generator, "generator", caller)
        data = check_1d(generator(gen, n), "generator(rng, n)", caller=caller)
        if data.shape[0] != n:
            fail("generator", f"a callable returning {n} values",
                 described(f"{data.shape[0]} values"), caller)
    else:
        base = check_1d(stationary_stream, "stationary_stream", caller=caller)
        if blk > base.shape[0]:
            # a block is cut from the stream: a longer one was silently the
            # whole stream, rotated, so the simulation only repeated it
            fail(
                "block_length",
                f"at most the length of stationary_stream ({base.shape[0]} "
                "values): a block of the circular block bootstrap is cut from "
                "it (pass a smaller block_length or a longer stream)",
                blk,
                caller,
            )
        data = _block_bootstrap(base, n, blk, gen)

    log_scale = lo > 0.0
    # (logs and halves: hi / lo and hi - lo overflow for bounds near the float limits)
    if log_scale:
        span = (math.log(hi) - math.log(lo)) / tol
    else:
        scale = max(abs(lo), abs(hi), min(1e-12, max(abs(lo), abs(hi))))
        span = (0.5 * hi - 0.5 * lo) / (tol * scale) * 2.0
    total_runs = 2 + max(0, math.ceil(math.log2(max(span, 1.0)))) + 1
    bar = make_progress(progress, total=total_runs, desc="calibrate", caller=caller)
    evaluations = 0
    made: list[Any] = []

    def alarms(value: float) -> int:
        nonlocal evaluations
        evaluations += 1
        det = make_detector(value)
        _check_detector(det, "make_detector(value)", caller)
        _check_fresh(det, made, caller)
        # a (user's) detector returning a 0/1 flag per value, or other than
        # increasing indices, had its answer's length counted as its alarms
        out = int(_detection_indices(det.update_many(data), n, caller).shape[0])
        if bar.done < bar.total - 1:
            bar.update()
        return out

    with bar:
        cons, a_cons = _bisect(
            alarms, lo, hi, target, n, tol, log_scale, caller
        )
        bar.update(bar.total - bar.done)
    rate = a_cons / n
    return CalibrationResult(
        parameter=parameter,
        value=float(cons),
        achieved_rate=rate,
        target_rate=target,
        achieved_per_100k=rate * _PER,
        target_per_100k=target * _PER,
        n_samples=n,
        n_alarms=a_cons,
        n_evaluations=evaluations,
        bounds=(lo, hi),
    )


def _bisect(
    alarms: Callable[[float], int],
    lo: float,
    hi: float,
    target: float,
    n: int,
    tol: float,
    log_scale: bool,
    caller: str,
) -> tuple[float, int]:
    """Bisect for the least conservative value with at most ``target * n`` alarms."""
    a_lo, a_hi = alarms(lo), alarms(hi)
    limit = target * n
    # the conservative end is the one with fewer alarms
    conservative_is_hi = a_hi <= a_lo
    cons, libe = (hi, lo) if conservative_is_hi else (lo, hi)
    a_cons, a_libe = (a_hi, a_lo) if conservative_is_hi else (a_lo, a_hi)
    if a_cons > limit:
        fail(
            "bounds",
            f"an interval whose conservative end gives at most {target!r} "
            "false alarms per point (widen the bounds)",
            described(f"{a_cons / n!r} false alarms per point at {cons!r}"),
            caller,
        )
    if a_libe <= limit:
        cons, a_cons = libe, a_libe
    else:
        # relative width; on a log scale purely relative (bounds below 1e-12,
        # such as (1e-20, 1e-15), were not bisected at all: an end was returned)
        floor = 0.0 if log_scale else min(1e-12, max(abs(lo), abs(hi)))
        while abs(cons - libe) > tol * max(abs(cons), abs(libe), floor):
            mid = _midpoint(cons, libe, log_scale)
            if mid in (cons, libe):
                break
            a_mid = alarms(mid)
            if a_mid <= limit:
                cons, a_cons = mid, a_mid
            else:
                libe = mid
    return cons, a_cons


_TINY = 2.2250738585072014e-308  # the smallest normal float64


def _midpoint(a: float, b: float, log_scale: bool) -> float:
    """Geometric (``log_scale``, both positive) or arithmetic midpoint of ``a`` and ``b``.

    Always strictly inside ``[min(a, b), max(a, b)]``: the product (or sum)
    of bounds near the float limits underflowed to 0 or overflowed to inf,
    and the bisection then tried, and could return, a value outside the
    bounds (``calibrate(bounds=(1e-300, 1e-200))`` answered 0.0).
    """
    if log_scale:
        prod = a * b
        if _TINY <= prod < math.inf:
            return math.sqrt(prod)
        mid = math.sqrt(a) * math.sqrt(b)
    else:
        total = a + b
        if -math.inf < total < math.inf:
            return 0.5 * total
        mid = 0.5 * a + 0.5 * b
    return min(max(mid, min(a, b)), max(a, b))
