"""learning_curve and time_fits refuse a sparse X as sparse, naming X.

``np.asarray`` made a 0-D object array of it: refused as "a 2-D array with
one row per label in y. Got shape ()", a shape the caller never passed.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from mllifecycle.budget import learning_curve, time_fits
from mllifecycle.exceptions import InvalidParameterError

rng = np.random.default_rng(0)
X = rng.normal(size=(100, 3))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("kind", [sparse.csr_matrix, sparse.csc_array])
@pytest.mark.parametrize(("caller", "call"), [
    ("learning_curve", lambda Xs: learning_curve(LogisticRegression(), Xs, Y, [20, 40, 60],
                                                 rng=0)),
    ("time_fits", lambda Xs: time_fits(LogisticRegression(), Xs, Y, [20, 40, 80], rng=0)),
])
def test_sparse_x_is_named(caller, call, kind):
    with pytest.raises(InvalidParameterError,
                       match=rf"The 'X' parameter of {caller} must be a dense array "
                             r"\(sparse input is not supported; call \.toarray\(\) if it fits "
                             rf"in memory\)\. Got a sparse {kind.__name__} instead"):
        call(kind(X))
