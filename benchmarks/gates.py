"""Benchmark mllifecycle.gates against what a user would otherwise write.

1. Paired bootstrap, n = 100,000 examples, 10,000 resamples, accuracy and
   ROC AUC: ``mllifecycle.gates.paired_bootstrap`` against a loop calling
   ``sklearn.metrics.accuracy_score`` / ``roc_auc_score`` on each resample for
   both models. The sklearn loop is timed on 200 resamples and extrapolated
   linearly to 10,000 (its cost per resample does not depend on the count).
2. DeLong's test at n = 1,000,000: ``mllifecycle.gates.delong`` (Sun & Xu
   midranks, O(n log n)) against the direct O(n^2) structural components,
   timed on a subsample of 4,000 and extrapolated by (n / 4000)^2.

Every timing is the median of 3 runs (ours and the peer alternate, so both
see the same load on a shared machine). Run: ``python benchmarks/gates.py``.
"""

from __future__ import annotations

import os
import platform
import statistics
import time

import numpy as np
import scipy
import sklearn
from sklearn.metrics import accuracy_score, roc_auc_score

from mllifecycle.gates import delong, paired_bootstrap

N = 100_000
B = 10_000
B_LOOP = 200
N_DELONG = 1_000_000
N_SUB = 4_000


def median_time(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sklearn_loop(metric, y, a, b, n_resamples, seed=0):
    rng = np.random.default_rng(seed)
    n = y.size
    out = np.empty(n_resamples)
    for r in range(n_resamples):
        idx = rng.integers(0, n, n)
        out[r] = metric(y[idx], b[idx]) - metric(y[idx], a[idx])
    return out


def direct_delong_variance(y, s1, s2):
    pos, neg = y == 1, y == 0
    comps = []
    for s in (s1, s2):
        x, z = s[pos][:, None], s[neg][None, :]
        psi = (x > z) + 0.5 * (x == z)
        comps.append((psi.mean(axis=1), psi.mean(axis=0)))
    m, n = pos.sum(), neg.sum()
    s10 = np.cov(np.vstack([comps[0][0], comps[1][0]]))
    s01 = np.cov(np.vstack([comps[0][1], comps[1][1]]))
    S = s10 / m + s01 / n
    return S[0, 0] + S[1, 1] - 2 * S[0, 1]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, N)
    s1 = y + rng.normal(0, 1.0, N)
    s2 = y + rng.normal(0, 0.9, N)
    a = (s1 > 0.5).astype(int)
    b = (s2 > 0.5).astype(int)

    rows = []
    for name, metric, x1, x2 in (
        ("accuracy", accuracy_score, a, b),
        ("roc_auc", roc_auc_score, s1, s2),
    ):
        # alternate ours and the loop so both see the same load on a shared CPU
        t_ours, t_loop = [], []
        for _ in range(3):
            t_ours.append(
                median_time(
                    lambda name=name, x1=x1, x2=x2: paired_bootstrap(
                        y, x1, x2, metric=name, n_resamples=B, rng=0
                    ),
                    repeats=1,
                )
            )
            t_loop.append(
                median_time(
                    lambda metric=metric, x1=x1, x2=x2: sklearn_loop(metric, y, x1, x2, B_LOOP),
                    repeats=1,
                )
            )
        ours = statistics.median(t_ours)
        loop = statistics.median(t_loop)
        loop_full = loop * B / B_LOOP
        rows.append((name, ours, loop_full, loop_full / ours))
        print(
            f"paired bootstrap {name}: ours {ours:.2f} s for {B} resamples; sklearn loop "
            f"{loop:.2f} s for {B_LOOP} -> {loop_full:.1f} s for {B} (extrapolated); "
            f"ratio {loop_full / ours:.1f}x",
            flush=True,
        )

    yd = rng.integers(0, 2, N_DELONG)
    d1 = yd + rng.normal(0, 1.0, N_DELONG)
    d2 = yd + rng.normal(0, 0.9, N_DELONG)
    ours_d = median_time(lambda: delong(yd, d1, d2))
    sub = slice(0, N_SUB)
    quad = median_time(lambda: direct_delong_variance(yd[sub], d1[sub], d2[sub]))
    quad_full = quad * (N_DELONG / N_SUB) ** 2
    res_sub = delong(yd[sub], d1[sub], d2[sub])
    agree = (
        abs(res_sub.std_error**2 - direct_delong_variance(yd[sub], d1[sub], d2[sub]))
        / res_sub.std_error**2
    )
    print(
        f"delong n={N_DELONG}: ours {ours_d:.2f} s; direct O(n^2) {quad:.3f} s at "
        f"n={N_SUB} -> {quad_full:.0f} s at n={N_DELONG} (extrapolated); ratio "
        f"{quad_full / ours_d:.0f}x; variance relative difference at n={N_SUB}: "
        f"{agree:.1e}",
        flush=True,
    )

    print()
    print("| benchmark | mllifecycle | peer | ratio |")
    print("| --- | --- | --- | --- |")
    for name, ours, loop_full, ratio in rows:
        print(
            f"| paired bootstrap, {name}, n={N:,}, B={B:,} | {ours:.2f} s | "
            f"{loop_full:.1f} s (sklearn loop, {B_LOOP} timed, extrapolated) | "
            f"{ratio:.1f}x |"
        )
    print(
        f"| DeLong, n={N_DELONG:,} | {ours_d:.2f} s | {quad_full:.0f} s (direct O(n^2), "
        f"n={N_SUB:,} timed, extrapolated) | {quad_full / ours_d:.0f}x |"
    )
    print()
    print(
        f"machine: {os.cpu_count()} CPUs, {cpu_model()}; Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )


if __name__ == "__main__":
    main()
