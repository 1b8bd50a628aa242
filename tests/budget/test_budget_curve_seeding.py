"""``learning_curve`` seeds an estimator's unset ``random_state`` from ``rng``.

The estimator was cloned by scikit-learn with its ``random_state=None``, so a
random forest (or any estimator drawing random numbers) gave another curve,
another prediction and another ``samples_needed`` at every call with the same
``rng``.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from mllifecycle.budget import learning_curve


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + 0.8 * rng.normal(size=400) > 0).astype(int)
    return X, y


def test_same_rng_same_curve_with_a_random_estimator():
    X, y = _data()
    est = RandomForestClassifier(n_estimators=5, max_features=1)
    kw = {"n_repeats": 1, "n_resamples": 50, "rng": 0}
    a = learning_curve(est, X, y, [40, 80, 160, 300], **kw)
    b = learning_curve(est, X, y, [40, 80, 160, 300], **kw)
    np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.predict([600]), b.predict([600]))
    # the user's estimator is left as it was
    assert est.random_state is None


def test_a_set_random_state_is_kept():
    X, y = _data()
    kw = {"n_repeats": 1, "n_resamples": 50, "rng": 0}
    a = learning_curve(RandomForestClassifier(n_estimators=5, random_state=3), X, y,
                       [40, 80, 160, 300], **kw)
    b = learning_curve(RandomForestClassifier(n_estimators=5, random_state=4), X, y,
                       [40, 80, 160, 300], **kw)
    assert not np.array_equal(a.scores, b.scores)
