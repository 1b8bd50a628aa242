"""Time CBPE: fit on 100,000 reference rows, estimate 100 windows of 10,000.

Compares, on the same data in the same run:

* ``CBPE.estimate_many`` (all windows in one vectorised call);
* a Python loop calling ``CBPE.estimate`` once per window;
* a naive pure-Python per-row loop computing the expected confusion matrix
  (accuracy, precision, recall, F1 only: no ROC AUC, no standard errors), the
  obvious hand-written implementation;
* optionally NannyML's CBPE (``--nannyml PYTHON``, the interpreter of a
  separate virtual environment where ``pip install nannyml`` worked), run in a
  subprocess on the same arrays; its estimates are also compared with ours.

Run:  python benchmarks/estimate.py [--nannyml /path/to/venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import sklearn

from mllifecycle.estimate import CBPE

N_REF, N_WIN, WIN = 100_000, 100, 10_000
METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]
REPEATS = 3


def make_data(seed: int = 0):
    """A miscalibrated model under covariate shift (true logit z moves)."""
    rng = np.random.default_rng(seed)

    def draw(n, mean):
        z = rng.normal(mean, 2.0, size=n)
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
        p = 1 / (1 + np.exp(-(0.6 * z + 0.4)))  # the model: too timid, biased
        return p, y

    p_ref, y_ref = draw(N_REF, 0.0)
    means = np.linspace(-1.0, 1.0, N_WIN)
    pairs = [draw(WIN, m) for m in means]
    return p_ref, y_ref, np.concatenate([p for p, _ in pairs])


def median_time(fn, repeats=REPEATS):
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def naive_row_loop(est, p_all):
    """Expected confusion matrix by a Python loop over rows, per window."""
    cal = est.calibrate(p_all).tolist()
    raw = p_all.tolist()
    out = []
    for w in range(N_WIN):
        tp = fp = fn = tn = 0.0
        for i in range(w * WIN, (w + 1) * WIN):
            c = cal[i]
            if raw[i] >= 0.5:
                tp += c
                fp += 1 - c
            else:
                fn += c
                tn += 1 - c
        out.append(
            {
                "accuracy": (tp + tn) / WIN,
                "precision": tp / (tp + fp),
                "recall": tp / (tp + fn),
                "f1": 2 * tp / (2 * tp + fp + fn),
            }
        )
    return out


NANNYML_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np, pandas as pd
    import nannyml as nml
    d = np.load(sys.argv[1])
    ref = pd.DataFrame({"p": d["p_ref"], "y": d["y_ref"],
                        "yhat": (d["p_ref"] >= 0.5).astype(int)})
    ana = pd.DataFrame({"p": d["p_all"], "yhat": (d["p_all"] >= 0.5).astype(int)})
    metrics = ["accuracy", "precision", "recall", "f1", "roc_auc"]
    times, est = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        cbpe = nml.CBPE(y_pred_proba="p", y_pred="yhat", y_true="y",
                        problem_type="classification_binary", metrics=metrics,
                        chunk_size=int(sys.argv[2]))
        cbpe.fit(ref)
        res = cbpe.estimate(ana).filter(period="analysis").to_df()
        times.append(time.perf_counter() - t0)
    vals = {m: res[(m, "value")].tolist() for m in metrics}
    ses = {m: res[(m, "sampling_error")].tolist() for m in metrics}
    print(json.dumps({"time": float(np.median(times)), "values": vals,
                      "sampling_error": ses, "version": nml.__version__}))
    """
)


def run_nannyml(python, p_ref, y_ref, p_all):
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.npz"
        np.savez(data, p_ref=p_ref, y_ref=y_ref, p_all=p_all)
        script = Path(tmp) / "nml.py"
        script.write_text(NANNYML_SCRIPT)
        out = subprocess.run(
            [python, str(script), str(data), str(WIN)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nannyml", metavar="PYTHON", help="python with nannyml installed")
    args = ap.parse_args()
    p_ref, y_ref, p_all = make_data()
    ncpu = len(os.sched_getaffinity(0))
    print(
        f"machine: {cpu_model()}, {ncpu} cores; "
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )
    print(
        f"data: {N_REF:,} reference rows, {N_WIN} windows of {WIN:,}; "
        f"metrics {METRICS}; median of {REPEATS} runs"
    )

    def fit():
        return CBPE(metrics=METRICS, random_state=0).fit(y_true=y_ref, y_proba=p_ref)

    t_fit, est = median_time(fit)
    t_many, many = median_time(lambda: est.estimate_many(p_all, window_size=WIN))
    t_loop, _ = median_time(
        lambda: [est.estimate(p_all[i : i + WIN]) for i in range(0, len(p_all), WIN)]
    )
    est4 = CBPE(metrics=METRICS[:4], calibration=est.calibration_).fit(y_true=y_ref, y_proba=p_ref)
    t_many4, _ = median_time(lambda: est4.estimate_many(p_all, window_size=WIN))
    t_naive, naive = median_time(lambda: naive_row_loop(est, p_all), repeats=1)
    gap = max(
        abs(naive[w][m] - many[w][m].value)
        for w in range(N_WIN)
        for m in ["accuracy", "precision", "recall", "f1"]
    )
    print(f"calibration chosen: {est.calibration_}")
    rows = [
        ("CBPE.fit (auto calibration, 5-fold CV, 3 candidates)", t_fit),
        ("CBPE.estimate_many, 100 windows (vectorised)", t_many),
        ("CBPE.estimate in a Python loop over windows", t_loop),
        ("CBPE.estimate_many, same 4 metrics as the naive loop", t_many4),
        ("naive per-row Python loop (4 metrics, no AUC/SE; 1 run)", t_naive),
    ]
    ours = t_fit + t_many
    print(f"{'what':58s} {'seconds':>9s}")
    for name, t in rows:
        print(f"{name:58s} {t:9.3f}")
    print(f"fit + estimate_many total: {ours:.3f} s")
    print(f"ratio loop-of-estimate / estimate_many: {t_loop / t_many:.2f}")
    print(f"ratio naive-row-loop / estimate_many (4 metrics): {t_naive / t_many4:.1f}")
    print(f"max |naive - ours| over windows and metrics: {gap:.2e}")
    if args.nannyml:
        nml = run_nannyml(args.nannyml, p_ref, y_ref, p_all)
        print(
            f"NannyML {nml['version']} CBPE fit + estimate: {nml['time']:.3f} s; "
            f"ratio NannyML / ours (fit + estimate_many): {nml['time'] / ours:.1f}"
        )
        for m in METRICS:
            theirs = np.asarray(nml["values"][m])
            mine = np.array([r[m].value for r in many])
            gap = np.max(np.abs(theirs - mine))
            se_ratio = np.median(
                np.array([r[m].std_error for r in many]) / np.asarray(nml["sampling_error"][m])
            )
            print(
                f"  {m:9s} max |NannyML - ours| over windows: {gap:.4f}; "
                f"median std. error ratio ours / NannyML: {se_ratio:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
