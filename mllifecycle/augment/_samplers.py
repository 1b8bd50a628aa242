"""scikit-learn style sampler classes wrapping the augmenter functions.

Each class stores its parameters in a keyword-only ``__init__`` (nothing else
happens there), so ``get_params``/``set_params``/``clone`` work and the
sampler goes into :class:`imblearn.pipeline.Pipeline` and grid searches.
``fit_resample`` calls the matching function with ``rng=random_state``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, OneToOneFeatureMixin

from mllifecycle._frames import column_names, is_frame
from mllifecycle._validation import check_rng
from mllifecycle.augment._common import is_continuous, to_numpy
from mllifecycle.augment._regression import smote_regression
from mllifecycle.augment._simple import gaussian_noise, mixup, random_oversample
from mllifecycle.augment._smote import adasyn, borderline_smote, smote, smote_nc

__all__ = [
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTENC",
    "RandomOverSampler",
    "GaussianNoise",
    "Mixup",
    "SMOTER",
]


class _Augmenter(OneToOneFeatureMixin, BaseEstimator):  # type: ignore[misc]
    """Shared ``fit``/``fit_resample``: call the function with ``rng=random_state``.

    Fitted attributes (set by ``fit`` and by ``fit_resample``):
    ``n_features_in_``, ``feature_names_in_`` (string column names of a
    table) and ``sampling_strategy_`` (synthetic rows per class, or per
    target group for a continuous target).
    """

    _function: ClassVar[Callable[..., tuple[Any, ...]]]

    def fit_resample(
        self, X: Any, y: Any, sample_weight: npt.ArrayLike | None = None
    ) -> tuple[Any, ...]:
        """Return ``(X_new, y_new)``, or ``(X_new, y_new, w_new)`` given weights.

        Parameters
        ----------
        X : array-like or table of shape (n_samples, n_features)
            NumPy array, or a pandas, polars or pyarrow table.
        y : array-like or Series of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        tuple
            The original rows followed by the synthetic ones, as the matching
            function returns them: a table of the same kind (column names and,
            where the values fit them exactly, dtypes kept) when ``X`` is a
            table, a Series of the same kind when ``y`` is one, lists when
            lists were given.
        """
        params = self.get_params(deep=False)
        rng = params.pop("random_state")
        # named as the sampler's own parameter: the function's check blamed "the
        # 'rng' parameter of smote", a name the sampler's user never wrote
        check_rng(rng, "random_state", caller=f"{type(self).__name__}.fit_resample")
        fn = type(self)._function
        out = fn(X, y, sample_weight=sample_weight, rng=rng, **params)
        self._record(X, y, out)
        if isinstance(X, list) or isinstance(y, list):
            res = list(out)
            if isinstance(X, list):
                res[0] = np.asarray(res[0]).tolist()
            if isinstance(y, list):
                res[1] = np.asarray(res[1]).tolist()
            out = tuple(res)
        return out

    def _record(self, X: Any, y: Any, out: tuple[Any, ...]) -> None:
        names = column_names(X)
        xa = np.asarray(to_numpy(out[0])) if not is_frame(out[0]) else None
        self.n_features_in_ = int(
            len(names) if names is not None else (xa.shape[1] if xa is not None else 0)
        )
        if names is not None and all(isinstance(n, str) for n in names):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        y_in = np.asarray(to_numpy(y))
        y_out = np.asarray(to_numpy(out[1]))
        self.sampling_strategy_ = self._plan(y_in, y_out[y_in.shape[0]:])

    def _plan(self, y: npt.NDArray[Any], y_new: npt.NDArray[Any]) -> dict[Any, int]:
        """Synthetic rows per class (in class order), from the rows added."""
        if y_new.ndim == 2:  # soft labels: the dominant parent's class
            y_new = np.unique(y)[y_new.argmax(axis=1)]
        if is_continuous(y):
            return {"all": int(y_new.shape[0])}
        labels, counts = np.unique(y_new, return_counts=True)
        return {(lab.item() if isinstance(lab, np.generic) else lab): int(c)
                for lab, c in zip(labels, counts, strict=True)}

    def fit(self, X: Any, y: Any) -> _Augmenter:
        """Validate ``X`` and ``y`` and work out the resampling plan.

        Samplers act in :meth:`fit_resample`; ``fit`` runs the same
        validation and sets the fitted attributes (``n_features_in_``,
        ``feature_names_in_``, ``sampling_strategy_``), raising on the same
        bad input.

        Parameters
        ----------
        X : array-like or table of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        self.fit_resample(X, y)
        return self

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.required = True
        return tags


class SMOTE(_Augmenter):
    """SMOTE as a sampler; see :func:`mllifecycle.augment.smote`.

    Parameters
    ----------
    sampling_strategy, n_samples, k_neighbors, n_jobs :
        As in :func:`~mllifecycle.augment.smote`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``); fix it for reproducible resampling.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import SMOTE
    >>> X = np.random.default_rng(0).normal(size=(60, 2))
    >>> y = np.r_[np.zeros(50, int), np.ones(10, int)]
    >>> X_new, y_new = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_new)
    array([50, 50])
    """

    _function = staticmethod(smote)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        k_neighbors: int = 5,
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state


class BorderlineSMOTE(_Augmenter):
    """Borderline-SMOTE as a sampler; see :func:`mllifecycle.augment.borderline_smote`.

    Parameters
    ----------
    sampling_strategy, n_samples, k_neighbors, m_neighbors, kind, n_jobs :
        As in :func:`~mllifecycle.augment.borderline_smote`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import BorderlineSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (100, 2)), rng.normal(1, 1, (20, 2))]
    >>> y = np.r_[np.zeros(100, int), np.ones(20, int)]
    >>> BorderlineSMOTE(random_state=0).fit_resample(X, y)[0].shape
    (200, 2)
    """

    _function = staticmethod(borderline_smote)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        k_neighbors: int = 5,
        m_neighbors: int = 10,
        kind: str = "borderline-1",
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs
        self.random_state = random_state


