"""apply on a pandas Series of examples: vectorised votes returned in another order."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, apply, labeling_function

pd = pytest.importorskip("pandas")


@labeling_function(vectorized=True)
def positive_sorted(x):
    x = x.sort_values()  # votes come back in sorted order, under the row labels
    return pd.Series(np.where(x > 0, 1, ABSTAIN), index=x.index)


@labeling_function(vectorized=True)
def negative(x):
    return np.where(np.asarray(x).ravel() < 0, 0, ABSTAIN)


def test_sorted_votes_of_a_series_go_back_to_their_rows():
    # read by position, the votes of the sorted Series landed on other rows
    # ([-1, -1, 1, 1] for the examples [3, -1, 2, -5])
    s = pd.Series([3.0, -1.0, 2.0, -5.0], index=[10, 11, 12, 13])
    L = apply([positive_sorted, negative], s)
    assert L.classes.tolist() == [0, 1]
    assert L.values.tolist() == [[1, -1], [-1, 0], [1, -1], [-1, 0]]
    # the same votes as for the one-column table
    frame_votes = apply([labeling_function(lambda X: positive_sorted(X["a"]),
                                           vectorized=True), negative], s.to_frame("a"))
    assert frame_votes.values.tolist() == L.values.tolist()


def test_series_with_a_fresh_index_read_by_position():
    s = pd.Series([3.0, -1.0, 2.0, -5.0], index=["a", "b", "c", "d"])

    @labeling_function(vectorized=True)
    def fresh(x):
        return pd.Series(np.where(x.to_numpy() > 0, 1, ABSTAIN))

    assert apply([fresh, negative], s).values[:, 0].tolist() == [1, -1, 1, -1]


def test_reordered_votes_with_duplicate_row_labels_refused():
    # duplicate index labels: the sorted votes cannot be put back, and read by
    # position they landed on other rows ([-1, -1, 1, 1] for [3, -1, 2, -5])
    frame = pd.DataFrame({"a": [3.0, -1.0, 2.0, -5.0]}, index=[0, 0, 1, 1])

    @labeling_function(vectorized=True)
    def sorted_votes(X):
        a = X["a"].sort_values()
        return pd.Series(np.where(a > 0, 1, ABSTAIN), index=a.index)

    @labeling_function(vectorized=True)
    def in_order(X):
        return pd.Series(np.where(X["a"] > 0, 1, ABSTAIN), index=X.index)

    with pytest.raises(InvalidParameterError, match=r"'lfs\[0\] \(sorted_votes\)'.*row order"):
        apply([sorted_votes, in_order], frame)
    L = apply([in_order, negative], frame)
    assert L.values.tolist() == [[1, -1], [-1, 0], [1, -1], [-1, 0]]


def test_row_functions_see_dates_as_pandas_gives_them():
    # a time-zone-aware column reached row functions as naive UTC times (8:00
    # in Paris read as 7:00, so "before 8:30" missed it), and a nanosecond
    # column as integers
    stamps = pd.to_datetime(["2020-01-01 08:00", "2020-01-01 20:00", None])
    frame = pd.DataFrame({
        "local": stamps.tz_localize("Europe/Paris"),
        "naive": stamps.astype("datetime64[ns]"),
        "took": pd.to_timedelta(["1h", "3h", None]),
    })

    def early(row):
        if row.local is None:
            return ABSTAIN
        return 1 if (row.local.hour, row.local.minute) < (8, 30) else 0

    def morning(row):
        return ABSTAIN if row.naive is None else int(row.naive.hour < 12)

    def slow(row):
        return ABSTAIN if row.took is None else int(row.took > pd.Timedelta("2h"))

    L = apply([early, morning, slow], frame)
    assert L.values.tolist() == [[1, 1, 0], [0, 0, 1], [-1, -1, -1]]
