"""Hunt: a batch with more distinct keys than ``max_keys`` (the local tier's room)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 2))
y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("warm", "keys"),
    [
        # the first batch: no key held yet (raised a raw numpy IndexError)
        (None, np.arange(30) % 3),
        # keys held, all of them in the batch: nothing to evict (raised IndexError
        # "pop from empty list")
        (np.zeros(10, dtype=int), np.arange(30) % 3),
    ],
)
def test_a_batch_with_more_keys_than_room_is_refused(warm, keys):
    m = TwoTier(LogisticRegression(), max_keys=2).fit(X, y)
    if warm is not None:
        m.partial_fit(X[: warm.size], y[: warm.size], warm)
    before = {k: m.local_state(k) for k in (0, 1, 2)}
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'keys' parameter of TwoTier.partial_fit must be at most max_keys=2 "
        r"distinct keys per batch.*Got 3 distinct keys instead",
    ):
        m.partial_fit(X[: keys.size], y[: keys.size], keys)
    # nothing was changed by the refused batch
    after = {k: m.local_state(k) for k in (0, 1, 2)}
    assert before.keys() == after.keys()
    for k in before:
        if before[k] is None:
            assert after[k] is None
        else:
            assert before[k]["n_samples"] == after[k]["n_samples"]


def test_a_batch_of_exactly_max_keys_new_keys_evicts_the_others():
    m = TwoTier(LogisticRegression(), max_keys=2).fit(X, y)
    m.partial_fit(X[:10], y[:10], np.arange(10) % 2)
    m.partial_fit(X[10:20], y[10:20], np.arange(10) % 2 + 2)
    assert m.n_keys_ == 2
    assert m.n_evicted_ == 2
    assert m.local_state(0) is None
    assert m.local_state(2)["n_samples"] == 5
