"""The Page-Hinkley test for a change in the mean (Page 1954)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_int, check_option, check_scalar
from mllifecycle.drift.stream._base import (
    _MAX_WINDOW,
    FloatArray,
    StreamDetectorBase,
    lfilter1,
    real_value,
)

__all__ = ["PageHinkley"]


@attrs.define(slots=True)
class PageHinkley(StreamDetectorBase):
    r"""Page-Hinkley test for a change in the mean of real values.

    With :math:`\bar x_t` the mean of the values since the last restart, the
    test accumulates the deviations with a forgetting factor :math:`\gamma`:

    .. math::

        U_t = \gamma U_{t-1} + (x_t - \bar x_t - \delta), \qquad
        L_t = \gamma L_{t-1} + (x_t - \bar x_t + \delta),

    and signals an increase when :math:`U_t - \min_{s \le t} U_s > \lambda`, a
    decrease when :math:`\max_{s \le t} L_s - L_t > \lambda` (``mode``
    chooses which), once ``grace_period`` values were seen. After a change
    it restarts on the next value. The semantics are those of River's
    ``drift.PageHinkley``.

    Parameters
    ----------
    grace_period : int, default=30
        Number of values to see before a change can be signalled (River's
        ``min_instances``).
    delta : float, default=0.005
        :math:`\delta >= 0`, the magnitude of change that is tolerated.
    threshold : float, default=50.0
        :math:`\lambda > 0`, the detection threshold.
    forgetting_factor : float, default=0.9999
        :math:`\gamma`, in (0, 1]; 1 forgets nothing (River's ``alpha``).
    mode : {"both", "up", "down"}, default="both"
        Detect increases, decreases or both.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value triggered a detection.

    Notes
    -----
    Input: finite real values; NaN and infinities raise
    :class:`~mllifecycle.exceptions.InvalidParameterError`. The running mean
    is kept as a running sum divided by the count, of the values minus the
    first since the restart (so a constant stream deviates by exactly 0 at
    any magnitude, as with River's incremental mean), and the recursions are
    evaluated as ``(dev - delta) + forgetting_factor * U``; River updates the mean
    incrementally and adds the terms in another order, so the statistics
    agree to rounding error and the detections agree except where a
    statistic ties the threshold to within that error.

    References
    ----------
    .. [1] Page, E. S. (1954). Continuous inspection schemes. *Biometrika*
       41(1/2), 100-115.
    .. [2] Hinkley, D. V. (1971). Inference about the change-point from
       cumulative sum tests. *Biometrika* 58(3), 509-523.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import PageHinkley
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)]
    >>> PageHinkley().update_many(x)
    array([1016, 1922])
    """

    grace_period: int = 30
    delta: float = 0.005
    threshold: float = 50.0
    forgetting_factor: float = 1 - 0.0001
    mode: str = "both"

    # a window's fixed cost is that of ~1,500 values, and the gaps between
    # detections spread widely around their mean: after a detection the
    # first window is one mean gap long and, if it misses, so is the next
    _restart_factor: ClassVar[float] = 1.0
    _repeat_restart_window: ClassVar[bool] = True

    _n: int = attrs.field(init=False, default=0, repr=False)
    _sum: float = attrs.field(init=False, default=0.0, repr=False)
    _x0: float = attrs.field(init=False, default=0.0, repr=False)
    _u: float = attrs.field(init=False, default=0.0, repr=False)
    _c: float = attrs.field(init=False, default=0.0, repr=False)
    _u_min: float = attrs.field(init=False, default=math.inf, repr=False)
    _l_max: float = attrs.field(init=False, default=-1.0, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "PageHinkley"
        self.grace_period = check_int(
            self.grace_period, "grace_period", caller=caller, low=0
        )
        self.delta = check_scalar(self.delta, "delta", caller=caller, low=0.0)
        self.threshold = check_scalar(
            self.threshold, "threshold", caller=caller, low=0.0, low_inclusive=False
        )
        self.forgetting_factor = check_scalar(
            self.forgetting_factor, "forgetting_factor", caller=caller,
            low=0.0, high=1.0, low_inclusive=False,
        )
        self.mode = check_option(self.mode, "mode", ("both", "up", "down"), caller)

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._n = 0
        self._sum = 0.0
        self._x0 = 0.0
        self._u = 0.0
        self._c = 0.0
        self._u_min = math.inf
        self._l_max = -1.0

    def update(self, x: float) -> bool:
        """Feed one real value; return True when a change is detected here.

        Parameters
        ----------
        x : float
            The next value; must be finite.

        Returns
        -------
        bool
            True when a change is detected at this element.
        """
        if type(x) is not float or x - x != 0.0:
            x = real_value(x, "PageHinkley.update")
        if self._drift_detected:
            self._reset_state()
        n = self._n + 1
        if n == 1:
            self._x0 = x
        x = x - self._x0  # values since the restart, shifted by the first
        total = self._sum + x
        self._n = n
        self._sum = total
        dev = x - total / n
        a = self.forgetting_factor
        u = (dev - self.delta) + a * self._u
        c = 1.0 + a * self._c
        low = u + (2.0 * self.delta) * c
        self._u = u
        self._c = c
        if u < self._u_min:
            self._u_min = u
        if low > self._l_max:
            self._l_max = low
        if n < self.grace_period:
            return False
        mode = self.mode
        thr = self.threshold
        if (mode != "down" and u - self._u_min > thr) or (
            mode != "up" and self._l_max - low > thr
        ):
            self._drift_detected = True
            return True
        return False

    def _scan(self, block: FloatArray) -> tuple[int, None]:
        return self._window(block, True), None

    def _scan_final(self, block: FloatArray, final: bool) -> tuple[int, None]:
        # a window's state after a detection is computed only when the call
        # ends in that window (otherwise the next value restarts the detector)
        return self._window(block, final), None

    def _window(self, block: FloatArray, keep: bool) -> int:
        """Scan ``block`` from the current state; return the first detection or -1.

        Leaves the state as after the block, or after the detection when
        ``keep`` (without ``keep`` a detection only sets ``drift_detected``:
        the caller restarts the detector on the next value anyway).
        """
        m = block.shape[0]
        a = self.forgetting_factor
        n0 = self._n
        if n0 == 0:
            self._x0 = block.item(0)
        # the values shifted by the first since the restart (as update()):
        # a constant stream deviates by exactly 0 from its mean at any
        # magnitude, where a running sum of 1e100s rounded by ~1e84
        shifted = np.subtract(block, self._x0)
        if n0 == 0:
            # after a restart the running sum is 0.0, and 0.0 + x is x bit
            # for bit (x - x0 is +0.0 for the first value)
            total = np.add.accumulate(shifted)
        else:
            total = np.empty(m + 1)
            total[0] = self._sum
            total[1:] = shifted
            np.add.accumulate(total, out=total)
            total = total[1:]
        dev = np.divide(total, _counts(n0, m))
        np.subtract(shifted, dev, out=dev)
        np.subtract(dev, self.delta, out=dev)
        routine = _ROUTINE[0] if _ROUTINE else _routine()
        if routine is None:  # pragma: no cover - other SciPy layouts
            u = lfilter1(a, dev, a * self._u)
        else:  # lfilter1 without its wrapper (a window's fixed cost matters)
            coef = _COEFS.get(a)
            if coef is None:
                if len(_COEFS) > 64:
                    _COEFS.clear()
                coef = _COEFS[a] = np.array([1.0, -a])
            # after a restart U_0 is +0.0, and a * 0.0 is 0.0
            zi = _ZERO if n0 == 0 else np.array([a * self._u])
            u = routine(_ONE, coef, dev, -1, zi)[0]
        if not (math.isfinite(total.item(-1)) and math.isfinite(u.item(-1))):
            # overflow (values near the float limits): once a cumulative sum
            # or the recursion leaves the finite range it never comes back, so
            # the last elements tell; redo this block exactly with update()
            return self._scan_by_update(block)[0]
        # rows[:, 1:] are U_t and -L_t = -(U_t + 2 delta c_t), the latter
        # computed as (-2 delta c_t) - U_t: negation is exact and rounding
        # symmetric, so it is bit for bit the negated L_t of update(), and
        # L's running maximum is minus -L's running minimum. rows[:, 0] are
        # the minima before the block, folded with the first values (so
        # finite whenever those are, even right after a restart)
        rows = np.empty((2, m + 1))
        body = rows[:, 1:]
        body[0] = u
        neg_l_row = body[1]
        if n0 + m < _OFFSETS_CAP:
            np.subtract(_offsets(a, self.delta)[n0 + 1 : n0 + m + 1], u, out=neg_l_row)
        else:
            np.multiply(_weights(a, n0, m, self._c), -2.0 * self.delta, out=neg_l_row)
            np.subtract(neg_l_row, u, out=neg_l_row)
        rows[0, 0] = min(self._u_min, u.item(0))
        rows[1, 0] = min(-self._l_max, neg_l_row.item(0))
        mode = self.mode
        d, pre = _first_rise_chunks(
            rows,
            self.threshold,
            max(0, self.grace_period - n0 - 1),
            0 if mode == "both" else (1 if mode == "up" else 2),
        )
        end = m - 1
        if d >= 0:
            self._drift_detected = True
            if not keep:
                return d
            if d < end:
                end = d
                pre = rows[:, : d + 2].min(axis=1, keepdims=True)
        u_min, neg_l = pre[:, -1].tolist()
        self._n = n0 + end + 1
        self._sum = total.item(end)
        self._u = u.item(end)
        self._c = float(_weights(a, n0, end + 1, self._c)[end])
        self._u_min = u_min
        self._l_max = -neg_l
        return d


_ONE = np.array([1.0])
_ZERO = np.array([0.0])  # lfilter's initial state after a restart (never written)
_COEFS: dict[float, FloatArray] = {}  # [1, -a] per forgetting factor a
_ROUTINE: list[Any] = []


def _routine() -> Any:
    """SciPy's C routine behind ``lfilter`` (None if this SciPy has none)."""
    from mllifecycle._scipy_shim import private

    _ROUTINE.append(private("_linear_filter"))
    return _ROUTINE[0]


