"""Time mllifecycle.augment against imbalanced-learn on 100,000 x 20, 1:20 classes.

Run: python benchmarks/augment.py [--repeats 3]

For each method both libraries resample the same data in the same process;
the figure is the median of ``--repeats`` runs (interleaved, alternating which
library goes first). The time spent
in scikit-learn's neighbour search (``NearestNeighbors.fit`` and
``.kneighbors``, which both libraries call) is measured separately by wrapping
those two methods with a timer, so "outside NN" is total minus that.
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


def _timed(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            _NN_SECONDS[0] += time.perf_counter() - t0

    return wrapper


NearestNeighbors.fit = _timed(NearestNeighbors.fit)
NearestNeighbors.kneighbors = _timed(NearestNeighbors.kneighbors)


def run(fn: Callable[[], Any]) -> tuple[float, float]:
    _NN_SECONDS[0] = 0.0
    t0 = time.perf_counter()
    fn()
    total = time.perf_counter() - t0
    return total, _NN_SECONDS[0]


def main() -> None:
    import imblearn
    import sklearn
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE

    from mllifecycle.augment import adasyn, borderline_smote, smote

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()

    X, y = make_classification(
        n_samples=args.n, n_features=20, n_informative=5, weights=[20 / 21],
        flip_y=0.01, random_state=0,
    )
    print(f"data: {X.shape}, class counts {np.bincount(y).tolist()}")
    print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
          f"imbalanced-learn {imblearn.__version__}, python {platform.python_version()}")
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
        ot = statistics.median(r[0] for r in o)
        tt = statistics.median(r[0] for r in t)
        onn = statistics.median(r[1] for r in o)
        tnn = statistics.median(r[1] for r in t)
        orest = statistics.median(r[0] - r[1] for r in o)
        trest = statistics.median(r[0] - r[1] for r in t)
        rows.append((name, ot, tt, tt / ot, onn, tnn, orest, trest, trest / orest))
    head = ("| method | ours total (s) | imblearn total (s) | speed-up | ours NN (s) "
            "| imblearn NN (s) | ours outside NN (s) | imblearn outside NN (s) "
            "| outside-NN speed-up |")
    print(head)
    print("|" + " --- |" * 9)
    for r in rows:
        print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.2f}x | {r[4]:.3f} | "
              f"{r[5]:.3f} | {r[6]:.3f} | {r[7]:.3f} | {r[8]:.2f}x |")


if __name__ == "__main__":
    main()
