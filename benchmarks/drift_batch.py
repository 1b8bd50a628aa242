"""Benchmark mllifecycle.drift batch tests against scipy and frouros.

Run:  python benchmarks/drift_batch.py            (all sections)
      python benchmarks/drift_batch.py --quick    (smaller frouros runs)

Sections (every ratio measured in one run, never extrapolated; runs of the
compared implementations alternate, and each figure is min / median / max of
``--repeats`` alternated runs; machine, versions and load average printed):

1. ``detect`` on 20 numeric features, n = 5000 + 5000, against a loop of
   ``scipy.stats.ks_2samp`` and scipy's one-call ``ks_2samp(X, Y, axis=0)``,
   checking that the p-values are the same.
2. A fitted ``Reference`` compared with 10 windows against 10 ``detect`` calls.
3. ``mmd`` and ``energy`` (500 permutations, d = 20, n = 1000 + 1000 and
   2000 + 2000) against the plain batched NumPy permutation test a competent
   user would write (:func:`batched_numpy`: one kernel or distance matrix, all
   permutations as one matrix product), statistics checked equal first.
4. ``mmd`` against frouros 0.9's ``MMD`` with its ``PermutationTestDistanceBased``
   callback, all 500 permutations run (``--frouros-n``, default 1000 + 1000).
   frouros needs numpy < 2.2, so this script creates its own virtual
   environment (benchmarks/.venv-frouros) with
   ``pip install "frouros==0.9.0" "numpy<2.2"`` and runs frouros there in a
   subprocess on the same arrays (saved as .npy) and the same RBF bandwidth.
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


def alternated(fns, repeats):
    """Run the callables in turn ``repeats`` times; return their times and last outputs."""
    times = {k: [] for k in fns}
    outs = {}
    for _ in range(repeats):
        for k, fn in fns.items():
            t = time.perf_counter()
            outs[k] = fn()
            times[k].append(time.perf_counter() - t)
    return times, outs


def mmm(ts):
    """``min / median / max`` of times, in seconds or milliseconds."""
    unit, f = ("ms", 1e3) if max(ts) < 1 else ("s", 1.0)
    return f"{min(ts) * f:.3g} / {statistics.median(ts) * f:.3g} / {max(ts) * f:.3g} {unit}"


def ratio_range(base, ours):
    """Median ratio, and the range over the alternated pairs."""
    r = [b / o for b, o in zip(base, ours, strict=True)]
    return statistics.median(base) / statistics.median(ours), min(r), max(r)


def batched_numpy(x, y, n_perm, seed, kind, sigma=None, labels=None):
    """The plain batched NumPy permutation test (the baseline of issue 20).

    One (N, N) kernel (``kind="mmd"``, RBF) or distance (``kind="energy"``)
    matrix, all permutations as one matrix product ``K @ A``. ``labels``
    (B, N) replaces its own draws (to check p-values on our permutations).
    """
    z = np.vstack([x, y])
    n, big_n = len(x), len(z)
    sq = (z * z).sum(1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (z @ z.T), 0.0)
    k = np.exp(-d2 / (2.0 * sigma**2)) if kind == "mmd" else np.sqrt(d2)
    a = np.zeros((n_perm + 1, big_n))
    a[:, :n] = 1.0
    if labels is None:
        g = np.random.default_rng(seed)
        a[1:] = g.permuted(a[1:], axis=1)
    else:
        a[1:] = labels
    q = (a * (a @ k)).sum(1)
    r = a @ k.sum(1)
    tot = k.sum()
    m = big_n - n
    if kind == "mmd":
        stat = (
            (q - n) / (n * (n - 1)) + (tot - 2 * r + q - m) / (m * (m - 1)) - 2 * (r - q) / (n * m)
        )
    else:
        stat = 2 * (r - q) / (n * m) - q / n**2 - (tot - 2 * r + q) / m**2
    p = (np.sum(stat[1:] >= stat[0] - 1e-12 * abs(stat[0])) + 1) / (n_perm + 1)
    if labels is not None:
        return stat
    return float(stat[0]), float(p)


def exact_statistic(x, y, kind, sigma=None):
    """The V-statistic (energy) or U-statistic (MMD) from ``cdist`` and ``math.fsum``."""
    import math

    from scipy.spatial.distance import cdist

    def mean(a, b, same):
        d2 = cdist(a, b, "sqeuclidean")
        k = np.exp(-d2 / (2.0 * sigma**2)) if kind == "mmd" else np.sqrt(d2)
        if kind == "mmd" and same:
            np.fill_diagonal(k, 0.0)
            return math.fsum(k.ravel()) / (len(a) * (len(a) - 1))
        return math.fsum(k.ravel()) / (len(a) * len(b))

    xy, xx, yy = mean(x, y, False), mean(x, x, True), mean(y, y, True)
    return xx + yy - 2.0 * xy if kind == "mmd" else 2.0 * xy - xx - yy


def bench_batched(rng, n, repeats):
    from mllifecycle.drift import energy, mmd
    from mllifecycle.drift._common import perm_p_value
    from mllifecycle.drift._kernel import TIE_RTOL, draw_centred_labels, prepare
    from mllifecycle.drift._mmd import median_bandwidth

    x = rng.normal(size=(n, 20))
    y = rng.normal(size=(n, 20))
    y[:, 0] += 0.1
    out = {}
    for kind, fn in (("mmd", mmd), ("energy", energy)):
        z, s = prepare(x, y)
        sigma = median_bandwidth(z) / s
        kw = {"bandwidth": sigma} if kind == "mmd" else {}
        ours = fn(x, y, n_resamples=N_PERM, rng=0, **kw)
        stat_b, p_b = batched_numpy(x, y, N_PERM, 0, kind, sigma)
        ours_stat = ours.statistic if kind == "mmd" else ours.statistic**2
        # both against the statistic from exact pairwise distances summed
        # exactly: the baseline's differences of large sums cancel (relative
        # error ~1e-9 for energy), ours must be within 1e-9
        exact = exact_statistic(x, y, kind, sigma)
        err_ours = abs(ours_stat - exact) / abs(exact)
        err_base = abs(stat_b - exact) / abs(exact)
        print(f"{kind} n={n}: relative error vs exact sums: ours {err_ours:.1e}, "
              f"batched NumPy {err_base:.1e}")
        assert err_ours <= 1e-9, (kind, ours_stat, exact)
        assert err_base <= 1e-6, (kind, stat_b, exact)
        # same permutations (our chunked streams) and the same tie rule (permuted
        # statistics within TIE_RTOL of the observed count as ties: float32
        # products) -> the same p-value exactly
        lab = draw_centred_labels(np.random.default_rng(0), 2 * n, n, N_PERM) > 0
        st = batched_numpy(x, y, N_PERM, 0, kind, sigma, labels=lab)
        p_same = perm_p_value(float(st[0]), st[1:], rtol=TIE_RTOL)
        assert p_same == ours.p_value, (kind, p_same, ours.p_value)
        times, _ = alternated(
            {
                "numpy": lambda x=x, y=y, kind=kind, sigma=sigma: batched_numpy(
                    x, y, N_PERM, 0, kind, sigma
                ),
                "ours": lambda fn=fn, x=x, y=y, kw=kw: fn(x, y, n_resamples=N_PERM, rng=0, **kw),
            },
            repeats,
        )
        med, lo, hi = ratio_range(times["numpy"], times["ours"])
        out[kind] = {
            "n": n,
            "numpy_s": times["numpy"],
            "ours_s": times["ours"],
            "ratio": med,
            "ratio_min": lo,
            "ratio_max": hi,
            "p_ours": ours.p_value,
            "p_numpy": p_b,
            "p_numpy_same_permutations": p_same,
        }
    return out


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
    times, outs = alternated(
        {
            "loop": lambda: [stats.ks_2samp(x[:, j], y[:, j]) for j in range(20)],
            "axis": lambda: stats.ks_2samp(x, y, axis=0),
            "ours": lambda: detect(x, y, correction=None),
        },
        REPEATS,
    )
    loop, axis, rep = outs["loop"], outs["axis"], outs["ours"]
    t_loop, t_axis, t_ours = (statistics.median(times[k]) for k in ("loop", "axis", "ours"))
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
        "ratio_loop_range": ratio_range(times["loop"], times["ours"])[1:],
        "ratio_axis_range": ratio_range(times["axis"], times["ours"])[1:],
        "times": {k: mmm(v) for k, v in times.items()},
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

    x = rng.normal(size=(n, 20))
    y = rng.normal(size=(n, 20))
    y[:, 0] += 0.1
    res = mmd(x, y, n_resamples=N_PERM, rng=0)
    sigma = res.details["bandwidth"]
    t_ours, res = median_time(lambda: mmd(x, y, n_resamples=N_PERM, rng=0, bandwidth=sigma))
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
    return {
        "n": n,
        "mmd_s": t_ours,
        "frouros_perms_run": frouros_perms,
        "frouros_run_s": fro["tb"],
        "ratio": fro["tb"] / t_ours,
        "statistic_ours": res.statistic,
        "statistic_frouros": fro["statistic"],
        "p_ours": res.p_value,
        "p_frouros": fro["p_value"],
    }


REPEATS = 5


def main():
    global REPEATS
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-frouros", action="store_true")
    ap.add_argument("--frouros-n", type=int, default=1000)
    args = ap.parse_args()
    REPEATS = args.repeats
    rng = np.random.default_rng(0)
    info = machine()
    print(json.dumps(info))
    ks = bench_ks(rng)
    lo, hi = ks["ratio_loop_range"]
    print(
        f"KS, 20 features, n=5000+5000 (min / median / max of {REPEATS} alternated runs): "
        f"scipy loop {ks['times']['loop']}, scipy axis=0 {ks['times']['axis']}, "
        f"detect {ks['times']['ours']} -> {ks['ratio_loop']:.1f}x vs loop "
        f"({lo:.1f}-{hi:.1f}x), {ks['ratio_axis']:.1f}x vs axis=0; "
        f"max relative p-value difference {ks['max_rel_p_diff_loop']:.1e}"
    )
    ref = bench_reference(rng)
    print(
        f"Reference: fit {ref['fit_s'] * 1e3:.1f} ms; 10 windows: detect "
        f"{ref['detect_10_s'] * 1e3:.1f} ms, compare {ref['compare_10_s'] * 1e3:.1f} ms -> "
        f"{ref['ratio']:.1f}x ({ref['ratio_with_fit']:.1f}x counting the fit); "
        f"identical reports: {ref['identical_reports']}"
    )
    results = {"machine": info, "ks": ks, "reference": ref, "batched": [], "mmd": []}
    for n in (1000, 2000):
        b = bench_batched(rng, n, REPEATS)
        results["batched"].append(b)
        for kind, r in b.items():
            print(
                f"{kind} n={n}+{n}, d=20, {N_PERM} permutations (alternated, "
                f"{REPEATS} runs): batched NumPy {mmm(r['numpy_s'])}, ours "
                f"{mmm(r['ours_s'])} -> {r['ratio']:.2f}x ({r['ratio_min']:.2f}-"
                f"{r['ratio_max']:.2f}x); p {r['p_ours']:.3g} vs {r['p_numpy']:.3g}"
            )
    if not args.skip_frouros:
        py, (fver, fnp) = ensure_venv()
        results["frouros"] = {"version": fver, "numpy": fnp}
        r = bench_mmd(rng, args.frouros_n, N_PERM, py)
        results["mmd"].append(r)
        print(
            f"MMD n={r['n']}+{r['n']}, d=20, all {N_PERM} permutations run: ours "
            f"{r['mmd_s']:.2f} s; frouros {r['frouros_run_s']:.1f} s -> {r['ratio']:.0f}x; "
            f"statistic {r['statistic_ours']:.6g} vs {r['statistic_frouros']:.6g}"
        )
    print("load average (1/5/15 min):", os.getloadavg())
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
