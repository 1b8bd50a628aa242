"""CBPE.fit(groups=...): folds and bootstrap resamples of whole groups of reference rows."""
# ruff: noqa: E501  (the table keeps each expected message on one line)

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError


def grouped(seed: int, n_groups: int = 100, per: int = 10):
    """``(p, y, g, rng)``: groups of ``per`` near-duplicate rows; the raw score is calibrated.

    Each group has one score ``s`` (uniform in [0.02, 0.98]) and one label
    drawn as Bernoulli(s); its rows repeat both, the score jittered by 1e-4.
    On new groups ``P(y = 1 | score) = score``: the identity is the right map.
    """
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.02, 0.98, n_groups)
    yg = (rng.uniform(size=n_groups) < s).astype(int)
    g = np.repeat(np.arange(n_groups), per)
    p = np.clip(s[g] + rng.normal(0.0, 1e-4, g.size), 0.0, 1.0)
    return p, yg[g], g, rng


def _state(est: CBPE, P: np.ndarray):
    r = est.estimate(P)
    return (
        est.calibration_,
        est.calibration_scores_,
        est.calibrate(P).tolist(),
        [(k, e.value, e.std_error, e.calibration_std_error) for k, e in r.estimates.items()],
    )


# ----------------------------------------------------------- (a) one row per group


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("calibration", ["auto", "sigmoid", "isotonic", "none"])
def test_one_row_per_group_is_the_row_answer_bit_for_bit(k, calibration):
    rng = np.random.default_rng(11)
    P = rng.dirichlet(np.ones(k), 300)
    y = np.array([rng.choice(k, p=row) for row in P])
    kw = {"metrics": ["accuracy", "roc_auc", "f1"], "calibration": calibration,
          "n_resamples": 6, "random_state": 3}
    rows = CBPE(**kw).fit(y_true=y, y_proba=P)
    # group labels in another order than the rows: numbered by first row
    labels = [f"user{i}" for i in rng.permutation(300)]
    groups = CBPE(**kw).fit(y_true=y, y_proba=P, groups=labels)
    assert _state(groups, P) == _state(rows, P)
    for a, b in zip(rows.bootstrap_calibrators_, groups.bootstrap_calibrators_, strict=True):
        np.testing.assert_array_equal(
            [c.predict(P[:, j if k > 2 else 1]) for j, c in enumerate(a)],
            [c.predict(P[:, j if k > 2 else 1]) for j, c in enumerate(b)],
        )
    assert groups.n_groups_ == 300
    assert rows.n_groups_ is None


def test_groups_none_is_the_default():
    p, y, _, _rng = grouped(0, 40, 3)
    a = CBPE(random_state=5, n_resamples=4).fit(y_true=y, y_proba=p)
    b = CBPE(random_state=5, n_resamples=4).fit(y_true=y, y_proba=p, groups=None)
    assert _state(a, p) == _state(b, p)


# -------------------------------------------------- (b) auto on near-duplicate groups


def test_auto_with_groups_does_not_pick_the_isotonic_map_of_twins():
    mse = {"rows": [], "groups": []}
    err = {"rows": [], "groups": []}
    for seed in range(5):
        p, y, g, rng = grouped(seed)
        p_new = rng.uniform(0.02, 0.98, 20_000)  # new groups, calibrated raw scores
        truth = float(np.mean(np.maximum(p_new, 1.0 - p_new)))  # expected accuracy
        fits = {
            "rows": CBPE(random_state=seed).fit(y_true=y, y_proba=p),
            "groups": CBPE(random_state=seed).fit(y_true=y, y_proba=p, groups=g),
        }
        ratio = {k: e.calibration_scores_["isotonic"] / e.calibration_scores_["none"]
                 for k, e in fits.items()}
        # row folds: a held-out row's twins trained the isotonic map, which "wins"
        assert fits["rows"].calibration_ == "isotonic"
        # group folds: memorising the groups does not help on a held-out group
        assert fits["groups"].calibration_ != "isotonic"
        assert ratio["groups"] > ratio["rows"] + 0.1
        assert fits["groups"].n_groups_ == 100
        for k, e in fits.items():
            mse[k].append(np.mean((e.calibrate(p_new) - p_new) ** 2))
            err[k].append(abs(e.estimate(p_new)["accuracy"].value - truth))
    # on new groups, the calibrated probabilities and the accuracy estimate
    # are nearer the truth, by a margin (measured: about 9x and 15x)
    assert np.mean(mse["groups"]) < 0.3 * np.mean(mse["rows"])
    assert np.mean(err["groups"]) < 0.4 * np.mean(err["rows"])
    assert np.mean(err["rows"]) > 0.01


