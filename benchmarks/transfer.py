"""Benchmark: importance_weights (KLIEP, KMM, domain classifier) at 10,000 x 2,000 x 20.

Run as ``python benchmarks/transfer.py`` (add ``--repeats 1`` for a quick run).
Each configuration runs in a fresh subprocess so that ``ru_maxrss`` (peak
resident memory of the process) belongs to that configuration alone; the
tracemalloc peak (NumPy reports its buffers to tracemalloc) is measured in a
separate run so that tracing does not slow the timed runs. Times are medians
of ``--repeats`` runs. ADAPT, the peer library, is not compared: it imports
TensorFlow at import time even for its scikit-learn methods.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

N_SOURCE, N_TARGET, N_FEATURES = 10_000, 2_000, 20


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(N_SOURCE, N_FEATURES))
    xt = rng.normal(size=(N_TARGET, N_FEATURES)) * 0.8 + 0.3
    return xs, xt


def one(method: str, trace: bool) -> dict[str, object]:
    import warnings

    from mllifecycle.exceptions import DegenerateDataWarning
    from mllifecycle.transfer import importance_weights

    xs, xt = data()
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        res = importance_weights(xs, xt, method=method, rng=0)
    elapsed = time.perf_counter() - t0
    out: dict[str, object] = {
        "method": method,
        "seconds": elapsed,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "maxrss_before_mb": base_rss / 1024,
        "ess": res.effective_sample_size,
        "details": {k: v for k, v in res.details.items()
                    if k in ("converged", "n_iterations", "n_kernel_products", "tile",
                             "bandwidth", "domain_auc")},
    }
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return out


def run_child(method: str, trace: bool) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--one", method] + (["--trace"] if trace else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one")
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--methods", default="classifier,kliep,kmm")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.trace)))
        return
    import os

    import scipy
    import sklearn

    print(f"importance_weights on {N_SOURCE} source x {N_TARGET} target x {N_FEATURES} "
          f"features; {os.cpu_count()} CPUs ({cpu_model()}); numpy {np.__version__}, "
          f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
          f"python {platform.python_version()}")
    dense_gram_mb = N_SOURCE * N_SOURCE * 8 / 2**20
    block_mb = N_SOURCE * N_TARGET * 8 / 2**20
    print(f"(a dense n_source x n_source Gram matrix would be {dense_gram_mb:.0f} MiB; "
          f"one n_source x n_target block {block_mb:.0f} MiB)")
    print("| method | median s | runs (s) | tracemalloc peak MiB | ru_maxrss MiB "
          "(before call) | ESS | solver |")
    print("|---|---|---|---|---|---|---|")
    for method in args.methods.split(","):
        runs = [run_child(method, trace=False) for _ in range(args.repeats)]
        traced = run_child(method, trace=True)
        secs = [float(r["seconds"]) for r in runs]  # type: ignore[arg-type]
        rss = max(float(r["maxrss_mb"]) for r in runs)  # type: ignore[arg-type]
        rss0 = max(float(r["maxrss_before_mb"]) for r in runs)  # type: ignore[arg-type]
        print(f"| {method} | {statistics.median(secs):.1f} | "
              f"{', '.join(f'{s:.1f}' for s in secs)} | "
              f"{float(traced['tracemalloc_peak_mb']):.0f} | {rss:.0f} ({rss0:.0f}) | "  # type: ignore[arg-type]
              f"{float(runs[0]['ess']):.0f} | {runs[0]['details']} |", flush=True)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
