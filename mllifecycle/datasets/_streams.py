"""Seeded 1-D streams with known change points, for the change detectors.

Each generator returns a :class:`ChangeStream`: the ``values`` and the
``change_points`` (index of the first value drawn after each change began).
A *gradual* change of width ``w`` moves the parameter linearly from its old
to its new value over the ``w`` values starting at the change point (for the
Bernoulli stream this is the same, in distribution, as drawing each value
from the new concept with a probability that grows linearly, the usual
definition of gradual drift).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import attrs_to_dict, format_value, html_table
from mllifecycle._validation import (
    check_array,
    check_int,
    check_rng,
    check_scalar,
    described,
    fail,
    label_kinds,
)

__all__ = [
    "ChangeStream",
    "mean_shift_stream",
    "variance_shift_stream",
    "bernoulli_stream",
]


@attrs.frozen(kw_only=True, eq=False)
class ChangeStream:
    """A synthetic stream with known change points.

    Attributes
    ----------
    values : numpy.ndarray of shape (n,)
        The stream (float64; 0/1 values for Bernoulli streams).
    change_points : numpy.ndarray of numpy.intp
        Index of the first value after each change began (increasing).
    kind : str
        ``"mean_shift"``, ``"variance_shift"`` or ``"bernoulli"``.
    levels : tuple of float
        The parameter (mean, standard deviation or error rate) of each
        segment, ``len(change_points) + 1`` of them.
    gradual_width : int
        Number of values over which each change is spread (0 = abrupt).

    Examples
    --------
    >>> from mllifecycle.datasets import mean_shift_stream
    >>> s = mean_shift_stream(1000, [500], means=[0, 2], rng=0)
    >>> type(s).__name__, s.change_points.tolist(), len(s.values)
    ('ChangeStream', [500], 1000)
    """

    values: npt.NDArray[np.float64]
    change_points: npt.NDArray[np.intp]
    kind: str
    levels: tuple[float, ...]
    gradual_width: int

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-safe Python (values as a list)."""
        return attrs_to_dict(self)

    def __repr__(self) -> str:
        cps = ", ".join(str(int(c)) for c in self.change_points[:8])
        more = ", ..." if self.change_points.shape[0] > 8 else ""
        lv = ", ".join(format_value(v) for v in self.levels[:9])
        return (
            f"ChangeStream(kind={self.kind!r}, n={len(self)}, "
            f"change_points=[{cps}{more}], levels=({lv}), "
            f"gradual_width={self.gradual_width})"
        )

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [
            ["kind", self.kind],
            ["n", len(self)],
            ["change_points", ", ".join(str(int(c)) for c in self.change_points)],
            ["levels", ", ".join(format_value(v) for v in self.levels)],
            ["gradual_width", self.gradual_width],
        ]
        return html_table(rows, ["field", "value"], caption="ChangeStream")


def _check_change_points(
    n: int, change_points: Any, gradual_width: int, caller: str
) -> npt.NDArray[np.intp]:
    cps = check_array(
        change_points, "change_points", caller=caller, ndim=1, min_samples=0
    )
    if "booleans" in label_kinds(change_points):
        # NumPy reads True as the position 1
        fail("change_points", "integer indices (booleans are not positions)",
             change_points, caller)
    if cps.shape[0] and (np.any(cps != np.round(cps))):
        fail("change_points", "integer indices", cps, caller)
    # the range is checked on the values given: a position past the intp range
    # (1e20, 2**63) was cast to -2**63 first and reported as that number
    if cps.shape[0] and (
        cps[0] <= 0 or cps[-1] >= n or np.any(cps[1:] <= cps[:-1])
    ):
        shown = [int(v) for v in cps.tolist()[:10]]
        fail(
            "change_points",
            f"strictly increasing indices in [1, {n - 1}] (n={n})",
            described(f"{shown}"),
            caller,
        )
    out = cps.astype(np.intp)
    if gradual_width and out.shape[0]:
        gaps = np.diff(np.r_[out, n])
        if np.any(gaps < gradual_width):
            fail(
                "gradual_width",
                "at most the distance from each change point to the next "
                "(and to the end of the stream)",
                gradual_width,
                caller,
            )
    return out


