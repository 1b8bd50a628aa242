"""Private helpers shared by the streaming change detectors.

Conventions
-----------
* ``update(x)`` takes one value; ``update_many(xs)`` takes a 1-D array-like
  and returns the indices *into* ``xs`` (``numpy.intp``, increasing) at which
  a change was detected.
* Detectors of error rates take ``error`` values in {0, 1} (``1`` = the model
  was wrong; ``True``/``False`` accepted) and reject anything else; detectors
  of real values take finite floats and reject NaN and infinities.
* After a detection the detector restarts from scratch on the *next* value,
  as River's detectors do: ``drift_detected`` stays True until then.
* ``update_many`` processes the stream in windows: for each window it
  computes the detector's statistics for every element at once with NumPy
  (cumulative sums, running minima, ``scipy.signal.lfilter`` for exponential
  recursions), finds the first detection, restarts after it and carries on,
  so the Python loop runs over detections and windows, not over elements.
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_array, check_binary, described, fail

__all__ = [
    "NO_WARNINGS",
    "FloatArray",
    "IndexArray",
    "as_errors",
    "refuse_complex",
    "refuse_text",
    "as_reals",
    "error_value",
    "real_value",
    "StreamDetectorBase",
    "WarningDetectorBase",
    "error_mask",
    "float_range",
    "last_true_index",
    "shifted_running_min",
    "shifted_running_max",
    "first_rise",
    "first_rise_blocked",
    "lfilter1",
]

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.zeros(0, dtype=np.intp)
_MIN_WINDOW = 256
_SCALAR_GAP = 128
_RESTART_WINDOW = 512  # smallest first window after a detection (then doubling)
_RESTART_FACTOR = 0.5  # first window after a detection, in mean gaps
_MAX_WINDOW = 1 << 14
# a call of at most this many values is first scanned in one window: each
# vectorised scan has a fixed cost of tens of microseconds, so for a short
# call one scan of it all beats doubling windows (256 + 512 + ...) even when
# an early detection wastes part of it; longer calls start at _MIN_WINDOW
_WHOLE_CALL = 4096


# NumPy's datetime64 and timedelta64 scalars: timedelta64 is registered as a
# numbers.Real (an integer) and compares equal to ints, float() of a datetime
# gives nanoseconds since 1970; neither is a value a detector should read
_TIMES = np.datetime64 | np.timedelta64
# a Decimal is a number (no numbers.Real), read as one by update_many's arrays
# (and by the batch tests): update() refused it
_REALS = numbers.Real | decimal.Decimal


def _decimal_nan(x: Any) -> bool:
    """Whether ``x`` is a Decimal NaN (a signalling one raises in ``==`` and ``float``)."""
    return isinstance(x, decimal.Decimal) and x.is_nan()


def error_value(x: Any, caller: str) -> int:
    """Return ``x`` as 0 or 1, or raise for anything that is not a 0/1 error flag."""
    if isinstance(x, bool | np.bool_):
        return int(x)
    if isinstance(x, _REALS) and not isinstance(x, np.ndarray | _TIMES) and not _decimal_nan(x):
        if x == 1:
            return 1
        if x == 0:
            return 0
    fail(
        "x",
        "an error flag in {0, 1} (1 = the model was wrong; True/False accepted)",
        x,
        caller,
    )


def real_value(x: Any, caller: str) -> float:
    """Return ``x`` as a finite Python float, or raise."""
    if (isinstance(x, _REALS) and not isinstance(x, bool | np.bool_ | _TIMES)
            and not _decimal_nan(x)):
        try:
            v = float(x)
        except OverflowError:  # an int beyond the float range (10**400)
            v = math.inf
        if math.isfinite(v):
            return v
    fail("x", "a finite real number (NaN and infinities are rejected)", x, caller)


def refuse_complex(xs: Any, caller: str) -> Any:
    """Raise for complex input (never truncate it to its real part); else pass it on.

    Lists and other sequences come back as the array NumPy makes of them, so
    the caller's validation does not convert them a second time.
    """
    if not isinstance(xs, np.ndarray):
        try:
            arr = np.asarray(xs)
        except (ValueError, TypeError):
            return xs  # ragged or odd input: the caller's validation explains
        if arr.dtype.kind == "O":
            return xs
        xs = arr
    if xs.dtype.kind == "c":
        fail(
            "xs",
            "real values (complex input is refused rather than truncated to "
            "its real part; pass x.real if that is what you mean)",
            described(f"an array of dtype {xs.dtype}"),
            caller,
        )
    return xs


def refuse_text(xs: Any, caller: str) -> Any:
    """Raise for strings (NumPy would parse "1.5" as 1.5; ``update`` refuses them).

    Also raises for datetimes and durations (NumPy would read their integer
    counts) and for ints beyond the float range (NumPy's bare OverflowError).

    For the built-in detectors only: a user's detector fed through
    :func:`~mllifecycle.drift.stream.update_many_from_update` may take text.
    Returns ``xs`` after :func:`refuse_complex`.
    """
    xs = refuse_complex(xs, caller)
    arr = xs
    if not isinstance(arr, np.ndarray):  # a sequence NumPy made an object array of
        try:
            arr = np.asarray(xs, dtype=object)
        except (TypeError, ValueError):
            return xs  # ragged: the caller's validation explains
    kind = arr.dtype.kind
    items = arr.ravel().tolist() if kind == "O" else []
    if kind in "mM" or any(isinstance(v, _TIMES) for v in items):
        # NumPy casts datetimes and durations to their integer counts (nanoseconds
        # since 1970 for a pandas datetime column), which update() refuses
        fail(
            "xs",
            "numbers, not datetimes or durations (update() refuses them too; "
            "convert explicitly, e.g. to seconds, if a number is meant)",
            described(f"an array of dtype {arr.dtype}"
                      + (" holding NumPy datetimes or durations" if items else "")),
            caller,
        )
    if kind in "US" or any(isinstance(v, str | bytes) for v in items):
        fail(
            "xs",
            "numeric (strings are not numbers, even ones that parse as numbers, "
            "as in update(); convert them with float first)",
            described("an array holding strings"),
            caller,
        )
    for i, v in enumerate(items):
        if isinstance(v, int):
            try:
                float(v)
            except OverflowError:  # NumPy's conversion would raise it bare
                fail(
                    "xs",
                    "finite real numbers (this int is beyond the float range, "
                    "as update() refuses it)",
                    described(f"an int of {len(str(abs(v)))} digits at index {i}"),
                    caller,
                )
    return xs


_FLOAT64 = np.dtype(np.float64)
_count_nonzero = np.count_nonzero


def error_mask(xs: Any) -> npt.NDArray[np.bool_] | None:
    """``xs == 1`` for a 1-D float64 array of 0/1 flags; None for any other input.

    The common case of :func:`as_errors` (replay feeds float64 blocks), in
    three NumPy calls and no temporary float array: every element is 0 or 1
    exactly when every nonzero element equals 1, i.e. when the count of ones
    is the count of nonzero elements (NaN is nonzero and not 1; -0.0 is 0).
    None sends the caller to the full validation, which also explains what
    is wrong.
    """
    if type(xs) is not np.ndarray or xs.ndim != 1 or xs.dtype != _FLOAT64:
        return None
    ones: npt.NDArray[np.bool_] = xs == 1.0
    if _count_nonzero(ones) != _count_nonzero(xs):
        return None
    return ones


def as_errors(xs: Any, caller: str) -> FloatArray:
    """Validate a 1-D array of error flags in {0, 1}; return float64 (may be empty)."""
    if error_mask(xs) is not None:
        return xs  # type: ignore[no-any-return]  # a float64 ndarray, checked
    return check_binary(refuse_text(xs, caller), "xs", caller)


def as_reals(xs: Any, caller: str) -> FloatArray:
    """Validate a 1-D array of finite reals; return float64 (may be empty).

    Booleans are refused, as by :func:`real_value` (``update``).
    """
    if (
        type(xs) is np.ndarray
        and xs.ndim == 1
        and xs.dtype == _FLOAT64
        and xs.shape[0]
        and math.isfinite(np.minimum.reduce(xs))
        and math.isfinite(np.maximum.reduce(xs))
    ):
        # the common case in two reductions (NaN propagates through both):
        # check_array's own finiteness test builds a boolean array
        return xs
    xs = refuse_text(xs, caller)
    kind = getattr(getattr(xs, "dtype", None), "kind", None)
    if kind == "b" or (
        kind == "O" and any(isinstance(v, bool | np.bool_) for v in np.ravel(xs).tolist())
    ):
        fail(
            "xs",
            "finite real numbers (booleans are refused, as by update(); "
            "pass xs.astype(float) if 0/1 is meant)",
            described("booleans"),
            caller,
        )
    return check_array(xs, "xs", caller=caller, ndim=1, min_samples=0)


_FLOAT_RANGE_CAP = 1 << 16
_FLOAT_RANGE: list[FloatArray] = []


def float_range(start: int, m: int) -> FloatArray:
    """``start, start + 1, ..., start + m - 1`` as float64 (a cached view when small)."""
    if start < 0 or start + m > _FLOAT_RANGE_CAP:
        return np.arange(start, start + m, dtype=np.float64)
    if not _FLOAT_RANGE:
        table = np.arange(_FLOAT_RANGE_CAP, dtype=np.float64)
        table.setflags(write=False)
        _FLOAT_RANGE.append(table)
    return _FLOAT_RANGE[0][start : start + m]


def last_true_index(mask: npt.NDArray[np.bool_]) -> IndexArray:
    """For each position, the index of the last True at or before it (-1 if none)."""
    m = mask.shape[0]
    hits = np.flatnonzero(mask)
    if hits.shape[0] == 0:
        return np.full(m, -1, dtype=np.intp)
    values = np.empty(hits.shape[0] + 1, dtype=np.intp)
    values[0] = -1
    values[1:] = hits
    edges = np.empty(hits.shape[0] + 2, dtype=np.intp)
    edges[0] = 0
    edges[1:-1] = hits
    edges[-1] = m
    out: IndexArray = np.repeat(values, np.diff(edges))
    return out


# returned by a ``_scan`` whose block had no element in the warning zone
# (saves building and searching an all-False array of the block's length)
NO_WARNINGS: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
NO_WARNINGS.flags.writeable = False



def first_rise(
    v: npt.NDArray[np.float64],
    init: float | npt.NDArray[np.float64],
    threshold: float,
    start: int = 0,
) -> int:
    """First ``t >= start`` with ``v[t] - min(init, v[0], ..., v[t]) > threshold``.

    ``v`` may be 1-D, or 2-D with one row per statistic (and ``init`` one
    value per row): then the first ``t`` at which *any* row rises. Returns -1
    when there is none. Exact (``min`` does not round), and usually without
    a running minimum: with ``low`` a row's overall minimum (first reached at
    ``s``), the rise at ``t`` is at most ``v[t] - low`` (rounding is
    monotone), so no hit comes before ``t0``, the first ``t`` where that bound
    exceeds the threshold; when ``s <= t0`` the running minimum at ``t0`` is
    ``low``, so ``t0`` is the hit (see :func:`_first_rise_row` otherwise).
    """
    rows = v if v.ndim == 2 else v[None, :]
    k, m = rows.shape
    if m == 0 or start >= m:
        return -1
    inits = np.asarray(init, dtype=np.float64).reshape(-1)
    where = rows.argmin(axis=1)
    lows = rows.min(axis=1)
    use_init = inits <= lows
    np.minimum(lows, inits, out=lows)
    reach = np.subtract(rows[:, start:], lows[:, None]) > threshold
    firsts = reach.argmax(axis=1)
    best = -1
    for r in range(k):
        t0 = int(firsts[r])
        if not reach[r, t0]:
            continue  # this row never rises enough in the window
        t0 += start
        if best >= 0 and t0 >= best:
            continue
        s = -1 if use_init[r] else int(where[r])
        if s <= t0:
            best = t0
            continue
        if best < 0:  # the whole window: its minimum and t0 are known
            hit = _rise_between(rows[r], float(inits[r]), threshold, t0, s, float(lows[r]))
        else:
            hit = _first_rise_row(rows[r], float(inits[r]), threshold, start, best)
        if hit >= 0:
            best = hit
    return best


def _first_rise_row(
    row: npt.NDArray[np.float64],
    init: float,
    threshold: float,
    start: int,
    stop: int,
) -> int:
    """First ``start <= t < stop`` with ``row[t] - min(init, row[:t+1]) > threshold``.

    With ``low`` the minimum of ``init`` and ``row[:stop]`` (first reached at
    ``s``), no hit comes before ``t0``, the first ``t`` with ``row[t] - low >
    threshold``, and from ``s`` on the running minimum is ``low``; so a
    running minimum is needed only between ``t0`` and ``s``, seeded with the
    minimum before ``t0``. Returns -1 when there is no hit.
    """
    if start >= stop:
        return -1
    seg = row[:stop]
    s = int(seg.argmin())
    low = float(seg[s])
    if init <= low:
        low, s = init, -1
    reach = np.subtract(seg[start:], low) > threshold
    t0 = int(reach.argmax())
    if not reach[t0]:
        return -1
    t0 += start
    if s <= t0:
        return t0
    return _rise_between(seg, init, threshold, t0, s, low)


def _rise_between(
    seg: npt.NDArray[np.float64], init: float, threshold: float, t0: int, s: int, low: float
) -> int:
    """Return the first hit in ``seg``, given none before ``t0`` and ``low = seg[s]``.

    A running minimum (seeded with the minimum before ``t0``) decides between
    ``t0`` and ``s``; from ``s`` on the running minimum is ``low``.
    """
    seed = init if t0 == 0 else min(init, float(seg[:t0].min()))
    mid = seg[t0:s]
    run = np.minimum.accumulate(mid)
    np.minimum(run, seed, out=run)
    np.subtract(mid, run, out=run)
    mask = run > threshold
    j = int(mask.argmax())  # the first True (argmax stops at it)
    if mask[j]:
        return t0 + j
    after = np.subtract(seg[s:], low) > threshold
    j = int(after.argmax())
    return s + j if after[j] else -1


_BLOCK = 64
_MAX_CANDIDATES = 8
_DIRECT = 2048


def first_rise_blocked(
    v: npt.NDArray[np.float64],
    init: float | npt.NDArray[np.float64],
    threshold: float,
    start: int = 0,
) -> int:
    """:func:`first_rise` by block bounds and running minima (for falling series).

    First ``t >= start`` with ``v[t] - min(init, v[0], ..., v[t]) > threshold``.
    Suits series that drift downwards (CUSUM's sums), whose overall minimum
    comes late, where :func:`first_rise`'s shortcut rarely applies.

    ``v`` may be 1-D, or 2-D with one row per statistic (and ``init`` one
    value per row): then the first ``t`` at which *any* row rises. Returns -1
    when there is none. Exact (``min`` does not round), but avoids a full
    ``numpy.minimum.accumulate``: block minima and maxima bound the rise in
    each block of 64 values, and running minima are computed only in the few
    blocks whose bound exceeds the threshold.
    """
    rows = v if v.ndim == 2 else v[None, :]
    k, m = rows.shape
    inits = np.asarray(init, dtype=np.float64).reshape(-1)
    if m == 0 or start >= m:
        return -1
    low = np.minimum(rows.min(axis=1), inits)
    if not ((rows.max(axis=1) - low) > threshold).any():
        return -1  # not even the whole window's range exceeds the threshold
    if m <= _DIRECT:  # small windows: one running minimum is cheaper
        run = np.minimum.accumulate(rows, axis=1)
        np.minimum(run, inits[:, None], out=run)
        np.subtract(rows, run, out=run)
        top = run[0] if k == 1 else run.max(axis=0)
        mask = top[start:] > threshold
        j = int(mask.argmax())  # the first True (argmax stops at it)
        return start + j if mask[j] else -1
    full = m // _BLOCK
    if full * _BLOCK == m:
        blocks = rows.reshape(k, full, _BLOCK)
        bmin = blocks.min(axis=2)
        bmax = blocks.max(axis=2)
    else:
        nb = full + 1
        bmin = np.empty((k, nb))
        bmax = np.empty((k, nb))
        if full:
            blocks = rows[:, : full * _BLOCK].reshape(k, full, _BLOCK)
            np.min(blocks, axis=2, out=bmin[:, :full])
            np.max(blocks, axis=2, out=bmax[:, :full])
        np.min(rows[:, full * _BLOCK :], axis=1, out=bmin[:, full])
        np.max(rows[:, full * _BLOCK :], axis=1, out=bmax[:, full])
    prev = np.empty_like(bmin)
    prev[:, 0] = inits
    np.minimum.accumulate(bmin[:, :-1], axis=1, out=prev[:, 1:])
    np.minimum(prev, inits[:, None], out=prev)
    bound = bmax - np.minimum(prev, bmin)
    cand = np.flatnonzero((bound > threshold).any(axis=0))
    cand = cand[(cand + 1) * _BLOCK > start]
    for j, b in enumerate(cand.tolist()):
        s = b * _BLOCK
        e = m if j == _MAX_CANDIDATES - 1 else min(m, s + _BLOCK)
        seg = rows[:, s:e]
        run = np.minimum.accumulate(seg, axis=1)
        np.minimum(run, prev[:, b : b + 1], out=run)
        hits = np.flatnonzero((seg - run > threshold).any(axis=0))
        if s < start:
            hits = hits[hits >= start - s]
        if hits.shape[0]:
            return s + int(hits[0])
        if e == m:
            return -1
    return -1


def lfilter1(a: float, x: FloatArray, zi: float) -> FloatArray:
    """``y[t] = x[t] + a * y[t-1]`` with ``a * y[-1] = zi``, evaluated in C.

    The same arithmetic, in the same order, as the scalar loop
    ``y = x + a * y`` (``scipy.signal.lfilter``; its private C routine is
    called directly when available, to save the wrapper's per-call cost).
    """
    global _LINEAR_FILTER
    b_coef = _ONE
    a_coef = _DENOMINATORS.get(a)
    if a_coef is None:
        if len(_DENOMINATORS) > 64:
            _DENOMINATORS.clear()
        a_coef = _DENOMINATORS[a] = np.array([1.0, -a])
    zi_arr = np.array([zi])
    if _LINEAR_FILTER is None:
        # SciPy's private C routine through the one shim module (its public
        # lfilter is the fallback when a SciPy release moves it); cached here
        # because the wrapper's per-call cost matters in update_many
        from mllifecycle._scipy_shim import private

        found = private("_linear_filter")
        if found is None:  # pragma: no cover - other SciPy layouts
            from scipy.signal import lfilter

            def found(b: Any, a_: Any, x_: Any, axis: int, z: Any) -> Any:
                return lfilter(b, a_, x_, axis=axis, zi=z)

        _LINEAR_FILTER = found
    out = _LINEAR_FILTER(b_coef, a_coef, x, -1, zi_arr)[0]
    return np.asarray(out, dtype=np.float64)


_ONE = np.array([1.0])
_DENOMINATORS: dict[float, FloatArray] = {}  # [1, -a] per forgetting factor a
_LINEAR_FILTER: Any = None


def shifted_running_min(values: FloatArray, initial: float) -> FloatArray:
    """``out[t] = min(initial, values[:t])`` (the minimum *before* position t)."""
    out = np.empty_like(values)
    if values.shape[0]:
        out[0] = initial
        np.minimum.accumulate(values[:-1], out=out[1:])
        np.minimum(out, initial, out=out)
    return out


def shifted_running_max(values: FloatArray, initial: float) -> FloatArray:
    """``out[t] = max(initial, values[:t])`` (the maximum *before* position t)."""
    out = np.empty_like(values)
    if values.shape[0]:
        out[0] = initial
        np.maximum.accumulate(values[:-1], out=out[1:])
        np.maximum(out, initial, out=out)
    return out


@attrs.define(slots=True)
class StreamDetectorBase:
    """Shared machinery: the window loop behind ``update_many`` and the flags.

    Subclasses implement ``update``, ``_reset_state`` and
    ``_scan(block) -> (offset of the first detection or -1, warning flags)``;
    the flags are None for a detector without a warning zone, and may be
    :data:`NO_WARNINGS` when no element of the block was in it.
    ``_scan`` starts from the current state (never in the detected state),
    stops at the first detection and leaves the state as after that element
    (or after the whole block when nothing fires).
    """

    _binary: ClassVar[bool] = False
    _has_warning: ClassVar[bool] = False
    # first window after a detection, in mean gaps between detections: a
    # detector whose per-element work is cheap next to its fixed cost per
    # window (Page-Hinkley) gains from a window that usually holds the next
    # detection; one with costlier elements from a smaller one
    _restart_factor: ClassVar[float] = _RESTART_FACTOR
    # whether a scan can overflow (real values near the float limits) and
    # needs NumPy's warnings silenced; detectors of 0/1 errors whose scans
    # stay finite skip that context manager (a short call's fixed cost)
    _needs_errstate: ClassVar[bool] = True
    # whether a miss of the first window after a detection is followed by a
    # window of the same size (rather than one twice as long)
    _repeat_restart_window: ClassVar[bool] = False

    _drift_detected: bool = attrs.field(init=False, default=False, repr=False)

    @property
    def drift_detected(self) -> bool:
        """Whether the last value fed triggered a detection."""
        return self._drift_detected

    def reset(self) -> None:
        """Forget everything seen: back to the state right after construction."""
        self._reset_state()

    def _reset_state(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_] | None]:
        raise NotImplementedError  # pragma: no cover - overridden

    def _scan_final(
        self, block: FloatArray, final: bool
    ) -> tuple[int, npt.NDArray[np.bool_] | None]:
        """``_scan`` as called by ``update_many``'s window loop.

        ``final`` is True when ``block`` ends the call. When it is not, a
        detector may leave its state unfinished after a detection (the next
        value restarts it): Page-Hinkley saves its last pass that way.
        """
        return self._scan(block)

    def update_many(self, xs: npt.ArrayLike) -> IndexArray:
        """Feed many values at once; return the indices of detections.

        Gives exactly the detections, and the same final state, as calling
        ``update`` on each element in turn, but computed with vectorised
        NumPy: the Python loop runs over detections and windows, not elements.

        Parameters
        ----------
        xs : array-like of shape (n,)
            The values, in stream order. An empty array is a no-op.

        Returns
        -------
        numpy.ndarray of numpy.intp
            Increasing indices into ``xs`` at which a change was detected.
        """
        drifts, _ = self._run_many(xs)
        return drifts

    def _warning_flag(self) -> bool:
        return False

    def _scan_by_update(
        self, block: FloatArray
    ) -> tuple[int, npt.NDArray[np.bool_] | None]:
        """``_scan`` done with plain ``update`` calls (exact by construction).

        The vectorised ``_scan`` of a detector falls back on this when its
        array arithmetic left the finite range (values near the float limits),
        where NumPy's NaN propagation (``minimum.accumulate``) and Python's
        comparisons (``u < u_min`` is False for NaN) part ways.
        """
        update = getattr(self, "update")  # noqa: B009 - defined by subclasses
        flags: list[bool] | None = [] if self._has_warning else None
        hit = -1
        for i, x in enumerate(block.tolist()):
            fired = update(x)
            if flags is not None:
                flags.append(self._warning_flag())
            if fired:
                hit = i
                break
        return hit, None if flags is None else np.asarray(flags, dtype=bool)

    def _validate_many(self, xs: Any) -> FloatArray:
        if self._binary and error_mask(xs) is not None:
            return xs  # type: ignore[no-any-return]  # a float64 ndarray of 0/1, checked
        # (the caller's name only for the full validation, which may explain an error)
        caller = f"{type(self).__name__}.update_many"
        return as_errors(xs, caller) if self._binary else as_reals(xs, caller)

    def _run_many(self, xs: Any) -> tuple[IndexArray, IndexArray]:
        arr = self._validate_many(xs)
        n = arr.shape[0]
        if n == 0:
            return _EMPTY_INDEX, _EMPTY_INDEX
        if n > _WHOLE_CALL:
            update = getattr(self, "update")  # noqa: B009 - defined by subclasses
            drifts: list[int] = []
            warn_parts: list[IndexArray] = []  # indices into xs, window by window
            with np.errstate(over="ignore", invalid="ignore"):
                # overflow near the float limits is detected in _scan, which
                # then falls back on update() (Python's float arithmetic does
                # not warn); entered once per call, so kept for every detector
                self._loop_many(arr, drifts, warn_parts, _MIN_WINDOW, update)
            return _indices(drifts), _joined(warn_parts)
        # a short call (replay feeds ~100 values at a time) is one scan of it
        # all: done here, without the window loop's bookkeeping, which costs
        # a fair part of a short scan; the loop takes over only after a
        # detection before the last value
        if self._drift_detected:
            self._reset_state()
        if self._needs_errstate:
            with np.errstate(over="ignore", invalid="ignore"):
                d, warn = self._scan_final(arr, True)
        else:
            d, warn = self._scan_final(arr, True)
        warnings = _EMPTY_INDEX
        if warn is not None and warn.shape[0]:
            warnings = warn.nonzero()[0]  # flatnonzero's wrapper costs more
        if d < 0:
            return np.empty(0, dtype=np.intp), warnings
        drifts = [d]
        if d < n - 1:
            warn_parts = [warnings] if warnings.shape[0] else []
            update = getattr(self, "update")  # noqa: B009 - defined by subclasses
            with np.errstate(over="ignore", invalid="ignore"):
                self._loop_many(arr, drifts, warn_parts, n, update, d + 1)
            warnings = _joined(warn_parts)
        return _indices(drifts), warnings

    def _loop_many(
        self,
        arr: FloatArray,
        drifts: list[int],
        warn_parts: list[IndexArray],
        window: int,
        update: Any,
        pos: int = 0,
    ) -> None:
        """Run ``update_many``'s window loop from ``pos`` on.

        ``pos > 0`` continues a call whose first scan detected a change at
        ``pos - 1`` (the only detection in ``drifts``).
        """
        n = arr.shape[0]
        start = pos  # where the current run (since the last detection) began
        avg_gap = float(pos if pos else _MAX_WINDOW)  # estimate of the detection gap
        fresh = pos > 0  # a detection, and no miss since
        if fresh:  # the first window after a detection, as below
            window = int(min(max(_RESTART_WINDOW, self._restart_factor * avg_gap), _MAX_WINDOW))
        repeat = self._repeat_restart_window
        while pos < n:
            if self._drift_detected:
                self._reset_state()
            if avg_gap < _SCALAR_GAP:
                # detections come thick and fast: plain update() calls are
                # cheaper than vectorised windows, and give the same result
                end = min(n, pos + int(min(2 * _MIN_WINDOW, 8 + 2 * avg_gap)))
                d = -1
                chunk = arr[pos:end].tolist()
                if self._has_warning:
                    flags: list[bool] = []
                    for i, x in enumerate(chunk):
                        hit = update(x)
                        flags.append(self._warning_flag())
                        if hit:
                            d = i
                            break
                    if any(flags):
                        warn_parts.append(np.flatnonzero(flags) + pos)
                else:
                    for i, x in enumerate(chunk):
                        if update(x):
                            d = i
                            break
                if d < 0:
                    avg_gap = max(avg_gap, float(end - start))
                    window = _MIN_WINDOW
            else:
                end = min(n, pos + window)
                d, warn = self._scan_final(arr[pos:end], end == n)
                if warn is not None and warn.shape[0]:
                    hits = warn.nonzero()[0]  # flatnonzero's wrapper costs more
                    if hits.shape[0]:
                        warn_parts.append(hits + pos)
                if d < 0:
                    if fresh:
                        fresh = False
                        if not repeat:
                            window = min(2 * window, _MAX_WINDOW)
                    else:
                        window = min(2 * window, _MAX_WINDOW)
            if d < 0:
                pos = end
            else:
                drifts.append(pos + d)
                pos += d + 1
                gap = pos - start
                start = pos
                avg_gap = gap if len(drifts) == 1 else 0.5 * avg_gap + 0.5 * gap
                first = max(_RESTART_WINDOW, self._restart_factor * avg_gap)
                window = int(min(first, _MAX_WINDOW))
                fresh = True


def _indices(drifts: list[int]) -> IndexArray:
    return np.array(drifts, dtype=np.intp)


def _joined(parts: list[IndexArray]) -> IndexArray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else _EMPTY_INDEX


@attrs.define(slots=True)
class WarningDetectorBase(StreamDetectorBase):
    """A detector that also has a warning zone (``warning_detected``).

    ``update_many`` records in ``warnings_`` the indices (into the ``xs`` of
    the latest ``update_many`` call) after which ``warning_detected`` was True,
    exactly as calling ``update`` element by element would show them.
    """

    _has_warning: ClassVar[bool] = True

    _warning_detected: bool = attrs.field(init=False, default=False, repr=False)
    warnings_: IndexArray = attrs.field(
        init=False, factory=lambda: _EMPTY_INDEX.copy(), repr=False, eq=False
    )

    @property
    def warning_detected(self) -> bool:
        """Whether the detector is in its warning zone after the last value."""
        return self._warning_detected

    def _warning_flag(self) -> bool:
        return self._warning_detected

    def reset(self) -> None:
        """Forget everything seen: back to the state right after construction.

        ``warnings_`` is emptied too (it described values fed before).
        """
        self._reset_state()
        self.warnings_ = _EMPTY_INDEX.copy()

    def update_many(self, xs: npt.ArrayLike) -> IndexArray:
        """Feed many values at once; return the indices of detections.

        Gives exactly the detections, and the same final state, as calling
        ``update`` on each element in turn, but computed with vectorised
        NumPy: the Python loop runs over detections and windows, not elements.
        The indices at which ``warning_detected`` was True are stored in the
        ``warnings_`` attribute.

        Parameters
        ----------
        xs : array-like of shape (n,)
            The values, in stream order. An empty array is a no-op.

        Returns
        -------
        numpy.ndarray of numpy.intp
            Increasing indices into ``xs`` at which a change was detected.
        """
        drifts, warnings = self._run_many(xs)
        self.warnings_ = warnings
        return drifts
