"""Hunt: CORAL().fit(Xs, Xt) read the target as y and aligned the source to itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL

RNG = np.random.default_rng(0)
XS = RNG.normal(size=(80, 2))
XT = RNG.normal(size=(60, 2)) @ np.array([[2.0, 0.0], [1.0, 0.5]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: CORAL().fit(XS, XT), r"'y' parameter of CORAL must be None or labels.*"
                                      r"X_target=X_target.*Got a 2-D ndarray"),
        (lambda: CORAL().fit_transform(XS, XT), r"'y' parameter of CORAL.*2-D ndarray"),
        (lambda: CORAL().fit(pd.DataFrame(XS, columns=["a", "b"]),
                             pd.DataFrame(XT, columns=["a", "b"])),
         r"'y' parameter of CORAL.*2-D DataFrame"),
        (lambda: CORAL().fit(XS, XT.tolist()), r"'y' parameter of CORAL.*2-D list"),
    ],
)
def test_the_target_passed_by_position_is_refused(call, match):
    # exit 0 with an identity transform: the "aligned" source was the source
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_labels_as_y_are_still_ignored():
    y = (XS[:, 0] > 0).astype(int)
    a = CORAL().fit(XS, y, X_target=XT).transform(XS)
    b = CORAL().fit(XS, X_target=XT).transform(XS)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(b, XS)
