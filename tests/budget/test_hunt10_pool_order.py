"""redundancy: a pool of workers listed in another order is the same pool."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import redundancy


@pytest.mark.parametrize("n_classes", [2, 3])
def test_pool_order_does_not_change_the_plan(n_classes):
    pool = np.array([0.6, 0.7, 0.8, 0.65, 0.9])
    kw = {"n_classes": n_classes, "n_simulations": 5000, "price_per_answer": 0.1, "rng": 0}
    a = redundancy(pool, 0.9, **kw)
    for order in ([3, 1, 4, 0, 2], [4, 3, 2, 1, 0]):
        b = redundancy(pool[order], 0.9, **kw)
        assert a == b
        assert a.to_dict() == b.to_dict()


def test_seed_kinds_agree():
    pool = [0.6, 0.7, 0.8, 0.65, 0.9]
    a = redundancy(pool, 0.9, n_simulations=5000, rng=np.random.SeedSequence(1))
    b = redundancy(pool, 0.9, n_simulations=5000, rng=np.random.SeedSequence(1))
    c = redundancy(pool, 0.9, n_simulations=5000, rng=np.random.default_rng(1))
    d = redundancy(pool, 0.9, n_simulations=5000, rng=1)
    assert a.to_dict() == b.to_dict()
    assert c.to_dict() == d.to_dict()
