"""transfer_gain: the target-only baseline and finetune's model share their seed."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from mllifecycle.transfer import transfer_gain


def _data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(300, 3))
    ys = (xs[:, 0] > 0).astype(int)
    xt = rng.normal(size=(60, 3))
    yt = (xt[:, 0] + xt[:, 1] + rng.normal(0, 0.5, 60) > 0).astype(int)
    return (xs, ys), (xt, yt)


def test_zero_source_weight_gives_zero_gain_with_a_random_forest() -> None:
    # source_weight=0 makes finetune fit the target rows alone: the same model
    # as the baseline, so every per-split difference must be exactly 0 (it was
    # up to 0.25 from the two models' different random seeds)
    source, target = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = transfer_gain(RandomForestClassifier(n_estimators=10), source, target,
                            finetune_params={"source_weight": 0.0}, rng=0)
    assert res.details["differences"] == [0.0] * res.n_splits
    assert res.gain == 0.0
    assert res.verdict == "no detectable effect"
