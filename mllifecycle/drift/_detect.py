"""Whole-data-set drift detection: a test per column, corrected and ranked."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._multitest import CORRECTIONS, adjust_p_values
from mllifecycle._validation import (
    check_alpha,
    check_nan_policy,
    check_option,
    check_rng,
    column_names,
    described,
    fail,
)
from mllifecycle.drift._common import FloatArray, check_optional_nonneg
from mllifecycle.drift._ks import (
    ks_pvalues,
    ks_statistic_columns,
    ks_statistic_sorted,
)
from mllifecycle.drift._result import DriftReport, DriftResult, FeatureDrift, _decide
from mllifecycle.drift._univariate import (
    anderson_darling,
    chi_square,
    cramer_von_mises,
    hellinger,
    jensen_shannon,
    ks,
    psi,
    wasserstein,
)
from mllifecycle.exceptions import DegenerateDataWarning, NotFittedError

__all__ = ["detect", "Reference", "adjust_p_values", "CORRECTIONS", "FEATURE_TESTS"]


# name -> (function, takes rng, handles numbers, handles categories)
FEATURE_TESTS: dict[str, tuple[Callable[..., DriftResult], bool, bool, bool]] = {
    "ks": (ks, False, True, False),
    "cramer_von_mises": (cramer_von_mises, False, True, False),
    "anderson_darling": (anderson_darling, True, True, False),
    "wasserstein": (wasserstein, True, True, False),
    "chi_square": (chi_square, False, True, True),
    "psi": (psi, True, True, True),
    "jensen_shannon": (jensen_shannon, True, True, True),
    "hellinger": (hellinger, True, True, True),
}


# ------------------------------------------------------------------- columns
def _column_kind(col: npt.NDArray[Any]) -> str:
    if col.dtype.kind in "iuf":
        return "numeric"
    if col.dtype.kind == "O":
        if any(isinstance(v, str | bytes | bool | np.bool_) for v in col.tolist()):
            return "categorical"
        try:
            col.astype(np.float64)
        except (TypeError, ValueError):
            return "categorical"
        return "numeric"
    return "categorical"


def _split(x: Any, name: str, caller: str) -> tuple[list[str], list[npt.NDArray[Any]]]:
    if isinstance(x, Mapping):
        if len(x) == 0:
            fail(
                name,
                "a data set with at least 1 column",
                described("0 columns"),
                caller,
            )
        keys = [str(k) for k in x]
        vals = [np.asarray(v) for v in x.values()]
        for k, v in zip(keys, vals, strict=True):
            if v.ndim != 1 or v.shape[0] != vals[0].shape[0]:
                fail(
                    name,
                    "a mapping of equally long 1-D columns",
                    described(f"column {k!r} of shape {v.shape}"),
                    caller,
                )
        return keys, vals
    names = column_names(x)
    if names is not None:
        cols = [np.asarray(x.iloc[:, j].to_numpy()) for j in range(len(names))]
        if len(cols) == 0:
            fail(
                name,
                "a data set with at least 1 column",
                described("0 columns"),
                caller,
            )
        return names, cols
    if x is None or isinstance(x, str | bytes):
        fail(name, "a 2-D array-like or DataFrame", x, caller)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        fail(
            name,
            "a 2-D array-like or DataFrame",
            described(f"ragged input ({exc})"),
            caller,
        )
    if arr.ndim != 2:
        fail(
            name,
            "a 2-D array or DataFrame (reshape a single feature with x.reshape(-1, 1))",
            described(f"a {arr.ndim}-D array of shape {arr.shape}"),
            caller,
        )
    if arr.shape[1] == 0:
        fail(
            name,
            "a data set with at least 1 column",
            described(f"shape {arr.shape}"),
            caller,
        )
    return [f"x{j}" for j in range(arr.shape[1])], [arr[:, j] for j in range(arr.shape[1])]


def _check_tables(
    reference: Any, current: Any, caller: str
) -> tuple[list[str], list[npt.NDArray[Any]], list[npt.NDArray[Any]]]:
    rn, rc = _split(reference, "reference", caller)
    cn, cc = _split(current, "current", caller)
    if len(rc) != len(cc):
        fail(
            "current",
            f"a data set with {len(rc)} column(s), like 'reference'",
            described(f"{len(cc)} column(s)"),
            caller,
        )
    if column_names(reference) is not None and column_names(current) is not None and rn != cn:
        fail(
            "current",
            f"the columns of 'reference' {rn[:5]}",
            described(f"columns {cn[:5]}"),
            caller,
        )
    for nm, col in (("reference", rc[0]), ("current", cc[0])):
        if col.shape[0] < 2:
            fail(
                nm,
                "an array with at least 2 sample(s)",
                described(f"{col.shape[0]} sample(s)"),
                caller,
            )
    return rn, rc, cc


def _resolve_tests(tests: Any, names: list[str], kinds: list[str], caller: str) -> list[str]:
    valid = list(FEATURE_TESTS)
    if isinstance(tests, Mapping):
        for key in tests:
            if str(key) not in names:
                fail(
                    "tests",
                    f"a mapping whose keys are column names {names[:5]}",
                    described(f"a key {key!r}"),
                    caller,
                )
        chosen = {str(k): v for k, v in tests.items()}
    else:
        check_option(tests, "tests", ["auto", *valid], caller)
        chosen = {}
    out = []
    for nm, kind in zip(names, kinds, strict=True):
        t = chosen.get(nm, tests if not isinstance(tests, Mapping) else "auto")
        check_option(t, "tests", ["auto", *valid], caller)
        if t == "auto":
            t = "ks" if kind == "numeric" else "chi_square"
        cat_ok = FEATURE_TESTS[t][3]
        if kind == "categorical" and not cat_ok:
            if isinstance(tests, Mapping):
                fail(
                    "tests",
                    f"a test for categorical data for column {nm!r} "
                    "(chi_square, psi, jensen_shannon or hellinger)",
                    t,
                    caller,
                )
            t = "chi_square"
        out.append(t)
    return out


def _kinds(
    names: list[str],
    rc: list[npt.NDArray[Any]],
    cc: list[npt.NDArray[Any]],
    categorical: Any,
    caller: str,
) -> list[str]:
    cat_set: set[str] = set()
    if categorical is not None:
        if isinstance(categorical, str) or not isinstance(categorical, Sequence):
            fail("categorical", "a list of column names or indices", categorical, caller)
        for c in categorical:
            if isinstance(c, int | np.integer) and not isinstance(c, bool):
                if not 0 <= int(c) < len(names):
                    fail("categorical", f"column indices in [0, {len(names)})", c, caller)
                cat_set.add(names[int(c)])
            elif str(c) in names:
                cat_set.add(str(c))
            else:
                fail("categorical", f"column names among {names[:5]}", c, caller)
    kinds = []
    for nm, r, c in zip(names, rc, cc, strict=True):
        if nm in cat_set:
            kinds.append("categorical")
            continue
        kr, kc = _column_kind(r), _column_kind(c)
        if kr != kc:
            bad = "current" if kr == "numeric" else "reference"
            fail(
                bad,
                f"column {nm!r} numeric in both samples (or list it in 'categorical')",
                described(f"non-numeric values (such as strings) in {bad}'s column {nm!r}"),
                caller,
            )
        kinds.append(kr)
    return kinds


def _numeric_matrix(x: Any) -> FloatArray | None:
    """Return the input as a float 2-D array if it is a numeric ndarray, else None."""
    if isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind in "fiu":
        return x.astype(np.float64, copy=False)
    return None


def _finite_matrix(cols: list[npt.NDArray[Any]]) -> FloatArray | None:
    m = np.column_stack([c.astype(np.float64) for c in cols])
    return m if np.isfinite(m).all() else None


def _run(
    test: str,
    ref: npt.NDArray[Any],
    cur: npt.NDArray[Any],
    *,
    alpha: float,
    min_effect: float | None,
    nan_policy: str,
    seed: int,
    caller: str,
    name: str,
) -> DriftResult:
    fn, takes_rng, _, _ = FEATURE_TESTS[test]
    kw: dict[str, Any] = {
        "alpha": alpha,
        "min_effect": min_effect,
        "nan_policy": nan_policy,
    }
    if takes_rng:
        kw["rng"] = seed
    if test in ("psi", "jensen_shannon", "hellinger") and (
        ref.dtype.kind not in "iuf" or cur.dtype.kind not in "iuf"
    ):
        kw["categorical"] = True
    try:
        return fn(ref, cur, **kw)
    except ValueError as exc:  # name the column in the message
        raise type(exc)(f"column {name!r}: {exc}") from exc


def _ks_vectorised(
    names: list[str],
    d: FloatArray,
    n1: int,
    n2: int,
    alpha: float,
    min_effect: float | None,
    cache: dict[Any, Any] | None,
) -> dict[str, DriftResult]:
    d, p = ks_pvalues(d, n1, n2, cache)
    out = {}
    for nm, dj, pj in zip(names, d.tolist(), p.tolist(), strict=True):
        out[nm] = DriftResult(
            statistic=dj,
            p_value=pj,
            drift_detected=_decide(pj, dj, dj, alpha=alpha, threshold=None, min_effect=min_effect),
            effect_size=dj,
            method="ks",
            n_reference=n1,
            n_current=n2,
            alpha=alpha,
            threshold=None,
            min_effect=min_effect,
            details={},
        )
    return out


def _report(
    names: list[str],
    tests: list[str],
    results: dict[str, DriftResult],
    *,
    alpha: float,
    correction: str | None,
    min_effect: float | None,
    n1: int,
    n2: int,
) -> DriftReport:
    with_p = [nm for nm in names if results[nm].p_value is not None]
    adj = adjust_p_values(
        [float(results[nm].p_value) for nm in with_p],  # type: ignore[arg-type]
        correction,
    )
    adjusted: dict[str, float | None] = dict(zip(with_p, adj.tolist(), strict=True))
    lines = []
    for nm, t in zip(names, tests, strict=True):
        r = results[nm]
        a = adjusted.get(nm)
        decision = _decide(
            a,
            r.statistic,
            r.effect_size,
            alpha=alpha,
            threshold=r.threshold,
            min_effect=min_effect,
        )
        lines.append(
            FeatureDrift(
                name=nm,
                test=t,
                statistic=r.statistic,
                p_value=r.p_value,
                adjusted_p_value=a,
                effect_size=r.effect_size,
                drift_detected=decision,
                result=r,
            )
        )
    lines.sort(
        key=lambda f: (
            -f.effect_size if math.isfinite(f.effect_size) else math.inf,
            f.p_value if f.p_value is not None else 1.0,
        )
    )
    return DriftReport(
        features=tuple(lines),
        drift_detected=any(f.drift_detected for f in lines),
        alpha=alpha,
        correction=correction,
        min_effect=min_effect,
        n_reference=n1,
        n_current=n2,
    )


def _seeds(rng: Any, k: int, caller: str) -> list[int]:
    gen = check_rng(rng, "rng", caller)
    return [int(s) for s in gen.integers(0, 2**63 - 1, size=k)]


def _run_all(
    caller: str,
    names: list[str],
    kinds: list[str],
    tests: list[str],
    rc: list[npt.NDArray[Any]],
    cc: list[npt.NDArray[Any]],
    *,
    alpha: float,
    min_effect: float | None,
    nan_policy: str,
    rng: Any,
    fitted_sorted: FloatArray | None = None,
    cache: dict[Any, Any] | None = None,
    matrices: tuple[FloatArray | None, FloatArray | None] = (None, None),
) -> dict[str, DriftResult]:
    if any(FEATURE_TESTS[t][1] for t in tests):
        seeds = _seeds(rng, len(names), caller)
    else:
        if rng is not None:
            check_rng(rng, "rng", caller)  # still validated
        seeds = [0] * len(names)
    results: dict[str, DriftResult] = {}
    ks_idx = [j for j, t in enumerate(tests) if t == "ks" and kinds[j] == "numeric"]
    if ks_idx:
        n1s = {rc[j].shape[0] for j in ks_idx}
        n2s = {cc[j].shape[0] for j in ks_idx}
        ref_full, cur_full = matrices
        every = len(ks_idx) == len(names)
        if cur_full is not None and every:
            cur_m = cur_full if np.isfinite(cur_full).all() else None
        else:
            cur_m = _finite_matrix([cc[j] for j in ks_idx]) if len(n2s) == 1 else None
        if cur_m is not None and len(n1s) == 1:
            d: FloatArray | None
            if fitted_sorted is not None:
                d = ks_statistic_sorted(fitted_sorted, cur_m)
            else:
                if ref_full is not None and every:
                    ref_m = ref_full if np.isfinite(ref_full).all() else None
                else:
                    ref_m = _finite_matrix([rc[j] for j in ks_idx])
                d = None if ref_m is None else ks_statistic_columns(ref_m, cur_m)
            if d is not None:
                const = [
                    names[j]
                    for k, j in enumerate(ks_idx)
                    if d[k] == 0.0 and _constant_pair(rc[j], cc[j])
                ]
                if const:
                    warnings.warn(
                        f"{caller}: columns {const[:5]} are one constant in both "
                        "samples; the test cannot see drift",
                        DegenerateDataWarning,
                        stacklevel=3,
                    )
                results.update(
                    _ks_vectorised(
                        [names[j] for j in ks_idx],
                        d,
                        rc[ks_idx[0]].shape[0],
                        cc[ks_idx[0]].shape[0],
                        alpha,
                        min_effect,
                        cache,
                    )
                )
    for j, nm in enumerate(names):
        if nm in results:
            continue
        r, c = rc[j], cc[j]
        if kinds[j] == "numeric":
            r, c = r.astype(np.float64), c.astype(np.float64)
        results[nm] = _run(
            tests[j],
            r,
            c,
            alpha=alpha,
            min_effect=min_effect,
            nan_policy=nan_policy,
            seed=seeds[j],
            caller=caller,
            name=nm,
        )
    return results


def _constant_pair(r: npt.NDArray[Any], c: npt.NDArray[Any]) -> bool:
    return bool(r.min() == r.max() == c.min() == c.max())


def _check_detect_params(
    caller: str, alpha: Any, correction: Any, min_effect: Any, nan_policy: Any
) -> tuple[float, str | None, float | None, str]:
    a = check_alpha(alpha, "alpha", caller)
    corr = check_option(correction, "correction", CORRECTIONS, caller)
    me = check_optional_nonneg(min_effect, "min_effect", caller)
    pol = check_nan_policy(nan_policy, caller)
    return a, corr, me, pol


def detect(
    reference: Any,
    current: Any,
    *,
    tests: str | Mapping[str, str] = "auto",
    alpha: float = 0.05,
    correction: str | None = "holm",
    min_effect: float | None = None,
    categorical: Sequence[str | int] | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
) -> DriftReport:
    """Test every column of ``current`` against ``reference``; correct and rank.

    Parameters
    ----------
    reference, current : 2-D array-like, pandas DataFrame or dict of columns
        Rows are samples, columns features; the same columns in both. Column
        names of DataFrames and dicts are kept (arrays get ``x0``, ``x1``, ...).
    tests : str or mapping, default="auto"
        ``"auto"``: ``ks`` for numeric columns, ``chi_square`` for categorical
        ones. A test name (``ks``, ``cramer_von_mises``, ``anderson_darling``,
        ``wasserstein``, ``chi_square``, ``psi``, ``jensen_shannon``,
        ``hellinger``) applies to every column it can handle (categorical
        columns fall back to ``chi_square``); a mapping ``{column: name}``
        chooses per column (others ``"auto"``).
    alpha : float, default=0.05
        Level of the whole family of tests (family-wise error for Holm and
        Bonferroni, false discovery rate for ``fdr_bh``).
    correction : {"holm", "bonferroni", "fdr_bh"} or None, default="holm"
        Multiple-testing correction across columns.
    min_effect : float, optional
        A column drifts only if also ``effect_size >= min_effect``.
    categorical : list of column names or indices, optional
        Columns to treat as categorical even if they hold numbers. Columns of
        strings, bools or objects are categorical anyway.
    nan_policy : {"raise", "omit"}, default="raise"
        ``"omit"`` drops missing values column by column.
    rng : int, Generator or None
        Seed for permutation-based tests.

    Returns
    -------
    DriftReport
        Features ranked by effect size, with raw and adjusted p-values.

    Notes
    -----
    For numeric columns tested with KS (the default), all columns are sorted
    and compared in one vectorised pass; the p-values equal
    :func:`scipy.stats.ks_2samp`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import detect
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(size=(1000, 5))
    >>> cur = rng.normal(size=(1000, 5)); cur[:, 3] += 0.3
    >>> detect(ref, cur).drifted
    ['x3']
    """
    caller = "detect"
    a, corr, me, pol = _check_detect_params(caller, alpha, correction, min_effect, nan_policy)
    names, rc, cc = _check_tables(reference, current, caller)
    kinds = _kinds(names, rc, cc, categorical, caller)
    tlist = _resolve_tests(tests, names, kinds, caller)
    results = _run_all(
        caller,
        names,
        kinds,
        tlist,
        rc,
        cc,
        alpha=a,
        min_effect=me,
        nan_policy=pol,
        rng=rng,
        matrices=(_numeric_matrix(reference), _numeric_matrix(current)),
    )
    n1 = max(r.n_reference for r in results.values())
    n2 = max(r.n_current for r in results.values())
    return _report(names, tlist, results, alpha=a, correction=corr, min_effect=me, n1=n1, n2=n2)


# ----------------------------------------------------------------- Reference
@attrs.define(eq=False)
class Reference:
    """A fitted reference data set, for comparing many windows against it.

    Build it with :meth:`fit` (or :meth:`merge` of references fitted on
    partitions); :meth:`compare` returns the same :class:`DriftReport` as
    :func:`detect` on the original reference, faster, because the reference
    columns are validated and sorted once.

    Attributes
    ----------
    names : list of str
        Column names.
    kinds : list of str
        ``"numeric"`` or ``"categorical"`` per column.
    tests : list of str
        The test used per column.
    n_reference : int
        Number of reference rows.

    Notes
    -----
    State kept: every numeric column sorted (NaN dropped) and, for each
    categorical column, the count of every category. This is a sufficient
    statistic for every per-feature test here (they depend on the sample only
    through its sorted values or category counts), so :meth:`merge` is
    **exact**: a reference merged from partitions gives bit-for-bit the
    reports of one fitted on all the rows. Memory is that of the numeric
    data; references pickle.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.drift import Reference
    >>> rng = np.random.default_rng(0)
    >>> ref = Reference.fit(rng.normal(size=(2000, 4)))
    >>> windows = [rng.normal(size=(500, 4)) + [0, 0, 0, s] for s in (0.0, 0.5)]
    >>> [ref.compare(w).drift_detected for w in windows]
    [False, True]
    """

    names: list[str]
    kinds: list[str]
    tests: list[str]
    n_reference: int
    _numeric: list[FloatArray]
    _categories: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]]
    _stack: FloatArray | None = None
    _columns: list[npt.NDArray[Any]] | None = None
    _cache: dict[Any, Any] = attrs.field(factory=dict)
    _frame: bool = False

    @classmethod
    def fit(
        cls,
        X_reference: Any,
        *,
        tests: str | Mapping[str, str] = "auto",
        categorical: Sequence[str | int] | None = None,
        nan_policy: str = "raise",
    ) -> Reference:
        """Fit on a reference data set (2-D array or DataFrame).

        Parameters
        ----------
        X_reference : 2-D array-like or DataFrame
            The reference data.
        tests, categorical : see :func:`detect`
            Fixed at fit time.
        nan_policy : {"raise", "omit"}, default="raise"
            ``"omit"`` drops missing values column by column.

        Returns
        -------
        Reference
        """
        caller = "Reference.fit"
        pol = check_nan_policy(nan_policy, caller)
        names, cols = _split(X_reference, "X_reference", caller)
        if cols[0].shape[0] < 2:
            fail(
                "X_reference",
                "an array with at least 2 sample(s)",
                described(f"{cols[0].shape[0]} sample(s)"),
                caller,
            )
        kinds = _kinds(names, cols, cols, categorical, caller)
        tlist = _resolve_tests(tests, names, kinds, caller)
        numeric: list[FloatArray] = []
        cats: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = []
        from mllifecycle.drift._common import check_pair_categorical

        for nm, kind, col in zip(names, kinds, cols, strict=True):
            if kind == "numeric":
                x = col.astype(np.float64)
                nan = np.isnan(x)
                if nan.any():
                    if pol == "raise":
                        fail(
                            "X_reference",
                            f"free of NaN in column {nm!r} (or pass nan_policy='omit')",
                            described(f"{int(nan.sum())} NaN value(s)"),
                            caller,
                        )
                    x = x[~nan]
                if np.isinf(x).any():
                    fail(
                        "X_reference",
                        f"finite in column {nm!r}",
                        described(f"{int(np.isinf(x).sum())} infinite value(s)"),
                        caller,
                    )
                if x.shape[0] < 2:
                    fail(
                        "X_reference",
                        f"at least 2 values in column {nm!r}",
                        described(f"{x.shape[0]}"),
                        caller,
                    )
                numeric.append(np.sort(x))
            else:
                arr, _ = check_pair_categorical(col, col, caller, pol)
                try:
                    u, c = np.unique(arr, return_counts=True)
                except TypeError:
                    u, c = np.unique(arr.astype(str), return_counts=True)
                cats.append((u, c.astype(np.int64)))
        ref = cls(
            names=names,
            kinds=kinds,
            tests=tlist,
            n_reference=int(cols[0].shape[0]),
            numeric=numeric,
            categories=cats,
            frame=column_names(X_reference) is not None or isinstance(X_reference, Mapping),
        )
        ref._restack()
        return ref

    def _restack(self) -> None:
        ks_num = [
            j
            for j, (k, t) in enumerate(zip(self.kinds, self.tests, strict=True))
            if k == "numeric" and t == "ks"
        ]
        num_pos = self._num_positions()
        lens = {self._numeric[num_pos[j]].shape[0] for j in ks_num}
        if ks_num and len(lens) == 1:
            self._stack = np.ascontiguousarray(
                np.vstack([self._numeric[num_pos[j]] for j in ks_num])
            )
        else:
            self._stack = None
        self._columns = None

    def _num_positions(self) -> dict[int, int]:
        pos, k = {}, 0
        for j, kind in enumerate(self.kinds):
            if kind == "numeric":
                pos[j] = k
                k += 1
        return pos

    def _cat_positions(self) -> dict[int, int]:
        pos, k = {}, 0
        for j, kind in enumerate(self.kinds):
            if kind == "categorical":
                pos[j] = k
                k += 1
        return pos

    def reference_column(self, name: str) -> npt.NDArray[Any]:
        """Return a column's reference sample (sorted values or repeated categories)."""
        j = self.names.index(name)
        if self.kinds[j] == "numeric":
            return self._numeric[self._num_positions()[j]]
        u, c = self._categories[self._cat_positions()[j]]
        return np.repeat(u, c)

    def compare(
        self,
        X_current: Any,
        *,
        alpha: float = 0.05,
        correction: str | None = "holm",
        min_effect: float | None = None,
        nan_policy: str = "raise",
        rng: int | np.random.Generator | None = None,
    ) -> DriftReport:
        """Compare a current window with the reference; same report as :func:`detect`.

        Parameters
        ----------
        X_current : 2-D array-like or DataFrame
            The current window, with the reference's columns.
        alpha, correction, min_effect, nan_policy, rng : see :func:`detect`

        Returns
        -------
        DriftReport
        """
        caller = "Reference.compare"
        if not self.names:
            raise NotFittedError("Reference is empty; build it with Reference.fit(X)")
        a, corr, me, pol = _check_detect_params(caller, alpha, correction, min_effect, nan_policy)
        names, cc = _split(X_current, "X_current", caller)
        if len(cc) != len(self.names):
            fail(
                "X_current",
                f"a data set with {len(self.names)} column(s), like the reference",
                described(f"{len(cc)} column(s)"),
                caller,
            )
        named = column_names(X_current) is not None or isinstance(X_current, Mapping)
        if named and self._frame and names != self.names:
            fail(
                "X_current",
                f"the reference's columns {self.names[:5]}",
                described(f"columns {names[:5]}"),
                caller,
            )
        if cc[0].shape[0] < 2:
            fail(
                "X_current",
                "an array with at least 2 sample(s)",
                described(f"{cc[0].shape[0]} sample(s)"),
                caller,
            )
        cur_mat = _numeric_matrix(X_current)
        for nm, kind, col in zip(self.names, self.kinds, cc, strict=True):
            if cur_mat is None and kind == "numeric" and _column_kind(col) != "numeric":
                fail(
                    "X_current",
                    f"column {nm!r} numeric, as in the reference",
                    described(f"non-numeric values (such as strings) in column {nm!r}"),
                    caller,
                )
        if self._columns is None:
            self._columns = [self.reference_column(nm) for nm in self.names]
        results = _run_all(
            caller,
            self.names,
            self.kinds,
            self.tests,
            self._columns,
            cc,
            alpha=a,
            min_effect=me,
            nan_policy=pol,
            rng=rng,
            fitted_sorted=self._stack,
            cache=self._cache,
            matrices=(None, cur_mat),
        )
        n1 = max(r.n_reference for r in results.values())
        n2 = max(r.n_current for r in results.values())
        return _report(
            self.names,
            self.tests,
            results,
            alpha=a,
            correction=corr,
            min_effect=me,
            n1=n1,
            n2=n2,
        )

    @classmethod
    def merge(cls, references: Sequence[Reference]) -> Reference:
        """Combine references fitted on partitions of one data set (exactly).

        Parameters
        ----------
        references : sequence of Reference
            Fitted on disjoint row partitions, with the same columns and tests
            (e.g. built in parallel with joblib, one per chunk).

        Returns
        -------
        Reference
            Identical to ``Reference.fit`` on all the rows: sorted columns are
            merged and category counts added.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.drift import Reference
        >>> X = np.random.default_rng(0).normal(size=(1000, 3))
        >>> parts = [Reference.fit(X[i::4]) for i in range(4)]
        >>> merged = Reference.merge(parts)
        >>> cur = X[:300] + 0.2
        >>> merged.compare(cur).to_dict() == Reference.fit(X).compare(cur).to_dict()
        True
        """
        caller = "Reference.merge"
        refs = list(references) if isinstance(references, Sequence) else None
        if not refs or not all(isinstance(r, Reference) for r in refs):
            fail(
                "references",
                "a non-empty sequence of fitted Reference objects",
                references,
                caller,
            )
        first = refs[0]
        for r in refs[1:]:
            if (r.names, r.kinds, r.tests) != (first.names, first.kinds, first.tests):
                fail(
                    "references",
                    "references with the same columns, column kinds and tests",
                    described(
                        f"{r.names[:5]} / {r.tests[:5]} vs {first.names[:5]} / {first.tests[:5]}"
                    ),
                    caller,
                )
        numeric = [
            np.sort(np.concatenate([r._numeric[k] for r in refs]), kind="stable")
            for k in range(len(first._numeric))
        ]
        cats = []
        for k in range(len(first._categories)):
            vals = np.concatenate([r._categories[k][0] for r in refs])
            cnts = np.concatenate([r._categories[k][1] for r in refs])
            try:
                u, inv = np.unique(vals, return_inverse=True)
            except TypeError:
                u, inv = np.unique(vals.astype(str), return_inverse=True)
            cats.append(
                (
                    u,
                    np.bincount(inv.ravel(), weights=cnts, minlength=u.shape[0]).astype(np.int64),
                )
            )
        out = cls(
            names=list(first.names),
            kinds=list(first.kinds),
            tests=list(first.tests),
            n_reference=sum(r.n_reference for r in refs),
            numeric=numeric,
            categories=cats,
            frame=first._frame,
        )
        out._restack()
        return out

    def __getstate__(self) -> dict[str, Any]:
        state = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        state["_cache"] = {}
        state["_stack"] = None
        state["_columns"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        fields = {f.name for f in attrs.fields(type(self))}
        for k, v in state.items():
            if k in fields:  # older pickles also held the reference's sort keys
                object.__setattr__(self, k, v)
        self._restack()

    def __repr__(self) -> str:
        n_num = sum(k == "numeric" for k in self.kinds)
        return (
            f"Reference(n_reference={self.n_reference}, n_features={len(self.names)}, "
            f"numeric={n_num}, categorical={len(self.names) - n_num})"
        )
