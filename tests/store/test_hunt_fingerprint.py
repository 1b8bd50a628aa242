"""Object columns holding NaN, inf or -inf fingerprint apart from each other and from None.

``fingerprint`` wrote the values of an object column through ``jsonable``,
which turns NaN, inf and -inf into None: training data holding ``inf``
fingerprinted exactly as the same data holding ``-inf`` (or a missing
value), so "equal fingerprints mean the same training data" was wrong.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mllifecycle.store import fingerprint

SPECIAL = [float("inf"), float("-inf"), float("nan"), None, np.float64("inf")]


def _column(v):
    col = np.empty(3, dtype=object)
    col[:] = ["a", 1.5, v]
    return col


@pytest.mark.parametrize(
    ("a", "b"),
    [(a, b) for a, b in itertools.combinations(SPECIAL[:4], 2)],
)
def test_non_finite_values_of_an_object_column_are_told_apart(a, b):
    assert fingerprint(_column(a)[:, None]).sha256 != fingerprint(_column(b)[:, None]).sha256
    X = np.zeros((3, 1))
    assert fingerprint(X, _column(a)).y_sha256 != fingerprint(X, _column(b)).y_sha256


def test_same_values_same_fingerprint_and_finite_data_unchanged():
    # a NumPy inf and a Python inf are the same value
    assert fingerprint(_column(SPECIAL[0])[:, None]) == fingerprint(_column(SPECIAL[4])[:, None])
    # an object column without non-finite floats hashes as before (its JSON text)
    import hashlib
    import json

    col = np.empty(3, dtype=object)
    col[:] = ["a", 1.5, {"k": (1, np.int64(2))}]
    h = hashlib.sha256()
    h.update(json.dumps(["x0", "object"]).encode())
    h.update(json.dumps(["a", 1.5, {"k": [1, 2]}], sort_keys=True).encode())
    assert fingerprint(col[:, None]).sha256 == h.hexdigest()


def test_pandas_object_column_with_inf_and_minus_inf():
    pd = pytest.importorskip("pandas")
    plus = pd.DataFrame({"c": ["a", np.inf]})
    minus = pd.DataFrame({"c": ["a", -np.inf]})
    assert fingerprint(plus).sha256 != fingerprint(minus).sha256
