"""Hunt 8: learning_curve with a scikit-learn scorer object keeps the scorer's direction.

A scorer name ("accuracy") was fitted as a rising curve, but the same scorer
as an object (``get_scorer("accuracy")``, ``make_scorer(accuracy_score)``) had
its direction read from the scores: on a flat, noisy curve it came out as a
falling one, and an accuracy above every score measured was "reached" at a
few rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import accuracy_score, get_scorer, make_scorer, mean_squared_error
from sklearn.naive_bayes import GaussianNB

from mllifecycle.budget import learning_curve, samples_needed

SIZES = [40, 80, 160, 320]


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


@pytest.mark.parametrize(
    "scorer",
    [get_scorer("accuracy"), make_scorer(accuracy_score)],
    ids=["get_scorer", "make_scorer"],
)
def test_a_scorer_object_is_fitted_as_its_name_is(cancer, scorer):
    X, y = cancer
    named = learning_curve(GaussianNB(), X, y, SIZES, scoring="accuracy", bounds=None,
                           n_resamples=100, rng=0)
    obj = learning_curve(GaussianNB(), X, y, SIZES, scoring=scorer, n_resamples=100, rng=0)
    np.testing.assert_array_equal(obj.scores, named.scores)
    assert obj.higher_is_better
    assert obj.params == named.params
    # an accuracy above every score measured is not reached by a flat curve
    assert np.all(obj.scores < 0.97)
    need = samples_needed(obj, 0.97)
    assert not need.reachable
    assert need.n_samples == samples_needed(named, 0.97).n_samples


def test_a_negated_error_scorer_rises_and_a_positive_error_is_read_from_the_scores():
    X, y = load_diabetes(return_X_y=True)
    sizes = [40, 80, 160, 320]
    neg = learning_curve(Ridge(), X, y, sizes, n_repeats=1, n_resamples=100, rng=0,
                         scoring=make_scorer(mean_squared_error, greater_is_better=False))
    assert neg.higher_is_better
    assert np.all(neg.scores < 0)
    # make_scorer(mean_squared_error) leaves the error positive, against
    # scikit-learn's convention: its direction is still read from the scores
    pos = learning_curve(Ridge(), X, y, sizes, n_repeats=1, n_resamples=100, rng=0,
                         scoring=make_scorer(mean_squared_error))
    assert not pos.higher_is_better
    np.testing.assert_allclose(pos.scores, -neg.scores)
