"""Distance-based query strategies refuse columns typed categorical.

k-center greedy, density weighting and cluster-margin take distances (or
cosine similarities) on the pool's rows: a pandas ``Categorical`` of ints was
used as coordinates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import cluster_margin, density_weighted, k_center_greedy, margin

_g = np.random.default_rng(0)
POOL = pd.DataFrame({"a": _g.normal(size=60), "grade": pd.Categorical(_g.integers(0, 3, 60))})
NUM = POOL.assign(grade=POOL["grade"].astype(int))
MODEL = LogisticRegression().fit(NUM.to_numpy(), (NUM["a"] > 0).astype(int))


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: k_center_greedy(MODEL, POOL, batch_size=3, rng=0), "X_pool"),
        (lambda: k_center_greedy(MODEL, NUM, batch_size=3, X_labelled=POOL.iloc[:2], rng=0),
         "X_labelled"),
        (lambda: density_weighted(MODEL, POOL, batch_size=3, rng=0), "X_pool"),
        (lambda: cluster_margin(MODEL, POOL, batch_size=3, rng=0), "X_pool"),
    ],
    ids=["k-center", "k-center-labelled", "density", "cluster-margin"],
)
def test_distance_strategies_refuse_categorical_typed_columns(call, arg):
    with pytest.raises(InvalidParameterError, match=rf"'{arg}'.*column 'grade' of categorical"):
        call()


def test_with_an_embedding_k_center_accepts_them():
    q = k_center_greedy(MODEL, POOL, batch_size=3, rng=0,
                        embedding=lambda x: np.asarray(x, dtype=float)[:, :1])
    assert len(q.indices) == 3


def test_uncertainty_strategies_do_not_take_distances():
    assert len(margin(MODEL, NUM, batch_size=3, rng=0).indices) == 3
    assert len(k_center_greedy(MODEL, NUM, batch_size=3, rng=0).indices) == 3
