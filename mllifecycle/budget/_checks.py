"""Input checks shared by the budget helpers."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np

from mllifecycle._frames import collected
from mllifecycle._results import ARRAY_EQ, same_array
from mllifecycle._validation import fail, refuse_sparse

# ARRAY_EQ and same_array: the results' shared array equality, re-exported
__all__ = [
    "ARRAY_EQ",
    "collected",
    "refuse_sparse",
    "refuse_text",
    "same_array",
    "timedelta_seconds",
]



_TIMES = (datetime.datetime, datetime.date, datetime.timedelta, np.datetime64, np.timedelta64)


def refuse_text(values: Any, name: str, expected: str, caller: str) -> None:
    """Refuse numbers given as text (``"0.7"``, ``["100", "200"]``), dates, durations, booleans.

    ``np.asarray(values, dtype=float)`` parses text, so it was silently read
    as numbers where every scalar check of the library refuses it; it reads
    a ``timedelta64`` as a count of its unit (3000 for 3 s in milliseconds)
    and a ``datetime64`` as a count since 1970.
    """
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        return  # ragged or odd input: the caller's own conversion refuses it
    # (a pandas column of text comes as objects)
    if arr.dtype.kind in "US" or (
        arr.dtype.kind == "O" and any(isinstance(v, str | bytes) for v in arr.ravel())
    ):
        fail(name, f"{expected} (numbers, not text)", values, caller)
    if arr.dtype.kind in "mM" or (
        arr.dtype.kind == "O" and any(isinstance(v, _TIMES) for v in arr.ravel())
    ):
        fail(name, f"{expected} (numbers, not dates or durations)", values, caller)
    if arr.dtype.kind == "b" or (
        arr.dtype.kind == "O" and any(isinstance(v, bool | np.bool_) for v in arr.ravel())
    ):
        # [True, True] was a pool of two perfect workers (an answer-correctness
        # mask passed as accuracies), True a score of 1
        fail(name, f"{expected} (numbers, not booleans)", values, caller)


def timedelta_seconds(values: Any) -> Any:
    """Durations (``timedelta64``, ``datetime.timedelta``, ``pandas.Timedelta``) in seconds.

    Anything else is returned as given: ``np.asarray(durations, dtype=float)``
    counted each duration in its own unit (3000 for 3 s in milliseconds).
    """
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        return values
    if arr.dtype.kind == "m":
        return arr / np.timedelta64(1, "s")
    if arr.dtype.kind == "O" and arr.size and all(
        isinstance(v, datetime.timedelta | np.timedelta64) for v in arr.ravel()
    ):
        try:
            return arr.astype("timedelta64[ns]") / np.timedelta64(1, "s")
        except (TypeError, ValueError):
            return values
    return values
