"""Lists mixing label kinds reach the gates as given, not as NumPy merges them.

``np.asarray([True, 1, 0, False])`` holds the ints ``[1, 1, 0, 0]``: the
object-array case was refused, the list was scored as two classes.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import gates
from mllifecycle.exceptions import InvalidParameterError

Y_MIXED = [True, 1, 0, False] * 10
Y = [1, 1, 0, 0] * 10
A = [1, 1, 0, 0] * 10
B = [1, 0, 0, 0] * 10


@pytest.mark.parametrize(
    ("call", "name", "caller"),
    [
        (lambda: gates.paired_bootstrap(Y_MIXED, A, B, metric="accuracy", rng=0,
                                        n_resamples=100), "y_true", "paired_bootstrap"),
        (lambda: gates.paired_permutation(Y, A, [True, 0, 0, False] * 10, metric="accuracy",
                                          rng=0, n_resamples=100), "challenger",
         "paired_permutation"),
        (lambda: gates.mcnemar(Y_MIXED, A, B), "y_true", "mcnemar"),
        (lambda: gates.GateContext(y_true=Y_MIXED, challenger=B), "y_true", "GateContext"),
        (lambda: gates.GateContext(y_true=Y, challenger=("1", 1, 0, 0) * 10), "challenger",
         "GateContext"),
        (lambda: gates.GateContext(y_true=Y, challenger=B, champion=[True, 1, 0, 0] * 10),
         "champion", "GateContext"),
    ],
    ids=["bootstrap-y", "permutation-challenger", "mcnemar-y", "context-y",
         "context-challenger-tuple", "context-champion"],
)
def test_lists_of_two_label_kinds_are_refused(call, name, caller):
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of {caller} must be labels of one kind"):
        call()


def test_lists_of_one_kind_give_the_same_answers_as_arrays():
    as_list = gates.paired_bootstrap(Y, A, B, metric="accuracy", rng=0, n_resamples=200)
    as_array = gates.paired_bootstrap(np.array(Y), np.array(A), np.array(B), metric="accuracy",
                                      rng=0, n_resamples=200)
    assert as_list.difference == as_array.difference
    assert as_list.p_value == as_array.p_value
    ctx = gates.GateContext(y_true=[0.5, 1, 2.0], challenger=[1, 2, 3])  # numbers: one kind
    assert ctx.n_samples == 3
    flags = gates.GateContext(y_true=[True, False] * 5, challenger=[True] * 10)
    assert flags.y_true.dtype == bool


def test_missing_values_keep_their_own_message():
    ctx = gates.GateContext(y_true=[1, None, 0, 1] * 5, challenger=[1, 0, 0, 1] * 5)
    with pytest.raises(InvalidParameterError, match="free of missing values"):
        gates.evaluate_gates([gates.MetricThreshold("accuracy", minimum=0.5)], ctx)
