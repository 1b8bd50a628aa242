"""The "cannot reject" warning gives advice that fits the test that raised it.

Rank and distance tests (ks's permutation path, cramer_von_mises,
anderson_darling, wasserstein, energy, mmd) have no bins: they were told to
"use fewer n_bins", a parameter they do not take.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle.exceptions import DegenerateDataWarning

# two rows each side, nearly all tied: every test's largest statistic is
# reached by a large share of the relabellings
REF = np.r_[np.zeros(99), 1.0]
CUR = np.r_[np.zeros(99), 1.0]


@pytest.mark.parametrize(
    ("test", "said", "not_said"),
    [
        (drift.psi, "fewer n_bins", None),
        (drift.hellinger, "fewer n_bins", None),
        (drift.jensen_shannon, "fewer n_bins", None),
        (drift.wasserstein, "use more rows", "n_bins"),
        (drift.cramer_von_mises, "use more rows", "n_bins"),
        (drift.anderson_darling, "use more rows", "n_bins"),
    ],
)
def test_advice_fits_the_test(test, said, not_said):
    with pytest.warns(DegenerateDataWarning, match="cannot reject") as record:
        test(REF, CUR, rng=0)
    text = " ".join(str(w.message) for w in record if "cannot reject" in str(w.message))
    assert said in text
    if not_said is not None:
        assert not_said not in text


def test_chi_square_speaks_of_categories():
    ref = np.array(["a"] * 9 + ["b"], dtype=object)  # expected counts < 5: permutation
    with pytest.warns(DegenerateDataWarning, match="number of categories") as record:
        drift.chi_square(ref, ref.copy(), rng=0)
    assert not any("n_bins" in str(w.message) for w in record)
