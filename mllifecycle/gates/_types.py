"""Frozen result objects of the paired comparisons."""

from __future__ import annotations

from typing import Any

import attrs

from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table

__all__ = ["BootstrapResult", "McNemarResult", "DeLongResult", "PermutationResult"]


class _ResultMixin:
    """to_dict / repr / _repr_html_ shared by the comparison results."""

    _repr_fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numeric fields as a flat ``name -> float`` dict.

        Booleans become 0.0 / 1.0, the intervals' two ends ``percentile_ci.0``
        style names are left out (``ci_low`` / ``ci_high`` carry them), text
        is left out: ``mlflow.log_metrics(result.to_metrics())`` works as-is.
        """
        return flat_metrics(self.to_dict())

    def __repr__(self) -> str:
        parts = []
        for name in self._repr_fields:
            v = getattr(self, name)
            parts.append(f"{name}={v!r}" if isinstance(v, str) else f"{name}={format_value(v)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _repr_html_(self) -> str:
        rows = [(k, v if not isinstance(v, list) else str(v)) for k, v in self.to_dict().items()]
        return html_table(rows, ["field", "value"], caption=type(self).__name__)


@attrs.frozen(kw_only=True, repr=False)
class BootstrapResult(_ResultMixin):
    """A paired bootstrap comparison of challenger and champion on one metric.

    Attributes
    ----------
    metric : str
        Name of the metric.
    higher_is_better : bool
        Direction of the metric (accuracy: True; log loss: False).
    champion_value, challenger_value : float
        The metric of each model on the full sample.
    difference : float
        ``challenger_value - champion_value`` in the metric's units.
    improvement : float
        ``difference`` oriented so that positive means the challenger is better.
    ci_low, ci_high : float
        Confidence interval for ``difference`` by ``ci_method``.
    ci_method : str
        ``"bca"`` or ``"percentile"``.
    percentile_ci, bca_ci : tuple of float
        Both intervals.
    confidence_level : float
        Two-sided confidence level of the intervals.
    std_error : float
        Standard deviation of the bootstrap differences.
    hypothesis : str
        ``"two-sided"``, ``"superiority"`` or ``"non-inferiority"``.
    margin : float
        Margin of the one-sided hypotheses (metric units, >= 0).
    null_value : float
        The boundary of the null hypothesis on the ``difference`` scale.
    alternative : str
        The alternative hypothesis in words, e.g. ``"difference > -0.005"``.
    p_value : float
        p-value for ``hypothesis``: by inverting the ``ci_method`` interval
        (``test="bootstrap"``) or from the exact paired permutation test
        (``test="permutation"``, small samples).
    null_rejected : bool
        Whether ``p_value < 1 - confidence_level``.
    n_samples, n_resamples : int
        Sample size (rows) and number of valid resamples.
    n_groups : int or None
        Number of groups resampled whole (``groups=``: the cluster bootstrap),
        or None when single rows were resampled.
    test : str
        ``"bootstrap"`` or ``"permutation"``: where ``p_value`` comes from.
    small_sample : bool
        True below the documented minimums (``MIN_DIFFERING`` examples on
        which the models differ, ``MIN_CLASS_COUNT`` of the rarer class),
        where the bootstrap interval may be too narrow.
    method : str
        How the resamples (and the p-value) were computed.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import paired_bootstrap
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> champion = np.where(rng.random(500) < 0.8, y, 1 - y)
    >>> challenger = np.where(rng.random(500) < 0.9, y, 1 - y)
    >>> r = paired_bootstrap(y, champion, challenger, metric="accuracy",
    ...                      n_resamples=1000, rng=0)
    >>> type(r).__name__, r.ci_low < r.difference < r.ci_high
    ('BootstrapResult', True)
    """

    metric: str
    higher_is_better: bool
    champion_value: float
    challenger_value: float
    difference: float
    improvement: float
    ci_low: float
    ci_high: float
    ci_method: str
    percentile_ci: tuple[float, float]
    bca_ci: tuple[float, float]
    confidence_level: float
    std_error: float
    hypothesis: str
    margin: float
    null_value: float
    alternative: str
    p_value: float = attrs.field(validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    null_rejected: bool
    n_samples: int
    n_resamples: int
    test: str = "bootstrap"
    small_sample: bool = False
    method: str
    n_groups: int | None = None

    _repr_fields = (
        "metric",
        "champion_value",
        "challenger_value",
        "difference",
        "ci_low",
        "ci_high",
        "hypothesis",
        "p_value",
    )


@attrs.frozen(kw_only=True, repr=False)
class McNemarResult(_ResultMixin):
    """McNemar's test on paired correct/incorrect outcomes.

    Attributes
    ----------
    statistic : float
        ``min(b, c)`` for the exact test, the continuity-corrected chi-square
        ``(|b - c| - 1)^2 / (b + c)`` otherwise.
    p_value : float
        Two-sided p-value of H0: both models have the same accuracy.
    exact : bool
        Whether the exact binomial test was used.
    method : str
        The test used, in words.
    n_champion_only : int
        ``b``: examples the champion got right and the challenger wrong.
    n_challenger_only : int
        ``c``: examples the challenger got right and the champion wrong.
    n_samples : int
    champion_accuracy, challenger_accuracy, difference : float
    null_rejected : bool
        Whether ``p_value < alpha``.
    alpha : float
        Significance level of ``null_rejected``.

    Examples
    --------
    >>> from mllifecycle.gates import mcnemar
    >>> y = [0, 1, 1, 0, 1, 0, 1, 1, 0, 1]
    >>> r = mcnemar(y, [0, 0, 0, 1, 1, 0, 0, 1, 1, 1], y)
    >>> type(r).__name__, 0.0 <= r.p_value <= 1.0
    ('McNemarResult', True)
    """

    statistic: float
    p_value: float = attrs.field(validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    exact: bool
    method: str
    n_champion_only: int
    n_challenger_only: int
    n_samples: int
    champion_accuracy: float
    challenger_accuracy: float
    difference: float
    null_rejected: bool
    alpha: float

    _repr_fields = (
        "statistic",
        "p_value",
        "method",
        "n_champion_only",
        "n_challenger_only",
    )


@attrs.frozen(kw_only=True, repr=False)
class DeLongResult(_ResultMixin):
    """DeLong's test comparing two correlated ROC AUCs.

    Attributes
    ----------
    champion_auc, challenger_auc : float
    difference : float
        ``challenger_auc - champion_auc``.
    ci_low, ci_high : float
        Normal-theory confidence interval for the difference.
    confidence_level : float
    std_error : float
        DeLong standard error of the difference.
    statistic : float
        ``(difference - null_value) / std_error``.
    hypothesis, margin, null_value, alternative :
        As in :class:`BootstrapResult`.
    p_value : float
        DeLong's normal-theory p-value, or the exact paired permutation
        p-value when ``test="permutation"`` (few examples of one class).
    null_rejected : bool
    n_positive, n_negative : int
    test : str
        ``"delong"`` or ``"permutation"``: where ``p_value`` comes from.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import delong
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 400)
    >>> champion = y + rng.normal(0, 1.5, 400)
    >>> challenger = y + rng.normal(0, 0.7, 400)
    >>> r = delong(y, champion, challenger)
    >>> type(r).__name__, r.difference > 0
    ('DeLongResult', True)
    """

    champion_auc: float
    challenger_auc: float
    difference: float
    ci_low: float
    ci_high: float
    confidence_level: float
    std_error: float
    statistic: float
    hypothesis: str
    margin: float
    null_value: float
    alternative: str
    p_value: float = attrs.field(validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    null_rejected: bool
    n_positive: int
    n_negative: int
    test: str = "delong"

    _repr_fields = (
        "champion_auc",
        "challenger_auc",
        "difference",
        "ci_low",
        "ci_high",
        "hypothesis",
        "p_value",
    )


@attrs.frozen(kw_only=True, repr=False)
class PermutationResult(_ResultMixin):
    """The exact paired permutation (swap) test of challenger against champion.

    Attributes
    ----------
    metric : str
    higher_is_better : bool
    champion_value, challenger_value : float
        The metric of each model on the sample.
    difference : float
        ``challenger_value - champion_value``: the test statistic.
    improvement : float
        ``difference`` oriented so that positive means the challenger is better.
    hypothesis : str
        ``"two-sided"``, ``"superiority"`` or ``"non-inferiority"`` (margin 0).
    alternative : str
        The alternative hypothesis in words.
    p_value : float
    null_rejected : bool
        Whether ``p_value < alpha``.
    alpha : float
        Significance level of ``null_rejected``.
    exact : bool
        True when every swap was enumerated (or the distribution was
        convolved exactly); False for Monte-Carlo swaps.
    n_differing : int
        Examples on which the two models' outputs differ (only those swap);
        with ``groups``, groups whose swap changes the comparison.
    n_samples, n_resamples : int
        Sample size (rows) and number of swaps (``2^n_differing`` when exact).
    method : str
    n_groups : int or None
        Number of groups swapped whole (``groups=``), or None when single rows
        were swapped.

    Examples
    --------
    >>> from mllifecycle.gates import paired_permutation
    >>> y = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0]
    >>> r = paired_permutation(y, [0, 1, 0, 0, 0, 1, 1, 0, 0, 1], y, metric="accuracy")
    >>> type(r).__name__, r.exact, r.n_differing
    ('PermutationResult', True, 5)
    """

    metric: str
    higher_is_better: bool
    champion_value: float
    challenger_value: float
    difference: float
    improvement: float
    hypothesis: str
    alternative: str
    p_value: float = attrs.field(validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    null_rejected: bool
    alpha: float
    exact: bool
    n_differing: int
    n_samples: int
    n_resamples: int
    method: str
    n_groups: int | None = None

    _repr_fields = (
        "metric",
        "champion_value",
        "challenger_value",
        "difference",
        "hypothesis",
        "p_value",
        "exact",
    )
