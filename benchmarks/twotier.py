"""Two-tier training against global-only and per-key-only models (issue 18).

Streams: the seeded personalisation stream (keys differ: key_effect 1.5; keys
do not differ: 0) and a keyed stream the project did not generate: River's SEA
generator with each key drawing from one of SEA's four concepts (variants),
keys' popularity Zipf-like. Models: logistic regression and Gaussian naive
Bayes; label delay 0; several seeds. Then the local tier's throughput
(rows absorbed per second by partial_fit, one core) and memory per key.

Run: python benchmarks/twotier.py [--seeds 3] [--out benchmarks/results/twotier.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import personalization_stream
from mllifecycle.twotier import TwoTier, replay_keyed

MODELS = {"logistic": lambda: LogisticRegression(), "naive_bayes": GaussianNB}


def river_sea_keyed(n, n_keys, seed):
    """Keys each follow one of River's four SEA concepts (None if River is absent)."""
    try:
        from river.datasets import synth
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    variant = rng.integers(0, 4, n_keys)
    weights = np.arange(1, n_keys + 1, dtype=float) ** -1.1
    keys = rng.choice(n_keys, size=n, p=weights / weights.sum())
    gens = {v: iter(synth.SEA(variant=int(v), seed=seed + int(v))) for v in range(4)}
    X = np.empty((n, 3))
    y = np.empty(n, dtype=np.int64)
    for i, k in enumerate(keys.tolist()):
        x, label = next(gens[int(variant[k])])
        X[i] = [x[0], x[1], x[2]]
        y[i] = int(label)
    return X, y, keys


def _machine():
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return cpu, os.cpu_count(), os.getloadavg()[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    rows = []
    for seed in range(args.seeds):
        streams = {
            "personal, keys differ": personalization_stream(40_000, n_keys=400, rng=seed),
            "personal, keys alike": personalization_stream(
                40_000, n_keys=400, key_effect=0.0, rng=seed
            ),
        }
        data = {name: (s.X, s.y, s.keys) for name, s in streams.items()}
        sea = river_sea_keyed(40_000, 400, seed)
        if sea is not None:
            data["River SEA, 4 concepts by key"] = sea
        for sname, (X, y, keys) in data.items():
            for mname, make in MODELS.items():
                r = replay_keyed(X, y, keys, make(), initial_train_size=4000, batch_size=500)
                rows.append((sname, mname, seed, r))
                print(f"{sname:30s} {mname:11s} seed {seed}: {r!r}", flush=True)
    # throughput of the bias strategy: one core, batches of 10,000 rows over 5,000 keys
    s = personalization_stream(200_000, n_keys=5000, rng=0)
    model = TwoTier(LogisticRegression()).fit(s.X[:5000], s.y[:5000])
    n_upd, secs, secs_local = 0, [], []
    for start in range(5000, 200_000, 10_000):
        stop = start + 10_000
        xb, yb, kb = s.X[start:stop], s.y[start:stop], s.keys[start:stop]
        t0 = time.process_time()
        model.partial_fit(xb, yb, kb)
        secs.append(time.process_time() - t0)
        t0 = time.process_time()
        model.global_model_.predict_proba(xb)
        secs_local.append(secs[-1] - (time.process_time() - t0))
        n_upd += len(yb)
    ups = n_upd / sum(secs)
    ups_local = n_upd / max(sum(secs_local), 1e-9)
    cpu, cores, load = _machine()
    lines = [
        "## Two-tier training (issue 18)",
        "",
        f"Machine: {cpu}, {cores} cores, load average {load:.2f} at the end (shared with other "
        f"jobs). Python {platform.python_version()}, NumPy {np.__version__}, scikit-learn "
        f"{sklearn.__version__}. Command: `python benchmarks/twotier.py --seeds {args.seeds}`.",
        "",
        "Accuracy over 36,000 predicted rows per stream (4,000 initial rows, batches of 500, "
        "labels without delay), mean over seeds. Tiers: global only; per-key only (each key's "
        "label frequencies); two-tier (bias strategy, tau estimated). Cold keys: no label yet.",
        "",
        "| stream | model | global | per-key only | two-tier | gain | cold keys: global / "
        "per-key / two-tier |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for sname in dict.fromkeys(r[0] for r in rows):
        for mname in MODELS:
            sub = [r[3] for r in rows if r[0] == sname and r[1] == mname]
            g = np.mean([r.accuracy["global"] for r in sub])
            loc = np.mean([r.accuracy["local"] for r in sub])
            two = np.mean([r.accuracy["two_tier"] for r in sub])
            cold = [r.by_group["cold (no labels yet)"] for r in sub]
            cg = np.mean([c["global"] for c in cold])
            cl = np.mean([c["local"] for c in cold])
            ct = np.mean([c["two_tier"] for c in cold])
            gains = [r.accuracy["two_tier"] - r.accuracy["global"] for r in sub]
            lines.append(
                f"| {sname} | {mname} | {g:.4f} | {loc:.4f} | {two:.4f} | "
                f"{np.mean(gains):+.4f} (min {min(gains):+.4f}) | {cg:.4f} / {cl:.4f} / {ct:.4f} |"
            )
    lines += [
        "",
        f"Local-tier throughput (bias strategy, 195,000 rows in batches of 10,000 over 5,000 "
        f"keys, CPU time on one core): **{ups:,.0f} rows/s** including the global model's "
        f"predict_proba on each batch, {ups_local:,.0f} rows/s for the local update alone "
        "(goal: >= 100,000 local updates per second).",
        f"Memory per key: {model.memory_per_key():.0f} bytes (bias strategy: counts and "
        f"expected counts per class, rows, last use); keys held: {model.n_keys_}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
