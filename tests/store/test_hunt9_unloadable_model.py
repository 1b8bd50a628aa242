"""A model that could never be loaded back is refused at registration.

skops writes a function or class by its module and name and imports it on
loading. A lambda (``FunctionTransformer(lambda x: ...)``) or a class defined
inside a function was written without complaint: ``register`` returned a
version (which could be promoted to champion) and every later ``load`` failed
with a bare ``AttributeError: module ... has no attribute '<lambda>'``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")

_rng = np.random.default_rng(0)
X = _rng.normal(size=(40, 2))
y = (X[:, 0] > 0).astype(int)


def _local_class_model():
    class Local:
        def predict(self, X):
            return np.zeros(len(X))

    return Local()


def _double(z):
    return 2 * z


@pytest.mark.parametrize(
    ("make", "held"),
    [
        pytest.param(
            lambda: make_pipeline(FunctionTransformer(lambda z: 2 * z), LogisticRegression()).fit(
                X, y
            ),
            "<lambda>",
            id="lambda-in-pipeline",
        ),
        pytest.param(_local_class_model, "Local", id="class-defined-in-a-function"),
    ],
)
def test_model_that_cannot_load_back_is_refused(make, held):
    registry = Registry(Store(":memory:"))
    with pytest.raises(InvalidParameterError, match=f"'model'.*loads back.*{held}"):
        registry.register("m", make())
    assert registry.names() == []
    assert registry.store.check() == []


@pytest.mark.parametrize(
    "func", [pytest.param(np.tanh, id="numpy-ufunc"), pytest.param(_double, id="module-level")]
)
def test_functions_found_by_name_still_register_and_load(func):
    registry = Registry(Store(":memory:"))
    model = make_pipeline(FunctionTransformer(func), LogisticRegression()).fit(X, y)
    registry.register("m", model)
    loaded = registry.load("m", 1, trusted=True)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
