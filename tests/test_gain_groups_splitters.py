"""What a splitter gives the gain estimates is checked: masks, overlaps, ranges.

scikit-learn's ``cross_validate`` reads a splitter's boolean masks as masks;
the gain estimates read them as the row numbers 0 and 1 (a score of a model
trained on two rows, exit 0), and took a training set holding the test rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold, KFold, cross_validate
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain
from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import SelfTraining, out_of_fold_proba, pseudo_label_gain
from mllifecycle.transfer import transfer_gain


def jitter(X, y, rng=None):
    gen = np.random.default_rng(rng)
    return np.r_[X, X + gen.normal(0, 0.1, X.shape)], np.r_[y, y]


class Thirds:
    """Every third row held out in turn, given as masks, indices or a faulty variant."""

    def __init__(self, how="indices"):
        self.how = how

    def get_n_splits(self, X=None, y=None, groups=None):
        return 3

    def split(self, X, y=None, groups=None):
        n = len(X)
        for k in range(3):
            test = np.arange(n) % 3 == k
            if self.how == "masks":
                yield ~test, test
            elif self.how == "overlap":
                yield np.arange(n), np.flatnonzero(test)
            elif self.how == "out of range":
                yield np.flatnonzero(~test) + 1, np.flatnonzero(test)
            elif self.how == "empty":
                yield np.flatnonzero(~test), np.array([], dtype=int)
            else:
                yield np.flatnonzero(~test), np.flatnonzero(test)


def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    y = (X[:, 0] + rng.normal(0, 1, 90) > 0).astype(int)
    return X, y


def run(kind, X, y, cv, groups=None):
    if kind == "augment":
        return augmentation_gain(GaussianNB(), X, y, jitter, cv=cv, groups=groups, rng=0)
    if kind == "transfer":
        return transfer_gain(GaussianNB(), (X, y), (X, y), cv=cv, groups=groups, rng=0,
                             finetune_params={"source_weight": 1.0})
    if kind == "curve":
        return learning_curve(GaussianNB(), X, y, [30, 45, 60], cv=cv, groups=groups)
    if kind == "oof":
        return out_of_fold_proba(GaussianNB(), X, y, cv=cv, groups=groups, rng=0)
    yp = np.where(np.arange(y.shape[0]) % 4 == 3, -1, y)
    return pseudo_label_gain(SelfTraining(GaussianNB()), X, yp, cv=cv, groups=groups, rng=0)


@pytest.mark.parametrize("kind", ["augment", "transfer", "pseudo"])
def test_boolean_masks_are_read_as_masks(kind):
    X, y = data()
    masks = run(kind, X, y, Thirds("masks"))
    indices = run(kind, X, y, Thirds())
    assert masks.baseline_scores == indices.baseline_scores
    assert masks.n_train == indices.n_train


def test_masks_give_scikit_learns_scores():
    X, y = data()
    res = augmentation_gain(GaussianNB(), X, y, jitter, cv=Thirds("masks"), rng=0)
    ref = cross_validate(GaussianNB(), X, y, cv=Thirds("masks"))["test_score"]
    assert res.baseline_scores == pytest.approx(tuple(ref))
    assert (res.n_train, res.n_test) == (60, 30)


@pytest.mark.parametrize("kind", ["augment", "transfer", "pseudo"])
@pytest.mark.parametrize(("how", "match"), [
    ("overlap", r"'cv'.*training and test rows are disjoint.*30 row\(s\)"),
    ("out of range", r"'cv'.*row indices in \[0, \d+\).*training row \d+"),
    ("empty", r"'cv'.*non-empty training and test rows.*no test row"),
])
def test_faulty_splits_are_refused_naming_cv(kind, how, match):
    X, y = data()
    if kind == "pseudo" and how == "overlap":
        match = match.replace("30", r"\d+")
    with pytest.raises(InvalidParameterError, match=match):
        run(kind, X, y, Thirds(how))


@pytest.mark.parametrize("kind", ["augment", "transfer", "pseudo", "curve", "oof"])
@pytest.mark.parametrize(("cv", "groups", "match"), [
    # a class, not an instance: its unbound split failed deep in scikit-learn
    (KFold, None, r"The 'cv' parameter of \w+ must be an int >= 2 or a splitter "
                  r"instance.*Got the class KFold"),
    # scikit-learn's bare ValueError named no argument
    (GroupKFold(5), np.repeat(np.arange(3), 30),
     r"The 'cv' parameter of \w+ must be a splitter that can split these rows\. Got "
     r"GroupKFold, which refused them: Cannot have number of splits n_splits=5 greater "
     r"than the number of groups: 3"),
    (KFold(100), None, r"The 'cv' parameter of \w+ must be a splitter that can split these "
                       r"rows\. Got KFold, which refused them: Cannot have number of splits"),
])
def test_splitters_that_cannot_split_are_refused_naming_cv(kind, cv, groups, match):
    X, y = data()
    with pytest.raises(InvalidParameterError, match=match):
        run(kind, X, y, cv, groups)


def test_a_group_splitter_for_the_tuning_names_transfer_gains_groups():
    # "The 'groups' parameter of finetune" named a call the user never made
    X, y = data()
    with pytest.raises(InvalidParameterError,
                       match=r"The 'groups' parameter of transfer_gain must be one group label "
                             r"per row: cv=GroupKFold splits by group"):
        transfer_gain(SGDClassifier(random_state=0), (X, y), (X, y), method="weighted",
                      finetune_params={"cv": GroupKFold(3)}, cv=3, n_repeats=1, rng=0)