# --------------------------------------------------------- (c) cluster bootstrap


@pytest.mark.parametrize("seed", range(3))
def test_cluster_bootstrap_spreads_the_maps_wider(seed):
    p, y, g, rng = grouped(seed, 100, 10)
    kw = {"calibration": "sigmoid", "n_resamples": 40, "random_state": seed}
    rows = CBPE(**kw).fit(y_true=y, y_proba=p)
    groups = CBPE(**kw).fit(y_true=y, y_proba=p, groups=g)
    grid = np.linspace(0.05, 0.95, 19)

    def spread(est: CBPE) -> float:
        maps = np.array([cals[0].predict(grid) for cals in est.bootstrap_calibrators_])
        return float(np.mean(np.std(maps, axis=0, ddof=1)))

    # ten alike rows per group: the row bootstrap sees ten times the evidence
    # there is, so its spread is about sqrt(10) ~ 3 times too small
    assert spread(groups) > 2.0 * spread(rows)
    p_new = rng.uniform(0.02, 0.98, 2000)
    se_rows = rows.estimate(p_new)["accuracy"].calibration_std_error
    se_groups = groups.estimate(p_new)["accuracy"].calibration_std_error
    assert se_groups > 2.0 * se_rows


def test_cluster_bootstrap_draws_whole_groups():
    from mllifecycle.estimate._cbpe import _bootstrap_rows

    codes = np.array([0, 0, 0, 1, 2, 2, 3, 3, 3, 3])
    y = np.array([0, 1, 0, 1, 0, 1, 0, 0, 1, 1])
    sizes = np.bincount(codes)
    for idx in _bootstrap_rows(y, 2, 20, np.random.default_rng(0), "test", codes):
        # every drawn group brings all its rows, group after group
        s, n_drawn = 0, 0
        while s < idx.size:
            members = np.flatnonzero(codes == codes[idx[s]])
            np.testing.assert_array_equal(idx[s:s + members.size], members)
            s += members.size
            n_drawn += 1
        assert n_drawn == 4  # as many groups drawn as there are
        assert np.all(np.bincount(codes[idx], minlength=4) % sizes == 0)


# --------------------------------------------------------- pandas, objects, refits


def test_series_groups_are_matched_by_label():
    import pandas as pd

    p, y, g, _ = grouped(1, 30, 4)
    idx = [f"r{i}" for i in range(p.size)]
    kw = {"random_state": 0, "n_resamples": 5}
    ref = CBPE(**kw).fit(y_true=pd.Series(y, index=idx), y_proba=pd.Series(p, index=idx),
                         groups=pd.Series(g, index=idx))
    order = np.random.default_rng(0).permutation(p.size)
    shuffled = pd.Series(g[order], index=[idx[i] for i in order])
    got = CBPE(**kw).fit(y_true=pd.Series(y, index=idx), y_proba=pd.Series(p, index=idx),
                         groups=shuffled)
    assert _state(got, p) == _state(ref, p)
    # by position, the shuffled labels would give other folds
    wrong = CBPE(**kw).fit(y_true=y, y_proba=p, groups=g[order])
    assert _state(wrong, p) != _state(ref, p)


def test_groups_survive_clone_pickle_and_refit():
    p, y, g, _ = grouped(2, 30, 4)
    est = CBPE(random_state=0, n_resamples=3).fit(y_true=y, y_proba=p, groups=g)
    again = pickle.loads(pickle.dumps(est))
    assert again.n_groups_ == 30
    assert _state(again, p) == _state(est, p)
    assert clone(est).fit(y_true=y, y_proba=p, groups=g).n_groups_ == 30
    assert est.fit(y_true=y, y_proba=p).n_groups_ is None


