"""Dask DataFrames and arrays in drift: one profile per partition, merged on a tree.

Dask is imported only here and only when a Dask object was passed, so
``import mllifecycle`` never pulls it in. Partitions are computed by whatever
scheduler is active (a ``distributed.Client``, ``dask.config.set(scheduler=...)``),
each becomes a :class:`~mllifecycle.drift.Reference` (through the same
dataframe layer as in-memory input: pandas, polars or pyarrow partitions), and
the profiles are merged with :meth:`Reference.merge` along a tree of fan-in
``SPLIT_EVERY``, on the workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mllifecycle._validation import described, fail

if TYPE_CHECKING:
    from mllifecycle.drift._reference import Reference

__all__ = ["is_dask", "fit_partitions", "materialize", "SPLIT_EVERY"]

SPLIT_EVERY = 8


def is_dask(x: Any) -> bool:
    """Whether ``x`` is a Dask collection (checked without importing Dask)."""
    return type(x).__module__.split(".", 1)[0] == "dask" and hasattr(x, "__dask_graph__")


def _blocks(x: Any, name: str, caller: str) -> list[Any]:
    """Delayed row blocks of a Dask DataFrame or 2-D Dask array."""
    if hasattr(x, "to_delayed") and hasattr(x, "columns"):
        return list(x.to_delayed())
    ndim = getattr(x, "ndim", None)
    if ndim != 2 or not hasattr(x, "rechunk"):
        fail(
            name,
            "a Dask DataFrame or a 2-D Dask array",
            described(f"a Dask {type(x).__name__} with ndim={ndim}"),
            caller,
        )
    return list(x.rechunk({1: -1}).to_delayed().ravel())


def _merge_some(refs: Sequence[Reference | None]) -> Reference | None:
    from mllifecycle.drift._reference import Reference

    kept = [r for r in refs if r is not None]
    return Reference.merge(kept) if kept else None


def fit_partitions(
    x: Any,
    *,
    name: str,
    caller: str,
    tests: Any,
    categorical_features: Any,
    nan_policy: str,
    capacity: int | None,
) -> Reference:
    """Fit a profile per partition of ``x`` and merge them (on the workers)."""
    from dask.base import compute
    from dask.delayed import delayed

    from mllifecycle.drift._reference import fit_partition

    blocks = _blocks(x, name, caller)
    fit = delayed(fit_partition, pure=True)
    merge = delayed(_merge_some, pure=True)
    level = [
        fit(
            b,
            name=name,
            caller=caller,
            tests=tests,
            categorical_features=categorical_features,
            nan_policy=nan_policy,
            capacity=capacity,
        )
        for b in blocks
    ]
    while len(level) > 1:
        level = [merge(level[i : i + SPLIT_EVERY]) for i in range(0, len(level), SPLIT_EVERY)]
    (out,) = compute(level[0])  # type: ignore[no-untyped-call]
    if out is None:
        fail(name, "a data set with at least 2 sample(s)", described("0 rows"), caller)
    return out  # type: ignore[no-any-return]


def materialize(x: Any, name: str, caller: str) -> Any:
    """Compute the whole Dask collection into memory (pandas DataFrame or NumPy array)."""
    _blocks(x, name, caller)  # same shape checks as the partition path
    return x.compute()
