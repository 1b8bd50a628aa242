from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.naive_bayes import GaussianNB

from mllifecycle.policies import ExpandingWindow, Periodic, SlidingWindow
from mllifecycle.replay import replay


# a delay beyond the stream warns that no label arrives; the invariants still hold
@pytest.mark.filterwarnings("ignore:replay. label_delay=.*no label arrives")
@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(200, 700),
    init=st.integers(20, 150),
    batch=st.integers(5, 120),
    delay=st.integers(0, 250),
    every=st.integers(1, 300),
    size=st.integers(2, 200),
    seed=st.integers(0, 2**16),
    rc=st.floats(0, 50),
    ec=st.floats(0, 5),
)
# no label ever arrives (delay >= n - init): found by CI once the replay warned of it
@example(n=200, init=20, batch=5, delay=180, every=1, size=2, seed=0, rc=0.0, ec=0.0)
def test_replay_invariants(n, init, batch, delay, every, size, seed, rc, ec):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] + rng.normal(scale=0.5, size=n) > 0).astype(int)
    y[:2] = [0, 1]  # the initial window always holds both classes
    r = replay(
        X,
        y,
        GaussianNB(),
        {"p": Periodic(every=every), "e": Periodic(every=every)},
        window={"p": SlidingWindow(size), "e": ExpandingWindow()},
        initial_train_size=init,
        batch_size=batch,
        label_delay=delay,
        retrain_cost=rc,
        error_cost=ec,
    )
    ends = set(range(init + batch, n, batch)) | {n}
    for run in r.runs.values():
        assert 0.0 <= run.accuracy <= 1.0
        assert run.n_evaluated == n - init
        assert run.errors == round((1 - run.accuracy) * run.n_evaluated)
        assert np.isclose(run.cost, run.retrains * rc + run.errors * ec)
        assert init <= run.labels <= n
        paid = [e for e in run.events if "skipped" not in e.reason]
        assert run.retrains == len(paid) == run.deployments
        for e in run.events:
            assert e.step in ends
            # a fit only ever sees labels that had arrived
            assert e.train_stop <= max(init, e.step - delay)
        assert len(run.batch_accuracy) == len(ends)
