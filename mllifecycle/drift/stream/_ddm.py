"""DDM, the Drift Detection Method of Gama et al. (2004)."""

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
    last_true_index,
    shifted_running_min,
)

__all__ = ["DDM"]


@attrs.define(slots=True)
class DDM(WarningDetectorBase):
    r"""Drift Detection Method (DDM) on a stream of 0/1 errors.

    DDM watches a classifier's error rate. After :math:`n` values with
    :math:`k` errors it has :math:`p_n = k/n` and
    :math:`s_n = \sqrt{p_n(1-p_n)/n}`, remembers :math:`p_{min}, s_{min}`
    where :math:`p_n + s_n` was smallest, and (once more than ``grace_period``
    values were seen) enters the warning zone when
    :math:`p_n + s_n > p_{min} + w\,s_{min}` and signals a change when
    :math:`p_n + s_n > p_{min} + d\,s_{min}`. After a change it restarts on the
    next value. The semantics are those of River's ``drift.binary.DDM``.

    Parameters
    ----------
    grace_period : int, default=30
        Number of values to see before warnings and detections are possible
        (River's ``warm_start``).
    warning_threshold : float, default=2.0
        :math:`w`, in standard deviations (about 95% confidence).
    drift_threshold : float, default=3.0
        :math:`d`, in standard deviations (about 99% confidence); must be at
        least ``warning_threshold``.

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
    accepted); anything else raises
    :class:`~mllifecycle.exceptions.InvalidParameterError`. The state is the
    counts :math:`(n, k)`, so :math:`p_n = k/n` is computed exactly rounded;
    River keeps an incrementally updated mean, which can differ in the last
    bit, so the two can only disagree where a statistic ties its threshold to
    within rounding error.

    References
    ----------
    .. [1] Gama, J., Medas, P., Castillo, G. and Rodrigues, P. (2004).
       Learning with drift detection. In *Advances in Artificial Intelligence
       - SBIA 2004*, LNCS 3171, pp. 286-295. Springer.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import DDM
    >>> rng = np.random.default_rng(0)
    >>> errors = np.r_[rng.random(1000) < 0.1, rng.random(1000) < 0.5]
    >>> detector = DDM()
    >>> hits = detector.update_many(errors)
    >>> int(hits[0]) > 1000
    True
    """

    grace_period: int = 30
    warning_threshold: float = 2.0
    drift_threshold: float = 3.0

    _binary = True

    _n: int = attrs.field(init=False, default=0, repr=False)
    _k: int = attrs.field(init=False, default=0, repr=False)
    _p_min: float = attrs.field(init=False, default=0.0, repr=False)
    _s_min: float = attrs.field(init=False, default=0.0, repr=False)
    _ps_min: float = attrs.field(init=False, default=math.inf, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "DDM"
        self.grace_period = check_int(self.grace_period, "grace_period", caller=caller, low=0)
        self.warning_threshold = check_scalar(
            self.warning_threshold, "warning_threshold", caller=caller,
            low=0.0, low_inclusive=False,
        )
        self.drift_threshold = check_scalar(
            self.drift_threshold, "drift_threshold", caller=caller,
            low=0.0, low_inclusive=False,
        )
        if self.drift_threshold < self.warning_threshold:
            fail(
                "drift_threshold",
                f"at least warning_threshold={self.warning_threshold!r}",
                self.drift_threshold,
                caller,
            )

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._warning_detected = False
        self._n = 0
        self._k = 0
        self._p_min = 0.0
        self._s_min = 0.0
        self._ps_min = math.inf

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
            e = error_value(x, "DDM.update")
        if self._drift_detected:
            self._reset_state()
        n = self._n + 1
        k = self._k + e
        self._n = n
        self._k = k
        if n <= self.grace_period:
            return False
        p = k / n
        s = math.sqrt(p * (1 - p) / n)
        ps = p + s
        if ps <= self._ps_min:
            self._p_min = p
            self._s_min = s
            self._ps_min = ps
        if ps > self._p_min + self.drift_threshold * self._s_min:
            self._drift_detected = True
            self._warning_detected = False
            return True
        self._warning_detected = ps > self._p_min + self.warning_threshold * self._s_min
        return False

    def _scan(self, block: FloatArray) -> tuple[int, npt.NDArray[np.bool_]]:
        m = block.shape[0]
        n = self._n + np.arange(1, m + 1, dtype=np.float64)
        k = self._k + np.cumsum(block)
        # (no stream reaches 2**62 values; a larger int would overflow the float)
        active = n > min(self.grace_period, 2**62)
        p = k / n
        s = np.sqrt(p * (1 - p) / n)
        ps = p + s
        ps_act = np.where(active, ps, np.inf)
        is_min = active & (ps_act <= shifted_running_min(ps_act, self._ps_min))
        last = last_true_index(is_min)
        has = last >= 0
        p_min = np.where(has, p[last], self._p_min)
        s_min = np.where(has, s[last], self._s_min)
        drift = active & (ps > p_min + self.drift_threshold * s_min)
        warn = active & (ps > p_min + self.warning_threshold * s_min) & ~drift
        hits = np.flatnonzero(drift)
        d = int(hits[0]) if hits.shape[0] else -1
        end = d if d >= 0 else m - 1
        self._n = int(n[end])
        self._k = int(k[end])
        if has[end]:
            j = int(last[end])
            self._p_min = float(p[j])
            self._s_min = float(s[j])
            self._ps_min = float(ps[j])
        if active[end]:
            self._warning_detected = bool(warn[end])
        self._drift_detected = d >= 0
        return d, warn[: end + 1]
