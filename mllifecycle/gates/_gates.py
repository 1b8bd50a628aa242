"""Built-in gates: thresholds, paired comparisons, slices and calibration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    check_alpha,
    check_array,
    check_bool,
    check_int,
    check_option,
    check_scalar,
    described,
    fail,
)
from mllifecycle.gates._compare import _bootstrap_result, delong, mcnemar
from mllifecycle.gates._context import GateContext, GateResult, model_inputs
from mllifecycle.gates._metrics import MetricSpec, prepare, resolve_metric
from mllifecycle.gates._types import BootstrapResult

__all__ = [
    "MetricThreshold",
    "NoRegression",
    "SignificantImprovement",
    "SliceNoRegression",
    "CalibrationNoWorse",
    "holm",
]


def _f(x: float) -> str:
    return f"{x:.4g}"


def _signed(x: float) -> str:
    return f"{x:+.4g}"


def _check_context(context: Any, caller: str) -> GateContext:
    if not isinstance(context, GateContext):
        fail("context", "a GateContext", described(type(context).__name__), caller)
    return context


def _skip(name: str) -> GateResult:
    return GateResult(
        passed=True,
        name=name,
        skipped=True,
        reasons=(
            "no champion (first model): this comparative gate does not apply and was skipped",
        ),
        evidence={"applies": False},
    )


def _compare(
    spec: MetricSpec,
    context: GateContext,
    *,
    hypothesis: str,
    margin: float,
    confidence_level: float,
    ci_method: str,
    n_resamples: int,
    caller: str,
    n_bins: int = 10,
    use_proba: bool = False,
    rng: np.random.Generator | None = None,
    swap: bool = False,
    classes: Any = None,
) -> BootstrapResult:
    champion, challenger = model_inputs(spec, context, caller, use_proba=use_proba)
    if swap:
        champion, challenger = challenger, champion
    problem = prepare(
        spec,
        context.y_true,
        champion,
        challenger,
        sample_weight=context.sample_weight,
        n_bins=n_bins,
        classes=classes,
        caller=caller,
    )
    return _bootstrap_result(
        problem,
        n_resamples,
        confidence_level,
        ci_method,
        hypothesis,
        margin,
        context.generator() if rng is None else rng,
    )


def _improvement_bounds(res: BootstrapResult) -> tuple[float, float]:
    """(lower, upper) bounds of the improvement (positive = challenger better)."""
    if res.higher_is_better:
        return res.ci_low, res.ci_high
    return -res.ci_high, -res.ci_low


def _describe(res: BootstrapResult, alpha: float) -> str:
    lo, hi = _improvement_bounds(res)
    level = round(100 * (1 - alpha))
    better = "higher" if res.higher_is_better else "lower"
    return (
        f"{res.metric} ({better} is better): challenger {_f(res.challenger_value)} vs "
        f"champion {_f(res.champion_value)}, improvement {_signed(res.improvement)} "
        f"with one-sided {level}% bounds [{_signed(lo)}, {_signed(hi)}] "
        f"(paired bootstrap, {res.ci_method}, n={res.n_samples})"
    )


def _metric_validator(inst: Any, caller: str) -> MetricSpec:
    hib = getattr(inst, "higher_is_better", None)
    return resolve_metric(inst.metric, hib, caller)


@attrs.frozen
class MetricThreshold:
    """An absolute floor or ceiling on the challenger's metric.

    Applies to a first model too (no champion needed).

    Parameters
    ----------
    metric : str or callable
        A metric name accepted by :func:`paired_bootstrap`, or a callable
        ``metric(y_true, y_pred) -> float``.
    minimum, maximum : float, optional
        The challenger passes when ``minimum <= value <= maximum``; give at
        least one. The direction is explicit: a floor for accuracy, a ceiling
        for log loss.
    higher_is_better : bool, optional
        Only for callables (informational).
    use_proba : bool, default=False
        Pass probabilities to a callable metric.

    Examples
    --------
    >>> from mllifecycle.gates import GateContext, MetricThreshold
    >>> ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    >>> MetricThreshold("accuracy", minimum=0.7).check(ctx).passed
    True
    """

    metric: Any
    minimum: float | None = attrs.field(default=None, kw_only=True)
    maximum: float | None = attrs.field(default=None, kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "MetricThreshold"
        hib = self.higher_is_better
        if hib is None and not isinstance(self.metric, str):
            hib = True  # a threshold needs no direction: the bounds say it
        spec = resolve_metric(self.metric, hib, caller)
        if self.minimum is None and self.maximum is None:
            fail("minimum", "a float when maximum is None (give a bound)", None, caller)
        for nm in ("minimum", "maximum"):
            v = getattr(self, nm)
            if v is not None:
                object.__setattr__(self, nm, check_scalar(v, nm, caller=caller))
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            fail("maximum", f"at least minimum={self.minimum!r}", self.maximum, caller)
        check_bool(self.use_proba, "use_proba", caller)
        object.__setattr__(self, "_spec", spec)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        spec: MetricSpec = self._spec
        parts = []
        if self.minimum is not None:
            parts.append(f"{spec.name} >= {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"{spec.name} <= {self.maximum:g}")
        return f"MetricThreshold({' and '.join(parts)})"

    def check(self, context: GateContext) -> GateResult:
        """Compare the challenger's metric with the bounds."""
        caller = "MetricThreshold"
        context = _check_context(context, caller)
        spec: MetricSpec = self._spec
        _, challenger = model_inputs(spec, context, caller, use_proba=self.use_proba)
        problem = prepare(
            spec,
            context.y_true,
            challenger,
            challenger,
            sample_weight=context.sample_weight,
            caller=caller,
        )
        value = problem.observed()[1]
        ok = True
        reasons = []
        if self.minimum is not None:
            good = value >= self.minimum
            ok &= good
            op = ">=" if good else "<"
            reasons.append(f"{spec.name} {_f(value)} {op} minimum {self.minimum:g}")
        if self.maximum is not None:
            good = value <= self.maximum
            ok &= good
            op = "<=" if good else ">"
            reasons.append(f"{spec.name} {_f(value)} {op} maximum {self.maximum:g}")
        return GateResult(
            passed=ok,
            name=self.name,
            reasons=reasons,
            evidence={
                "metric": spec.name,
                "value": value,
                "minimum": self.minimum,
                "maximum": self.maximum,
                "n_samples": context.n_samples,
            },
        )


