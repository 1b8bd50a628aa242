"""A hand-built LabelMatrix with a vote past its classes is refused, naming L."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import LabelMatrix, LabelModel, analyze

BAD = LabelMatrix(values=np.array([[0, 1], [2, 1], [1, 1], [0, 0]] * 20),
                  classes=np.array(["a", "b"]), names=("f", "g"))


@pytest.mark.parametrize("method", ["dawid_skene", "majority_vote", "matrix_completion"])
def test_label_model_refuses_a_vote_past_the_classes(method):
    # Dawid-Skene fitted, reading the vote 2 as an abstain (its one-hot slot);
    # the majority vote raised a bare IndexError
    with pytest.raises(InvalidParameterError, match=r"'L'.*index its 2 classes.*the vote 2"):
        LabelModel(method=method, rng=0).fit(BAD)


def test_analyze_refuses_a_vote_past_the_classes():
    with pytest.raises(InvalidParameterError, match=r"'L'.*index its 2 classes.*the vote 2"):
        analyze(BAD)


def test_float_votes_in_a_label_matrix_are_refused():
    bad = LabelMatrix(values=np.array([[0.0, 1.0], [1.0, 0.5]]), classes=np.array([0, 1]),
                      names=("f", "g"))
    with pytest.raises(InvalidParameterError, match=r"'L'.*integer votes"):
        analyze(bad)


def test_a_valid_hand_built_label_matrix_still_works():
    good = LabelMatrix(values=[[0, 1], [1, 1], [-1, 0], [0, 0]] * 20,
                       classes=np.array(["a", "b"]), names=("f", "g"))
    model = LabelModel(method="majority_vote", rng=0).fit(good)
    assert model.predict(good)[:4].tolist() == [model.predict(good)[0], "b", "a", "a"]
    assert analyze(good).coverage.tolist() == [0.75, 1.0]
