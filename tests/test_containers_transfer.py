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
from _containers import as_array as _as_array
from _containers import matrices, same_answers, unchanged, vectors
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle import transfer as T

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

















def as_array(a: object) -> np.ndarray:
    return _as_array(a).astype(np.float64)


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
    kinds = matrices(base)
    if tol32 is None:
        del kinds["float32"]
    same_answers(lambda c: np.ravel(fn(c, XT) if side == "source" else fn(XS, c)), ref, kinds,
                 tol32=tol32)


def test_label_containers_give_the_same_model():
    ref = finetune(XS, XT)
    for kind, yc in vectors(YT).items():
        got = T.finetune(LogisticRegression(), (XS, YS), (XT, yc), **FINETUNE).model.coef_
        np.testing.assert_array_equal(got, ref, err_msg=kind)
    src = LogisticRegression().fit(XS, YS)
    ref = T.StackedTransferClassifier(src, LogisticRegression()).fit(XT, YT).predict_proba(XT)
    for kind, yc in vectors(YT).items():
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
    Xc = matrices(XT)[layout]
    clf = T.StackedTransferClassifier(src_c, LogisticRegression())
    np.testing.assert_array_equal(
        clf.fit(Xc, YT).predict_proba(Xc),
        T.StackedTransferClassifier(src_c, LogisticRegression()).fit(XT, YT).predict_proba(XT))
    reg = T.StackedTransferRegressor(src_r, Ridge())
    np.testing.assert_array_equal(
        reg.fit(Xc, RT).predict(Xc),
        T.StackedTransferRegressor(src_r, Ridge()).fit(XT, RT).predict(XT))


@pytest.mark.parametrize("kind", list(matrices(XS)))
def test_coral_in_every_container(kind):
    # a table (or Fortran array) gave means and covariances 1.8e-15 off
    ref = coral(XS, XT)
    xs, xt = matrices(XS)[kind], matrices(XT)[kind]
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

    names = ["c0", "c1", "c2"]
    src = make_pipeline(ColumnTransformer([("keep", "passthrough", ["c2", "c0"])]),
                        LogisticRegression()).fit(pd.DataFrame(XS, columns=names), YS)
    table = pd.DataFrame(XT, columns=names)
    model = T.StackedTransferClassifier(src, LogisticRegression(), passthrough=False)
    model.fit(table, YT)
    feats = src.predict_proba(table)[:, 1:]
    want = LogisticRegression().fit(feats, YT).predict_proba(feats)
    np.testing.assert_array_equal(model.predict_proba(table), want)
