"""Calibration matrix of every gate statistic on small and imbalanced test sets.

Two equal models (exchangeable by construction, with correlated errors) are
compared on seeded simulated evaluation sets; each statistic's rejection rate
at alpha = 0.05 must be at most alpha + 3 binomial standard errors. A rate far
below alpha / 3 is reported as power lost (the test is needlessly
conservative there).

Scenarios (issue 12, item 7):

- n = 30, balanced classes, correlated errors (shared latent noise, rho = 0.5);
- n = 200 with 5 % positives (about 10 positives);
- n = 500 with 2 % positives (about 10 positives).

"Rejection" is ``p_value < alpha`` for the paired statistics (two-sided), a
pass for the superiority / non-inferiority gates at margin 0 (the boundary of
their null: a challenger no better passes at most alpha of the time), and a
failure for ``SliceNoRegression`` (no slice regresses).

Run: ``python benchmarks/gates_calibration.py [--trials 600] [--n-jobs 2]``;
writes ``benchmarks/results/gates_calibration.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.gates import (
    CalibrationNoWorse,
    GateContext,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)

ALPHA = 0.05
B = 500  # resamples of every bootstrap and Monte-Carlo permutation test

SCENARIOS = {
    "n=30, balanced": (30, 0.5),
    "n=200, 5% positives": (200, 0.05),
    "n=500, 2% positives": (500, 0.02),
}


def simulate(rng: np.random.Generator, n: int, prevalence: float, rho: float = 0.5) -> dict:
    """Labels and two exchangeable models whose errors share a latent term."""
    while True:
        y = (rng.random(n) < prevalence).astype(int)
        if 2 <= y.sum() <= n - 2:
            break
    mu = 1.5
    common = rng.normal(size=n)
    scores = [
        mu * y + np.sqrt(rho) * common + np.sqrt(1 - rho) * rng.normal(size=n) for _ in range(2)
    ]
    cut = mu / 2 if prevalence >= 0.2 else mu
    proba = [1.0 / (1.0 + np.exp(-1.5 * (s - cut))) for s in scores]
    labels = [(s > cut).astype(int) for s in scores]
    target = rng.normal(size=n)
    shared = rng.normal(size=n)
    values = [
        target + np.sqrt(rho) * shared + np.sqrt(1 - rho) * rng.normal(size=n) for _ in range(2)
    ]
    return {
        "y": y,
        "score": scores,
        "proba": proba,
        "label": labels,
        "target": target,
        "value": values,
        "slices": rng.integers(0, 3, n),
    }


def _pb(metric: str, kind: str) -> Callable[[dict, int], bool]:
    def run(d: dict, seed: int) -> bool:
        y = d["target"] if kind == "value" else d["y"]
        a, b = d[kind]
        return bool(paired_bootstrap(y, a, b, metric=metric, n_resamples=B, rng=seed).null_rejected)

    return run


def _pp(metric: str, kind: str) -> Callable[[dict, int], bool]:
    def run(d: dict, seed: int) -> bool:
        a, b = d[kind]
        return bool(
            paired_permutation(d["y"], a, b, metric=metric, n_resamples=B, rng=seed).null_rejected
        )

    return run


def _ctx(d: dict, seed: int) -> GateContext:
    return GateContext(
        y_true=d["y"],
        champion=d["label"][0],
        challenger=d["label"][1],
        champion_proba=d["proba"][0],
        challenger_proba=d["proba"][1],
        slices=d["slices"],
        rng=seed,
    )


def _gate(gate: Any, reject_on: str) -> Callable[[dict, int], bool]:
    def run(d: dict, seed: int) -> bool:
        res = gate.check(_ctx(d, seed))
        return bool(res.passed) if reject_on == "pass" else not res.passed

    return run


def _auc_ctx_gate(gate: Any) -> Callable[[dict, int], bool]:
    def run(d: dict, seed: int) -> bool:
        ctx = GateContext(
            y_true=d["y"],
            champion=d["label"][0],
            challenger=d["label"][1],
            champion_proba=d["proba"][0],
            challenger_proba=d["proba"][1],
            rng=seed,
        )
        return bool(gate.check(ctx).passed)

    return run


STATISTICS: dict[str, Callable[[dict, int], bool]] = {
    "paired_bootstrap accuracy": _pb("accuracy", "label"),
    "paired_bootstrap precision": _pb("precision", "label"),
    "paired_bootstrap recall": _pb("recall", "label"),
    "paired_bootstrap f1": _pb("f1", "label"),
    "paired_bootstrap log_loss": _pb("log_loss", "proba"),
    "paired_bootstrap brier_score": _pb("brier_score", "proba"),
    "paired_bootstrap expected_calibration_error": _pb("expected_calibration_error", "proba"),
    "paired_bootstrap roc_auc": _pb("roc_auc", "score"),
    "paired_bootstrap mean_absolute_error": _pb("mean_absolute_error", "value"),
    "paired_bootstrap mean_squared_error": _pb("mean_squared_error", "value"),
    "paired_permutation accuracy": _pp("accuracy", "label"),
    "paired_permutation f1": _pp("f1", "label"),
    "paired_permutation roc_auc": _pp("roc_auc", "score"),
    "mcnemar": lambda d, s: bool(mcnemar(d["y"], *d["label"]).p_value < ALPHA),
    "delong": lambda d, s: bool(delong(d["y"], *d["score"], n_resamples=B, rng=s).p_value < ALPHA),
    "SignificantImprovement accuracy": _gate(
        SignificantImprovement("accuracy", n_resamples=B), "pass"
    ),
    "SignificantImprovement accuracy, mcnemar": _gate(
        SignificantImprovement("accuracy", method="mcnemar"), "pass"
    ),
    "SignificantImprovement f1": _gate(SignificantImprovement("f1", n_resamples=B), "pass"),
    "SignificantImprovement log_loss": _gate(
        SignificantImprovement("log_loss", n_resamples=B), "pass"
    ),
    "SignificantImprovement roc_auc": _auc_ctx_gate(
        SignificantImprovement("roc_auc", n_resamples=B)
    ),
    "SignificantImprovement roc_auc, delong": _auc_ctx_gate(
        SignificantImprovement("roc_auc", method="delong", n_resamples=B)
    ),
    "NoRegression accuracy, margin 0": _gate(
        NoRegression("accuracy", margin=0.0, n_resamples=B), "pass"
    ),
    "NoRegression roc_auc, margin 0": _auc_ctx_gate(
        NoRegression("roc_auc", margin=0.0, n_resamples=B)
    ),
    "SliceNoRegression accuracy (3 slices)": _gate(
        SliceNoRegression("accuracy", min_slice_size=5, n_resamples=B), "fail"
    ),
    "CalibrationNoWorse, margins 0": _gate(
        CalibrationNoWorse(ece_margin=0.0, brier_margin=0.0, n_resamples=B), "pass"
    ),
}


def rate(stat: str, scenario: str, trials: int) -> tuple[float, int]:
    """Rejection rate of ``stat`` over ``trials`` seeded data sets."""
    n, prevalence = SCENARIOS[scenario]
    fn = STATISTICS[stat]
    key = sum(map(ord, stat + scenario))
    if "mean_" in stat and scenario != "n=30, balanced":
        return float("nan"), 0
    hits = 0
    done = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        for t in range(trials):
            rng = np.random.default_rng([key, t])
            d = simulate(rng, n, prevalence)
            hits += fn(d, t)
            done += 1
    return hits / done, done


def bound(trials: int) -> float:
    """alpha + 3 binomial standard errors."""
    return ALPHA + 3 * np.sqrt(ALPHA * (1 - ALPHA) / trials)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=600)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--out", default=str(Path(__file__).parent / "results" / "gates_calibration.md")
    )
    args = parser.parse_args()
    from joblib import Parallel, delayed

    t0 = time.perf_counter()
    cells = [(s, c) for s in STATISTICS for c in SCENARIOS]
    rates = Parallel(n_jobs=args.n_jobs)(delayed(rate)(s, c, args.trials) for s, c in cells)
    elapsed = time.perf_counter() - t0
    table = dict(zip(cells, rates, strict=True))
    hi = bound(args.trials)
    lines = [
        "## Gates: calibration on small and imbalanced test sets "
        "(`benchmarks/gates_calibration.py`)",
        "",
        f"Command: `python benchmarks/gates_calibration.py --trials {args.trials} "
        f"--n-jobs {args.n_jobs}`, run on {time.strftime('%Y-%m-%d')} "
        f"({elapsed / 60:.1f} min; {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}).",
        "",
        f"Two equal models (exchangeable, correlated errors), {args.trials} seeded "
        f"data sets per cell, alpha = {ALPHA}, {B} resamples per bootstrap or "
        "Monte-Carlo permutation test. Rate = share of data sets on which the "
        "statistic rejects a true null (paired statistics: two-sided p < alpha; "
        "superiority and non-inferiority gates at margin 0: the challenger passes; "
        "SliceNoRegression: the gate fails). "
        f"Bound: alpha + 3 SE = {hi:.4f}. **bold**: above the bound; "
        f"_italic_: below alpha / 3 = {ALPHA / 3:.4f} (power lost).",
        "",
        "| statistic | " + " | ".join(SCENARIOS) + " |",
        "| --- | " + " | ".join("---" for _ in SCENARIOS) + " |",
    ]
    over, low = [], []
    for s in STATISTICS:
        row = []
        for c in SCENARIOS:
            r, done = table[(s, c)]
            if done == 0:
                row.append("n/a")
                continue
            cell = f"{r:.3f}"
            if r > bound(done):
                cell = f"**{cell}**"
                over.append(f"{s} ({c}): {r:.3f}")
            elif r < ALPHA / 3:
                cell = f"_{cell}_"
                low.append(f"{s} ({c}): {r:.3f}")
            row.append(cell)
        lines.append(f"| {s} | " + " | ".join(row) + " |")
    lines += ["", "Above the bound: " + ("; ".join(over) if over else "none") + "."]
    lines += ["", "Power lost (rate below alpha / 3): " + ("; ".join(low) if low else "none") + "."]
    lines += [
        "",
        "MAE and MSE are regression metrics: simulated at n = 30 only (n/a elsewhere).",
    ]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
