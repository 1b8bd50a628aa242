"""Helpers shared by the built-in gates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mllifecycle._levels import check_gate_resamples, min_paired_rows
from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle._results import short_text
from mllifecycle._validation import (
    check_alpha,
    check_bool,
    check_int,
    check_option,
    check_scalar,
    described,
    fail,
)
from mllifecycle.gates._compare import _bootstrap_result
from mllifecycle.gates._context import GateContext, GateResult, model_inputs
from mllifecycle.gates._metrics import (
    METRIC_RANGES,
    MetricSpec,
    _labels,
    prepare,
    resolve_metric,
)
from mllifecycle.gates._types import BootstrapResult


def _f(x: float) -> str:
    return f"{x:.4g}"


def _signed(x: float) -> str:
    return f"{x + 0.0:+.4g}"  # -0.0 (an improvement of 0 on a loss) shows as +0


def _g(x: float) -> str:
    """Return the shortest text of ``x`` that reads back as ``x`` (``:g`` where exact).

    A gate's bound or margin written with ``:g`` lost digits: ``minimum=0.8000001``
    showed as ``>= 0.8``.
    """
    return short_text(x, 6)


def _vs(value: float, bound: float, *, signed: bool = False) -> tuple[str, str]:
    """Return the texts of ``value`` and of the ``bound`` it is compared with.

    ``value`` at 4 significant digits, or more where 4 would show it on the
    wrong side of (or equal to) a bound it differs from: an accuracy of
    0.79995 against a minimum of 0.8 read "accuracy 0.8 < minimum 0.8", a
    p-value of 0.049996 "p = 0.05 < alpha 0.05". ``bound`` exactly (:func:`_g`).
    """
    value, bound = float(value), float(bound)
    truth = (value > bound) - (value < bound)
    text = _signed(value) if signed else _f(value)
    if math.isfinite(value) and math.isfinite(bound):
        for d in range(5, 18):
            shown = float(text)
            if (shown > bound) - (shown < bound) == truth:
                break
            text = f"{value + 0.0:+.{d}g}" if signed else f"{value:.{d}g}"
    return text, _g(bound)


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


def _undefined(
    spec: MetricSpec, context: GateContext, name: str, caller: str
) -> GateResult | None:
    """Return a skipped result when ``spec`` is undefined on the context's data, else None.

    ROC AUC needs examples of both classes: on a holdout holding one class
    (common in a replay's small holdouts) it has no value, and the gate can
    neither pass nor fail on it (scikit-learn's ``roc_auc_score`` raises there).
    """
    if spec.kind != "score":
        return None
    # labels checked first (missing values, mixed kinds), as the metric would
    y = _labels(context.y_true, "y_true", caller)
    w = context.sample_weight
    # rows of weight 0 count for nothing: a class weighted 0 throughout is absent
    # (its AUC was NaN: MetricThreshold failed on "nan < minimum", the paired
    # gates raised)
    present = np.unique(y if w is None else y[np.asarray(w) > 0])
    if present.size >= 2:
        return None
    weighted = "" if w is None else " of positive weight"
    return GateResult(
        passed=True,
        name=name,
        skipped=True,
        reasons=(
            f"{spec.name} is undefined on data holding one class only{weighted} "
            f"({present.tolist()[0]!r}, n={context.n_samples}): not judged",
        ),
        evidence={"applies": False, "n_samples": context.n_samples,
                  "classes_present": present.tolist()},
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
    n_jobs: int | None = None,
    progress: Any = False,
) -> BootstrapResult:
    if classes is None:
        classes = context.classes  # None: the labels present in y_true
    champion, challenger = model_inputs(
        spec, context, caller, use_proba=use_proba, classes=classes
    )
    proba = spec.kind in ("proba", "score") or (spec.kind == "callable" and use_proba)
    names = ("champion_proba", "challenger_proba") if proba else ("champion", "challenger")
    if swap:
        champion, challenger = challenger, champion
        names = (names[1], names[0])
    problem = prepare(
        spec,
        context.y_true,
        champion,
        challenger,
        sample_weight=context.sample_weight,
        n_bins=n_bins,
        classes=classes,
        caller=caller,
        names=names,
        groups=context.groups,
    )
    return _bootstrap_result(
        problem,
        n_resamples,
        confidence_level,
        ci_method,
        hypothesis,
        margin,
        context.generator() if rng is None else rng,
        warn=False,
        n_jobs=n_jobs,
        progress=progress,
        caller=caller,
    )


def _small_note(res: BootstrapResult) -> list[str]:
    """Return a reason line when a bootstrap decision rests on a small sample."""
    if res.small_sample and res.test == "bootstrap":
        size = f"n={res.n_samples}" + (
            "" if res.n_groups is None else f" in {res.n_groups} groups")
        return [
            f"small sample ({size}): the bootstrap bound may be too narrow "
            "and the decision is approximate (the exact permutation test needs margin 0 "
            "and a sample small enough to run it)"
        ]
    return []


def _too_few_rows(context: GateContext, alpha: float) -> str | None:
    """Return the reason a pass on ``context`` is not supported at ``alpha``, or None.

    No paired test at one-sided level ``alpha`` can decide on fewer than
    :func:`mllifecycle._levels.min_paired_rows` examples (its smallest p-value,
    ``2 ** -n``, is not below ``alpha``); a bootstrap bound decided all the
    same (on 1-3 rows a zero-width interval), and the gate passed. Rows of
    weight 0 carry no evidence and are not counted.
    """
    need = min_paired_rows(alpha)
    w = context.sample_weight
    kept = np.ones(context.n_samples, dtype=bool) if w is None else np.asarray(w) > 0
    if context.groups is None:
        n = int(np.count_nonzero(kept))
        unit = "examples"
    else:  # groups resample and swap whole: the exact test's units are groups
        n = int(np.unique(context.groups[kept]).size)
        unit = "groups"
    if n >= need:
        return None
    weighted = "" if w is None else " of positive weight"
    size = f"n={n}{weighted}" if unit == "examples" else f"{n} groups{weighted}"
    return (
        f"insufficient evidence: small sample ({size}): no paired test at "
        f"one-sided level {alpha:g} can decide on fewer than {need} {unit} (the "
        f"smallest p-value of the exact test on {n} is 2^-{n} = {2.0 ** -n:.4g}); "
        "not passed"
    )


def _improvement_bounds(res: BootstrapResult) -> tuple[float, float]:
    """(lower, upper) bounds of the improvement (positive = challenger better)."""
    if res.higher_is_better:
        return res.ci_low, res.ci_high
    return -res.ci_high, -res.ci_low


def _describe(res: BootstrapResult, alpha: float) -> str:
    lo, hi = _improvement_bounds(res)
    # round() showed alpha=0.025 as "98%" and alpha=0.005 as "100%" bounds
    level = _g(round(100 * (1 - alpha), 10))
    better = "higher" if res.higher_is_better else "lower"
    return (
        f"{res.metric} ({better} is better): challenger {_f(res.challenger_value)} vs "
        f"champion {_f(res.champion_value)}, improvement {_signed(res.improvement)} "
        f"with one-sided {level}% bounds [{_signed(lo)}, {_signed(hi)}] "
        + (f"(paired bootstrap, {res.ci_method}, n={res.n_samples})" if res.n_groups is None
           else f"(cluster bootstrap, {res.ci_method}, n={res.n_samples} in "
           f"{res.n_groups} groups)")
    )


def check_one_sided_alpha(value: Any, caller: str) -> float:
    """Check a gate's one-sided level: in (0, 0.5).

    The gates read the two-sided ``1 - 2 alpha`` interval; from ``alpha = 0.5``
    on its level is zero or negative and its bounds come out swapped.
    """
    alpha = check_alpha(value, caller=caller)
    if alpha >= 0.5:
        fail(
            "alpha",
            "a one-sided level in (0, 0.5) (the gate reads the two-sided "
            "1 - 2 * alpha interval)",
            value,
            caller,
        )
    return alpha


def _metric_validator(inst: Any, caller: str) -> MetricSpec:
    hib = getattr(inst, "higher_is_better", None)
    return resolve_metric(inst.metric, hib, caller)


def check_margin(value: Any, metric: str | None, caller: str, name: str = "margin") -> float:
    """Check a margin: a float >= 0, below the width of a bounded metric's range.

    A margin of the whole range (``margin=5`` meant as 5 points of accuracy)
    made ``NoRegression`` pass any challenger and ``SignificantImprovement``
    fail every one; as :class:`MetricThreshold`'s bounds, it is refused.
    """
    margin = check_scalar(value, name, caller=caller, low=0.0)
    low, high = METRIC_RANGES.get(metric, (0.0, float("inf"))) if metric else (0.0, 0.0)
    width = high - low
    if metric and np.isfinite(width) and margin >= width:
        fail(
            name,
            f"a margin below the width {width:g} of {metric}'s range [{low:g}, {high:g}] "
            "(a margin of the whole range makes a gate that always passes or always "
            "fails; a fraction, not a percentage)",
            value,
            caller,
        )
    return margin


def _paired_fields(caller: str, inst: Any) -> MetricSpec:
    spec = _metric_validator(inst, caller)
    metric = None if spec.kind == "callable" else spec.name
    object.__setattr__(inst, "margin", check_margin(inst.margin, metric, caller))
    object.__setattr__(inst, "alpha", check_one_sided_alpha(inst.alpha, caller))
    if getattr(inst, "method", "bootstrap") == "mcnemar":
        # McNemar's test draws no resamples
        n = check_int(inst.n_resamples, "n_resamples", caller=caller)
    else:
        n = check_gate_resamples(inst.n_resamples, inst.alpha, caller)
    object.__setattr__(inst, "n_resamples", n)
    check_option(inst.ci_method, "ci_method", ("bca", "percentile"), caller)
    # use_proba="no" is truthy: a callable metric was given probabilities
    object.__setattr__(inst, "use_proba", check_bool(inst.use_proba, "use_proba", caller))
    resampling_fields(caller, inst)
    return spec


def resampling_fields(caller: str, inst: Any) -> None:
    """Validate a gate's ``n_jobs`` and ``progress`` fields."""
    object.__setattr__(inst, "n_jobs", check_n_jobs(inst.n_jobs, caller))
    check_progress(inst.progress, caller)
