"""Label-error detection: mllifecycle.labels.find_label_issues against cleanlab 2.9.

Run: OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/label_issues.py [--repeats 5]

Data: 20,000 rows x 5 classes (make_classification, 20 features), labels
corrupted by 10 % symmetric noise (a uniformly drawn other class) and 10 %
asymmetric noise (class k -> k+1), about 19 % wrong labels in all. Out-of-fold
probabilities come from a 5-fold logistic regression (computed once, shared).
For every method both libraries get the same (labels, probabilities); the
issue sets are checked equal (Jaccard) before timing; then precision and
recall against the known flips, and time (min / median / max of --repeats
runs, alternating which library goes first). cleanlab runs with its default
n_jobs (multiprocessing over classes) and with n_jobs=1.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
METHODS = {"prune_by_noise_rate": "prune_by_noise_rate", "prune_by_class": "prune_by_class",
           "both": "both", "confident_joint": "confident_learning"}


def noisy_labels(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, true = make_classification(n_samples=n, n_features=20, n_informative=10,
                                  n_redundant=4, n_classes=5, n_clusters_per_class=1,
                                  class_sep=1.5, random_state=seed)
    rng = np.random.default_rng(seed)
    y = true.copy()
    u = rng.random(n)
    sym = u < 0.10
    asym = (u >= 0.10) & (u < 0.20)
    y[sym] = (true[sym] + rng.integers(1, 5, sym.sum())) % 5
    y[asym] = (true[asym] + 1) % 5
    return X, y, true


def main() -> None:
    import cleanlab
    import sklearn
    from cleanlab.filter import find_label_issues as cl_find

    from mllifecycle.labels import find_label_issues, out_of_fold_proba

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--n", type=int, default=20_000)
    args = ap.parse_args()
    X, y, true = noisy_labels(args.n, 0)
    wrong = y != true
    proba = out_of_fold_proba(LogisticRegression(max_iter=1000), X, y, rng=0)
    lines = [
        "# Label issues (confident learning) vs cleanlab",
        "",
        f"Command: `OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/label_issues.py "
        f"--repeats {args.repeats}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at start (shared with other jobs: "
        f"times are noisy upper bounds); python {platform.python_version()}, numpy "
        f"{np.__version__}, scikit-learn {sklearn.__version__}, cleanlab "
        f"{cleanlab.__version__}.",
        "",
        f"Data: {args.n:,} x 20, 5 classes, {wrong.mean():.1%} wrong labels (10 % symmetric"
        " + 10 % asymmetric k -> k+1); out-of-fold probabilities of a 5-fold logistic "
        f"regression (accuracy against the true labels "
        f"{(proba.argmax(1) == true).mean():.3f}).",
        "",
        "| method | issues (ours / cleanlab) | Jaccard | precision | recall | ours ms "
        "(min/med/max) | cleanlab n_jobs=1 ms | cleanlab default ms | speed-up vs default |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for ours_name, cl_name in METHODS.items():
        ours = find_label_issues(y, proba, method=ours_name)
        theirs = np.flatnonzero(cl_find(y, proba, filter_by=cl_name))
        a, b = set(ours.indices.tolist()), set(theirs.tolist())
        jac = len(a & b) / max(len(a | b), 1)
        assert jac >= 0.99, (ours_name, jac)
        prec = wrong[ours.indices].mean()
        rec = wrong[ours.indices].sum() / wrong.sum()
        t_ours, t_cl1, t_cl = [], [], []
        for r in range(args.repeats):
            order = [0, 1, 2] if r % 2 == 0 else [2, 1, 0]
            for which in order:
                t0 = time.perf_counter()
                if which == 0:
                    find_label_issues(y, proba, method=ours_name)
                    t_ours.append(time.perf_counter() - t0)
                elif which == 1:
                    cl_find(y, proba, filter_by=cl_name, n_jobs=1)
                    t_cl1.append(time.perf_counter() - t0)
                else:
                    cl_find(y, proba, filter_by=cl_name)
                    t_cl.append(time.perf_counter() - t0)

        def fmt(ts: list[float]) -> str:
            ms = [1000 * t for t in ts]
            return f"{min(ms):.1f} / {statistics.median(ms):.1f} / {max(ms):.1f}"

        ratio = statistics.median(t_cl) / statistics.median(t_ours)
        ratio1 = statistics.median(t_cl1) / statistics.median(t_ours)
        lines.append(f"| {ours_name} | {len(a)} / {len(b)} | {jac:.4f} | {prec:.3f} | "
                     f"{rec:.3f} | {fmt(t_ours)} | {fmt(t_cl1)} | {fmt(t_cl)} | "
                     f"{ratio:.1f}x (n_jobs=1: {ratio1:.1f}x) |")
        print(lines[-1])
    lines += ["", "Precision and recall are against the known flipped rows; both libraries "
              "flag the same rows, so they share the figures."]
    out = HERE / "results" / "label_issues.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
