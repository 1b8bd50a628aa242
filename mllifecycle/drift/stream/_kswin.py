"""KSWIN: a windowed Kolmogorov-Smirnov change detector (Raab et al., 2020).

Unlike River's ``KSWIN``, which runs a KS test at every step on overlapping
windows (so its per-step ``alpha`` compounds into many false alarms), this one
tests every ``check_every`` values (by default ``stat_size``, so successive
recent samples do not overlap) with the exact two-sample KS distribution, and
can spread a false-alarm budget over a horizon of values (Bonferroni).
``update_many`` computes the KS statistics of many checks at once by sorting
a batch of windows.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._ks_null import ks_equal_n_critical, ks_equal_n_sf_at
from mllifecycle._results import ARRAY_EQ
from mllifecycle._validation import (
    check_1d,
    check_alpha,
    check_int,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle.drift.stream._adwin import _check_value
from mllifecycle.drift.stream._base import refuse_text

__all__ = ["KSWIN"]

# ``update_many`` evaluates batches of _MIN_BATCH checks after a restart,
# doubling up to _MAX_BATCH while no change is found.
_MIN_BATCH = 32
_MAX_BATCH = 1024
_MAX_KEYS = 1 << 20  # random keys drawn (and argsorted) per batch, at most
_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64 (2.2e-308)


_MAX_WINDOW = np.iinfo(np.intp).max // 8  # float64 values NumPy can hold


def _window_buffer(window_size: int, caller: str) -> npt.NDArray[np.float64]:
    """Return the zeroed window, or name ``window_size`` when it cannot be held."""
    try:
        if window_size <= _MAX_WINDOW:
            return np.zeros(window_size)
    except MemoryError:
        pass
    fail(
        "window_size",
        "small enough for a window of that many float64 values (8 bytes "
        "each) to fit in memory",
        window_size,
        caller,
    )


def _ks_counts(
    old: npt.NDArray[np.float64], recent: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Return ``n * D`` for each row pair of two (checks, n) samples."""
    return _ks_counts_joint(np.concatenate((old, recent), axis=1))


