"""HDDM_A and HDDM_W, the Hoeffding-bound detectors of Frías-Blanco et al. (2015)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_bool, check_scalar, fail
from mllifecycle.drift.stream._base import (
    NO_WARNINGS,
    FloatArray,
    IndexArray,
    WarningDetectorBase,
    error_value,
    last_true_index,
    shifted_running_max,
    shifted_running_min,
)

__all__ = ["HDDM_A", "HDDM_W"]

BoolArray = npt.NDArray[np.bool_]

_count = np.count_nonzero

def _check_confidences(
    drift: float, warning: float, caller: str
) -> tuple[float, float]:
    d = check_scalar(
        drift, "alpha", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    w = check_scalar(
        warning, "warning_alpha", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    if w < d:
        fail("warning_alpha", f"at least alpha={d!r}", warning, caller)
    return d, w


def _binary_update(x: object, caller: str) -> int:
    t = type(x)
    if (t is int or t is bool or t is float) and (x == 1 or x == 0):
        return 1 if x else 0
    return error_value(x, caller)


@attrs.define(slots=True)
class HDDM_A(WarningDetectorBase):
    r"""HDDM_A: drift detection with Hoeffding's bound on moving averages.

    HDDM_A compares the mean error rate of the whole stream since the last
    restart with the mean up to a *cut point*: the time at which
    :math:`\bar z_t + \epsilon_t` was smallest, with Hoeffding's
    :math:`\epsilon_t = \sqrt{\ln(1/\delta_d)/(2t)}`. A change (increase of
    the error rate) is signalled when the difference of the two means exceeds
    Hoeffding's bound for two samples at significance level ``alpha``; a
    warning at ``warning_alpha``. With ``two_sided_test`` decreases are
    monitored as well. After a change it restarts on the next value. The
    semantics are those of River's ``drift.binary.HDDM_A`` (after MOA).

    Parameters
    ----------
    alpha : float, default=0.001
        :math:`\delta_d` in (0, 1), the significance level of the drift test
        (the bound on its false-alarm probability); smaller values detect
        less often. River calls it ``drift_confidence``.
    warning_alpha : float, default=0.005
        :math:`\delta_w` in (0, 1), the significance level of the warning
        test, at least ``alpha``. River calls it ``warning_confidence``.
    two_sided_test : bool, default=False
        Also detect decreases of the error rate.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value triggered a detection.
    warning_detected : bool
        Whether the detector is in its warning zone after the last value.
    warnings_ : numpy.ndarray
        Indices, into the ``xs`` of the latest ``update_many`` call, at which
        ``warning_detected`` was True.

    Notes
    -----
    Input: ``error`` values in {0, 1} (1 = the model was wrong; bools are
    accepted). River's HDDM_A also accepts real values in [0, 1]; here the
    binary use is the one supported, which lets the state be exact counts.

    References
    ----------
    .. [1] Frías-Blanco, I., del Campo-Ávila, J., Ramos-Jiménez, G.,
       Morales-Bueno, R., Ortiz-Díaz, A. and Caballero-Mota, Y. (2015). Online
       and non-parametric drift detection methods based on Hoeffding's bounds.
       *IEEE Transactions on Knowledge and Data Engineering* 27(3), 810-823.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import HDDM_A
    >>> rng = np.random.default_rng(0)
    >>> errors = np.r_[rng.random(2000) < 0.1, rng.random(2000) < 0.3]
    >>> hits = HDDM_A().update_many(errors)
    >>> bool((hits > 2000).any())
    True
    """

    alpha: float = 0.001
    warning_alpha: float = 0.005
    two_sided_test: bool = False

    _binary = True
    # counts, means and Hoeffding's bounds stay finite: no errstate needed
    _needs_errstate = False

    _n: int = attrs.field(init=False, default=0, repr=False)
    _k: int = attrs.field(init=False, default=0, repr=False)
    _n_min: int = attrs.field(init=False, default=0, repr=False)
    _k_min: int = attrs.field(init=False, default=0, repr=False)
    _f_min: float = attrs.field(init=False, default=math.inf, repr=False)
    _n_max: int = attrs.field(init=False, default=0, repr=False)
    _k_max: int = attrs.field(init=False, default=0, repr=False)
    _g_max: float = attrs.field(init=False, default=-math.inf, repr=False)
    _log_cut: float = attrs.field(init=False, default=0.0, repr=False, eq=False)
    _log_drift: float = attrs.field(init=False, default=0.0, repr=False, eq=False)
    _log_warn: float = attrs.field(init=False, default=0.0, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self.alpha, self.warning_alpha = _check_confidences(
            self.alpha, self.warning_alpha, "HDDM_A"
        )
        self.two_sided_test = check_bool(
            self.two_sided_test, "two_sided_test", "HDDM_A"
        )
        self._log_cut = math.log(1.0 / self.alpha)
        self._log_drift = math.log(2.0 / self.alpha)
        self._log_warn = math.log(2.0 / self.warning_alpha)

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._warning_detected = False
        self._n = 0
        self._k = 0
        self._n_min = 0
        self._k_min = 0
        self._f_min = math.inf
        self._n_max = 0
        self._k_max = 0
        self._g_max = -math.inf

    def update(self, x: float) -> bool:
        """Feed one error flag (1 = the model was wrong); return True on a change.

        Parameters
        ----------
        x : {0, 1} or bool
            Whether the model was wrong on this example.

        Returns
        -------
        bool
            True when a change is detected at this element.
        """
        e = _binary_update(x, "HDDM_A.update")
        if self._drift_detected:
            self._reset_state()
        n = self._n + 1
        k = self._k + e
        self._n = n
        self._k = k
        mean = k / n
        eps = math.sqrt(1.0 / (2 * n) * self._log_cut)
        f = mean + eps
        if f <= self._f_min:
            self._n_min = n
            self._k_min = k
            self._f_min = f
        g = mean - eps
        if g >= self._g_max:
            self._n_max = n
            self._k_max = k
            self._g_max = g
        drift = False
        warn = False
        n_min = self._n_min
        if n_min != n:
            diff = mean - self._k_min / n_min
            m = (n - n_min) / n_min * (1.0 / n)
            if diff >= math.sqrt(m / 2 * self._log_drift):
                drift = True
            elif diff >= math.sqrt(m / 2 * self._log_warn):
                warn = True
        if self.two_sided_test:
            n_max = self._n_max
            if n_max != n:
                diff = self._k_max / n_max - mean
                m = (n - n_max) / n_max * (1.0 / n)
                if diff >= math.sqrt(m / 2 * self._log_drift):
                    drift = True
                elif diff >= math.sqrt(m / 2 * self._log_warn):
                    warn = True
        self._drift_detected = drift
        self._warning_detected = warn
        return drift

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_]]:
        # the same floating-point operations as ``update``, element-wise; kept
        # to few NumPy calls because replay's calls of ~100 values are
        # dominated by their fixed cost. The arrays of length mlen + 1 hold
        # the carried cut point's value in slot 0 and element t's in slot t + 1
        mlen = block.shape[0]
        n0 = self._n
        lo = n0 + 1  # n at position 0
        hi = lo + mlen
        k = np.add.accumulate(block)
        k += float(self._k)  # (a float scalar is cheaper for NumPy to take)
        tables = _count_tables(self._log_cut, hi)
        if tables is not None:
            # n, 1/n and Hoeffding's eps by count, computed once (the same
            # operations as below, so the same floats)
            n, inv_n, eps = tables[1][lo:hi], tables[2][lo:hi], tables[3][lo:hi]
        else:
            n = np.arange(lo, hi, dtype=np.float64)
            inv_n = 1.0 / n
            # update's sqrt(1 / (2n) * log_cut): 1/(2n) is exactly inv_n / 2 and
            # (inv_n / 2) * log_cut is exactly rounded like inv_n * (log_cut / 2)
            eps = np.sqrt(inv_n * (0.5 * self._log_cut))
        # the means (slot 0: the carried cut's, written by _side when needed)
        means = np.empty(mlen + 1)
        mean = means[1:]
        np.divide(k, n, out=mean)
        # f = mean + eps, after the carried minimum f_min in slot 0
        fs = np.empty(mlen + 1)
        fs[0] = self._f_min
        f = fs[1:]
        np.add(mean, eps, out=f)
        log_drift, log_warn = self._log_drift, self._log_warn
        drift, warn, cuts = _side(
            fs, True, means, n, inv_n, n0, self._n_min, self._k_min, log_drift, log_warn
        )
        if self.two_sided_test:
            gs = np.empty(mlen + 1)
            gs[0] = self._g_max
            g = gs[1:]
            np.subtract(mean, eps, out=g)
            d2, w2, tops = _side(
                gs, False, means, n, inv_n, n0, self._n_max, self._k_max, log_drift, log_warn
            )
            if d2 is not None:
                drift = d2 if drift is None else drift | d2
            if w2 is not None:
                warn = w2 if warn is None else warn | w2
        else:
            g = mean - eps
        # array methods and count_nonzero: NumPy's function wrappers (np.argmax,
        # ndarray.any) cost more than the work on a block of ~100 values
        d = int(drift.argmax()) if drift is not None and _count(drift) else -1
        end = d if d >= 0 else mlen - 1
        self._n = n0 + end + 1
        self._k = int(k.item(end))
        # the increase side's cut point after element ``end``: cuts[end + 1]
        # holds 1 + its position (0 for the carried one; no cuts: none in the block)
        c = 0 if cuts is None else int(cuts.item(end + 1))
        if c:
            self._n_min = n0 + c
            self._k_min = int(k.item(c - 1))
            self._f_min = f.item(c - 1)
        if self.two_sided_test:
            c = 0 if tops is None else int(tops.item(end + 1))
        else:
            # the decrease side's cut point is state even when it is not
            # tested: after element ``end`` it is the last t <= end with
            # g[t] >= g_max and g[t] >= g[:t], i.e. the last position of
            # max(g[: end + 1]) (argmax of the reversed values finds it),
            # provided that maximum reaches the carried g_max
            top = end - int(g[end::-1].argmax())
            c = top + 1 if g.item(top) >= self._g_max else 0
        if c:
            self._n_max = n0 + c
            self._k_max = int(k.item(c - 1))
            self._g_max = g.item(c - 1)
        self._drift_detected = d >= 0
        if warn is None:
            self._warning_detected = False
            return d, NO_WARNINGS
        self._warning_detected = bool(warn[end])
        return d, warn[: end + 1]


# counts up to which n, 1/n and eps are tabulated (2 MiB a table)
_TABLE_CAP = 1 << 18
_TABLE_MIN = 1 << 12
_TABLES: dict[float, tuple[int, FloatArray, FloatArray, FloatArray]] = {}


def _count_tables(
    log_cut: float, stop: int
) -> tuple[int, FloatArray, FloatArray, FloatArray] | None:
    """``(size, n, 1/n, eps)`` by count n = 0, ..., size - 1, with size >= ``stop``.

    ``eps = sqrt((1/n) * (log_cut / 2))``: the operations of
    :meth:`HDDM_A.update`, so the same floats (index 0 holds inf). None past
    ``_TABLE_CAP``. Sizes are powers of two, so a stream's growing counts
    rebuild a table only a few times; one table per ``log_cut`` is kept.
    """
    got = _TABLES.get(log_cut)
    if got is not None and got[0] >= stop:
        return got
    if stop > _TABLE_CAP:
        return None
    size = max(_TABLE_MIN, 1 << (stop - 1).bit_length())
    n = np.arange(size, dtype=np.float64)
    with np.errstate(divide="ignore"):
        inv = 1.0 / n
    eps = np.sqrt(inv * (0.5 * log_cut))
    for t in (n, inv, eps):
        t.setflags(write=False)
    if len(_TABLES) >= 16:
        _TABLES.clear()
    out = _TABLES[log_cut] = (size, n, inv, eps)
    return out


_ZERO_BASED = np.arange((1 << 14) + 1, dtype=np.intp)


def _cut_index(cut: BoolArray, m: int) -> IndexArray:
    """For each slot t, the latest slot at or before t where ``cut`` holds (0 if none).

    Slot 0 stands for the carried cut point and slot t + 1 for element t, so
    ``out[t + 1]`` is 1 + the position of element t's cut point, 0 for the
    carried one.
    """
    idx = _ZERO_BASED[:m] if m <= _ZERO_BASED.shape[0] else np.arange(m)
    out: IndexArray = np.multiply(idx, cut)
    np.maximum.accumulate(out, out=out)
    return out


# screening margin: a relative 1e-9 is far above the few ulps by which the
# screen's terms can differ from the squares of the exact test's
_SCREEN = 1.0 - 1e-9


def _quiet_block(
    mean: FloatArray,
    increase: bool,
    mean_cut: float,
    n_cut: float,
    n_first: float,
    inv_first: float,
    log_warn: float,
) -> bool:
    """Whether no element of a block whose cut point is the carried one can warn.

    With one cut point for the whole block, diff = mean - mean_cut (increase
    side) is at most D = max(mean) - mean_cut, and the warning bound
    sqrt((n - n_cut) / (n_cut n) / 2 * log_warn) grows with n: it is least at
    the first element. So no element warns (nor drifts: log_drift >=
    log_warn) when D <= 0 or D * D is below the square of that least bound
    (with the screen's margin, which covers the rounding of both sides). One
    reduction instead of the element-wise screen; True for most blocks of a
    stable stream.
    """
    top = float(_max_of(mean)) - mean_cut if increase else mean_cut - float(_min_of(mean))
    if top <= 0.0:
        return True
    least = (n_first - n_cut) / n_cut * inv_first * (0.5 * log_warn * _SCREEN)
    return top * top <= least


_max_of = np.maximum.reduce
_min_of = np.minimum.reduce


def _side(
    values: FloatArray,
    increase: bool,
    means: FloatArray,
    n: FloatArray,
    inv_n: FloatArray,
    n0: int,
    n_carried: int,
    k_carried: int,
    log_drift: float,
    log_warn: float,
) -> tuple[BoolArray | None, BoolArray | None, IndexArray | None]:
    """One side of HDDM_A's two-sample Hoeffding tests, element-wise.

    ``values`` (length m + 1) are the carried cut's f = mean + eps (increase
    side; mean - eps for the decrease side) in slot 0 and the m elements'
    after it; ``means[1:]`` are the elements' means (slot 0 is free: the
    carried cut's mean is written there); ``n`` and ``inv_n`` the elements'
    counts and their reciprocals, ``n0`` the count before the block. Returns
    the drift and warning flags of the m elements (None for flags that are
    all False) and the cut index of :func:`_cut_index` (None when no element
    is a cut point: all take the carried one, ``n_carried`` and
    ``k_carried``). There is no test where t is itself a cut (there n_cut =
    n, diff = 0). The exact tests are the operations of ``HDDM_A.update``,
    run on the positions a screen leaves.
    """
    mean = means[1:]
    # element t is a cut point when values[t + 1] reaches the running minimum
    # (increase) or maximum (decrease) of the slots up to it; slot 0 always does
    run = np.minimum.accumulate(values) if increase else np.maximum.accumulate(values)
    cut = values == run
    cuts: IndexArray | None = None
    if _count(cut) == 1:
        # no element is a cut point: every one's is the carried one (then
        # n_carried > 0: a fresh state carries an infinite value, which the
        # first element always reaches). Scalars instead of gathers
        mean_cut: Any = k_carried / n_carried
        n_cut: Any = float(n_carried)
        if _quiet_block(mean, increase, mean_cut, n_cut, n.item(0), inv_n.item(0), log_warn):
            return None, None, None
        diff = mean - mean_cut if increase else mean_cut - mean
    else:
        cuts = _cut_index(cut, values.shape[0])
        at_cut = cuts[1:]
        counts = np.empty(values.shape[0])
        counts[1:] = n
        if not at_cut.item(0):  # the first element's cut is the carried one
            means[0] = k_carried / n_carried
            counts[0] = n_carried
        n_cut = counts[at_cut]
        mean_cut = means[at_cut]
        diff = np.subtract(mean, mean_cut, out=mean_cut) if increase else mean_cut - mean
    # screen: a warning (or a drift: log_warn <= log_drift) needs diff >= 0
    # and diff >= sqrt(half * log_warn), half = (n - n_cut) / n_cut * (1/n) / 2,
    # so diff * diff > half * log_warn * (1 - 1e-9); the exact tests then run
    # on the screened positions only
    h = n - n_cut
    h /= n_cut
    h *= inv_n
    h *= 0.5 * log_warn * _SCREEN
    maybe = np.multiply(diff, diff) > h
    if not _count(maybe):
        return None, None, cuts
    at = maybe.nonzero()[0]
    d_at = diff[at]
    nc_at = n_cut if cuts is None else n_cut[at]
    half = n[at] - nc_at
    half /= nc_at
    half *= inv_n[at]
    half /= 2.0
    bound = np.sqrt(half * log_drift)
    drift_at = d_at >= bound
    warn_at = d_at >= np.sqrt(half * log_warn)
    warn_at &= ~drift_at
    m = n.shape[0]
    drift = np.zeros(m, dtype=bool)
    drift[at] = drift_at
    warn = np.zeros(m, dtype=bool)
    warn[at] = warn_at
    return drift, warn, cuts


_IBC_CAP = 1 << 22


@lru_cache(maxsize=32)
def _ibc_array(lam: float) -> npt.NDArray[np.float64]:
    """McDiarmid's independent bound condition after c updates, c = 0, 1, ...

    ``ibc_0 = 1`` and ``ibc_c = lam**2 + (1 - lam)**2 * ibc_{c-1}``, iterated
    in floating point (``lfilter`` runs the same recursion in C) until it
    stops changing; the last entry then holds for every larger c. Raises
    ValueError if it does not settle within ``_IBC_CAP`` steps.
    """
    from scipy.signal import lfilter

    a = lam * lam
    b = (1 - lam) ** 2
    parts = [np.ones(1)]
    last = 1.0
    size = 1
    chunk = 1 << 10
    while size < _IBC_CAP:
        y = np.asarray(
            lfilter([a], [1.0, -b], np.ones(chunk), zi=[b * last])[0],
            dtype=np.float64,
        )
        prev_last = last
        parts.append(y)
        size += chunk
        same = np.flatnonzero(y == np.r_[prev_last, y[:-1]])
        if same.shape[0]:
            arr = np.concatenate(parts)[: size - chunk + int(same[0])]
            arr.setflags(write=False)
            return arr
        last = float(y[-1])
        chunk = min(2 * chunk, 1 << 18)
    raise ValueError("the bound condition did not settle")


def _ibc_at(table: npt.NDArray[np.float64], counts: npt.NDArray[np.intp]) -> FloatArray:
    out: FloatArray = table[np.minimum(counts, table.shape[0] - 1)]
    return out


def _ewma_segments(
    x: FloatArray, starts: IndexArray, lengths: IndexArray, lam: float, keep: float
) -> FloatArray:
    """EWMA restarted at each segment (first value taken as is), bit-exact.

    Segment ``i`` covers ``x[starts[i] : starts[i] + lengths[i]]`` (lengths
    >= 1). Within a segment ``y = lam * x + keep * y_prev`` evaluated in the
    same order as a scalar loop (``scipy.signal.lfilter`` runs that
    recursion in C); segments are grouped by length so each group is one
    2-D ``lfilter`` call.
    """
    from scipy.signal import lfilter

    y = np.zeros_like(x)
    if starts.shape[0] == 0:
        return y
    y[starts] = x[starts]
    long = lengths > 1
    if not long.any():
        return y
    st = starts[long]
    ln = lengths[long]
    bucket = np.ceil(np.log2(ln)).astype(np.intp)
    for b in np.unique(bucket):
        sel = bucket == b
        s_b = st[sel]
        l_b = ln[sel]
        width = int(l_b.max())
        offs = np.arange(1, width, dtype=np.intp)
        idx = s_b[:, None] + offs[None, :]
        valid = offs[None, :] < l_b[:, None]
        idx_c = np.where(valid, idx, s_b[:, None])
        mat = x[idx_c]
        zi = (keep * x[s_b])[:, None]
        out, _ = lfilter([lam], [1.0, -keep], mat, axis=1, zi=zi)
        y[idx[valid]] = out[valid]
    return y


def _ewma_continue(x: FloatArray, y0: float, lam: float, keep: float) -> FloatArray:
    """EWMA over ``x`` continuing from a previous value ``y0``, bit-exact."""
    from scipy.signal import lfilter

    out, _ = lfilter([lam], [1.0, -keep], x, zi=[keep * y0])
    return np.asarray(out, dtype=np.float64)


@attrs.define(slots=True)
class HDDM_W(WarningDetectorBase):
    r"""HDDM_W: drift detection with McDiarmid's bound on weighted averages.

    HDDM_W tracks the exponentially weighted moving average (EWMA, weight
    ``smoothing_factor`` on the newest value) of the error rate. It keeps a cut
    point where the EWMA plus McDiarmid's bound was smallest, and compares
    the EWMA of the values since that cut point with the EWMA up to it: a
    change is signalled when their difference exceeds McDiarmid's bound at
    significance level ``alpha``, a warning at ``warning_alpha``.
    With ``two_sided_test`` decreases are monitored as well. After a change
    it restarts on the next value. The semantics are those of River's
    ``drift.binary.HDDM_W`` (after MOA).

    Parameters
    ----------
    alpha : float, default=0.001
        :math:`\delta_d` in (0, 1), the significance level of the drift test
        (the bound on its false-alarm probability); smaller values detect
        less often. River calls it ``drift_confidence``.
    warning_alpha : float, default=0.005
        :math:`\delta_w` in (0, 1), the significance level of the warning
        test, at least ``alpha``. River calls it ``warning_confidence``.
    smoothing_factor : float, default=0.05
        :math:`\lambda`, the EWMA weight of the newest value, in [1e-5, 1]
        (River's ``lambda_val``; the bound's table must settle, which takes
        about ``37 / smoothing_factor`` steps).
    two_sided_test : bool, default=False
        Also detect decreases of the error rate.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value triggered a detection.
    warning_detected : bool
        Whether the detector is in its warning zone after the last value.
    warnings_ : numpy.ndarray
        Indices, into the ``xs`` of the latest ``update_many`` call, at which
        ``warning_detected`` was True.

    Notes
    -----
    Input: ``error`` values in {0, 1} (1 = the model was wrong; bools are
    accepted). The EWMA recursion is evaluated in the same order as River's,
    so the statistics agree bit for bit.

    References
    ----------
    .. [1] Frías-Blanco, I., del Campo-Ávila, J., Ramos-Jiménez, G.,
       Morales-Bueno, R., Ortiz-Díaz, A. and Caballero-Mota, Y. (2015). Online
       and non-parametric drift detection methods based on Hoeffding's bounds.
       *IEEE Transactions on Knowledge and Data Engineering* 27(3), 810-823.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import HDDM_W
    >>> rng = np.random.default_rng(0)
    >>> errors = np.r_[rng.random(2000) < 0.1, rng.random(2000) < 0.4]
    >>> hits = HDDM_W().update_many(errors)
    >>> bool((hits > 2000).any())
    True
    """

    alpha: float = 0.001
    warning_alpha: float = 0.005
    smoothing_factor: float = 0.05
    two_sided_test: bool = False

    _binary = True

    # the whole stream since the last restart: EWMA and number of values
    _t_ewma: float = attrs.field(init=False, default=0.0, repr=False)
    _t_cnt: int = attrs.field(init=False, default=0, repr=False)
    # increase side: cut value, snapshot of the total at the cut, EWMA since
    _i_cut: float = attrs.field(init=False, default=math.inf, repr=False)
    _i1_ewma: float = attrs.field(init=False, default=0.0, repr=False)
    _i1_cnt: int = attrs.field(init=False, default=0, repr=False)
    _i2_ewma: float = attrs.field(init=False, default=0.0, repr=False)
    _i2_cnt: int = attrs.field(init=False, default=0, repr=False)
    # decrease side (kept only with two_sided_test)
    _d_cut: float = attrs.field(init=False, default=-math.inf, repr=False)
    _d1_ewma: float = attrs.field(init=False, default=0.0, repr=False)
    _d1_cnt: int = attrs.field(init=False, default=0, repr=False)
    _d2_ewma: float = attrs.field(init=False, default=0.0, repr=False)
    _d2_cnt: int = attrs.field(init=False, default=0, repr=False)
    _keep: float = attrs.field(init=False, default=0.0, repr=False, eq=False)
    _log_drift: float = attrs.field(init=False, default=0.0, repr=False, eq=False)
    _log_warn: float = attrs.field(init=False, default=0.0, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "HDDM_W"
        self.alpha, self.warning_alpha = _check_confidences(
            self.alpha, self.warning_alpha, caller
        )
        self.smoothing_factor = check_scalar(
            self.smoothing_factor, "smoothing_factor", caller=caller, low=1e-5, high=1.0
        )
        _ibc_array(self.smoothing_factor)  # build (and cache) the bound table now
        self.two_sided_test = check_bool(self.two_sided_test, "two_sided_test", caller)
        self._keep = 1 - self.smoothing_factor
        self._log_drift = math.log(1 / self.alpha)
        self._log_warn = math.log(1 / self.warning_alpha)

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._warning_detected = False
        self._t_ewma = 0.0
        self._t_cnt = 0
        self._i_cut = math.inf
        self._i1_ewma = 0.0
        self._i1_cnt = 0
        self._i2_ewma = 0.0
        self._i2_cnt = 0
        self._d_cut = -math.inf
        self._d1_ewma = 0.0
        self._d1_cnt = 0
        self._d2_ewma = 0.0
        self._d2_cnt = 0

    def update(self, x: float) -> bool:
        """Feed one error flag (1 = the model was wrong); return True on a change.

        Parameters
        ----------
        x : {0, 1} or bool
            Whether the model was wrong on this example.

        Returns
        -------
        bool
            True when a change is detected at this element.
        """
        e = float(_binary_update(x, "HDDM_W.update"))
        if self._drift_detected:
            self._reset_state()
        lam = self.smoothing_factor
        keep = self._keep
        table = _ibc_array(lam)
        top = table.shape[0] - 1
        cnt = self._t_cnt + 1
        tot = e if cnt == 1 else lam * e + keep * self._t_ewma
        self._t_cnt = cnt
        self._t_ewma = tot
        ibc = float(table[cnt if cnt < top else top])
        eps = math.sqrt(ibc * self._log_drift / 2)
        drift = False
        warn = False
        # increase side
        if tot + eps < self._i_cut:
            self._i_cut = tot + eps
            self._i1_ewma = tot
            self._i1_cnt = cnt
            self._i2_ewma = 0.0
            self._i2_cnt = 0
        else:
            c2 = self._i2_cnt + 1
            self._i2_ewma = e if c2 == 1 else lam * e + keep * self._i2_ewma
            self._i2_cnt = c2
            c1 = self._i1_cnt
            ibc_sum = float(table[min(c1, top)]) + float(table[min(c2, top)])
            diff = self._i2_ewma - self._i1_ewma
            if diff > math.sqrt(ibc_sum * self._log_drift / 2):
                drift = True
            elif diff > math.sqrt(ibc_sum * self._log_warn / 2):
                warn = True
        if self.two_sided_test:
            if tot - eps > self._d_cut:
                self._d_cut = tot - eps
                self._d1_ewma = tot
                self._d1_cnt = cnt
                self._d2_ewma = 0.0
                self._d2_cnt = 0
            else:
                c2 = self._d2_cnt + 1
                self._d2_ewma = e if c2 == 1 else lam * e + keep * self._d2_ewma
                self._d2_cnt = c2
                c1 = self._d1_cnt
                ibc_sum = float(table[min(c1, top)]) + float(table[min(c2, top)])
                diff = self._d1_ewma - self._d2_ewma
                if diff > math.sqrt(ibc_sum * self._log_drift / 2):
                    drift = True
                elif diff > math.sqrt(ibc_sum * self._log_warn / 2):
                    warn = True
        self._drift_detected = drift
        self._warning_detected = warn
        return drift

    def _side(
        self,
        block: FloatArray,
        tot: FloatArray,
        cnt: npt.NDArray[np.intp],
        eps: FloatArray,
        increase: bool,
    ) -> tuple[BoolArray, BoolArray, dict[str, npt.NDArray[np.generic]]]:
        """Cut points, tests and per-element state of one side, vectorised."""
        lam = self.smoothing_factor
        keep = self._keep
        table = _ibc_array(lam)
        mlen = block.shape[0]
        pos = np.arange(mlen, dtype=np.intp)
        if increase:
            f = tot + eps
            cut = f < shifted_running_min(f, self._i_cut)
            cut_val = np.minimum.accumulate(np.r_[self._i_cut, f])[1:]
            c1_ewma0, c1_cnt0 = self._i1_ewma, self._i1_cnt
            c2_ewma0, c2_cnt0 = self._i2_ewma, self._i2_cnt
        else:
            f = tot - eps
            cut = f > shifted_running_max(f, self._d_cut)
            cut_val = np.maximum.accumulate(np.r_[self._d_cut, f])[1:]
            c1_ewma0, c1_cnt0 = self._d1_ewma, self._d1_cnt
            c2_ewma0, c2_cnt0 = self._d2_ewma, self._d2_cnt
        last = last_true_index(cut)
        has = last >= 0
        li = np.maximum(last, 0)
        s1_ewma = np.where(has, tot[li], c1_ewma0)
        s1_cnt = np.where(has, cnt[li], c1_cnt0)
        # second sample: values after the latest cut (none at a cut itself)
        s2_cnt = np.where(has, pos - last, c2_cnt0 + pos + 1)
        s2_ewma = np.zeros(mlen)
        cut_pos = np.flatnonzero(cut)
        first_cut = int(cut_pos[0]) if cut_pos.shape[0] else mlen
        if first_cut > 0:  # continuing the carried second sample
            head = block[:first_cut]
            if c2_cnt0 > 0:
                s2_ewma[:first_cut] = _ewma_continue(head, c2_ewma0, lam, keep)
            else:
                s2_ewma[:first_cut] = _ewma_segments(
                    head, np.zeros(1, np.intp), np.full(1, first_cut, np.intp),
                    lam, keep,
                )
        if cut_pos.shape[0]:
            seg_start = cut_pos + 1
            seg_end = np.r_[cut_pos[1:], mlen]
            seg_len = seg_end - seg_start
            ok = seg_len > 0
            s2_ewma += np.where(
                (pos >= first_cut),
                _ewma_segments(block, seg_start[ok], seg_len[ok], lam, keep),
                0.0,
            ) if ok.any() else 0.0
        ibc_sum = _ibc_at(table, s1_cnt) + _ibc_at(table, s2_cnt)
        diff = s2_ewma - s1_ewma if increase else s1_ewma - s2_ewma
        testable = s2_cnt > 0
        drift = testable & (diff > np.sqrt(ibc_sum * self._log_drift / 2))
        warn = testable & ~drift & (diff > np.sqrt(ibc_sum * self._log_warn / 2))
        state: dict[str, npt.NDArray[np.generic]] = {
            "cut_val": cut_val,
            "s1_ewma": s1_ewma,
            "s1_cnt": s1_cnt,
            "s2_ewma": s2_ewma,
            "s2_cnt": s2_cnt,
        }
        return drift, warn, state

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_]]:
        lam = self.smoothing_factor
        keep = self._keep
        mlen = block.shape[0]
        table = _ibc_array(lam)
        cnt = self._t_cnt + np.arange(1, mlen + 1, dtype=np.intp)
        if self._t_cnt == 0:
            tot = _ewma_segments(
                block, np.zeros(1, np.intp), np.full(1, mlen, np.intp), lam, keep
            )
        else:
            tot = _ewma_continue(block, self._t_ewma, lam, keep)
        eps = np.sqrt(_ibc_at(table, cnt) * self._log_drift / 2)
        drift, warn, st_i = self._side(block, tot, cnt, eps, increase=True)
        st_d: dict[str, npt.NDArray[np.generic]] | None = None
        if self.two_sided_test:
            drift_d, warn_d, st_d = self._side(block, tot, cnt, eps, increase=False)
            drift = drift | drift_d
            warn = warn | warn_d
        hits = np.flatnonzero(drift)
        d = int(hits[0]) if hits.shape[0] else -1
        end = d if d >= 0 else mlen - 1
        self._t_ewma = float(tot[end])
        self._t_cnt = int(cnt[end])
        self._i_cut = float(st_i["cut_val"][end])
        self._i1_ewma = float(st_i["s1_ewma"][end])
        self._i1_cnt = int(st_i["s1_cnt"][end])
        self._i2_cnt = int(st_i["s2_cnt"][end])
        self._i2_ewma = float(st_i["s2_ewma"][end]) if self._i2_cnt else 0.0
        if st_d is not None:
            self._d_cut = float(st_d["cut_val"][end])
            self._d1_ewma = float(st_d["s1_ewma"][end])
            self._d1_cnt = int(st_d["s1_cnt"][end])
            self._d2_cnt = int(st_d["s2_cnt"][end])
            self._d2_ewma = float(st_d["s2_ewma"][end]) if self._d2_cnt else 0.0
        self._warning_detected = bool(warn[end])
        self._drift_detected = d >= 0
        return d, warn[: end + 1]

