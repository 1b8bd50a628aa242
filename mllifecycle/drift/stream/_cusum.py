"""Two-sided tabular CUSUM (Page 1954; Montgomery's tabular form)."""

from __future__ import annotations

import math

import attrs
import numpy as np

from mllifecycle._validation import check_option, check_scalar
from mllifecycle.drift.stream._base import (
    FloatArray,
    StreamDetectorBase,
    first_rise_blocked,
    real_value,
)

__all__ = ["CUSUM"]

# The cumulative sums restart from 0 when they reach a new minimum below this:
# C+ = S - m is then 0 exactly, and a sum of magnitude 1e17 had lost every
# digit of the next values (one value of -1e17 sigma left mode="up" blind for
# good, where the tabular recursion restarts at 0 and detects as before).
# At 2**30 the rounding of S - m is below 3e-7 sigma; streams whose sums stay
# above it give exactly the numbers they gave before.
_REBASE = -float(2**30)


@attrs.define(slots=True)
class CUSUM(StreamDetectorBase):
    r"""Two-sided tabular CUSUM chart for a shift of the mean from a target.

    With standardised values :math:`z_t = (x_t - \mu_0)/\sigma`, the upper
    and lower cumulative sums are

    .. math::

        C^+_t = \max(0,\ C^+_{t-1} + z_t - k), \qquad
        C^-_t = \max(0,\ C^-_{t-1} - z_t - k),

    starting at 0, and a change is signalled when :math:`C^+_t > h` (an
    increase) or :math:`C^-_t > h` (a decrease); ``mode`` chooses which.
    After a change both sums restart at 0 on the next value.

    Parameters
    ----------
    target : float, default=0.0
        :math:`\mu_0`, the in-control mean.
    sigma : float, default=1.0
        :math:`\sigma > 0`, the in-control standard deviation (``allowance``
        and ``threshold`` are in its units).
    allowance : float, default=0.5
        Reference value (allowance, slack) :math:`k >= 0`; half the shift, in
        standard deviations, the chart is tuned to detect fastest.
    threshold : float, default=5.0
        Decision interval :math:`h > 0`. With ``allowance=0.5``,
        ``threshold=5`` gives an in-control average run length of about 465
        per side (Montgomery, Table 9.3); use :func:`calibrate` to choose ``threshold`` for a target
        false-alarm rate.
    mode : {"both", "up", "down"}, default="both"
        Detect increases, decreases or both.

    Attributes
    ----------
    drift_detected : bool
        Whether the last value triggered a detection.
    statistic_up, statistic_down : float
        The current :math:`C^+_t` and :math:`C^-_t`.

    Notes
    -----
    Input: finite real values; NaN and infinities are rejected. The state is
    kept as the cumulative sum :math:`S_t` of :math:`z_t - k` and its running
    minimum :math:`m_t` (including 0), with :math:`C^+_t = S_t - m_t`, which
    equals the recursion above (Lindley's identity) and lets
    ``update_many`` use ``numpy.cumsum``; ``update`` uses the same
    arithmetic, so the two agree bit for bit. A sum that reaches a new
    minimum below :math:`-2^{30}` (where :math:`C^\pm_t = 0`) restarts from
    0, as the recursion does, so a huge value against the watched direction
    (``mode="up"`` fed :math:`-10^{17}`) does not round away the values
    after it.

    References
    ----------
    .. [1] Page, E. S. (1954). Continuous inspection schemes. *Biometrika*
       41(1/2), 100-115.
    .. [2] Montgomery, D. C. (2019). *Introduction to Statistical Quality
       Control*, 8th ed., Section 9.1 (the tabular CUSUM). Wiley.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import CUSUM
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(0, 1, 500), rng.normal(1, 1, 500)]
    >>> det = CUSUM(target=0.0, sigma=1.0, allowance=0.5, threshold=5.0)
    >>> hits = det.update_many(x)
    >>> int(hits[hits >= 500][0]) < 530
    True
    """

    target: float = 0.0
    sigma: float = 1.0
    allowance: float = 0.5
    threshold: float = 5.0
    mode: str = "both"

    _s_up: float = attrs.field(init=False, default=0.0, repr=False)
    _m_up: float = attrs.field(init=False, default=0.0, repr=False)
    _s_dn: float = attrs.field(init=False, default=0.0, repr=False)
    _m_dn: float = attrs.field(init=False, default=0.0, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "CUSUM"
        self.target = check_scalar(self.target, "target", caller=caller)
        self.sigma = check_scalar(
            self.sigma, "sigma", caller=caller, low=0.0, low_inclusive=False
        )
        self.allowance = check_scalar(self.allowance, "allowance", caller=caller, low=0.0)
        self.threshold = check_scalar(
            self.threshold, "threshold", caller=caller, low=0.0, low_inclusive=False
        )
        self.mode = check_option(self.mode, "mode", ("both", "up", "down"), caller)

    @property
    def statistic_up(self) -> float:
        """The upper cumulative sum :math:`C^+_t` after the last value."""
        return self._s_up - self._m_up

    @property
    def statistic_down(self) -> float:
        """The lower cumulative sum :math:`C^-_t` after the last value."""
        return self._s_dn - self._m_dn

    def _reset_state(self) -> None:
        self._drift_detected = False
        self._s_up = 0.0
        self._m_up = 0.0
        self._s_dn = 0.0
        self._m_dn = 0.0

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
            x = real_value(x, "CUSUM.update")
        if self._drift_detected:
            self._reset_state()
        z = (x - self.target) / self.sigma
        s_up = self._s_up + (z - self.allowance)
        s_dn = self._s_dn + (-z - self.allowance)
        if s_up < self._m_up:  # a new minimum: C+ is 0 exactly
            if s_up < _REBASE:
                s_up = 0.0  # restart the sum from 0 (see the class's Notes)
            self._m_up = s_up
        if s_dn < self._m_dn:
            if s_dn < _REBASE:
                s_dn = 0.0
            self._m_dn = s_dn
        self._s_up = s_up
        self._s_dn = s_dn
        mode = self.mode
        if (mode != "down" and s_up - self._m_up > self.threshold) or (
            mode != "up" and s_dn - self._m_dn > self.threshold
        ):
            self._drift_detected = True
            return True
        return False

    def _scan(self, block: FloatArray) -> tuple[int, None]:
        m = block.shape[0]
        z = (block - self.target) / self.sigma
        sums = np.empty((2, m + 1))
        sums[0, 0] = self._s_up
        sums[1, 0] = self._s_dn
        np.subtract(z, self.allowance, out=sums[0, 1:])
        np.subtract(-z, self.allowance, out=sums[1, 1:])
        np.cumsum(sums, axis=1, out=sums)
        if not (math.isfinite(sums[0, -1]) and math.isfinite(sums[1, -1])):
            # overflow near the float limits (a cumulative sum that leaves the
            # finite range never returns): redo this block exactly with update()
            return self._scan_by_update(block)  # type: ignore[return-value]
        s = sums[:, 1:]
        if self.mode == "up":
            d = first_rise_blocked(s[0], self._m_up, self.threshold)
        elif self.mode == "down":
            d = first_rise_blocked(s[1], self._m_dn, self.threshold)
        else:
            d = first_rise_blocked(s, np.array([self._m_up, self._m_dn]), self.threshold)
        end = d if d >= 0 else m - 1
        low_up = float(s[0, : end + 1].min())
        low_dn = float(s[1, : end + 1].min())
        if low_up < _REBASE or low_dn < _REBASE:
            # a sum fell far below 0 (a huge value against the direction
            # watched): update() restarts it from 0 there, which this
            # cumulative sum cannot do; redo the block exactly with update()
            return self._scan_by_update(block)  # type: ignore[return-value]
        self._s_up = float(s[0, end])
        self._s_dn = float(s[1, end])
        self._m_up = min(self._m_up, low_up)
        self._m_dn = min(self._m_dn, low_dn)
        self._drift_detected = d >= 0
        return d, None