def _ks_counts_joint(vals: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Return ``n * D`` per row; each row holds the two samples side by side."""
    n = vals.shape[1] // 2
    # the order within tied values does not matter: only the walk after the
    # last of a run of ties is compared (below)
    order = np.argsort(vals, axis=1)
    svals = np.sort(vals, axis=1)
    small: type[np.signedinteger[Any]] = np.int16 if 2 * n < 2**15 else np.int64
    in_first = (order < n).view(np.int8)
    walk: npt.NDArray[np.signedinteger[Any]] = 2 * np.cumsum(in_first, axis=1, dtype=small)
    walk = walk - np.arange(1, 2 * n + 1, dtype=small)
    walk[:, :-1][svals[:, 1:] == svals[:, :-1]] = 0
    out: npt.NDArray[np.int64] = np.abs(walk).max(axis=1).astype(np.int64)
    return out


def _state_key(v: Any) -> Any:
    """Return a form of a generator, its state or an array that ``==`` compares by value.

    A ``Generator`` compares by identity and a state dict may hold arrays
    (MT19937's key), whose ``==`` is element-wise.
    """
    if isinstance(v, np.random.Generator):
        return ("Generator", _state_key(v.bit_generator.state))
    if isinstance(v, dict):
        return tuple(sorted((str(k), _state_key(x)) for k, x in v.items()))
    if isinstance(v, np.ndarray):
        return (v.dtype.str, v.shape, tuple(v.ravel().tolist()))
    return v


def _seed_key(seed: Any) -> Any:
    """Return the state of the generator a seed (int, SeedSequence or state dict) starts."""
    if isinstance(seed, dict):
        return _state_key(seed)
    return _state_key(np.random.default_rng(seed).bit_generator.state)


def _nan_key(v: float) -> Any:
    """Return a float, NaN made equal to NaN (the statistic before the first check)."""
    return None if math.isnan(v) else v


def _draw(keys: npt.NDArray[np.float64], r: int) -> npt.NDArray[np.intp]:
    """Return the indices of the ``r`` smallest keys of each row (a random subset)."""
    return np.argsort(keys, axis=-1)[..., :r]


@attrs.define
class KSWIN:
    r"""Kolmogorov-Smirnov windowing change detector for real-valued streams.

    KSWIN keeps the last ``window_size`` values. At a check it compares the
    most recent ``stat_size`` values :math:`R` with ``stat_size`` values
    :math:`W` drawn at random, without replacement, from the older part of
    the window, using the exact two-sample Kolmogorov-Smirnov test, and
    reports a change when the p-value is at most the per-check level. After a
    detection the detector restarts from an empty window (and replays its
    random draws), as River's does.

    Parameters
    ----------
    alpha : float, default=0.005
        Significance level: the false-alarm probability of one check on a
        stationary stream (or, with
        ``horizon``, of any alarm within ``horizon`` values). In (0, 1), and
        the per-check level at least the smallest normal float (2.2e-308).
    window_size : int, default=100
        Values kept; at least ``2 * stat_size`` so that ``stat_size`` older
        values can be drawn.
    stat_size : int, default=30
        Size of the recent sample and of the drawn older sample.
    check_every : int, optional
        Test every ``check_every`` values once the window is full. Default
        ``stat_size``: successive recent samples do not overlap. ``1`` tests
        at every value, as River does (``alpha`` then applies per value):
        more power against small shifts, and about ``alpha`` false alarms per
        value instead of per ``check_every`` values (see Notes).
    horizon : int, optional
        When given, ``alpha`` bounds the probability of any false alarm
        within ``horizon`` consecutive values: each check runs at level
        ``alpha / ceil(horizon / check_every)`` (Bonferroni).
    min_statistic : float, default=0.0
        A check also needs a KS statistic above this value, in [0, 1), to
        report a change. River requires more than 0.1: ``check_every=1,
        min_statistic=0.1`` is River's decision rule (the 0.1 only matters
        when the critical value is below it, i.e. for a large ``stat_size``).
    rng : int, numpy.random.Generator or None, default=0
        Seed of the draws of the older sample. ``reset`` and the restart after
        a detection replay the same draws. The default seed makes two
        detectors built alike behave alike; ``None`` draws a fresh seed once,
        at construction.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value fed triggered a detection.
    statistic : float
        KS statistic of the last check (NaN before the first).
    p_value : float
        Exact p-value of the last check (NaN before the first).
    level : float
        The significance level of one check.
    critical_value : float
        The smallest KS statistic that reports a change.

    Raises
    ------
    InvalidParameterError
        When a parameter is out of range, ``stat_size`` is too small for any
        check to reach the level, or a value fed is NaN or infinite.

    See Also
    --------
    ADWIN : adaptive-window detector for changes of the mean.

    Notes
    -----
    With both samples of size :math:`r`, the statistic is
    :math:`D = \max_v |F_W(v) - F_R(v)|` and, on a stationary stream of
    continuous values, :math:`P(D \ge k/r)` is known exactly (Gnedenko and
    Korolyuk); a check reports a change when :math:`D \ge k^*/r`, the smallest
    value with :math:`P(D \ge k^*/r) \le` the level. So each check has a
    false-alarm probability of at most the level, ties only lowering it, and
    a stream of :math:`N` values has at most :math:`N \cdot` ``level`` ``/
    check_every`` false alarms in expectation. River tests at every value at
    level ``alpha`` (and also requires :math:`D > 0.1`), so its false alarms
    accumulate at about ``alpha`` per value instead.

    The trade-off, measured with :func:`evaluate_detector` at the defaults
    (40 normal streams of 3,000 values, a mean shift at 1,500, a detection
    counting within 500 values): the default schedule finds 15%, 33% and 50%
    of shifts of 0.5, 0.75 and 1 standard deviation with 1.7 false alarms per
    100,000 values; ``check_every=1`` (River's schedule) finds 73%, 88% and
    98% of them, as River's KSWIN does, with about 130 false alarms per
    100,000 values. ``docs/stream_adwin_kswin.md`` has the table.

    References
    ----------
    .. [1] C. Raab, M. Heusinger and F.-M. Schleif, "Reactive Soft Prototype
       Computing for Concept Drift Streams", Neurocomputing 416, pp. 340-351,
       2020.
    .. [2] B. V. Gnedenko and V. S. Korolyuk, "On the maximum discrepancy
       between two empirical distributions", Doklady Akademii Nauk SSSR 80,
       pp. 525-528, 1951.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import KSWIN
    >>> rng = np.random.default_rng(0)
    >>> stream = np.r_[rng.normal(0, 1, 1000), rng.normal(2, 1, 1000)]
    >>> detector = KSWIN(rng=42)
    >>> detector.update_many(stream)
    array([1029])
    >>> round(detector.critical_value, 3)
    0.467
    """

    alpha: float = 0.005
    window_size: int = 100
    stat_size: int = 30
    check_every: int | None = None
    horizon: int | None = None
    min_statistic: float = 0.0
    # compared by value, as the other detectors (same parameters and state:
    # equal): the seed through the generator it starts, the generator by its
    # state (``rng`` itself may be a Generator the caller keeps drawing from)
    rng: Any = attrs.field(default=0, eq=False)
    _level: float = attrs.field(init=False, repr=False)
    _k_crit: int = attrs.field(init=False, repr=False)
    _seed: Any = attrs.field(init=False, repr=False, eq=_seed_key)
    _gen: np.random.Generator = attrs.field(init=False, repr=False, eq=_state_key)
    _buf: npt.NDArray[np.float64] = attrs.field(init=False, repr=False, eq=ARRAY_EQ)
    _count: int = attrs.field(init=False, repr=False)
    _drift: bool = attrs.field(init=False, repr=False)
    _stat: float = attrs.field(init=False, repr=False, eq=_nan_key)
    _p: float = attrs.field(init=False, repr=False, eq=_nan_key)

    def __attrs_post_init__(self) -> None:
        caller = "KSWIN"
        self.alpha = check_alpha(self.alpha, "alpha", caller)
        self.stat_size = check_int(self.stat_size, "stat_size", caller=caller, low=1)
        self.window_size = check_int(self.window_size, "window_size", caller=caller, low=2)
        if self.window_size < 2 * self.stat_size:
            fail(
                "window_size",
                f"at least 2 * stat_size = {2 * self.stat_size} (the older part "
                "of the window must hold stat_size values to draw from)",
                self.window_size,
                caller,
            )
        # allocated (and refused when too large) before the KS critical
        # value, whose cost grows with stat_size; reset() reuses its size
        self._buf = _window_buffer(self.window_size, caller)
        if self.check_every is None:
            self.check_every = self.stat_size
        self.check_every = check_int(self.check_every, "check_every", caller=caller, low=1)
        if self.horizon is not None:
            self.horizon = check_int(self.horizon, "horizon", caller=caller, low=1)
            n_checks = -(-self.horizon // self.check_every)
            # (beyond the float range the level is 0: no stat_size reaches it)
            self._level = self.alpha / n_checks if n_checks < 2**1000 else 0.0
        else:
            self._level = self.alpha
        if not self._level >= _TINY:
            # below the smallest normal float the exact p-values keep only a
            # few significant bits (5e-324 stands for anything up to 7.4e-324),
            # so "p <= level" no longer keeps the level; a level of 0 (horizon
            # beyond the float range) is reached by no stat_size
            if self.horizon is None:
                fail(
                    "alpha",
                    f"at least {_TINY!r}, the smallest normal float (p-values "
                    "below it are rounded to a few bits)",
                    self.alpha,
                    caller,
                )
            fail(
                "horizon",
                f"small enough for the per-check level alpha / ceil(horizon / "
                f"check_every) to be at least {_TINY!r}, the smallest normal float "
                f"(alpha={self.alpha!r}, check_every={self.check_every}: level "
                f"{self._level!r})",
                self.horizon,
                caller,
            )
        self.min_statistic = check_scalar(
            self.min_statistic, "min_statistic", caller=caller,
            low=0.0, high=1.0, high_inclusive=False,
        )
        # the first k of the exact table reaching the level, found by
        # bisection: the whole table took 12 s at stat_size=3000
        k_crit = ks_equal_n_critical(self.stat_size, self._level, self.min_statistic)
        # (min_statistic < 1 never rules out D = 1, the largest statistic: only
        # stat_size can make the level unreachable; the error named min_statistic)
        if k_crit is None:
            fail(
                "stat_size",
                f"large enough for a KS test to reach the per-check level "
                f"{self._level:.3g} (the smallest p-value with stat_size="
                f"{self.stat_size} is {ks_equal_n_sf_at(self.stat_size, self.stat_size):.3g})",
                described(repr(self.stat_size)),
                caller,
            )
        self._k_crit = k_crit
        gen = check_rng(self.rng, "rng", caller)
        if isinstance(self.rng, np.random.Generator):
            self._seed = copy.deepcopy(self.rng.bit_generator.state)
        elif self.rng is None:
            self._seed = np.random.SeedSequence()
        else:
            self._seed = self.rng
        del gen
        self.reset()

    def _new_generator(self) -> np.random.Generator:
        if isinstance(self._seed, dict):
            bit = getattr(np.random, self._seed["bit_generator"])()
            bit.state = copy.deepcopy(self._seed)
            return np.random.Generator(bit)
        return np.random.default_rng(self._seed)

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Forget everything seen and replay the same random draws."""
        self._gen = self._new_generator()
        self._buf = np.zeros(self.window_size)
        self._count = 0
        self._drift = False
        self._stat = math.nan
        self._p = math.nan

    @property
    def drift_detected(self) -> bool:
        """Whether the last value fed triggered a detection."""
        return self._drift

    @property
    def statistic(self) -> float:
        """KS statistic of the last check (NaN before the first)."""
        return self._stat

    @property
    def p_value(self) -> float:
        """Exact p-value of the last check (NaN before the first)."""
        return self._p

    @property
    def level(self) -> float:
        """Significance level of one check."""
        return self._level

    @property
    def critical_value(self) -> float:
        """Smallest KS statistic that reports a change."""
        return self._k_crit / self.stat_size

    def _is_check(self, count: int) -> bool:
        assert self.check_every is not None
        return count >= self.window_size and (count - self.window_size) % self.check_every == 0

    def _record(self, k: int) -> bool:
        self._stat = k / self.stat_size
        self._p = ks_equal_n_sf_at(self.stat_size, k)
        return k >= self._k_crit

    # --------------------------------------------------------- one at a time
    def update(self, x: float) -> bool:
        """Feed one value; return True when a change is detected at it.

        Parameters
        ----------
        x : float
            A finite real value (bools count as 0 and 1).

        Returns
        -------
        bool
            Whether a change was detected at this value.
        """
        v = _check_value(x, "KSWIN.update", bounded=False)  # ranks: any magnitude
        if self._drift:
            self.reset()
        n = self.window_size
        self._buf[self._count % n] = v
        self._count += 1
        if not self._is_check(self._count):
            self._drift = False
            return False
        window = self._buf[(self._count + np.arange(n)) % n]
        r = self.stat_size
        keys = self._gen.random(n - r)
        old = window[_draw(keys, r)]
        k = int(_ks_counts(old[None, :], window[None, n - r :])[0])
        self._drift = self._record(k)
        return self._drift

    # ------------------------------------------------------------ vectorised
    def update_many(self, xs: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Feed many values; return the indices into ``xs`` of detections.

        Gives exactly the detections, and leaves the state, of calling
        :meth:`update` on each value in turn; the KS statistics of many checks
        are computed at once.

        Parameters
        ----------
        xs : array-like of shape (n,)
            Finite real values.

        Returns
        -------
        numpy.ndarray of intp
            Indices of the values at which a change was detected.
        """
        caller = "KSWIN.update_many"
        x = check_1d(refuse_text(xs, caller), "xs", caller=caller, min_samples=0)
        assert self.check_every is not None
        n, r, e = self.window_size, self.stat_size, self.check_every
        found: list[int] = []
        pos = 0
        total = x.shape[0]
        batch = _MIN_BATCH
        while pos < total:
            if self._drift:
                self.reset()
                batch = _MIN_BATCH
            c0 = self._count
            # the first check at or after pos, as a count since the reset
            nxt = n if c0 < n else c0 + 1 + (-(c0 + 1 - n) % e)
            first = pos + (nxt - c0 - 1)  # its index into x
            # a batch draws (checks, n - r) keys and sorts them: at most about
            # _MAX_KEYS of them (1024 checks of a 10**6 window needed 24 GB);
            # the draws come in the same order whatever the batch size
            stop = min(total, first + e * max(1, min(batch, _MAX_KEYS // (n - r))))
            if first >= total:
                stop = total
            hit = -1
            if first < stop:
                # indices into x of checks (a step beyond 2**63 made them floats)
                ends = np.arange(first, stop, min(e, stop - first))
                held = min(c0, n)
                past = self._buf[(c0 - held + np.arange(held)) % n]
                ext = np.concatenate((past, x[pos:stop]))
                # the window of the check at x index j ends at ext[j - pos + held]
                starts = ends - pos + held - n + 1
                state = copy.deepcopy(self._gen.bit_generator.state)
                keys = self._gen.random((ends.shape[0], n - r))
                # gather both samples of every check straight from ext
                recent = np.broadcast_to(np.arange(n - r, n), (ends.shape[0], r))
                idx = np.concatenate((_draw(keys, r), recent), axis=1)
                idx += starts[:, None]
                ks = _ks_counts_joint(ext[idx])
                hits = np.flatnonzero(ks >= self._k_crit)
                last = int(hits[0]) if hits.size else ends.shape[0] - 1
                if hits.size:
                    hit = int(ends[last])
                    stop = hit + 1
                    # consume exactly the draws of the checks up to the hit
                    self._gen.bit_generator.state = state
                    self._gen.random((last + 1, n - r))
                self._record(int(ks[last]))
            seg = x[pos:stop]
            m = seg.shape[0]
            idx = (self._count + np.arange(max(0, m - n), m)) % n
            self._buf[idx] = seg[max(0, m - n) :]
            self._count += m
            self._drift = hit >= 0
            if hit >= 0:
                found.append(hit)
            pos = stop
            batch = min(2 * batch, _MAX_BATCH)
        return np.asarray(found, dtype=np.intp)
