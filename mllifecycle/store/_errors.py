"""Errors raised by :mod:`mllifecycle.store`."""

from __future__ import annotations

from mllifecycle.exceptions import MLLifecycleError

__all__ = [
    "StoreError",
    "NotFoundError",
    "IntegrityError",
    "UntrustedModelError",
    "LeaseError",
    "SchemaVersionError",
]


class StoreError(MLLifecycleError):
    """Base class of the errors raised by :mod:`mllifecycle.store`.

    Examples
    --------
    >>> from mllifecycle.store import StoreError
    >>> from mllifecycle.exceptions import MLLifecycleError
    >>> issubclass(StoreError, MLLifecycleError)
    True
    """


class NotFoundError(StoreError, LookupError):
    """A model, version or label task that the store does not hold.

    Examples
    --------
    >>> from mllifecycle.store import NotFoundError, Registry, Store
    >>> try:
    ...     Registry(Store(":memory:")).get("churn", 1)
    ... except NotFoundError as exc:
    ...     print(exc)
    no model named 'churn' in the store
    """


class IntegrityError(StoreError):
    """Stored bytes do not match their checksum: the file was altered or damaged.

    Examples
    --------
    >>> from mllifecycle.store import IntegrityError
    >>> issubclass(IntegrityError, Exception)
    True
    """


class UntrustedModelError(StoreError):
    """Loading would execute code from a type (or a pickle) nobody vouched for.

    Pass ``trusted=True`` (or, for skops files, the list of type names you
    checked) to :meth:`Registry.load` only for files from a source you trust.

    Examples
    --------
    >>> from mllifecycle.store import UntrustedModelError
    >>> issubclass(UntrustedModelError, Exception)
    True
    """


class LeaseError(StoreError):
    """A label was submitted by a worker that does not hold the task's lease.

    Examples
    --------
    >>> from mllifecycle.store import LabelQueue, LeaseError, Store
    >>> queue = LabelQueue(Store(":memory:"))
    >>> [task] = queue.enqueue([{"text": "great"}])
    >>> try:
    ...     queue.submit(task, "ann", "pos")
    ... except LeaseError as exc:
    ...     print(exc)
    task 1 is not leased to worker 'ann' (not leased)
    """


class SchemaVersionError(StoreError):
    """The database was written by a newer mllifecycle (its schema is ahead of this code).

    Examples
    --------
    >>> from mllifecycle.store import SchemaVersionError
    >>> issubclass(SchemaVersionError, Exception)
    True
    """
