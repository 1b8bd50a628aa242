"""pseudo_label_gain with scikit-learn's semi-supervised estimators and label kinds
they cannot fit beside their -1 marker: a clear error naming y, not sklearn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import LabelPropagation, LabelSpreading, SelfTrainingClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import pseudo_label_gain


def _data(names):
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-1.5, 1, (60, 2)), rng.normal(1.5, 1, (60, 2))]
    y = np.repeat([0, 1], 60)
    lab = rng.random(120) < 0.25
    out = np.empty(120, dtype=object)
    out[:] = [names[v] if keep else None for v, keep in zip(y.tolist(), lab.tolist(),
                                                             strict=True)]
    return X, out


@pytest.mark.parametrize(
    ("semi", "names", "expected"),
    [
        (LabelSpreading(), ("a", "b"), r"labels LabelSpreading can fit.*\(numbers: encode "
         r"text labels.*Got text labels such as 'a'"),
        (LabelPropagation(), ("a", "b"), r"labels LabelPropagation can fit.*Got text labels"),
        (LabelSpreading(), (False, True), r"Got boolean labels such as False"),
        (SelfTrainingClassifier(LogisticRegression()), (False, True),
         r"labels SelfTrainingClassifier can fit.*\(numbers or text: encode boolean labels"),
    ],
    ids=["spreading-text", "propagation-text", "spreading-bool", "self-training-bool"],
)
def test_labels_sklearn_cannot_fit_beside_minus_one_are_refused_naming_y(semi, names,
                                                                         expected):
    X, y = _data(names)
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of pseudo_label_gain.*"
                       + expected):
        pseudo_label_gain(semi, X, y, baseline=LogisticRegression(), cv=3, n_repeats=1,
                          rng=0)


def test_text_labels_sklearn_can_fit_still_give_the_integer_labels_answer():
    X, y = _data(("a", "b"))
    X0, y0 = _data((0, 1))
    y0 = np.array([-1 if v is None else v for v in y0.tolist()])
    semi = SelfTrainingClassifier(LogisticRegression(), max_iter=1)
    got = pseudo_label_gain(semi, X, y, baseline=LogisticRegression(), cv=3, n_repeats=1,
                            rng=0)
    ref = pseudo_label_gain(semi, X0, y0, baseline=LogisticRegression(), cv=3, n_repeats=1,
                            rng=0)
    assert np.array_equal(got.candidate_scores, ref.candidate_scores)
    assert np.array_equal(got.baseline_scores, ref.baseline_scores)
