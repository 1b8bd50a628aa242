"""Retrain cadence from a replay, and one plan across the lifecycle stages."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import check_scalar, fail
from mllifecycle.budget._compute import ComputeModel
from mllifecycle.budget._curves import LearningCurve, SamplesNeeded, samples_needed
from mllifecycle.budget._redundancy import RedundancyPlan

__all__ = ["Figure", "PolicyCadence", "CadenceReport", "cadence", "Stage", "Plan", "plan"]


@attrs.frozen
class Figure:
    """One planned quantity with its interval and unit.

    Examples
    --------
    >>> from mllifecycle.budget import Figure
    >>> Figure("labels", 1200.0, 900.0, 1800.0, "labels").value
    1200.0
    """

    name: str
    value: float
    ci_low: float
    ci_high: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return attrs_to_dict(self)


def _garwood(count: float, confidence_level: float) -> tuple[float, float]:
    """Exact Poisson interval of a count (Garwood 1936)."""
    from scipy.stats import chi2

    q = (1 - confidence_level) / 2
    lo = 0.0 if count == 0 else float(chi2.ppf(q, 2 * count) / 2)
    hi = float(chi2.ppf(1 - q, 2 * count + 2) / 2)
    return lo, hi


@attrs.frozen
class PolicyCadence:
    """One policy's retrain cadence, per period and over the horizon.

    Examples
    --------
    >>> from mllifecycle.budget import PolicyCadence
    >>> PolicyCadence("p", 10_000, 4, 2.0, 0.5, 100.0, 0.1, 2.0, 1.0, 3.0).retrains
    4
    """

    policy: str
    samples: int
    retrains: int
    retrains_per_period: float
    retrains_per_period_ci: tuple[float, float] | float
    labels_per_period: float
    compute_seconds_per_period: float
    horizon_retrains: float
    horizon_retrains_ci_low: float
    horizon_retrains_ci_high: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return attrs_to_dict(self)


@attrs.frozen(repr=False)
class CadenceReport:
    """Retrains, labels and compute per period of each policy of a replay.

    Attributes
    ----------
    period, horizon : float
        In samples (the unit of the replay stream).
    policies : dict of str to PolicyCadence
    confidence_level : float

    Examples
    --------
    >>> from mllifecycle.budget import cadence
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic
    >>> from mllifecycle.replay import replay
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> stream = sea_stream(12_000, rng=0)
    >>> result = replay(stream.X, stream.y, DecisionTreeClassifier(max_depth=5),
    ...                 {"every 2000": Periodic(every=2000)})
    >>> report = cadence(result, period=10_000, horizon=100_000)
    >>> round(report.policies["every 2000"].retrains_per_period)
    5
    """

    period: float
    horizon: float
    policies: dict[str, PolicyCadence]
    confidence_level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float`` per policy."""
        return flat_metrics(
            {k: v.to_dict() for k, v in self.policies.items()}, prefix="cadence"
        )

    def __repr__(self) -> str:
        lines = [f"CadenceReport(period={self.period:g}, horizon={self.horizon:g})"]
        for name, p in self.policies.items():
            lines.append(
                f"  {name}: {format_value(p.retrains_per_period)} retrains/period, "
                f"{format_value(p.labels_per_period)} labels/period, "
                f"{format_value(p.compute_seconds_per_period)} s/period; over the horizon "
                f"{format_value(p.horizon_retrains)} retrains "
                f"[{format_value(p.horizon_retrains_ci_low)}, "
                f"{format_value(p.horizon_retrains_ci_high)}]"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [
            [n, p.retrains_per_period, p.labels_per_period, p.compute_seconds_per_period,
             p.horizon_retrains, p.horizon_retrains_ci_low, p.horizon_retrains_ci_high]
            for n, p in self.policies.items()
        ]
        head = ["policy", "retrains/period", "labels/period", "compute s/period",
                "horizon retrains", "low", "high"]
        return html_table(rows, head, caption="retrain cadence")


def cadence(
    result: Any, *, period: float, horizon: float, confidence_level: float = 0.9
) -> CadenceReport:
    """Retrains, labels and compute per period of each policy, projected over a horizon.

    The rates are the replay's totals divided by the number of periods it
    covered (after the initial training window); retrains over the horizon get
    an exact Poisson interval (Garwood 1936), treating retrains as a Poisson
    process at the replayed rate. Labels per period count the rows labelled
    after the initial training window (``labels`` of a replay's run includes
    that window); compute per period is the run's ``fit_seconds``, which
    includes the initial fit (a replay does not report it apart).

    Parameters
    ----------
    result : mllifecycle.replay.ReplayResult
    period : float
        Samples per reporting period (e.g. a day's traffic).
    horizon : float
        Samples to project over (e.g. a year's traffic).
    confidence_level : float, default=0.9

    Returns
    -------
    CadenceReport

    Examples
    --------
    >>> from mllifecycle.budget import cadence
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic
    >>> from mllifecycle.replay import replay
    >>> from sklearn.naive_bayes import GaussianNB
    >>> stream = sea_stream(8_000, rng=0)
    >>> result = replay(stream.X, stream.y, GaussianNB(), {"p": Periodic(every=1000)})
    >>> cadence(result, period=1000, horizon=10_000).policies["p"].horizon_retrains
    10.0
    """
    caller = "cadence"
    runs = getattr(result, "runs", None)
    if runs is None or not hasattr(result, "initial_train_size"):
        fail("result", "a ReplayResult from mllifecycle.replay.replay", result, caller)
    per = check_scalar(period, "period", caller=caller, low=0.0, low_inclusive=False)
    hor = check_scalar(horizon, "horizon", caller=caller, low=0.0, low_inclusive=False)
    cl = check_scalar(
        confidence_level, "confidence_level", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    span = float(result.n_samples - result.initial_train_size)
    if span <= 0:
        fail("result", "a replay over more samples than its initial window", result, caller)
    periods = span / per
    out: dict[str, PolicyCadence] = {}
    for name, run in runs.items():
        lo, hi = _garwood(float(run.retrains), cl)
        scale = hor / span
        out[name] = PolicyCadence(
            policy=name,
            samples=int(span),
            retrains=int(run.retrains),
            retrains_per_period=run.retrains / periods,
            retrains_per_period_ci=(lo / periods, hi / periods),
            # a run's labels include the initial training set, held before the
            # span: a policy that never retrained labelled "200 per period"
            labels_per_period=max(int(run.labels) - int(result.initial_train_size), 0)
            / periods,
            compute_seconds_per_period=run.fit_seconds / periods,
            horizon_retrains=run.retrains * scale,
            horizon_retrains_ci_low=lo * scale,
            horizon_retrains_ci_high=hi * scale,
        )
    return CadenceReport(period=per, horizon=hor, policies=out, confidence_level=cl)


@attrs.frozen
class Stage:
    """The figures planned for one lifecycle stage.

    Examples
    --------
    >>> from mllifecycle.budget import Figure, Stage
    >>> Stage("label", (Figure("cost", 10.0, 8.0, 12.0, "money"),)).figures[0].unit
    'money'
    """

    name: str
    figures: tuple[Figure, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {"name": self.name, "figures": [f.to_dict() for f in self.figures]}


@attrs.frozen(repr=False)
class Plan:
    """Resources per lifecycle stage (acquire, label, train, evaluate).

    Attributes
    ----------
    stages : tuple of Stage
    reachable : bool
        Whether the target metric is reachable with more data, and the rows
        to add can be labelled (False when ``redundancy`` reaches its
        label-accuracy target with no number of answers tried). Figures of
        an unreachable target are ``inf`` (``None`` in :meth:`to_dict`).
    samples : SamplesNeeded
    notes : tuple of str
        What each figure assumes.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve, plan
    >>> sizes = np.array([100, 200, 400, 800])
    >>> curve = fit_curve(sizes, 0.9 - sizes ** -0.5, family="inverse_power", rng=0)
    >>> p = plan(curve, target=0.88, price_per_label=0.2)
    >>> [s.name for s in p.stages]
    ['acquire', 'label', 'train', 'evaluate']
    """

    stages: tuple[Stage, ...]
    reachable: bool
    samples: SamplesNeeded
    notes: tuple[str, ...]

    def figure(self, stage: str, name: str) -> Figure:
        """Return the figure ``name`` of stage ``stage``."""
        for s in self.stages:
            if s.name == stage:
                for f in s.figures:
                    if f.name == name:
                        return f
        fail("name", f"a figure of stage {stage!r}", name, "Plan.figure")

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "reachable": self.reachable,
            "stages": [s.to_dict() for s in self.stages],
            "samples": self.samples.to_dict(),
            "notes": list(self.notes),
        }

    def to_metrics(self) -> dict[str, float]:
        """Flat ``stage.figure -> value``."""
        d = {s.name: {f.name: f.value for f in s.figures} for s in self.stages}
        d["reachable"] = self.reachable  # type: ignore[assignment]
        return flat_metrics(d, prefix="plan")

    def __repr__(self) -> str:
        lines = [f"Plan(reachable={self.reachable}): {self.samples!r}"]
        for s in self.stages:
            for f in s.figures:
                lines.append(
                    f"  {s.name:9s} {f.name:24s} {format_value(f.value):>10s} "
                    f"[{format_value(f.ci_low)}, {format_value(f.ci_high)}] {f.unit}"
                )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [
            [s.name, f.name, f.value, f.ci_low, f.ci_high, f.unit]
            for s in self.stages
            for f in s.figures
        ]
        return html_table(rows, ["stage", "figure", "estimate", "low", "high", "unit"],
                          caption=f"plan (target reachable: {self.reachable})")

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of every figure with its interval, one panel per unit (needs matplotlib)."""
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise ImportError(
                "Plan.plot needs matplotlib: pip install mllifecycle[plot]"
            ) from exc
        figs = [(s.name, f) for s in self.stages for f in s.figures if math.isfinite(f.value)]
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.4 * len(figs) + 1))
        y = np.arange(len(figs))
        vals = np.array([f.value for _, f in figs])
        lo = np.array([f.value - f.ci_low if math.isfinite(f.ci_low) else 0 for _, f in figs])
        hi = np.array([f.ci_high - f.value if math.isfinite(f.ci_high) else 0 for _, f in figs])
        ax.barh(y, vals, xerr=[lo, hi], color="#4c72b0")
        ax.set_yticks(y, [f"{s}: {f.name} ({f.unit})" for s, f in figs])
        ax.set_xscale("log")
        return ax


def _is_proportion(bounds: tuple[float | None, float | None], target: float) -> bool:
    """Whether a metric with ``bounds`` and ``target`` is a proportion (accuracy, AUC ...).

    Only a bound pair lying inside [0, 1] says so: a metric bounded on one
    side only (``(0, None)``: a log loss, an RMSE; ``(None, 0)``: a negated
    error) or not at all may take any value above (or below) its bound, so a
    target in [0, 1] does not make it one.
    """
    low, high = bounds
    if low is None or high is None:
        return False
    return 0 <= low < high <= 1 and 0 <= target <= 1


def plan(
    curve: LearningCurve,
    target: float,
    *,
    price_per_label: float | None = None,
    labels_per_hour: float | None = None,
    redundancy: RedundancyPlan | None = None,
    compute: ComputeModel | None = None,
    n_features: int | None = None,
    cadence: CadenceReport | None = None,
    policy: str | None = None,
    eval_margin: float = 0.02,
) -> Plan:
    """One estimate per lifecycle stage, each with an interval.

    - **acquire**: rows needed to reach ``target`` (from the learning curve)
      and rows still to collect beyond those held
      (:attr:`SamplesNeeded.n_available`: the rows a :func:`learning_curve`
      was measured on, else the largest size fitted);
    - **label**: answers to buy (rows x answers per item from ``redundancy``,
      or 1), their cost and labeller hours;
    - **train**: seconds for one fit at the needed size (from ``compute``), and
      over the horizon with the retrains of ``policy`` in ``cadence``;
    - **evaluate**: held-out rows for the metric's 95% interval to be at most
      ``± eval_margin`` wide (normal approximation at the target value), for a
      metric that is a proportion (the curve's bounds both given and within
      [0, 1], such as ``(0, 1)``, and the target in [0, 1]); none for other
      metrics, bounded on one side only (``(0, None)``: log loss, RMSE;
      ``(None, 0)``: a negated error) or not at all, whose spread per row the
      curve does not tell.

    Parameters
    ----------
    curve : LearningCurve
    target : float
        The metric to reach.
    price_per_label, labels_per_hour : float, optional
        Money per answer and answers per labeller hour.
    redundancy : RedundancyPlan, optional
        Answers per item (its weighted-vote redundancy when reachable,
        majority otherwise).
    compute : ComputeModel, optional
    n_features : int, optional
        Features for the compute prediction (at least 1; default: the model's
        last run). Only with ``compute``; when its runs did not vary the
        features, their one count (checked even for an unreachable target).
    cadence : CadenceReport, optional
        With ``policy``: retrains over the horizon.
    policy : str, optional
    eval_margin : float, default=0.02

    Returns
    -------
    Plan

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve, plan
    >>> sizes = np.array([100, 200, 400, 800])
    >>> curve = fit_curve(sizes, 0.9 - sizes ** -0.5, family="inverse_power", rng=0)
    >>> round(plan(curve, 0.88).figure("acquire", "additional rows").value)
    1700
    """
    caller = "plan"
    if not isinstance(curve, LearningCurve):
        fail("curve", "a LearningCurve", curve, caller)
    if redundancy is not None and not isinstance(redundancy, RedundancyPlan):
        fail("redundancy", "a RedundancyPlan from budget.redundancy", redundancy, caller)
    if compute is not None and not isinstance(compute, ComputeModel):
        fail("compute", "a ComputeModel from fit_compute or time_fits", compute, caller)
    if cadence is not None and not isinstance(cadence, CadenceReport):
        fail("cadence", "a CadenceReport from budget.cadence", cadence, caller)
    if (cadence is None) != (policy is None):
        fail("policy", "a policy name together with cadence", policy, caller)
    if cadence is not None and policy not in cadence.policies:
        fail("policy", f"one of {sorted(cadence.policies)}", policy, caller)
    margin = check_scalar(eval_margin, "eval_margin", caller=caller, low=0.0, low_inclusive=False)
    if n_features is not None:
        # float() let True through as 1 feature and raised a bare ValueError for
        # text; a bad count was named as ComputeModel.predict's, or never checked
        # when the target was out of reach
        if compute is None:
            fail("n_features", "None without compute (it is the feature count of the "
                 "compute prediction)", n_features, caller)
        nf_given = check_scalar(n_features, "n_features", caller=caller, low=1.0)
        # runs at one feature count predict only there: another count was
        # refused as ComputeModel.predict's, and not at all when the target
        # was out of reach (no prediction made)
        compute._check_features(n_features, caller)
    need = samples_needed(curve, target, price_per_label=None, labels_per_hour=None)
    notes = []
    low, high = curve.bounds
    if curve.higher_is_better and high is not None and need.target > high:
        notes.append(f"not reachable: the target {need.target:g} is above the metric's "
                     f"upper bound {high:g}")
    elif not curve.higher_is_better and low is not None and need.target < low:
        notes.append(f"not reachable: the target {need.target:g} is below the metric's "
                     f"lower bound {low:g}")
    acquire = Stage("acquire", (
        Figure("rows", need.n_samples, need.ci_low, need.ci_high, "rows"),
        Figure("additional rows", need.additional_samples, need.additional_ci_low,
               need.additional_ci_high, "rows"),
    ))
    per_item = 1.0
    if redundancy is not None:
        k = redundancy.weighted_needed or redundancy.majority_needed
        if k is None:
            notes.append("the label-accuracy target is not reached within the redundancies tried")
            per_item = math.inf
        else:
            per_item = float(k)
            notes.append(f"{k} answers per item reach label accuracy {redundancy.target:g}")
    # no rows to add need no answers, even when the redundancy is unbounded (0 * inf)
    def times(rows: float) -> float:
        return rows * per_item if rows > 0 else 0.0

    answers = (times(need.additional_samples), times(need.additional_ci_low),
               times(need.additional_ci_high))
    label_figs = [Figure("answers", *answers, "answers")]
    if price_per_label is not None:
        price = check_scalar(price_per_label, "price_per_label", caller=caller, low=0.0)

        # answers never bought (an unreachable row or label-accuracy target)
        # cost what the unreachable rows do, inf: inf * a price of 0 was NaN
        def cost(n_answers: float) -> float:
            return math.inf if math.isinf(n_answers) else n_answers * price

        label_figs.append(
            Figure("cost", cost(answers[0]), cost(answers[1]), cost(answers[2]), "money")
        )
    if labels_per_hour is not None:
        rate = check_scalar(labels_per_hour, "labels_per_hour", caller=caller, low=0.0,
                            low_inclusive=False)
        label_figs.append(
            Figure("labeller hours", answers[0] / rate, answers[1] / rate, answers[2] / rate,
                   "hours")
        )
    train_figs: list[Figure] = []
    if compute is not None:
        nf = nf_given if n_features is not None else float(compute.n_features[-1])
        if math.isfinite(need.n_samples):
            sec = compute.predict(need.n_samples, nf)
            train_figs.append(Figure("seconds per fit", *sec, "seconds"))
            mem = compute.predict_memory(need.n_samples, nf)
            if mem is not None:
                train_figs.append(Figure("peak memory per fit", *mem, "bytes"))
            if cadence is not None and policy is not None:
                pc = cadence.policies[policy]
                fits = (1 + pc.horizon_retrains, 1 + pc.horizon_retrains_ci_low,
                        1 + pc.horizon_retrains_ci_high)
                train_figs.append(Figure("seconds over horizon", sec[0] * fits[0],
                                         sec[1] * fits[1], sec[2] * fits[2], "seconds"))
        else:
            notes.append("no training cost: the target is not reachable")
    if cadence is not None and policy is not None:
        pc = cadence.policies[policy]
        train_figs.append(Figure("retrains over horizon", pc.horizon_retrains,
                                 pc.horizon_retrains_ci_low, pc.horizon_retrains_ci_high,
                                 "retrains"))
    if _is_proportion(curve.bounds, target):
        p = min(max(target, 0.01), 0.99)
        n_eval = math.ceil((1.959963984540054**2) * p * (1 - p) / margin**2)
        evaluate = Stage("evaluate", (Figure("held-out rows", float(n_eval), float(n_eval),
                                             float(n_eval), "rows"),))
        notes.append(f"held-out rows for a ±{margin:g} 95% interval of a proportion near {p:g}")
    else:
        # a proportion's variance p(1 - p) says nothing of a log loss or an
        # RMSE's spread per row: no figure rather than a made-up one
        evaluate = Stage("evaluate", ())
        notes.append(
            f"no held-out rows estimated: the metric (target {target:g}, bounds "
            f"{curve.bounds}) is not a proportion, and its spread per row is unknown"
        )
    # rows to add that no redundancy labels to the accuracy asked for: the
    # plan cannot be carried out, whatever the curve says
    labels_reachable = math.isfinite(answers[0])
    if need.reachable and not labels_reachable:
        notes.append("not reachable: the rows to add cannot be labelled to the label-accuracy "
                     "target (answers and cost are infinite)")
    return Plan(
        stages=(acquire, Stage("label", tuple(label_figs)), Stage("train", tuple(train_figs)),
                evaluate),
        reachable=need.reachable and labels_reachable,
        samples=need,
        notes=tuple(notes),
    )
