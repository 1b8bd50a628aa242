"""One check of ``sample_weight`` for every package."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_array, described, fail

__all__ = ["check_weights"]


def check_weights(
    sample_weight: Any, n: int, caller: str | None = None, *, positive_sum: bool = False
) -> npt.NDArray[np.float64] | None:
    """Validate optional sample weights: 1-D, finite, non-negative, one per row.

    Parameters
    ----------
    sample_weight : array-like of shape (n,) or None
        The weights (pandas, polars and pyarrow columns work; ``pd.NA`` is
        missing and refused).
    n : int
        Number of rows they weight.
    caller : str, optional
        Public function name, for error messages.
    positive_sum : bool, default=False
        Also require a positive total (for weighted means).

    Returns
    -------
    numpy.ndarray of float64 or None
        None when ``sample_weight`` is None.

    Raises
    ------
    mllifecycle.exceptions.InvalidParameterError
        Naming ``sample_weight``: wrong length, NaN, inf, a negative weight, or
        (``positive_sum``) weights summing to 0.

    Examples
    --------
    >>> from mllifecycle._weights import check_weights
    >>> check_weights([1, 2], 2).tolist()
    [1.0, 2.0]
    >>> check_weights(None, 3) is None
    True
    """
    if sample_weight is None:
        return None
    from mllifecycle._frames import column_to_numpy, series_kind

    raw = column_to_numpy(sample_weight) if series_kind(sample_weight) else sample_weight
    if np.iscomplexobj(raw):
        fail("sample_weight", "real numbers", described("complex values"), caller)
    w = check_array(raw, "sample_weight", caller=caller, ndim=1, min_samples=0)
    if w.shape[0] != n:
        fail("sample_weight", f"one weight per row ({n})", described(f"{w.shape[0]} weight(s)"),
             caller)
    if (w < 0).any():
        fail("sample_weight", "non-negative weights",
             described(f"{int((w < 0).sum())} negative weight(s), the smallest {w.min().item()!r}"),
             caller)
    if positive_sum and n and not (w > 0).any():  # (a sum of 1e306s overflows)
        fail("sample_weight", "weights with a positive sum", described("weights summing to 0"),
             caller)
    out: npt.NDArray[np.float64] = w
    return out
