"""Probability rows sum to 1 within the rounding of the dtype they are given in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle._validation import check_proba
from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)


def _softmax(p, dtype):
    """Rows normalised in ``dtype`` itself, as a float16/float32 model outputs them."""
    z = np.log(p).astype(dtype)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_rows_normalised_in_their_dtype_are_accepted(dtype, k):
    # float16 rows miss 1 by ~7e-4: refused at the fixed atol=1e-6 before
    p = _softmax(RNG.dirichlet(np.ones(k), size=500), dtype)
    assert p.dtype == dtype
    out = check_proba(p, "y_proba")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, p.astype(np.float64))
    # a table of those columns too
    assert check_proba(pd.DataFrame(p), "y_proba").shape == (500, k)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_rows_that_do_not_sum_to_one_are_still_refused(dtype):
    bad = np.array([[0.5, 0.4], [0.3, 0.7]], dtype=dtype)
    with pytest.raises(InvalidParameterError, match=r"sum to 1\. Got 1 row\(s\)"):
        check_proba(bad, "y_proba")


def test_float64_keeps_its_tolerance():
    check_proba(np.array([[0.3, 0.7 + 5e-7]]), "y_proba")
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        check_proba(np.array([[0.3, 0.7 + 1e-5]]), "y_proba")
    # the dtype given, not the float64 copy, sets the tolerance
    check_proba(np.array([[0.3, 0.7 + 1e-5]]), "y_proba", dtype=np.float16)
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        check_proba(np.array([[0.3, 0.7 + 1e-2]]), "y_proba", dtype=np.float16)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_cbpe_reads_low_precision_probability_tables(dtype):
    p = RNG.dirichlet(np.ones(3), size=3000)
    y = np.array([RNG.choice(3, p=row) for row in p])
    want = CBPE(calibration="none").fit(y_true=y, y_proba=p)
    low = _softmax(p, dtype)
    est = CBPE(calibration="none").fit(y_true=y, y_proba=low)
    r = est.estimate(low)["accuracy"]
    assert r.value == pytest.approx(want.estimate(p)["accuracy"].value, abs=2e-3)
    assert est.estimate(pd.DataFrame(low))["accuracy"].value == pytest.approx(r.value)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize("k", [2, 10, 1000])
def test_the_dtype_tolerance_takes_softmax_rounding_but_not_a_wrong_row(dtype, k):
    # a softmax computed in the low-precision type misses 1 by about 2 eps
    # at up to 1000 classes; a row off by 5 % is still refused (the first
    # rule, 2 * eps * n_columns, let any 1000-column float16 row pass)
    from mllifecycle._validation import check_proba

    rng = np.random.default_rng(k)
    z = (rng.normal(size=(500, k)) * 3).astype(dtype)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True, dtype=dtype)
    assert check_proba(p, "y_proba").shape == (500, k)
    bad = p.astype(np.float64)
    bad[0] *= 0.95
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        check_proba(bad.astype(dtype), "y_proba")
