"""Same numbers in any container give the same answer (transfer).

CORAL, the importance weights, the domain distance, finetune, progressive and
the stacked transfer estimators are run on one small data set held as a NumPy
float64 array (the reference) and in the other containers a user may pass:
list, tuple, pandas and polars tables, a pandas ``Float64`` table, read-only,
Fortran-ordered, strided and big-endian arrays, float32 (close, not equal: the
numbers themselves differ). Labels likewise. The answers must be equal, and
the caller's inputs unchanged.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle import transfer as T

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


def _names(d: int) -> list[str]:
    return [f"c{j}" for j in range(d)]


def x_kinds(X: np.ndarray, tables: bool = True) -> dict[str, object]:
    out: dict[str, object] = {
        "list": X.tolist(),
        "tuple": tuple(map(tuple, X.tolist())),
        "fortran": np.asfortranarray(X),
        "big_endian": X.astype(">f8"),
        "float32": X.astype(np.float32),
    }
    if tables:
        out["pandas"] = pd.DataFrame(X, columns=_names(X.shape[1]))
        out["polars"] = pl.DataFrame({f"c{j}": X[:, j] for j in range(X.shape[1])})
        # CORAL and the stacked estimators failed with scikit-learn's bare
        # "setting an array element with a sequence"
        out["polars_lazy"] = out["polars"].lazy()  # type: ignore[attr-defined]
        out["pandas_Float64"] = pd.DataFrame(X, columns=_names(X.shape[1])).astype("Float64")
    ro = X.copy()
    ro.flags.writeable = False
    out["read_only"] = ro
    wide = np.zeros((X.shape[0], 2 * X.shape[1]))
    wide[:, ::2] = X
    out["column_view"] = wide[:, ::2]
    out["row_view"] = np.repeat(X, 2, axis=0)[::2]
    return out


def y_kinds(y: np.ndarray) -> dict[str, object]:
    out: dict[str, object] = {
        "list": y.tolist(),
        "pandas": pd.Series(y),
        "polars": pl.Series("y", y),
        "strided": np.repeat(y, 2)[::2],
        "pandas_nullable": pd.Series(y).astype("Int64" if y.dtype.kind in "iu" else "Float64"),
    }
    ro = y.copy()
    ro.flags.writeable = False
    out["read_only"] = ro
    return out


def as_array(a: object) -> np.ndarray:
    to_numpy = getattr(a, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy is not None else a).astype(np.float64)


def unchanged(before: object, after: object) -> bool:
    if isinstance(before, pl.LazyFrame):
        return bool(before.collect().equals(after.collect()))  # type: ignore[attr-defined]
    if isinstance(before, pd.DataFrame | pd.Series | pl.DataFrame | pl.Series):
        return bool(before.equals(after))
    return bool(np.array_equal(np.asarray(before), np.asarray(after)))


RNG = np.random.default_rng(1)
XS = RNG.normal(size=(60, 3))
YS = (XS[:, 0] + 0.3 * RNG.normal(size=60) > 0).astype(int)
XT = RNG.normal(size=(30, 3)) + 0.5
YT = (XT[:, 0] + XT[:, 1] > 0.5).astype(int)
RS = XS @ [1.0, 2.0, 3.0]
RT = XT @ [1.0, 2.0, 3.0] + RNG.normal(size=30)


# one strategy, a fixed weight: no tuning by cross-validation (keeps the file fast)
FINETUNE = {"strategy": "weighted", "source_weight": 0.5, "rng": 0}


def coral(xs, xt):
    c = T.CORAL().fit(xs, X_target=xt)
    return np.concatenate([as_array(c.transform(xs)).ravel(), as_array(c.transform(xt)).ravel(),
                           c.transform_matrix_.ravel(), c.source_mean_, c.target_mean_])


def weights(method):
    return lambda xs, xt: T.importance_weights(xs, xt, method=method, rng=0).weights


def distance(xs, xt):
    r = T.domain_distance(xs, xt, cv=2, n_resamples=50, rng=0)
    return np.array([r.auc, r.mmd.statistic, r.mmd.p_value])


def finetune(xs, xt):
    return T.finetune(LogisticRegression(), (xs, YS), (xt, YT), **FINETUNE).model.coef_


def progressive(xs, xt):
    r = T.progressive(LogisticRegression(), {"a": (xs, YS), "b": (xt, YT)},
                      validation=(XT, YT), **FINETUNE)
    return np.array([r.final_score, *[s.score for s in r.stages]])


# (function of (X_source, X_target), float32 tolerance); KMM stops after its
# iteration budget, so float32's other numbers move its weights further
PAIRS = {
    "weights_classifier": (weights("classifier"), 1e-4),
    "weights_kliep": (weights("kliep"), 1e-3),
    "weights_kmm": (weights("kmm"), None),
    "domain_distance": (distance, 1e-4),
    "finetune": (finetune, 1e-4),
    "progressive": (progressive, 1e-4),
}


@pytest.mark.parametrize("side", ["source", "target"])
@pytest.mark.parametrize("name", list(PAIRS))
def test_every_container_gives_the_same_answer(name, side):
    fn, tol32 = PAIRS[name]
    ref = np.ravel(fn(XS.copy(), XT.copy()))
    base = XS if side == "source" else XT
    for kind, c in x_kinds(base).items():
        if kind == "float32" and tol32 is None:
            continue
        before = copy.deepcopy(c)
        got = np.ravel(fn(c, XT) if side == "source" else fn(XS, c))
        assert unchanged(before, c), kind
        if kind == "float32":
            np.testing.assert_allclose(got, ref, rtol=tol32, atol=tol32, err_msg=kind)
        else:
            np.testing.assert_array_equal(got, ref, err_msg=kind)


def test_label_containers_give_the_same_model():
    ref = finetune(XS, XT)
    for kind, yc in y_kinds(YT).items():
        got = T.finetune(LogisticRegression(), (XS, YS), (XT, yc), **FINETUNE).model.coef_
        np.testing.assert_array_equal(got, ref, err_msg=kind)
    src = LogisticRegression().fit(XS, YS)
    ref = T.StackedTransferClassifier(src, LogisticRegression()).fit(XT, YT).predict_proba(XT)
    for kind, yc in y_kinds(YT).items():
        got = T.StackedTransferClassifier(src, LogisticRegression()).fit(XT, yc).predict_proba(XT)
        np.testing.assert_array_equal(got, ref, err_msg=kind)


@pytest.mark.parametrize("layout", ["fortran", "column_view", "row_view", "read_only",
                                    "big_endian", "list", "pandas", "polars",
                                    "polars_lazy"])
def test_stacked_estimators_on_array_layouts(layout):
    # the source model was asked on a Fortran-ordered or strided X as given (a
    # table as a table, which scikit-learn reads in Fortran order, with a
    # "fitted without feature names" warning): predictions 4e-16 off those on
    # the same numbers in C order
    src_c = LogisticRegression().fit(XS, YS)
    src_r = Ridge().fit(XS, RS)
    Xc = x_kinds(XT)[layout]
    clf = T.StackedTransferClassifier(src_c, LogisticRegression())
    np.testing.assert_array_equal(
        clf.fit(Xc, YT).predict_proba(Xc),
        T.StackedTransferClassifier(src_c, LogisticRegression()).fit(XT, YT).predict_proba(XT))
    reg = T.StackedTransferRegressor(src_r, Ridge())
    np.testing.assert_array_equal(
        reg.fit(Xc, RT).predict(Xc),
        T.StackedTransferRegressor(src_r, Ridge()).fit(XT, RT).predict(XT))


@pytest.mark.parametrize("kind", list(x_kinds(XS)))
def test_coral_in_every_container(kind):
    # a table (or Fortran array) gave means and covariances 1.8e-15 off
    ref = coral(XS, XT)
    xs, xt = x_kinds(XS)[kind], x_kinds(XT)[kind]
    before = copy.deepcopy(xs)
    got = coral(xs, xt)
    assert unchanged(before, xs)
    if kind == "float32":
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(got, ref)
    c_ref = T.CORAL().fit(XS, X_target=XT)
    np.testing.assert_array_equal(c_ref.transform(np.asfortranarray(XS)), c_ref.transform(XS))


def test_stacked_source_fitted_on_a_table_is_asked_on_the_table():
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline

    names = _names(3)
    src = make_pipeline(ColumnTransformer([("keep", "passthrough", ["c2", "c0"])]),
                        LogisticRegression()).fit(pd.DataFrame(XS, columns=names), YS)
    table = pd.DataFrame(XT, columns=names)
    model = T.StackedTransferClassifier(src, LogisticRegression(), passthrough=False)
    model.fit(table, YT)
    feats = src.predict_proba(table)[:, 1:]
    want = LogisticRegression().fit(feats, YT).predict_proba(feats)
    np.testing.assert_array_equal(model.predict_proba(table), want)
