"""Benchmark mllifecycle.drift batch tests against scipy and frouros.

Run:  python benchmarks/drift_batch.py            (all sections)
      python benchmarks/drift_batch.py --quick    (smaller frouros runs)

Sections (ratios measured in one run, each time the median of 3 runs):

1. ``detect`` on 20 numeric features, n = 5000 + 5000, against a loop of
   ``scipy.stats.ks_2samp`` and scipy's one-call ``ks_2samp(X, Y, axis=0)``,
   checking that the p-values are the same.
2. A fitted ``Reference`` compared with 10 windows against 10 ``detect`` calls.
3. ``mmd`` (500 permutations, d = 20) against frouros 0.9's ``MMD`` with its
   ``PermutationTestDistanceBased`` callback, at n = 1000 + 1000 and
   5000 + 5000. frouros needs numpy < 2.2, so this script creates its own
   virtual environment (benchmarks/.venv-frouros) with
   ``pip install "frouros==0.9.0" "numpy<2.2"`` and runs frouros there in a
   subprocess on the same arrays (saved as .npy) and the same RBF bandwidth.
   frouros recomputes the kernel for every permutation, so it is timed with
   fewer permutations and extrapolated linearly to 500:
   ``t0 + (t_B - t0) * 500 / B`` where ``t0`` is fit + compare without the
   callback and ``t_B`` with ``B`` permutations.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-frouros"
N_PERM = 500

FROUROS_RUNNER = r"""
import json, sys, time
from functools import partial
import numpy as np
from frouros.callbacks import PermutationTestDistanceBased
from frouros.detectors.data_drift import MMD
from frouros.utils.kernels import rbf_kernel

x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
sigma = float(sys.argv[3]); n_perm = int(sys.argv[4])
kernel = partial(rbf_kernel, sigma=sigma)

t = time.perf_counter()
det = MMD(kernel=kernel)
det.fit(X=x)
stat0 = det.compare(X=y)[0].distance
t0 = time.perf_counter() - t

t = time.perf_counter()
det = MMD(kernel=kernel, callbacks=PermutationTestDistanceBased(
    num_permutations=n_perm, random_state=0, num_jobs=-1))
det.fit(X=x)
res, logs = det.compare(X=y)
tb = time.perf_counter() - t
print(json.dumps({"t0": t0, "tb": tb, "statistic": float(stat0),
                  "p_value": float(logs["PermutationTestDistanceBased"]["p_value"])}))
