"""replay and replay_keyed pair pandas y, timestamps and keys with X by row label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import personalization_stream, sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay
from mllifecycle.twotier import replay_keyed

S = sea_stream(1200, noise=0.02, rng=1)
KW = {"initial_train_size": 300, "batch_size": 100}
ORDER = np.random.default_rng(0).permutation(S.X.shape[0])
LABELS = [f"r{i}" for i in range(S.X.shape[0])]


def _aligned():
    X = pd.DataFrame(S.X, index=LABELS, columns=["a", "b", "c"])
    y = pd.Series(S.y, index=LABELS)
    t = pd.Series(np.arange(S.X.shape[0], dtype=float) * 60.0, index=LABELS)
    return X, y, t


def _run(X, y, **kw):
    return replay(X, y, LogisticRegression(), {"p": Periodic(every=300)}, **KW, **kw)["p"]


def test_y_in_another_row_order_is_matched_by_label():
    # before: paired by position; a y sorted by index against a shuffled X
    # scored the model on another row's label (accuracy near 0.5)
    X, y, _ = _aligned()
    want = _run(X, y)
    got = _run(X.iloc[ORDER], y)  # X shuffled (the stream order), y in sorted order
    mine = _run(X.iloc[ORDER], y.iloc[ORDER])  # both in the shuffled order
    assert got.accuracy == mine.accuracy
    np.testing.assert_array_equal(got.batch_accuracy, mine.batch_accuracy)
    # the rows' own labels: as the aligned stream, not a coin toss
    assert mine.accuracy > 0.7
    assert want.accuracy > 0.7


def test_timestamps_in_another_row_order_are_matched_by_label():
    X, y, _ = _aligned()
    times = np.empty(S.X.shape[0])
    times[ORDER] = np.arange(S.X.shape[0]) * 60.0  # increasing in the shuffled order
    t = pd.Series(times, index=LABELS)
    Xs, ys, ts = X.iloc[ORDER], y.iloc[ORDER], t.iloc[ORDER]
    a = replay(Xs, ys, LogisticRegression(), {"p": Periodic(every_time=18_000.0)},
               timestamps=t, **KW)["p"]
    b = replay(Xs, ys, LogisticRegression(), {"p": Periodic(every_time=18_000.0)},
               timestamps=ts, **KW)["p"]
    assert a.retrains == b.retrains
    assert [e.step for e in a.events] == [e.step for e in b.events]


@pytest.mark.parametrize("which", ["y", "timestamps"])
def test_a_default_index_against_the_same_labels_in_another_order_is_refused(which):
    # a RangeIndex may number rows by position: matching by label or by
    # position could both be wrong
    X = pd.DataFrame(S.X, columns=["a", "b", "c"]).iloc[ORDER]
    y = pd.Series(S.y)
    t = pd.Series(np.arange(S.X.shape[0], dtype=float))
    kw = {"timestamps": t} if which == "timestamps" else {}
    with pytest.raises(InvalidParameterError, match=f"'{which}' parameter of replay"):
        _run(X, y if which == "y" else y.iloc[ORDER], **kw)


def test_arrays_and_aligned_tables_give_the_same_answers():
    X, y, _ = _aligned()
    a, b = _run(S.X, S.y), _run(X, y)
    assert a.accuracy == b.accuracy
    np.testing.assert_array_equal(a.batch_accuracy, b.batch_accuracy)


def test_replay_keyed_pairs_y_and_keys_by_label():
    p = personalization_stream(3000, n_keys=20, rng=0)
    idx = [f"k{i}" for i in range(3000)]
    order = np.random.default_rng(1).permutation(3000)
    X = pd.DataFrame(p.X, index=idx).iloc[order]
    y, keys = pd.Series(p.y, index=idx), pd.Series(p.keys, index=idx)
    kw = {"initial_train_size": 500, "batch_size": 250}
    got = replay_keyed(X, y, keys, GaussianNB(), **kw)
    want = replay_keyed(X, y.iloc[order], keys.iloc[order], GaussianNB(), **kw)
    assert got.accuracy == want.accuracy
    # X numbered 0..n-1 in a shuffled order, keys with a default RangeIndex:
    # the numbers may be positions, so neither pairing is safe
    Xn = pd.DataFrame(p.X).iloc[order]
    with pytest.raises(InvalidParameterError, match="'keys' parameter of replay_keyed"):
        replay_keyed(Xn, pd.Series(p.y).iloc[order], pd.Series(p.keys), GaussianNB(), **kw)
