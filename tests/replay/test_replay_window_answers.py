"""``replay`` checks a window's answer as a ``WindowSelection``.

A window returning a duck-typed selection had its ``sample_weight`` sliced to
the training rows unchecked: weights for every row of the history were given,
from the first, to the rows trained on (a silently different fit). A float
``start`` failed in slicing, and a tuple with an AttributeError.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, RecencyWeights
from mllifecycle.replay import replay


def _data():
    r = np.random.default_rng(0)
    X = r.normal(size=(900, 2))
    return X, (X[:, 0] > 0).astype(int)


class _Duck:
    def __init__(self, answer):
        self.answer = answer

    def select(self, state):
        return self.answer(state.labels_available)


def _run(window, **kw):
    X, y = _data()
    return replay(X, y, LogisticRegression(), {"p": Periodic(every=200)},
                  initial_train_size=500, window=window, **kw)["p"]


@pytest.mark.parametrize(("answer", "match"), [
    # one weight per row of the history, not per selected row
    (lambda stop: types.SimpleNamespace(start=stop - 300, stop=stop,
                                        sample_weight=np.ones(stop)),
     r"'sample_weight' parameter of WindowSelection.*300 weights.*\(700,\)"),
    (lambda stop: types.SimpleNamespace(start=np.float64(stop - 300), stop=stop),
     r"'start' parameter of WindowSelection"),
    (lambda stop: types.SimpleNamespace(start=True, stop=stop),
     r"'start' parameter of WindowSelection"),
    (lambda stop: (stop - 300, stop),
     r"'window' parameter of replay \(policy 'p', step 700\).*_Duck\.select returning tuple"),
])
def test_bad_window_answers_are_refused(answer, match):
    with pytest.raises(InvalidParameterError, match=match):
        _run(_Duck(answer))


def test_duck_selection_is_used_as_a_window_selection():
    w = RecencyWeights(100.0, max_samples=300)

    class Copy:
        def select(self, state):
            sel = w.select(state)
            return types.SimpleNamespace(start=sel.start, stop=sel.stop,
                                         sample_weight=sel.sample_weight, window="copy")

    a, b = _run(Copy()), _run(w)
    assert a.accuracy == b.accuracy
    assert [(e.train_start, e.train_stop) for e in a.events] == \
        [(e.train_start, e.train_stop) for e in b.events]
