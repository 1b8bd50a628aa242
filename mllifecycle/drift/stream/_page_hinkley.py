"""The Page-Hinkley test for a change in the mean (Page 1954)."""

from __future__ import annotations

import math

import attrs
import numpy as np

from mllifecycle._validation import check_int, check_option, check_scalar
from mllifecycle.drift.stream._base import FloatArray, StreamDetectorBase, real_value

__all__ = ["PageHinkley"]


@attrs.define(slots=True)
class PageHinkley(StreamDetectorBase):
    r"""Page-Hinkley test for a change in the mean of real values.

    With :math:`\bar x_t` the mean of the values since the last restart, the
    test accumulates the deviations with a forgetting factor :math:`\alpha`:

    .. math::

        U_t = \alpha U_{t-1} + (x_t - \bar x_t - \delta), \qquad
        L_t = \alpha L_{t-1} + (x_t - \bar x_t + \delta),

    and signals an increase when :math:`U_t - \min_{s \le t} U_s > \lambda`, a
    decrease when :math:`\max_{s \le t} L_s - L_t > \lambda` (``mode``
    chooses which), once ``min_instances`` values were seen. After a change
    it restarts on the next value. The semantics are those of River's
    ``drift.PageHinkley``.

    Parameters
    ----------
    min_instances : int, default=30
        Number of values to see before a change can be signalled.
    delta : float, default=0.005
        :math:`\delta >= 0`, the magnitude of change that is tolerated.
    threshold : float, default=50.0
        :math:`\lambda > 0`, the detection threshold.
    alpha : float, default=0.9999
        Forgetting factor in (0, 1]; 1 forgets nothing.
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
    evaluated as ``(dev - delta) + alpha * U``; River updates the mean
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

    min_instances: int = 30
    delta: float = 0.005
    threshold: float = 50.0
    alpha: float = 1 - 0.0001
    mode: str = "both"

    _n: int = attrs.field(init=False, default=0, repr=False)
    _sum: float = attrs.field(init=False, default=0.0, repr=False)
    _u: float = attrs.field(init=False, default=0.0, repr=False)
    _l: float = attrs.field(init=False, default=0.0, repr=False)
    _u_min: float = attrs.field(init=False, default=math.inf, repr=False)
    _l_max: float = attrs.field(init=False, default=-1.0, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "PageHinkley"
        self.min_instances = check_int(
            self.min_instances, "min_instances", caller=caller, low=0
        )
        self.delta = check_scalar(self.delta, "delta", caller=caller, low=0.0)
        self.threshold = check_scalar(
            self.threshold, "threshold", caller=caller, low=0.0, low_inclusive=False
        )
        self.alpha = check_scalar(
            self.alpha, "alpha", caller=caller, low=0.0, high=1.0, low_inclusive=False
        )
        self.mode = check_option(self.mode, "mode", ("both", "up", "down"), caller)

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._n = 0
        self._sum = 0.0
        self._u = 0.0
        self._l = 0.0
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
        a = self.alpha
        u = (dev - self.delta) + a * self._u
        low = (dev + self.delta) + a * self._l
        self._u = u
        self._l = low
        if u < self._u_min:
            self._u_min = u
        if low > self._l_max:
            self._l_max = low
        if n < self.min_instances:
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
        from scipy.signal import lfilter

        m = block.shape[0]
        a = self.alpha
        n = np.arange(self._n + 1, self._n + m + 1, dtype=np.float64)
        total = np.empty(m + 1)
        total[0] = self._sum
        total[1:] = block
        np.cumsum(total, out=total)
        total = total[1:]
        dev = block - total / n
        both = np.empty((2, m))
        np.subtract(dev, self.delta, out=both[0])
        np.add(dev, self.delta, out=both[1])
        zi = np.array([[a * self._u], [a * self._l]])
        filt = np.asarray(lfilter([1.0], [1.0, -a], both, axis=1, zi=zi)[0])
        u = filt[0]
        low = filt[1]
        u_min = np.minimum.accumulate(u)
        np.minimum(u_min, self._u_min, out=u_min)
        l_max = np.maximum.accumulate(low)
        np.maximum(l_max, self._l_max, out=l_max)
        active = n >= self.min_instances
        fire = np.zeros(m, dtype=bool)
        if self.mode != "down":
            fire |= u - u_min > self.threshold
        if self.mode != "up":
            fire |= l_max - low > self.threshold
        fire &= active
        hits = np.flatnonzero(fire)
        d = int(hits[0]) if hits.shape[0] else -1
        end = d if d >= 0 else m - 1
        self._n = int(n[end])
        self._sum = float(total[end])
        self._u = float(u[end])
        self._l = float(low[end])
        self._u_min = float(u_min[end])
        self._l_max = float(l_max[end])
        self._drift_detected = d >= 0
        return d, None

