"""Hunt: CORAL.transform of a pandas table keeps the rows' index labels."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.transfer import CORAL

pd = pytest.importorskip("pandas")


def test_coral_transform_keeps_the_pandas_index() -> None:
    # the table came back with a fresh 0..n-1 index: a label Series aligned on
    # the source's index (or a join) then paired rows with the wrong labels,
    # silently; set_output(transform="pandas") kept the index, the default did not
    rng = np.random.default_rng(0)
    index = pd.Index(np.arange(40)[::-1] + 100, name="row_id")
    X = pd.DataFrame(rng.normal(size=(40, 2)), columns=["a", "b"], index=index)
    Xt = pd.DataFrame(rng.normal(1.0, 2.0, size=(30, 2)), columns=["a", "b"])
    coral = CORAL().fit(X, X_target=Xt)
    out = coral.transform(X)
    assert out.index.equals(X.index)
    plain = CORAL().fit(X.to_numpy(), X_target=Xt.to_numpy()).transform(X.to_numpy())
    np.testing.assert_array_equal(out.to_numpy(), plain)
    y = pd.Series(np.arange(40), index=index)
    assert (out.assign(y=y)["y"] == y).all()  # aligned by label, as the user expects
    pandas_out = CORAL().set_output(transform="pandas").fit(X, X_target=Xt).transform(X)
    assert out.index.equals(pandas_out.index)
