"""CORAL: align second-order statistics of the source to the target domain."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mllifecycle._frames import (
    column_names,
    frame_kind,
    frame_to_numpy,
    is_frame,
    like,
    refuse_duplicate_names,
)
from mllifecycle._validation import (
    check_array,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.transfer._common import (
    FloatArray,
    as_numpy,
    check_same_columns,
    collected,
    column_scales,
    refuse_categorical_table,
)

__all__ = ["CORAL"]


def _sym_power(c: FloatArray, power: float) -> FloatArray:
    """``c ** power`` for a symmetric positive-definite matrix, by eigh."""
    vals, vecs = np.linalg.eigh(c)
    vals = np.maximum(vals, np.finfo(np.float64).tiny)
    out: FloatArray = (vecs * vals**power) @ vecs.T
    return out


_MAX_ALIGNMENT_ERROR = 1e-2  # 1% of a standard deviation: a materially wrong map
# without a ridge, the symmetric map is kept while it aligns to this (rounding
# on ordinary columns is about 1e-13); beyond it the standardised map is used
_RAW_MAP_TOLERANCE = 1e-6


def _alignment_error(a: FloatArray, cs: FloatArray, ct: FloatArray) -> float:
    """Largest error of ``A' cs A = ct``, relative to ``ct``'s standard deviations."""
    # a constant target column has a zero standard deviation: its error reads as
    # inf (the standardised map is then used), without a RuntimeWarning
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        r = a.T @ cs @ a - ct
        sd = np.sqrt(np.diag(ct))
        rel = np.abs(r) / sd[:, None] / sd[None, :]
    return float(np.nan_to_num(rel, nan=np.inf).max())


def _pow2_std(c: FloatArray) -> FloatArray:
    """Powers of two near the columns' standard deviations (1 for a zero variance)."""
    var = np.diag(c)
    out = np.ones(var.shape[0])
    pos = var > 0.0
    out[pos] = np.ldexp(1.0, np.frexp(np.sqrt(var[pos]))[1] - 1)
    return out


def _standardised_map(cs: FloatArray, ct: FloatArray) -> FloatArray:
    """Return an ``A`` with ``A' cs A = ct``, computed on standardised columns.

    With ``cs = Ds Rs Ds`` and ``ct = Dt Rt Dt`` (``D`` diagonal powers of two
    near the standard deviations, so the division is exact) the map is
    ``Ds^-1 Rs^(-1/2) Rt^(1/2) Dt``. The eigendecompositions then see
    correlation-like matrices: on the raw covariances, columns whose scales
    differ by 1e8 or more have variances below the rounding of the largest
    eigenvalue, and the aligned source missed the target's covariance by far
    (a variance 44 times the target's, or of order 1e306).
    """
    ds, dt = _pow2_std(cs), _pow2_std(ct)
    rs = cs / ds[:, None] / ds[None, :]
    rt = ct / dt[:, None] / dt[None, :]
    b = _sym_power(rs, -0.5) @ _sym_power(rt, 0.5)
    out: FloatArray = b / ds[:, None] * dt[None, :]
    return out


def _singular(c: FloatArray) -> bool:
    """Whether a covariance is singular up to rounding, whatever its columns' units.

    Judged on the correlation matrix, so columns of very different magnitudes
    (1e-5 and 1e5) are not mistaken for a singular covariance. The cut, an
    eigenvalue below 1e-12 of the largest, lies well above the rounding noise
    of collinear columns (about 1e-15) and below the smallest eigenvalue of
    columns correlated at 1 - 1e-9 (about 1e-9).
    """
    diag = np.diag(c).copy()
    if not np.all(diag > 0.0):
        return True
    inv = 1.0 / np.sqrt(diag)
    vals = np.linalg.eigvalsh(c * inv[:, None] * inv[None, :])
    return bool(vals.min() <= vals.max() * 1e-12)


