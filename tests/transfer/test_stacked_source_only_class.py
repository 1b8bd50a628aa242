"""finetune(strategy="stacked") with a class only the source has warns that it is lost.

The stacked model learns the target's labels only: a source class the target
lacks vanished from ``classes_`` and ``predict_proba`` with no word, where
``warm_start`` refuses the case and ``weighted``/``partial_fit`` keep the class.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer import finetune, progressive


def _domains(target_classes: list[int]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    rng = np.random.default_rng(0)
    xs, ys = rng.normal(size=(90, 2)), np.repeat([0, 1, 2], 30)
    yt = np.repeat(target_classes, 40 // len(target_classes))
    xt = rng.normal(size=(yt.shape[0], 2))
    return (xs, ys), (xt, yt)


def test_stacked_warns_of_the_source_only_class() -> None:
    source, target = _domains([0, 1])
    with pytest.warns(DegenerateDataWarning, match=r"class\(es\) \[2\] absent from the target"):
        r = finetune(DecisionTreeClassifier(random_state=0), source, target,
                     strategy="stacked", rng=0)
    assert r.model.classes_.tolist() == [0, 1]


def test_progressive_stacked_warns_too() -> None:
    source, target = _domains([0, 1])
    with pytest.warns(DegenerateDataWarning, match="strategy 'stacked'"):
        progressive(DecisionTreeClassifier(random_state=0), [source, target],
                    validation=target, strategy="stacked", rng=0)


def test_stacked_with_every_class_in_the_target_is_quiet() -> None:
    source, target = _domains([0, 1, 2, 0])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        finetune(DecisionTreeClassifier(random_state=0), source, target,
                 strategy="stacked", rng=0)
    assert not [w for w in seen if issubclass(w.category, DegenerateDataWarning)]
