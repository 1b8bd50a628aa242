"""Second hunt: refit to more classes with reset_on_refit=False, and score's weights."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 0).astype(int)
    keys = rng.integers(0, 5, 300)
    return X, y, keys


def test_refit_to_three_classes_with_no_key_held_keeps_working():
    # reset_on_refit=False but no key held: nothing to keep, the per-class state
    # of the old two classes broke partial_fit with a raw broadcasting ValueError
    X, y, keys = _data()
    model = TwoTier(LogisticRegression(), reset_on_refit=False, tau=2.0).fit(X, y)
    y3 = y.copy()
    y3[:60] = 2
    model.fit(X, y3)
    model.partial_fit(X, y3, keys)
    ref = TwoTier(LogisticRegression(), tau=2.0).fit(X, y3).partial_fit(X, y3, keys)
    np.testing.assert_allclose(model.predict_proba(X, keys), ref.predict_proba(X, keys))
    assert model.predict_proba(X[:3], keys[:3]).shape == (3, 3)


def test_refit_to_three_classes_after_reset_local():
    X, y, keys = _data()
    model = TwoTier(LogisticRegression(), reset_on_refit=False).fit(X, y)
    model.partial_fit(X, y, keys)
    model.reset_local()
    y3 = y.copy()
    y3[:60] = 2
    model.fit(X, y3).partial_fit(X, y3, keys)
    assert model.local_state(int(keys[0]))["counts"].shape == (3,)


def test_score_refuses_negative_weights():
    # the wrong last row weighted -1 gave an "accuracy" of 4/3
    X = np.array([[0.0], [1.0], [2.0], [3.0], [3.5]])
    y = np.array([0, 0, 1, 1, 0])
    model = TwoTier(LogisticRegression()).fit(X[:4], y[:4])
    assert model.predict(X).tolist() == [0, 0, 1, 1, 1]
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        model.score(X, y, sample_weight=[1.0, 1.0, 1.0, 1.0, -1.0])


@pytest.mark.parametrize("w", [[1, 1, 1, np.nan], [0, 0, 0, 0], [1, 1]])
def test_score_weights_errors_name_sample_weight(w):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    model = TwoTier(LogisticRegression()).fit(X, y)
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        model.score(X, y, sample_weight=w)


def test_score_weights_match_hand_count():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [1.4]])
    y = np.array([0, 0, 1, 1, 0])
    model = TwoTier(LogisticRegression()).fit(X[:4], y[:4])
    pred = model.predict(X)
    w = np.array([1.0, 2.0, 0.0, 1.0, 3.0])
    expected = float(np.sum(w * (pred == y)) / w.sum())
    assert model.score(X, y, sample_weight=w) == pytest.approx(expected)


@pytest.mark.parametrize("as_text", [True, False])
def test_score_refuses_labels_of_another_kind_naming_y(as_text):
    X, y, _ = _data()
    ys = np.where(y == 1, "1", "0")
    model = TwoTier(LogisticRegression()).fit(X, y if as_text else ys)
    with pytest.raises(InvalidParameterError, match="'y'"):
        model.score(X, ys if as_text else y)


def test_score_with_object_labels_of_the_classes_kind_still_scores():
    X, y, keys = _data()
    model = TwoTier(LogisticRegression()).fit(X, y).partial_fit(X, y, keys)
    expected = float(np.mean(model.predict(X, keys) == y))
    assert model.score(X, y.astype(object), keys=keys) == pytest.approx(expected)
    assert model.score(X, y.astype(float), keys=keys) == pytest.approx(expected)

