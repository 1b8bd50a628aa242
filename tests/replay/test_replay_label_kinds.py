"""``replay`` refuses labels of two kinds (``1`` and ``True``, ``1`` and ``"1"``).

They reached the estimator, whose error ("Unknown label type: unknown") named
no argument; ``==`` reads ``1`` and ``True`` as one class.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay


def _run(y):
    r = np.random.default_rng(0)
    X = r.normal(size=(len(y), 2))
    return replay(X, y, LogisticRegression(), {"p": Periodic(every=200)},
                  initial_train_size=500)["p"]


@pytest.mark.parametrize(("second", "got"), [(True, r"numbers and booleans \(1 and True\)"),
                                             ("1", r"numbers and text \(1 and '1'\)")])
def test_two_label_kinds_are_refused(second, got):
    y = np.array([1, 0] * 449 + [second, 0], dtype=object)
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter of replay must be labels of one kind.*{got}"):
        _run(y)


def test_object_labels_of_one_kind_still_replay():
    y = np.array(["a", "b"] * 450, dtype=object)
    assert _run(y).n_evaluated == 400
