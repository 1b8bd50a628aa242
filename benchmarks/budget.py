"""Learning-curve extrapolation on scikit-learn's bundled data sets.

For each (data set, model, seed): measure cross-validated accuracy at six
training sizes up to 20 % of the full training size, fit the curve, and
predict the accuracy at the full training size (4/5 of the rows). The splits
are those `mllifecycle.budget.learning_curve` uses by default: 5-fold
stratified splits repeated 4 times (``--repeats 4``; ``--repeats 1`` is a
single shuffled 5-fold split). The realised accuracy at the full size is
measured with the same splitter. Reported:

- coverage of mllifecycle's 90 % prediction interval (goal: >= 85 % of cases);
- its mean width against a naive interval, [accuracy at the largest fitted
  size, 1.0]: what a user who knows only that accuracy does not fall with more
  data and cannot pass 1 would write down without any curve fitting;
- and against the interval a user would build with scipy alone: the inverse
  power law fitted by `scipy.optimize.curve_fit` (weighted by each size's
  standard error), its prediction at the full size with a delta-method
  standard error from the parameter covariance plus the last size's
  measurement noise, times Student's t (k - 3 degrees of freedom), clipped to
  [0, 1] (a failed fit counts as the whole [0, 1]);
- mean absolute error of the point prediction, against the `learning-curves`
  package (0.2.2, no intervals) fitted on the same points;
- fit time of both.

The peer is installed apart from the bench extra (its metadata requires the
deprecated ``sklearn`` package): ``pip install --no-deps learning-curves==0.2.2 dill``.

Run: python benchmarks/budget.py [--seeds 5] [--seed-start 0] [--repeats 4]
     [--out benchmarks/results/budget.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, learning_curve
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle.budget import fit_curve

DATASETS = {"digits": load_digits, "breast_cancer": load_breast_cancer, "wine": load_wine}
MODELS = {
    "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "naive_bayes": GaussianNB,
    "knn": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(5)),
}


def _peer_predict(sizes, scores, at):
    """learning-curves' best predictor fitted on the same points (None if absent)."""
    try:
        import learning_curves as lcpkg
    except ImportError:
        return None, 0.0
    t0 = time.perf_counter()
    lc = lcpkg.LearningCurve()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # its best_predictor_cust compares a score with None on some inputs, so
        # the best fit (highest R^2) is picked here from fit_all_cust
        fitted = lc.fit_all_cust(np.asarray(sizes, float), scores, lc.predictors)
        scored = [p for p in fitted if p.score is not None and np.isfinite(p.score)]
        if not scored:
            return float("nan"), time.perf_counter() - t0
        best = max(scored, key=lambda p: p.score)
        pred = float(np.asarray(best(np.array([float(at)])))[0])
    return pred, time.perf_counter() - t0


def _scipy_interval(sizes, folds, at, confidence_level=0.9):
    """Delta-method interval of an inverse power law fitted with curve_fit."""
    from scipy import optimize, stats

    n = np.asarray(sizes, float)
    y = folds.mean(axis=1)
    se = folds.std(axis=1, ddof=1) / np.sqrt(folds.shape[1])
    se = np.maximum(se, 1e-4)

    def law(x, a, b, c):
        return a - b * x ** (-c)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p, cov = optimize.curve_fit(
                law, n, y, p0=(y[-1], (y[-1] - y[0]) * n[0] ** 0.5, 0.5), sigma=se,
                absolute_sigma=False, maxfev=20000,
            )
    except (RuntimeError, ValueError):
        return 0.0, 1.0
    if not np.all(np.isfinite(cov)):
        return 0.0, 1.0
    pred = law(at, *p)
    eps = 1e-6 * np.maximum(np.abs(p), 1e-3)
    grad = np.array([(law(at, *(p + e)) - law(at, *(p - e))) / (2 * e[i])
                     for i, e in enumerate(np.diag(eps))])
    sd = float(np.sqrt(max(grad @ cov @ grad, 0.0) + se[-1] ** 2))
    t = stats.t.ppf(0.5 + confidence_level / 2, max(n.size - 3, 1))
    return float(np.clip(pred - t * sd, 0, 1)), float(np.clip(pred + t * sd, 0, 1))


