"""Result types of the batch drift tests: one test, one feature, one report."""

from __future__ import annotations

import math
import warnings
from typing import Any

import attrs

from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table, jsonable
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["DriftResult", "FeatureDrift", "DriftReport", "make_result"]


def _decide(
    p_value: float | None,
    statistic: float,
    effect_size: float,
    *,
    alpha: float,
    threshold: float | None,
    min_effect: float | None,
) -> bool:
    """Return the drift decision shared by every test.

    With a ``threshold`` the decision is ``statistic >= threshold``; otherwise it
    is ``p_value < alpha``. Either way ``min_effect`` (when given) must also be
    reached by ``effect_size``.
    """
    if threshold is not None:
        hit = statistic >= threshold
    else:
        hit = p_value is not None and p_value < alpha
    if min_effect is not None:
        hit = hit and effect_size >= min_effect
    return bool(hit)


@attrs.frozen(kw_only=True, repr=False)
class DriftResult:
    """The evidence and the decision of one two-sample drift test.

    Attributes
    ----------
    statistic : float
        The test statistic (for ``classifier_drift``, the cross-validated AUC).
    p_value : float or None
        The p-value, or None when the decision was made by a ``threshold``.
    drift_detected : bool
        The decision: ``p_value < alpha`` (or ``statistic >= threshold``), and
        ``effect_size >= min_effect`` when ``min_effect`` is given.
    effect_size : float
        A scale-free size of the shift (see each test's Notes).
    method : str
        Name of the test, e.g. ``"ks"``.
    n_reference, n_current : int
        Sample sizes used (after NaN rows were omitted).
    alpha : float
        Significance level.
    threshold : float or None
        Decision threshold on the statistic, when one was used.
    min_effect : float or None
        Minimum effect size required for a detection.
    details : dict
        Test-specific extras (e.g. ``"auc"`` and ``"feature_importances"`` for
        ``classifier_drift``; ``"p_value_method"`` where there is a choice).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import ks
    >>> rng = np.random.default_rng(0)
    >>> res = ks(rng.normal(size=300), rng.normal(0.5, size=300))
    >>> res.drift_detected, res.method
    (True, 'ks')
    >>> sorted(res.to_dict())[:3]
    ['alpha', 'details', 'drift_detected']
    """

    statistic: float
    p_value: float | None
    drift_detected: bool
    effect_size: float
    method: str
    n_reference: int
    n_current: int
    alpha: float
    threshold: float | None = None
    min_effect: float | None = None
    details: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat ``name -> float`` dict (for metric trackers).

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.drift import ks
        >>> m = ks(np.arange(10.0), np.arange(10.0) + 0.5).to_metrics()
        >>> m["drift_detected"], m["n_reference"]
        (0.0, 10.0)
        """
        return flat_metrics(self.to_dict())

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [
            ["method", self.method],
            ["statistic", self.statistic],
            ["p_value", "-" if self.p_value is None else self.p_value],
            ["effect_size", self.effect_size],
            ["drift_detected", self.drift_detected],
            ["n_reference", self.n_reference],
            ["n_current", self.n_current],
        ]
        return html_table(rows, ("field", "value"), caption="DriftResult")

    def __repr__(self) -> str:
        p = "None" if self.p_value is None else format_value(self.p_value)
        parts = [
            f"method={self.method!r}",
            f"statistic={format_value(self.statistic)}",
            f"p_value={p}",
            f"effect_size={format_value(self.effect_size)}",
            f"drift_detected={self.drift_detected}",
            f"n_reference={self.n_reference}",
            f"n_current={self.n_current}",
        ]
        if self.threshold is not None:
            parts.append(f"threshold={format_value(self.threshold)}")
        return f"DriftResult({', '.join(parts)})"


@attrs.frozen(kw_only=True, repr=False)
class FeatureDrift:
    """One feature's line in a :class:`DriftReport`.

    Attributes
    ----------
    name : str
        Column name (``"x0"``, ``"x1"``, ... for arrays).
    test : str
        The test used on this column.
    statistic, p_value, effect_size : float
        As in the test's :class:`DriftResult` (p_value before correction).
    adjusted_p_value : float or None
        The p-value after the multiple-testing correction.
    drift_detected : bool
        ``adjusted_p_value < alpha`` (and ``effect_size >= min_effect``).
    result : DriftResult
        The full result of the test on this column.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import detect
    >>> rng = np.random.default_rng(0)
    >>> line = detect(rng.normal(size=(300, 2)), rng.normal(1.0, 1.0, size=(300, 2))).features[0]
    >>> line.test, line.drift_detected, line.adjusted_p_value >= line.p_value
    ('ks', True, True)
    """

    name: str
    test: str
    statistic: float
    p_value: float | None
    adjusted_p_value: float | None
    effect_size: float
    drift_detected: bool
    result: DriftResult

    def to_dict(self) -> dict[str, Any]:
        """Return the line as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat ``name -> float`` dict."""
        return flat_metrics(self.to_dict())

    def __repr__(self) -> str:
        adj = "None" if self.adjusted_p_value is None else format_value(self.adjusted_p_value)
        return (
            f"FeatureDrift(name={self.name!r}, test={self.test!r}, "
            f"effect_size={format_value(self.effect_size)}, adjusted_p_value={adj}, "
            f"drift_detected={self.drift_detected})"
        )


@attrs.frozen(kw_only=True, repr=False)
class DriftReport:
    """Per-feature drift tests on a whole data set, corrected and ranked.

    Attributes
    ----------
    features : tuple of FeatureDrift
        One line per column, ranked by effect size (largest first).
    drift_detected : bool
        Whether any feature drifted after the correction.
    alpha : float
        Family-wise (or false-discovery) level.
    correction : str or None
        ``"holm"``, ``"bonferroni"``, ``"fdr_bh"`` or None.
    min_effect : float or None
        Minimum effect size required for a detection.
    n_reference, n_current : int
        Number of rows compared.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import detect
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(size=(500, 3))
    >>> cur = rng.normal(size=(500, 3)); cur[:, 1] += 1.0
    >>> report = detect(ref, cur)
    >>> report.drift_detected, report.features[0].name, report.drifted
    (True, 'x1', ['x1'])
    """

    features: tuple[FeatureDrift, ...]
    drift_detected: bool
    alpha: float
    correction: str | None
    min_effect: float | None
    n_reference: int
    n_current: int

    @property
    def drifted(self) -> list[str]:
        """Names of the features that drifted, largest effect first."""
        return [f.name for f in self.features if f.drift_detected]

    def __getitem__(self, name: str) -> FeatureDrift:
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-safe dict (each feature with its full result)."""
        return {
            "drift_detected": self.drift_detected,
            "alpha": self.alpha,
            "correction": self.correction,
            "min_effect": jsonable(self.min_effect),
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "drifted": self.drifted,
            "features": [f.to_dict() for f in self.features],
        }

    def to_metrics(self) -> dict[str, float]:
        """Return a flat ``name -> float`` dict: report-level numbers, then per feature.

        Per feature: ``<name>.statistic``, ``<name>.p_value``,
        ``<name>.adjusted_p_value``, ``<name>.effect_size`` and
        ``<name>.drift_detected`` (0/1), so that
        ``mlflow.log_metrics(report.to_metrics())`` works as-is.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.drift import detect
        >>> rng = np.random.default_rng(0)
        >>> m = detect(rng.normal(size=(100, 2)), rng.normal(size=(100, 2))).to_metrics()
        >>> sorted(k for k in m if k.startswith("x0."))[:3]
        ['x0.adjusted_p_value', 'x0.drift_detected', 'x0.effect_size']
        """
        out = flat_metrics(
            {
                "drift_detected": self.drift_detected,
                "n_drifted": len(self.drifted),
                "alpha": self.alpha,
                "n_reference": self.n_reference,
                "n_current": self.n_current,
            }
        )
        for f in self.features:
            line = flat_metrics(
                {
                    "statistic": f.statistic,
                    "p_value": f.p_value,
                    "adjusted_p_value": f.adjusted_p_value,
                    "effect_size": f.effect_size,
                    "drift_detected": f.drift_detected,
                }
            )
            # prefixed here: flat_metrics drops an empty prefix, and a column
            # named "" then overwrote the report's own "drift_detected"
            out.update({f"{f.name}.{k}": v for k, v in line.items()})
        return out

    def _rows(self) -> list[list[Any]]:
        return [
            [
                f.name,
                f.test,
                f.statistic,
                "-" if f.p_value is None else f.p_value,
                "-" if f.adjusted_p_value is None else f.adjusted_p_value,
                f.effect_size,
                "DRIFT" if f.drift_detected else "",
            ]
            for f in self.features
        ]

    _HEADERS = (
        "feature",
        "test",
        "statistic",
        "p_value",
        "adjusted",
        "effect",
        "drift",
    )

    def _caption(self) -> str:
        verdict = "drift detected" if self.drift_detected else "no drift"
        corr = self.correction or "no correction"
        return (
            f"DriftReport: {verdict} in {len(self.drifted)} of {len(self.features)} "
            f"feature(s) (alpha={format_value(self.alpha)}, {corr}, "
            f"n_reference={self.n_reference}, n_current={self.n_current})"
        )

    def __repr__(self) -> str:
        rows = [[format_value(c) for c in r] for r in self._rows()]
        widths = [
            max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
            for i, h in enumerate(self._HEADERS)
        ]
        lines = [self._caption()]
        lines.append("  ".join(h.ljust(w) for h, w in zip(self._HEADERS, widths, strict=True)))
        for r in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(self._rows(), self._HEADERS, caption=self._caption())


