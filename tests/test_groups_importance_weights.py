"""``groups=`` in ``transfer.importance_weights``: folds hold out whole groups.

Two samples from one distribution of near-duplicate groups: without groups,
each row's twins sit in the domain classifier's training folds, the domain
AUC is near 1 (a shift that is not there) and KLIEP's held-out likelihood is
optimistic; with groups, the AUC is near chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import importance_weights


def grouped(seed=0, n_groups=40, per=5):
    rng = np.random.default_rng(seed)

    def one(off):
        c = rng.normal(size=(n_groups, 3))
        g = np.repeat(np.arange(n_groups), per)
        return c[g] + rng.normal(0, 0.01, (g.shape[0], 3)), g + off

    (xs, gs), (xt, gt) = one(0), one(1000)
    return xs, gs, xt, gt


KNN = KNeighborsClassifier(n_neighbors=5)


def test_grouped_domain_classifier_sees_no_spurious_shift():
    xs, gs, xt, gt = grouped()
    leaky = importance_weights(xs, xt, estimator=KNN, rng=0)
    honest = importance_weights(xs, xt, estimator=KNN, groups=(gs, gt), rng=0)
    assert leaky.details["domain_auc"] > 0.9
    assert abs(honest.details["domain_auc"] - 0.5) < 0.1
    assert honest.effective_sample_size > leaky.effective_sample_size


def test_grouped_kliep_likelihood_is_not_optimistic():
    xs, gs, xt, gt = grouped(1)
    leaky = importance_weights(xs, xt, method="kliep", rng=0)
    honest = importance_weights(xs, xt, method="kliep", groups=(gs, gt), rng=0)
    # the narrowest bandwidth "predicts" a held-out row from its twins in the
    # training folds (1.37); held out with them, far less (0.47: KLIEP's kernel
    # centres, drawn from all target rows, are shared by the folds)
    assert leaky.details["likelihood_cv"][0] > 1.0
    assert honest.details["likelihood_cv"][0] < 0.5 * leaky.details["likelihood_cv"][0]


def test_kmm_checks_the_groups_and_does_not_use_them():
    xs, gs, xt, gt = grouped(2, n_groups=10)
    a = importance_weights(xs, xt, method="kmm", rng=0)
    b = importance_weights(xs, xt, method="kmm", groups=(gs, gt), rng=0)
    np.testing.assert_array_equal(a.weights, b.weights)


def test_series_groups_are_matched_by_row_label():
    xs, gs, xt, gt = grouped(3)
    idx = [f"s{i}" for i in range(xs.shape[0])]
    Xs = pd.DataFrame(xs, index=idx, columns=["a", "b", "c"])
    Xt = pd.DataFrame(xt, columns=["a", "b", "c"])
    order = np.random.default_rng(0).permutation(xs.shape[0])
    ref = importance_weights(Xs, Xt, estimator=KNN, groups=(gs, gt), rng=0)
    got = importance_weights(Xs, Xt, estimator=KNN,
                             groups=(pd.Series(gs, index=idx).iloc[order], gt), rng=0)
    np.testing.assert_array_equal(got.weights, ref.weights)


@pytest.mark.parametrize(
    ("groups", "kwargs", "message"),
    [
        ("one", {}, r"'groups' parameter .*a pair \(groups of the source rows, groups of the "
                    r"target rows\)"),
        ((np.zeros(200),), {}, r"'groups' parameter .*a pair.*a tuple of length 1"),
        ((np.zeros(10), np.zeros(200)), {}, r"'groups' parameter .*one group label per row "
                                            r"of X_source \(200\)"),
        (("gs", np.r_[np.nan, np.zeros(199)]), {}, r"'groups' parameter .*free of NaN"),
        (("gs", "gt"), {"cv": 50}, r"'cv' parameter .*at most the number of groups of the "
                                   r"smaller domain \(40\)"),
        (("gs", "gt"), {"cv": 50, "method": "kliep"},
         r"'cv' parameter .*at most the number of target groups \(40\)"),
    ],
)
def test_refusals(groups, kwargs, message):
    xs, gs, xt, gt = grouped()
    names = {"gs": gs, "gt": gt}
    if isinstance(groups, tuple):
        groups = tuple(names[g] if isinstance(g, str) else g for g in groups)
    with pytest.raises(InvalidParameterError, match=message):
        importance_weights(xs, xt, groups=groups, rng=0, **kwargs)
