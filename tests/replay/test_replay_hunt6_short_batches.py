"""replay with OnDrift's batch tests on batches of one row."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import OnDrift, Periodic, any_of
from mllifecycle.replay import replay


def _stream(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("detector", [drift.detect, drift.Reference])
def test_last_batch_of_one_row_runs_to_the_end(detector):
    # 301 rows, 100 initial, batches of 20: the last batch holds one row; the
    # test refused it ("'current' parameter of detect ... at least 2") after
    # the whole replay had run
    X, y = _stream(301)
    pol = any_of(Periodic(every=50), OnDrift(detector))
    r = replay(X, y, LogisticRegression(), {"p": pol}, initial_train_size=100,
               batch_size=20)
    run = r.runs["p"]
    assert run.n_evaluated == 201
    assert run.retrains >= 3


@pytest.mark.parametrize("detector", [drift.detect, drift.Reference])
def test_batch_size_one_with_a_batch_test_is_refused_up_front(detector):
    X, y = _stream(200)
    with pytest.raises(InvalidParameterError, match="'batch_size' parameter of replay"):
        replay(X, y, LogisticRegression(), {"p": OnDrift(detector)},
               initial_train_size=100, batch_size=1)


def test_batch_size_one_with_a_streaming_detector_still_runs():
    X, y = _stream(150)
    r = replay(X, y, LogisticRegression(), {"p": OnDrift(drift.stream.DDM())},
               initial_train_size=100, batch_size=1)
    assert r.runs["p"].n_evaluated == 50