def make_result(
    method: str,
    statistic: float,
    p_value: float | None,
    effect: float,
    n1: int,
    n2: int,
    *,
    alpha: float,
    threshold: float | None = None,
    min_effect: float | None = None,
    details: dict[str, Any] | None = None,
) -> DriftResult:
    """Build a :class:`DriftResult` (p-value clipped to [0, 1], decision made).

    A NaN p-value stays NaN, with no detection and a
    :class:`~mllifecycle.exceptions.DegenerateDataWarning`: clipped, it became
    0.0 (``max(0.0, nan)`` is 0.0), which reported drift.
    """
    if p_value is not None:
        p_value = float(p_value)
        if math.isnan(p_value):
            warnings.warn(
                f"{method}: the p-value is undefined (NaN) on these data; no drift is "
                "reported, but the test could not decide",
                DegenerateDataWarning,
                stacklevel=3,
            )
        else:
            p_value = min(1.0, max(0.0, p_value))
    return DriftResult(
        statistic=float(statistic),
        p_value=p_value,
        drift_detected=_decide(
            p_value,
            float(statistic),
            float(effect),
            alpha=alpha,
            threshold=threshold,
            min_effect=min_effect,
        ),
        effect_size=float(effect),
        method=method,
        n_reference=int(n1),
        n_current=int(n2),
        alpha=alpha,
        threshold=threshold,
        min_effect=min_effect,
        details=details or {},
    )
