"""Stacked transfer: a pretrained model's outputs become features of a target model."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from mllifecycle._frames import column_names, in_row_order, is_frame, refuse_duplicate_names
from mllifecycle._validation import check_option, described, fail
from mllifecycle.exceptions import NotFittedError
from mllifecycle.transfer._common import FloatArray, collected

__all__ = ["StackedTransferClassifier", "StackedTransferRegressor"]

_METHODS = ("auto", "predict_proba", "decision_function", "predict")


def _source_features(model: Any, x: FloatArray, method: str) -> FloatArray:
    """Return the pretrained model's outputs on ``x`` as a 2-D float array."""
    if method == "auto":
        for m in ("predict_proba", "decision_function", "predict"):
            if hasattr(model, m):
                method = m
                break
    out = np.asarray(getattr(model, method)(x))
    if out.dtype.kind not in "biuf":
        raise ValueError(
            f"the source model's {method}() returned non-numeric values (dtype "
            f"{out.dtype}); pass method='predict_proba' or 'decision_function'"
        )
    out = out.astype(np.float64, copy=False)
    if out.ndim == 1:
        out = out[:, None]
    if method == "predict_proba" and out.shape[1] == 2:
        out = out[:, 1:]  # the two columns of a binary model are redundant
    return out


def _is_sklearn_estimator(model: Any) -> bool:
    """Whether scikit-learn can tell if ``model`` is fitted (a scikit-learn estimator)."""
    return callable(getattr(model, "fit", None)) and (
        hasattr(model, "__sklearn_tags__") or hasattr(model, "__sklearn_is_fitted__")
    )


def _refuse_repeated_columns(X: Any, caller: str) -> None:
    """Refuse a table with repeated column names, naming ``X``.

    scikit-learn's feature-name check raised narwhals' ``DuplicateError``,
    which names no argument.
    """
    if is_frame(X):
        refuse_duplicate_names(column_names(X) or [], "X", caller)


