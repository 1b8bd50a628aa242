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

import math
import numbers
from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_array, check_binary, fail

__all__ = [
    "FloatArray",
    "IndexArray",
    "as_errors",
    "as_reals",
    "error_value",
    "real_value",
    "StreamDetectorBase",
    "WarningDetectorBase",
    "last_true_index",
    "shifted_running_min",
    "shifted_running_max",
    "first_rise",
]

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.zeros(0, dtype=np.intp)
_MIN_WINDOW = 256
_SCALAR_GAP = 128
_MAX_WINDOW = 1 << 14


def error_value(x: Any, caller: str) -> int:
    """Return ``x`` as 0 or 1, or raise for anything that is not a 0/1 error flag."""
    if isinstance(x, bool | np.bool_):
        return int(x)
    if isinstance(x, numbers.Real) and not isinstance(x, np.ndarray):
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
    if isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_):
        v = float(x)
        if math.isfinite(v):
            return v
    fail("x", "a finite real number (NaN and infinities are rejected)", x, caller)


def as_errors(xs: Any, caller: str) -> FloatArray:
    """Validate a 1-D array of error flags in {0, 1}; return float64 (may be empty)."""
    return check_binary(xs, "xs", caller)


def as_reals(xs: Any, caller: str) -> FloatArray:
    """Validate a 1-D array of finite reals; return float64 (may be empty)."""
    return check_array(xs, "xs", caller=caller, ndim=1, min_samples=0)


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


_BLOCK = 64
_MAX_CANDIDATES = 8


def first_rise(v: FloatArray, init: float, threshold: float, start: int = 0) -> int:
    """First ``t >= start`` with ``v[t] - min(init, v[0], ..., v[t]) > threshold``.

    Returns -1 when there is none. Exact (``min`` does not round), but avoids
    a full ``numpy.minimum.accumulate``: block minima and maxima bound the
    rise in each block of 64 values, and the running minimum is computed only
    in the few blocks whose bound exceeds the threshold.
    """
    m = v.shape[0]
    if m == 0 or start >= m:
        return -1
    starts = np.arange(0, m, _BLOCK)
    bmin = np.minimum.reduceat(v, starts)
    bmax = np.maximum.reduceat(v, starts)
    prev = shifted_running_min(bmin, init)
    bound = bmax - np.minimum(prev, bmin)
    cand = np.flatnonzero(bound > threshold)
    cand = cand[(cand + 1) * _BLOCK > start]
    for j, b in enumerate(cand.tolist()):
        s = b * _BLOCK
        e = m if j == _MAX_CANDIDATES - 1 else min(m, s + _BLOCK)
        seg = v[s:e]
        run = np.minimum.accumulate(seg)
        np.minimum(run, prev[b], out=run)
        hits = np.flatnonzero(seg - run > threshold)
        if s < start:
            hits = hits[hits >= start - s]
        if hits.shape[0]:
            return s + int(hits[0])
        if e == m:
            return -1
    return -1


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
    ``_scan(block) -> (offset of the first detection or -1, warning flags)``.
    ``_scan`` starts from the current state (never in the detected state),
    stops at the first detection and leaves the state as after that element
    (or after the whole block when nothing fires).
    """

    _binary: ClassVar[bool] = False
    _has_warning: ClassVar[bool] = False

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

    def _validate_many(self, xs: Any) -> FloatArray:
        caller = f"{type(self).__name__}.update_many"
        return as_errors(xs, caller) if self._binary else as_reals(xs, caller)

    def _run_many(self, xs: Any) -> tuple[IndexArray, IndexArray]:
        arr = self._validate_many(xs)
        n = arr.shape[0]
        if n == 0:
            return _EMPTY_INDEX, _EMPTY_INDEX
        drifts: list[int] = []
        warn_parts: list[npt.NDArray[np.bool_]] = []
        pos = 0
        start = 0  # where the current run (since the last detection) began
        avg_gap = float(_MAX_WINDOW)  # running estimate of the detection gap
        window = _MIN_WINDOW
        update = getattr(self, "update")  # noqa: B009 - defined by subclasses
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
                    warn_parts.append(np.asarray(flags, dtype=bool))
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
                d, warn = self._scan(arr[pos:end])
                if warn is not None:
                    warn_parts.append(warn)
                if d < 0:
                    window = min(2 * window, _MAX_WINDOW)
            if d < 0:
                pos = end
            else:
                drifts.append(pos + d)
                pos += d + 1
                gap = pos - start
                start = pos
                avg_gap = 0.5 * avg_gap + 0.5 * gap
                window = min(max(_MIN_WINDOW, gap + gap // 4), _MAX_WINDOW)
        out = np.asarray(drifts, dtype=np.intp)
        if warn_parts:
            warnings = np.flatnonzero(np.concatenate(warn_parts)).astype(np.intp)
        else:
            warnings = _EMPTY_INDEX
        return out, warnings


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
