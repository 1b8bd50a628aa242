"""The ``unlabelled`` marker is found however it is written.

Float labels with a NumPy scalar marker (``np.int64(-1)``, ``np.float32(-1)``)
used to find no unlabelled row: -1 became a third class. Text labels holding
``"-1"`` with the default marker ``-1`` did the same; that is now refused,
naming ``unlabelled``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, pseudo_label_gain, spread_labels

rng = np.random.default_rng(0)
X = np.r_[rng.normal(-1, 1, (60, 2)), rng.normal(1, 1, (60, 2))]
Y = np.r_[np.zeros(60, int), np.ones(60, int)]
YP = np.where(rng.random(120) < 0.3, Y, -1)


def _classes(fn, y, marker):
    if fn == "SelfTraining":
        return SelfTraining(LogisticRegression(), unlabelled=marker).fit(X, y).classes_.tolist()
    if fn == "spread_labels":
        return spread_labels(X, y, unlabelled=marker).classes.tolist()
    res = pseudo_label_gain(SelfTraining(LogisticRegression(), max_iter=1, unlabelled=marker), X, y,
                            unlabelled=marker, cv=2, n_repeats=1, rng=0)
    return [res.n_labelled, res.n_unlabelled]


FNS = ["SelfTraining", "spread_labels", "pseudo_label_gain"]


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize(
    "marker", [-1, -1.0, np.int64(-1), np.int32(-1), np.float32(-1), np.float64(-1)],
    ids=repr,
)
@pytest.mark.parametrize("dtype", [int, float])
def test_numpy_scalar_markers_find_the_unlabelled_rows(fn, marker, dtype):
    want = _classes(fn, YP, -1)
    assert _classes(fn, YP.astype(dtype), marker) == want


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("y", [YP.astype(str), YP.astype(str).astype(object)],
                         ids=["str", "object"])
def test_text_marker_written_as_a_number_is_refused(fn, y):
    with pytest.raises(InvalidParameterError, match=r"'unlabelled' parameter") as err:
        _classes(fn, y, -1)
    assert "'-1'" in str(err.value)
    # said in y's own type, it works
    got, want = _classes(fn, y, "-1"), _classes(fn, YP, -1)
    assert [str(v) for v in got] == [str(v) for v in want]
