"""``groups=`` in the source-weight tuning of ``finetune`` and ``progressive``.

With target rows in groups (near-duplicates of one patient, one session),
tuning ``source_weight="auto"`` on folds that split groups lets the
target-only candidate (weight 0) memorise its way to a perfect score, so the
source is refused when it would have helped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive

N_GROUPS, PER = 20, 6


def data(seed: int = 0):
    """A clean source; a target of near-duplicate groups, 30 % of them mislabelled."""
    rng = np.random.default_rng(seed)
    Xs = rng.normal(size=(1000, 2))
    ys = (Xs.sum(1) > 0).astype(int)
    centers = rng.normal(size=(N_GROUPS, 2))
    lab = (centers.sum(1) > 0).astype(int)
    lab = np.where(rng.random(N_GROUPS) < 0.3, 1 - lab, lab)
    g = np.repeat(np.arange(N_GROUPS), PER)
    Xt = centers[g] + rng.normal(0, 0.01, (g.shape[0], 2))
    Xn = rng.normal(size=(2000, 2))
    return (Xs, ys), (Xt, lab[g]), g, (Xn, (Xn.sum(1) > 0).astype(int))


TREE = DecisionTreeClassifier()


def test_grouped_tuning_keeps_a_helpful_source():
    source, target, g, new = data(0)
    leaky = finetune(TREE, source, target, strategy="weighted", rng=0)
    honest = finetune(TREE, source, target, strategy="weighted", groups=g, rng=0)
    # split groups: the target-only candidate scored 1.0 and won (0.52 on new rows)
    assert leaky.source_weight == 0.0
    assert leaky.details["cv_scores"][0] == 1.0
    assert honest.source_weight > 0
    assert honest.model.score(*new) > leaky.model.score(*new) + 0.3
    assert honest.details["n_groups"] == N_GROUPS
    assert "n_groups" not in leaky.details


def test_same_rng_same_answer_and_series_by_label():
    source, target, g, _ = data(1)
    a = finetune(TREE, source, target, strategy="weighted", groups=g, rng=3)
    b = finetune(TREE, source, target, strategy="weighted", groups=list(g), rng=3)
    assert a.details == b.details
    assert a.source_weight == b.source_weight
    idx = [f"r{i}" for i in range(g.shape[0])]
    Xt = pd.DataFrame(target[0], index=idx, columns=["a", "b"])
    yt = pd.Series(target[1], index=idx)
    Xs = pd.DataFrame(source[0], columns=["a", "b"])
    order = np.random.default_rng(0).permutation(g.shape[0])
    ref = finetune(TREE, (Xs, source[1]), (Xt, yt), strategy="weighted", groups=g, rng=3)
    got = finetune(TREE, (Xs, source[1]), (Xt, yt), strategy="weighted",
                   groups=pd.Series(g, index=idx).iloc[order], rng=3)
    assert got.details == ref.details


def test_groups_unused_without_tuning():
    """A fixed source_weight runs no cross-validation: the same model either way."""
    source, target, g, _ = data(2)
    a = finetune(LogisticRegression(), source, target, source_weight=0.5, rng=0)
    b = finetune(LogisticRegression(), source, target, source_weight=0.5, groups=g, rng=0)
    np.testing.assert_array_equal(a.model.coef_, b.model.coef_)


def test_progressive_tunes_each_stage_by_its_groups():
    source, target, g, new = data(0)
    val = (new[0][:300], new[1][:300])
    stages = {"public": source, "gold": target}
    leaky = progressive(TREE, stages, validation=val, strategy="weighted", rng=0)
    honest = progressive(TREE, stages, validation=val, strategy="weighted",
                         groups={"gold": g}, rng=0)
    listed = progressive(TREE, list(stages.values()), validation=val, strategy="weighted",
                         groups=[None, g], rng=0)
    assert leaky.stages[1].details["source_weight"] == 0.0
    assert honest.stages[1].details["source_weight"] > 0
    assert honest.stages[1].details["n_groups"] == N_GROUPS
    assert listed.stages[1].details == honest.stages[1].details
    # stages keyed by non-text names: groups keyed as the stages are
    numbered = progressive(TREE, {0: source, 1: target}, validation=val,
                           strategy="weighted", groups={1: g}, rng=0)
    assert numbered.stages[1].details == honest.stages[1].details


@pytest.mark.parametrize(
    ("kwargs", "name", "words"),
    [
        ({"groups": np.arange(10)}, "groups", "one group label per row of target[0] (X)"),
        ({"groups": np.zeros(120)}, "groups", "at least 2 distinct groups"),
        ({"groups": [None, *range(119)]}, "groups", "a group label for every row"),
        ({"groups": np.zeros((120, 2))}, "groups", "1-D"),
        ({"groups": np.arange(120) % 3}, "cv", "at most the number of groups"),
        ({"groups": np.arange(120) % 4, "cv": True}, "cv", "an int"),
    ],
)
def test_finetune_refusals(kwargs, name, words):
    source, target, _, _ = data(3)
    with pytest.raises(InvalidParameterError) as info:
        finetune(TREE, source, target, strategy="weighted", rng=0, **kwargs)
    assert f"'{name}' parameter of finetune" in str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("as_dict", "groups", "words"),
    [
        (False, [None], "a list of 2 entries, one per stage"),
        (False, {"gold": "g"}, "a list of 2 entries, one per stage"),
        (False, "abc", "a list of 2 entries"),
        (True, [None, "g"], "a dict stage name -> group labels"),
        (True, {"golden": "g"}, "a dict whose keys are stage names"),
        (True, {"gold": np.arange(5)}, "one group label per row of stages[1][0] (X) (120)"),
        (False, [None, np.arange(120) % 2], "2 group(s) in the groups of stages[1]"),
    ],
)
def test_progressive_refusals(as_dict, groups, words):
    source, target, g, new = data(4)
    stages = {"public": source, "gold": target} if as_dict else [source, target]

    def fill(v):
        return g if isinstance(v, str) and v == "g" else v

    if isinstance(groups, dict):
        groups = {k: fill(v) for k, v in groups.items()}
    elif isinstance(groups, list):
        groups = [fill(v) for v in groups]
    with pytest.raises(InvalidParameterError) as info:
        progressive(TREE, stages, validation=(new[0][:100], new[1][:100]),
                    strategy="weighted", groups=groups, rng=0)
    assert "parameter of progressive" in str(info.value)
    assert words in str(info.value)


def test_transfer_gain_tunes_inside_each_fold_by_its_groups():
    """transfer_gain passes each training fold's groups to finetune's own tuning."""
    from mllifecycle.transfer import transfer_gain

    source, target, g, _ = data(0)
    kw = {"method": "weighted", "cv": 4, "n_repeats": 1, "rng": 0}
    leaky = transfer_gain(TREE, source, target, **kw)
    grouped = transfer_gain(TREE, source, target, groups=g, **kw)
    # folds of whole groups but an inner tuning that split them: the target-only
    # candidate memorised its way to weight 0 in every fold (no gain measured)
    assert leaky.details["source_weights"] == [0.0] * 4
    assert leaky.gain == 0.0
    assert grouped.details["n_groups"] == N_GROUPS
    assert "n_groups" not in leaky.details
    assert max(grouped.details["source_weights"]) > 0
    assert grouped.gain > leaky.gain


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"finetune_params": {"groups": np.zeros(120)}},
         r"'finetune_params' parameter .*without 'groups' \(pass groups to transfer_gain\)"),
        ({"cv": 2, "n_repeats": 1, "groups": np.repeat(np.arange(4), 30)},
         r"'groups' parameter .*at least 5 groups in every training fold.*2 group\(s\)"),
    ],
)
def test_transfer_gain_group_refusals(kwargs, message):
    from mllifecycle.transfer import transfer_gain

    source, target, g, _ = data(0)
    with pytest.raises(InvalidParameterError, match=message):
        transfer_gain(TREE, source, target, method="weighted", rng=0,
                      **{"groups": g, **kwargs})
