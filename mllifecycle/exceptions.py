"""Errors and warnings raised by mllifecycle.

Every error the library raises on purpose derives from :class:`MLLifecycleError`,
so application code can catch the library's own complaints in one clause.
"""

from __future__ import annotations

__all__ = [
    "MLLifecycleError",
    "InvalidParameterError",
    "NotFittedError",
    "DegenerateDataWarning",
]


class MLLifecycleError(Exception):
    """Base class of every error mllifecycle raises on purpose.

    Examples
    --------
    >>> from mllifecycle.exceptions import InvalidParameterError, MLLifecycleError
    >>> issubclass(InvalidParameterError, MLLifecycleError)
    True
    """


class InvalidParameterError(MLLifecycleError, ValueError, TypeError):
    """A parameter or input has the wrong type, shape or value.

    It is both a :class:`ValueError` and a :class:`TypeError` (as in
    scikit-learn), so ``except ValueError`` and ``except TypeError`` clauses
    written for NumPy or scikit-learn keep working.

    Examples
    --------
    >>> from mllifecycle.exceptions import InvalidParameterError
    >>> try:
    ...     raise InvalidParameterError("The 'alpha' parameter must be in (0, 1).")
    ... except ValueError as exc:
    ...     print(exc)
    The 'alpha' parameter must be in (0, 1).
    """


class NotFittedError(MLLifecycleError, ValueError, AttributeError):
    """An object was used before ``fit`` was called.

    Examples
    --------
    >>> from mllifecycle.exceptions import NotFittedError
    >>> issubclass(NotFittedError, AttributeError)
    True
    """


class DegenerateDataWarning(RuntimeWarning):
    """The data make a statistic degenerate (constant input, ties, tiny samples).

    The result is still returned, but it may be uninformative: for example a
    test on two constant samples, or a p-value that cannot go below a bound.

    Examples
    --------
    >>> import warnings
    >>> from mllifecycle.exceptions import DegenerateDataWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("constant input", DegenerateDataWarning, stacklevel=1)
    >>> caught[0].category.__name__
    'DegenerateDataWarning'
    """
