"""CORAL.fit names X_target when its columns are not X's (in name or order).

scikit-learn's "The feature names should match those that were passed during
fit" (a bare ValueError) named neither argument; importance_weights and
domain_distance already refuse such a target naming it.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL

pd = pytest.importorskip("pandas")

RNG = np.random.default_rng(0)
XS = pd.DataFrame(RNG.normal(size=(100, 2)), columns=["a", "b"])
XT = pd.DataFrame(RNG.normal(size=(50, 2)) * [1.0, 3.0] + [2.0, 0.0], columns=["a", "b"])


@pytest.mark.parametrize("target", [XT[["b", "a"]], XT.rename(columns={"b": "c"})],
                         ids=["reordered", "renamed"])
def test_target_with_other_columns_is_refused_naming_it(target: object) -> None:
    with pytest.raises(InvalidParameterError,
                       match=r"'X_target' parameter of CORAL .*columns of X in the same order"):
        CORAL().fit(XS, X_target=target)


def test_target_with_the_same_columns_is_aligned_as_arrays_are() -> None:
    out = CORAL().fit(XS, X_target=XT).transform(XS)
    plain = CORAL().fit(XS.to_numpy(), X_target=XT.to_numpy()).transform(XS.to_numpy())
    np.testing.assert_array_equal(np.asarray(out), plain)
