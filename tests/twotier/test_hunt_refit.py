"""Hunt: refitting a TwoTier on new data (new feature count, new classes)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(300, 2))
X3 = RNG.normal(size=(300, 3))
Y = (X2[:, 0] > 0).astype(int)
Y3 = np.digitize(X2[:, 0], [-0.5, 0.5])
KEYS = RNG.integers(0, 3, 300)


def test_refit_with_another_feature_count_starts_afresh():
    # a refit on 3 features after a fit on 2 was refused ("must be 2 features")
    m = TwoTier(LogisticRegression()).fit(X2, Y)
    m.fit(X3, Y)
    fresh = TwoTier(LogisticRegression()).fit(X3, Y)
    assert m.n_features_in_ == 3
    np.testing.assert_array_equal(m.predict_proba(X3[:5]), fresh.predict_proba(X3[:5]))


def test_refit_keeping_the_local_tier_keeps_it_when_classes_match():
    m = TwoTier(LogisticRegression(), reset_on_refit=False).fit(X2, Y)
    m.partial_fit(X2[:60], Y[:60], KEYS[:60])
    before = m.local_state(int(KEYS[0]))
    m.fit(X2[100:], Y[100:])
    after = m.local_state(int(KEYS[0]))
    assert before is not None
    assert after is not None
    np.testing.assert_array_equal(after["counts"], before["counts"])


@pytest.mark.parametrize(
    ("estimator", "local", "X_new", "y_new", "match"),
    [
        # the per-class counts of the kept keys are indexed by the old classes:
        # predict_proba raised a raw broadcasting ValueError, or (same number of
        # classes, other names) silently applied class 0's correction to "neg"
        (LogisticRegression(), "bias", X2, Y3, r"'y' parameter of TwoTier.fit must be "
         r"labels of the kept local tier's classes \[0, 1\]"),
        (LogisticRegression(), "bias", X2, np.where(Y, "pos", "neg"),
         r"'y' parameter of TwoTier.fit must be labels of the kept local tier's classes"),
        # kept per-key copies of the old global model take 2 features
        (SGDClassifier(loss="log_loss", random_state=0), "partial_fit", X3, Y,
         r"'X' parameter of TwoTier.fit must be 2 features"),
    ],
)
def test_refit_keeping_the_local_tier_refuses_what_it_cannot_keep(
    estimator, local, X_new, y_new, match
):
    m = TwoTier(estimator, local=local, reset_on_refit=False).fit(X2, Y)
    m.partial_fit(X2[:60], Y[:60], KEYS[:60])
    proba = m.predict_proba(X2[:5], KEYS[:5])
    with pytest.raises(InvalidParameterError, match=match):
        m.fit(X_new, y_new)
    # the model is left as it was
    np.testing.assert_array_equal(m.predict_proba(X2[:5], KEYS[:5]), proba)