_MAX_OF_ROWS = np.fmax
_CHUNK = 128
_CHUNK_STARTS = np.arange(0, _MAX_WINDOW + 1, _CHUNK)  # covers the windows


def _first_rise_chunks(
    rows: FloatArray, threshold: float, start: int, which: int
) -> tuple[int, FloatArray]:
    """First ``t >= start`` at which a row of ``rows[:, 1:]`` rises by more than ``threshold``.

    The rise of row ``r`` at ``t`` is ``v[t] - min(rows[r, :t+2])`` with
    ``v = rows[r, 1:]`` (``rows[:, 0]`` holds the minima before the block);
    ``which`` is 0 for either row, 1 for row 0 only, 2 for row 1 only.
    Returns the first such ``t`` (-1 if none) and the rows' running minima
    at the ends of the chunks (the last column: the minimum of each row).

    Exact, and without a running minimum over the whole block: cut into
    chunks of ``_CHUNK`` columns, with ``pre`` a row's minimum up to the end
    of a chunk and ``top`` its maximum in the chunk, the rise anywhere in the
    chunk is at most ``top - pre`` (the running minimum there is at least
    ``pre``, and rounding is monotone). Only chunks where that bound exceeds
    the threshold get a running minimum, seeded with the minimum before the
    chunk, in order, until a hit.
    """
    m1 = rows.shape[1]
    k = (m1 + _CHUNK - 1) // _CHUNK
    starts = _CHUNK_STARTS[:k] if k <= _CHUNK_STARTS.shape[0] else np.arange(0, m1, _CHUNK)
    top = np.maximum.reduceat(rows, starts, axis=1)
    pre = np.minimum.reduceat(rows, starts, axis=1)
    np.minimum.accumulate(pre, axis=1, out=pre)
    col = start + 1  # the first column that may signal
    if col >= m1:
        return -1, pre
    first = col // _CHUNK
    np.subtract(top, pre, out=top)
    if first:
        top = top[:, first:]
    # either row: the larger bound of the two (one NumPy call fewer than
    # comparing both rows and or-ing the results; fmax of the two rows is
    # cheaper than fmax.reduce over the first axis; fmax, as a bound is NaN
    # where -L overflowed to -inf, and NaN never exceeds the threshold)
    flags = (_MAX_OF_ROWS(top[0], top[1]) if which == 0 else top[which - 1]) > threshold
    b = int(flags.argmax())
    while flags[b]:
        flag0 = top.item(0, b) > threshold
        flag1 = top.item(1, b) > threshold
        lo = (b + first) * _CHUNK
        best = -1
        for r, flagged in ((0, flag0), (1, flag1)):
            if not flagged or which == 2 - r:
                continue
            seg = rows[r, lo : lo + _CHUNK]
            if lo and pre[r, b + first] == pre[r, b + first - 1]:
                # no new minimum in the chunk: the running minimum is the
                # minimum before it throughout
                hits = np.subtract(seg, pre[r, b + first]) > threshold
            else:
                run = np.minimum.accumulate(seg)
                if lo:
                    np.minimum(run, pre[r, b + first - 1], out=run)
                np.subtract(seg, run, out=run)
                hits = run > threshold
            if lo < col:
                hits[: col - lo] = False
            j = int(hits.argmax())  # the first True (argmax stops at it)
            if hits[j] and (best < 0 or j < best):
                best = j
        if best >= 0:
            return lo + best - 1, pre
        b += 1
        if b >= flags.shape[0]:
            break
        b += int(flags[b:].argmax())
    return -1, pre


