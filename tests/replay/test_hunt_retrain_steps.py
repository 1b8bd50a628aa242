"""PolicyRun.retrain_steps lists the retrains paid for (one per ``retrains``), not skipped ones."""

from __future__ import annotations

import numpy as np
from sklearn.naive_bayes import GaussianNB

from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
X = rng.normal(size=(600, 2))
Y = (X[:, 0] > 0).astype(int)


class Refuse:
    """A gate that refuses every challenger."""

    def check(self, context):
        return type("R", (), {"passed": False, "reasons": ["refused"]})()


def test_skipped_retrains_are_not_retrain_steps():
    y = Y.copy()
    y[300:] = 1  # a single class in every later window: those retrains are skipped
    run = replay(X, y, GaussianNB(), {"p": Periodic(every=100)}, initial_train_size=200,
                 batch_size=100, window=SlidingWindow(50))["p"]
    skipped = [e for e in run.events if not e.fitted]
    assert skipped
    assert all("skipped" in e.reason and not e.deployed for e in skipped)
    assert len(run.retrain_steps) == run.retrains == len(run.events) - len(skipped)
    assert run.retrain_steps == tuple(e.step for e in run.events if e.fitted)
    assert run.events[-1].to_dict()["fitted"] is False


def test_gate_refused_retrains_are_retrain_steps():
    # refused by a gate: a model was fitted and paid for, so it counts (not deployed)
    run = replay(X, Y, GaussianNB(), {"p": Periodic(every=100)}, initial_train_size=200,
                 batch_size=100, gates=[Refuse()])["p"]
    assert run.retrains == 4
    assert run.deployments == 0
    assert run.retrain_steps == (300, 400, 500, 600)
    assert all(e.fitted and not e.deployed for e in run.events)
