"""What an estimator's predict_proba returns is checked before it is ranked.

NaN rows used to shrink the batch (margin and least_confident returned one row
for batch_size=2) or be skipped (entropy); scores outside [0, 1] or rows not
summing to 1 (a decision function passed off as probabilities) were ranked as
if they were probabilities.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    cluster_margin,
    density_weighted,
    entropy,
    kl_divergence,
    least_confident,
    margin,
    vote_entropy,
)

X = np.arange(12.0).reshape(6, 2)
GOOD = np.array([[.5, .5], [.9, .1], [.6, .4], [.2, .8], [.55, .45], [.99, .01]])


class Fixed:
    classes_ = np.array([0, 1])

    def __init__(self, proba):
        self.proba = proba

    def predict_proba(self, X):
        return self.proba


def _nan():
    p = GOOD.copy()
    p[1] = np.nan
    return p


BAD = [
    ("NaN row", _nan(), r"free of NaN.*1 row"),
    ("scaled by 3", GOOD * 3, r"probabilities in \[0, 1\]"),
    ("negative", GOOD - 0.7, r"probabilities in \[0, 1\]"),
    ("rows summing to 0.5", GOOD / 2, r"rows that sum to 1.*6 row\(s\).*0\.5"),
    ("inf", np.where(GOOD > 0.95, np.inf, GOOD), r"free of NaN"),
]
SINGLE = [margin, entropy, least_confident, density_weighted, cluster_margin]


@pytest.mark.parametrize("strategy", SINGLE, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("case", "proba", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_predict_proba_is_refused(strategy, case, proba, match):
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter.*predict_proba"
                       ) as err:
        strategy(Fixed(proba), X, batch_size=2, rng=0)
    assert err.match(match)


@pytest.mark.parametrize("strategy", [vote_entropy, kl_divergence], ids=lambda f: f.__name__)
@pytest.mark.parametrize(("case", "proba", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_member_predict_proba_is_refused(strategy, case, proba, match):
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter.*predict_proba"
                       ) as err:
        strategy([Fixed(GOOD), Fixed(proba)], X, batch_size=2, rng=0)
    assert err.match(match)


@pytest.mark.parametrize("strategy", SINGLE, ids=lambda f: f.__name__)
def test_float32_softmax_rows_are_accepted(strategy):
    p32 = np.array([[1 / 3, 1 / 3, 1 / 3]] * 6, dtype=np.float32)  # rows sum to 1 +- 1e-7
    est = Fixed(p32)
    est.classes_ = np.array([0, 1, 2])
    q = strategy(est, X, batch_size=2, rng=0)
    assert q.indices.shape == (2,)
    ref = strategy(Fixed(GOOD), X, batch_size=2, rng=0).indices.tolist()
    assert len(ref) == 2
