"""Hunt: the budget helpers refuse numbers given as text, as their scalar checks do.

``np.asarray(values, dtype=float)`` parsed text: ``redundancy("0.7", 0.9)``
planned 9 answers per item (where ``majority_vote_accuracy("0.7", 3)``
refuses it), ``fit_curve(["100", ...], ...)`` fitted a curve,
``curve.predict("1600")`` predicted.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_compute, fit_curve, learning_curve, redundancy
from mllifecycle.exceptions import InvalidParameterError

SIZES = [100, 200, 400, 800]
SCORES = [0.8, 0.85, 0.87, 0.88]
CURVE = fit_curve(SIZES, SCORES, rng=0)

CASES = [
    (lambda: redundancy("0.7", 0.9, rng=0),
     "The 'worker_accuracy' parameter of redundancy must be accuracies in (0, 1] (numbers, "
     "not text). Got '0.7' instead."),
    (lambda: redundancy(["0.7", "0.8", "0.9"], 0.9, rng=0),
     "The 'worker_accuracy' parameter of redundancy must be accuracies in (0, 1] (numbers, "
     "not text). Got ['0.7', '0.8', '0.9'] instead."),
    (lambda: fit_curve(["100", "200", "400", "800"], SCORES, rng=0),
     "The 'sizes' parameter of fit_curve must be a 1-D sequence of positive training sizes "
     "(numbers, not text). Got ['100', '200', '400', '800'] instead."),
    (lambda: fit_curve(SIZES, [[0.8, "0.8"], [0.85, 0.85], [0.87, 0.87], [0.88, 0.88]],
                       rng=0),
     "The 'scores' parameter of fit_curve must be numeric scores (numbers, not text). Got "
     "[[0.8, '0.8'], [0.85, 0.85], [0.87, 0.87], [0.88, 0.88]] instead."),
    (lambda: CURVE.predict("1600"),
     "The 'n_samples' parameter of LearningCurve.predict must be positive training sizes "
     "(numbers, not text). Got '1600' instead."),
    (lambda: CURVE.interval(["1600"]),
     "The 'n_samples' parameter of LearningCurve.interval must be positive training sizes "
     "(numbers, not text). Got ['1600'] instead."),
    (lambda: fit_compute([100, 200, 400], [5, 5, 5], ["1", "4", "16"]),
     "The 'seconds' parameter of fit_compute must be positive numbers (numbers, not text). "
     "Got ['1', '4', '16'] instead."),
    (lambda: learning_curve(None, np.zeros((10, 2)), np.zeros(10), ["2", "3", "4"]),
     "The 'sizes' parameter of learning_curve must be integer training sizes (numbers, not "
     "text). Got ['2', '3', '4'] instead."),
]


@pytest.mark.parametrize(("call", "message"), CASES,
                         ids=["redundancy-str", "redundancy-list", "curve-sizes",
                              "curve-scores", "predict", "interval", "compute-seconds",
                              "learning-curve-sizes"])
def test_text_is_refused(call, message) -> None:
    with pytest.raises(InvalidParameterError) as info:
        call()
    assert str(info.value) == message


def test_text_in_a_pandas_column_is_refused() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidParameterError, match=r"'scores' parameter of fit_curve must "
                       r"be numeric scores \(numbers, not text\)"):
        fit_curve(SIZES, pd.Series([str(s) for s in SCORES]), rng=0)


def test_numbers_still_work() -> None:
    assert redundancy([0.7], 0.9, rng=0).majority_needed == 9
    assert redundancy(np.float32(0.7), 0.9, rng=0).majority_needed == 9
    assert fit_curve(np.array(SIZES, dtype=np.int64),
                     np.array(SCORES, dtype=object), rng=0).params == CURVE.params
