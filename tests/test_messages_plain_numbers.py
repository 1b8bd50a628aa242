"""Error messages show the numbers they computed as plain numbers.

Under NumPy 2 the repr of a NumPy scalar is ``np.float64(1.5)``; messages
that described a value the library computed from the user's data (a range,
the smallest weight, an unknown label) printed that repr, so a user read
"Got values in [np.float64(0.5), np.float64(1.5)]" for "[0.5, 1.5]". A value
the user passed as a NumPy scalar is still echoed as given.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.augment import smote, smote_regression
from mllifecycle.drift.stream import ADWIN
from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import analyze, apply
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
Y = np.r_[np.zeros(30, int), np.ones(10, int)]
P = np.c_[np.full(40, 0.5), np.full(40, 1.5)]


def _cbpe_proba():
    CBPE(calibration="none").fit(y_true=Y, y_proba=P)


def _negative_weight():
    smote(X, Y, sample_weight=np.r_[-1.0, np.ones(39)], rng=0)


def _relevance():
    smote_regression(X, X[:, 0], relevance=lambda y: y * 0 - 2.5, rng=0)


def _unknown_gold():
    L = apply([lambda s: "pos" if "good" in s else "neg"], ["good", "bad"])
    analyze(L, y=np.array(["neg", "maybe"]))


def _adwin_magnitude():
    ADWIN().update_many(np.array([1.0, -1e300]))


def _unknown_label():
    m = TwoTier(LogisticRegression()).fit(X, Y)
    m.partial_fit(X[:2], np.array([0, 7]), [1, 2])


@pytest.mark.parametrize(
    ("call", "plain"),
    [
        (_cbpe_proba, r"Got values in \[0\.5, 1\.5\] instead"),
        (_negative_weight, r"Got 1 negative weight\(s\), the smallest -1\.0 instead"),
        (_relevance, r"with values in \[-2\.5, -2\.5\] instead"),
        (_unknown_label, r"labels among the classes \[0, 1\]\. Got 7 instead"),
        (_adwin_magnitude, r"magnitude at most 1e\+120.*Got -1e\+300 at index 1 instead"),
        (_unknown_gold, r"gold labels among the classes \['neg', 'pos'\].*Got 'maybe' instead"),
    ],
    ids=["check_proba", "sample_weight", "relevance", "twotier_label", "adwin", "gold_label"],
)
def test_computed_numbers_are_shown_plainly(call, plain):
    with pytest.raises(InvalidParameterError, match=plain) as info:
        call()
    assert "np." not in str(info.value)
