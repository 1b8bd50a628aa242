"""EDDM, the Early Drift Detection Method of Baena-García et al. (2006)."""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_int, check_scalar, fail
from mllifecycle.drift.stream._base import (
    FloatArray,
    WarningDetectorBase,
    error_value,
    shifted_running_max,
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
        # flatnonzero several times faster than on float64
        arr: FloatArray = super()._validate_many(xs).astype(bool)
        return arr

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_]]:
        m_el = block.shape[0]
        pos = np.flatnonzero(block)  # block offsets of the errors
        n_at = (self._n + 1 + pos).astype(np.float64)
        prev = np.empty_like(n_at)
        if n_at.shape[0]:
            prev[0] = self._last_error
            prev[1:] = n_at[:-1]
        dist = n_at - prev
        d1 = self._d1 + np.cumsum(dist)
        d2 = self._d2 + np.cumsum(dist * dist)
        cnt = self._n_errors + np.arange(1, n_at.shape[0] + 1, dtype=np.float64)
        mean = d1 / cnt
        ss = d2 - d1 * mean
        var = np.where((cnt > 1) & (ss > 0.0), ss / np.maximum(cnt - 1, 1.0), 0.0)
        p2s = mean + 2.0 * np.sqrt(var)
        active = n_at > self.grace_period
        p2s_act = np.where(active, p2s, -np.inf)
        prev_max = shifted_running_max(p2s_act, self._p2s_max)
        is_new = active & (p2s > prev_max)
        decide = active & ~is_new & (cnt > self.grace_period)
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.where(decide, p2s / prev_max, 1.0)
        drift = decide & (level < self.drift_ratio)
        hits = np.flatnonzero(drift)
        j_end = int(hits[0]) if hits.shape[0] else n_at.shape[0] - 1
        d = int(pos[j_end]) if hits.shape[0] else -1
        # warning flags per element: set at deciding errors, carried forward
        sets = decide & ~drift
        warn_err = level < self.warning_ratio
        set_pos = pos[sets]
        vals = np.empty(set_pos.shape[0] + 1, dtype=bool)
        vals[0] = self._warning_detected
        vals[1:] = warn_err[sets]
        edges = np.empty(set_pos.shape[0] + 2, dtype=np.intp)
        edges[0] = 0
        edges[1:-1] = set_pos
        edges[-1] = m_el
        warn = np.repeat(vals, np.diff(edges))
        end_el = d if d >= 0 else m_el - 1
        self._n += end_el + 1
        if j_end >= 0:
            self._last_error = int(n_at[j_end])
            self._n_errors = int(cnt[j_end])
            self._d1 = float(d1[j_end])
            self._d2 = float(d2[j_end])
            upto = p2s_act[: j_end + 1]
            self._p2s_max = float(max(self._p2s_max, float(upto.max())))
        self._warning_detected = bool(warn[end_el])
        self._drift_detected = d >= 0
        return d, warn[: end_el + 1]