def test_a_refused_groups_keeps_the_previous_fit():
    p, y, g, _ = grouped(3, 30, 4)
    est = CBPE(random_state=0).fit(y_true=y, y_proba=p, groups=g)
    before = _state(est, p)
    with pytest.raises(InvalidParameterError, match="'groups'"):
        est.fit(y_true=y, y_proba=p, groups=g[:-1])
    assert est.n_groups_ == 30
    assert _state(est, p) == before


def test_caller_groups_are_not_mutated():
    p, y, g, _ = grouped(4, 30, 4)
    g = g[::-1].copy()
    kept = g.copy()
    CBPE(random_state=0, n_resamples=3).fit(y_true=y, y_proba=p, groups=g)
    np.testing.assert_array_equal(g, kept)


# ------------------------------------------------------------- (d) bad groups

_P = np.random.default_rng(0).uniform(size=40)
_Y = np.tile([0, 1], 20)
_G = np.repeat(np.arange(8), 5)


def _frame():
    import pandas as pd

    return pd.DataFrame({"g": _G})


BAD_GROUPS = [
    ({}, _G[:-1], r"'groups' parameter of CBPE.fit must be one group label per row of y_proba \(40\). Got 39 group label\(s\)"),
    ({}, np.where(np.arange(40) == 3, np.nan, _G.astype(float)), r"'groups' parameter of CBPE.fit must be free of NaN"),
    ({}, [None if i == 7 else int(_G[i]) for i in range(40)], r"'groups' parameter of CBPE.fit must be a group label for every row \(no NaN, None or NaT\). Got 1 missing group label\(s\), the first at row 7"),
    ({}, np.zeros(40), r"'groups' parameter of CBPE.fit must be at least 2 distinct groups .* Got the single group 0.0"),
    ({"calibration": "sigmoid"}, ["a"] * 40, r"'groups' parameter of CBPE.fit must be at least 2 distinct groups .* Got the single group 'a'"),
    ({}, _G[:, None], r"'groups' parameter of CBPE.fit must be a 1-D array"),
    ({}, _frame, r"'groups' parameter of CBPE.fit must be one group label per row \(a 1-D array, list or Series\). Got a pandas table"),
    ({}, [1 if i % 2 else "1" for i in range(40)], r"'groups' parameter of CBPE.fit must be labels of one kind"),
    ({}, np.repeat(np.arange(4), 10), r"'cv' parameter of CBPE.fit must be at most the number of groups in groups \(4\) for calibration='auto': each fold holds out whole groups. Got 5"),
    ({"cv": 3}, np.repeat(np.arange(2), 20), r"'cv' parameter of CBPE.fit must be at most the number of groups in groups \(2\)"),
]


@pytest.mark.parametrize(("params", "groups", "message"), BAD_GROUPS)
def test_bad_groups_are_refused_naming_them(params, groups, message):
    if callable(groups):
        groups = groups()
    with pytest.raises(InvalidParameterError, match=message):
        CBPE(random_state=0, **params).fit(y_true=_Y, y_proba=_P, groups=groups)


def test_fewer_groups_than_cv_are_fine_without_auto():
    est = CBPE(calibration="sigmoid", random_state=0, n_resamples=4).fit(
        y_true=_Y, y_proba=_P, groups=np.repeat(np.arange(3), [13, 13, 14]))
    assert est.n_groups_ == 3
    assert len(est.bootstrap_calibrators_) == 4


def test_classes_in_too_few_groups_for_the_cluster_bootstrap_are_named():
    # 20 classes, each the label of one group: a resample of 20 groups drawn
    # with replacement holds every class about once in 2.3e8 draws
    k = 20
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(k), 3)
    P = rng.dirichlet(np.ones(k), y.size)
    with pytest.raises(InvalidParameterError, match=r"'groups' parameter of CBPE.fit must be enough groups holding each class .* Got 20 class\(es\) in at most 2 groups among 20 groups"):
        CBPE(calibration="none", n_resamples=2, random_state=0).fit(y_true=y, y_proba=P, groups=y)


def test_progress_counts_the_group_folds_and_resamples():
    p, y, g, _ = grouped(5, 30, 4)
    calls = []
    CBPE(cv=4, n_resamples=3, random_state=0).fit(
        y_true=y, y_proba=p, groups=g, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (8, 8)