def _check_levels(
    levels: Any, name: str, n_segments: int, caller: str, low: float | None,
    high: float | None = None, low_inclusive: bool = True,
) -> npt.NDArray[np.float64]:
    arr = check_array(levels, name, caller=caller, ndim=1)
    if arr.shape[0] != n_segments:
        fail(
            name,
            f"{n_segments} value(s), one per segment (len(change_points) + 1)",
            described(f"{arr.shape[0]} value(s)"),
            caller,
        )
    for v in arr.tolist():
        check_scalar(
            v, name, caller=caller, low=low, high=high, low_inclusive=low_inclusive
        )
    return arr


def _profile(
    n: int, cps: npt.NDArray[np.intp], levels: npt.NDArray[np.float64], width: int
) -> npt.NDArray[np.float64]:
    """Return the parameter at each position (piecewise constant, linear ramps)."""
    seg = np.searchsorted(cps, np.arange(n), side="right")
    prof = levels[seg].astype(np.float64)
    if width > 0:
        for j, c in enumerate(cps.tolist()):
            ramp = (np.arange(width) + 1.0) / (width + 1.0)
            step = levels[j + 1] - levels[j]
            if np.isfinite(step):
                prof[c : c + width] = levels[j] + step * ramp
            else:  # levels of opposite signs near the float limits: no overflow
                prof[c : c + width] = levels[j] * (1.0 - ramp) + levels[j + 1] * ramp
    return prof


def _check_finite(
    values: npt.NDArray[np.float64], names: str, caller: str
) -> npt.NDArray[np.float64]:
    """Raise when the levels and scale put values beyond the float range."""
    if not np.isfinite(values).all():
        fail(
            names.split(" and ")[0],
            f"{names} whose values stay within the float range (about 1.8e308)",
            described(f"{int((~np.isfinite(values)).sum())} infinite value(s) drawn"),
            caller,
        )
    return values


def _common(
    n: Any, change_points: Any, gradual_width: Any, caller: str
) -> tuple[int, npt.NDArray[np.intp], int]:
    n_ = check_int(n, "n_samples", caller=caller, low=1)
    width = check_int(gradual_width, "gradual_width", caller=caller, low=0)
    cps = _check_change_points(n_, change_points, width, caller)
    return n_, cps, width


def mean_shift_stream(
    n_samples: int,
    change_points: npt.ArrayLike,
    *,
    means: npt.ArrayLike | None = None,
    sigma: float = 1.0,
    gradual_width: int = 0,
    rng: int | np.random.Generator | None = None,
) -> ChangeStream:
    """Gaussian values whose mean shifts at known change points.

    Parameters
    ----------
    n_samples : int
        Length of the stream.
    change_points : array-like of int
        Strictly increasing indices in ``[1, n_samples - 1]``; may be empty.
    means : array-like of float, optional
        The mean of each of the ``len(change_points) + 1`` segments (default
        0, 1, 0, 1, ...).
    sigma : float, default=1.0
        The standard deviation, constant.
    gradual_width : int, default=0
        Spread each change linearly over this many values (0 = abrupt).
    rng : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    ChangeStream

    Examples
    --------
    >>> from mllifecycle.datasets import mean_shift_stream
    >>> s = mean_shift_stream(1000, [500], means=[0.0, 2.0], rng=0)
    >>> s.change_points.tolist(), round(float(s.values[500:].mean()), 1)
    ([500], 1.9)
    """
    caller = "mean_shift_stream"
    n_, cps, width = _common(n_samples, change_points, gradual_width, caller)
    k = cps.shape[0] + 1
    if means is None:
        lv = np.arange(k, dtype=np.float64) % 2
    else:
        lv = _check_levels(means, "means", k, caller, low=None)
    sd = check_scalar(sigma, "sigma", caller=caller, low=0.0, low_inclusive=False)
    gen = check_rng(rng, caller=caller)
    with np.errstate(over="ignore", invalid="ignore"):
        values = _profile(n_, cps, lv, width) + sd * gen.standard_normal(n_)
    _check_finite(values, "means and sigma", caller)
    return ChangeStream(
        values=values, change_points=cps, kind="mean_shift",
        levels=tuple(float(v) for v in lv), gradual_width=width,
    )


