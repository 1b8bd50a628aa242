"""``finetune``/``progressive`` take a scikit-learn splitter as ``cv``, as every other
cross-validating function of the library does.

The tuning of ``source_weight="auto"`` took ``cv`` as an int only: ``GroupKFold(5)``
was refused ("must be an int in the range [2, inf)"), so a user with a group
splitter, a stratified or repeated splitter, or predefined folds could not use
it. The splits now follow the gain functions' rules (``mllifecycle._gain``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    PredefinedSplit,
    RepeatedKFold,
    StratifiedKFold,
)

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.transfer import finetune, progressive, transfer_gain

LR = LogisticRegression()


def data(seed: int = 0, n_groups: int = 12, per: int = 5):
    rng = np.random.default_rng(seed)
    Xs = rng.normal(size=(300, 3))
    ys = (Xs[:, 0] + Xs[:, 1] > 0).astype(int)
    g = np.repeat(np.arange(n_groups), per)
    Xt = rng.normal(size=(g.shape[0], 3)) + rng.normal(0, 1, (n_groups, 3))[g]
    yt = (Xt[:, 0] + 1.3 * Xt[:, 1] + rng.normal(0, 0.5, g.shape[0]) > 0).astype(int)
    return (Xs, ys), (Xt, yt), g


def by_hand(source, target, candidates, splits):
    """Mean held-out accuracy of each candidate source weight over ``splits``."""
    (Xs, ys), (Xt, yt) = source, target
    out = []
    for w in candidates:
        scores = []
        for tr, te in splits:
            if w == 0.0:
                m = LogisticRegression().fit(Xt[tr], yt[tr])
            else:
                m = LogisticRegression().fit(
                    np.concatenate([Xs, Xt[tr]]), np.concatenate([ys, yt[tr]]),
                    sample_weight=np.concatenate([np.full(len(ys), w), np.ones(len(tr))]))
            scores.append(m.score(Xt[te], yt[te]))
        out.append(float(np.mean(scores)))
    return out


@pytest.mark.parametrize("cv", [GroupKFold(4), KFold(4), StratifiedKFold(3),
                                RepeatedKFold(n_splits=3, n_repeats=2, random_state=0)],
                         ids=["GroupKFold", "KFold", "StratifiedKFold", "RepeatedKFold"])
def test_a_splitter_tunes_on_its_own_splits(cv):
    source, target, g = data(0)
    groups = g if isinstance(cv, GroupKFold) else None
    res = finetune(LR, source, target, strategy="weighted", cv=cv, groups=groups, rng=0)
    splits = list(cv.split(target[0], target[1], groups))
    want = by_hand(source, target, res.details["candidates"], splits)
    np.testing.assert_allclose(res.details["cv_scores"], want, rtol=1e-12)
    assert res.details["n_splits"] == len(splits)
    assert res.details["cv"] == type(cv).__name__
    assert res.source_weight == res.details["candidates"][int(np.argmax(want))]
    res.to_dict()  # JSON-safe details


def test_an_int_cv_gives_the_answers_it_always_gave():
    from mllifecycle._estimators import new_seed

    source, target, _ = data(1)
    res = finetune(LR, source, target, strategy="weighted", cv=4, rng=3)
    # the model's seed (the first draw from rng) shuffles stratified folds, as before
    seed = new_seed(np.random.default_rng(3))
    splits = list(StratifiedKFold(4, shuffle=True, random_state=seed).split(*target))
    np.testing.assert_allclose(res.details["cv_scores"],
                               by_hand(source, target, res.details["candidates"], splits),
                               rtol=1e-12)
    assert res.details["cv"] == 4
    assert res.details["n_splits"] == 4
    again = finetune(LR, source, target, strategy="weighted", cv=np.int64(4), rng=3)
    assert again.details == res.details


def test_a_group_splitter_without_groups_names_groups():
    source, target, _ = data(0)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'groups' parameter of finetune must be one group label per "
                             r"row: cv=GroupKFold splits by group"):
        finetune(LR, source, target, strategy="weighted", cv=GroupKFold(3), rng=0)


def test_kfold_given_groups_names_cv():
    source, target, g = data(0)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'cv' parameter of finetune must be a splitter that keeps "
                             r"every group on one side"):
        finetune(LR, source, target, strategy="weighted",
                 cv=KFold(3, shuffle=True, random_state=0), groups=g, rng=0)


class Masks:
    """A splitter giving boolean masks (as scikit-learn reads them)."""

    def split(self, X, y=None, groups=None):
        n = len(X)
        for k in range(3):
            test = np.arange(n) % 3 == k
            yield ~test, test


def test_masks_are_read_as_masks():
    source, target, _ = data(2)
    n = target[0].shape[0]
    masks = finetune(LR, source, target, strategy="weighted", cv=Masks(), rng=0)
    fold = PredefinedSplit(np.arange(n) % 3)
    ref = finetune(LR, source, target, strategy="weighted", cv=fold, rng=0)
    assert masks.details["cv_scores"] == ref.details["cv_scores"]
    assert masks.details["n_splits"] == 3


def test_repeated_identical_splits_are_counted_once():
    source, target, _ = data(3)
    xt, yt = target[0][:10], target[1][:10]
    with pytest.warns(DegenerateDataWarning, match="20 of 30 splits repeat earlier ones"):
        rep = finetune(LR, source, (xt, yt), strategy="weighted",
                       cv=RepeatedKFold(n_splits=10, n_repeats=3, random_state=0), rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        loo = finetune(LR, source, (xt, yt), strategy="weighted", cv=LeaveOneOut(), rng=0)
    assert rep.details["n_splits"] == 10
    assert rep.details["n_duplicate_splits"] == 20
    assert rep.details["cv_scores"] == loo.details["cv_scores"]


def test_progress_counts_the_splitters_fits():
    source, target, g = data(0)
    seen: list[tuple[int, int]] = []
    res = finetune(LR, source, target, strategy="weighted", cv=GroupKFold(6), groups=g,
                   progress=lambda d, t: seen.append((d, t)), rng=0)
    total = 1 + len(res.details["candidates"]) * 6
    assert seen[-1] == (total, total)
    assert len(seen) == total


@pytest.mark.parametrize(("cv", "match"), [
    (KFold, r"'cv' parameter of finetune must be an int >= 2 or a splitter instance "
            r"\(e\.g\. KFold\(5\)\)\. Got the class KFold"),
    ("kfold", r"'cv' parameter of finetune must be an int >= 2 or a scikit-learn "
              r"splitter with split\(X, y\)\. Got 'kfold'"),
    (1, r"'cv' parameter of finetune must be an int in the range \[2, inf\)\. Got 1"),
    # a bool is neither an int nor a splitter (as the gain functions read cv)
    (True, r"'cv' parameter of finetune must be an int >= 2 or a scikit-learn "
           r"splitter with split\(X, y\)\. Got True"),
])
def test_bad_cv_is_refused(cv, match):
    source, target, _ = data(0)
    with pytest.raises(InvalidParameterError, match=match):
        finetune(LR, source, target, strategy="weighted", cv=cv, rng=0)


def test_progressive_takes_a_splitter_per_stage():
    source, target, g = data(0)
    val = data(5)[1]
    res = progressive(LR, [source, target], validation=val, strategy="weighted",
                      cv=GroupKFold(4), groups=[None, g], rng=0)
    det = res.stages[1].details
    splits = list(GroupKFold(4).split(target[0], target[1], g))
    np.testing.assert_allclose(det["cv_scores"],
                               by_hand(source, target, det["candidates"], splits), rtol=1e-12)
    assert det["n_groups"] == 12
    assert det["n_splits"] == 4


def test_progressive_names_the_stage_without_groups_before_training():
    source, target, g = data(0)
    val = data(5)[1]
    calls: list[int] = []
    stages = {"public": source, "weak": target, "gold": target}
    with pytest.raises(InvalidParameterError,
                       match=r"The \"groups\['gold'\]\" parameter of progressive must be one "
                             r"group label per row: cv=GroupKFold splits by group"):
        progressive(LR, stages, validation=val, strategy="weighted", cv=GroupKFold(3),
                    groups={"weak": g}, progress=lambda d, t: calls.append(d), rng=0)
    assert calls == []  # refused before any stage was trained
    with pytest.raises(InvalidParameterError, match=r"The 'groups' parameter of progressive"):
        progressive(LR, [source, target], validation=val, strategy="weighted",
                    cv=GroupKFold(3), rng=0)


def test_transfer_gain_passes_a_splitter_on_with_each_folds_groups():
    source, target, g = data(0)
    res = transfer_gain(LR, source, target, groups=g, cv=3, n_repeats=1,
                        finetune_params={"cv": GroupKFold(3)}, rng=0)
    assert res.n_splits == 3
    assert len(res.details["source_weights"]) == 3
    with pytest.raises(InvalidParameterError,
                       match=r"The \"finetune_params\['cv'\]\" parameter of transfer_gain must "
                             r"be a splitter that keeps every group on one side"):
        transfer_gain(LR, source, target, groups=g, cv=3, n_repeats=1,
                      finetune_params={"cv": KFold(3, shuffle=True, random_state=1)}, rng=0)
    with pytest.raises(InvalidParameterError,
                       match=r"The \"finetune_params\['cv'\]\" parameter of transfer_gain must "
                             r"be an int >= 2 or a scikit-learn splitter"):
        transfer_gain(LR, source, target, n_repeats=1, finetune_params={"cv": "x"}, rng=0)

