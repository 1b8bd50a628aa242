"""pseudo_label_gain judges a Pipeline's marker and labels by its last step.

``make_pipeline(StandardScaler(), SelfTraining(...))`` reads the unlabelled
rows with its last step: handed rows marked ``"?"`` while that step marks
``-1``, the ``"?"`` rows became a class of their own and the gain a confident
"hurt" (gain -0.94), with exit 0. A bare SelfTraining was refused already; the
same estimator in a Pipeline is now refused too, naming ``unlabelled``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain

rng = np.random.default_rng(0)
X = np.r_[rng.normal(-1, 1, (60, 2)), rng.normal(1, 1, (60, 2))]
Y = np.repeat(["a", "b"], 60).astype(object)
LABELLED = rng.random(120) < 0.3


def _st(marker=-1):
    return SelfTraining(LogisticRegression(), max_iter=1, guard_cv=None, unlabelled=marker)


def _gain(semi, y, marker):
    return pseudo_label_gain(semi, X, y, unlabelled=marker, baseline=LogisticRegression(),
                             cv=2, n_repeats=1, rng=0)


@pytest.mark.parametrize(
    ("semi", "marker", "y", "match"),
    [
        (make_pipeline(StandardScaler(), _st()), "?", np.where(LABELLED, Y, "?"),
         r"'unlabelled' parameter of pseudo_label_gain must be the marker semi_supervised "
         r"reads as unlabelled \(-1, or NaN or None.*Got '\?'"),
        (Pipeline([("inner", make_pipeline(StandardScaler(), _st("?")))]), -1,
         np.where(LABELLED, Y, -1),
         r"'unlabelled' parameter.*reads as unlabelled \('\?', or NaN or None.*Got -1"),
        (make_pipeline(StandardScaler(), LabelSpreading()), "?", np.where(LABELLED, Y, "?"),
         r"'unlabelled' parameter.*reads as unlabelled \(-1;.*Got '\?'"),
        (make_pipeline(StandardScaler(), LabelSpreading()), -1, np.where(LABELLED, Y, -1),
         r"'y' parameter of pseudo_label_gain must be labels LabelSpreading can fit"),
    ],
    ids=["SelfTraining marker", "nested pipeline", "LabelSpreading marker",
         "LabelSpreading text labels"],
)
def test_a_pipeline_is_checked_as_its_last_step(semi, marker, y, match):
    with pytest.raises(InvalidParameterError, match=match):
        _gain(semi, y, marker)


def test_a_pipeline_with_the_same_marker_gives_the_bare_estimators_gain():
    y = np.where(LABELLED, Y, "?")
    # StandardScaler on already standard-ish data changes the fit a little: compare
    # a pipeline with an identity first step to the bare estimator
    piped = _gain(make_pipeline("passthrough", _st("?")), y, "?")
    bare = _gain(_st("?"), y, "?")
    assert piped.gain == bare.gain
    assert piped.candidate_scores == bare.candidate_scores
