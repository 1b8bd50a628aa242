"""Same numbers in any container give the same augmented rows (augment).

Every augmenter and sampler is run on one small data set held as a NumPy
float64 array (the reference), a list, a tuple, pandas and polars tables,
pandas ``Float64``/``Int64`` tables, read-only, Fortran-ordered, strided and
big-endian arrays, an int array and a float32 array; ``y`` and
``sample_weight`` likewise. The synthetic rows must be bit-identical (float32:
equal within float32 precision, and float32 kept), and the caller's inputs
must not change.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from _containers import as_array, matrices, unchanged, vectors

from mllifecycle import augment as A

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

















RNG = np.random.default_rng(0)
X_INT = np.round(RNG.normal(size=(24, 3)) * 4)
X_REAL = RNG.normal(size=(40, 3)) * 4  # sums in another order differ in the last bit
Y_INT = np.r_[np.zeros(17, int), np.ones(7, int)]
Y_REAL = np.r_[np.zeros(30, int), np.ones(10, int)]
T_REAL = np.r_[RNG.normal(size=34), -8.0, -7.5, -7.0, 7.0, 7.5, 8.0]  # two rare tails
W_REAL = RNG.integers(1, 5, 40).astype(float)

CLASSIFY = {
    "smote": lambda X, y, **kw: A.smote(X, y, k_neighbors=3, rng=0, **kw),
    "borderline_1": lambda X, y, **kw: A.borderline_smote(X, y, k_neighbors=3, rng=0, **kw),
    "borderline_2": lambda X, y, **kw: A.borderline_smote(
        X, y, k_neighbors=3, kind="borderline-2", rng=0, **kw),
    "adasyn": lambda X, y, **kw: A.adasyn(X, y, k_neighbors=3, rng=0, **kw),
    "random_oversample": lambda X, y, **kw: A.random_oversample(X, y, rng=0, **kw),
    "smoothed_bootstrap": lambda X, y, **kw: A.random_oversample(
        X, y, shrinkage=1.0, rng=0, **kw),
    "gaussian_noise": lambda X, y, **kw: A.gaussian_noise(X, y, rng=0, **kw),
    "mixup": lambda X, y, **kw: A.mixup(X, y, n_samples=5, rng=0, **kw),
    "SMOTE": lambda X, y, **kw: A.SMOTE(k_neighbors=3, random_state=0).fit_resample(X, y, **kw),
    "GaussianNoise": lambda X, y, **kw: A.GaussianNoise(random_state=0).fit_resample(X, y, **kw),
    "Mixup": lambda X, y, **kw: A.Mixup(n_samples=5, random_state=0).fit_resample(X, y, **kw),
}
REGRESS = {
    "smote_regression": lambda X, y: A.smote_regression(X, y, k_neighbors=3, rng=0),
    "gaussian_noise_regression": lambda X, y: A.gaussian_noise(X, y, n_samples=5, rng=0),
    "mixup_regression": lambda X, y: A.mixup(X, y, n_samples=5, rng=0),
}


def _compare(out: tuple, ref: tuple, kind: str) -> None:
    got_X, ref_X = as_array(out[0]), as_array(ref[0])
    if kind == "float32":
        assert got_X.dtype == np.float32  # a float32 X keeps float32
        np.testing.assert_allclose(got_X, ref_X, rtol=1e-5, atol=1e-4)
    else:
        np.testing.assert_array_equal(got_X.astype(np.float64), ref_X)
    np.testing.assert_array_equal(as_array(out[1]), as_array(ref[1]))
    for got, want in zip(out[2:], ref[2:], strict=True):
        np.testing.assert_array_equal(as_array(got), as_array(want))


def _cases(funcs: dict, X: np.ndarray) -> list:
    return [pytest.param(name, kind, id=f"{name}-{kind}")
            for name in funcs for kind in matrices(X)]


@pytest.mark.parametrize(("X", "y"), [(X_INT, Y_INT), (X_REAL, Y_REAL)], ids=["int", "real"])
@pytest.mark.parametrize("name", list(CLASSIFY))
def test_every_X_container_gives_the_same_rows(name, X, y):
    fn = CLASSIFY[name]
    ref = fn(X.copy(), y.copy())
    for kind, Xc in matrices(X).items():
        before = copy.deepcopy(Xc)
        out = fn(Xc, y)
        assert unchanged(before, Xc), kind
        try:
            _compare(out, ref, kind)
        except AssertionError as exc:  # pragma: no cover - the message names the kind
            raise AssertionError(f"{name} with X as {kind}: {exc}") from None


@pytest.mark.parametrize("name", list(CLASSIFY))
def test_every_y_and_weight_container_gives_the_same_rows(name):
    fn = CLASSIFY[name]
    ref = fn(X_REAL, Y_REAL, sample_weight=W_REAL)
    for kind, yc in vectors(Y_REAL).items():
        before = copy.deepcopy(yc)
        out = fn(X_REAL, yc, sample_weight=W_REAL)
        assert unchanged(before, yc), kind
        _compare(out, ref, "y " + kind)
    for kind, wc in vectors(W_REAL).items():
        before = copy.deepcopy(wc)
        out = fn(X_REAL, Y_REAL, sample_weight=wc)
        assert unchanged(before, wc), kind
        _compare(out, ref, "w " + kind)


@pytest.mark.parametrize("name", list(REGRESS))
def test_regression_targets_in_every_container(name):
    fn = REGRESS[name]
    ref = fn(X_REAL, T_REAL)
    for kind, Xc in matrices(X_REAL).items():
        _compare(fn(Xc, T_REAL), ref, kind)
    for kind, tc in vectors(T_REAL).items():
        out = fn(X_REAL, tc)
        np.testing.assert_array_equal(as_array(out[0]), as_array(ref[0]), err_msg=kind)
        np.testing.assert_array_equal(as_array(out[1]).astype(np.float64), as_array(ref[1]),
                                      err_msg=kind)


def test_smote_nc_tables_and_arrays_agree():
    X = X_INT.copy()
    X[:, 0] = np.abs(X[:, 0]) % 3
    ref = A.smote_nc(X, Y_INT, categorical_features=[0], k_neighbors=3, rng=0)
    for kind, Xc in matrices(X).items():
        out = A.smote_nc(Xc, Y_INT, categorical_features=[0], k_neighbors=3, rng=0)
        _compare(out, ref, kind)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fn", [A.gaussian_noise, A.smote, A.mixup],
                         ids=["gaussian_noise", "smote", "mixup"])
def test_fortran_order_gives_the_last_bit_of_c_order(fn, dtype):
    # gaussian_noise's per-column spread summed a Fortran array in another
    # order: every noisy row differed in the last bit (8.9e-16) from C order's
    X = X_REAL.astype(dtype)
    kw = {"n_samples": 7} if fn is A.mixup else {}
    a = fn(X, Y_REAL, rng=3, **kw)[0]
    b = fn(np.asfortranarray(X), Y_REAL, rng=3, **kw)[0]
    wide = np.zeros((40, 6), dtype=dtype)
    wide[:, ::2] = X
    c = fn(wide[:, ::2], Y_REAL, rng=3, **kw)[0]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert a.dtype == b.dtype == dtype
