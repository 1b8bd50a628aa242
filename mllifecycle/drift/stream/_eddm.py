"""EDDM, the Early Drift Detection Method of Baena-García et al. (2006)."""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_int, check_scalar, fail
from mllifecycle.drift.stream._base import (
    NO_WARNINGS,
    FloatArray,
    IndexArray,
    WarningDetectorBase,
    error_mask,
    error_value,
    float_range,
)

__all__ = ["EDDM"]


@attrs.define(slots=True)
class EDDM(WarningDetectorBase):
    r"""Early Drift Detection Method (EDDM) on a stream of 0/1 errors.

    EDDM watches the *distance* (number of values) between consecutive
    errors rather than the error rate, which reacts earlier to gradual
    change. At each error it updates the mean :math:`p'` and standard
    deviation :math:`s'` of the distances and remembers the largest
    :math:`p' + 2s'` seen. Once more than ``grace_period`` values and more than
    ``grace_period`` errors were seen, an error whose level
    :math:`(p' + 2s') / \max(p' + 2s')` falls below ``warning_ratio`` enters the
    warning zone, and below ``drift_ratio`` signals a change. After a change it
    restarts on the next value. The semantics are those of River's
    ``drift.binary.EDDM``.

    Parameters
    ----------
    grace_period : int, default=30
        Number of values, and of errors, to see before decisions are made
        (River's ``warm_start``).
    warning_ratio : float, default=0.95
        Warning level of the ratio, in (0, 1] (River's ``alpha``).
    drift_ratio : float, default=0.9
        Detection level of the ratio, in (0, 1], at most ``warning_ratio``
        (River's ``beta``).

    Attributes
    ----------
    drift_detected : bool
        Whether the last value triggered a detection.
    warning_detected : bool
        Whether the detector is in its warning zone after the last value (it
        only changes at errors).
    warnings_ : numpy.ndarray
        Indices, into the ``xs`` of the latest ``update_many`` call, at which
        ``warning_detected`` was True.

    Notes
    -----
    Input: ``error`` values in {0, 1} (1 = the model was wrong; bools are
    accepted). The distances are integers, so the state is their count, sum
    and sum of squares (exact in floating point below :math:`2^{53}`); River
    uses Welford's running variance, which agrees to rounding error.

    References
    ----------
    .. [1] Baena-García, M., del Campo-Ávila, J., Fidalgo, R., Bifet, A.,
       Gavaldà, R. and Morales-Bueno, R. (2006). Early drift detection method.
       In *Fourth International Workshop on Knowledge Discovery from Data
       Streams*, pp. 77-86.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import EDDM
    >>> rng = np.random.default_rng(0)
    >>> errors = np.r_[rng.random(3000) < 0.05, rng.random(3000) < 0.4]
    >>> detector = EDDM()
    >>> hits = detector.update_many(errors)
    >>> bool((hits > 3000).any())
    True
    """

    grace_period: int = 30
    warning_ratio: float = 0.95
    drift_ratio: float = 0.9

    _binary = True
    # integer counts and sums, and no division by zero (see _scan): its
    # arithmetic raises no floating-point warning, so no errstate is needed
    _needs_errstate = False

    _n: int = attrs.field(init=False, default=0, repr=False)
    _last_error: int = attrs.field(init=False, default=0, repr=False)
    _n_errors: int = attrs.field(init=False, default=0, repr=False)
    _d1: float = attrs.field(init=False, default=0.0, repr=False)
    _d2: float = attrs.field(init=False, default=0.0, repr=False)
    _p2s_max: float = attrs.field(init=False, default=-1.0, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "EDDM"
        self.grace_period = check_int(self.grace_period, "grace_period", caller=caller, low=0)
        self.warning_ratio = check_scalar(
            self.warning_ratio, "warning_ratio", caller=caller,
            low=0.0, high=1.0, low_inclusive=False,
        )
        self.drift_ratio = check_scalar(
            self.drift_ratio, "drift_ratio", caller=caller,
            low=0.0, high=1.0, low_inclusive=False,
        )
        if self.drift_ratio > self.warning_ratio:
            fail(
                "drift_ratio",
                f"at most warning_ratio={self.warning_ratio!r}",
                self.drift_ratio,
                caller,
            )

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._warning_detected = False
        self._n = 0
        self._last_error = 0
        self._n_errors = 0
        self._d1 = 0.0
        self._d2 = 0.0
        self._p2s_max = -1.0

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
        t = type(x)
        if (t is int or t is bool or t is float) and (x == 1 or x == 0):
            e = 1 if x else 0
        else:
            e = error_value(x, "EDDM.update")
        if self._drift_detected:
            self._reset_state()
        n = self._n + 1
        self._n = n
        if not e:
            return False
        dist = float(n - self._last_error)
        self._last_error = n
        m = self._n_errors + 1
        self._n_errors = m
        d1 = self._d1 + dist
        d2 = self._d2 + dist * dist
        self._d1 = d1
        self._d2 = d2
        if n <= self.grace_period:
            return False
        mean = d1 / m
        ss = d2 - d1 * mean
        var = ss / (m - 1) if (m > 1 and ss > 0.0) else 0.0
        p2s = mean + 2.0 * math.sqrt(var)
        if p2s > self._p2s_max:
            self._p2s_max = p2s
        elif m > self.grace_period:
            level = p2s / self._p2s_max
            if level < self.drift_ratio:
                self._drift_detected = True
                return True
            self._warning_detected = level < self.warning_ratio
        return False

    def _validate_many(self, xs: object) -> FloatArray:
        # only the positions of the errors matter: a bool array makes
        # nonzero several times faster than on float64
        mask = error_mask(xs)
        if mask is None:
            mask = super()._validate_many(xs).astype(bool)
        return mask  # type: ignore[return-value]

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_]]:
        # the statistics change only at errors, so they are computed per
        # error (k of them) rather than per element; few NumPy calls, as a
        # window's fixed cost matters
        m_el = block.shape[0]
        pos = block.nonzero()[0]  # block offsets of the errors
        k = pos.shape[0]
        n0 = self._n
        if k == 0:
            self._n = n0 + m_el
            self._drift_detected = False
            if self._warning_detected:
                return -1, np.ones(m_el, dtype=bool)
            return -1, NO_WARNINGS
        e0 = self._n_errors
        # distances between errors and their running sums, each added to the
        # carried sum in turn, as update() does (so the same floats even
        # past 2**53, where integer sums start to round)
        d1 = np.empty(k)
        d1[0] = n0 + 1 + int(pos[0]) - self._last_error
        np.subtract(pos[1:], pos[:-1], out=d1[1:])
        d2 = d1 * d1
        d2[0] += self._d2
        np.add.accumulate(d2, out=d2)
        d1[0] += self._d1
        np.add.accumulate(d1, out=d1)
        cnt = float_range(e0 + 1, k)
        mean = d1 / cnt
        # var = ss / (cnt - 1) if (cnt > 1 and ss > 0) else 0: the first
        # error after a restart has ss == 0 exactly (d2 = d1 * d1 there), so
        # it is skipped rather than divided by zero, and the clamp at 0
        # gives 0 (or -0.0, whose square root leaves mean unchanged) else
        ss = d1 * mean
        np.subtract(d2, ss, out=ss)
        lo = 1 if e0 == 0 else 0
        np.divide(ss[lo:], float_range(e0 + lo, k - lo), out=ss[lo:])
        np.maximum(ss, 0.0, out=ss)
        p2s = np.sqrt(ss, out=ss)
        np.multiply(p2s, 2.0, out=p2s)
        np.add(mean, p2s, out=p2s)
        # errors from index ia on come after grace_period values (n > grace),
        # from r0 on also after grace_period errors: there they are decided
        g = self.grace_period
        ia = int(pos.searchsorted(g - n0 - 1, side="right"))
        r0 = max(ia, g - e0)
        j_end = k - 1
        d = -1
        warn: npt.NDArray[np.bool_] = NO_WARNINGS
        w0 = self._warning_detected
        p2s_max = self._p2s_max
        if ia < k:
            act = p2s[ia:]
            # running maximum of p2s before each error (p2s_max included)
            before = np.empty(k - ia)
            before[0] = p2s_max
            before[1:] = act[:-1]
            np.maximum.accumulate(before, out=before)
            if r0 < k:
                dec_p2s = act[r0 - ia :]
                dec_max = before[r0 - ia :]
                level = dec_p2s / dec_max
                decide = dec_p2s <= dec_max  # else a new maximum
                drift = level < self.drift_ratio
                drift &= decide
                j = int(drift.argmax())  # the first True (argmax stops at it)
                if drift[j]:
                    j_end = r0 + j
                    d = int(pos[j_end])
                    decide = decide[:j]  # the detected error sets no warning
                    level = level[:j]
                warn, w_end = _carried_flags(
                    pos[r0 : r0 + decide.shape[0]],
                    decide,
                    level < self.warning_ratio,
                    w0,
                    d + 1 if d >= 0 else m_el,
                )
                w0 = w_end
            i = j_end - ia
            if i >= 0:
                p2s_max = max(p2s_max, float(act[i]), float(before[i]))
        if w0 and warn is NO_WARNINGS:
            warn = np.ones(d + 1 if d >= 0 else m_el, dtype=bool)
        self._n = n0 + (d + 1 if d >= 0 else m_el)
        self._last_error = n0 + 1 + int(pos[j_end])
        self._n_errors = e0 + j_end + 1
        self._d1 = float(d1[j_end])
        self._d2 = float(d2[j_end])
        self._p2s_max = p2s_max
        self._warning_detected = w0
        self._drift_detected = d >= 0
        return d, warn