class ADASYN(_Augmenter):
    """ADASYN as a sampler; see :func:`mllifecycle.augment.adasyn`.

    Parameters
    ----------
    sampling_strategy, n_samples, k_neighbors, n_jobs :
        As in :func:`~mllifecycle.augment.adasyn`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import ADASYN
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (100, 2)), rng.normal(1, 1, (20, 2))]
    >>> y = np.r_[np.zeros(100, int), np.ones(20, int)]
    >>> ADASYN(random_state=0).fit_resample(X, y)[0].shape
    (200, 2)
    """

    _function = staticmethod(adasyn)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        k_neighbors: int = 5,
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state


class SMOTENC(_Augmenter):
    """SMOTE-NC as a sampler; see :func:`mllifecycle.augment.smote_nc`.

    Parameters
    ----------
    categorical_features : "auto", sequence of int or str, or boolean mask
        The categorical columns (required before ``fit_resample``; see
        :func:`~mllifecycle.augment.smote_nc`).
    sampling_strategy, n_samples, k_neighbors, n_jobs :
        As in :func:`~mllifecycle.augment.smote_nc`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> X = np.c_[rng.normal(size=60), rng.integers(0, 3, 60)]
    >>> y = np.r_[np.zeros(50, int), np.ones(10, int)]
    >>> sampler = SMOTENC(categorical_features=[1], random_state=0)
    >>> X_new, y_new = sampler.fit_resample(X, y)
    >>> set(X_new[:, 1]) <= {0.0, 1.0, 2.0}
    True
    """

    _function = staticmethod(smote_nc)

    def __init__(
        self,
        *,
        categorical_features: str | Sequence[int] | Sequence[str] | npt.ArrayLike | None = None,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        k_neighbors: int = 5,
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state


class RandomOverSampler(_Augmenter):
    """Random or smoothed-bootstrap oversampling as a sampler.

    See :func:`~mllifecycle.augment.random_oversample`.

    Parameters
    ----------
    sampling_strategy, n_samples, shrinkage :
        As in :func:`~mllifecycle.augment.random_oversample`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import RandomOverSampler
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> np.bincount(RandomOverSampler(random_state=0).fit_resample(X, y)[1])
    array([4, 4])
    """

    _function = staticmethod(random_oversample)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        shrinkage: float | Mapping[Any, float] | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.shrinkage = shrinkage
        self.random_state = random_state


class GaussianNoise(_Augmenter):
    """Noisy copies as a sampler; see :func:`mllifecycle.augment.gaussian_noise`.

    Parameters
    ----------
    sampling_strategy, n_samples, scale :
        As in :func:`~mllifecycle.augment.gaussian_noise`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import GaussianNoise
    >>> X = np.random.default_rng(0).normal(size=(20, 2))
    >>> y = np.r_[np.zeros(10, int), np.ones(10, int)]
    >>> GaussianNoise(n_samples=10, random_state=0).fit_resample(X, y)[0].shape
    (30, 2)
    """

    _function = staticmethod(gaussian_noise)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        scale: float = 0.1,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.scale = scale
        self.random_state = random_state


class Mixup(_Augmenter):
    """Mixup as a sampler; see :func:`mllifecycle.augment.mixup`.

    Parameters
    ----------
    sampling_strategy, n_samples, concentration, labels, task :
        As in :func:`~mllifecycle.augment.mixup`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import Mixup
    >>> X = np.random.default_rng(0).normal(size=(20, 2))
    >>> y = np.r_[np.zeros(15, int), np.ones(5, int)]
    >>> np.bincount(Mixup(random_state=0).fit_resample(X, y)[1])
    array([15, 15])
    """

    _function = staticmethod(mixup)

    def _plan(self, y: npt.NDArray[Any], y_new: npt.NDArray[Any]) -> dict[Any, int]:
        # task="regression" on integer targets: the new rows carry mixed target
        # values, not classes (one group, as for any continuous target)
        if self.task == "regression":
            return {"all": int(y_new.shape[0])}
        return super()._plan(y, y_new)

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        concentration: float = 0.2,
        labels: str = "hard",
        task: str = "auto",
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.concentration = concentration
        self.labels = labels
        self.task = task
        self.random_state = random_state


class SMOTER(_Augmenter):
    """SMOTER as a sampler; see :func:`mllifecycle.augment.smote_regression`.

    Parameters
    ----------
    sampling_strategy, n_samples, k_neighbors, relevance, threshold, n_jobs :
        As in :func:`~mllifecycle.augment.smote_regression`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed (passed as ``rng``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import SMOTER
    >>> X = np.random.default_rng(0).normal(size=(200, 2))
    >>> y = np.exp(X[:, 0])
    >>> SMOTER(n_samples=40, random_state=0).fit_resample(X, y)[0].shape
    (240, 2)
    """

    _function = staticmethod(smote_regression)

    def _plan(self, y: npt.NDArray[Any], y_new: npt.NDArray[Any]) -> dict[Any, int]:
        med = float(np.median(y))
        low = int((y_new < med).sum())
        return {"low": low, "high": int(y_new.shape[0]) - low}

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_samples: int | None = None,
        k_neighbors: int = 5,
        relevance: Callable[[Any], npt.ArrayLike] | None = None,
        threshold: float = 0.8,
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_samples = n_samples
        self.k_neighbors = k_neighbors
        self.relevance = relevance
        self.threshold = threshold
        self.n_jobs = n_jobs
        self.random_state = random_state
