"""``progress=`` for every long operation: False, True (a tqdm bar) or a callback.

``progress=True`` draws a bar with tqdm (the optional ``progress`` extra:
``pip install mllifecycle[progress]``); a callable is called as
``progress(done, total)`` after each step, so a notebook widget, a log line or
a job tracker can follow along without any extra dependency.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from types import TracebackType
from typing import Any

import numpy as np

from mllifecycle._validation import fail

__all__ = ["Progress", "check_progress", "make_progress"]


def check_progress(value: Any, caller: str | None = None) -> bool | Callable[[int, int], Any]:
    """Validate a ``progress`` argument: a bool or a callable ``(done, total)``.

    Examples
    --------
    >>> from mllifecycle._progress import check_progress
    >>> check_progress(False)
    False
    """
    if isinstance(value, bool | np.bool_):
        # NumPy bools too, as check_bool reads every other flag ("Got np.False_")
        return bool(value)
    if callable(value):
        fn: Callable[[int, int], Any] = value
        return fn
    fail("progress", "True, False or a callable progress(done, total)", value, caller)


class Progress:
    """Report ``done`` out of ``total`` steps to a bar or a callback.

    Use :func:`make_progress` to build one; it is a context manager that closes
    the bar on exit.

    Examples
    --------
    >>> from mllifecycle._progress import make_progress
    >>> seen = []
    >>> with make_progress(lambda d, t: seen.append((d, t)), total=2) as bar:
    ...     bar.update()
    ...     bar.update()
    >>> seen
    [(1, 2), (2, 2)]
    """

    def __init__(self, callback: Callable[[int, int], Any] | None, bar: Any, total: int) -> None:
        self._callback = callback
        self._bar = bar
        self.total = int(total)
        self.done = 0

    def update(self, n: int = 1) -> None:
        """Record ``n`` more finished steps."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        if self._callback is not None:
            self._callback(self.done, self.total)

    def close(self) -> None:
        """Close the bar (a no-op for callbacks)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_progress(
    progress: Any, total: int, desc: str = "", caller: str | None = None
) -> Progress:
    """Build a :class:`Progress` from a ``progress=`` argument.

    Parameters
    ----------
    progress : bool or callable
        False: silent. True: a tqdm bar on stderr (needs the ``progress``
        extra). A callable: called as ``progress(done, total)``.
    total : int
        Number of steps.
    desc : str
        Label of the bar.
    caller : str, optional
        Public function name, for error messages.

    Raises
    ------
    mllifecycle.exceptions.InvalidParameterError
        If ``progress`` is neither a bool nor a callable.
    ImportError
        If ``progress=True`` and tqdm is not installed.

    Examples
    --------
    >>> from mllifecycle._progress import make_progress
    >>> make_progress(False, total=10).total
    10
    """
    progress = check_progress(progress, caller)
    if progress is False:
        return Progress(None, None, total)
    if progress is True:
        if importlib.util.find_spec("tqdm") is None:
            where = f" of {caller}" if caller else ""
            raise ImportError(
                f"progress=True{where} draws a bar with tqdm, which is not installed; "
                "install it with `pip install mllifecycle[progress]` or pass a callable "
                "progress(done, total)"
            )
        from tqdm.auto import tqdm

        return Progress(None, tqdm(total=total, desc=desc or caller, leave=False), total)
    return Progress(progress, None, total)
