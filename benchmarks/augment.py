"""Time mllifecycle.augment against imbalanced-learn on 100,000 x 20, 1:20 classes.

Run: python benchmarks/augment.py [--repeats 5] [--out FILE]

For each method both libraries resample the same data in the same process;
the figure is the median of ``--repeats`` runs (interleaved, alternating which
library goes first). The time spent in neighbour searches is measured
separately by wrapping scikit-learn's ``NearestNeighbors.fit`` and
``.kneighbors`` (which both libraries call) and mllifecycle's bounded
all-rows search (``mllifecycle.augment._knn.kneighbors_all``) with one timer
that counts nested calls once.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

_NN_SECONDS = [0.0]
_DEPTH = [0]


def _timed(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _DEPTH[0]:  # inside a timed search already: count it once
            return method(*args, **kwargs)
        _DEPTH[0] += 1
        t0 = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            _NN_SECONDS[0] += time.perf_counter() - t0
            _DEPTH[0] -= 1

    return wrapper


NearestNeighbors.fit = _timed(NearestNeighbors.fit)
NearestNeighbors.kneighbors = _timed(NearestNeighbors.kneighbors)


def _time_our_search() -> None:
    import mllifecycle.augment._knn as knn
    import mllifecycle.augment._smote as smote_module

    knn.kneighbors_all = _timed(knn.kneighbors_all)
    smote_module.kneighbors_all = knn.kneighbors_all  # type: ignore[attr-defined]


def run(fn: Callable[[], Any]) -> tuple[float, float]:
    _NN_SECONDS[0] = 0.0
    t0 = time.perf_counter()
    fn()
    total = time.perf_counter() - t0
    return total, _NN_SECONDS[0]


def _machine() -> str:
    import os

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical cores"


def _load() -> str:
    import os

    try:
        return ", ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "unavailable"


def _check_same_neighbours(X: Any, y: Any) -> str:
    """Both libraries call the same search; check it gives the same neighbours."""
    from imblearn.over_sampling import BorderlineSMOTE

    from mllifecycle.augment import borderline_smote
    from mllifecycle.augment._common import neighbors_within
    from mllifecycle.augment._smote import _all_index, _query_all

    minority = np.flatnonzero(y == 1)
    # the search borderline_smote makes: bounded by the within-class neighbours
    within = neighbors_within(X[minority], 10, None)
    ours = _query_all(X, minority, 10, None, _all_index(X, None), within)
    nn = NearestNeighbors(n_neighbors=11).fit(X)
    theirs = nn.kneighbors(X[minority], return_distance=False)[:, 1:]
    same = float(np.mean([set(a) == set(b) for a, b in zip(ours, theirs, strict=True)]))
    Xa, ya = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    Xo, yo = borderline_smote(X, y, rng=0)
    assert np.bincount(ya).tolist() == np.bincount(yo).tolist(), "class counts differ"
    assert np.array_equal(Xa[: len(y)], Xo[: len(y)]), "original rows differ"
    # the danger rows of Borderline-SMOTE, from our search and from scikit-learn's
    def danger(nbrs: Any) -> Any:
        n_other = (y[nbrs] != 1).sum(axis=1)
        return minority[(n_other >= 5) & (n_other < 10)]

    same_danger = np.array_equal(danger(ours), danger(theirs))
    assert same_danger, "danger rows differ"
    return (f"the minority rows' 10-neighbour lists (our bounded search vs scikit-learn's "
            f"NearestNeighbors, as imbalanced-learn calls it) are identical for "
            f"{100 * same:.2f} % of rows; the {danger(ours).size} danger rows are identical; "
            "Borderline-SMOTE-1 class counts and original rows identical; synthetic rows "
            "differ as each library draws its own random numbers (ADASYN's totals differ "
            "by design: imbalanced-learn rounds each row's share, we apportion exactly)")


def main() -> None:
    import imblearn
    import sklearn
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE

    from mllifecycle.augment import adasyn, borderline_smote, smote

    _time_our_search()
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--out", default=None, help="write the markdown here")
    args = parser.parse_args()

    X, y = make_classification(
        n_samples=args.n, n_features=20, n_informative=5, weights=[20 / 21],
        flip_y=0.01, random_state=0,
    )
    versions = (f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
                f"imbalanced-learn {imblearn.__version__}, python {platform.python_version()}")
    import os

    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    lines = [f"data: {X.shape}, class counts {np.bincount(y).tolist()}", versions,
             f"OMP_NUM_THREADS={threads} (scikit-learn's search and ours use every core)",
             f"machine: {_machine()}", f"load average before: {_load()}"]
    lines.append("check: " + _check_same_neighbours(X, y))
    for ln in lines:
        print(ln, flush=True)
    methods = {
        "SMOTE": (lambda: smote(X, y, rng=0),
                  lambda: SMOTE(random_state=0).fit_resample(X, y)),
        "Borderline-SMOTE-1": (
            lambda: borderline_smote(X, y, rng=0),
            lambda: BorderlineSMOTE(random_state=0).fit_resample(X, y)),
        "Borderline-SMOTE-2": (
            lambda: borderline_smote(X, y, kind="borderline-2", rng=0),
            lambda: BorderlineSMOTE(kind="borderline-2",
                                    random_state=0).fit_resample(X, y)),
        "ADASYN": (lambda: adasyn(X, y, rng=0),
                   lambda: ADASYN(random_state=0).fit_resample(X, y)),
    }
    # warm up imports and caches
    smote(X[:2000], y[:2000], rng=0)
    SMOTE(random_state=0).fit_resample(X[:2000], y[:2000])
    rows = []
    for name, (ours, theirs) in methods.items():
        o, t = [], []
        for rep in range(args.repeats):
            # alternate who goes first, so neither always runs after the other
            if rep % 2 == 0:
                o.append(run(ours))
                t.append(run(theirs))
            else:
                t.append(run(theirs))
                o.append(run(ours))
        ratios = [b[0] / a[0] for a, b in zip(o, t, strict=True)]  # per pair of runs
        rows.append((name, [r[0] for r in o], [r[0] for r in t], ratios,
                     statistics.median(r[1] for r in o), statistics.median(r[1] for r in t)))
        print(name, "done", flush=True)

    def mmm(v: list[float], fmt: str = ".3f") -> str:
        return (f"{min(v):{fmt}} / {statistics.median(v):{fmt}} / {max(v):{fmt}}")

    head = ("| method | ours (s) min / median / max | imblearn (s) min / median / max "
            "| speed-up per pair min / median / max | ours search (s, median) "
            "| imblearn search (s, median) | >= 1x in every pair |")
    table = [head, "|" + " --- |" * 7]
    for name, ot, tt, ratios, onn, tnn in rows:
        table.append(f"| {name} | {mmm(ot)} | {mmm(tt)} | {mmm(ratios, '.2f')} | "
                     f"{onn:.3f} | {tnn:.3f} | {'yes' if min(ratios) >= 1.0 else 'no'} |")
    lines.append(f"load average after: {_load()}")
    out = "\n".join([*lines, "", *table])
    print(out)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(out + "\n")


if __name__ == "__main__":
    main()
