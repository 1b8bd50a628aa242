"""Replay overhead: how much time mllifecycle.replay adds on top of the model's own work.

Replays a 200,000-sample SEA stream through four policies (never, periodic,
drift-triggered, cost-aware) and splits the wall time of each policy's run
into the model's own clone+fit and predict time, the policy's decision time
(detectors included), and the rest (the replay's machinery). The target is
overhead = everything except the model's fit/predict <= 10% of the total.
The drift policy's HDDM_A is timed on its own (a subclass that times
update_many) so the detector's cost can be told apart from the replay's.

No peer library replays batch-retraining policies for scikit-learn models
(River's ``progressive_val_score`` evaluates incremental learners), so the
reference is a minimal hand-written prequential loop doing exactly the same
fits and predictions for the periodic policy; the ratio ours / hand loop is
what the replay machinery costs relative to writing the loop yourself.

The replay runs at its defaults (batch size, initial training size), as a
user gets it: no ``batch_size`` is passed. Replay and hand loop alternate;
min/median/max over the runs and the load average are recorded, and the
result is written to benchmarks/results/replay.md (the part of that file
from "## Earlier results" on is kept).

Run: python benchmarks/replay.py [--quick]
"""

from __future__ import annotations

import datetime
import inspect
import platform
import re
import statistics
import time

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import mllifecycle
from mllifecycle.datasets import sea_stream
from mllifecycle.drift.stream import HDDM_A
from mllifecycle.policies import CostAware, Periodic, SlidingWindow, recommended
from mllifecycle.replay import replay

N = 200_000
_DEFAULTS = {
    k: v.default
    for k, v in inspect.signature(replay).parameters.items()
    if v.default is not v.empty
}
BATCH = _DEFAULTS["batch_size"]  # the hand loop uses replay's defaults too
INIT = _DEFAULTS["initial_train_size"]
EVERY = 2000
REPEATS = 3


def never(state):
    return False


def policies():
    # the demo's policies (mllifecycle demo), on replay's default window
    # except for the periodic one
    return (
        {
            "never": never,
            "periodic": Periodic(every=EVERY),
            "recommended": recommended(TimedHDDM_A()),
            "cost-aware": CostAware(horizon=5000, min_samples=500),
        },
        {
            "never": SlidingWindow(1000),
            "periodic": SlidingWindow(1000),
        },
    )


def hand_loop(X, y, model):
    """The periodic policy written by hand: predict a batch, every EVERY rows refit."""
    t0 = time.perf_counter()
    m = clone(model).fit(X[:INIT], y[:INIT])
    correct = 0
    last = INIT
    for s in range(INIT, X.shape[0], BATCH):
        e = min(s + BATCH, X.shape[0])
        correct += int((m.predict(X[s:e]) == y[s:e]).sum())
        if e - last >= EVERY:
            m = clone(model).fit(X[e - 1000 : e], y[e - 1000 : e])
            last = e
    return time.perf_counter() - t0, correct / (X.shape[0] - INIT)


def one_run(X, y, model):
    pols, wins = policies()
    _DETECTOR_SECONDS[0] = 0.0
    t0 = time.perf_counter()
    r = replay(X, y, model, pols, window=wins)  # defaults as users get them
    assert r.batch_size == BATCH
    assert r.initial_train_size == INIT
    wall = time.perf_counter() - t0
    runs = list(r.runs.values())
    total = sum(x.total_seconds for x in runs)
    fit = sum(x.fit_seconds for x in runs)
    pred = sum(x.predict_seconds for x in runs)
    pol = sum(x.policy_seconds for x in runs)
    return {
        "wall": wall,
        "total": total,
        "fit": fit,
        "predict": pred,
        "policy": pol,
        "detector": _DETECTOR_SECONDS[0],
        "detector_share": _DETECTOR_SECONDS[0] / total,
        "machinery": total - fit - pred - pol,
        "overhead_share": (total - fit - pred) / total,
        "machinery_share": (total - fit - pred - pol) / total,
        "periodic_total": r["periodic"].total_seconds,
        "periodic_accuracy": r["periodic"].accuracy,
        "summary": r.summary(),
    }


_DETECTOR_SECONDS = [0.0]


class TimedHDDM_A(HDDM_A):
    """HDDM_A that adds the time of each update_many call to _DETECTOR_SECONDS.

    Lets the benchmark split the policies' decision time into the detector's
    own cost (mllifecycle.drift) and the rest; the detections are HDDM_A's.
    """

    def update_many(self, xs):
        t0 = time.perf_counter()
        out = super().update_many(xs)
        _DETECTOR_SECONDS[0] += time.perf_counter() - t0
        return out


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _stats(values):
    return min(values), statistics.median(values), max(values)


def _fmt(values, scale=1.0, unit="", digits=2):
    lo, med, hi = _stats(values)
    return f"{scale * med:.{digits}f}{unit} ({scale * lo:.{digits}f}-{scale * hi:.{digits}f})"


