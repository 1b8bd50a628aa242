"""Tables in and out of transfer, huge magnitudes, complex input, argument names."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import (
    CORAL,
    domain_distance,
    finetune,
    importance_weights,
    progressive,
    transfer_gain,
)

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the test extra installs it
    pd = None


def _task(n, seed, shift=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(shift, 1, size=(n, 3))
    y = (X[:, 0] + X[:, 1] > 2 * shift).astype(int)
    return X, y


def _frame(X, kind):
    names = ["u", "v", "w"]
    if kind == "pandas":
        if pd is None:
            pytest.skip("pandas not installed")
        return pd.DataFrame(X, columns=names)
    if kind == "polars":
        pl = pytest.importorskip("polars")
        return pl.DataFrame({n: X[:, j] for j, n in enumerate(names)})
    pa = pytest.importorskip("pyarrow")
    return pa.table({n: X[:, j] for j, n in enumerate(names)})


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
@pytest.mark.parametrize("strategy", ["weighted", "partial_fit", "warm_start", "stacked"])
def test_finetune_model_is_fitted_with_feature_names(kind, strategy):
    Xs, ys = _task(300, 0)
    Xt, yt = _task(40, 1, 0.3)
    est = SGDClassifier(random_state=0) if strategy == "partial_fit" else LogisticRegression()
    res = finetune(est, (_frame(Xs, kind), ys), (_frame(Xt, kind), yt), strategy=strategy,
                   source_weight=0.5, rng=0)
    names = getattr(res.model, "feature_names_in_", None)
    assert names is not None
    assert list(names) == ["u", "v", "w"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "fitted without feature names" warning
        pred_frame = res.model.predict(_frame(Xt, kind))
    ref = finetune(est, (Xs, ys), (Xt, yt), strategy=strategy, source_weight=0.5, rng=0)
    np.testing.assert_array_equal(np.asarray(pred_frame), ref.model.predict(Xt))


def test_progressive_and_transfer_gain_with_tables_match_arrays():
    Xs, ys = _task(150, 0)
    Xt, yt = _task(40, 1, 0.3)
    Xv, yv = _task(60, 2, 0.3)
    p = progressive(LogisticRegression(), [(_frame(Xs, "pandas"), ys), (_frame(Xt, "pandas"), yt)],
                    validation=(_frame(Xv, "pandas"), yv), rng=0)
    q = progressive(LogisticRegression(), [(Xs, ys), (Xt, yt)], validation=(Xv, yv), rng=0)
    assert list(p.model.feature_names_in_) == ["u", "v", "w"]
    assert p.final_score == q.final_score
    kw = {"cv": 2, "n_repeats": 1, "finetune_params": {"source_weight": 1.0}, "rng": 0}
    g = transfer_gain(LogisticRegression(), (_frame(Xs, "polars"), ys),
                      (_frame(Xt, "polars"), yt), **kw)
    h = transfer_gain(LogisticRegression(), (Xs, ys), (Xt, yt), **kw)
    assert g.candidate_scores == h.candidate_scores


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_coral_transform_returns_the_same_kind(kind):
    Xs, _ = _task(200, 0)
    Xt, _ = _task(200, 1, 1.0)
    fs, ft = _frame(Xs, kind), _frame(Xt * 2, kind)
    coral = CORAL().fit(fs, X_target=ft)
    out = coral.transform(fs)
    assert type(out) is type(fs)
    from mllifecycle._frames import column_names, frame_to_numpy

    assert column_names(out) == ["u", "v", "w"]
    ref = CORAL().fit(Xs, X_target=Xt * 2).transform(Xs)
    np.testing.assert_allclose(frame_to_numpy(out), ref)
    assert list(coral.get_feature_names_out()) == ["u", "v", "w"]


def test_coral_set_output_chooses_the_container():
    if pd is None:
        pytest.skip("pandas not installed")
    Xs, _ = _task(100, 0)
    out = CORAL().set_output(transform="pandas").fit(Xs).transform(Xs)
    assert isinstance(out, pd.DataFrame)
    pl = pytest.importorskip("polars")
    out = CORAL().set_output(transform="polars").fit(_frame(Xs, "pandas")).transform(
        _frame(Xs, "pandas"))
    assert isinstance(out, pl.DataFrame)


@pytest.mark.parametrize("big", [1e154, 1e200, 1e308])
def test_coral_on_a_huge_column_is_finite_and_still_aligns(big):
    Xs, _ = _task(300, 0)
    Xt, _ = _task(300, 1)
    Xt = Xt @ [[2.0, 0.3, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.5]]
    S = np.array([big / 8, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        coral = CORAL(regularization=0.0).fit(Xs * S, X_target=Xt * S)
        Z = coral.transform(Xs * S)
    assert np.isfinite(Z).all()
    # without regularisation the aligned source has the target's mean and covariance
    np.testing.assert_allclose(np.cov(Z / S, rowvar=False), np.cov(Xt, rowvar=False),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose((Z / S).mean(axis=0), Xt.mean(axis=0), atol=1e-9)


@pytest.mark.parametrize(("call", "match"), [
    (lambda X: CORAL().fit(X + 1j), r"'X' parameter of CORAL.*Complex data not supported"),
    (lambda X: finetune(LogisticRegression(), (X + 1j, np.r_[np.zeros(25), np.ones(25)]),
                        (X, np.r_[np.zeros(25), np.ones(25)])),
     r"'source\[0\] \(X\)'.*Complex data not supported"),
    (lambda X: transfer_gain(LogisticRegression(), (X, np.r_[np.zeros(25), np.ones(25)]),
                             (X, np.r_[np.zeros(25), np.ones(25)]), method="magic"),
     r"'method' parameter of transfer_gain"),
    (lambda X: transfer_gain(LogisticRegression(), (X, np.r_[np.zeros(25), np.ones(25)]),
                             (X, np.r_[np.zeros(25), np.ones(25)]), progress="bar"),
     r"'progress' parameter of transfer_gain"),
])
def test_errors_name_the_argument(call, match):
    X = np.random.default_rng(0).normal(size=(50, 3))
    with pytest.raises(InvalidParameterError, match=match):
        call(X)


def test_transfer_gain_progress_callback_and_n_jobs_same_answer():
    Xs, ys = _task(200, 0)
    Xt, yt = _task(40, 1, 0.3)
    seen = []
    kw = {"cv": 2, "n_repeats": 2, "finetune_params": {"source_weight": 1.0}, "rng": 3}
    a = transfer_gain(LogisticRegression(), (Xs, ys), (Xt, yt),
                      progress=lambda d, t: seen.append((d, t)), **kw)
    from joblib import parallel_backend

    with parallel_backend("threading"):
        b = transfer_gain(LogisticRegression(), (Xs, ys), (Xt, yt), n_jobs=2, **kw)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert a.to_dict() == b.to_dict()
    m = a.to_metrics()
    assert m["n_source"] == 200.0
    assert "candidate_scores" not in m


def test_every_transfer_result_has_flat_float_metrics():
    from mllifecycle.transfer import domain_distance, importance_weights

    Xs, ys = _task(200, 0)
    Xt, yt = _task(40, 1, 0.5)
    results = [
        finetune(LogisticRegression(), (Xs, ys), (Xt, yt), source_weight=0.5, rng=0),
        progressive(LogisticRegression(), {"public": (Xs, ys), "gold": (Xt, yt)},
                    validation=(Xt, yt), rng=0),
        importance_weights(Xs, Xt, method="kmm", max_iter=5, rng=0),
        domain_distance(Xs, Xt, n_resamples=30, max_samples=40, cv=2, rng=0),
    ]
    for r in results:
        m = r.to_metrics()
        assert m, type(r).__name__
        assert all(isinstance(k, str) and isinstance(v, float) for k, v in m.items())
    assert results[1].to_metrics()["stages.gold.score"] == results[1].stages[1].score
    assert "weights" not in results[2].to_metrics()
    assert results[3].to_metrics()["auc"] == results[3].auc


def test_kmm_progress_reports_solver_iterations_up_to_max_iter():
    from mllifecycle.transfer import importance_weights

    Xs, _ = _task(150, 0)
    Xt, _ = _task(80, 1, 0.5)
    seen = []
    w = importance_weights(Xs, Xt, method="kmm", max_iter=30, rng=0,
                           progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (30, 30)
    assert all(t == 30 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    ref = importance_weights(Xs, Xt, method="kmm", max_iter=30, rng=0)
    np.testing.assert_array_equal(w.weights, ref.weights)
    with pytest.raises(InvalidParameterError, match="'progress' parameter of importance"):
        importance_weights(Xs, Xt, method="kmm", progress=3)


@pytest.mark.parametrize("method", ["classifier", "kliep", "kmm"])
def test_importance_weights_on_a_huge_column_match_the_unscaled_weights(method):
    from mllifecycle.transfer import importance_weights

    Xs, _ = _task(120, 0)
    Xt, _ = _task(60, 1, 0.5)
    S = np.array([2.0**1000, 1.0, 1.0])  # a power of two: the scaled data are exact
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        big = importance_weights(Xs * S, Xt * S, method=method, max_iter=10, rng=0)
    ref = importance_weights(Xs, Xt, method=method, max_iter=10, rng=0)
    assert np.isfinite(big.weights).all()
    np.testing.assert_allclose(big.weights, ref.weights, rtol=1e-6, atol=1e-9)


def test_tables_with_the_columns_in_another_order_are_refused():
    """The helpers work by position: a target table with the source's columns in
    another order was silently misaligned (finetune fitted 'b' on the values of
    'a', accuracy 0.43 instead of 1; domain_distance read identical domains as
    'high' risk). Each must name the second table and show both column lists."""
    if pd is None:
        pytest.skip("pandas not installed")
    rng = np.random.default_rng(0)
    xs = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    xt = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    ys, yt = (xs.a > 0).astype(int), (xt.a > 0).astype(int)
    swapped = xt[["b", "a"]]
    order = r"in the same order \('a', 'b'\). Got the columns \('b', 'a'\)"
    cases = [
        (lambda: finetune(LogisticRegression(), (xs, ys), (swapped, yt), rng=0),
         r"'target\[0\] \(X\)' parameter of finetune"),
        (lambda: transfer_gain(LogisticRegression(), (xs, ys), (swapped, yt), rng=0),
         r"'target\[0\] \(X\)' parameter of transfer_gain"),
        (lambda: importance_weights(xs, swapped, rng=0), r"'X_target' parameter"),
        (lambda: domain_distance(xs, swapped, rng=0), r"'X_target' parameter"),
        (lambda: progressive(LogisticRegression(), [(xs, ys), (swapped, yt)],
                             validation=(xt, yt), rng=0), r"'stages\[1\]\[0\] \(X\)'"),
        (lambda: progressive(LogisticRegression(), {"s": (xs, ys), "t": (xt, yt)},
                             validation=(swapped, yt), rng=0), r"'validation\[0\] \(X\)'"),
    ]
    for call, name in cases:
        with pytest.raises(InvalidParameterError, match=name + ".*" + order):
            call()
    # same columns in the same order, or an array on one side, still work
    assert finetune(LogisticRegression(), (xs.to_numpy(), ys), (xt, yt), rng=0).model is not None
    assert importance_weights(xs, xt, rng=0).n_target == 40


def test_tables_with_repeated_column_names_are_refused_clearly():
    """scikit-learn refuses repeated feature names: finetune's weight tuning hid
    that behind "every candidate failed" (blaming the target rows), the other
    strategies raised a narwhals DuplicateError. The argument is now named."""
    if pd is None:
        pytest.skip("pandas not installed")
    rng = np.random.default_rng(0)
    xs = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "a"])
    xt = pd.DataFrame(rng.normal(size=(30, 2)), columns=["a", "a"])
    ys, yt = (xs.iloc[:, 0] > 0).astype(int), (xt.iloc[:, 0] > 0).astype(int)
    dup = r"must be a data set with unique column names \(as text\). Got column name 'a' repeated"
    with pytest.raises(InvalidParameterError, match=r"'source\[0\] \(X\)' parameter of finetune "
                       + dup):
        finetune(LogisticRegression(), (xs, ys), (xt, yt), rng=0)
    with pytest.raises(InvalidParameterError, match=r"'stages\[0\]\[0\] \(X\)' parameter of "
                       r"progressive " + dup):
        progressive(LogisticRegression(), [(xs, ys)], validation=(xt, yt), rng=0)
