"""Compute: training time (and peak memory) against rows and features."""

from __future__ import annotations

import math
import time
import tracemalloc
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import in_row_order
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import (
    check_bool,
    check_int,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle.budget._checks import (
    ARRAY_EQ,
    collected,
    refuse_sparse,
    refuse_text,
    timedelta_seconds,
)

__all__ = ["ComputeModel", "fit_compute", "time_fits"]

FloatArray = npt.NDArray[np.float64]


@attrs.frozen
class _LogLinear:
    """OLS of log(y) on [1, log rows, (log features)] with its covariance."""

    coef: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    cov: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    sigma: float
    dof: int
    uses_features: bool

    def design(self, rows: FloatArray, features: FloatArray) -> FloatArray:
        cols = [np.ones_like(rows), np.log(rows)]
        if self.uses_features:
            cols.append(np.log(features))
        return np.column_stack(cols)

    def predict(
        self, rows: FloatArray, features: FloatArray, confidence_level: float
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        from scipy.stats import t

        d = self.design(rows, features)
        mu = d @ self.coef
        # prediction interval of one new run, in log space
        if self.dof < 1:  # as many parameters as runs: the noise cannot be estimated
            return np.exp(mu), np.zeros_like(mu), np.full_like(mu, np.inf)
        var = self.sigma**2 + np.einsum("ij,jk,ik->i", d, self.cov, d)
        q = float(t.ppf(0.5 + confidence_level / 2, self.dof))
        half = q * np.sqrt(var)
        return np.exp(mu), np.exp(mu - half), np.exp(mu + half)


def _fit_loglinear(rows: FloatArray, features: FloatArray, y: FloatArray) -> _LogLinear:
    uses = bool(np.unique(features).size > 1)
    cols = [np.ones_like(rows), np.log(rows)]
    if uses:
        cols.append(np.log(features))
    d = np.column_stack(cols)
    ly = np.log(y)
    coef, *_ = np.linalg.lstsq(d, ly, rcond=None)
    resid = ly - d @ coef
    dof = rows.size - d.shape[1]
    sigma = float(math.sqrt(float(resid @ resid) / dof)) if dof > 0 else 0.0
    cov = sigma**2 * np.linalg.pinv(d.T @ d)
    return _LogLinear(coef=coef, cov=cov, sigma=sigma, dof=dof, uses_features=uses)


@attrs.frozen(repr=False)
class ComputeModel:
    """Training cost as a power law in rows and features, fitted on timed runs.

    ``seconds = exp(b0) * rows**b1 * features**b2`` (``b2`` only when the runs
    vary the number of features), fitted by least squares on the log scale;
    predictions come with a prediction interval for one new run. The same for
    peak memory when it was measured.

    Attributes
    ----------
    n_samples, n_features, seconds : ndarray
        The measured runs.
    peak_memory : ndarray or None
        Peak bytes allocated during each run, when measured.
    rows_exponent, features_exponent : float
        ``b1`` and ``b2`` (0 when features did not vary): how time scales.
        Runs at one feature count predict only at that count.
    confidence_level : float

    Examples
    --------
    >>> from mllifecycle.budget import fit_compute
    >>> model = fit_compute([1000, 2000, 4000, 8000], [10] * 4, [0.1, 0.21, 0.39, 0.82])
    >>> round(model.rows_exponent, 1)
    1.0
    >>> seconds, low, high = model.predict(16000, 10)
    >>> bool(low < seconds < high)
    True
    """

    n_samples: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    n_features: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    seconds: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    peak_memory: FloatArray | None = attrs.field(eq=ARRAY_EQ, hash=False)
    confidence_level: float
    _time: _LogLinear = attrs.field(hash=False, alias="time_fit")
    _memory: _LogLinear | None = attrs.field(hash=False, alias="memory_fit")

    @property
    def rows_exponent(self) -> float:
        """How training time scales with rows (``b1``)."""
        return float(self._time.coef[1])

    @property
    def features_exponent(self) -> float:
        """How training time scales with features (``b2``; 0 if not varied)."""
        return float(self._time.coef[2]) if self._time.uses_features else 0.0

    def _check_features(self, n_features: float, caller: str) -> float:
        # any positive count, in the unit of the runs (fit_compute takes runs at 0.5
        # thousand features, whose model then refused to predict at 0.5)
        f = check_scalar(n_features, "n_features", caller=caller, low=0.0, low_inclusive=False)
        fixed = float(self.n_features[0])
        if not self._time.uses_features and f != fixed:
            # no run measured another count: the time there is not known (it
            # was the time at the runs' count, silently)
            fail("n_features", f"{fixed:g} (the runs' one feature count: they did not vary "
                 "it, so its effect on the time is unknown)", n_features, caller)
        return f

    def predict(self, n_samples: float, n_features: float) -> tuple[float, float, float]:
        """Seconds for one fit at ``n_samples`` x ``n_features``: (estimate, low, high).

        ``n_samples`` and ``n_features`` are in the units of the runs (any
        positive numbers). When the runs did not vary the features,
        ``n_features`` must be their count.
        """
        # any positive size, in the unit of the runs (thousands of rows: 0.5)
        r = check_scalar(
            n_samples, "n_samples", caller="ComputeModel.predict", low=0.0, low_inclusive=False
        )
        f = self._check_features(n_features, "ComputeModel.predict")
        mu, lo, hi = self._time.predict(np.array([r]), np.array([f]), self.confidence_level)
        return float(mu[0]), float(lo[0]), float(hi[0])

    def predict_memory(
        self, n_samples: float, n_features: float
    ) -> tuple[float, float, float] | None:
        """Peak bytes for one fit (estimate, low, high), or None if not measured."""
        if self._memory is None:
            return None
        # any positive size, in the unit of the runs (thousands of rows: 0.5)
        r = check_scalar(
            n_samples, "n_samples", caller="ComputeModel.predict_memory", low=0.0,
            low_inclusive=False,
        )
        f = self._check_features(n_features, "ComputeModel.predict_memory")
        mu, lo, hi = self._memory.predict(np.array([r]), np.array([f]), self.confidence_level)
        return float(mu[0]), float(lo[0]), float(hi[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        out = attrs_to_dict(self, exclude=("_time", "_memory"))
        out["rows_exponent"] = self.rows_exponent
        out["features_exponent"] = self.features_exponent
        return out

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float``: the scaling exponents."""
        return flat_metrics(
            {"rows_exponent": self.rows_exponent, "features_exponent": self.features_exponent},
            prefix="compute",
        )

    def __repr__(self) -> str:
        return (
            f"ComputeModel(seconds ~ rows^{format_value(self.rows_exponent, 3)} "
            f"x features^{format_value(self.features_exponent, 3)}, runs={self.seconds.size})"
        )

    def _repr_html_(self) -> str:
        # sizes in any positive unit: 0.5 (thousand rows) was shown as 0
        rows = [
            [_count(r), _count(f), float(s)]
            for r, f, s in zip(self.n_samples, self.n_features, self.seconds, strict=True)
        ]
        return html_table(rows, ["rows", "features", "seconds"], caption=repr(self))


def _count(value: float) -> int | float:
    """Return a run's size for display: an int when whole, else the float itself."""
    v = float(value)
    return int(v) if v.is_integer() else v


def _positive(values: Any, name: str, n: int | None, caller: str) -> FloatArray:
    refuse_text(values, name, "positive numbers", caller)
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        fail(name, "positive numbers", values, caller)
    if arr.ndim != 1 or (n is not None and arr.size != n):
        want = f"{n} values" if n is not None else "a 1-D sequence"
        fail(name, want, described(f"shape {arr.shape}"), caller)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        fail(name, "positive, finite numbers", values, caller)
    return arr


def fit_compute(
    n_samples: npt.ArrayLike,
    n_features: npt.ArrayLike,
    seconds: npt.ArrayLike,
    *,
    peak_memory: npt.ArrayLike | None = None,
    confidence_level: float = 0.9,
) -> ComputeModel:
    """Fit training time against rows and features from timed runs.

    Parameters
    ----------
    n_samples, n_features, seconds : 1-D array-like of positive numbers
        One entry per timed fit (at least 3, at 2 or more distinct row counts).
        Pandas Series holding ``n_samples``' row labels in another order are
        read in its row order.
        ``seconds`` may be durations (``timedelta64``, ``datetime.timedelta``,
        ``pandas.Timedelta``), read in seconds.
    peak_memory : 1-D array-like of positive numbers, optional
        Peak bytes of each run.
    confidence_level : float, default=0.9
        Coverage of the prediction intervals.

    Returns
    -------
    ComputeModel

    Examples
    --------
    >>> from mllifecycle.budget import fit_compute
    >>> model = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.0])
    >>> round(model.rows_exponent, 3)
    2.0
    """
    caller = "fit_compute"
    # pandas columns holding the same row labels in two orders are paired by label
    # (a run's time was fitted at another run's size)
    n_features = in_row_order(n_features, n_samples, "n_features", "n_samples", caller)
    seconds = in_row_order(seconds, n_samples, "seconds", "n_samples", caller)
    if peak_memory is not None:
        peak_memory = in_row_order(peak_memory, n_samples, "peak_memory", "n_samples", caller)
    r = _positive(n_samples, "n_samples", None, caller)
    if r.size < 3:
        fail("n_samples", "at least 3 timed runs", described(f"{r.size}"), caller)
    if np.unique(r).size < 2:
        fail("n_samples", "runs at 2 or more distinct row counts", n_samples, caller)
    f = _positive(n_features, "n_features", r.size, caller)
    if np.unique(f).size > 1:
        design = np.column_stack([np.ones_like(r), np.log(r), np.log(f)])
        if np.linalg.matrix_rank(design) < 3:
            fail("n_features", "counts that vary independently of n_samples (or one fixed "
                 "count): when log features is a linear function of log rows the two "
                 "exponents cannot be told apart",
                 described("features in lockstep with the rows"), caller)
    # durations are seconds: a timedelta64 in milliseconds was read as 1000x the time
    s = _positive(timedelta_seconds(seconds), "seconds", r.size, caller)
    cl = check_scalar(
        confidence_level, "confidence_level", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    mem = None if peak_memory is None else _positive(peak_memory, "peak_memory", r.size, caller)
    return ComputeModel(
        n_samples=r,
        n_features=f,
        seconds=s,
        peak_memory=mem,
        confidence_level=cl,
        time_fit=_fit_loglinear(r, f, s),
        memory_fit=None if mem is None else _fit_loglinear(r, f, mem),
    )


def time_fits(
    estimator: Any,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    sizes: npt.ArrayLike,
    *,
    repeats: int = 3,
    measure_memory: bool = False,
    confidence_level: float = 0.9,
    rng: int | np.random.Generator | None = None,
) -> ComputeModel:
    """Time fits of ``estimator`` on random subsets of several sizes; fit the law.

    Each size is fitted ``repeats`` times on a fresh random subset (the fastest
    run counts, as ``timeit`` does); with ``measure_memory`` the peak of
    Python-tracked allocations (NumPy's included) is recorded with
    :mod:`tracemalloc`, which slows the fits.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Cloned for every fit.
    X, y : array-like
        A pandas ``y`` whose index holds ``X``'s row labels in another order
        is read in ``X``'s row order (with a default 0..n-1 index on one
        side, refused).
    sizes : array-like of int
        Row counts to time (at least 3 distinct, each at most ``len(X)``).
    repeats : int, default=3
    measure_memory : bool, default=False
    confidence_level : float, default=0.9
    rng : int, numpy.random.Generator or None
        Randomness of the subsets.

    Returns
    -------
    ComputeModel

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.budget import time_fits
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(4000, 5)); y = (X[:, 0] > 0).astype(int)
    >>> model = time_fits(LogisticRegression(), X, y, [500, 1000, 2000, 4000], rng=0)
    >>> model.seconds.size
    4
    """
    from sklearn.base import clone

    caller = "time_fits"
    gen = check_rng(rng, caller=caller)
    reps = check_int(repeats, "repeats", caller=caller)
    # a truthy "no" measured memory
    memory = check_bool(measure_memory, "measure_memory", caller)
    refuse_sparse(X, "X", caller)
    X = collected(X)
    # pandas X and y holding the same row labels in two orders are paired by label
    y = in_row_order(y, X, "y", "X", caller)
    table = hasattr(X, "iloc") and hasattr(X, "columns")
    Xa = np.asarray(X)
    ya = np.asarray(y)
    if Xa.ndim != 2:
        fail("X", "a 2-D array with one row per label in y", described(f"shape {Xa.shape}"), caller)
    if ya.ndim != 1 or Xa.shape[0] != ya.shape[0]:
        # a 2-D y, or one of another length, was blamed on X (with X's own, right shape)
        fail("y", f"a 1-D array with one label per row of X ({Xa.shape[0]})",
             described(f"shape {ya.shape}"), caller)
    raw = _positive(sizes, "sizes", None, caller)
    if np.any(raw != np.round(raw)):
        # 100.9 was truncated to 100 (and 2.9 to 2)
        fail("sizes", "integer row counts", sizes, caller)
    sz = raw.astype(np.int64)
    if np.unique(sz).size < 3 or np.any(sz > Xa.shape[0]) or np.any(sz < 2):
        fail("sizes", f"at least 3 distinct sizes between 2 and {Xa.shape[0]}", sizes, caller)
    secs, mems = [], []
    for n in sz:
        best, peak = math.inf, 0
        for _ in range(reps):
            idx = gen.choice(Xa.shape[0], size=int(n), replace=False)
            est = clone(estimator)
            if memory:
                # the caller's own tracing (tracemalloc already started) is left
                # running, and its allocations so far are not the fit's: the peak
                # was the session's (50 MB freed earlier) and the tracing stopped
                outer = tracemalloc.is_tracing()
                if not outer:
                    tracemalloc.start()
                tracemalloc.reset_peak()
                base = tracemalloc.get_traced_memory()[0]
            # a table stays a table (as learning_curve keeps it): a pipeline
            # selecting columns by name failed on the bare array, and a
            # mixed-type table was timed as an object array
            X_fit = X.iloc[idx] if table else Xa[idx]  # type: ignore[union-attr]
            y_fit = y.iloc[idx] if hasattr(y, "iloc") else ya[idx]
            t0 = time.perf_counter()
            est.fit(X_fit, y_fit)
            best = min(best, time.perf_counter() - t0)
            if memory:
                peak = max(peak, tracemalloc.get_traced_memory()[1] - base)
                if not outer:
                    tracemalloc.stop()
        secs.append(max(best, 1e-9))
        mems.append(max(peak, 1))
    return fit_compute(
        sz.astype(np.float64),
        np.full(sz.size, float(Xa.shape[1])),
        np.array(secs),
        peak_memory=np.array(mems, dtype=np.float64) if memory else None,
        confidence_level=confidence_level,
    )
