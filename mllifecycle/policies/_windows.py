"""Training-data windows: which labelled rows of the history to retrain on."""

from __future__ import annotations

import math

import attrs
import numpy as np

from mllifecycle._lifecycle_types import LifecycleState, WindowSelection, check_state
from mllifecycle._validation import check_int, check_scalar

__all__ = [
    "WindowSelection",
    "SlidingWindow",
    "ExpandingWindow",
    "SinceLastDrift",
    "RecencyWeights",
]


@attrs.define
class SlidingWindow:
    """Train on the ``n_samples`` most recent labelled rows.

    Parameters
    ----------
    n_samples : int
        Window length. Fewer rows are used while the history is shorter.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, SlidingWindow
    >>> SlidingWindow(500).select(LifecycleState(step=3000, labels_available=2000))
    WindowSelection(start=1500, stop=2000, window='SlidingWindow(500)')
    """

    n_samples: int

    def __attrs_post_init__(self) -> None:
        self.n_samples = check_int(self.n_samples, "n_samples", caller="SlidingWindow", low=1)

    def select(self, state: LifecycleState) -> WindowSelection:
        """Return the last ``n_samples`` labelled rows."""
        check_state(state, "SlidingWindow.select")
        stop = state.labels_available
        return WindowSelection(
            start=max(0, stop - self.n_samples),
            stop=stop,
            window=f"SlidingWindow({self.n_samples})",
        )


@attrs.define
class ExpandingWindow:
    """Train on every labelled row seen so far.

    Examples
    --------
    >>> from mllifecycle.policies import ExpandingWindow, LifecycleState
    >>> state = LifecycleState(step=3000, labels_available=2000)
    >>> ExpandingWindow().select(state).n_samples
    2000
    """

    def select(self, state: LifecycleState) -> WindowSelection:
        """Return all labelled rows."""
        check_state(state, "ExpandingWindow.select")
        return WindowSelection(start=0, stop=state.labels_available, window="ExpandingWindow()")


@attrs.define
class SinceLastDrift:
    """Train on the rows since the last reported change, but at least ``min_samples``.

    The change point is ``state.last_change_point``, which the replay sets
    from the ``change_point`` of the decision that triggered the retrain
    (e.g. where :class:`OnDrift`'s detector fired). Without a change point it
    behaves like :class:`ExpandingWindow`, capped at ``max_samples``.

    Parameters
    ----------
    min_samples : int
        Fewest rows to train on (taken from before the change when needed).
    max_samples : int, optional
        Most rows to train on.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, SinceLastDrift
    >>> w = SinceLastDrift(min_samples=300)
    >>> s = LifecycleState(step=5000, labels_available=5000, last_change_point=4000)
    >>> w.select(s)
    WindowSelection(start=4000, stop=5000, window='SinceLastDrift(300)')
    >>> s = LifecycleState(step=5000, labels_available=5000, last_change_point=4900)
    >>> w.select(s).start
    4700
    """

    min_samples: int
    max_samples: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        self.min_samples = check_int(
            self.min_samples, "min_samples", caller="SinceLastDrift", low=1
        )
        if self.max_samples is not None:
            self.max_samples = check_int(
                self.max_samples,
                "max_samples",
                caller="SinceLastDrift",
                low=self.min_samples,
            )

    def select(self, state: LifecycleState) -> WindowSelection:
        """Return the rows since the last change point (at least ``min_samples``)."""
        check_state(state, "SinceLastDrift.select")
        stop = state.labels_available
        cp = state.last_change_point
        start = 0 if cp is None else min(max(int(cp), 0), stop)
        start = max(0, min(start, stop - self.min_samples))
        if self.max_samples is not None:
            start = max(start, stop - self.max_samples)
        return WindowSelection(start=start, stop=stop, window=f"SinceLastDrift({self.min_samples})")


# smallest weight RecencyWeights gives a row (relative to the newest row's
# 1.0): older rows are left out of its window
_MIN_WEIGHT = 1e-12
_REACH_HALF_LIVES = math.log2(1.0 / _MIN_WEIGHT)


@attrs.define
class RecencyWeights:
    """Train on the labelled history with exponentially decaying weights.

    A row ``a`` samples older than the newest labelled row gets weight
    ``0.5 ** (a / half_life)``; rows older than ``max_samples`` are dropped
    (default: those whose weight fell below 1e-3, about 10 half-lives).
    Whatever ``max_samples``, rows whose weight would fall below ``1e-12``
    (relative to the newest row's 1.0; about 40 half-lives) are left out of
    the window: such weights (down to 1e-302, or 0 once they underflow)
    change a fit no more than rounding does, yet counted as rows trained on,
    and a class seen only there made a window look like two classes to a
    model that effectively saw one.

    Parameters
    ----------
    half_life : float
        Age, in samples, at which a row's weight halves.
    max_samples : int, optional
        Most rows to train on.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, RecencyWeights
    >>> state = LifecycleState(step=5, labels_available=5)
    >>> sel = RecencyWeights(half_life=2).select(state)
    >>> sel.sample_weight.round(3).tolist()
    [0.25, 0.354, 0.5, 0.707, 1.0]
    """

    half_life: float
    max_samples: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        self.half_life = check_scalar(
            self.half_life,
            "half_life",
            caller="RecencyWeights",
            low=0.0,
            low_inclusive=False,
        )
        if self.max_samples is not None:
            self.max_samples = check_int(self.max_samples, "max_samples", caller="RecencyWeights")

    def select(self, state: LifecycleState) -> WindowSelection:
        """Return the weighted labelled history."""
        check_state(state, "RecencyWeights.select")
        stop = state.labels_available
        # the oldest age whose weight stays >= _MIN_WEIGHT (by the formula; a
        # last row below it by rounding is cut after the weights are computed)
        reach = self.half_life * _REACH_HALF_LIVES
        cap = stop if not reach < stop else int(reach) + 2
        if self.max_samples is None:
            default = self.half_life * math.log2(1e3)
            cap = min(cap, max(1, int(np.ceil(default))) if default < stop else stop)
        else:
            cap = min(cap, self.max_samples)
        start = max(0, stop - cap)
        age = np.arange(stop - start - 1, -1, -1, dtype=np.float64)
        weight = np.exp2(-age / self.half_life)
        cut = int(np.searchsorted(weight, _MIN_WEIGHT))  # weights increase with the row
        return WindowSelection(
            start=start + cut,
            stop=stop,
            sample_weight=weight[cut:],
            window=f"RecencyWeights({self.half_life:g})",
        )