def _carried_flags(
    at: IndexArray,
    decide: npt.NDArray[np.bool_],
    value: npt.NDArray[np.bool_],
    w0: bool,
    length: int,
) -> tuple[npt.NDArray[np.bool_], bool]:
    """Per-element warning flags: ``value`` set at the deciding errors, carried forward.

    ``at`` are the errors' block offsets, ``w0`` the flag before the block,
    ``length`` the elements to flag. Returns the flags (or
    :data:`NO_WARNINGS` when all are False) and the last one. Only the
    errors at which the flag changes are kept, so ``numpy.repeat`` gets a
    few runs rather than one per error.
    """
    if not decide.all():  # the others keep the flag as it was
        at = at[decide]
        value = value[decide]
    vals = np.empty(at.shape[0] + 1, dtype=bool)
    vals[0] = w0
    vals[1:] = value
    change = np.flatnonzero(vals[1:] != vals[:-1])
    w_end = bool(vals[-1])
    if change.shape[0] == 0:
        if w0:
            return np.ones(length, dtype=bool), w_end
        return NO_WARNINGS, w_end
    edges = np.empty(change.shape[0] + 2, dtype=np.intp)
    edges[0] = 0
    edges[1:-1] = at[change]
    edges[-1] = length
    runs = np.empty(change.shape[0] + 1, dtype=bool)
    runs[0] = w0
    runs[1:] = vals[1:][change]
    return np.repeat(runs, edges[1:] - edges[:-1]), w_end
