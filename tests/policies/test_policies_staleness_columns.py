"""OnStaleness: the per-age bounds kept between looks give the array computation's answers.

``OnStaleness._judge`` computes each age's bound once its blocks are
complete, in Python floats, and keeps it for the model's life;
``_judge_arrays`` recomputes every age on arrays at each look (and answers
when the counts are not whole numbers). Fed the same states, the two must
give the same decisions, reasons and change points, step by step.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.policies import LifecycleState, OnStaleness


class ArraysOnly(OnStaleness):
    """OnStaleness judged on arrays only (the computation the kept bounds replace)."""

    def _bounds(self, k):
        return None


def _states(seed, n_steps, batch, block, fractional=False):
    """Models that go stale with age, retrained now and then, some change points reported."""
    rng = np.random.default_rng(seed)
    labels, version, age, deployed = 0, 0, 0, 0
    last_cp = None
    for _ in range(n_steps):
        k = int(rng.integers(1, batch + 1))
        rate = min(0.05 + 0.08 * age / block + (0.1 if version % 5 == 3 else 0.0), 0.6)
        xs = (rng.random(k) < rate).astype(float)
        if fractional:
            xs *= rng.choice([0.5, 1.0], size=k)
        labels += k
        age += k
        yield LifecycleState(
            step=labels,
            labels_available=labels,
            new_errors=xs,
            model_version=version,
            deployed_at=deployed,
            last_change_point=last_cp,
        )
        if rng.random() < 0.04 + 0.1 * (age > 4 * block):
            version += 1
            age = 0
            deployed = labels
            if rng.random() < 0.3:
                last_cp = max(0, labels - int(rng.integers(0, 3 * block)))


@pytest.mark.parametrize("robust", [False, True])
@pytest.mark.parametrize(
    ("block", "batch", "n_models", "max_blocks"),
    [
        (100, 30, 8, 64),
        (100, 100, 8, 64),
        (50, 170, 3, 64),  # several blocks complete at one look
        (60, 25, 1, 3),  # ages capped at max_blocks
        (40, 15, 0, 8),  # no retired models
    ],
)
def test_kept_bounds_match_the_arrays(robust, block, batch, n_models, max_blocks):
    kw = {
        "block": block,
        "window": 3 * block,
        "n_models": n_models,
        "max_blocks": max_blocks,
        "robust": robust,
        "threshold": 0.0,
    }
    fast, slow = OnStaleness(**kw), ArraysOnly(**kw)
    fired = 0
    for state in _states(block * 7 + batch, 600, batch, block):
        a, b = fast.should_retrain(state), slow.should_retrain(state)
        assert a.to_dict() == b.to_dict()
        fired += a.retrain
    if not (robust and n_models == 0):  # robust needs a retired model to fire
        assert fired > 0  # the firing branch was compared too


def test_fractional_errors_take_the_arrays():
    kw = {"block": 50, "window": 100, "robust": True, "threshold": 0.0}
    fast, slow = OnStaleness(**kw), ArraysOnly(**kw)
    declined = 0
    for state in _states(3, 300, 40, 50, fractional=True):
        assert fast.should_retrain(state).to_dict() == slow.should_retrain(state).to_dict()
        k = min(fast._age // fast.block, fast.max_blocks - 1)
        declined += k >= 1 and fast._bounds(k) is None
    # the kept bounds decline counts that are not whole numbers
    assert declined > 0


def _array_bounds(p, k):
    """Every age's bound as ``_judge_arrays`` computes it."""
    from mllifecycle.policies._stale import _bound

    models = np.concatenate([p._retired, np.array(p._current)[None]])[:, : k + 1]
    full = models[:, :, 0] >= p.block
    pair = (full & full[:, :1])[:, 1:]
    per = np.stack(
        [
            np.where(pair, models[:, :1, 0], 0.0),
            np.where(pair, models[:, :1, 1], 0.0),
            np.where(pair, models[:, 1:, 0], 0.0),
            np.where(pair, models[:, 1:, 1], 0.0),
        ]
    )
    total = per.sum(axis=1)
    if p.robust:
        return np.min(_bound(total[:, None, :] - per, p.block, p.confidence_level), axis=0)
    return _bound(total, p.block, p.confidence_level)


@pytest.mark.parametrize("robust", [False, True])
def test_kept_bounds_are_the_array_bounds_bit_for_bit(robust):
    p = OnStaleness(block=50, window=150, n_models=4, robust=robust, threshold=1.0)
    looks = 0
    for state in _states(11, 800, 60, 50):
        p.should_retrain(state)  # threshold 1: never fires, every age is judged
        k = min(p._age // p.block, p.max_blocks - 1)
        if k >= 1:
            got = p._bounds(k)
            assert got is not None
            assert np.array_equal(np.array(got), _array_bounds(p, k))
            looks += 1
    assert looks > 100
