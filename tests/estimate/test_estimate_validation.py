"""CBPE: a table of bad inputs, each with its error type and message."""
# ruff: noqa: E501  (the table keeps each expected message on one line)

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError, NotFittedError

RNG = np.random.default_rng(0)
P = RNG.uniform(size=200)
Y = (RNG.uniform(size=200) < P).astype(int)
P3 = RNG.dirichlet([1, 1, 1], size=300)
Y3 = np.tile([0, 1, 2], 100)

BAD_PARAMS = [
    (
        {"metrics": "auc"},
        r"The 'metrics' parameter of CBPE must be one of \{'accuracy', 'precision', "
        r"'recall', 'f1', 'roc_auc'\}. Got 'auc' instead.",
    ),
    ({"metrics": ["accuracy", "mse"]}, r"'metrics' parameter of CBPE must be one of"),
    (
        {"metrics": []},
        r"'metrics' parameter of CBPE must be a metric name or a non-empty",
    ),
    ({"metrics": 3}, r"'metrics' parameter of CBPE must be a metric name"),
    (
        {"calibration": "platt"},
        r"'calibration' parameter of CBPE must be one of \{'auto', 'isotonic', "
        r"'sigmoid', 'none'\}. Got 'platt'",
    ),
    ({"cv": 1}, r"'cv' parameter of CBPE must be an int in the range \[2, inf\)"),
    ({"cv": 2.5}, r"'cv' parameter of CBPE must be an int"),
    (
        {"threshold": 1.5},
        r"'threshold' parameter of CBPE must be a float in the range \[0.0, 1.0\]",
    ),
    ({"threshold": "0.5"}, r"'threshold' parameter of CBPE must be a float"),
    (
        {"confidence_level": 1.0},
        r"'confidence_level' parameter of CBPE must be a float in the range \(0.0, 1.0\)",
    ),
    (
        {"random_state": -1},
        r"'random_state' parameter of CBPE must be a non-negative int",
    ),
    ({"random_state": "seed"}, r"'random_state' parameter of CBPE"),
    (
        {"n_resamples": 1},
        r"'n_resamples' parameter of CBPE must be 0 \(no bootstrap\) or an int >= 2",
    ),
    (
        {"n_resamples": -3},
        r"'n_resamples' parameter of CBPE must be an int in the range \[0, inf\)",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_PARAMS)
def test_bad_parameters_raise_at_construction(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        CBPE(**kwargs)


@pytest.mark.parametrize(("kwargs", "message"), BAD_PARAMS[:3])
def test_bad_parameters_set_later_raise_in_fit(kwargs, message):
    est = CBPE().set_params(**kwargs)
    with pytest.raises(InvalidParameterError, match=message):
        est.fit(y_true=Y, y_proba=P)


BAD_FIT = [
    (Y, P * 2, r"'y_proba' parameter of CBPE.fit must be probabilities in \[0, 1\]"),
    (Y, np.r_[P[:-1], np.nan], r"'y_proba' parameter of CBPE.fit must be free of NaN"),
    (
        Y,
        "probabilities",
        r"'y_proba' parameter of CBPE.fit must be a 1-D or 2-D array-like",
    ),
    (
        Y,
        np.ones((200, 1)),
        r"'y_proba' parameter of CBPE.fit must be a 1-D array of positive-class",
    ),
    (
        Y3,
        P3 * 0.9,
        r"'y_proba' parameter of CBPE.fit must be rows of class probabilities that sum to 1",
    ),
    (Y + 1, P, r"'y_true' parameter of CBPE.fit must be class labels in \{0, 1\}"),
    (
        Y * 0.5,
        P,
        r"'y_true' parameter of CBPE.fit must be class labels in \{0, 1\} \(the column indices",
    ),
    (np.full(200, 3), P3[:200], r"class labels in \{0, ..., 2\}"),
    (
        np.zeros(200),
        P,
        r"'y_true' parameter of CBPE.fit must be labels of every class 0..1 .* Got no row of class \[1\]",
    ),
    (
        Y[:150],
        P,
        r"'y_true' parameter of CBPE.fit must be the same number of samples as 'y_proba'. Got lengths y_proba=200, y_true=150",
    ),
    (
        np.r_[np.zeros(197), np.ones(3)],
        P,
        r"must be labels with at least cv=5 rows of each class for calibration='auto' \(lower cv or choose a calibration\). Got 3 row\(s\) of class 1",
    ),
    ([], [], r"'y_proba' parameter of CBPE.fit must be an array with at least 1 sample"),
    (np.c_[Y, Y], P, r"'y_true' parameter of CBPE.fit must be a 1-D array"),
]


@pytest.mark.parametrize(("y", "proba", "message"), BAD_FIT)
def test_bad_fit_inputs(y, proba, message):
    with pytest.raises(InvalidParameterError, match=message):
        CBPE().fit(y_true=y, y_proba=proba)


def test_explicit_calibration_needs_no_cv_rows():
    y = np.r_[np.zeros(197), np.ones(3)]
    assert CBPE(calibration="isotonic").fit(y_true=y, y_proba=P).calibration_ == "isotonic"


@pytest.mark.parametrize("method", ["estimate", "estimate_many", "calibrate"])
def test_use_before_fit_raises_not_fitted(method):
    with pytest.raises(NotFittedError, match=f"not fitted yet.*before {method}"):
        getattr(CBPE(), method)(P)


def test_realized_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError, match="before realized"):
        CBPE().realized(Y, P)


FITTED = CBPE(random_state=0).fit(y_true=Y, y_proba=P)
FITTED3 = CBPE(random_state=0).fit(y_true=Y3, y_proba=P3)

BAD_USE = [
    (
        FITTED.estimate,
        (P3,),
        {},
        r"'y_proba' parameter of CBPE.estimate must be probabilities for the 2 classes seen in fit. Got 3 column\(s\)",
    ),
    (
        FITTED3.estimate,
        (P,),
        {},
        r"probabilities for the 3 classes seen in fit. Got 2 column",
    ),
    (
        FITTED.estimate,
        ([],),
        {},
        r"'y_proba' parameter of CBPE.estimate must be an array with at least 1 sample",
    ),
    (FITTED.estimate, (P - 1,), {}, r"must be probabilities in \[0, 1\]"),
    (
        FITTED.estimate_many,
        ([P, P],),
        {"window_size": 10},
        r"'y_proba' parameter of CBPE.estimate_many must be one array when window_size is given",
    ),
    (
        FITTED.estimate_many,
        (P,),
        {},
        r"'y_proba' parameter of CBPE.estimate_many must be a non-empty list of windows",
    ),
    (FITTED.estimate_many, ([],), {}, r"must be a non-empty list of windows"),
    (
        FITTED.estimate_many,
        ([P, P * 3],),
        {},
        r"'y_proba\[1\]' parameter of CBPE.estimate_many must be probabilities",
    ),
    (
        FITTED.estimate_many,
        (P,),
        {"window_size": 0},
        r"'window_size' parameter of CBPE.estimate_many must be an int in the range \[1, inf\)",
    ),
    (
        FITTED.realized,
        (Y[:10], P),
        {},
        r"'y_true' parameter of CBPE.realized must be the same number of samples",
    ),
    (
        FITTED.realized,
        (Y + 2, P),
        {},
        r"'y_true' parameter of CBPE.realized must be class labels",
    ),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "message"), BAD_USE)
