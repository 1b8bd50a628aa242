"""``replay`` refuses timestamps that are no times, or that floats cannot hold.

Integers beyond 2**53 became float seconds that collapsed neighbouring times
(``2**63 + k`` are all one float): every gap read as 0, so
``Periodic(every_time=...)`` never retrained, with exit 0. Bools were read as
times 1.0 (no time ever passed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay

N = 900


def _run(ts):
    r = np.random.default_rng(0)
    X = r.normal(size=(N, 2))
    y = (X[:, 0] > 0).astype(int)
    return replay(X, y, LogisticRegression(), {"p": Periodic(every_time=100)},
                  initial_train_size=500, timestamps=ts)["p"]


@pytest.mark.parametrize(("ts", "got"), [
    (np.arange(N, dtype=np.uint64) + np.uint64(2**63),
     "the integer 9223372036854775808 at index 0"),
    (np.arange(N, dtype=np.int64) - 2**62, "the integer -4611686018427387904 at index 0"),
    (np.arange(N, dtype=np.int64) + 2**53, "the integer 9007199254740993 at index 1"),
])
def test_integers_beyond_float_precision_are_refused(ts, got):
    with pytest.raises(InvalidParameterError,
                       match=rf"'timestamps' parameter of replay must be numbers of seconds "
                             rf"within \+-2\*\*53.*{got}"):
        _run(ts)


@pytest.mark.parametrize("ts", [np.ones(N, bool), pd.Series(np.ones(N, bool)),
                                pd.array([True] * N, dtype="boolean")])
def test_bools_are_refused(ts):
    with pytest.raises(InvalidParameterError, match=r"'timestamps'.*an array of bools"):
        _run(ts)


def test_integers_within_precision_still_work():
    ts = np.arange(N, dtype=np.int64) + 2**52
    assert [e.step for e in _run(ts).events] == [600, 700, 800, 900]
    assert [e.step for e in _run(pd.array(list(range(N)), dtype="Int64")).events] == \
        [600, 700, 800, 900]
