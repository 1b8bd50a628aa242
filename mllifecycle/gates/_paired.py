"""Paired gates: non-inferiority and superiority of the challenger."""

from __future__ import annotations

import warnings
from typing import Any

import attrs

from mllifecycle._validation import check_option, described, fail
from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.gates._common import (
    _check_context,
    _compare,
    _describe,
    _f,
    _g,
    _improvement_bounds,
    _paired_fields,
    _signed,
    _skip,
    _small_note,
    _too_few_rows,
    _undefined,
    _vs,
)
from mllifecycle.gates._compare import delong, mcnemar_counts, refuse_groups
from mllifecycle.gates._context import GateContext, GateResult, model_inputs
from mllifecycle.gates._metrics import MetricSpec, prepare

__all__ = ["NoRegression", "SignificantImprovement"]


def _permutation_verdict(p: float, alpha: float, ok: bool, what: str,
                         n_groups: int | None = None) -> str:
    test = "exact paired permutation test" if n_groups is None else (
        f"exact cluster sign-flip test over {n_groups} groups")
    shown, level = _vs(p, alpha)
    head = f"small sample: {test}, one-sided p = {shown}"
    if ok:
        return f"{head} < alpha {level}: {what}"
    return f"{head} >= alpha {level}: not shown"


def _result(name: str, ok: bool, res: Any, alpha: float, verdict: str, lower: float,
            context: GateContext) -> GateResult:
    """Return the gate's result on bootstrap (or permutation) evidence ``res``.

    A pass on fewer examples than any paired test at ``alpha`` can decide on
    (a bootstrap with a margin on 1-3 rows: a zero-width interval) is not
    supported: the gate does not pass, and says so.
    """
    reasons = [_describe(res, alpha), verdict, *_small_note(res)]
    evidence = {**res.to_dict(), "lower_bound": lower, "alpha": alpha}
    few = _too_few_rows(context, alpha) if ok else None
    if few is not None:
        ok = False
        reasons.append(few)
        evidence["insufficient_evidence"] = True
    return GateResult(passed=ok, name=name, reasons=reasons, evidence=evidence)