class _StackedBase(BaseEstimator):  # type: ignore[misc]
    """Shared fit/predict of the stacked transfer estimators."""

    _caller = "StackedTransfer"

    def __init__(
        self,
        source_model: Any = None,
        estimator: Any = None,
        *,
        method: str = "auto",
        passthrough: bool = True,
    ) -> None:
        self.source_model = source_model
        self.estimator = estimator
        self.method = method
        self.passthrough = passthrough

    def _default_estimator(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_y(self, y: Any) -> None:
        """Check the target values (classifiers: classification targets)."""

    def _check_source(self) -> Any:
        from sklearn.exceptions import NotFittedError as SkNotFitted

        src = self.source_model
        if src is None or not callable(getattr(src, "predict", None)):
            fail(
                "source_model",
                "a fitted model with predict()",
                described("None") if src is None else src,
                self._caller,
            )
        if not _is_sklearn_estimator(src):
            # a model of the user's own (a wrapped network, a plain class with
            # predict_proba) is taken as fitted: scikit-learn's check refused it
            # ("is not an estimator instance", or no __sklearn_tags__)
            return src
        try:
            check_is_fitted(src)
        except SkNotFitted as exc:
            raise NotFittedError(
                f"The 'source_model' of {self._caller} must be fitted (the pretrained "
                "model is used as is, never refitted). Wrap a fitted model in "
                "sklearn.frozen.FrozenEstimator so that clone() keeps it fitted."
            ) from exc
        return src

    def _augment(self, x: FloatArray, X: Any = None) -> FloatArray:
        # one memory layout: the source model asked on a Fortran-ordered or
        # strided X (or on a table, which scikit-learn reads as a Fortran
        # array) answered in the last bit otherwise than on the same numbers
        x = np.ascontiguousarray(x)
        src = self.source_model
        # a source model fitted on a table is asked on the same table (names
        # kept); one fitted on arrays (scikit-learn's n_features_in_ without
        # feature_names_in_) on the array, as it was fitted
        on_arrays = (hasattr(src, "n_features_in_")
                     and getattr(src, "feature_names_in_", None) is None)
        src_in = X if X is not None and is_frame(X) and not on_arrays else x
        feats = _source_features(self.source_model, src_in, self.method)
        return np.hstack([x, feats]) if self.passthrough else feats

    def fit(self, X: Any, y: Any) -> Any:
        """Fit the target estimator on ``X`` augmented with the source outputs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Target-domain features.
        y : array-like of shape (n_samples,)
            Target-domain labels.

        Returns
        -------
        self
        """
        check_option(self.method, "method", _METHODS, self._caller)
        if not isinstance(self.passthrough, bool | np.bool_):
            fail("passthrough", "a bool", self.passthrough, self._caller)
        X = collected(X)
        _refuse_repeated_columns(X, self._caller)
        # pandas X and y holding the same row labels in two orders are paired by
        # label (a y sorted by index was fitted to another row's features)
        y = in_row_order(y, X, "y", "X", self._caller)
        x, y = validate_data(self, X, y)
        self._check_y(y)
        src = self._check_source()
        if self.method != "auto" and not callable(getattr(src, self.method, None)):
            # asked for it by name: a bare AttributeError named neither argument
            have = [m for m in _METHODS[1:] if callable(getattr(src, m, None))]
            who = type(src).__name__
            inner = getattr(src, "estimator", None)
            if who == "FrozenEstimator" and inner is not None:
                who = f"FrozenEstimator({type(inner).__name__})"
            fail(
                "method",
                "'auto' or a method the source model has ("
                + ", ".join(repr(m) for m in have) + ")",
                described(f"{self.method!r}, which {who} lacks"),
                self._caller,
            )
        est = self._default_estimator() if self.estimator is None else self.estimator
        z = self._augment(x, X)
        self.estimator_ = clone(est).fit(z, y)
        self.n_source_features_ = z.shape[1] - (
            x.shape[1] if self.passthrough else 0
        )
        return self

    def _prepared(self, X: Any) -> FloatArray:
        check_is_fitted(self, "estimator_")
        X = collected(X)
        _refuse_repeated_columns(X, self._caller)
        x = validate_data(self, X, reset=False)
        return self._augment(x, X)

    def predict(self, X: Any) -> Any:
        """Predict with the target estimator on the augmented features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        z = self._prepared(X)
        return self.estimator_.predict(z)


def _inner_has(name: str) -> Any:
    def check(self: Any) -> bool:
        est = getattr(self, "estimator_", None)
        if est is None:
            est = self._default_estimator() if self.estimator is None else self.estimator
        return hasattr(est, name)

    return check


class StackedTransferClassifier(ClassifierMixin, _StackedBase):  # type: ignore[misc]
    """Classifier on target features plus a pretrained model's predictions.

    The pretrained (source) model is used as it is and never refitted: its
    class probabilities (or decision values, or predictions) on each row are
    appended to the row's features, and ``estimator`` is fitted on the result.
    This transfers a third-party or source-domain model to a target task whose
    labels differ or are few, and lets the target model learn how far to trust
    the source model [1]_.

    Parameters
    ----------
    source_model : fitted estimator
        The pretrained model. Wrap it in ``sklearn.frozen.FrozenEstimator`` so
        that ``clone`` (and so ``GridSearchCV``) keeps it fitted. A model of
        your own that is no scikit-learn estimator (a plain class with
        ``predict_proba``, ``decision_function`` or ``predict``, such as a
        wrapped network) is taken as fitted and used as it is.
    estimator : classifier, default=None
        The target model, cloned at fit. Default ``LogisticRegression()``.
    method : {"auto", "predict_proba", "decision_function", "predict"}, default="auto"
        Output of the source model used as features; ``"auto"`` takes the first
        available in that order. For a binary ``predict_proba`` only the
        positive-class column is kept.
    passthrough : bool, default=True
        Keep the original features next to the source outputs.

    Attributes
    ----------
    estimator_ : classifier
        The fitted target model.
    classes_ : ndarray
        Class labels.
    n_features_in_ : int
        Number of features seen during fit.
    n_source_features_ : int
        Number of columns the source model adds.

    See Also
    --------
    finetune : ``strategy="stacked"`` builds one of these from a source data set.

    References
    ----------
    .. [1] D. H. Wolpert, "Stacked generalization", Neural Networks 5(2),
       241-259 (1992).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.frozen import FrozenEstimator
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.transfer import StackedTransferClassifier
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(size=(500, 3)); ys = (Xs.sum(axis=1) > 0).astype(int)
    >>> source = FrozenEstimator(LogisticRegression().fit(Xs, ys))
    >>> Xt = rng.normal(size=(40, 3)); yt = (Xt.sum(axis=1) > 0.2).astype(int)
    >>> model = StackedTransferClassifier(source).fit(Xt, yt)
    >>> model.n_source_features_, model.predict(Xt[:3]).shape
    (1, (3,))
    """

    _caller = "StackedTransferClassifier"

    def _default_estimator(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression()

    def _check_y(self, y: Any) -> None:
        from sklearn.utils.multiclass import check_classification_targets

        check_classification_targets(y)

    def fit(self, X: Any, y: Any) -> StackedTransferClassifier:
        """Fit the target classifier (see :class:`StackedTransferClassifier`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Target-domain features.
        y : array-like of shape (n_samples,)
            Target-domain labels.

        Returns
        -------
        self
        """
        super().fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    @available_if(_inner_has("predict_proba"))  # type: ignore[untyped-decorator]
    def predict_proba(self, X: Any) -> Any:
        """Class probabilities of the target classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        z = self._prepared(X)
        return self.estimator_.predict_proba(z)

    @available_if(_inner_has("decision_function"))  # type: ignore[untyped-decorator]
    def decision_function(self, X: Any) -> Any:
        """Decision values of the target classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray
        """
        z = self._prepared(X)
        return self.estimator_.decision_function(z)


class StackedTransferRegressor(RegressorMixin, _StackedBase):  # type: ignore[misc]
    """Regressor on target features plus a pretrained model's predictions.

    As :class:`StackedTransferClassifier`, for regression targets: the source
    model's outputs on each row are appended to its features and
    ``estimator`` is fitted on the result [1]_.

    Parameters
    ----------
    source_model : fitted estimator
        The pretrained model (wrap it in ``sklearn.frozen.FrozenEstimator``).
        A model of your own that is no scikit-learn estimator (a plain class
        with ``predict``, such as a wrapped network) is taken as fitted and
        used as it is.
    estimator : regressor, default=None
        The target model, cloned at fit. Default ``Ridge()``.
    method : {"auto", "predict_proba", "decision_function", "predict"}, default="auto"
        Output of the source model used as features.
    passthrough : bool, default=True
        Keep the original features next to the source outputs.

    Attributes
    ----------
    estimator_ : regressor
        The fitted target model.
    n_features_in_ : int
        Number of features seen during fit.
    n_source_features_ : int
        Number of columns the source model adds.

    References
    ----------
    .. [1] D. H. Wolpert, "Stacked generalization", Neural Networks 5(2),
       241-259 (1992).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.frozen import FrozenEstimator
    >>> from sklearn.linear_model import Ridge
    >>> from mllifecycle.transfer import StackedTransferRegressor
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(size=(500, 3)); ys = Xs @ [1.0, 2.0, 0.0]
    >>> source = FrozenEstimator(Ridge().fit(Xs, ys))
    >>> Xt = rng.normal(size=(30, 3)); yt = 1.5 * (Xt @ [1.0, 2.0, 0.0])
    >>> model = StackedTransferRegressor(source, passthrough=False).fit(Xt, yt)
    >>> round(float(model.estimator_.coef_[0]), 2)
    1.5
    """

    _caller = "StackedTransferRegressor"

    def _default_estimator(self) -> Any:
        from sklearn.linear_model import Ridge

        return Ridge()

    def fit(self, X: Any, y: Any) -> StackedTransferRegressor:
        """Fit the target regressor (see :class:`StackedTransferRegressor`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Target-domain features.
        y : array-like of shape (n_samples,)
            Target-domain values.

        Returns
        -------
        self
        """
        super().fit(X, y)
        return self
