"""Training-data windows: which labelled rows of the history to retrain on."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import jsonable
from mllifecycle._validation import check_int, check_scalar
from mllifecycle.policies._state import LifecycleState

__all__ = [
    "WindowSelection",
    "SlidingWindow",
    "ExpandingWindow",
    "SinceLastDrift",
    "RecencyWeights",
]


@attrs.frozen(kw_only=True)
class WindowSelection:
    """The rows ``start:stop`` of the history to train on, with optional weights.

    Labels arrive in order, so the labelled history is a prefix of the stream
    and every window is a contiguous range of it.

    Parameters
    ----------
    start, stop : int
        Half-open range of history rows.
    sample_weight : ndarray of shape (stop - start,), optional
        Weights passed to the model's ``fit``.
    window : str
        Which window chose the rows.

    Examples
    --------
    >>> from mllifecycle.policies import WindowSelection
    >>> WindowSelection(start=10, stop=15, window="demo").indices
    array([10, 11, 12, 13, 14])
    """

    start: int
    stop: int
    sample_weight: npt.NDArray[np.float64] | None = attrs.field(default=None, eq=False, repr=False)
    window: str = ""

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.start <= self.stop:
            raise ValueError(f"A window needs 0 <= start <= stop; got {self.start}:{self.stop}.")
        if self.sample_weight is not None and len(self.sample_weight) != self.stop - self.start:
            raise ValueError("sample_weight must have one weight per selected row.")

    @property
    def n_samples(self) -> int:
        """Number of rows selected."""
        return self.stop - self.start

    @property
    def indices(self) -> npt.NDArray[np.intp]:
        """The selected row indices."""
        return np.arange(self.start, self.stop, dtype=np.intp)

    def to_dict(self) -> dict[str, Any]:
        """Return the selection as a JSON-safe dict (weights summarised)."""
        return {
            "start": self.start,
            "stop": self.stop,
            "n_samples": self.n_samples,
            "weighted": self.sample_weight is not None,
            "window": jsonable(self.window),
        }


@attrs.define
class SlidingWindow:
    """Train on the ``n`` most recent labelled rows.

    Parameters
    ----------
    n : int
        Window length. Fewer rows are used while the history is shorter.

    Examples
    --------
    >>> from mllifecycle.policies import LifecycleState, SlidingWindow
    >>> SlidingWindow(500).select(LifecycleState(step=3000, labels_available=2000))
    WindowSelection(start=1500, stop=2000, window='SlidingWindow(500)')
    """

    n: int

    def __attrs_post_init__(self) -> None:
        self.n = check_int(self.n, "n", caller="SlidingWindow", low=1)

    def select(self, state: LifecycleState) -> WindowSelection:
        """Return the last ``n`` labelled rows."""
        stop = state.labels_available
        return WindowSelection(
            start=max(0, stop - self.n), stop=stop, window=f"SlidingWindow({self.n})"
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
        stop = state.labels_available
        cp = state.last_change_point
        start = 0 if cp is None else min(max(int(cp), 0), stop)
        start = max(0, min(start, stop - self.min_samples))
        if self.max_samples is not None:
            start = max(start, stop - self.max_samples)
        return WindowSelection(start=start, stop=stop, window=f"SinceLastDrift({self.min_samples})")


@attrs.define
class RecencyWeights:
    """Train on the labelled history with exponentially decaying weights.

    A row ``a`` samples older than the newest labelled row gets weight
    ``0.5 ** (a / half_life)``; rows older than ``max_samples`` are dropped
    (default: those whose weight fell below 1e-3, about 10 half-lives).

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
        stop = state.labels_available
        cap = self.max_samples
        if cap is None:
            cap = max(1, int(np.ceil(self.half_life * np.log2(1e3))))
        start = max(0, stop - cap)
        age = np.arange(stop - start - 1, -1, -1, dtype=np.float64)
        return WindowSelection(
            start=start,
            stop=stop,
            sample_weight=np.exp2(-age / self.half_life),
            window=f"RecencyWeights({self.half_life:g})",
        )
