"""Query by committee on ensembles whose members keep the labels (AdaBoost)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import kl_divergence, vote_entropy


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y01 = (X[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(int)
    return X, y01, rng.normal(size=(50, 2))


@pytest.mark.parametrize("labels", [(-1, 1), (-2, 7), ("no", "yes")])
@pytest.mark.parametrize("strategy", [vote_entropy, kl_divergence])
def test_adaboost_scores_do_not_depend_on_the_label_values(labels: Any, strategy: Any) -> None:
    # members fitted on -1/+1 were read as codes: class -1's probabilities went to
    # column -1 (class 1's) and were overwritten (KL 0.172 instead of 0.203)
    X, y01, X_pool = _data()

    def fitted(y: Any) -> AdaBoostClassifier:
        return AdaBoostClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=10,
                                  random_state=0).fit(X, y)

    ref = strategy(fitted(y01), X_pool, batch_size=5, rng=0)
    got = strategy(fitted(np.asarray(labels, dtype=object)[y01].tolist()), X_pool,
                   batch_size=5, rng=0)
    np.testing.assert_allclose(got.scores, ref.scores)
    assert got.indices.tolist() == ref.indices.tolist()


def test_bagging_on_shifted_labels_still_read_as_codes() -> None:
    X, y01, X_pool = _data()
    ref = kl_divergence(BaggingClassifier(DecisionTreeClassifier(), random_state=0)
                        .fit(X, y01), X_pool, batch_size=5, rng=0)
    got = kl_divergence(BaggingClassifier(DecisionTreeClassifier(), random_state=0)
                        .fit(X, y01 + 1), X_pool, batch_size=5, rng=0)
    np.testing.assert_allclose(got.scores, ref.scores)


class _Odd:
    """An ensemble whose members were fitted on labels it does not list."""

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        self.estimators_ = [LogisticRegression().fit(X, y + 10),
                            LogisticRegression().fit(X, y + 10)]
        self.classes_ = np.array([-1, 1])


def test_members_of_other_classes_refused() -> None:
    X, y01, X_pool = _data()
    with pytest.raises(InvalidParameterError, match=r"'estimator'.*member 0"):
        kl_divergence(_Odd(X, y01), X_pool)
