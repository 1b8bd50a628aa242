"""A declared class nobody chose, without smoothing: prior 0, no RuntimeWarning.

``one_coin`` and ``glad(class_prior="estimate")`` with ``smoothing=0`` took
``log(0)`` of the unchosen class's prior outside ``np.errstate``: a
"divide by zero encountered in log" RuntimeWarning, an error wherever
warnings are (pytest's ``-W error``, this suite), while ``dawid_skene`` on
the same input ran quietly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.labels import dawid_skene, glad, one_coin

ANSWERS = [(t, w, t % 2 if w < 3 else 1 - t % 2) for t in range(12) for w in range(4)]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        (one_coin, {"smoothing": 0.0}),
        (glad, {"smoothing": 0.0, "class_prior": "estimate"}),
        (dawid_skene, {"smoothing": 0.0}),
    ],
)
def test_unchosen_class_without_smoothing_is_impossible_and_quiet(method, kwargs):
    plain = method(ANSWERS, rng=0, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        declared = method(ANSWERS, classes=[0, 1, 2], rng=0, **kwargs)
    assert declared.classes.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(declared.proba[:, 2], 0.0)
    np.testing.assert_allclose(declared.proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(declared.labels, plain.labels)
    np.testing.assert_array_equal(declared.labels, np.arange(12) % 2)