def _ridge_lost(c: FloatArray, lam: float) -> bool:
    """Whether the ridge ``lam`` on ``c`` is lost in the rounding of its eigenvalues.

    Their rounding error is about ``d * eps`` of the largest; a ridge within
    64 times that (``regularization=1e-3`` on columns of scale 1e6, or
    ``1e-300``) leaves the smallest eigenvalue to rounding noise, as no ridge
    would. A larger one (``regularization=1`` at scale 1e6) keeps the map
    well defined.
    """
    top = float(np.linalg.eigvalsh(c).max())
    return bool(lam <= 64.0 * c.shape[0] * np.finfo(np.float64).eps * top)


class CORAL(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """CORrelation ALignment: recolour source features with the target covariance.

    Sun, Feng and Saenko's CORAL [1]_ whitens the source features with their
    own (regularised) covariance and recolours them with the target's, so that
    a model trained on the transformed source sees target-like second-order
    statistics. Fit on the source with ``X_target``, transform the source,
    train on it, and predict on the raw target (the target is not transformed).

    Parameters
    ----------
    regularization : float, default=1.0
        ``lambda`` added to both covariance diagonals (the paper uses 1 on
        standardised features). Larger values align less.
    center : bool, default=True
        Also move the source mean onto the target mean. ``False`` is the
        paper's algorithm, which assumes features already centred.

    Tables (pandas, polars, pyarrow) come out of :meth:`transform` as the
    same kind of table with the same column names; ``set_output(transform=...)``
    chooses another container as in scikit-learn.

    Attributes
    ----------
    transform_matrix_ : ndarray of shape (n_features, n_features)
        ``A = (C_s + lambda I)^(-1/2) (C_t + lambda I)^(1/2)``; rows are mapped
        as ``(x - mean_s) A + mean_t``. With ``regularization=0``, where
        float64 cannot compute that map to within 1e-6 of the target's
        scale (columns whose scales differ by 1e8 or more), it is computed on
        standardised columns, ``A = D_s^-1 R_s^(-1/2) R_t^(1/2) D_t``
        (``C = D R D``, ``D`` the standard deviations rounded to powers of
        two): another square root with the same aligned covariance ``C_t``.
    source_mean_, target_mean_ : ndarray of shape (n_features,)
        Means used for centring (zeros when ``center=False``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of str
        Column names, when fitted on a table with string column names.
    scale_ : ndarray of shape (n_features,)
        Powers of two the columns were divided by before the covariances
        (1 except for columns above 1e150 or below 1e-150 in magnitude, whose
        squares would overflow or underflow); ``transform_matrix_`` and
        ``regularization`` act on the scaled columns.

    Notes
    -----
    With ``C_s``, ``C_t`` the sample covariances (``ddof=1``), the aligned
    source has covariance ``A' C_s A = C_t + lambda I - lambda A' A``: exactly
    ``C_t`` up to the regularisation. With ``regularization > 0`` on columns
    whose scales differ so much (1e-8 and 1e8) that float64 square roots of
    ``C + lambda I`` miss that identity by more than 1% of a standard
    deviation, fit refuses the data (standardise the columns first, or use
    ``regularization=0``). Without ``X_target`` the source is
    aligned to itself and the transform is the identity. A transform fitted
    this way maps *source* rows; a ``Pipeline`` that would also transform the
    target at predict time is the wrong tool.

    References
    ----------
    .. [1] B. Sun, J. Feng and K. Saenko, "Return of frustratingly easy domain
       adaptation", AAAI (2016).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.transfer import CORAL
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(size=(2000, 2))
    >>> Xt = rng.normal(size=(2000, 2)) @ [[2.0, 0.0], [1.0, 0.5]]
    >>> Z = CORAL(regularization=1e-6).fit_transform(Xs, X_target=Xt)
    >>> np.allclose(np.cov(Z, rowvar=False), np.cov(Xt, rowvar=False))
    True
    """

    def __init__(self, regularization: float = 1.0, *, center: bool = True) -> None:
        self.regularization = regularization
        self.center = center

    def fit(self, X: Any, y: Any = None, *, X_target: Any = None) -> CORAL:
        """Learn the map from the source ``X`` to the target ``X_target``.

        Parameters
        ----------
        X : array-like of shape (n_source, n_features)
            Source-domain features.
        y : None
            Ignored (labels are accepted for pipelines). A 2-D ``y`` without
            ``X_target`` is refused: it is the target domain passed by
            position, which would make the map the identity.
        X_target : array-like of shape (n_target, n_features), optional
            Target-domain features (no labels needed). Without it the map is
            the identity.

        Returns
        -------
        self
        """
        lam = check_scalar(self.regularization, "regularization", caller="CORAL",
                           low=0.0)
        X, X_target = collected(X), collected(X_target)
        if not isinstance(self.center, bool | np.bool_):
            fail("center", "a bool", self.center, "CORAL")
        two_d = len(getattr(y, "shape", ())) == 2 or (
            isinstance(y, list | tuple) and len(y) > 0 and isinstance(y[0], list | tuple)
        )
        if y is not None and X_target is None and two_d:
            # fit(X_source, X_target) reads the target as y and would align
            # the source to itself: an identity map without a word
            fail("y", "None or labels (ignored); pass the target domain by keyword, "
                 "fit(X_source, X_target=X_target)",
                 described(f"a 2-D {type(y).__name__} (features, not labels) and no "
                           "X_target"), "CORAL")
        # one memory layout: a table (read column by column) or a Fortran array
        # gave means and covariances that differed in the last bit from the
        # same numbers in a C array
        x = np.ascontiguousarray(validate_data(self, self._numeric(X), dtype=np.float64))
        self._names = list(X.columns) if hasattr(X, "columns") else None
        if x.shape[0] < 2:
            # a bare ValueError naming no argument ("CORAL needs at least 2 samples")
            fail("X", "an array with at least 2 samples (rows) to estimate a covariance",
                 described(f"{x.shape[0]} sample"), "CORAL")
        if X_target is None:
            t = x
        else:
            target = self._numeric(X_target, "X_target")
            # scikit-learn's "feature names should match" named neither argument
            check_same_columns(X, X_target, ("X", "X_target"), "CORAL")
            t = np.ascontiguousarray(validate_data(self, target, reset=False,
                                                   dtype=np.float64))
            if t.shape[0] < 2:
                fail("X_target", "an array with at least 2 target samples (rows) to "
                     "estimate a covariance", described(f"{t.shape[0]} sample"), "CORAL")
        d = x.shape[1]
        scale = column_scales(x, t)
        self.scale_ = np.ones(x.shape[1]) if scale is None else scale
        xs, ts = x / self.scale_, t / self.scale_
        eye = lam * np.eye(d)
        cs = np.atleast_2d(np.cov(xs, rowvar=False)) + eye
        ct = np.atleast_2d(np.cov(ts, rowvar=False)) + eye
        if (lam == 0.0 or _ridge_lost(cs, lam)) and _singular(cs):
            # collinear columns leave an eigenvalue of rounding noise (4e-17), whose
            # inverse square root made the "aligned" source of order 1e138
            fail("X", "a source whose covariance is not singular (no constant or "
                 "collinear columns), or regularization > 0 large enough for its scale",
                 described(f"a singular source covariance (regularization={lam:g})"),
                 "CORAL")
        a = _sym_power(cs, -0.5) @ _sym_power(ct, 0.5)
        err = _alignment_error(a, cs, ct)
        if lam == 0.0:
            # the paper's symmetric map wherever float64 computes it; where the
            # columns' scales differ so much that it misses C_t (1e-8 and 1e8),
            # the map computed on standardised columns (the same aligned moments)
            if err > _RAW_MAP_TOLERANCE:
                a = _standardised_map(cs, ct)
            self.transform_matrix_ = a
        else:
            if err > _MAX_ALIGNMENT_ERROR:
                # the eigendecompositions lost the small columns (scales 1e-8 and
                # 1e8): an aligned variance came out 23 times the target's, or
                # 1e306, far above its bound C_t + lambda
                fail("X", "columns whose scales are close enough for "
                     f"regularization={lam:g} to align them in float64; standardise "
                     "the columns first, or use regularization=0 (computed on "
                     "standardised columns)",
                     described(f"a map whose aligned covariance misses C_t + lambda I "
                               f"- lambda A'A by {err:.3g} of the target's scale"), "CORAL")
            self.transform_matrix_ = a
        self.source_mean_ = _mean(x, self.scale_) if self.center else np.zeros(d)
        self.target_mean_ = _mean(t, self.scale_) if self.center else np.zeros(d)
        return self

    @staticmethod
    def _numeric(X: Any, name: str = "X") -> Any:
        """Refuse complex input and missing table cells clearly.

        Tables go to scikit-learn as they are (for their column names), after
        a check that no cell is missing: ``pd.NA`` and polars/pyarrow nulls in
        nullable columns (``Int64``, ``Float64``, ``boolean``, ...) are
        missing values, refused with a message naming the argument and the
        columns.
        """
        dt = getattr(X, "dtype", None)
        if is_frame(X):
            refuse_categorical_table(X, name, "CORAL")
            # scikit-learn's feature-name check raised narwhals' DuplicateError,
            # which names no argument
            refuse_duplicate_names(column_names(X) or [], name, "CORAL")
            arr = frame_to_numpy(X)
            if arr.dtype.kind == "f" and np.isnan(arr).any():
                bad = np.isnan(arr).any(axis=0)
                cols = [str(c) for c, b in zip(column_names(X) or [], bad, strict=True) if b]
                fail(name, "free of missing values (NaN, None, pd.NA or nulls); drop or "
                     "impute them first",
                     described(f"{int(np.isnan(arr).sum())} missing value(s) in "
                               f"column(s) {cols}"), "CORAL")
            if arr.dtype.kind not in "biuf":
                # scikit-learn read text digits ("3", a ``string`` column) as numbers
                # and failed on datetimes with a bare DTypePromotionError
                check_array(arr, name, caller="CORAL", ndim=2)
            return X
        if dt is not None and not isinstance(dt, np.dtype):
            return X
        if (dt is not None and dt.kind == "c") or (
            isinstance(X, list | tuple) and np.iscomplexobj(np.asarray(X, dtype=object).tolist())
        ):
            as_numpy(np.asarray(X), name, "CORAL")
        arr = np.asarray(X) if isinstance(X, list | tuple) else X
        kind = getattr(getattr(arr, "dtype", None), "kind", "f")
        if kind in "USMm" or (kind == "O" and set(label_kinds(arr)) & _NOT_NUMBERS):
            # text and datetimes get the library's errors, as in the other
            # transfer helpers (scikit-learn read "3" as 3.0); other objects go
            # to scikit-learn, which converts numbers and refuses the rest
            check_array(arr, name, caller="CORAL", ndim=2)
        return X

    def transform(self, X: Any) -> Any:
        """Map source rows into the target's second-order statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Source-domain rows.

        Returns
        -------
        ndarray or table of shape (n_samples, n_features)
            A table of the same kind as ``X`` (same column names; a pandas
            table keeps its index) when ``X`` is a table and no other container
            was chosen with ``set_output``.
        """
        check_is_fitted(self, "transform_matrix_")
        X = collected(X)
        x = np.ascontiguousarray(
            validate_data(self, self._numeric(X), reset=False, dtype=np.float64))
        z = (x - self.source_mean_) / self.scale_ @ self.transform_matrix_
        # (scales below 1 cannot overflow the product: no clip beyond the float range)
        limit = _FMAX / np.maximum(self.scale_, 1.0)
        out = np.clip(z, -limit, limit) * self.scale_ + self.target_mean_
        if is_frame(X) and _output_kind(self) == "default":
            table = like(X, out)
            if frame_kind(X) == "pandas":
                # one output row per input row: keep the rows' labels, as
                # set_output(transform="pandas") does (a fresh 0..n-1 index
                # would misalign anything joined on the input's index)
                table.index = X.index
            return table
        return out


_FMAX = float(np.finfo(np.float64).max)
_NOT_NUMBERS = {"text", "bytes", "datetimes", "durations"}


def _mean(x: FloatArray, scale: FloatArray) -> FloatArray:
    """Column means that cannot overflow (computed on the scaled columns)."""
    out: FloatArray = (x / scale).mean(axis=0) * scale
    return out


def _output_kind(est: Any) -> str:
    """Return the container ``set_output`` chose for ``transform`` ("default" if none)."""
    import sklearn

    own = getattr(est, "_sklearn_output_config", {}).get("transform")
    return str(own or sklearn.get_config().get("transform_output", "default"))
