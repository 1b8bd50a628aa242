"""The extension points of mllifecycle, as :class:`typing.Protocol` classes.

A user's own object works wherever a built-in one does, without inheriting
from anything: it only needs the methods named here. Each protocol has a
conformance check in :mod:`mllifecycle.testing`.

Examples
--------
>>> from mllifecycle.protocols import StreamDetector
>>> class Threshold:
...     def __init__(self):
...         self.drift_detected = False
...     def update(self, x):
...         self.drift_detected = x > 3
...         return self.drift_detected
...     def update_many(self, xs):
...         import numpy as np
...         return np.flatnonzero(np.asarray(xs) > 3)
...     def reset(self):
...         self.drift_detected = False
>>> isinstance(Threshold(), StreamDetector)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

# imported at run time (not under TYPE_CHECKING) so typing.get_type_hints
# resolves every protocol method; none of these imports a subpackage
import numpy as np
import numpy.typing as npt

from mllifecycle._lifecycle_types import LifecycleState, RetrainDecision, WindowSelection

__all__ = [
    "StreamDetector",
    "WarningDetector",
    "TwoSampleTest",
    "RetrainPolicy",
    "PolicyLike",
    "Gate",
    "Sampler",
    "TrainingWindow",
    "QueryStrategy",
]


@runtime_checkable
class StreamDetector(Protocol):
    """A change detector fed one value at a time.

    ``update(x)`` returns True when a change is detected at this element;
    ``update_many(xs)`` returns the indices into ``xs`` at which changes were
    detected, identical to calling ``update`` element by element, and leaves
    the same final state; ``reset()`` forgets everything seen.
    """

    @property
    def drift_detected(self) -> bool:
        """Whether the last element fed triggered a detection."""
        ...

    def update(self, x: float) -> bool:
        """Feed one value; return True when a change is detected here."""
        ...

    def update_many(self, xs: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Feed many values; return the indices of detections."""
        ...

    def reset(self) -> None:
        """Forget everything seen so far."""
        ...


@runtime_checkable
class WarningDetector(StreamDetector, Protocol):
    """A :class:`StreamDetector` that also has a warning zone (optional protocol).

    ``warning_detected`` tells whether the last value left the detector in
    its warning zone (its statistic is elevated, not yet a detection: a time
    to start buffering data for retraining); ``warnings_`` holds the indices,
    into the ``xs`` of the latest ``update_many`` call, after which
    ``warning_detected`` was True, exactly as element-by-element ``update``
    calls would show them. DDM, EDDM, HDDM_A and HDDM_W are warning
    detectors; code that wants warnings checks
    ``isinstance(detector, WarningDetector)``.

    Examples
    --------
    >>> from mllifecycle.drift.stream import DDM, PageHinkley
    >>> from mllifecycle.protocols import WarningDetector
    >>> isinstance(DDM(), WarningDetector), isinstance(PageHinkley(), WarningDetector)
    (True, False)
    """

    @property
    def warning_detected(self) -> bool:
        """Whether the detector is in its warning zone after the last value."""
        ...

    @property
    def warnings_(self) -> npt.NDArray[np.intp]:
        """Indices of the latest ``update_many`` call in the warning zone."""
        ...


@runtime_checkable
class TwoSampleTest(Protocol):
    """A callable ``(reference, current, *, alpha) -> result`` with a drift decision.

    Every function in :mod:`mllifecycle.drift` such as ``ks`` or ``mmd`` is one.
    The result has at least a float ``statistic``, a ``p_value`` in [0, 1]
    (None when a threshold decided) and a bool ``drift_detected`` equal to
    ``p_value < alpha``. ``isinstance(f, TwoSampleTest)`` only says that ``f``
    is callable; :func:`mllifecycle.testing.check_two_sample_test` calls it
    and checks the whole contract.
    """

    def __call__(self, reference: Any, current: Any, /, *, alpha: float = ...) -> Any:
        """Compare two samples at significance level ``alpha``."""
        ...


@runtime_checkable
class RetrainPolicy(Protocol):
    """Decides, from the lifecycle state, whether to retrain now.

    ``should_retrain(state)`` takes a :class:`mllifecycle.policies.LifecycleState`
    and returns a :class:`mllifecycle.policies.RetrainDecision`. A plain
    function ``state -> bool | RetrainDecision`` is accepted wherever a policy
    is.
    """

    def should_retrain(self, state: LifecycleState, /) -> RetrainDecision:
        """Return a RetrainDecision for this state."""
        ...


PolicyLike = RetrainPolicy | Callable[[Any], Any]
"""A policy object or a plain function ``state -> bool | RetrainDecision``."""


@runtime_checkable
class Gate(Protocol):
    """Decides whether a challenger model may replace the champion.

    ``check(context)`` takes a :class:`mllifecycle.gates.GateContext` and
    returns a :class:`mllifecycle.gates.GateResult` with ``passed`` and the
    reasons.
    """

    def check(self, context: Any, /) -> Any:
        """Return a GateResult for this context."""
        ...


@runtime_checkable
class Sampler(Protocol):
    """A resampler with imbalanced-learn's ``fit_resample(X, y) -> (X, y)``.

    The built-in samplers (:mod:`mllifecycle.augment`) return the input's kind
    (a table of the same library with its column names, a Series for ``y``);
    :func:`mllifecycle.testing.check_sampler` checks a user's sampler.
    """

    def fit_resample(self, X: Any, y: Any, /) -> tuple[Any, Any]:
        """Return the resampled ``(X, y)``."""
        ...


@runtime_checkable
class TrainingWindow(Protocol):
    """Chooses the rows (and optional weights) to retrain on from the history."""

    def select(self, state: LifecycleState, /) -> WindowSelection:
        """Return the selection of training rows for this state.

        A :class:`mllifecycle.policies.WindowSelection`: the labelled rows
        ``start:stop`` of the history and optional sample weights.
        """
        ...


# --- labels: active-learning query strategies -------------------------------


@runtime_checkable
class QueryStrategy(Protocol):
    """Chooses which unlabelled pool rows to label next (active learning).

    Called as ``strategy(estimator, X_pool, *, batch_size=1, X_labelled=None,
    rng=None)`` with a fitted classifier and the unlabelled rows; returns an
    object with ``indices`` (distinct pool rows, most informative first,
    ``batch_size`` of them) and ``scores`` (one per index, higher is more
    informative), such as :class:`mllifecycle.labels.Query`. Every strategy
    in :mod:`mllifecycle.labels` (``margin``, ``entropy``,
    ``k_center_greedy``, ...) is one; check your own with
    :func:`mllifecycle.testing.check_query_strategy`.
    """

    def __call__(
        self,
        estimator: Any,
        X_pool: Any,
        /,
        *,
        batch_size: int = ...,
        X_labelled: Any = ...,
        rng: Any = ...,
    ) -> Any:
        """Return the chosen pool indices and their scores."""
        ...
