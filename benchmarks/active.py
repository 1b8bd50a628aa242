"""Active learning: labels saved by margin / entropy sampling, batch diversity, query time.

Run: OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/active.py [--seeds 3]

1. Labels needed: on digits, breast cancer, wine, a synthetic 5,000 x 20
   set (5 classes, ``make_classification``) and a second synthetic set on
   which logistic regression is the right model (5 Gaussian classes with one
   shared covariance), ``simulate`` runs margin, entropy and random sampling
   from the same initial labels (2 per class) with a standardised logistic
   regression; the figure is the labels margin/entropy needed to reach random
   sampling's final held-out accuracy, as a fraction of random's labels (goal
   <= 0.60), per data set and seed. The ceiling column is the same model
   fitted on the whole pool.
2. Why entropy misses on the make_classification set: the rows each
   strategy bought, scored by the whole-pool model (its error rate there),
   and the final accuracy.
3. Batch size 50: k-center greedy (whole pool, and restricted to the
   3 x batch lowest-margin rows) and cluster-margin against top-k margin
   (area under the learning curve) on the synthetic set and digits.
4. Query time on a 50,000 x 20 pool (batch 10 and 100) for margin and entropy
   against scikit-activeml's UncertaintySampling with the same fitted model,
   and k-center greedy against its CoreSet; the chosen indices are checked
   equal first; min / median / max of --repeats runs, alternating which
   library goes first.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent


def model() -> object:
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def linear_set(seed: int = 0, n: int = 5000, d: int = 20, k: int = 5
               ) -> tuple[np.ndarray, np.ndarray]:
    """k Gaussian classes with one shared covariance: logistic regression is well specified."""
    r = np.random.default_rng(seed)
    means = r.normal(scale=0.25, size=(k, d))
    A = r.normal(size=(d, d)) / np.sqrt(d)
    y = r.integers(k, size=n)
    return means[y] + r.normal(size=(n, d)) @ A.T, y


def datasets() -> dict[str, tuple[np.ndarray, np.ndarray, int, int]]:
    """name -> (X, y, budget, batch_size)."""
    Xs, ys = make_classification(n_samples=5000, n_features=20, n_informative=8,
                                 n_redundant=4, n_classes=5, n_clusters_per_class=1,
                                 class_sep=1.2, random_state=0)
    return {
        "digits": (*load_digits(return_X_y=True), 300, 10),
        "breast cancer": (*load_breast_cancer(return_X_y=True), 100, 5),
        "wine": (*load_wine(return_X_y=True), 60, 2),
        "synthetic 5000x20": (Xs, ys, 400, 20),
        "synthetic linear 5000x20": (*linear_set(), 400, 20),
    }


def ceiling(X: np.ndarray, y: np.ndarray, seed: int) -> float:
    """Held-out accuracy of the model fitted on the whole pool (simulate's split)."""
    from sklearn.model_selection import train_test_split

    # simulate draws its split seed first from rng=seed
    split = int(np.random.default_rng(seed).integers(2**31 - 1))
    Xp, Xt, yp, yt = train_test_split(X, y, test_size=0.25, stratify=y, random_state=split)
    return float(model().fit(Xp, yp).score(Xt, yt))  # type: ignore[attr-defined]


def main() -> None:
    import skactiveml
    import sklearn
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import CoreSet, UncertaintySampling

    from mllifecycle.labels import (
        ActiveLearner,
        cluster_margin,
        entropy,
        k_center_greedy,
        margin,
        random_sampling,
        simulate,
    )

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    lines = [
        "# Active learning: labels saved, batch diversity, query time",
        "",
        f"Command: `OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/active.py "
        f"--seeds {args.seeds} --repeats {args.repeats}` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at start; python "
        f"{platform.python_version()}, numpy "
        f"{np.__version__}, scikit-learn {sklearn.__version__}, scikit-activeml "
        f"{skactiveml.__version__}.",
        "",
        "## Labels needed to reach random sampling's final accuracy",
        "",
        "Standardised logistic regression, 25 % test split, 2 initial labels per class; "
        "fraction = labels margin/entropy needed / labels random used (goal <= 0.60); "
        "random final acc = the mean of 5 random-sampling runs from the same initial labels "
        "(`simulate`'s default `n_random=5`); "
        "'never' = not reached within the budget; ceiling = the same model fitted on the "
        "whole pool.",
        "",
        "| data set | budget (batch) | seed | ceiling | random final acc "
        "| margin labels (fraction) | entropy labels (fraction) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    fractions: dict[str, list[float]] = {"margin": [], "entropy": []}
    for name, (X, y, budget, batch) in datasets().items():
        for seed in range(args.seeds):
            cells = []
            for strat in (margin, entropy):
                r = simulate(X, y, model(), strat, budget=budget, batch_size=batch, rng=seed)
                frac = r.label_fraction
                fractions[strat.__name__].append(frac if frac == frac else 1.0)
                cells.append(f"{r.labels_to_match_random} ({frac:.2f})"
                             if r.labels_to_match_random is not None else "never")
            lines.append(f"| {name} | {budget} ({batch}) | {seed} | {ceiling(X, y, seed):.3f} "
                         f"| {r.random_scores[-1]:.3f} | {cells[0]} | {cells[1]} |")
            print(lines[-1])
    for k, v in fractions.items():
        lines.append(f"\n{k}: median fraction {statistics.median(v):.2f}, "
                     f"max {max(v):.2f} over {len(v)} runs ('never' counted as 1.0).")
    # -------------------------------------------------- why entropy misses
    from sklearn.model_selection import train_test_split

    lines += ["", "## Which rows entropy buys on the make_classification set", "",
              "Same protocol (budget 400, batch 20) run with ActiveLearner; the bought rows "
              "are scored by the model fitted on the whole pool: its error rate on them "
              "(high = rows a linear model cannot get right however many labels it has) and "
              "its mean predictive entropy there.", "",
              "| seed | strategy | final acc | whole-pool model's error on bought rows "
              "| whole-pool entropy of bought rows |", "| --- | --- | --- | --- | --- |"]
    X, y, budget, batch = datasets()["synthetic 5000x20"]
    for seed in range(min(args.seeds, 3)):
        Xp, Xt, yp, yt = train_test_split(X, y, test_size=0.25, stratify=y,
                                          random_state=seed)
        full = model().fit(Xp, yp)  # type: ignore[attr-defined]
        P = np.clip(full.predict_proba(Xp), 1e-300, 1)
        wrong = full.predict(Xp) != yp
        ent = -(P * np.log(P)).sum(axis=1)
        g = np.random.default_rng(seed)
        start = np.r_[[g.choice(np.flatnonzero(yp == c)) for c in np.unique(yp)],
                      g.choice(len(yp), 5, replace=False)]
        start = np.unique(start)
        pool = np.setdiff1d(np.arange(len(yp)), start)
        for strat in (margin, entropy, random_sampling):
            al = ActiveLearner(estimator=model(), strategy=strat, batch_size=batch,
                               budget=budget, rng=seed)
            al.fit(Xp[pool], Xp[start], yp[start]).run(lambda i, p=pool, t=yp: t[p][i])
            bought = pool[al.labelled_indices_]
            lines.append(f"| {seed} | {strat.__name__} | {al.estimator_.score(Xt, yt):.3f} | "
                         f"{wrong[bought].mean():.3f} | {ent[bought].mean():.3f} |")
            print(lines[-1])
    lines += ["", "## Batch size 50: batch-diverse vs top-k margin", "",
              "Area under the learning curve (mean held-out accuracy over the label "
              "range); difference to top-k margin, per seed.", "",
              "| data set | seed | top-k margin | k-center greedy (whole pool) "
              "| k-center greedy (3 x batch lowest-margin rows) | cluster-margin |",
              "| --- | --- | --- | --- | --- | --- |"]
    data = datasets()
    def k_center_hybrid(est: object, Xq: np.ndarray, **kw: object) -> object:
        return k_center_greedy(est, Xq, candidate_factor=3.0, **kw)  # type: ignore[arg-type]

    wins = {"k_center_greedy": 0, "k_center_hybrid": 0, "cluster_margin": 0}
    runs = 0
    for name in ("synthetic 5000x20", "digits"):
        X, y, _, _ = data[name]
        for seed in range(args.seeds):
            res = {s.__name__: simulate(X, y, model(), s, budget=500, batch_size=50,
                                        rng=seed).area
                   for s in (margin, k_center_greedy, k_center_hybrid, cluster_margin)}
            runs += 1
            for k in wins:
                wins[k] += res[k] > res["margin"]
            cells = " | ".join(f"{res[k]:.4f} ({res[k] - res['margin']:+.4f})" for k in wins)
            lines.append(f"| {name} | {seed} | {res['margin']:.4f} | {cells} |")
            print(lines[-1])
    lines.append("\ncluster-margin runs with its default candidate_factor=3, chosen on seeds "
                 "0-3 of these two data sets (factors 2, 3, 5, 10 tried); seeds >= 4 are "
                 "out of sample. The k-center hybrid takes the same factor 3 (not tuned "
                 "for it).")
    lines.append(f"\nBeat top-k margin: k-center greedy (whole pool) "
                 f"{wins['k_center_greedy']}/{runs}, k-center greedy (3 x batch candidates) "
                 f"{wins['k_center_hybrid']}/{runs}, cluster-margin "
                 f"{wins['cluster_margin']}/{runs}.")
    # query time
    rng = np.random.default_rng(0)
    Xp = rng.normal(size=(50_000, 20))
    yp = (Xp[:, :3].sum(axis=1) + 0.5 * rng.normal(size=50_000) > 0).astype(int)
    ylab = np.full(50_000, np.nan)
    ylab[:200] = yp[:200]
    clf = SklearnClassifier(LogisticRegression(), classes=[0, 1]).fit(Xp, ylab)
    pool = Xp[200:]
    lines += ["", "## Query time on a 50,000 x 20 pool", "",
              "Same fitted logistic regression; scikit-activeml gets the full data with "
              "NaN for unlabelled rows and `fit_clf=False`. k-center greedy: ours gets "
              "the 200 labelled rows as `X_labelled`, CoreSet the same NaN-marked data. "
              "Same indices chosen (checked before timing).", "",
              "| strategy | batch | ours ms (min/med/max) | scikit-activeml ms | ratio |",
              "| --- | --- | --- | --- | --- |"]
    for ours, theirs in ((margin, "margin_sampling"), (entropy, "entropy")):
        qs = UncertaintySampling(method=theirs, random_state=0)
        for batch in (10, 100):
            a = ours(clf.estimator_, pool, batch_size=batch, rng=0).indices + 200
            b = qs.query(Xp, ylab, clf, fit_clf=False, batch_size=batch)
            assert set(a.tolist()) == set(np.asarray(b).tolist()), (theirs, batch)
            t_o, t_s = [], []
            for r in range(args.repeats):
                for which in ((0, 1) if r % 2 == 0 else (1, 0)):
                    t0 = time.perf_counter()
                    if which == 0:
                        ours(clf.estimator_, pool, batch_size=batch, rng=0)
                        t_o.append(1000 * (time.perf_counter() - t0))
                    else:
                        qs.query(Xp, ylab, clf, fit_clf=False, batch_size=batch)
                        t_s.append(1000 * (time.perf_counter() - t0))
            lines.append(f"| {ours.__name__} | {batch} | {min(t_o):.1f} / "
                         f"{statistics.median(t_o):.1f} / {max(t_o):.1f} | {min(t_s):.1f} / "
                         f"{statistics.median(t_s):.1f} / {max(t_s):.1f} | "
                         f"{statistics.median(t_s) / statistics.median(t_o):.1f}x |")
            print(lines[-1])
    cs = CoreSet(random_state=0)
    for batch in (10, 100):
        a = k_center_greedy(None, pool, batch_size=batch, X_labelled=Xp[:200],
                            rng=0).indices + 200
        b = cs.query(Xp, ylab, batch_size=batch)
        assert a.tolist() == np.asarray(b).tolist(), ("core-set", batch)
        t_o, t_s = [], []
        for r in range(args.repeats):
            for which in ((0, 1) if r % 2 == 0 else (1, 0)):
                t0 = time.perf_counter()
                if which == 0:
                    k_center_greedy(None, pool, batch_size=batch, X_labelled=Xp[:200], rng=0)
                    t_o.append(1000 * (time.perf_counter() - t0))
                else:
                    cs.query(Xp, ylab, batch_size=batch)
                    t_s.append(1000 * (time.perf_counter() - t0))
        lines.append(f"| k_center_greedy (vs CoreSet) | {batch} | {min(t_o):.1f} / "
                     f"{statistics.median(t_o):.1f} / {max(t_o):.1f} | {min(t_s):.1f} / "
                     f"{statistics.median(t_s):.1f} / {max(t_s):.1f} | "
                     f"{statistics.median(t_s) / statistics.median(t_o):.1f}x |")
        print(lines[-1])
    load = os.getloadavg()
    lines += ["", f"Load average at the end (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / "
              f"{load[2]:.1f}."]
    out = HERE / "results" / "active.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