def _paired_fields(caller: str, inst: Any) -> MetricSpec:
    spec = _metric_validator(inst, caller)
    object.__setattr__(inst, "margin", check_scalar(inst.margin, "margin", caller=caller, low=0.0))
    object.__setattr__(inst, "alpha", check_alpha(inst.alpha, caller=caller))
    object.__setattr__(
        inst, "n_resamples", check_int(inst.n_resamples, "n_resamples", caller=caller)
    )
    check_option(inst.ci_method, "ci_method", ("bca", "percentile"), caller)
    return spec


@attrs.frozen
class NoRegression:
    """Non-inferiority: the challenger is no worse than the champion beyond a margin.

    Decided on the confidence interval: the challenger passes when the
    one-sided ``1 - alpha`` lower confidence bound of the improvement (the
    lower end of the two-sided ``1 - 2 alpha`` paired bootstrap interval,
    oriented so that positive means better) lies above ``-margin``. With no
    champion the gate is skipped.

    Parameters
    ----------
    metric : str or callable
    margin : float
        The tolerated loss in the metric's units (0.005 = half a point of
        accuracy; for log loss an increase of 0.005). With ``margin=0`` this
        is a superiority test.
    alpha : float, default=0.05
        One-sided level.
    n_resamples : int, default=10_000
    ci_method : {"bca", "percentile"}, default="bca"
    higher_is_better : bool, optional
        Required for callables.
    use_proba : bool, default=False
        Pass probabilities to a callable metric.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import GateContext, NoRegression
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 3000)
    >>> old = np.where(rng.random(3000) < 0.85, y, 1 - y)
    >>> ctx = GateContext(y_true=y, champion=old, challenger=old.copy(), rng=0)
    >>> NoRegression("accuracy", margin=0.01).check(ctx).passed
    True
    """

    metric: Any
    margin: float = attrs.field(kw_only=True)
    alpha: float = attrs.field(default=0.05, kw_only=True)
    n_resamples: int = attrs.field(default=10_000, kw_only=True)
    ci_method: str = attrs.field(default="bca", kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_spec", _paired_fields("NoRegression", self))

    @property
    def name(self) -> str:
        """Display name of the gate."""
        return f"NoRegression({self._spec.name}, margin={self.margin:g})"

    def check(self, context: GateContext) -> GateResult:
        """Test non-inferiority of the challenger with a paired bootstrap."""
        caller = "NoRegression"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        res = _compare(
            spec,
            context,
            hypothesis="non-inferiority",
            margin=self.margin,
            confidence_level=1 - 2 * self.alpha,
            ci_method=self.ci_method,
            n_resamples=self.n_resamples,
            caller=caller,
            use_proba=self.use_proba,
        )
        lower, _ = _improvement_bounds(res)
        ok = lower > -self.margin
        verdict = (
            f"lower bound {_signed(lower)} > -margin {0.0 - self.margin:g}: "
            "no regression beyond the margin"
            if ok
            else f"lower bound {_signed(lower)} <= -margin {0.0 - self.margin:g}: "
            "a regression beyond the margin cannot be ruled out"
        )
        return GateResult(
            passed=ok,
            name=self.name,
            reasons=[_describe(res, self.alpha), verdict],
            evidence={**res.to_dict(), "lower_bound": lower, "alpha": self.alpha},
        )


@attrs.frozen
class SignificantImprovement:
    """Superiority: the challenger is better than the champion, beyond the noise.

    ``method="bootstrap"`` (any metric): passes when the one-sided ``1 -
    alpha`` lower bound of the improvement exceeds ``margin``.
    ``method="mcnemar"`` (accuracy, error rate; margin 0): passes when the
    challenger is right more often on the discordant pairs and McNemar's
    two-sided p-value is below ``2 alpha`` (one-sided ``alpha``).
    ``method="delong"`` (ROC AUC): passes when DeLong's one-sided p-value of
    H1 ``difference > margin`` is below ``alpha``. Skipped with no champion.

    Parameters
    ----------
    metric : str or callable
    margin : float, default=0.0
        Required improvement in the metric's units.
    alpha : float, default=0.05
        One-sided level: a challenger no better than the champion passes with
        probability at most about ``alpha``.
    method : {"bootstrap", "mcnemar", "delong"}, default="bootstrap"
    n_resamples : int, default=10_000
    ci_method : {"bca", "percentile"}, default="bca"
    higher_is_better : bool, optional
    use_proba : bool, default=False

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import GateContext, SignificantImprovement
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 5000)
    >>> old = np.where(rng.random(5000) < 0.80, y, 1 - y)
    >>> new = np.where(rng.random(5000) < 0.85, y, 1 - y)
    >>> ctx = GateContext(y_true=y, champion=old, challenger=new, rng=0)
    >>> SignificantImprovement("accuracy").check(ctx).passed
    True
    """

    metric: Any
    margin: float = attrs.field(default=0.0, kw_only=True)
    alpha: float = attrs.field(default=0.05, kw_only=True)
    method: str = attrs.field(default="bootstrap", kw_only=True)
    n_resamples: int = attrs.field(default=10_000, kw_only=True)
    ci_method: str = attrs.field(default="bca", kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "SignificantImprovement"
        spec = _paired_fields(caller, self)
        check_option(self.method, "method", ("bootstrap", "mcnemar", "delong"), caller)
        if self.method == "mcnemar" and spec.name not in ("accuracy", "error_rate"):
            fail(
                "metric",
                "'accuracy' or 'error_rate' for method='mcnemar'",
                self.metric,
                caller,
            )
        if self.method == "delong" and spec.name != "roc_auc":
            fail("metric", "'roc_auc' for method='delong'", self.metric, caller)
        if self.method == "mcnemar" and self.margin != 0.0:
            fail(
                "margin",
                "0.0 for method='mcnemar' (use the bootstrap)",
                self.margin,
                caller,
            )
        object.__setattr__(self, "_spec", spec)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        spec: MetricSpec = self._spec
        extra = f", margin={self.margin:g}" if self.margin else ""
        how = f", method={self.method!r}" if self.method != "bootstrap" else ""
        return f"SignificantImprovement({spec.name}{extra}{how})"

    def check(self, context: GateContext) -> GateResult:
        """Test superiority of the challenger."""
        caller = "SignificantImprovement"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        if self.method == "mcnemar":
            champion, challenger = model_inputs(spec, context, caller)
            mc = mcnemar(context.y_true, champion, challenger)
            better = mc.n_challenger_only > mc.n_champion_only
            ok = better and mc.p_value < 2 * self.alpha
            reason = (
                f"McNemar ({mc.method}): challenger alone right on "
                f"{mc.n_challenger_only}, "
                f"champion alone right on {mc.n_champion_only}; two-sided p = "
                f"{_f(mc.p_value)} "
                + (
                    f"< 2 alpha = {2 * self.alpha:g}: significant improvement"
                    if ok
                    else "- no significant improvement"
                )
            )
            return GateResult(passed=ok, name=self.name, reasons=[reason], evidence=mc.to_dict())
        if self.method == "delong":
            champion, challenger = model_inputs(spec, context, caller)
            dl = delong(
                context.y_true,
                champion,
                challenger,
                confidence_level=1 - 2 * self.alpha,
                hypothesis="superiority",
                margin=self.margin,
            )
            ok = dl.p_value < self.alpha
            reason = (
                f"roc_auc: challenger {_f(dl.challenger_auc)} vs champion "
                f"{_f(dl.champion_auc)}, difference {_signed(dl.difference)}; DeLong "
                f"one-sided p = {_f(dl.p_value)} "
                + (f"< alpha {self.alpha:g}" if ok else f">= alpha {self.alpha:g}")
            )
            return GateResult(passed=ok, name=self.name, reasons=[reason], evidence=dl.to_dict())
        res = _compare(
            spec,
            context,
            hypothesis="superiority",
            margin=self.margin,
            confidence_level=1 - 2 * self.alpha,
            ci_method=self.ci_method,
            n_resamples=self.n_resamples,
            caller=caller,
            use_proba=self.use_proba,
        )
        lower, _ = _improvement_bounds(res)
        ok = lower > self.margin
        verdict = (
            f"lower bound {_signed(lower)} > margin {self.margin:g}: significant improvement"
            if ok
            else f"lower bound {_signed(lower)} <= margin {self.margin:g}: "
            "the improvement is within the noise"
        )
        return GateResult(
            passed=ok,
            name=self.name,
            reasons=[_describe(res, self.alpha), verdict],
            evidence={**res.to_dict(), "lower_bound": lower, "alpha": self.alpha},
        )


def holm(p_values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Holm's step-down adjusted p-values (family-wise error control).

    Examples
    --------
    >>> from mllifecycle.gates._gates import holm
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = p.size
    order = np.argsort(p)
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


@attrs.frozen
class SliceNoRegression:
    """No slice of the data shows a significant regression of the challenger.

    For every slice with at least ``min_slice_size`` examples, a paired
    bootstrap tests H0 "the challenger is not worse than the champion by more
    than ``margin``" against H1 "it is"; the p-values are adjusted across
    slices (Holm by default) so that, when no slice truly regresses, the gate
    fails with probability at most about ``alpha`` however many slices there
    are. The gate fails when any adjusted p-value is below ``alpha``. Slices
    smaller than ``min_slice_size`` are reported and not judged. Skipped with
    no champion.

    This is the lenient reading (fail on evidence of a regression). For the
    strict reading (every slice must *show* non-inferiority) apply
    :class:`NoRegression` to ``context.subset(mask)`` per slice: an
    intersection-union test that needs no multiplicity correction.

    Parameters
    ----------
    metric : str or callable
    by : str, callable or None, default=None
        The slices: None uses ``context.slices`` (a 1-D array of labels); a
        str names a column of ``context.slices``; a callable maps the context
        to a 1-D array of slice labels.
    margin : float, default=0.0
        Tolerated loss per slice, in the metric's units.
    alpha : float, default=0.05
        Family-wise level across slices.
    correction : {"holm", "bonferroni", "none"}, default="holm"
    min_slice_size : int, default=30
    n_resamples : int, default=2000
        Resamples per slice.
    ci_method : {"bca", "percentile"}, default="bca"
    higher_is_better : bool, optional
    use_proba : bool, default=False

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scandinavian Journal of Statistics 6(2), 65-70.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import GateContext, SliceNoRegression
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 4000)
    >>> region = rng.choice(["north", "south"], 4000)
    >>> old = np.where(rng.random(4000) < 0.85, y, 1 - y)
    >>> new = old.copy()
    >>> south = np.flatnonzero(region == "south")[:300]
    >>> new[south] = 1 - y[south]  # the challenger breaks the south
    >>> ctx = GateContext(y_true=y, champion=old, challenger=new, slices=region, rng=0)
    >>> res = SliceNoRegression("accuracy", margin=0.01).check(ctx)
    >>> res.passed, res.evidence["regressed"]
    (False, ['south'])
    """

    metric: Any
    by: Any = attrs.field(default=None, kw_only=True)
    margin: float = attrs.field(default=0.0, kw_only=True)
    alpha: float = attrs.field(default=0.05, kw_only=True)
    correction: str = attrs.field(default="holm", kw_only=True)
    min_slice_size: int = attrs.field(default=30, kw_only=True)
    n_resamples: int = attrs.field(default=2000, kw_only=True)
    ci_method: str = attrs.field(default="bca", kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "SliceNoRegression"
        spec = _paired_fields(caller, self)
        check_option(self.correction, "correction", ("holm", "bonferroni", "none"), caller)
        object.__setattr__(
            self,
            "min_slice_size",
            check_int(self.min_slice_size, "min_slice_size", caller=caller, low=2),
        )
        if self.by is not None and not isinstance(self.by, str) and not callable(self.by):
            fail("by", "None, a column name or a callable", self.by, caller)
        object.__setattr__(self, "_spec", spec)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        spec: MetricSpec = self._spec
        if self.by is None:
            by = ""
        elif isinstance(self.by, str):
            by = f", by={self.by}"
        else:
            by = f", by={getattr(self.by, '__name__', 'callable')}"
        return f"SliceNoRegression({spec.name}{by}, margin={self.margin:g})"

    def _labels(self, context: GateContext) -> npt.NDArray[Any]:
        caller = "SliceNoRegression"
        if callable(self.by):
            raw: Any = self.by(context)
        elif isinstance(self.by, str):
            if not isinstance(context.slices, dict) or self.by not in context.slices:
                have = list(context.slices) if isinstance(context.slices, dict) else None
                fail(
                    "by",
                    f"a column of context.slices (columns: {have})",
                    self.by,
                    caller,
                )
            raw = context.slices[self.by]
        else:
            if context.slices is None:
                fail(
                    "context",
                    "a GateContext with slices (or pass by=)",
                    described("slices=None"),
                    caller,
                )
            if isinstance(context.slices, dict):
                fail(
                    "by",
                    f"a column name among {list(context.slices)} when slices has columns",
                    None,
                    caller,
                )
            raw = context.slices
        labels = check_array(raw, "slices", caller=caller, ndim=1, dtype="any")
        if labels.shape[0] != context.n_samples:
            fail(
                "slices",
                f"one slice label per example ({context.n_samples})",
                described(f"{labels.shape[0]} label(s)"),
                caller,
            )
        return labels

    def check(self, context: GateContext) -> GateResult:
        """Test every large-enough slice for a regression, with multiplicity control."""
        caller = "SliceNoRegression"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        labels = self._labels(context)
        keys, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        gen = context.generator()
        rows: list[dict[str, Any]] = []
        small: list[str] = []
        for k, key in enumerate(keys.tolist()):
            name = str(key)
            if counts[k] < self.min_slice_size:
                small.append(f"{name} (n={int(counts[k])})")
                continue
            sub = context.subset(inverse == k)
            if spec.kind == "score" and np.unique(sub.y_true).size < 2:
                small.append(f"{name} (one class only)")
                continue
            # H1: champion better than challenger by more than the margin
            res = _compare(
                spec,
                sub,
                hypothesis="superiority",
                margin=self.margin,
                confidence_level=1 - 2 * self.alpha,
                ci_method=self.ci_method,
                n_resamples=self.n_resamples,
                caller=caller,
                use_proba=self.use_proba,
                rng=gen,
                swap=True,
                classes=None if spec.kind == "regression" else np.unique(context.y_true),
            )
            rows.append(
                {
                    "slice": name,
                    "n": int(counts[k]),
                    "champion": res.challenger_value,
                    "challenger": res.champion_value,
                    "difference": -res.difference,
                    "p_regression": res.p_value,
                }
            )
        if not rows:
            return GateResult(
                passed=True,
                name=self.name,
                skipped=True,
                reasons=[
                    f"no slice has at least {self.min_slice_size} examples; "
                    "not judged: " + ", ".join(small)
                ],
                evidence={"slices": [], "too_small": small},
            )
        p = np.array([r["p_regression"] for r in rows])
        if self.correction == "holm":
            adj = holm(p)
        elif self.correction == "bonferroni":
            adj = np.minimum(p * p.size, 1.0)
        else:
            adj = p
        regressed = []
        for r, a in zip(rows, adj, strict=True):
            r["adjusted_p"] = float(a)
            r["regressed"] = bool(a < self.alpha)
            if r["regressed"]:
                regressed.append(r["slice"])
        reasons = []
        for r in rows:
            if r["regressed"]:
                reasons.append(
                    f"slice {r['slice']!r} (n={r['n']}): {spec.name} "
                    f"{_f(r['challenger'])} vs "
                    f"champion {_f(r['champion'])} ({_signed(r['difference'])}), "
                    f"adjusted p = {_f(r['adjusted_p'])} < {self.alpha:g}: regression"
                )
        if not regressed:
            reasons.append(
                f"no significant regression beyond margin {self.margin:g} in "
                f"{len(rows)} slice(s) ({self.correction} correction, "
                f"alpha {self.alpha:g})"
            )
        if small:
            reasons.append(
                f"not judged (fewer than {self.min_slice_size} examples): " + ", ".join(small)
            )
        return GateResult(
            passed=not regressed,
            name=self.name,
            reasons=reasons,
            evidence={
                "slices": rows,
                "regressed": regressed,
                "too_small": small,
                "correction": self.correction,
                "alpha": self.alpha,
            },
        )


@attrs.frozen(kw_only=True)
class CalibrationNoWorse:
    """The challenger's calibration is no worse than the champion's.

    Non-inferiority on two lower-is-better measures, each decided on the
    paired bootstrap interval: the top-label expected calibration error
    (equal-width bins [1]_, [2]_) and the Brier score [3]_. The challenger
    passes when the one-sided ``1 - alpha`` upper bound of each increase is
    below its margin. Needs ``champion_proba`` and ``challenger_proba``;
    skipped with no champion.

    Parameters
    ----------
    ece_margin : float, default=0.01
        Tolerated increase of the ECE.
    brier_margin : float, default=0.005
        Tolerated increase of the Brier score.
    alpha : float, default=0.05
    n_bins : int, default=10
    n_resamples : int, default=2000
    ci_method : {"bca", "percentile"}, default="bca"

    References
    ----------
    .. [1] Naeini, M. P., Cooper, G. & Hauskrecht, M. (2015). Obtaining well
       calibrated probabilities using Bayesian binning. AAAI.
    .. [2] Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. Q. (2017). On
       calibration of modern neural networks. ICML.
    .. [3] Brier, G. W. (1950). Verification of forecasts expressed in terms
       of probability. Monthly Weather Review 78(1), 1-3.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import CalibrationNoWorse, GateContext
    >>> rng = np.random.default_rng(0)
    >>> p = rng.random(4000)
    >>> y = (rng.random(4000) < p).astype(int)
    >>> overconfident = np.clip(0.5 + 1.8 * (p - 0.5), 0, 1)
    >>> ctx = GateContext(y_true=y, champion=(p > 0.5) * 1, challenger=(p > 0.5) * 1,
    ...                   champion_proba=p, challenger_proba=overconfident, rng=0)
    >>> CalibrationNoWorse().check(ctx).passed
    False
    """

    ece_margin: float = 0.01
    brier_margin: float = 0.005
    alpha: float = 0.05
    n_bins: int = 10
    n_resamples: int = 2000
    ci_method: str = "bca"

    def __attrs_post_init__(self) -> None:
        caller = "CalibrationNoWorse"
        for nm in ("ece_margin", "brier_margin"):
            object.__setattr__(
                self, nm, check_scalar(getattr(self, nm), nm, caller=caller, low=0.0)
            )
        object.__setattr__(self, "alpha", check_alpha(self.alpha, caller=caller))
        object.__setattr__(self, "n_bins", check_int(self.n_bins, "n_bins", caller=caller))
        object.__setattr__(
            self,
            "n_resamples",
            check_int(self.n_resamples, "n_resamples", caller=caller),
        )
        check_option(self.ci_method, "ci_method", ("bca", "percentile"), caller)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        return (
            f"CalibrationNoWorse(ece_margin={self.ece_margin:g}, "
            f"brier_margin={self.brier_margin:g})"
        )

    def check(self, context: GateContext) -> GateResult:
        """Test non-inferiority of the challenger's ECE and Brier score."""
        caller = "CalibrationNoWorse"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        if context.champion_proba is None:
            fail(
                "context",
                "a GateContext with champion_proba and challenger_proba",
                described("champion_proba=None"),
                caller,
            )
        gen = context.generator()
        ok = True
        reasons = []
        evidence: dict[str, Any] = {"alpha": self.alpha}
        for metric, margin in (
            ("expected_calibration_error", self.ece_margin),
            ("brier_score", self.brier_margin),
        ):
            res = _compare(
                resolve_metric(metric, None, caller),
                context,
                hypothesis="non-inferiority",
                margin=margin,
                confidence_level=1 - 2 * self.alpha,
                ci_method=self.ci_method,
                n_resamples=self.n_resamples,
                caller=caller,
                n_bins=self.n_bins,
                rng=gen,
            )
            upper = res.ci_high
            good = upper < margin
            ok &= good
            reasons.append(
                f"{metric}: challenger {_f(res.challenger_value)} vs champion "
                f"{_f(res.champion_value)} ({_signed(res.difference)}); upper bound of "
                f"the increase {_signed(upper)} "
                + (f"< margin {margin:g}" if good else f">= margin {margin:g}: worse calibrated")
            )
            evidence[metric] = {**res.to_dict(), "upper_bound": upper}
        return GateResult(passed=ok, name=self.name, reasons=reasons, evidence=evidence)


GateLike = Callable[[GateContext], GateResult]
