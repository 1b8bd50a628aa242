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

__all__ = ["is_dask", "fit_partitions", "materialize", "declared_categorical_dask",
           "check_collection", "exact_integers", "SPLIT_EVERY"]

SPLIT_EVERY = 8


def is_dask(x: Any) -> bool:
    """Whether ``x`` is a Dask collection (checked without importing Dask)."""
    return type(x).__module__.split(".", 1)[0] == "dask" and hasattr(x, "__dask_graph__")


def declared_categorical_dask(x: Any) -> set[str]:
    """Names of a Dask DataFrame's columns typed categorical (none for a Dask array).

    Read from the collection's empty partition (``_meta``), the same dataframe
    layer a partition goes through, so nothing is computed.
    """
    from mllifecycle.drift._columns import declared_categorical

    meta = getattr(x, "_meta", None)
    if meta is None or not _is_frame(x):
        return set()
    return declared_categorical(meta)


def _is_frame(x: Any) -> bool:
    return hasattr(x, "to_delayed") and hasattr(x, "columns")


def check_collection(x: Any, name: str, caller: str) -> None:
    """Refuse a Dask collection other than a DataFrame or a 2-D array."""
    if _is_frame(x):
        return
    ndim = getattr(x, "ndim", None)
    if ndim != 2 or not hasattr(x, "rechunk"):
        fail(
            name,
            "a Dask DataFrame or a 2-D Dask array",
            described(f"a Dask {type(x).__name__} with ndim={ndim}"),
            caller,
        )


def _blocks(x: Any, name: str, caller: str) -> list[Any]:
    """Delayed row blocks of a Dask DataFrame or 2-D Dask array."""
    check_collection(x, name, caller)
    if _is_frame(x):
        return list(x.to_delayed())
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
    check_collection(x, name, caller)  # same shape checks as the partition path
    return x.compute()


def _int_positions(x: Any) -> set[int] | None:
    """Positions of the integer-typed columns of a (Dask or pandas) table or 2-D array.

    None when ``x`` is of another kind (its columns are then not shifted).
    """
    if hasattr(x, "columns") and hasattr(x, "dtypes") and hasattr(x, "iloc"):
        return {j for j, dt in enumerate(x.dtypes) if getattr(dt, "kind", None) in ("i", "u")}
    dtype, ndim = getattr(x, "dtype", None), getattr(x, "ndim", None)
    if dtype is not None and ndim == 2 and hasattr(x, "shape"):
        return set(range(int(x.shape[1]))) if dtype.kind in "iu" else set()
    return None


def _column(x: Any, j: int) -> Any:
    return x.iloc[:, j] if hasattr(x, "iloc") else x[:, j]


def _shift_block(part: Any, offsets: dict[int, int]) -> Any:
    """Return a partition (pandas or NumPy) with columns ``offsets`` shifted exactly (float64)."""
    import numpy as np

    from mllifecycle.drift._common import integers_and_missing, shift_with_missing

    frame = hasattr(part, "iloc")
    out: Any = part.copy() if frame else np.asarray(part, dtype=np.float64).copy()
    for j, off in offsets.items():
        if frame:
            ser = _column(part, j)
            exact = isinstance(ser.dtype, np.dtype)  # nullable Int64 with NA: float64 else
            col = ser.to_numpy() if exact else ser.to_numpy(dtype=object, na_value=None)
        else:
            col = np.asarray(part[:, j])
        split = integers_and_missing(col) if col.shape[0] else None
        new = (
            shift_with_missing(*split, [off]) if split is not None
            else np.full(col.shape[0], np.nan)  # empty, or all missing
        )
        if frame:
            out[out.columns[j]] = new
        else:
            out[:, j] = new
    return out


def exact_integers(
    reference: Any, current: Any, categorical: set[int], caller: str, names: list[str]
) -> tuple[Any, Any]:
    """Shift integer columns beyond 2**53 of both samples alike, as ``detect`` does in memory.

    A partition's profile keeps a column as float64, which rounds integers
    beyond 2**53 (distinct values tie), and it cannot see the other sample to
    share an offset; so the offset (the smallest value of both samples) is
    computed first, in one more pass over the integer columns on the cluster,
    and subtracted partition by partition. Columns in ``categorical``
    (positions) keep their labels.
    """
    import numpy as np

    from mllifecycle.drift._common import integer_offset

    rpos, cpos = _int_positions(reference), _int_positions(current)
    empty = any(not is_dask(x) and int(x.shape[0]) == 0 for x in (reference, current))
    if rpos is None or cpos is None or empty:
        return reference, current  # an empty in-memory sample is refused later
    cols = sorted((rpos & cpos) - categorical)
    arrays = any(not _is_frame(x) and not hasattr(x, "iloc") for x in (reference, current))
    if not cols or (arrays and (cols != sorted(rpos) or cols != sorted(cpos))):
        return reference, current  # an array is shifted whole (as float64) or not at all
    lazy = [
        (_column(x, j).min(), _column(x, j).max()) for x in (reference, current) for j in cols
    ]
    if is_dask(reference) or is_dask(current):
        from dask.base import compute

        try:
            lazy = compute(*lazy)  # type: ignore[no-untyped-call]
        except ValueError:  # an empty Dask array has no minimum: refused later
            return reference, current
    lows: dict[int, int] = {}
    highs: dict[int, int] = {}
    for i, (lo, hi) in enumerate(lazy):
        j = cols[i % len(cols)]
        try:
            lo_i, hi_i = int(lo), int(hi)
        except (TypeError, ValueError):  # a column all missing (NA)
            continue
        lows[j] = min(lows.get(j, lo_i), lo_i)
        highs[j] = max(highs.get(j, hi_i), hi_i)
    kept = sorted(lows)
    if not kept:
        return reference, current
    bounds = np.array([[lows[j] for j in kept], [highs[j] for j in kept]], dtype=object)
    off = integer_offset(bounds, caller=caller, columns=[names[j] for j in kept])
    if off is None:
        return reference, current
    offsets = dict(zip(kept, off, strict=True))
    return _shift(reference, offsets), _shift(current, offsets)


def _shift(x: Any, offsets: dict[int, int]) -> Any:
    import numpy as np

    if not is_dask(x):
        return _shift_block(x, offsets)
    if _is_frame(x):
        meta = _shift_block(x._meta, {})
        for j in offsets:
            meta[meta.columns[j]] = meta.iloc[:, j].astype(np.float64)
        return x.map_partitions(_shift_block, offsets, meta=meta)
    return x.rechunk({1: -1}).map_blocks(_shift_block, offsets, dtype=np.float64)
