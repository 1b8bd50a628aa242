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

Run: python benchmarks/replay.py
"""

from __future__ import annotations

import platform
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
BATCH = 100  # replay's default batch size
INIT = 1000
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
        proba = m.predict_proba(X[s:e])
        correct += int((m.classes_[np.argmax(proba, axis=1)] == y[s:e]).sum())
        if e - last >= EVERY:
            m = clone(model).fit(X[e - 1000 : e], y[e - 1000 : e])
            last = e
    return time.perf_counter() - t0, correct / (X.shape[0] - INIT)


def one_run(X, y, model):
    pols, wins = policies()
    _DETECTOR_SECONDS[0] = 0.0
    t0 = time.perf_counter()
    r = replay(X, y, model, pols, window=wins, batch_size=BATCH, initial_train_size=INIT)
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


def main():
    import os

    s = sea_stream(N, noise=0.02, rng=0)
    lr, rf = "LogisticRegression (tiny model: worst case)", "RandomForest(30 trees, depth 10)"
    models = {
        lr: LogisticRegression(solver="newton-cholesky"),
        rf: RandomForestClassifier(n_estimators=30, max_depth=10, random_state=0, n_jobs=1),
    }
    # the logistic regression's replays take about a second: more of them
    repeats = {lr: 3 * REPEATS, rf: REPEATS}
    print(
        f"machine: {os.cpu_count()} cores, {cpu_model()}; python {platform.python_version()}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"mllifecycle {mllifecycle.__version__}"
    )
    print(
        f"stream: SEA, {N} samples, batch {BATCH}, 4 policies, medians of "
        f"{3 * REPEATS} (logistic regression) or {REPEATS} (forest) runs\n"
    )
    rows = []
    for name, model in models.items():
        # replay and hand loop alternate, so a slow phase of a shared machine
        # hits both alike
        runs, hands = [], []
        for _ in range(repeats[name]):
            runs.append(one_run(s.X, s.y, model))
            hands.append(hand_loop(s.X, s.y, model))
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "summary"}
        hand = statistics.median(h[0] for h in hands)
        assert abs(hands[0][1] - runs[0]["periodic_accuracy"]) < 1e-12, "loops disagree"
        print(f"## {name}")
        print(runs[0]["summary"])
        print(
            f"total {med['total']:.2f} s = fit {med['fit']:.2f} + predict {med['predict']:.2f}"
            f" + policies {med['policy']:.2f} + machinery {med['machinery']:.2f}"
            " (medians of each)"
        )
        print(
            f"overhead (all but fit/predict) {100 * med['overhead_share']:.1f}% "
            f"(target <= 10%); replay machinery alone {100 * med['machinery_share']:.1f}%"
        )
        print(
            f"of the policies' {med['policy']:.3f} s, HDDM_A.update_many (the drift detector's "
            f"own cost) {med['detector']:.3f} s = {100 * med['detector_share']:.1f}% of the total"
        )
        ratio = med["periodic_total"] / hand
        print(
            f"periodic policy: replay {med['periodic_total']:.2f} s vs hand-written loop "
            f"{hand:.2f} s: ratio {ratio:.2f}\n"
        )
        rows.append((name, med, hand, ratio))
    print(
        "| model | total s | fit s | predict s | policies s | overhead | machinery | "
        "HDDM_A detector | periodic: replay / hand loop |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, med, hand, ratio in rows:
        print(
            f"| {name} | {med['total']:.2f} | {med['fit']:.2f} | {med['predict']:.2f} | "
            f"{med['policy']:.2f} | {100 * med['overhead_share']:.1f}% | "
            f"{100 * med['machinery_share']:.1f}% | {100 * med['detector_share']:.1f}% | "
            f"{med['periodic_total']:.2f} / "
            f"{hand:.2f} = {ratio:.2f} |"
        )


if __name__ == "__main__":
    main()