def variance_shift_stream(
    n_samples: int,
    change_points: npt.ArrayLike,
    *,
    sigmas: npt.ArrayLike | None = None,
    mean: float = 0.0,
    gradual_width: int = 0,
    rng: int | np.random.Generator | None = None,
) -> ChangeStream:
    """Gaussian values whose standard deviation shifts at known change points.

    Parameters
    ----------
    n_samples : int
        Length of the stream.
    change_points : array-like of int
        Strictly increasing indices in ``[1, n_samples - 1]``; may be empty.
    sigmas : array-like of float, optional
        The standard deviation (> 0) of each segment (default 1, 2, 1, ...).
    mean : float, default=0.0
        The mean, constant.
    gradual_width : int, default=0
        Spread each change linearly over this many values (0 = abrupt).
    rng : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    ChangeStream

    Examples
    --------
    >>> from mllifecycle.datasets import variance_shift_stream
    >>> s = variance_shift_stream(4000, [2000], sigmas=[1.0, 3.0], rng=0)
    >>> round(float(s.values[2000:].std()), 0)
    3.0
    """
    caller = "variance_shift_stream"
    n_, cps, width = _common(n_samples, change_points, gradual_width, caller)
    k = cps.shape[0] + 1
    if sigmas is None:
        lv = 1.0 + np.arange(k, dtype=np.float64) % 2
    else:
        lv = _check_levels(sigmas, "sigmas", k, caller, low=0.0, low_inclusive=False)
    mu = check_scalar(mean, "mean", caller=caller)
    gen = check_rng(rng, caller=caller)
    with np.errstate(over="ignore", invalid="ignore"):
        values = mu + _profile(n_, cps, lv, width) * gen.standard_normal(n_)
    _check_finite(values, "sigmas and mean", caller)
    return ChangeStream(
        values=values, change_points=cps, kind="variance_shift",
        levels=tuple(float(v) for v in lv), gradual_width=width,
    )


def bernoulli_stream(
    n_samples: int,
    rates: npt.ArrayLike,
    change_points: npt.ArrayLike,
    *,
    gradual_width: int = 0,
    rng: int | np.random.Generator | None = None,
) -> ChangeStream:
    """0/1 error flags whose error rate shifts at known change points.

    Parameters
    ----------
    n_samples : int
        Length of the stream.
    rates : array-like of float
        The error rate, in [0, 1], of each of the ``len(change_points) + 1``
        segments.
    change_points : array-like of int
        Strictly increasing indices in ``[1, n_samples - 1]``; may be empty.
    gradual_width : int, default=0
        Spread each change linearly over this many values (0 = abrupt).
    rng : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    ChangeStream
        ``values`` holds 0.0 and 1.0 (1 = the model was wrong).

    Examples
    --------
    >>> from mllifecycle.datasets import bernoulli_stream
    >>> s = bernoulli_stream(2000, [0.1, 0.4], [1000], rng=0)
    >>> sorted(set(s.values.tolist())), round(float(s.values[1000:].mean()), 1)
    ([0.0, 1.0], 0.4)
    """
    caller = "bernoulli_stream"
    n_, cps, width = _common(n_samples, change_points, gradual_width, caller)
    lv = _check_levels(rates, "rates", cps.shape[0] + 1, caller, low=0.0, high=1.0)
    gen = check_rng(rng, caller=caller)
    values = (gen.random(n_) < _profile(n_, cps, lv, width)).astype(np.float64)
    return ChangeStream(
        values=values, change_points=cps, kind="bernoulli",
        levels=tuple(float(v) for v in lv), gradual_width=width,
    )
