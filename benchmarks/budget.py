"""Learning-curve extrapolation on scikit-learn's bundled data sets.

For each (data set, model, seed): measure 5-fold cross-validated accuracy at
six training sizes up to 20 % of the full training size, fit the curve, and
predict the accuracy at the full training size (4/5 of the rows). The realised
5-fold accuracy at the full size is measured with the same splitter. Reported:

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

Run: python benchmarks/budget.py [--seeds 5] [--seed-start 0] [--out benchmarks/results/budget.md]
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
from sklearn.model_selection import StratifiedKFold, learning_curve
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
machine, same day): coverage 100.0 % (naive 95.6 %, scipy 93.3 %), mean width
0.0831 (naive 0.0779, scipy 0.1634), MAE 0.0172 (learning-curves 0.0447).

What changed since the last record (0.0861 wide, 95.6 % covered; hold-out
0.0919, 100 %), each step measured on seeds 0-4 / hold-out 5-9 (width,
coverage): (1) for a metric bounded on the side the curve moves toward, the
log-linear law, which crosses the bound, is left out of the family choice and
of the mixture (its draws, clipped at 1.0, set the upper end):
0.0732 / 93.3 %, 0.0824 / 100 %; (2) the mixture weights are pseudo-BMA+
weights from the predictive density of held-out extrapolations (each prefix of
the sizes predicting every larger size, with the measured noise plus the
prefix fit's bootstrap variance): 0.0720 / 93.3 %, 0.0810 / 100 %, MAE 0.0203
-> 0.0167; (3) beyond the largest size each draw is at least its resampled mean
there (curves do not fall in expectation), the new measurement's noise scales
as a proportion's binomial variance, the interval is the shortest one holding
90 % of the draws, and each family's refits are widened about its fit by
t(4)/z = 1.30 (a bootstrap of 5 folds has normal, not Student, tails;
Hesterberg 2015): 0.0752 / 95.6 %, 0.0831 / 100 %.

Why the width goal is still not met: without the t(4)/z widening the interval
is narrower than the naive one on both seed sets (0.0633 / 93.3 %, 0.0706 /
97.8 %), but on the simulated laws of the tests (5 folds, known noise) its 90 %
interval covers only 80.0 %, 83.3 % and 83.3 % (inverse power with and without
shared fold effects, exponential; 60 trials each, SE 3.9 %) and 86.7 % / 83.3 %
with binomial accuracies; with it, 91.7 %, 90.0 %, 93.3 % and 90.0 % / 88.3 %.
The widening is what makes the interval honest with 5 folds, and it costs the
width on these data: the goal's two halves are not met together by any
interval tried that keeps nominal coverage on the simulated laws. Most of the
excess is wine (178 rows: six sizes from 15 to 30 rows extrapolated to 142,
with single folds jumping from 0.53 to 1.0), where the naive [last, 1.0] is
hard to beat; on digits the interval is narrower than naive for all three
models. Tried and dropped (seeds 0-4 / 5-9): the interval conditional on the
shared test folds (fold main effects removed from the resampled folds, noise
from the fold-by-size interaction): 0.0823 / 0.0905, no narrower; a normal
interval from the draws' quartiles: 0.0915 / 0.0990; deeper bootstrap
quantiles at the t level instead of widening the refits (it widens the
spread between families too): 0.0799 / 0.0904; forward errors of every later
size instead of the next one as weights: 0.0721 / 0.0817 (no gain beyond
pseudo-BMA+). On real data the coverage is conservative at 90 % but about
nominal at 50 % and 70 % (44 % / 60 % and 76 % / 82 % with the deeper-quantile
variant), so the excess sits in the tails of the fold bootstrap; the seeds of
one data set and model are not independent cases (9 pairs), so 45 cases
measure coverage loosely.
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-start", type=int, default=0,
                    help="first seed (5 with --seeds 5: the hold-out seeds 5-9)")
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
                cv = StratifiedKFold(5, shuffle=True, random_state=seed)
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
        + (f" --seed-start {args.seed_start}" if args.seed_start else "") + "`. "
        f"{len(rows)} cases: data sets {', '.join(DATASETS)} x models "
        f"{', '.join(MODELS)} x {args.seeds} seeds; curves fitted on six sizes up to 20 % "
        "of the full training size (4/5 of the rows), predicted at the full size.",
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
