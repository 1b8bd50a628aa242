"""An exact ``update_many`` for a user's detector, from its ``update``.

The :class:`~mllifecycle.protocols.StreamDetector` protocol asks for
``update_many(xs)``, which must give exactly the detections of calling
``update`` element by element. A user's own detector gets it for free from
:func:`update_many_from_update` (a function) or :func:`with_update_many` (a
class decorator); both loop over ``update``, so they are exact by
construction (the built-in detectors vectorise instead).
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import described, fail
from mllifecycle.drift.stream._base import IndexArray, refuse_complex

__all__ = ["update_many_from_update", "with_update_many"]

T = TypeVar("T", bound=type)


def update_many_from_update(detector: Any, xs: npt.ArrayLike) -> IndexArray:
    """Feed ``xs`` to ``detector.update`` one by one; return the detection indices.

    Exact by construction: the detections, and the final state, are those of
    the loop ``for x in xs: detector.update(x)``. Each element is passed as
    a Python scalar (``float``, ``int`` or ``bool``, as NumPy holds it; the
    elements of a list, tuple, pandas or polars Series as iterating gives
    them, such as ``pd.NA``, ``None`` for a polars null or a ``Timestamp``,
    NumPy scalars made Python ones; a pyarrow array's ``to_pylist()``; NumPy
    datetimes in nanoseconds as NumPy scalars, not integer counts), so the
    detector's own ``update`` validates it. When the detector has a
    ``warning_detected`` attribute (a
    :class:`~mllifecycle.protocols.WarningDetector`), the indices after which
    it was True are stored in its ``warnings_`` attribute as well.

    Parameters
    ----------
    detector : object
        Anything with ``update(x) -> bool``.
    xs : array-like of shape (n,)
        The values, in stream order (an empty array is a no-op). Complex
        values are refused.

    Returns
    -------
    numpy.ndarray of numpy.intp
        Increasing indices into ``xs`` at which ``update`` returned True.

    Raises
    ------
    InvalidParameterError
        When ``detector`` has no ``update`` method, or ``xs`` is not 1-D or is
        complex.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import update_many_from_update
    >>> class Above:
    ...     def __init__(self, limit):
    ...         self.limit = limit
    ...         self.drift_detected = False
    ...     def update(self, x):
    ...         self.drift_detected = x > self.limit
    ...         return self.drift_detected
    ...     def update_many(self, xs):
    ...         return update_many_from_update(self, xs)
    ...     def reset(self):
    ...         self.drift_detected = False
    >>> Above(2.0).update_many([1.0, 3.0, 2.0, 5.0])
    array([1, 3])
    """
    caller = "update_many_from_update"
    update = getattr(detector, "update", None)
    if not callable(update):
        fail("detector", "an object with an update(x) method", detector, caller)
    try:
        arr = np.asarray(refuse_complex(xs, caller))
    except (ValueError, TypeError) as exc:  # ragged input
        fail("xs", "a 1-D array-like of values in stream order",
             described(f"input NumPy cannot convert ({exc})"), caller)
    if arr.ndim != 1:
        fail(
            "xs",
            "a 1-D array-like of values in stream order",
            described(f"a {arr.ndim}-D array of shape {arr.shape}"),
            caller,
        )
    if isinstance(xs, list | tuple):
        # the elements themselves, as the loop `for x in xs` passes them: NumPy
        # would turn [True, 0.5] into [1.0, 0.5], [1.5, "a"] into text and
        # round ints beyond 2**53 (NumPy scalars become Python ones, as below)
        values = [x.item() if isinstance(x, np.generic) else x for x in xs]
    elif type(xs).__module__.partition(".")[0] in ("pandas", "polars"):
        # a Series as `for x in xs` gives it: an Int64 column with pd.NA
        # (a polars Int64 with a null: None) became floats and NaN, a
        # datetime column int nanosecond counts
        items: Any = xs  # a Series, Index or pandas array: iterable
        values = [x.item() if isinstance(x, np.generic) else x for x in items]
    elif type(xs).__module__.partition(".")[0] == "pyarrow" and hasattr(xs, "to_pylist"):
        # iterating gives pyarrow scalars; its Python values (None for a
        # null) rather than NumPy's floats and NaN
        values = xs.to_pylist()
    else:
        values = arr.tolist()
        if arr.dtype.kind in "mM" and any(isinstance(v, int) for v in values):
            # datetimes and durations in units Python's cannot hold (ns) come
            # out of tolist() as bare int counts (1577836800000000000 for
            # 2020-01-01): NumPy scalars instead, as `for x in xs` gives them
            values = list(arr)
    hits: list[int] = []
    if hasattr(detector, "warning_detected"):
        warns: list[int] = []
        for i, x in enumerate(values):
            if update(x):
                hits.append(i)
            if detector.warning_detected:
                warns.append(i)
        # a slotted class without room for warnings_ just does not get them
        with contextlib.suppress(AttributeError):
            detector.warnings_ = np.asarray(warns, dtype=np.intp)
    else:
        for i, x in enumerate(values):
            if update(x):
                hits.append(i)
    return np.asarray(hits, dtype=np.intp)


def with_update_many(cls: T) -> T:
    """Class decorator: give a detector class an exact ``update_many``.

    Adds ``update_many(self, xs)`` that calls :func:`update_many_from_update`,
    so a class with ``update``, ``reset`` and ``drift_detected`` becomes a full
    :class:`~mllifecycle.protocols.StreamDetector` that passes
    :func:`mllifecycle.testing.check_stream_detector`. (Static type checkers
    do not see methods a decorator adds: for ``mypy --strict`` write the
    one-line method ``return update_many_from_update(self, xs)`` instead.)

    Parameters
    ----------
    cls : type
        A class with an ``update(x) -> bool`` method and no ``update_many``
        of its own.

    Returns
    -------
    type
        The same class, with ``update_many`` added.

    Raises
    ------
    InvalidParameterError
        When ``cls`` is not a class, has no ``update`` method, or already
        defines ``update_many``.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift.stream import with_update_many
    >>> from mllifecycle.protocols import StreamDetector
    >>> @with_update_many
    ... class RunOfErrors:
    ...     '''Detect a run of 3 consecutive errors.'''
    ...     def __init__(self):
    ...         self.reset()
    ...     def reset(self):
    ...         self.run = 0
    ...         self.drift_detected = False
    ...     def update(self, x):
    ...         if self.drift_detected:
    ...             self.reset()
    ...         self.run = self.run + 1 if x else 0
    ...         self.drift_detected = self.run >= 3
    ...         return self.drift_detected
    >>> det = RunOfErrors()
    >>> det.update_many([1, 1, 0, 1, 1, 1, 1, 1, 1])
    array([5, 8])
    >>> isinstance(det, StreamDetector)
    True
    """
    caller = "with_update_many"
    if not isinstance(cls, type):
        fail("cls", "a class (use update_many_from_update for an instance)", cls, caller)
    if not callable(getattr(cls, "update", None)):
        fail("cls", "a class with an update(x) method", described(cls.__name__), caller)
    if "update_many" in vars(cls):
        fail(
            "cls",
            "a class without an update_many method of its own (it would be replaced)",
            described(cls.__name__),
            caller,
        )

    def update_many(self: Any, xs: npt.ArrayLike) -> IndexArray:
        """Feed many values; return the indices of detections.

        Exactly the detections, and the final state, of calling ``update`` on
        each element in turn (added by
        :func:`mllifecycle.drift.stream.with_update_many`).
        """
        return update_many_from_update(self, xs)

    update_many.__qualname__ = f"{cls.__qualname__}.update_many"
    update_many.__module__ = cls.__module__
    cls.update_many = update_many  # type: ignore[attr-defined]
    return cls