@attrs.frozen
class NoRegression:
    """Non-inferiority: the challenger is no worse than the champion beyond a margin.

    Decided on the confidence interval: the challenger passes when the
    one-sided ``1 - alpha`` lower confidence bound of the improvement (the
    lower end of the two-sided ``1 - 2 alpha`` paired bootstrap interval,
    oriented so that positive means better) lies above ``-margin``. With no
    champion the gate is skipped. With ``GateContext(groups=...)`` whole groups
    are resampled (the cluster bootstrap of :func:`paired_bootstrap`), so rows
    of one user or session do not count as independent evidence. On fewer
    examples than any paired test at
    ``alpha`` can decide on (5 at ``alpha=0.05``: the exact test's smallest
    p-value on ``n`` is ``2 ** -n``) it does not pass, whatever the bound: the
    reasons say "insufficient evidence".

    Parameters
    ----------
    metric : str or callable
    margin : float
        The tolerated loss in the metric's units (0.005 = half a point of
        accuracy; for log loss an increase of 0.005). With ``margin=0`` this
        is a superiority test.
    alpha : float, default=0.05
        One-sided level, in (0, 0.5).
    n_resamples : int, default=10_000
        At least ``1 / alpha`` (20 at ``alpha=0.05``): fewer cannot put a
        one-sided bound at level ``alpha`` inside the resampled values.
    n_jobs : int or None, default=None
        Workers for the bootstrap resamples, through joblib (``-1``: every
        core; inside ``joblib.parallel_backend(...)``, that backend); the
        decision does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the resamples (needs tqdm), or a
        callable ``progress(done, total)``.
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
    n_jobs: int | None = attrs.field(default=None, kw_only=True)
    progress: Any = attrs.field(default=False, kw_only=True, eq=False)
    ci_method: str = attrs.field(default="bca", kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_spec", _paired_fields("NoRegression", self))

    @property
    def name(self) -> str:
        """Display name of the gate."""
        return f"NoRegression({self._spec.name}, margin={_g(self.margin)})"

    def check(self, context: GateContext) -> GateResult:
        """Test non-inferiority of the challenger with a paired bootstrap."""
        caller = "NoRegression"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        undefined = _undefined(spec, context, self.name, caller)
        if undefined is not None:
            return undefined
        res = _compare(
            spec,
            context,
            hypothesis="non-inferiority",
            margin=self.margin,
            confidence_level=1 - 2 * self.alpha,
            ci_method=self.ci_method,
            n_resamples=self.n_resamples,
            caller=caller,
            n_jobs=self.n_jobs,
            progress=self.progress,
            use_proba=self.use_proba,
        )
        lower, _ = _improvement_bounds(res)
        if res.test == "permutation":
            ok = res.p_value < self.alpha
            verdict = _permutation_verdict(res.p_value, self.alpha, ok, "no regression",
                                           res.n_groups)
        else:
            ok = lower > -self.margin
            shown, bound = _vs(lower, 0.0 - self.margin, signed=True)
            verdict = (
                f"lower bound {shown} > -margin {bound}: "
                "no regression beyond the margin"
                if ok
                else f"lower bound {shown} <= -margin {bound}: "
                "a regression beyond the margin cannot be ruled out"
            )
        return _result(self.name, ok, res, self.alpha, verdict, lower, context)


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
    McNemar's and DeLong's tests are unweighted: a context with
    ``sample_weight`` needs ``method="bootstrap"``, and so does a context
    with ``groups`` (they have no cluster version; the bootstrap then draws
    whole groups). On fewer examples than
    any paired test at ``alpha`` can decide on (5 at ``alpha=0.05``) the gate
    does not pass ("insufficient evidence" in the reasons).

    Parameters
    ----------
    metric : str or callable
    margin : float, default=0.0
        Required improvement in the metric's units.
    alpha : float, default=0.05
        One-sided level, in (0, 0.5): a challenger no better than the champion
        passes with probability at most about ``alpha``.
    method : {"bootstrap", "mcnemar", "delong"}, default="bootstrap"
    n_resamples : int, default=10_000
        At least ``1 / alpha`` (20 at ``alpha=0.05``): fewer cannot put a
        one-sided bound at level ``alpha`` inside the resampled values.
    n_jobs : int or None, default=None
        Workers for the bootstrap resamples, through joblib (``-1``: every
        core; inside ``joblib.parallel_backend(...)``, that backend); the
        decision does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the resamples (needs tqdm), or a
        callable ``progress(done, total)``.
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
    n_jobs: int | None = attrs.field(default=None, kw_only=True)
    progress: Any = attrs.field(default=False, kw_only=True, eq=False)
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
        extra = f", margin={_g(self.margin)}" if self.margin else ""
        how = f", method={self.method!r}" if self.method != "bootstrap" else ""
        return f"SignificantImprovement({spec.name}{extra}{how})"

    def check(self, context: GateContext) -> GateResult:
        """Test superiority of the challenger."""
        caller = "SignificantImprovement"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        undefined = _undefined(spec, context, self.name, caller)
        if undefined is not None:
            return undefined
        if self.method != "bootstrap":
            refuse_groups(context.groups, caller, self.method)
        if self.method != "bootstrap" and context.sample_weight is not None:
            # McNemar's and DeLong's tests count examples: weights would be ignored
            fail(
                "context",
                f"a GateContext without sample_weight for method={self.method!r} (its "
                "test is unweighted; use method='bootstrap' for weighted examples)",
                described("sample_weight given"),
                caller,
            )
        if self.method == "mcnemar":
            champion, challenger = model_inputs(spec, context, caller)
            # validate with the gate's names before the test sees the arrays
            problem = prepare(spec, context.y_true, champion, challenger, caller=caller,
                              classes=context.classes)
            assert problem.F is not None
            # which model is right on each example: columns 0 and 1 of the problem
            # (error_rate counts errors); checked against the context's classes
            right = problem.F[:, :2] > 0
            if spec.name == "error_rate":
                right = ~right
            mc = mcnemar_counts(right[:, 0], right[:, 1])
            better = mc.n_challenger_only > mc.n_champion_only
            ok = better and mc.p_value < 2 * self.alpha
            shown, level = _vs(mc.p_value, 2 * self.alpha)
            reason = (
                f"McNemar ({mc.method}): challenger alone right on "
                f"{mc.n_challenger_only}, "
                f"champion alone right on {mc.n_champion_only}; two-sided p = "
                f"{shown} "
                + (
                    f"< 2 alpha = {level}: significant improvement"
                    if ok
                    else "- no significant improvement"
                )
            )
            return GateResult(passed=ok, name=self.name, reasons=[reason], evidence=mc.to_dict())
        if self.method == "delong":
            champion, challenger = model_inputs(spec, context, caller)
            prepare(
                spec,
                context.y_true,
                champion,
                challenger,
                caller=caller,
                names=("champion_proba", "challenger_proba"),
                classes=context.classes,
            )
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DegenerateDataWarning)
                dl = delong(
                    context.y_true,
                    champion,
                    challenger,
                    confidence_level=1 - 2 * self.alpha,
                    hypothesis="superiority",
                    margin=self.margin,
                    n_resamples=self.n_resamples,
                    rng=context.generator(),
                    n_jobs=self.n_jobs,
                    progress=self.progress,
                )
            below = dl.p_value < self.alpha
            few = _too_few_rows(context, self.alpha) if below else None
            ok = below and few is None
            shown, level = _vs(dl.p_value, self.alpha)
            test = (
                "exact paired permutation test (too few examples of one class for DeLong)"
                if dl.test == "permutation"
                else "DeLong"
            )
            reasons = [
                f"roc_auc: challenger {_f(dl.challenger_auc)} vs champion "
                f"{_f(dl.champion_auc)}, difference {_signed(dl.difference)}; {test} "
                f"one-sided p = {shown} "
                # the p-value's side of alpha (a pass refused for too few rows
                # said ">= alpha" of a p-value below it)
                + (f"< alpha {level}" if below else f">= alpha {level}")
            ]
            reasons += [
                str(w.message)
                for w in caught
                if issubclass(w.category, DegenerateDataWarning) and dl.test == "delong"
            ]
            evidence = dl.to_dict()
            if few is not None:
                reasons.append(few)
                evidence["insufficient_evidence"] = True
            return GateResult(passed=ok, name=self.name, reasons=reasons, evidence=evidence)
        res = _compare(
            spec,
            context,
            hypothesis="superiority",
            margin=self.margin,
            confidence_level=1 - 2 * self.alpha,
            ci_method=self.ci_method,
            n_resamples=self.n_resamples,
            caller=caller,
            n_jobs=self.n_jobs,
            progress=self.progress,
            use_proba=self.use_proba,
        )
        lower, _ = _improvement_bounds(res)
        if res.test == "permutation":
            ok = res.p_value < self.alpha
            verdict = _permutation_verdict(res.p_value, self.alpha, ok,
                                           "significant improvement", res.n_groups)
        else:
            ok = lower > self.margin
            shown, bound = _vs(lower, self.margin, signed=True)
            verdict = (
                f"lower bound {shown} > margin {bound}: significant improvement"
                if ok
                else f"lower bound {shown} <= margin {bound}: "
                "the improvement is within the noise"
            )
        return _result(self.name, ok, res, self.alpha, verdict, lower, context)
