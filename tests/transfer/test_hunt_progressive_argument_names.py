"""Hunt: progressive's errors about a stage name the stage, not a 'target' it has no such argument.

The source-weight tuning and the warm-start class check were shared with
finetune and said "The 'target' parameter of progressive must be ...":
progressive has no ``target``; the rows at fault are ``stages[k]``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive

_rng = np.random.default_rng(0)
X = _rng.normal(size=(100, 2))
Y = (X[:, 0] > 0).astype(int)
Y3 = np.digitize(X[:, 1], [-0.5, 0.5])

CASES = [
    (lambda: progressive(LogisticRegression(), [(X, Y), (X[:3], Y[:3])], validation=(X, Y),
                         rng=0),
     "The 'stages[1]' parameter of progressive must be at least cv=5 rows to tune "
     "source_weight='auto' (or pass a fixed source_weight). Got 3 row(s) instead."),
    (lambda: progressive(LogisticRegression(), {"public": (X, Y), "weak": (X, Y),
                                                "gold": (X[:4], Y[:4])},
                         validation=(X, Y), tolerance=1.0, rng=0),
     "The 'stages[2]' parameter of progressive must be at least cv=5 rows to tune "
     "source_weight='auto' (or pass a fixed source_weight). Got 4 row(s) instead."),
    (lambda: progressive(GradientBoostingClassifier(n_estimators=3), [(X, Y), (X, Y3)],
                         validation=(X, Y), strategy="warm_start", rng=0),
     "The 'stages[1]' parameter of progressive must be labels with the same classes as the "
     "model kept so far for strategy 'warm_start' (use 'weighted' or 'partial_fit'). Got "
     "classes [0, 1, 2] after [0, 1] instead."),
    # finetune keeps its own argument's name
    (lambda: finetune(LogisticRegression(), (X, Y), (X[:3], Y[:3]), rng=0),
     "The 'target' parameter of finetune must be at least cv=5 rows to tune "
     "source_weight='auto' (or pass a fixed source_weight). Got 3 row(s) instead."),
    (lambda: finetune(GradientBoostingClassifier(n_estimators=3), (X, Y), (X, Y3),
                      strategy="warm_start", rng=0),
     "The 'target' parameter of finetune must be labels with the same classes as the "
     "source for strategy 'warm_start' (use 'weighted' or 'partial_fit'). Got classes "
     "[0, 1, 2] after [0, 1] instead."),
]


@pytest.mark.parametrize(("call", "message"), CASES,
                         ids=["list-tuning", "dict-tuning", "warm-start-classes",
                              "finetune-tuning", "finetune-warm-start"])
def test_errors_name_the_callers_argument(call, message) -> None:
    with pytest.raises(InvalidParameterError) as info:
        call()
    assert str(info.value) == message
