"""ADWIN: the adaptive-window change detector of Bifet & Gavaldà (2007).

The arithmetic follows River 0.26.1 (``river.drift.ADWIN``, the ADWIN2
bucket variant) operation for operation, so both report the same detection
indices on the same stream.

How ``update_many`` stays exact without a loop per value:

* Cuts are only tested every ``clock`` values and, within a run (from a
  restart to the next detection), no bucket is ever deleted, so the bucket
  rows after ``n`` insertions are a pure function of ``n``: row ``i`` holds
  the level-``i`` pairwise sums with indices ``[2 p(r_i), r_i)`` where
  ``r_0 = n``, ``r_{i+1} = p(r_i)`` and ``p(r) = max(0, (r - M + 1) // 2)``.
* So a block of values is inserted level by level (pairwise sums and River's
  merge variance, bit for bit), and the window total and variance after each
  value are cumulative sums in River's order.
* The cut test of every split of every check point of the block is screened
  at once, from prefix sums of the levels, with a margin (relative 1e-9) far
  wider than the rounding differences (about 1e-14) between this arithmetic
  and River's sequential sums; the first check point that passes the screen
  is decided by River's scalar procedure (:meth:`ADWIN._scan`), which also
  drops buckets after a cut. A check point that fails the screen cannot cut.
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_1d, check_int, check_scalar, described, fail
from mllifecycle.drift.stream._base import refuse_text

__all__ = ["ADWIN"]

# ``update_many`` inserts values in blocks of between _MIN_CHECKS and
# _MAX_CHECKS check points (doubling while no change is found) and screens the
# splits of _TILE check points at a time.
_MIN_CHECKS = 32
_MAX_CHECKS = 256
_TILE = 128
# no window reaches this width: a larger ``max_buckets`` or ``min_window_length``
# acts as this one (update_many's int64 and float arithmetic would overflow)
_NEVER = 2**62
_NO_CHECKS: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)


#: Largest magnitude fed: the window's variance is a sum of squared
#: deviations, which overflows to inf for values near 1e154 and beyond. The
#: cut threshold is then inf, and ADWIN (River's too) never detects even a
#: shift of many standard deviations: such values are refused instead.
MAX_MAGNITUDE = 1e120

_TOO_BIG = (
    f"a finite real number of magnitude at most {MAX_MAGNITUDE:.0e} (ADWIN's variance, a sum "
    "of squares, would overflow and no change could be detected; rescale the stream, e.g. "
    "divide it by a power of ten)"
)


def _check_value(x: Any, caller: str, *, bounded: bool = True) -> float:
    """Return ``x`` as a finite float (of at most MAX_MAGNITUDE if ``bounded``) or raise."""
    if type(x) is float:
        v = x
    elif isinstance(x, numbers.Real | np.bool_ | decimal.Decimal) and not isinstance(
        x, np.datetime64 | np.timedelta64  # timedelta64 counts as a numbers.Real
    ) and not (isinstance(x, decimal.Decimal) and x.is_nan()):
        try:
            v = float(x)
        except OverflowError:  # an int beyond the float range (10**400)
            v = math.inf
    else:
        fail("x", "a finite real number", x, caller)
    if not math.isfinite(v):
        fail("x", "a finite real number (not NaN or infinite)", x, caller)
    if bounded and abs(v) > MAX_MAGNITUDE:
        fail("x", _TOO_BIG, x, caller)
    return v


def _merged(r: int, m: int) -> int:
    """Return how many entries a row with ``r`` inputs has merged upwards."""
    return max(0, (r - m + 1) // 2)


def _level_counts(n: int, m: int) -> list[int]:
    """Return the inputs each bucket row received after ``n`` insertions."""
    counts = []
    while n > 0:
        counts.append(n)
        n = _merged(n, m)
    return counts


@attrs.define
class ADWIN:
    r"""ADaptive WINdowing change detector for real-valued streams.

    ADWIN keeps a window of recent values, compressed into exponential
    histogram buckets (:math:`O(\log n)` memory). Every ``clock`` values it
    checks every split of the window into an older part :math:`W_0` and a
    newer part :math:`W_1`, and reports a change when their means differ by
    more than a Bernstein-type bound, dropping the oldest bucket until no split
    does. The detections are exactly those of River's ``ADWIN`` with the same
    parameters; after a detection the detector restarts from an empty window
    on the next value, as River's does.

    Parameters
    ----------
    delta : float, default=0.002
        Confidence of the cut test, in (0, 1); smaller means fewer false
        alarms and later detections.
    clock : int, default=32
        Check for a change every ``clock`` values (1 checks at every value).
    max_buckets : int, default=5
        Buckets of each size kept before the two oldest are merged; at least 2.
    min_window_length : int, default=5
        Both sub-windows of a split must hold at least this many values.
    grace_period : int, default=10
        No check happens while the window holds ``grace_period`` values or
        fewer.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value fed triggered a detection.
    width : int
        Number of values in the current window.
    total : float
        Sum of the values in the window.
    estimation : float
        Mean of the window (0.0 when empty).
    variance : float
        Variance of the values in the window (divided by ``width``; River's
        ``variance`` is the unnormalised sum of squared deviations, ``width``
        times this).

    Raises
    ------
    InvalidParameterError
        When a parameter is out of range, or a value fed is NaN, infinite or
        of magnitude above :data:`MAX_MAGNITUDE` (1e120): beyond about 1e154
        the window's variance overflows to inf, and so does the cut threshold,
        so no change could ever be detected (River's ADWIN silently misses
        even a shift of many standard deviations there). Rescale such a
        stream first.

    See Also
    --------
    KSWIN : windowed Kolmogorov-Smirnov detector for changes of distribution.

    Notes
    -----
    With :math:`n_0, n_1` values and means :math:`\hat\mu_0, \hat\mu_1` in the
    two sub-windows, :math:`W` values with variance :math:`\sigma^2` in the
    window and :math:`\ell` = ``min_window_length``, a cut is made when

    .. math::

        |\hat\mu_0 - \hat\mu_1| > \sqrt{2 m \sigma^2 \delta'}
        + \tfrac{2}{3} m \delta', \quad
        m = \frac{1}{n_0 - \ell + 1} + \frac{1}{n_1 - \ell + 1}, \quad
        \delta' = \ln\frac{2 \ln W}{\delta}.

    The bound is made for values in [0, 1] (errors, scores, probabilities):
    its second term is in the values' own units, not in standard
    deviations, so ADWIN is not scale-free. On values of a small scale no
    change below about :math:`\tfrac{2}{3} m \delta'` in absolute terms is
    ever detected (a shift of two standard deviations in ``0.001 * N(0, 1)``
    values goes unseen), and on a large scale the second term vanishes.
    Rescale a stream to about [0, 1] first, as for River's ``ADWIN``.

    References
    ----------
    .. [1] A. Bifet and R. Gavaldà, "Learning from time-changing data with
       adaptive windowing", Proceedings of the 2007 SIAM International
       Conference on Data Mining, pp. 443-448, 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import ADWIN
    >>> rng = np.random.default_rng(0)
    >>> stream = np.r_[rng.normal(0, 1, 1000), rng.normal(2, 1, 1000)]
    >>> detector = ADWIN()
    >>> detector.update_many(stream)
    array([1023])
    >>> detector.width  # values since the restart that followed the detection
    976
    """

    delta: float = 0.002
    clock: int = 32
    max_buckets: int = 5
    min_window_length: int = 5
    grace_period: int = 10
    _rows_t: list[list[float]] = attrs.field(init=False, repr=False)
    _rows_v: list[list[float]] = attrs.field(init=False, repr=False)
    _width: int = attrs.field(init=False, repr=False)
    _total: float = attrs.field(init=False, repr=False)
    _var: float = attrs.field(init=False, repr=False)
    _tick: int = attrs.field(init=False, repr=False)
    _drift: bool = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "ADWIN"
        self.delta = check_scalar(
            self.delta,
            "delta",
            caller=caller,
            low=0.0,
            high=1.0,
            low_inclusive=False,
            high_inclusive=False,
        )
        self.clock = check_int(self.clock, "clock", caller=caller, low=1)
        self.max_buckets = check_int(
            self.max_buckets, "max_buckets", caller=caller, low=2
        )
        self.min_window_length = check_int(
            self.min_window_length, "min_window_length", caller=caller, low=1
        )
        self.grace_period = check_int(
            self.grace_period, "grace_period", caller=caller, low=0
        )
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Forget everything seen: empty window, clock at zero, no detection."""
        self._rows_t = [[]]
        self._rows_v = [[]]
        self._width = 0
        self._total = 0.0
        self._var = 0.0
        self._tick = 0
        self._drift = False

    @property
    def drift_detected(self) -> bool:
        """Whether the last value fed triggered a detection."""
        return self._drift

    @property
    def width(self) -> int:
        """Number of values in the current window."""
        return self._width

    @property
    def total(self) -> float:
        """Sum of the values in the current window."""
        return self._total

    @property
    def estimation(self) -> float:
        """Mean of the current window (0.0 when it is empty)."""
        return self._total / self._width if self._width else 0.0

    @property
    def variance(self) -> float:
        """Variance of the current window (sum of squared deviations / width)."""
        return self._var / self._width if self._width else 0.0

    # --------------------------------------------------------- one at a time
    def update(self, x: float) -> bool:
        """Feed one value; return True when a change is detected at it.

        Parameters
        ----------
        x : float
            A finite real value of magnitude at most 1e120 (bools count as 0
            and 1).

        Returns
        -------
        bool
            Whether a change was detected at this value.
        """
        # a float of at most MAX_MAGNITUDE (so not NaN) takes the fast path
        v = x if type(x) is float and -1e120 <= x <= 1e120 else _check_value(x, "ADWIN.update")
        if self._drift:
            self.reset()
        # _insert, inlined (the per-element cost is Python's, so every
        # attribute look-up and call saved counts); same arithmetic
        rows_t = self._rows_t
        row0 = rows_t[0]
        row0.append(v)
        self._rows_v[0].append(0.0)
        width = self._width + 1
        self._width = width
        total = self._total
        if width > 1:
            w = float(width)
            d = v - total / (w - 1.0)
            self._var += (w - 1.0) * d * d / w
        self._total = total + v
        if len(row0) > self.max_buckets:
            self._compress()
        tick = self._tick + 1
        self._tick = tick
        if tick % self.clock or width <= self.grace_period:
            self._drift = False
            return False
        self._drift = self._scan()
        return self._drift

    def _insert(self, value: float) -> None:
        self._rows_t[0].append(value)
        self._rows_v[0].append(0.0)
        self._width += 1
        w = float(self._width)
        if w > 1.0:
            d = value - self._total / (w - 1.0)
            self._var += (w - 1.0) * d * d / w
        self._total += value
        self._compress()

    def _compress(self) -> None:
        """Merge the two oldest buckets of every full row into the row above."""
        rows_t, rows_v = self._rows_t, self._rows_v
        full = self.max_buckets + 1
        i = 0
        while len(rows_t[i]) == full:
            n1 = float(1 << i)
            row_t, row_v = rows_t[i], rows_v[i]
            t0, t1 = row_t[0], row_t[1]
            mu1 = t0 / n1
            mu2 = t1 / n1
            v12 = row_v[0] + row_v[1] + n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            if i + 1 == len(rows_t):
                rows_t.append([])
                rows_v.append([])
            rows_t[i + 1].append(t0 + t1)
            rows_v[i + 1].append(v12)
            del row_t[:2]
            del row_v[:2]
            i += 1

    def _delete_oldest(self) -> None:
        last = len(self._rows_t) - 1
        n = float(1 << last)
        u = self._rows_t[last][0]
        v = self._rows_v[last][0]
        mu = u / n
        self._width -= 1 << last
        self._total -= u
        w = float(self._width)
        mu_window = self._total / w
        self._var -= v + n * w * (mu - mu_window) * (mu - mu_window) / (n + w)
        del self._rows_t[last][0]
        del self._rows_v[last][0]
        if not self._rows_t[last]:
            self._rows_t.pop()
            self._rows_v.pop()

    def _scan(self) -> bool:
        """Check every split; drop the oldest bucket while one cuts (River)."""
        mwl = float(min(self.min_window_length, _NEVER))
        mwl1 = mwl - 1.0
        delta = self.delta
        sqrt = math.sqrt
        change = False
        while True:
            w = float(self._width)
            if w < 2.0:
                return change
            dprime = math.log(2.0 * math.log(w) / delta)
            var_w = self._var / w
            c23 = 2.0 / 3.0 * dprime
            n0 = 0.0
            n1 = w
            u0 = 0.0
            u1 = self._total
            rows = self._rows_t
            top = len(rows) - 1
            cut = False
            for i in range(top, -1, -1):
                size = float(1 << i)
                row = rows[i]
                # the split after the newest bucket leaves W1 empty: skipped
                for t in row if i else row[:-1]:
                    n0 += size
                    n1 -= size
                    u0 += t
                    u1 -= t
                    if n1 >= mwl and n0 >= mwl:
                        m = 1.0 / (n0 - mwl1) + 1.0 / (n1 - mwl1)
                        arg = 2.0 * m * var_w * dprime
                        if arg >= 0.0 and abs(u0 / n0 - u1 / n1) > sqrt(arg) + c23 * m:
                            cut = True
                            break
                if cut:
                    break
            if not cut:
                return change
            change = True
            self._delete_oldest()

    # ------------------------------------------------------------ vectorised
    def update_many(self, xs: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Feed many values; return the indices into ``xs`` of detections.

        Gives exactly the detections, and leaves exactly the state, of calling
        :meth:`update` on each value in turn, computed block-wise with NumPy.

        Parameters
        ----------
        xs : array-like of shape (n,)
            Finite real values.

        Returns
        -------
        numpy.ndarray of intp
            Indices of the values at which a change was detected.
        """
        caller = "ADWIN.update_many"
        x = check_1d(refuse_text(xs, caller), "xs", caller=caller, min_samples=0)
        if x.size:
            big = np.flatnonzero(np.abs(x) > MAX_MAGNITUDE)
            if big.size:
                i = int(big[0])
                fail("xs", "values " + _TOO_BIG.removeprefix("a finite real number "),
                     described(f"{x[i].item()!r} at index {i}"), caller)
        found: list[int] = []
        pos = 0
        n = x.shape[0]
        n_checks = _MIN_CHECKS
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while pos < n:
                if self._drift:
                    self.reset()
                    n_checks = _MIN_CHECKS
                stop = min(n, pos + self.clock * n_checks)
                pos += self._run_block(x[pos:stop])
                if self._drift:
                    found.append(pos - 1)
                n_checks = min(2 * n_checks, _MAX_CHECKS)
        return np.asarray(found, dtype=np.intp)

    def _run_block(self, y: npt.NDArray[np.float64]) -> int:
        """Insert ``y`` (no detection pending) up to the first possible cut.

        Returns how many values of ``y`` were consumed; ``_drift`` tells
        whether the last of them was a detection.
        """
        mb = min(self.max_buckets, _NEVER)
        n_y = y.shape[0]
        n_start = self._width
        widths = np.arange(n_start + 1, n_start + n_y + 1, dtype=np.int64)
        wf = widths.astype(np.float64)
        totals = np.cumsum(np.concatenate(([self._total], y)))
        prev = totals[:-1]
        totals = totals[1:]
        # River: d = x - total / (w - 1); variance += (w - 1) * d * d / w
        wm1 = wf - 1.0
        if n_start == 0:
            wm1[0] = 1.0  # the first value adds no variance (d is 0 below)
            prev = prev.copy()
            prev[0] = y[0]
        d = y - prev / wm1
        inc = wm1 * d
        inc *= d
        inc /= wf
        variances = np.cumsum(np.concatenate(([self._var], inc)))[1:]
        first = (self.clock - (self._tick + 1) % self.clock) % self.clock
        # (a step of at most n_y gives the same check points, and stays an
        # int64 for a clock beyond 2**63, which made them floats: IndexError)
        checks = np.arange(first, n_y, min(self.clock, n_y)) if first < n_y else _NO_CHECKS
        checks = checks[widths[checks] > self.grace_period]

        # Bucket rows as levels: level i holds pairwise sums of 2**i values.
        start_counts = _level_counts(n_start, mb)
        end_counts = _level_counts(n_start + n_y, mb)
        seq_t: list[npt.NDArray[np.float64]] = []
        seq_v: list[npt.NDArray[np.float64]] = []
        bases: list[int] = []
        for i in range(len(end_counts)):
            old_t = self._rows_t[i] if i < len(self._rows_t) else []
            old_v = self._rows_v[i] if i < len(self._rows_v) else []
            r0 = start_counts[i] if i < len(start_counts) else 0
            bases.append(r0 - len(old_t))
            if i == 0:
                new_t = y
                new_v = np.zeros(n_y)
            else:
                pt, pv = seq_t[i - 1], seq_v[i - 1]
                half = pt.shape[0] // 2
                a, b = pt[0 : 2 * half : 2], pt[1 : 2 * half : 2]
                new_t = a + b
                # River's n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2), mu = t / n1, in
                # its order: scaling by a power of two is exact only for
                # normal floats, and a tiny gap's square is subnormal
                n1 = float(1 << (i - 1))
                gap = a / n1
                gap -= b / n1
                half_gap = (n1 * 0.5) * gap
                half_gap *= gap
                gap = half_gap
                new_v = pv[0 : 2 * half : 2] + pv[1 : 2 * half : 2]
                new_v += gap
            seq_t.append(np.concatenate((np.asarray(old_t, dtype=np.float64), new_t)))
            seq_v.append(np.concatenate((np.asarray(old_v, dtype=np.float64), new_v)))

        hit = -1
        if checks.size:
            # prefix sums of each level in one flat array; level i at offsets[i]
            prefix = [np.concatenate(([0.0], np.cumsum(q))) for q in seq_t]
            offsets = np.cumsum([0] + [q.shape[0] for q in prefix])[:-1] - np.array(
                bases
            )
            flat = np.concatenate(prefix)
            # bounds the sum of |bucket total| over all levels (triangle inequality)
            absum = len(seq_t) * float(np.abs(y).sum()) + sum(
                float(np.abs(np.asarray(q)).sum()) for q in self._rows_t
            )
            for lo in range(0, checks.shape[0], _TILE):
                hit = self._first_candidate(
                    checks[lo : lo + _TILE],
                    widths,
                    totals,
                    variances,
                    flat,
                    offsets,
                    absum,
                )
                if hit >= 0:
                    break
        k = hit if hit >= 0 else n_y - 1
        self._width = int(widths[k])
        self._total = float(totals[k])
        self._var = float(variances[k])
        self._tick += k + 1
        counts = _level_counts(self._width, mb)
        self._rows_t = []
        self._rows_v = []
        for i, r in enumerate(counts):
            lo = 2 * _merged(r, mb) - bases[i]
            hi = r - bases[i]
            self._rows_t.append(seq_t[i][lo:hi].tolist())
            self._rows_v.append(seq_v[i][lo:hi].tolist())
        # a candidate check point is decided by River's exact scalar scan
        self._drift = hit >= 0 and self._scan()
        return k + 1

    def _first_candidate(
        self,
        checks: npt.NDArray[np.int64],
        widths: npt.NDArray[np.int64],
        totals: npt.NDArray[np.float64],
        variances: npt.NDArray[np.float64],
        flat: npt.NDArray[np.float64],
        offsets: npt.NDArray[np.int64],
        absum: float,
    ) -> int:
        """Index (into the block) of the first check point that may cut, or -1.

        All splits of the given check points are screened at once with a
        margin that covers the rounding differences between this vectorised
        arithmetic and River's sequential one; :meth:`_scan` then decides a
        candidate exactly. ``flat[offsets[i] + j]`` is the sum of the level-i
        bucket totals with (absolute) index below ``j``.
        """
        mb = min(self.max_buckets, _NEVER)
        n_levels = offsets.shape[0]
        w_c = widths[checks]
        counts = [w_c]
        for _ in range(n_levels):
            counts.append(np.maximum(0, (counts[-1] - mb + 1) // 2))
        r = np.array(counts)
        cnt = r[:-1] - 2 * r[1:]  # buckets in each row, shape (levels, checks)
        first = (2 * r[1:]) + offsets[:, None]
        level_sum = flat[first + cnt] - flat[first]
        sizes = np.ldexp(1.0, np.arange(n_levels))[:, None]
        above = np.cumsum(level_sum[::-1], axis=0)[::-1] - level_sum
        level_n = cnt * sizes
        n_above = np.cumsum(level_n[::-1], axis=0)[::-1] - level_n
        # split after slot j of row i (padding repeats the row's last split)
        # (slots past the fullest row only repeat its last split: a large
        # max_buckets would make this array of size mb a memory error)
        slots = min(mb, max(1, int(cnt.max())))
        used = np.minimum(np.arange(1, slots + 1)[None, :, None], cnt[:, None, :])
        u0 = (above - flat[first])[:, None, :] + flat[first[:, None, :] + used]
        n0 = n_above[:, None, :] + used * sizes[:, :, None]
        n_checks = checks.shape[0]
        u0 = u0.reshape(-1, n_checks)
        n0 = n0.reshape(-1, n_checks)
        wcf = w_c.astype(np.float64)
        tot = totals[checks]
        var = variances[checks]
        mwl = float(min(self.min_window_length, _NEVER))
        # Rounding: these vectorised sums differ from River's sequential ones
        # by far less than `slack` (relative 1e-9 against ~1e-14), so every
        # split River cuts is flagged; _scan then decides exactly.
        slack = 1e-9 * (np.abs(tot) + absum) + 1e-300
        with np.errstate(divide="ignore", invalid="ignore"):
            dprime = np.log(2.0 * np.log(wcf) / self.delta)
            # Stage 1. With D = u0 - n0 T / W, River cuts when W |D| / (n0 n1)
            # > eps; since m >= W / (n0 n1), that implies the cheaper
            # |D| > sqrt(2 V d' n0 n1) / W + 2 d' / 3.
            c1 = (2.0 * (1.0 - 1e-9) ** 2) * var * dprime / (wcf * wcf)
            c2 = (2.0 / 3.0 * (1.0 - 1e-9)) * dprime
            dev = u0 - (tot / wcf) * n0
            np.abs(dev, out=dev)
            dev += slack
            low = wcf - n0
            low *= n0
            low *= c1
            np.sqrt(low, out=low)
            low += c2
            flagged = np.flatnonzero((dev > low).any(axis=0))
            if not flagged.size:
                return -1
            # Stage 2 on the flagged check points: the full bound, multiplied
            # by n0 n1 > 0: |u0 W - T n0| > eps n0 n1.
            u0, n0, wcf = u0[:, flagged], n0[:, flagged], wcf[flagged]
            tot, var, dprime = tot[flagged], var[flagged], dprime[flagged]
            k1 = (2.0 * (1.0 - 1e-9) ** 2) * (var / wcf) * dprime
            k2 = (2.0 / 3.0 * (1.0 - 1e-9)) * dprime
            m = (wcf - 2.0 * (mwl - 1.0)) / (
                (n0 - (mwl - 1.0)) * ((wcf - (mwl - 1.0)) - n0)
            )
            rhs = (np.sqrt(m * k1) + m * k2) * n0 * (wcf - n0)
            lhs = np.abs(u0 * wcf - tot * n0) + slack[flagged] * wcf
            cand = (lhs > rhs) & (n0 >= mwl) & (n0 <= wcf - mwl)
        rows = flagged[cand.any(axis=0)]
        return int(checks[rows[0]]) if rows.size else -1
