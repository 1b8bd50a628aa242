"""Wrong answers returned without an error, found by hunting edge cases.

Each test failed before its fix.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.augment import Mixup, adasyn, borderline_smote, random_oversample, smote
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError


def test_mixup_sampler_plan_for_regression_on_integer_target():
    """task="regression" on an integer target: the new rows carry mixed target
    values, so the plan is one group of 5 rows, not a "class" per mixed value."""
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.arange(20)
    sampler = Mixup(task="regression", n_samples=5, random_state=0)
    _, y_new = sampler.fit_resample(X, y)
    assert y_new.shape == (25,)
    assert sampler.sampling_strategy_ == {"all": 5}


# messages name a NumPy label as the user wrote it (1, 'b'), not its repr
# (np.int64(1), np.str_('b')), as class_plan's "one class" message does
_X = np.r_[np.random.default_rng(0).normal(size=(10, 2)), [[0.5, 0.5]]]
_MESSAGES = [
    (smote, {}, np.r_[np.zeros(10, int), [1]], "1 row of class 1 instead"),
    (adasyn, {}, np.r_[np.zeros(10, int), [1]], "1 row of class 1 instead"),
    (borderline_smote, {}, np.r_[np.zeros(10, int), [1]], "1 row of class 1 instead"),
    (smote, {}, np.array(["a"] * 10 + ["b"]), "1 row of class 'b' instead"),
    (random_oversample, {"shrinkage": {0: 1.0}}, np.r_[np.zeros(8, int), np.ones(3, int)],
     r"no factor for \[1\] instead"),
]


@pytest.mark.parametrize(("fn", "kwargs", "y", "match"), _MESSAGES)
def test_messages_show_labels_as_python_values(fn, kwargs, y, match):
    with pytest.raises(InvalidParameterError, match=match) as info:
        fn(_X, y, rng=0, **kwargs)
    assert "np." not in str(info.value)


def test_reduced_k_warning_shows_label_as_python_value():
    y = np.r_[np.zeros(8, int), np.ones(3, int)]
    with pytest.warns(DegenerateDataWarning, match=r"class 1 has 3 rows") as rec:
        smote(_X, y, rng=0)
    assert all("np." not in str(w.message) for w in rec)