"""


def median_time(fn, repeats=3):
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


def bench_ks(rng):
    from mllifecycle.drift import detect

    x = rng.normal(size=(5000, 20))
    y = rng.normal(size=(5000, 20))
    y[:, 3] += 0.05
    detect(x, y)  # warm up imports
    t_loop, loop = median_time(lambda: [stats.ks_2samp(x[:, j], y[:, j]) for j in range(20)])
    t_axis, axis = median_time(lambda: stats.ks_2samp(x, y, axis=0))
    t_ours, rep = median_time(lambda: detect(x, y, correction=None))
    p_ours = np.array([rep[f"x{j}"].p_value for j in range(20)])
    p_loop = np.array([r.pvalue for r in loop])
    rel = float(np.max(np.abs(p_ours - p_loop) / np.abs(p_loop)))
    rel_axis = float(np.max(np.abs(p_ours - axis.pvalue) / np.abs(axis.pvalue)))
    return {
        "scipy_loop_s": t_loop,
        "scipy_axis_s": t_axis,
        "detect_s": t_ours,
        "ratio_loop": t_loop / t_ours,
        "ratio_axis": t_axis / t_ours,
        "max_rel_p_diff_loop": rel,
        "max_rel_p_diff_axis": rel_axis,
    }


def bench_reference(rng):
    from mllifecycle.drift import Reference, detect

    x = rng.normal(size=(5000, 20))
    windows = [rng.normal(size=(5000, 20)) for _ in range(10)]
    t_fit, ref = median_time(lambda: Reference.fit(x))
    ref.compare(windows[0])
    t_detect, reps_d = median_time(lambda: [detect(x, w) for w in windows])
    t_ref, reps_r = median_time(lambda: [ref.compare(w) for w in windows])
    same = all(a.to_dict() == b.to_dict() for a, b in zip(reps_d, reps_r, strict=True))
    return {
        "fit_s": t_fit,
        "detect_10_s": t_detect,
        "compare_10_s": t_ref,
        "ratio": t_detect / t_ref,
        "ratio_with_fit": t_detect / (t_ref + t_fit),
        "identical_reports": same,
    }


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {VENV} (python -m venv + pip install frouros==0.9.0 numpy<2.2)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "frouros==0.9.0", "numpy<2.2"], check=True
        )
    ver = subprocess.run(
        [str(py), "-c", "import frouros, numpy; print(frouros.__version__, numpy.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return py, ver.stdout.split()


def bench_mmd(rng, n, frouros_perms, py):
    from mllifecycle.drift import mmd
    from mllifecycle.drift._multivariate import median_bandwidth

    x = rng.normal(size=(n, 20))
    y = rng.normal(size=(n, 20))
    y[:, 0] += 0.1
    sigma = median_bandwidth(np.vstack([x, y]))
    t_ours, res = median_time(lambda: mmd(x, y, n_permutations=N_PERM, rng=0))
    assert res.details["bandwidth"] == sigma
    with tempfile.TemporaryDirectory() as tmp:
        fx, fy, fr = Path(tmp, "x.npy"), Path(tmp, "y.npy"), Path(tmp, "run.py")
        np.save(fx, x)
        np.save(fy, y)
        fr.write_text(FROUROS_RUNNER)
        out = subprocess.run(
            [str(py), str(fr), str(fx), str(fy), repr(sigma), str(frouros_perms)],
            capture_output=True,
            text=True,
            check=True,
        )
    fro = json.loads(out.stdout.strip().splitlines()[-1])
    est = fro["t0"] + (fro["tb"] - fro["t0"]) * N_PERM / frouros_perms
    return {
        "n": n,
        "mmd_s": t_ours,
        "frouros_perms_run": frouros_perms,
        "frouros_run_s": fro["tb"],
        "frouros_no_perm_s": fro["t0"],
        "frouros_est_500_s": est,
        "ratio": est / t_ours,
        "statistic_ours": res.statistic,
        "statistic_frouros": fro["statistic"],
        "p_ours": res.p_value,
        "p_frouros": fro["p_value"],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer frouros permutations")
    ap.add_argument("--skip-frouros", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    info = machine()
    print(json.dumps(info))
    ks = bench_ks(rng)
    print(
        f"KS, 20 features, n=5000+5000: scipy loop {ks['scipy_loop_s'] * 1e3:.1f} ms, "
        f"scipy axis=0 {ks['scipy_axis_s'] * 1e3:.1f} ms, detect {ks['detect_s'] * 1e3:.1f} ms "
        f"-> {ks['ratio_loop']:.1f}x vs loop, {ks['ratio_axis']:.1f}x vs axis=0; "
        f"max relative p-value difference {ks['max_rel_p_diff_loop']:.1e}"
    )
    ref = bench_reference(rng)
    print(
        f"Reference: fit {ref['fit_s'] * 1e3:.1f} ms; 10 windows: detect "
        f"{ref['detect_10_s'] * 1e3:.1f} ms, compare {ref['compare_10_s'] * 1e3:.1f} ms -> "
        f"{ref['ratio']:.1f}x ({ref['ratio_with_fit']:.1f}x counting the fit); "
        f"identical reports: {ref['identical_reports']}"
    )
    results = {"machine": info, "ks": ks, "reference": ref, "mmd": []}
    if not args.skip_frouros:
        py, (fver, fnp) = ensure_venv()
        results["frouros"] = {"version": fver, "numpy": fnp}
        for n, perms in ((1000, 10 if args.quick else 50), (5000, 2 if args.quick else 5)):
            r = bench_mmd(rng, n, perms, py)
            results["mmd"].append(r)
            print(
                f"MMD n={n}+{n}, d=20, {N_PERM} permutations: ours {r['mmd_s']:.2f} s; "
                f"frouros {perms} perms {r['frouros_run_s']:.1f} s -> est. "
                f"{r['frouros_est_500_s']:.0f} s for {N_PERM} -> {r['ratio']:.0f}x; "
                f"statistic {r['statistic_ours']:.6g} vs {r['statistic_frouros']:.6g}"
            )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
