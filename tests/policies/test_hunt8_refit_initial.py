"""OnDrift(refit_initial=True) refits at every count beyond the first model's training rows.

The stages the first model's training set covers were counted on the labels
of the first decision, its batch's included: a model trained on 950 rows
whose first batch brought 100 labels skipped the refit at 1000 labels (and
one trained on 1950 the refit at 2000), against the documented "as the
labels reach the counts in refits beyond those it was trained on".
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.policies import LifecycleState, OnDrift
from mllifecycle.replay import replay

REFITS = (500, 1000, 2000, 4000)


class _Never:
    """A streaming detector that never fires (only the staged refits retrain)."""

    drift_detected = False

    def update(self, x):
        return False

    def update_many(self, xs):
        return np.array([], dtype=np.intp)

    def reset(self):
        pass


def _expected(trained: int, steps: list[int]) -> list[int]:
    """The steps at which the labels first reach each count beyond ``trained``."""
    out = []
    for k in (k for k in REFITS if k > trained):
        hit = next((s for s in steps if s >= k), None)
        if hit is not None and hit not in out:
            out.append(hit)
    return out


@pytest.mark.parametrize("trained", [450, 950, 1000, 1950, 3999])
def test_hand_built_states_refit_at_each_count_beyond_the_training_rows(trained):
    p = OnDrift(_Never(), refit_initial=True)
    steps = list(range(trained + 100, 4600, 100))
    fired = []
    for s in steps:
        d = p.should_retrain(LifecycleState(step=s, labels_available=s,
                                            new_errors=np.zeros(100)))
        if d.retrain:
            fired.append(s)
            assert d.change_point == 0
    assert fired == _expected(trained, steps)


@pytest.mark.parametrize("init", [950, 1950])
def test_replay_refits_the_first_model_at_the_first_count_beyond_it(init):
    rng = np.random.default_rng(0)
    n = 4200
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    run = replay(X, y, LogisticRegression(), {"p": OnDrift(_Never(), refit_initial=True)},
                 initial_train_size=init, batch_size=100)["p"]
    steps = list(range(init + 100, n + 1, 100))
    assert list(run.retrain_steps) == _expected(init, steps)
    assert all(e.train_start == 0 and e.train_stop == e.step for e in run.events)