_TABLE_CAP = 1 << 19
_COUNTS_CAP = 1 << 16
_COUNTS: list[npt.NDArray[np.float64]] = []


def _counts(n0: int, m: int) -> npt.NDArray[np.float64]:
    """``n0 + 1, ..., n0 + m`` as float64 (a view of a cached table when small)."""
    if n0 + m >= _COUNTS_CAP:
        return np.arange(n0 + 1, n0 + m + 1, dtype=np.float64)
    if not _COUNTS:
        table = np.arange(_COUNTS_CAP, dtype=np.float64)
        table.setflags(write=False)
        _COUNTS.append(table)
    return _COUNTS[0][n0 + 1 : n0 + m + 1]


@lru_cache(maxsize=16)
def _weight_table(a: float) -> tuple[npt.NDArray[np.float64], bool]:
    """``c_t = 1 + a c_{t-1}`` (``c_0 = 0``) for t = 0, 1, ..., in float64.

    Evaluated with the same arithmetic as the scalar recursion (``lfilter``
    runs it in C) until it reaches its fixed point; returns the table and
    whether it converged within ``_TABLE_CAP`` entries.
    """
    from scipy.signal import lfilter

    parts = [np.zeros(1)]
    last = 0.0
    size = 1
    chunk = 1 << 12
    while size < _TABLE_CAP:
        y = np.asarray(
            lfilter([1.0], [1.0, -a], np.ones(chunk), zi=[a * last])[0],
            dtype=np.float64,
        )
        parts.append(y)
        size += chunk
        stop = np.flatnonzero(y[1:] == y[:-1])
        if stop.shape[0]:
            table = np.concatenate(parts)[: size - chunk + int(stop[0]) + 2]
            table.setflags(write=False)
            return table, True
        last = float(y[-1])
        chunk = min(2 * chunk, 1 << 18)
    table = np.concatenate(parts)
    table.setflags(write=False)
    return table, False