def main():
    import os
    import sys
    from pathlib import Path

    quick = "--quick" in sys.argv
    s = sea_stream(N, noise=0.02, rng=0)
    lr, rf = "LogisticRegression (tiny model: worst case)", "RandomForest(30 trees, depth 10)"
    models = {
        lr: LogisticRegression(solver="newton-cholesky"),
        rf: RandomForestClassifier(n_estimators=30, max_depth=10, random_state=0, n_jobs=1),
    }
    # the logistic regression's replays take seconds, the forest's minutes
    repeats = {lr: 1 if quick else 3 * REPEATS, rf: 0 if quick else 2}
    load_before = os.getloadavg()
    machine = (
        f"{os.cpu_count()} cores, {cpu_model()}; python {platform.python_version()}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"mllifecycle {mllifecycle.__version__}"
    )
    print(f"machine: {machine}; load average before {load_before[0]:.1f}")
    print(f"stream: SEA, {N} samples, replay defaults (batch {BATCH}, initial {INIT})\n")
    rows = []
    for name, model in models.items():
        if not repeats[name]:
            continue
        # replay and hand loop alternate, so a slow phase of a shared machine
        # hits both alike
        runs, hands = [], []
        for _ in range(repeats[name]):
            runs.append(one_run(s.X, s.y, model))
            hands.append(hand_loop(s.X, s.y, model))
        assert abs(hands[0][1] - runs[0]["periodic_accuracy"]) < 1e-12, "loops disagree"
        col = {k: [r[k] for r in runs] for k in runs[0] if k != "summary"}
        hand = [h[0] for h in hands]
        ratio = [r["periodic_total"] / h for r, h in zip(runs, hand, strict=True)]
        print(f"## {name} ({len(runs)} runs)")
        print(runs[0]["summary"])
        print(
            f"overhead (all but fit/predict), median (min-max): "
            f"{_fmt(col['overhead_share'], 100, '%', 1)} (target <= 10%); "
            f"replay machinery alone {_fmt(col['machinery_share'], 100, '%', 1)}; "
            f"HDDM_A detector {_fmt(col['detector_share'], 100, '%', 1)}"
        )
        print(f"periodic policy replay / hand-written loop: {_fmt(ratio)}\n")
        rows.append((name, len(runs), col, hand, ratio))
    load_after = os.getloadavg()
    table = [
        "| model | runs | total s | fit s | predict s | policies s | overhead | machinery | "
        "HDDM_A detector | periodic: replay / hand loop |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, k, col, _hand, ratio in rows:
        table.append(
            f"| {name} | {k} | {_fmt(col['total'])} | {_fmt(col['fit'])} | "
            f"{_fmt(col['predict'])} | {_fmt(col['policy'])} | "
            f"{_fmt(col['overhead_share'], 100, '%', 1)} | "
            f"{_fmt(col['machinery_share'], 100, '%', 1)} | "
            f"{_fmt(col['detector_share'], 100, '%', 1)} | {_fmt(ratio)} |"
        )
    print("\n".join(table))
    print(f"load average before {load_before}, after {load_after}")
    if quick:
        return
    missed = [n for n, _, col, _, _ in rows if _stats(col["overhead_share"])[1] > 0.10]
    out = Path(__file__).resolve().parent / "results" / "replay.md"
    earlier = ""
    if out.exists():
        old = out.read_text()
        cut = old.index("## Earlier results") if "## Earlier results" in old else len(old)
        earlier = old[cut:] or "## Earlier results\n"
        # the previous run (with its reading, if one was added by hand) moves
        # under "Earlier results": rewriting the file dropped it
        previous = old[:cut].strip()
        if previous.startswith("# Replay overhead"):
            previous = previous.split("\n", 1)[1].strip() if "\n" in previous else ""
        if previous:
            stamp = re.search(r"Run at ([0-9-]+ [0-9:]+ UTC)", previous)
            title = f"## Result ({stamp.group(1) if stamp else 'previous run'})"
            head, rest = earlier.split("\n", 1)
            earlier = f"{head}\n\n{title}\n\n{previous}\n\n{rest.lstrip()}"
    cores = os.cpu_count() or 1
    busy = (
        ": the machine was shared with other jobs, so seconds are upper bounds"
        if max(load_before[0], load_after[0]) > cores + 0.5
        else " (no other jobs: the load is the benchmark's own)"
    )
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Replay overhead (`benchmarks/replay.py`)

Run at {now}. Command: `python benchmarks/replay.py` (written by the script). Machine:
{machine}. Load average (1, 5, 15 min) {tuple(round(v, 1) for v in load_before)} before,
{tuple(round(v, 1) for v in load_after)} after{busy}; the shares are measured inside each run.

A {N:,}-sample SEA stream (2% label noise) replayed at `replay`'s defaults
(batch size {BATCH}, initial training size {INIT}; nothing passed) through the
demo's four policies: never; periodic every {EVERY} on a sliding window of
1000; `recommended()` (its HDDM-A timed on its own); cost-aware. **Overhead**
is everything but the model's own clone+fit and predict (the replay's machinery
*and* the policies' decisions); the target is <= 10%. Cells are median (min-max)
over the runs; each replay alternates with a run of a hand-written prequential
loop making the same fits and predictions as the periodic policy (accuracy
checked equal).

{chr(10).join(table)}

Target (<= 10% median overhead at the default batch size):
{"met for every model" if not missed else "NOT met for " + ", ".join(missed)}.
"""
    out.write_text(text + ("\n" + earlier if earlier else ""))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
