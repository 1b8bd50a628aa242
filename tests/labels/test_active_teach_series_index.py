"""``ActiveLearner.teach`` reads a pandas Series of answers by its index.

``indices`` are pool positions. A Series indexed by exactly those rows in
another order (``y_pool.loc[sorted(indices)]``) was read by position: each
answer went to another row, silently. It is now matched by label; a default
RangeIndex, arrays and lists keep position; any other index is refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
Y = (X[:, 0] > 0).astype(int)
IDX = np.array([10, 3, 7, 21])  # answers differ: Y[IDX] is not sorted by row
NAMES = [f"r{i}" for i in range(40)]


def _learner(pool=X) -> ActiveLearner:
    return ActiveLearner(estimator=LogisticRegression(), rng=0).fit(pool, X[:4], Y[:4])


def test_rows_chosen_have_mixed_answers():
    assert len(set(Y[IDX].tolist())) == 2
    assert Y[IDX].tolist() != Y[np.sort(IDX)].tolist()


@pytest.mark.parametrize(("pool", "labels"), [
    # by position: arrays, lists, tuples, a default RangeIndex, the same order
    (X, Y[IDX]),
    (X, list(Y[IDX])),
    (X, tuple(Y[IDX])),
    (X, pd.Series(Y[IDX])),
    (X, pd.Series(Y).loc[IDX]),
    # by label: the pool positions in another order
    (X, pd.Series(Y).loc[np.sort(IDX)]),
    (X, pd.Series(Y).loc[IDX[::-1]]),
    (X, pd.Series(Y, index=np.arange(40.0)).loc[np.sort(IDX).astype(float)]),
    # a pandas pool: its row labels, in either order, or the positions
    (pd.DataFrame(X, index=NAMES), pd.Series(Y, index=NAMES).iloc[IDX]),
    (pd.DataFrame(X, index=NAMES), pd.Series(Y, index=NAMES).iloc[np.sort(IDX)]),
    (pd.DataFrame(X, index=NAMES), pd.Series(Y).loc[np.sort(IDX)]),
], ids=["array", "list", "tuple", "range-index", "same-order", "sorted", "reversed",
        "float-labels", "pool-labels", "pool-labels-sorted", "pool-positions-sorted"])
def test_each_answer_lands_on_its_row(pool, labels):
    learner = _learner(pool).teach(IDX, labels)
    np.testing.assert_array_equal(learner.labelled_indices_, IDX)
    np.testing.assert_array_equal(learner.y_pool_labelled_, Y[IDX])


@pytest.mark.parametrize(("pool", "labels"), [
    (X, pd.Series(Y[IDX], index=[100, 101, 102, 103])),
    (X, pd.Series(Y[IDX], index=list("abcd"))),
    (X, pd.Series(Y).loc[[10, 3, 7, 22]]),       # one other row
    (X, pd.Series(Y[IDX], index=[10, 10, 3, 7])),  # repeated labels
    (pd.DataFrame(X, index=NAMES), pd.Series(Y[IDX], index=["r1", "r2", "r3", "r4"])),
], ids=["other-ints", "strings", "one-other-row", "duplicates", "other-pool-labels"])
def test_other_index_is_refused_naming_labels(pool, labels):
    learner = _learner(pool)
    with pytest.raises(InvalidParameterError, match=r"'labels'.*Series indexed by"):
        learner.teach(IDX, labels)
    assert learner.n_bought_ == 0


def test_run_with_oracle_returning_sorted_series():
    y = pd.Series(Y)

    def oracle(idx):
        return y.loc[np.sort(idx)]

    learner = ActiveLearner(estimator=LogisticRegression(), batch_size=3, budget=9,
                            rng=0).fit(X, X[:4], Y[:4]).run(oracle)
    np.testing.assert_array_equal(learner.y_pool_labelled_, Y[learner.labelled_indices_])
    assert learner.n_bought_ == 9


def test_polars_series_is_read_by_position():
    pl = pytest.importorskip("polars")
    learner = _learner().teach(IDX, pl.Series(Y[IDX]))
    np.testing.assert_array_equal(learner.y_pool_labelled_, Y[IDX])
