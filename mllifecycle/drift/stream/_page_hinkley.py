"""The Page-Hinkley test for a change in the mean (Page 1954)."""

from __future__ import annotations

import math
from functools import lru_cache

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_int, check_option, check_scalar
from mllifecycle.drift.stream._base import (
    FloatArray,
    StreamDetectorBase,
    first_rise,
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
    is kept as a running sum divided by the count, and the recursions are
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

    _restart_factor = 1.0  # its elements are cheap next to a window's fixed cost

    _n: int = attrs.field(init=False, default=0, repr=False)
    _sum: float = attrs.field(init=False, default=0.0, repr=False)
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
        m = block.shape[0]
        a = self.forgetting_factor
        n0 = self._n
        total = np.empty(m + 1)
        total[0] = self._sum
        total[1:] = block
        np.cumsum(total, out=total)
        total = total[1:]
        dev = np.divide(total, _counts(n0, m))
        np.subtract(block, dev, out=dev)
        np.subtract(dev, self.delta, out=dev)
        u = lfilter1(a, dev, a * self._u)
        if not (math.isfinite(total[-1]) and math.isfinite(u[-1])):
            # overflow (values near the float limits): once a cumulative sum
            # or the recursion leaves the finite range it never comes back, so
            # the last elements tell; redo this block exactly with update()
            return self._scan_by_update(block)  # type: ignore[return-value]
        c = _weights(a, n0, m, self._c)
        start = max(0, self.grace_period - n0 - 1)
        thr = self.threshold
        # rows[0] = U_t, rows[1] = -L_t = -(U_t + 2 delta c_t), computed as
        # (-2 delta c_t) - U_t: negation is exact and rounding symmetric, so
        # this is bit for bit the negated L_t of update()
        mode = self.mode
        rows = np.empty((2, m))
        if mode != "down":
            rows[0] = u
        np.multiply(c, -2.0 * self.delta, out=rows[1])
        np.subtract(rows[1], u, out=rows[1])
        if mode == "up":
            d = first_rise(rows[0], self._u_min, thr, start)
        elif mode == "down":
            d = first_rise(rows[1], -self._l_max, thr, start)
        else:
            d = first_rise(rows, np.array([self._u_min, -self._l_max]), thr, start)
        end = d if d >= 0 else m - 1
        self._n = n0 + end + 1
        self._sum = float(total[end])
        self._u = float(u[end])
        self._c = float(c[end])
        if mode == "both":
            lows = rows[:, : end + 1].min(axis=1)
            u_min, neg_l = float(lows[0]), float(lows[1])
        else:
            u_min = float(u[: end + 1].min())
            neg_l = float(rows[1, : end + 1].min())
        self._u_min = min(self._u_min, u_min)
        self._l_max = max(self._l_max, -neg_l)
        self._drift_detected = d >= 0
        return d, None


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