# measured offline (not recomputed by this script); see docs/budget.md
_DIAGNOSIS = """
Hold-out seeds 5-9 (`python benchmarks/budget.py --seeds 5 --seed-start 5`, same
machine, same day, 4 repeats): coverage 93.3 % (naive 100.0 %, scipy 86.7 %),
mean width 0.0462 (naive 0.0753, scipy 0.0663), MAE 0.0139 (learning-curves
0.0295). Over the 90 cases: 92.2 % covered, 0.046 wide against naive 0.075.

One shuffled 5-fold split (`--repeats 1`, `learning_curve(..., n_repeats=1)`,
the protocol of every earlier record), same code, same day: seeds 0-4 95.6 %
covered, 0.0752 wide (naive 0.0739); seeds 5-9 100.0 %, 0.0831 (naive
0.0779). With five folds the width goal was not met: each family's refits are
widened by t(4)/z = 1.30 (a bootstrap of 5 folds has normal, not Student,
tails; Hesterberg 2015), which the simulated laws of the tests need for
nominal coverage (80-83 % without it), and the scores at the small sizes
(wine: 15 to 30 rows) are noisy. Repeating the split 4 times averages the
split noise out of every size's mean and leaves 20 splits to resample
(t(19)/z = 1.06): the interval is 39 % narrower at the same nominal level and
still covers 91-93 %. The 20 splits are not independent (each row is in the
test set once per repetition), so coverage on real data, not the simulated
laws, is the check on that; its 90 cases are 9 (data set, model) pairs, so
they measure coverage loosely. scikit-learn's own learning-curve example uses
50 shuffled splits; `learning_curve` now repeats its split 4 times by default.
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-start", type=int, default=0,
                    help="first seed (5 with --seeds 5: the hold-out seeds 5-9)")
    ap.add_argument("--repeats", type=int, default=4,
                    help="repetitions of the 5-fold split (learning_curve's n_repeats)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    rows = []
    for dname, loader in DATASETS.items():
        X, y = loader(return_X_y=True)
        n_full = X.shape[0] * 4 // 5
        n_classes = np.unique(y).size
        lo = max(5 * n_classes, 15)
        hi = max(int(0.2 * n_full), lo * 2)
        sizes = np.unique(np.geomspace(lo, hi, 6).astype(int))
        for mname, make in MODELS.items():
            for seed in range(args.seed_start, args.seed_start + args.seeds):
                cv = (StratifiedKFold(5, shuffle=True, random_state=seed) if args.repeats == 1
                      else RepeatedStratifiedKFold(n_splits=5, n_repeats=args.repeats,
                                                   random_state=seed))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ts, _, test = learning_curve(
                        make(), X, y, train_sizes=[*sizes, n_full], cv=cv,
                        shuffle=True, random_state=seed,
                    )
                fit_scores, realised = test[:-1], float(test[-1].mean())
                t0 = time.perf_counter()
                curve = fit_curve(
                    ts[:-1], fit_scores, bounds=(0.0, 1.0), confidence_level=0.9, rng=seed
                )
                pred = float(curve.predict(n_full)[0])
                low, high = (float(v[0]) for v in curve.interval(n_full))
                ours_s = time.perf_counter() - t0
                peer, peer_s = _peer_predict(ts[:-1], fit_scores.mean(axis=1), n_full)
                last = float(fit_scores[-1].mean())
                s_lo, s_hi = _scipy_interval(ts[:-1], fit_scores, float(n_full))
                rows.append({
                    "data": dname, "model": mname, "seed": seed, "family": curve.family,
                    "realised": realised, "pred": pred, "low": low, "high": high,
                    "covered": low <= realised <= high, "width": high - low,
                    "naive_width": 1.0 - last, "naive_covered": last <= realised <= 1.0,
                    "scipy_width": s_hi - s_lo, "scipy_covered": s_lo <= realised <= s_hi,
                    "peer": peer, "ours_s": ours_s, "peer_s": peer_s,
                })
                print(f"{dname:13s} {mname:11s} seed {seed}: realised {realised:.4f} "
                      f"pred {pred:.4f} [{low:.4f}, {high:.4f}] "
                      f"{'in' if rows[-1]['covered'] else 'OUT'}; peer "
                      f"{'n/a' if peer is None else f'{peer:.4f}'}", flush=True)
    cov = np.mean([r["covered"] for r in rows])
    width = np.mean([r["width"] for r in rows])
    naive = np.mean([r["naive_width"] for r in rows])
    naive_cov = np.mean([r["naive_covered"] for r in rows])
    sp_width = np.mean([r["scipy_width"] for r in rows])
    sp_cov = np.mean([r["scipy_covered"] for r in rows])
    mae = np.mean([abs(r["pred"] - r["realised"]) for r in rows])
    peer_rows = [r for r in rows if r["peer"] is not None and np.isfinite(r["peer"])]
    peer_mae = np.mean([abs(r["peer"] - r["realised"]) for r in peer_rows]) if peer_rows else None
    ours_t = np.median([r["ours_s"] for r in rows])
    peer_t = np.median([r["peer_s"] for r in peer_rows]) if peer_rows else None
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        "## Budget: learning-curve extrapolation (issue 17)",
        "",
        f"Date: {time.strftime('%Y-%m-%d')}. "
        f"Machine: {cpu}, {os.cpu_count()} cores, load average {load:.2f} at the end "
        f"(other jobs shared the CPU). Python {platform.python_version()}, NumPy "
        f"{np.__version__}, scikit-learn {sklearn.__version__}.",
        "",
        f"Command: `python benchmarks/budget.py --seeds {args.seeds}"
        + (f" --seed-start {args.seed_start}" if args.seed_start else "")
        + f" --repeats {args.repeats}`. "
        f"{len(rows)} cases: data sets {', '.join(DATASETS)} x models "
        f"{', '.join(MODELS)} x {args.seeds} seeds; curves fitted on six sizes up to 20 % "
        "of the full training size (4/5 of the rows), predicted at the full size; "
        + (f"scores from 5-fold stratified splits repeated {args.repeats} times (as "
           "`learning_curve` measures by default)." if args.repeats > 1 else
           "scores from one shuffled 5-fold stratified split (`n_repeats=1`)."),
        "",
        "Naive interval: [mean score at the largest fitted size, 1.0] (accuracy does not "
        "fall with more data and cannot pass 1; no curve fitted). scipy interval: the "
        "inverse power law fitted by `scipy.optimize.curve_fit` (weighted by each size's "
        "standard error), delta-method standard error of the prediction plus the last "
        "size's measurement noise, times Student's t with k - 3 degrees of freedom, "
        "clipped to [0, 1].",
        "",
        "| figure | mllifecycle | naive / peer | goal |",
        "| --- | --- | --- | --- |",
        f"| coverage of the 90 % prediction interval | {cov:.1%} | naive [last, 1.0]: "
        f"{naive_cov:.1%}; scipy curve_fit: {sp_cov:.1%} | >= 85 %: "
        f"{'met' if cov >= 0.85 else 'NOT met'} |",
        f"| mean interval width | {width:.4f} | naive: {naive:.4f}; scipy curve_fit: "
        f"{sp_width:.4f} | narrower than naive: {'met' if width < naive else 'NOT met'} |",
        f"| mean absolute error of the point prediction | {mae:.4f} | learning-curves 0.2.2: "
        f"{'n/a' if peer_mae is None else f'{peer_mae:.4f}'} | |",
        f"| median fit time (s) | {ours_t:.3f} (with 500 bootstrap refits) | learning-curves: "
        f"{'n/a' if peer_t is None else f'{peer_t:.3f}'} (no intervals) | |",
        "",
        "| data | model | covered | mean width | naive covered | naive width "
        "| scipy covered | scipy width | MAE ours | MAE learning-curves |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for d in DATASETS:
        for m in MODELS:
            sub = [r for r in rows if r["data"] == d and r["model"] == m]
            sp = [r for r in sub if r["peer"] is not None and np.isfinite(r["peer"])]
            lines.append(
                f"| {d} | {m} | {sum(r['covered'] for r in sub)}/{len(sub)} | "
                f"{np.mean([r['width'] for r in sub]):.4f} | "
                f"{sum(r['naive_covered'] for r in sub)}/{len(sub)} | "
                f"{np.mean([r['naive_width'] for r in sub]):.4f} | "
                f"{sum(r['scipy_covered'] for r in sub)}/{len(sub)} | "
                f"{np.mean([r['scipy_width'] for r in sub]):.4f} | "
                f"{np.mean([abs(r['pred'] - r['realised']) for r in sub]):.4f} | "
                + (f"{np.mean([abs(r['peer'] - r['realised']) for r in sp]):.4f} |" if sp
                   else "n/a |")
            )
    text = "\n".join(lines) + "\n" + _DIAGNOSIS
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
