"""Confident learning reads float16/float32 probabilities as the float64 ones they round.

A float16 model's rows miss 1 by their rounding (0.3 + 0.7 in float16 sums
to 1.00024): ``find_label_issues`` refused them at a fixed 1e-4, though the
same rows in float64 gave an answer. The tolerance now scales with the dtype,
as ``check_proba``'s does for the rest of the library.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import estimate_noise_matrix, find_label_issues, label_quality


def _data():
    rng = np.random.default_rng(0)
    p = rng.dirichlet([1.0, 1.0], 50)
    y = (p[:, 1] > 0.5).astype(int)
    y[:5] = 1 - y[:5]
    return y, p


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_low_precision_rows_give_the_float64_answer(dtype):
    y, p = _data()
    low = p.astype(dtype)
    if dtype is np.float16:  # rows off 1 by more than the old fixed 1e-4
        assert np.abs(low.astype(np.float64).sum(axis=1) - 1).max() > 1e-4
    ref = find_label_issues(y, low.astype(np.float64) / low.astype(np.float64).sum(
        axis=1, keepdims=True))
    res = find_label_issues(y, low)
    np.testing.assert_array_equal(res.indices, ref.indices)
    np.testing.assert_array_equal(estimate_noise_matrix(y, low).confident_joint,
                                  ref.noise.confident_joint)
    assert label_quality(y, low).shape == (50,)


def test_rows_that_do_not_sum_to_one_are_still_refused():
    y, p = _data()
    p = 0.05 + 0.9 * p  # away from 0 and 1, so p * 1.01 stays in [0, 1]
    with pytest.raises(InvalidParameterError, match=r"'y_proba'.*sum to 1.*1\.01"):
        find_label_issues(y, p * 1.01)
    with pytest.raises(InvalidParameterError, match=r"'y_proba'.*sum to 1"):
        find_label_issues(y, (p * 1.01).astype(np.float16))
    with pytest.raises(InvalidParameterError, match=r"in \[0, 1\]\. Got values in \[-"):
        find_label_issues(y, -p)
