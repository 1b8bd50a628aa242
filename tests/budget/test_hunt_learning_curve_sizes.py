"""Hunt: learning_curve counts distinct sizes itself.

Repeated sizes are measured once, so ``[40, 40, 80]`` reached fit_curve as two
sizes and failed with "The 'sizes' parameter of fit_curve must be at least 3
distinct training sizes. Got 2 instead.": another function, and a count the
caller never gave.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError

_rng = np.random.default_rng(0)
X = _rng.normal(size=(300, 3))
Y = (X[:, 0] > 0).astype(int)

CASES = [
    ([40, 40, 80], "[40, 40, 80]"),
    ([80, 80, 80, 80], "[80, 80, 80, 80]"),
    ([40, 80], "[40, 80]"),
]


@pytest.mark.parametrize(("sizes", "shown"), CASES, ids=["two-distinct", "one-distinct",
                                                          "two"])
def test_fewer_than_three_distinct_sizes(sizes, shown) -> None:
    with pytest.raises(InvalidParameterError) as info:
        learning_curve(GaussianNB(), X, Y, sizes, n_repeats=1, rng=0)
    assert str(info.value) == (
        "The 'sizes' parameter of learning_curve must be at least 3 distinct training "
        f"sizes. Got {shown} instead."
    )


def test_a_repeated_size_is_measured_once() -> None:
    # three distinct sizes of a bounded score: the log-linear law, with a warning
    with pytest.warns(DegenerateDataWarning, match="log-linear"):
        a = learning_curve(GaussianNB(), X, Y, [40, 80, 80, 160], n_repeats=1, rng=0)
    with pytest.warns(DegenerateDataWarning, match="log-linear"):
        b = learning_curve(GaussianNB(), X, Y, [40, 80, 160], n_repeats=1, rng=0)
    assert a.sizes.tolist() == [40.0, 80.0, 160.0]
    assert a.params == b.params
