"""scoring='f1' on text labels is refused naming scoring, in every gain estimate.

scikit-learn's 'f1', 'precision' and 'recall' score the class 1; on labels
'no'/'yes' the first split failed with a bare "pos_label=1 is not a valid
label", naming no argument.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, make_scorer
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain
from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain
from mllifecycle.transfer import transfer_gain

RNG = np.random.default_rng(0)
X = RNG.normal(size=(90, 2))
Y = np.where(X[:, 0] + RNG.normal(0, 0.5, 90) > 0, "yes", "no")


def jitter(X, y, rng=None):
    return np.r_[X, X + np.random.default_rng(rng).normal(0, 0.1, X.shape)], np.r_[y, y]


def run(kind, scoring):
    if kind == "augment":
        return augmentation_gain(GaussianNB(), X, Y, jitter, scoring=scoring, rng=0)
    if kind == "transfer":
        return transfer_gain(GaussianNB(), (X, Y), (X, Y), scoring=scoring, rng=0,
                             finetune_params={"source_weight": 1.0})
    yp = np.where(np.arange(90) % 4 == 3, None, Y).astype(object)
    return pseudo_label_gain(SelfTraining(GaussianNB()), X, yp, unlabelled=None,
                             scoring=scoring, rng=0)


@pytest.mark.parametrize("kind", ["augment", "transfer", "pseudo"])
@pytest.mark.parametrize("scoring", ["f1", "precision"])
def test_a_scorer_of_the_class_1_on_text_labels_names_scoring(kind, scoring):
    with pytest.raises(InvalidParameterError,
                       match=rf"The 'scoring' parameter of \w+ must be a scorer whose positive "
                             rf"class is one of the labels.*Got '{scoring}', which failed: "
                             r"pos_label=1 is not a valid label"):
        run(kind, scoring)


@pytest.mark.parametrize("kind", ["augment", "transfer", "pseudo"])
def test_a_scorer_naming_the_positive_label_works(kind):
    res = run(kind, make_scorer(f1_score, pos_label="yes"))
    assert np.isfinite(res.baseline_score)


def test_learning_curve_names_scoring_not_the_sizes():
    # every fit works, the scorer does not: the sizes were blamed ("e.g. a single class")
    with pytest.raises(InvalidParameterError,
                       match=r"The 'scoring' parameter of learning_curve must be a scorer that "
                             r"can score the estimator.*Got 'f1', which failed with ValueError: "
                             r"pos_label=1 is not a valid label"), \
            pytest.warns(UserWarning, match="Scoring failed"):
        learning_curve(GaussianNB(), X, Y, [20, 40, 60], scoring="f1")
