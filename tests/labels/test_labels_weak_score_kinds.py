"""Weak supervision answers that were silently wrong on inputs the main tests skip."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelModel, analyze, apply, labeling_function


def test_score_refuses_text_labels_for_number_classes():
    # "0"/"1" never equal 0/1: every prediction counted wrong, score 0.0
    L = np.array([[0, 0], [1, 1], [-1, -1]] * 20)
    model = LabelModel(method="majority_vote").fit(L)
    assert model.score(L, [0, 1, 1] * 20) == 1.0
    assert model.score(L, np.array([0.0, 1.0, 1.0] * 20)) == 1.0
    with pytest.raises(InvalidParameterError, match=r"'y'.*numbers, such as 0.*text"):
        model.score(L, ["0", "1", "1"] * 20)


def test_score_refuses_class_indices_for_text_classes():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]] * 10)
    lfs = [
        labeling_function(lambda x: "pos" if x[0] > 0 else "neg", name="sign"),
        labeling_function(lambda x: "pos" if x[0] > 1 else ABSTAIN, name="big"),
    ]
    L = apply(lfs, X)
    model = LabelModel(method="majority_vote").fit(L)
    assert model.score(L, ["neg", "neg", "pos", "pos"] * 10) == 1.0
    with pytest.raises(InvalidParameterError, match=r"'y'.*text, such as 'neg'.*numbers"):
        model.score(L, [0, 0, 1, 1] * 10)


def test_analyze_interval_stays_within_zero_and_one():
    # Wilson bounds at accuracy 1 (or 0) came out as 1.0000000000000002 (or -1e-17)
    for n in (20, 30, 50, 97):
        L = np.array([[0], [1]] * n)
        right = analyze(L, y=[0, 1] * n)
        wrong = analyze(L, y=[1, 0] * n)
        assert right.accuracy[0] == 1.0
        assert right.ci_high[0] == 1.0
        assert wrong.accuracy[0] == 0.0
        assert wrong.ci_low[0] == 0.0
        assert 0.0 < right.ci_low[0] < 1.0
        assert 0.0 < wrong.ci_high[0] < 1.0
