"""Seeded simulations: gap laws and the false-verdict rate of augmentation_gain."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from scipy import stats
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import augmentation_gain, borderline_smote, gaussian_noise, smote


@pytest.mark.slow
def test_smote_gaps_are_uniform():
    # two minority rows at 0 and 1 on a line: the new row's position is the gap
    # (from 0) or one minus it (from 1); both are U(0, 1)
    X = np.c_[np.r_[np.linspace(5, 9, 40), 0.0, 1.0]]
    y = np.r_[np.zeros(40, int), np.ones(2, int)]
    Xn = smote(X, y, sampling_strategy={1: 20002}, k_neighbors=1, rng=0)[0]
    u = Xn[42:, 0]
    assert stats.kstest(u, "uniform").pvalue > 1e-3


@pytest.mark.slow
def test_borderline2_gap_toward_other_class_is_uniform_on_half():
    # minority rows at 0, -1.2, -1.3; majority at 1.0, 1.5 and far away. With
    # m=4 all three are in danger (2 of 4 neighbours majority). Row 0's nearest
    # row (k=1) is the majority row at 1.0, so its children lie at U(0, 0.5);
    # the other two interpolate with each other inside [-1.3, -1.2].
    X = np.c_[[0.0, -1.2, -1.3, 1.0, 1.5, 8.0, 8.5, 9.0, 9.5]]
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0])
    Xn = borderline_smote(X, y, kind="borderline-2", k_neighbors=1, m_neighbors=4,
                          sampling_strategy={1: 9003}, rng=0)[0]
    pos = Xn[9:, 0]
    right = pos[pos > -0.5]
    assert ((pos >= -1.3 - 1e-12) & (pos <= -1.2 + 1e-12) | (pos >= 0)).all()
    assert right.max() <= 0.5
    assert stats.kstest(right / 0.5, "uniform").pvalue > 1e-3
    assert abs(right.size / pos.size - 1 / 3) < 4 * np.sqrt(2 / 9 / pos.size)


@pytest.mark.slow
def test_no_false_helped_verdicts_under_the_null():
    # labels with no signal: augmentation cannot really help; the corrected
    # interval should call "helped" at most about 2.5% of the time
    n_runs, helped = 40, 0
    for seed in range(n_runs):
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(80, 3))
        y = rng.integers(0, 2, 80)
        res = augmentation_gain(GaussianNB(), X, y,
                                partial(gaussian_noise, n_samples=40, scale=0.3),
                                cv=5, n_repeats=2, scoring="accuracy", rng=seed)
        helped += res.verdict == "helped"
    # P(Binomial(40, 0.025) > 4) < 0.01
    assert helped <= 4
