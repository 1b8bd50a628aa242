"""Gates on a replay's small holdouts that lack a class the models predict.

With rare positives a gate's holdout (the newest ``gate_holdout`` share of the
window) often holds one class. The models' probabilities then had no column
of the holdout's classes to go in, and a probability gate (``log_loss``)
raised "GateContext with challenger_proba" midway through the replay. The
gates are now given the problem's labels (``GateContext(classes=...)``).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.gates import MetricThreshold, NoRegression
from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay


def _rare_positives():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 3))
    y = (X[:, 0] + rng.normal(size=3000) > 3.2).astype(int)  # about 1 % positives
    return X, y


def _run(gates):
    X, y = _rare_positives()
    return replay(X, y, LogisticRegression(), {"p": Periodic(every=300)},
                  initial_train_size=500, window=SlidingWindow(200), gates=gates,
                  gate_holdout=0.1)


@pytest.mark.parametrize("metric", ["log_loss", "brier"])
def test_probability_gates_judge_a_one_class_holdout(metric):
    result = _run([NoRegression(metric, margin=0.01)])
    judged = [e for e in result.runs["p"].events if e.gate_reasons]
    assert judged  # the gates ran, and no event raised
    # a holdout of one class lacks the positive class the models know: judged all the same
    assert any("gate(s) passed" in " ".join(e.gate_reasons) for e in judged)


def test_roc_auc_on_a_one_class_holdout_is_skipped_not_raised():
    result = _run([MetricThreshold("roc_auc", minimum=0.5)])
    reasons = [" ".join(e.gate_reasons) for e in result.runs["p"].events if e.gate_reasons]
    assert any("skipped" in r for r in reasons)
