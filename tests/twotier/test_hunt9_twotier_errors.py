"""TwoTier's errors for an unfitted model and sparse input name what went wrong.

``predict`` before ``fit`` failed with ``AttributeError: 'TwoTier' object has
no attribute 'classes_'`` (``predict_proba`` and ``score`` raise scikit-learn's
``NotFittedError``), and a sparse matrix was refused as "dtype object".
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

rng = np.random.default_rng(0)
X = rng.normal(size=(30, 3))
Y = (X[:, 0] > 0).astype(int)
KEYS = np.arange(30) % 4


@pytest.mark.parametrize("call", [
    lambda m: m.predict(X),
    lambda m: m.predict(X, KEYS),
    lambda m: m.predict_proba(X, KEYS),
    lambda m: m.score(X, Y, keys=KEYS),
    lambda m: m.partial_fit(X, Y, KEYS),
])
def test_unfitted_model_raises_not_fitted(call):
    with pytest.raises(NotFittedError, match="TwoTier instance is not fitted yet"):
        call(TwoTier(LogisticRegression()))


@pytest.mark.parametrize("kind", [sparse.csr_matrix, sparse.csc_matrix, sparse.coo_array])
@pytest.mark.parametrize("method", ["fit", "partial_fit", "predict_proba"])
def test_sparse_input_is_refused_as_sparse(kind, method):
    model = TwoTier(LogisticRegression()).fit(X, Y)
    Xs = kind(X)
    args = {"fit": (Xs, Y), "partial_fit": (Xs, Y, KEYS), "predict_proba": (Xs, KEYS)}[method]
    with pytest.raises(InvalidParameterError,
                       match=rf"'X' parameter of TwoTier\.{method} must be a dense array "
                             r"\(sparse input is not supported; call \.toarray\(\) if it "
                             rf"fits in memory\)\. Got a sparse {kind.__name__} instead"):
        getattr(model, method)(*args)
    # the dense rows give the answer
    assert model.predict_proba(X, KEYS).shape == (30, 2)