def test_bad_inputs_after_fit(fn, args, kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        fn(*args, **kwargs)


def test_errors_are_value_errors_too():
    with pytest.raises(ValueError, match="metrics"):
        CBPE(metrics="nope")
    with pytest.raises(AttributeError):
        CBPE().estimate(P)


@pytest.mark.parametrize(
    ("y", "proba"),
    [
        (np.zeros(200, dtype=int), P),  # a class missing
        (Y, np.full(200, 1.5)),  # probabilities outside [0, 1]
        (Y[:10], P),  # lengths differ
    ],
    ids=["missing-class", "bad-proba", "lengths"],
)
def test_a_failed_refit_keeps_the_previous_fit(y, proba):
    # the failed fit removed n_classes_ and kept the 3-class maps: a binary
    # window was then estimated with the maps of class 0, 1 and 2, silently
    est = CBPE(calibration="isotonic").fit(y_true=Y3, y_proba=P3)
    before = est.estimate(P3[:50]).to_dict()
    with pytest.raises(InvalidParameterError):
        est.fit(y_true=y, y_proba=proba)
    assert est.n_classes_ == 3
    assert est.estimate(P3[:50]).to_dict() == before
    with pytest.raises(InvalidParameterError, match=r"'y_proba' .*the 3 classes seen in fit"):
        est.estimate(P[:50])


def test_bootstrap_with_too_rare_classes_is_refused_not_looped():
    # a resample missing a class is drawn again: with 19 classes of one row
    # among 119 that almost never succeeds (about 0.63**19), and fit never
    # returned; now it stops after 100 draws per resample and says why
    y = np.r_[np.zeros(100, dtype=int), np.arange(1, 20)]
    proba = np.random.default_rng(1).dirichlet(np.ones(20), size=y.size)
    with pytest.raises(
        InvalidParameterError,
        match=r"'y_true' parameter of CBPE.fit must be enough rows of each class for bootstrap "
        r"resamples.*n_resamples=5: 500 draws gave 0.*Got 19 class\(es\) of at most 2 rows among 119",
    ):
        CBPE(calibration="none", n_resamples=5, random_state=0).fit(y_true=y, y_proba=proba)
    # without a bootstrap the same reference fits
    assert CBPE(calibration="none").fit(y_true=y, y_proba=proba).n_classes_ == 20


def test_bootstrap_draws_are_those_of_the_redraw_loop():
    # the cap changes nothing where resamples succeed: the maps are those of
    # resamples drawn in order from the same stream, skipping incomplete ones
    from mllifecycle.estimate._cbpe import _bootstrap_rows

    y = np.r_[np.zeros(6, dtype=int), 1, 2]
    got = _bootstrap_rows(y, 3, 4, np.random.default_rng(3), "test")
    rng = np.random.default_rng(3)
    want = []
    while len(want) < 4:
        idx = rng.integers(0, y.size, y.size)
        if np.unique(y[idx]).size == 3:
            want.append(idx)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


@pytest.mark.parametrize("columns", [["a", "a"], [0, "0"]])
def test_repeated_proba_column_names_are_refused_at_fit(columns):
    # fit accepted them, and every estimate after it was refused
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame(np.c_[1 - P, P], columns=columns)
    with pytest.raises(InvalidParameterError, match=r"'y_proba' parameter of CBPE.fit must be a data set with unique column names"):
        CBPE().fit(y_true=Y, y_proba=table)
