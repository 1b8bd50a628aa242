"""A SciPy sparse matrix is refused as sparse, naming the argument.

``np.asarray`` made a 0-D object array of it: refused as "a 2-D array. Got a
0-D array of shape ()", a shape the caller never passed (the augment
package already said "sparse input is not supported").
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from mllifecycle import transfer
from mllifecycle.exceptions import InvalidParameterError

rng = np.random.default_rng(0)
XS = rng.normal(size=(120, 3))
YS = (XS[:, 0] > 0).astype(int)
XT = rng.normal(size=(40, 3))
YT = (XT[:, 0] > 0).astype(int)
S = sparse.csr_matrix

CASES = [
    ("finetune", r"source\[0\] \(X\)", "csr_matrix",
     lambda: transfer.finetune(LogisticRegression(), (S(XS), YS), (XT, YT), rng=0)),
    ("finetune", r"target\[0\] \(X\)", "csc_matrix",
     lambda: transfer.finetune(LogisticRegression(), (XS, YS), (sparse.csc_matrix(XT), YT),
                               rng=0)),
    ("transfer_gain", r"source\[0\] \(X\)", "csr_matrix",
     lambda: transfer.transfer_gain(LogisticRegression(), (S(XS), YS), (XT, YT), rng=0)),
    ("importance_weights", "X_source", "csr_matrix",
     lambda: transfer.importance_weights(S(XS), XT, rng=0)),
    ("importance_weights", "X_target", "coo_array",
     lambda: transfer.importance_weights(XS, sparse.coo_array(XT), rng=0)),
    ("domain_distance", "X_source", "csr_matrix",
     lambda: transfer.domain_distance(S(XS), XT, rng=0)),
    ("progressive", r"stages\[0\]\[0\] \(X\)", "csr_matrix",
     lambda: transfer.progressive(LogisticRegression(), [(S(XS), YS)], validation=(XT, YT),
                                  rng=0)),
]


@pytest.mark.parametrize(("caller", "name", "kind", "call"), CASES,
                         ids=[f"{c}-{k}" for c, _, k, _ in CASES])
def test_sparse_input_is_named(caller, name, kind, call):
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of {caller} must be a dense array "
                             r"\(sparse input is not supported; call \.toarray\(\) if it fits "
                             rf"in memory\)\. Got a sparse {kind} instead"):
        call()


def test_dense_rows_still_give_the_answer():
    w = transfer.importance_weights(XS, XT, rng=0)
    assert w.weights.shape == (120,)