_OFFSETS_CAP = 1 << 15


@lru_cache(maxsize=16)
def _offsets(a: float, delta: float) -> npt.NDArray[np.float64]:
    """``c_t * (-2 delta)`` for t < ``_OFFSETS_CAP`` (``-L_t = offset_t - U_t``)."""
    table = np.empty(_OFFSETS_CAP)
    table[0] = 0.0
    np.multiply(_weights(a, 0, _OFFSETS_CAP - 1, 0.0), -2.0 * delta, out=table[1:])
    table.setflags(write=False)
    return table


def _weights(a: float, n0: int, m: int, c0: float) -> npt.NDArray[np.float64]:
    """``c_t`` for t = n0 + 1, ..., n0 + m, continuing from ``c_{n0} = c0``."""
    if a == 1.0:  # c_t = t, exactly
        return np.arange(n0 + 1, n0 + m + 1, dtype=np.float64)
    table, converged = _weight_table(a)
    top = table.shape[0]
    if n0 + m < top:
        return table[n0 + 1 : n0 + m + 1]
    if converged:
        out = np.full(m, table[-1])
        head = max(0, top - 1 - n0)
        out[:head] = table[n0 + 1 : n0 + 1 + head]
        return out
    from scipy.signal import lfilter

    return np.asarray(
        lfilter([1.0], [1.0, -a], np.ones(m), zi=[a * c0])[0], dtype=np.float64
    )
