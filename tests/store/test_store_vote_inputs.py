"""majority_vote refuses what it would misread; enqueue refuses text and flag priorities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Store, majority_vote


@pytest.mark.parametrize(
    ("labels", "got"),
    [
        ({"cat": 1, "dog": 5}, "a dict"),  # Counter read it as counts: ("dog", 2.5)
        ("cat", "a str"),  # voted letter by letter: ("c", 1/3)
        (b"ab", "a bytes"),
        (np.array([["a", "b"], ["b", "b"]]), r"an array of shape \(2, 2\)"),
    ],
)
def test_majority_vote_refuses_what_is_not_a_sequence_of_answers(labels, got):
    with pytest.raises(InvalidParameterError,
                       match=rf"'labels' parameter of majority_vote must be a sequence of "
                             rf"answers .*Got {got}"):
        majority_vote(labels)


@pytest.mark.parametrize(
    "labels",
    [
        [np.nan, np.nan, 1.0],  # one NaN object counted twice: (nan, 2/3)
        np.array([np.nan, np.nan, 1.0]),  # distinct NaNs: (1.0, 1/3)
        np.array([np.float32("nan"), np.float32("nan"), 1.0], dtype=object),
        [None, None, "a"],  # None won as a label
        [pd.NA, "a", pd.NA],
    ],
)
def test_majority_vote_refuses_missing_answers(labels):
    with pytest.raises(InvalidParameterError,
                       match=r"'labels' parameter of majority_vote must be answers without "
                             r"missing values .*first at position 0"):
        majority_vote(labels)


def test_majority_vote_still_takes_lists_tuples_arrays_and_series():
    assert majority_vote(["a", "b", "b"]) == ("b", 2 / 3)
    assert majority_vote(("a",)) == ("a", 1.0)
    assert majority_vote(np.array([1, 2, 2])) == (2, 2 / 3)
    assert majority_vote(pd.Series(["a", "b", "b"], index=[7, 3, 5])) == ("b", 2 / 3)


@pytest.mark.parametrize(
    ("priority", "got"),
    [
        (["1", "2"], "a str '1'"),  # read as 1.0 and 2.0, while priority="1" is refused
        ([True, False], "a bool True"),  # read as 1.0 and 0.0, while priority=True is refused
        (np.array([False, True]), "a bool False"),
        (pd.Series(["3", "1"]), "a str '3'"),
        ([1.0, "2"], "a str '2'"),
    ],
)
def test_enqueue_refuses_text_and_flag_priorities_per_item(priority, got):
    queue = LabelQueue(Store(":memory:"))
    with pytest.raises(InvalidParameterError,
                       match=rf"'priority' parameter of enqueue must be a number or one number "
                             rf"per item \(2\)\. Got {got}"):
        queue.enqueue(["a", "b"], priority=priority)
    assert queue.counts()["open"] == 0


def test_enqueue_still_takes_numeric_priorities():
    queue = LabelQueue(Store(":memory:"))
    assert queue.enqueue(["a", "b"], priority=np.array([1, 2])) == [1, 2]
    assert queue.enqueue(["c", "d"], priority=pd.Series([0.5, 3.0], index=[9, 4])) == [3, 4]
    assert [t.item for t in queue.lease("ann", n_tasks=4)] == ["d", "b", "a", "c"]
