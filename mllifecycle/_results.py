"""Helpers shared by result objects: JSON-safe dictionaries and HTML tables."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

__all__ = [
    "jsonable",
    "attrs_to_dict",
    "flat_metrics",
    "html_table",
    "format_value",
    "short_text",
    "same_array",
    "ARRAY_EQ",
]


def same_array(a: Any, b: Any) -> bool:
    """Equality of two result arrays (or None): same shape and values, NaN equal to NaN.

    attrs compares fields as a tuple, so an array field made ``==`` raise
    NumPy's "truth value of an array is ambiguous" (or, for an empty array,
    return an empty array); ``eq=False`` compared nothing (two different
    results equal). One rule for every result and policy holding arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._results import same_array
    >>> same_array(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    True
    >>> same_array(np.zeros(2), np.zeros(3))
    False
    """
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    nan_ok = a.dtype.kind in "fc" and b.dtype.kind in "fc"
    return bool(np.array_equal(a, b, equal_nan=nan_ok))


#: ``attrs.field(eq=ARRAY_EQ)`` for the array fields of results and stateful objects.
ARRAY_EQ = attrs.cmp_using(eq=same_array)


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON-safe Python (NaN and inf become None).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._results import jsonable
    >>> jsonable({"p": np.float64(0.5), "idx": np.arange(2), "x": float("nan")})
    {'p': 0.5, 'idx': [0, 1], 'x': None}
    """
    if attrs.has(type(value)):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return attrs_to_dict(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        item = value.item()
        if isinstance(item, np.generic):
            # long double (and its complex) has no Python type: .item() gave
            # it back and this recursed for ever
            item = float(value) if isinstance(value, np.floating) else str(value)
        return jsonable(item)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Sequence | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def attrs_to_dict(inst: Any, exclude: Sequence[str] = ()) -> dict[str, Any]:
    """Return the attrs fields of ``inst`` as a JSON-safe dict."""
    out: dict[str, Any] = {}
    for f in attrs.fields(type(inst)):
        if f.name in exclude or f.name.startswith("_"):
            continue
        out[f.name] = jsonable(getattr(inst, f.name))
    return out


def flat_metrics(
    data: Mapping[str, Any], prefix: str = "", sep: str = "."
) -> dict[str, float]:
    """Flatten a result's ``to_dict()`` into ``name -> float`` for metric trackers.

    Numbers and booleans (as 0.0/1.0) are kept, nested mappings are joined with
    ``sep``; strings, lists, None and non-finite numbers are left out, so
    ``mlflow.log_metrics(result.to_metrics())`` works as-is.

    Examples
    --------
    >>> from mllifecycle._results import flat_metrics
    >>> flat_metrics({"p_value": 0.2, "passed": True, "ci": {"low": 1}, "name": "x"})
    {'p_value': 0.2, 'passed': 1.0, 'ci.low': 1.0}
    """
    out: dict[str, float] = {}
    for key, value in data.items():
        name = f"{prefix}{sep}{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            out.update(flat_metrics(value, name, sep))
        elif isinstance(value, bool | np.bool_):
            out[name] = float(value)
        elif isinstance(value, int | float | np.integer | np.floating):
            v = float(value)
            if math.isfinite(v):
                out[name] = v
    return out


def short_text(value: float, min_digits: int = 4, rtol: float = 0.0) -> str:
    """Return the shortest ``:g`` text of ``value`` (at least ``min_digits``) that reads back.

    Reads back: ``float(text) == value``, or within ``rtol`` relative to
    ``max(|value|, 1)`` (a percentage ``100 * 0.995`` is 99.49999999999999:
    with ``rtol=1e-12`` it reads ``99.5``). For a bound, a margin or a
    confidence level, which four significant digits misstated (a minimum of
    0.8000001 as 0.8, a level of 0.99999 as 1). Non-finite values as ``str``.

    Examples
    --------
    >>> from mllifecycle._results import short_text
    >>> short_text(0.8000001), short_text(0.95), short_text(100 * 0.995, 2, rtol=1e-12)
    ('0.8000001', '0.95', '99.5')
    """
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    for d in range(min_digits, 18):
        text = f"{value:.{d}g}"
        if abs(float(text) - value) <= rtol * max(abs(value), 1.0):
            return text
    return repr(value)


def format_value(value: Any, digits: int = 4) -> str:
    """Format a number for a human-readable table."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if not math.isfinite(v):
            return str(v)
        if v != 0 and (abs(v) < 10 ** (-digits) or abs(v) >= 1e6):
            return f"{v:.{digits - 1}e}"
        return f"{v:.{digits}g}"
    return str(value)


def html_table(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], caption: str | None = None
) -> str:
    """Render rows as a small HTML table (for ``_repr_html_``)."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(format_value(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
