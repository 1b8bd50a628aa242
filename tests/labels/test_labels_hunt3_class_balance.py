"""LabelModel's class_balance keyed by class is read by class, not by position."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelModel, apply

pd = pytest.importorskip("pandas")

TEXTS = ["win cash", "meeting at 3", "win a meeting", "hello"] * 20
LFS = [lambda s: "spam" if "win" in s else ABSTAIN,
       lambda s: "ham" if "meeting" in s else ABSTAIN]


@pytest.mark.parametrize("method", ["dawid_skene", "matrix_completion", "majority_vote"])
@pytest.mark.parametrize("keyed", [
    {"spam": 0.3, "ham": 0.7},
    pd.Series({"spam": 0.3, "ham": 0.7}),
])
def test_balance_keyed_by_class(method, keyed):
    # classes are sorted (ham, spam): read by position, ham got spam's 0.3
    L = apply(LFS, TEXTS)
    assert L.classes.tolist() == ["ham", "spam"]
    model = LabelModel(method=method, class_balance=keyed, rng=0).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.7, 0.3])
    ref = LabelModel(method=method, class_balance=[0.7, 0.3], rng=0).fit(L)
    np.testing.assert_allclose(model.predict_proba(L), ref.predict_proba(L))


def test_balance_in_order_unchanged():
    L = apply(LFS, TEXTS)
    for given in ([0.3, 0.7], np.array([0.3, 0.7]), pd.Series([0.3, 0.7])):
        model = LabelModel(class_balance=given, rng=0).fit(L)
        np.testing.assert_allclose(model.class_balance_, [0.3, 0.7])


@pytest.mark.parametrize(("keyed", "match"), [
    ({"spam": 0.3, "eggs": 0.7}, "keyed by the classes"),
    ({"spam": 0.3, "ham": 0.5, "x": 0.2}, "keyed by the classes"),
    (pd.Series([0.3, 0.7], index=[5, 6]), "same kind"),
    ({"spam": "a", "ham": 0.7}, "positive probabilities"),
])
def test_balance_with_other_keys_refused(keyed, match):
    with pytest.raises(InvalidParameterError, match=match):
        LabelModel(class_balance=keyed).fit(apply(LFS, TEXTS))


def test_flag_keys_for_number_classes_refused():
    votes = np.array([[1, -1], [-1, 0], [1, 0], [-1, -1]] * 20)
    with pytest.raises(InvalidParameterError, match="booleans"):
        LabelModel(class_balance={True: 0.3, False: 0.7}).fit(votes)
    model = LabelModel(class_balance={1: 0.3, 0: 0.7}).fit(votes)
    np.testing.assert_allclose(model.class_balance_, [0.7, 0.3])


def test_dict_balance_at_construction_checked_by_value():
    # a dict raised a bare "float() argument must be ..." TypeError
    with pytest.raises(InvalidParameterError, match="class_balance"):
        LabelModel(class_balance={0: 0.5, 1: 0.6}, n_classes=2)
    LabelModel(class_balance={0: 0.4, 1: 0.6}, n_classes=2)


def _crowd():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 40)
    return [(t, w, ["x", "y"][k if rng.random() < 0.7 else 1 - k])
            for t, k in enumerate(truth) for w in range(3)]


@pytest.mark.parametrize("keyed", [{"y": 0.8, "x": 0.2}, pd.Series({"y": 0.8, "x": 0.2})])
def test_glad_class_prior_keyed_by_class(keyed):
    from mllifecycle.labels import glad

    answers = _crowd()
    ref = glad(answers, class_prior=[0.2, 0.8], rng=0)
    res = glad(answers, class_prior=keyed, rng=0)
    np.testing.assert_allclose(res.prior, [0.2, 0.8])
    assert res == ref
    # read by position the prior was the other way round
    assert res != glad(answers, class_prior=[0.8, 0.2], rng=0)


def test_glad_class_prior_other_keys_refused():
    from mllifecycle.labels import glad

    with pytest.raises(InvalidParameterError, match="keyed by the classes"):
        glad(_crowd(), class_prior={"y": 0.8, "z": 0.2})
    with pytest.raises(InvalidParameterError, match="class_prior"):
        glad(_crowd(), class_prior={"y": "a", "x": 0.2})
