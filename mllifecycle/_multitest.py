"""Multiple-testing adjustment: the one copy every package uses.

``drift.detect`` adjusts one p-value per feature, ``gates.SliceNoRegression`` one
per slice; both call :func:`adjust_p_values` here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_option, described, fail

__all__ = ["CORRECTIONS", "adjust_p_values"]

#: The accepted values of every ``correction=`` parameter (None: no adjustment).
CORRECTIONS: tuple[str | None, ...] = ("holm", "hochberg", "bonferroni", "fdr_bh", "fdr_by", None)


def adjust_p_values(
    p_values: Sequence[float] | npt.ArrayLike, correction: str | None = "holm"
) -> npt.NDArray[np.float64]:
    """Adjust p-values for multiple testing.

    Parameters
    ----------
    p_values : 1-D array-like of float in [0, 1]
        Unadjusted p-values; NaN, values outside [0, 1], 2-D input and None are
        refused.
    correction : {"holm", "hochberg", "bonferroni", "fdr_bh", "fdr_by"} or None, default="holm"
        Holm's step-down and Bonferroni (family-wise error, any dependence),
        Hochberg's step-up (family-wise error, independent or positively
        dependent tests), Benjamini-Hochberg (false discovery rate, independent
        or positively dependent), Benjamini-Yekutieli (false discovery rate,
        any dependence), or None for no adjustment.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order, capped at 1; reject where
        ``adjusted < alpha``. They equal statsmodels' ``multipletests``
        (``holm``, ``simes-hochberg``, ``bonferroni``, ``fdr_bh``, ``fdr_by``).

    Raises
    ------
    mllifecycle.exceptions.InvalidParameterError
        If ``p_values`` is not a 1-D sequence of numbers in [0, 1] or
        ``correction`` is not one of the names above.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scand. J. Statist., 6(2), 65-70.
    .. [2] Hochberg, Y. (1988). A sharper Bonferroni procedure for multiple
       tests of significance. Biometrika, 75(4), 800-802.
    .. [3] Benjamini, Y. and Hochberg, Y. (1995). Controlling the false
       discovery rate. JRSS B, 57(1), 289-300.
    .. [4] Benjamini, Y. and Yekutieli, D. (2001). The control of the false
       discovery rate in multiple testing under dependency. Ann. Statist.,
       29(4), 1165-1188.

    Examples
    --------
    >>> from mllifecycle.drift import adjust_p_values
    >>> adjust_p_values([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values([0.01, 0.04, 0.03], "fdr_bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    caller = "adjust_p_values"
    correction = check_option(correction, "correction", CORRECTIONS, caller)
    if p_values is None or isinstance(p_values, str | bytes):
        fail("p_values", "a 1-D sequence of p-values in [0, 1]", p_values, caller)
    _refuse_non_numbers(p_values, caller)
    try:
        arr = np.asarray(p_values, dtype=np.float64)
    except (TypeError, ValueError):
        fail("p_values", "a 1-D sequence of p-values in [0, 1]", p_values, caller)
    if arr.ndim != 1:
        fail("p_values", "a 1-D sequence of p-values", f"an array of shape {arr.shape}", caller)
    if np.isnan(arr).any():
        fail("p_values", "p-values without NaN", f"{int(np.isnan(arr).sum())} NaN", caller)
    if arr.size and (arr.min() < 0.0 or arr.max() > 1.0):
        fail(
            "p_values",
            "p-values in [0, 1]",
            f"values from {arr.min():g} to {arr.max():g}",
            caller,
        )
    k = arr.shape[0]
    if k == 0 or correction is None:
        return arr.copy()
    if correction == "bonferroni":
        bonf: npt.NDArray[np.float64] = np.minimum(arr * k, 1.0)
        return bonf
    order = np.argsort(arr, kind="stable")
    ps = arr[order]
    rank = np.arange(1, k + 1)
    if correction == "holm":
        adj = np.maximum.accumulate(ps * (k - rank + 1))
    elif correction == "hochberg":
        adj = np.minimum.accumulate((ps * (k - rank + 1))[::-1])[::-1]
    else:
        factor = 1.0 if correction == "fdr_bh" else math.fsum(1.0 / rank)
        adj = np.minimum.accumulate((ps * k * factor / rank)[::-1])[::-1]
    out = np.empty(k)
    out[order] = np.minimum(adj, 1.0)
    return out


def _refuse_non_numbers(p_values: Any, caller: str) -> None:
    """Refuse p-values that are not real numbers: text, bools, None, dates, complex.

    ``np.asarray(..., dtype=float)`` reads ``"0.1"`` as 0.1, ``True`` as 1.0
    and a datetime as its count of units, so a column of the wrong thing was
    adjusted as if it held p-values.
    """
    if hasattr(p_values, "to_numpy") and not isinstance(p_values, np.ndarray):
        try:
            p_values = p_values.to_numpy()
        except (TypeError, ValueError):
            return  # np.asarray below explains
    if isinstance(p_values, np.ndarray) and p_values.dtype != object:
        if p_values.dtype.kind not in "fiu":
            fail(
                "p_values",
                "numeric p-values in [0, 1]",
                described(f"an array of dtype {p_values.dtype}"),
                caller,
            )
        return
    try:
        flat = np.asarray(p_values, dtype=object).ravel().tolist()
    except (TypeError, ValueError):
        return  # np.asarray below explains
    for i, v in enumerate(flat):
        if v is None or isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
            what = "None (a missing p-value)" if v is None else f"{v!r} (a {type(v).__name__})"
            fail("p_values", "numeric p-values in [0, 1]", described(f"{what} at position {i}"),
                 caller)


def _describe(correction: Any) -> str:
    """One-line description of a correction, for reports."""
    return {
        None: "no multiple-testing correction",
        "holm": "Holm step-down (family-wise error)",
        "hochberg": "Hochberg step-up (family-wise error)",
        "bonferroni": "Bonferroni (family-wise error)",
        "fdr_bh": "Benjamini-Hochberg (false discovery rate)",
        "fdr_by": "Benjamini-Yekutieli (false discovery rate)",
    }.get(correction, str(correction))
