"""The shared private helpers: seeded clones, sample-weight checks, the CV gain core."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._gain import GainResult, cv_splits, repeated_cv_gain, verdict_of
from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._weights import check_weights
from mllifecycle.exceptions import InvalidParameterError


def test_seeded_clone_seeds_only_unset_states_and_never_mutates():
    pipe = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=3))
    c = seeded_clone(pipe, 11)
    assert c.get_params()["randomforestclassifier__random_state"] == 11
    assert pipe.get_params()["randomforestclassifier__random_state"] is None
    fixed = RandomForestClassifier(random_state=2)
    assert seeded_clone(fixed, 11).random_state == 2
    assert seeded_clone(fixed, 11, overwrite=True).random_state == 11
    assert fixed.random_state == 2

    def plain(X, y):
        return X, y

    assert seeded_clone(plain, 3) is plain  # not an estimator: returned as is


def test_new_seed_is_reproducible_and_in_range():
    a = [new_seed(np.random.default_rng(5)) for _ in range(3)]
    assert len(set(a)) == 1
    assert 0 <= a[0] < 2**31 - 1


@pytest.mark.parametrize(("w", "kw", "match"), [
    ([1.0, -1.0, 2.0], {}, "non-negative"),
    ([1.0, np.nan, 2.0], {}, "NaN"),
    ([1.0, np.inf, 2.0], {}, "finite"),
    ([1.0, 2.0], {}, r"one weight per row \(3\)"),
    ([0.0, 0.0, 0.0], {"positive_sum": True}, "positive sum"),
    (np.ones((3, 1)), {}, "1-D"),
    ([1 + 1j, 1.0, 1.0], {}, "real numbers"),
])
def test_check_weights_errors_name_sample_weight(w, kw, match):
    with pytest.raises(InvalidParameterError, match=rf"'sample_weight'.*{match}"):
        check_weights(w, 3, "f", **kw)


def test_check_weights_accepts_series_and_zero_sum_when_allowed():
    pd = pytest.importorskip("pandas")
    out = check_weights(pd.Series([1, 0, 2], dtype="Int64"), 3, "f")
    assert out.tolist() == [1.0, 0.0, 2.0]
    assert check_weights([0.0, 0.0], 2, "f").sum() == 0.0


def test_verdicts_read_the_interval():
    assert verdict_of(0.1, 0.2) == "helped"
    assert verdict_of(-0.2, -0.1) == "hurt"
    assert verdict_of(-0.1, 0.1) == "no detectable effect"
    assert verdict_of(0.0, 0.1) == "no detectable effect"


def test_repeated_cv_gain_is_the_corrected_t_of_the_per_split_differences():
    y = np.r_[np.zeros(20, int), np.ones(20, int)]
    splits = cv_splits(4, 3, y, classification=True, seed=0, caller="t")
    assert len(splits) == 12
    rng = np.random.default_rng(0)
    diffs = rng.normal(0.05, 0.02, len(splits))
    lookup = {tuple(te.tolist()): d for (_, te), d in zip(splits, diffs, strict=True)}

    def score(tr, te, seed):
        return 0.5, 0.5 + lookup[tuple(te.tolist())], None

    res = repeated_cv_gain(GainResult, splits, score, gen=np.random.default_rng(1),
                           confidence_level=0.9, method="m", scoring="s", caller="t")
    ref = corrected_resampled_t(diffs, n_train=30, n_test=10, confidence_level=0.9)
    assert res.gain == pytest.approx(ref.mean)
    assert res.ci_low == pytest.approx(ref.ci_low)
    assert res.ci_high == pytest.approx(ref.ci_high)
    assert res.p_value == pytest.approx(ref.p_value)
    assert res.verdict == verdict_of(ref.ci_low, ref.ci_high)
    assert res.helped is (res.verdict == "helped")


def test_cv_splits_errors_name_cv():
    y = np.r_[np.zeros(3, int), np.ones(20, int)]
    with pytest.raises(InvalidParameterError, match=r"'cv'.*smallest class \(3\)"):
        cv_splits(5, 1, y, classification=True, seed=0, caller="t", require_stratified=True)
    with pytest.raises(InvalidParameterError, match=r"'cv'.*at most the number of rows"):
        cv_splits(50, 1, y, classification=False, seed=0, caller="t")
    with pytest.raises(InvalidParameterError, match=r"'n_repeats'"):
        cv_splits(2, 0, y, classification=False, seed=0, caller="t")
