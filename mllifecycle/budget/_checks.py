"""Input checks shared by the budget helpers."""

from __future__ import annotations

from typing import Any

import numpy as np

from mllifecycle._validation import fail

__all__ = ["refuse_text"]


def refuse_text(values: Any, name: str, expected: str, caller: str) -> None:
    """Refuse numbers given as text (``"0.7"``, ``["100", "200"]``).

    ``np.asarray(values, dtype=float)`` parses them, so they were silently
    read as numbers where every scalar check of the library refuses them.
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
