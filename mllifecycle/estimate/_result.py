"""Result objects of performance estimation (private; re-exported)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import attrs

from mllifecycle._results import (
    attrs_to_dict,
    flat_metrics,
    format_value,
    html_table,
    jsonable,
    short_text,
)

__all__ = ["MetricEstimate", "PerformanceEstimate"]


def _nan_key(value: Any) -> Any:
    """Compare (and hash) a float field with NaN equal to NaN.

    An undefined metric, or ``calibration_std_error`` with ``n_resamples=0``,
    is NaN, and ``nan != nan``: two identical estimates (the same window
    twice, a pickled estimator's) compared unequal.
    """
    if isinstance(value, float) and math.isnan(value):
        return (True, 0.0)
    return (False, value)


def _float_field(**kwargs: Any) -> Any:
    return attrs.field(eq=_nan_key, **kwargs)


def _level(value: float) -> str:
    """Text of a confidence level (or its percentage) with every digit it has.

    Four significant digits showed ``confidence_level=0.99999`` as ``1`` and
    its intervals as "100% CI"; 0.95 still reads ``0.95`` (and 95).
    """
    return short_text(value, 4, rtol=1e-12)


@attrs.frozen(kw_only=True)
class MetricEstimate:
    """One estimated metric with its sampling error.

    Attributes
    ----------
    metric : str
        The metric's name (``"accuracy"``, ``"precision"``, ``"recall"``,
        ``"f1"`` or ``"roc_auc"``).
    value : float
        The estimated metric (NaN where it is undefined, e.g. precision on a
        window with no predicted positive).
    std_error : float
        Standard error of the realised metric on this window, given the
        calibrated probabilities (see :class:`CBPE`, Notes).
    ci_low, ci_high : float
        Normal-approximation interval ``value -/+ z * std_error`` at the
        estimator's ``confidence_level``, clipped to [0, 1].
    sampling_std_error : float
        The part of ``std_error`` due to the window's finite size (equal to
        ``std_error`` unless calibration uncertainty is included).
    calibration_std_error : float
        Bootstrap standard error due to the calibration map (NaN when not
        estimated, i.e. ``n_resamples=0``).

    Examples
    --------
    >>> from mllifecycle.estimate import MetricEstimate
    >>> MetricEstimate(metric="accuracy", value=0.9, std_error=0.01,
    ...                ci_low=0.88, ci_high=0.92).ci_high
    0.92
    """

    metric: str
    value: float = _float_field()
    std_error: float = _float_field()
    ci_low: float = _float_field()
    ci_high: float = _float_field()
    sampling_std_error: float = _float_field(default=math.nan)
    calibration_std_error: float = _float_field(default=math.nan)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict (NaN becomes None)."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the finite numbers as a flat ``name -> float`` dict."""
        return flat_metrics(self.to_dict())

    def __repr__(self) -> str:
        return (
            f"MetricEstimate(metric={self.metric!r}, value={format_value(self.value)}, "
            f"std_error={format_value(self.std_error)}, "
            f"ci=[{format_value(self.ci_low)}, {format_value(self.ci_high)}])"
        )


@attrs.frozen(kw_only=True)
class PerformanceEstimate:
    """Estimated performance of a classifier on one unlabelled window.

    Index it by metric name: ``result["accuracy"].value``.

    Attributes
    ----------
    estimates : dict of str to MetricEstimate
        One entry per requested metric, in the order requested.
    n_samples : int
        Number of rows in the window.
    n_classes : int
        Number of classes (2 for binary problems).
    average : {"binary", "macro"}
        ``"binary"`` scores the positive class; ``"macro"`` averages the
        one-vs-rest metrics over the classes (accuracy is always direct).
    threshold : float or None
        Decision threshold on the positive-class probability (None for
        multiclass, where the prediction is the arg-max).
    calibration : str
        The calibration method used (``"none"``, ``"sigmoid"``, ``"isotonic"``).
    confidence_level : float
        Level of the intervals.
    method : str
        ``"cbpe"``.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.estimate import CBPE
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(size=2000)
    >>> y = (rng.uniform(size=2000) < p).astype(int)
    >>> est = CBPE(metrics=["accuracy", "f1"], random_state=0).fit(y_true=y, y_proba=p)
    >>> r = est.estimate(p[:500])
    >>> sorted(r.to_dict()["estimates"])
    ['accuracy', 'f1']
    >>> "accuracy" in r, r.n_samples
    (True, 500)
    """

    estimates: dict[str, MetricEstimate]
    n_samples: int
    n_classes: int
    average: str
    threshold: float | None
    calibration: str
    confidence_level: float
    method: str = "cbpe"

    def __getitem__(self, metric: str) -> MetricEstimate:
        try:
            return self.estimates[metric]
        except KeyError:
            shown = ", ".join(repr(k) for k in self.estimates)
            raise KeyError(f"{metric!r} was not estimated; this result holds {shown}") from None

    def __contains__(self, metric: object) -> bool:
        return metric in self.estimates

    def __iter__(self) -> Iterator[str]:
        return iter(self.estimates)

    def __len__(self) -> int:
        return len(self.estimates)

    def keys(self) -> list[str]:
        """Return the estimated metric names, in order."""
        return list(self.estimates)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (NaN becomes None)."""
        out = attrs_to_dict(self, exclude=("estimates",))
        out["estimates"] = {k: v.to_dict() for k, v in self.estimates.items()}
        return jsonable(out)  # type: ignore[no-any-return]

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat dict: ``accuracy``, ``accuracy.std_error``, ...

        Each metric's value is ``<metric>``, its other numbers
        ``<metric>.<field>``; NaN (undefined) values are left out, so
        ``mlflow.log_metrics(result.to_metrics())`` works as-is.
        """
        out: dict[str, float] = {}
        for name, est in self.estimates.items():
            d = est.to_dict()
            d.pop("metric", None)
            value = d.pop("value", None)
            if isinstance(value, float):
                out[name] = value
            out.update(flat_metrics(d, prefix=name))
        out.update(flat_metrics({"n_samples": self.n_samples, "n_classes": self.n_classes,
                                 "confidence_level": self.confidence_level}))
        return out

    def _rows(self) -> list[list[Any]]:
        return [
            [e.metric, e.value, e.std_error, e.ci_low, e.ci_high] for e in self.estimates.values()
        ]

    def __repr__(self) -> str:
        level = _level(100 * self.confidence_level)
        head = (
            f"PerformanceEstimate(method='cbpe', n_samples={self.n_samples}, "
            f"n_classes={self.n_classes}, "
            f"average={self.average!r}, calibration={self.calibration!r}, "
            f"confidence_level={_level(self.confidence_level)})"
        )
        lines = [head]
        for e in self.estimates.values():
            lines.append(
                f"  {e.metric:<9} {format_value(e.value):>8}  "
                f"+/- {format_value(e.std_error):<8} "
                f"{level}% CI [{format_value(e.ci_low)}, {format_value(e.ci_high)}]"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = (
            f"CBPE estimate on {self.n_samples} rows ({self.average}, "
            f"calibration={self.calibration}, "
            f"{_level(100 * self.confidence_level)}% intervals)"
        )
        return html_table(
            self._rows(),
            ["metric", "estimate", "std. error", "CI low", "CI high"],
            caption=caption,
        )
