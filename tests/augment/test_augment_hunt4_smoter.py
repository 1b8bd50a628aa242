"""SMOTER: targets it cannot help say so, instead of returning X unchanged in silence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.augment import SMOTER, smote_regression
from mllifecycle.exceptions import DegenerateDataWarning

_X = np.random.default_rng(0).normal(size=(100, 2))


def _two_valued(n_ones=50):
    return np.r_[np.zeros(100 - n_ones), np.ones(n_ones)]


@pytest.mark.parametrize("strategy", ["auto", 0.5, 1.0])
def test_two_valued_target_split_evenly_warns_every_row_is_rare(strategy):
    # median 0.5: every row is at relevance 1, so no row is common and "auto"
    # (grow each rare bin to the common rows) added nothing, without a word
    with pytest.warns(DegenerateDataWarning, match="every row is rare"):
        X_new, y_new = smote_regression(_X, _two_valued(), sampling_strategy=strategy, rng=0)
    assert X_new.shape == (100, 2)
    assert y_new.tolist() == _two_valued().tolist()


def test_sampler_warns_too():
    with pytest.warns(DegenerateDataWarning, match="every row is rare"):
        X_new, _ = SMOTER(random_state=0).fit_resample(_X, _two_valued())
    assert X_new.shape == (100, 2)


def test_constant_target_warns_no_row_is_rare():
    with pytest.warns(DegenerateDataWarning, match="no row is rare"):
        X_new, _ = smote_regression(_X, np.full(100, 3.0), rng=0)
    assert X_new.shape == (100, 2)


def test_threshold_above_every_relevance_warns_no_row_is_rare():
    y = np.exp(_X[:, 0])
    with pytest.warns(DegenerateDataWarning, match=r"no row is rare \(relevance >= "):
        smote_regression(_X, y, relevance=lambda v: np.full(v.shape, 0.5), rng=0)


def test_dict_for_an_empty_bin_warns_rows_not_added():
    # 90 zeros and 10 ones: the ones are the high rare bin, the low bin is
    # empty; {"low": 50} asked for 50 rows and got none, silently
    y = _two_valued(10)
    with pytest.warns(DegenerateDataWarning,
                      match=r"the low rare bin is empty .* the 50 row\(s\) asked"):
        X_new, _ = smote_regression(_X, y, sampling_strategy={"low": 50}, rng=0)
    assert X_new.shape == (100, 2)


@pytest.mark.parametrize("kwargs", [
    {},  # "auto": the empty low bin is skipped, as documented
    {"sampling_strategy": {"high": 40}},
    {"n_samples": 30},
])
def test_cases_it_helps_do_not_warn(kwargs):
    y = _two_valued(10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_new, y_new = smote_regression(_X, y, rng=0, **kwargs)
    assert X_new.shape[0] > 100
    assert (y_new[100:] >= 1.0 - 1e-12).all()


def test_two_valued_target_with_n_samples_adds_rows_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_new, _ = smote_regression(_X, _two_valued(), n_samples=20, rng=0)
    assert X_new.shape == (120, 2)


def test_continuous_target_does_not_warn():
    y = np.exp(_X[:, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_new, _ = smote_regression(_X, y, rng=0)
    assert X_new.shape[0] > 100
