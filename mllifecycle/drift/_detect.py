"""Whole-data-set drift detection: a test per column, corrected and ranked."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._multitest import CORRECTIONS, adjust_p_values
from mllifecycle._validation import (
    check_nan_policy,
    check_option,
    check_rng,
)
from mllifecycle.drift._columns import (
    FEATURE_TESTS,
    check_tables,
    column_name,
    column_names,
    declared_categorical,
    kinds,
    resolve_tests,
)
from mllifecycle.drift._common import (
    FloatArray,
    check_level,
    check_optional_nonneg,
    exact_integer_columns,
)
from mllifecycle.drift._ks import (
    ks_pvalues,
    ks_statistic_columns,
    ks_statistic_sorted,
)
from mllifecycle.drift._result import DriftReport, DriftResult, FeatureDrift, _decide
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["detect", "adjust_p_values", "CORRECTIONS", "FEATURE_TESTS"]


def numeric_matrix(x: Any) -> FloatArray | None:
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
    categorical: bool = False,
) -> DriftResult:
    fn, takes_rng, _, _ = FEATURE_TESTS[test]
    kw: dict[str, Any] = {
        "alpha": alpha,
        "min_effect": min_effect,
        "nan_policy": nan_policy,
    }
    if takes_rng:
        kw["rng"] = seed
    # a column declared categorical (categorical_features, a categorical
    # dtype) holding numbers is binned by category, not at quantiles
    if test in ("psi", "jensen_shannon", "hellinger") and (
        categorical or ref.dtype.kind not in "iuf" or cur.dtype.kind not in "iuf"
    ):
        kw["categorical"] = True
    try:
        return fn(ref, cur, **kw)
    except ValueError as exc:  # name the caller's argument and the column
        msg = str(exc).replace(f" parameter of {test} ", f" parameter of {caller} ")
        raise type(exc)(f"{msg} (column {name!r}, test {test})") from exc


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


def build_report(
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
    # a test that could not decide (a NaN p-value, warned about) takes no part
    # in the correction and detects nothing
    undecided = [nm for nm in names if results[nm].p_value is not None
                 and math.isnan(results[nm].p_value)]  # type: ignore[arg-type]
    with_p = [nm for nm in names if results[nm].p_value is not None and nm not in undecided]
    adj = adjust_p_values(
        [float(results[nm].p_value) for nm in with_p],  # type: ignore[arg-type]
        correction,
    )
    adjusted: dict[str, float | None] = dict(zip(with_p, adj.tolist(), strict=True))
    adjusted.update(dict.fromkeys(undecided, math.nan))
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


def run_all(
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
    seeds: list[int] | None = None,
) -> dict[str, DriftResult]:
    if seeds is None:  # else drawn by the caller, one per column of its table
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
            categorical=kinds[j] == "categorical",
        )
    return results


def _constant_pair(r: npt.NDArray[Any], c: npt.NDArray[Any]) -> bool:
    return bool(r.min() == r.max() == c.min() == c.max())


def _width(x: Any) -> int:
    """Return the number of columns of a 2-D collection (0 when it is not 2-D)."""
    shape = getattr(x, "shape", None)
    if shape is not None and len(shape) == 2:
        return int(shape[1])
    return 0


def _keys_as_positions(
    categorical_features: Any, tests: Any, names: list[str], caller: str
) -> tuple[Any, Any]:
    """``categorical_features`` and ``tests`` keys naming ``names`` as positions.

    For a reference without column names (an array) fitted against a named
    current table: the user names the table's columns.
    """
    def pos(key: Any, arg: str) -> Any:
        if isinstance(key, str):
            return names.index(column_name(key, names, arg, caller))
        return key  # a position (or a bad key, refused by the fit)

    if isinstance(categorical_features, Sequence) and not isinstance(categorical_features, str):
        categorical_features = [pos(c, "categorical_features") for c in categorical_features]
    if isinstance(tests, Mapping):
        tests = {pos(k, "tests"): v for k, v in tests.items()}
    return categorical_features, tests


def check_detect_params(
    caller: str, alpha: Any, correction: Any, min_effect: Any, nan_policy: Any
) -> tuple[float, str | None, float | None, str]:
    a = check_level(alpha, caller)
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
    categorical_features: Sequence[str | int] | None = None,
    nan_policy: str = "raise",
    rng: int | np.random.Generator | None = None,
) -> DriftReport:
    """Test every column of ``current`` against ``reference``; correct and rank.

    Parameters
    ----------
    reference, current : 2-D array-like, DataFrame or dict of columns
        Rows are samples, columns features; the same columns in both. pandas,
        polars and pyarrow tables are accepted. Column names of tables and
        dicts are kept (arrays get ``x0``, ``x1``, ...); an array against a
        table (either way round) takes the table's names. Two tables must have
        the same column names in the same order: others are refused, never
        paired by position.
    tests : str or mapping, default="auto"
        ``"auto"``: ``ks`` for numeric columns, ``chi_square`` for categorical
        ones. A test name (``ks``, ``cramer_von_mises``, ``anderson_darling``,
        ``wasserstein``, ``chi_square``, ``psi``, ``jensen_shannon``,
        ``hellinger``) applies to every column it can handle (categorical
        columns fall back to ``chi_square``); a mapping ``{column: name}``
        chooses per column (others ``"auto"``); its keys name columns as
        ``categorical_features`` does.
    alpha : float, default=0.05
        Level of the whole family of tests (family-wise error for Holm and
        Bonferroni, false discovery rate for ``fdr_bh``).
    correction : {"holm", "bonferroni", "fdr_bh"} or None, default="holm"
        Multiple-testing correction across columns.
    min_effect : float, optional
        A column drifts only if also ``effect_size >= min_effect``.
    categorical_features : list of column names or indices, optional
        Columns to treat as categorical even if they hold numbers. Columns of
        strings, bools or objects, and columns typed categorical (pandas
        ``category``, polars ``Categorical``/``Enum``, pyarrow dictionary)
        are categorical anyway; datetime columns
        are tested as numbers (their instants), and refused against a column
        of numbers or durations in the other sample. Column names must be unique
        as text (``1`` and ``"1"`` clash). A string is a column label, an int
        a position (as in scikit-learn); an int that is also the label of a
        column at another position (columns ``[10, 0]``, key ``0``) is
        refused as ambiguous: pass the label as text (``"0"``).
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
    from mllifecycle.drift._dask import is_dask  # Dask itself is imported only if passed

    if is_dask(reference) or is_dask(current):  # profile partitions (see Reference.fit)
        from mllifecycle.drift._dask import declared_categorical_dask, exact_integers
        from mllifecycle.drift._reference import Reference

        check_detect_params(caller, alpha, correction, min_effect, nan_policy)  # named detect
        if rng is not None:  # refused before the partitions are profiled, naming detect
            check_rng(rng, "rng", caller)
        # a column typed categorical in either sample is categorical in both, as
        # in memory (a `category` current against an int reference was refused)
        cur_declared = (
            declared_categorical_dask(current) if is_dask(current)
            else declared_categorical(current)
        )
        ref_cols = getattr(reference, "columns", None) if is_dask(reference) else None
        ref_names = (
            [str(c) for c in ref_cols] if ref_cols is not None else column_names(reference)
        )
        extra: list[Any] = sorted(cur_declared & set(ref_names or ()))
        cur_cols = getattr(current, "columns", None) if is_dask(current) else None
        cur_names = (
            [str(c) for c in cur_cols] if cur_cols is not None
            else [str(k) for k in current] if isinstance(current, Mapping)
            else column_names(current)
        )
        if ref_names is None and cur_names is not None:
            # an array against a table: the table's names, as in memory; the
            # reference is fitted on positions (its columns are x0, x1, ...)
            extra = [j for j, nm in enumerate(cur_names) if nm in cur_declared]
            categorical_features, tests = _keys_as_positions(
                categorical_features, tests, cur_names, caller
            )
        if extra and categorical_features is None:
            categorical_features = extra
        elif extra and isinstance(categorical_features, Sequence) and not isinstance(
            categorical_features, str
        ):
            categorical_features = [*categorical_features, *extra]
        # integers beyond 2**53 shifted alike in both samples, as in memory
        names = ref_names or [f"x{j}" for j in range(_width(reference))]
        if names and _width(current) == len(names):  # else Reference.fit/compare refuse it
            cat_pos = {
                names.index(nm)
                for nm in cur_declared | declared_categorical_dask(reference)
                | declared_categorical(reference)
                if nm in names
            }
            if isinstance(categorical_features, Sequence) and not isinstance(
                categorical_features, str
            ):
                cat_pos |= {
                    names.index(column_name(c, names, "categorical_features", caller))
                    for c in categorical_features
                }
            reference, current = exact_integers(reference, current, cat_pos, caller, names)
        ref = Reference.fit(
            reference, tests=tests, categorical_features=categorical_features, nan_policy=nan_policy
        )
        return ref.compare(
            current, alpha=alpha, correction=correction, min_effect=min_effect,
            nan_policy=nan_policy, rng=rng,
        )  # fmt: skip
    a, corr, me, pol = check_detect_params(caller, alpha, correction, min_effect, nan_policy)
    names, rc, cc = check_tables(reference, current, caller)
    declared = declared_categorical(reference) | declared_categorical(current)
    kind_list = kinds(names, rc, cc, categorical_features, caller, declared)
    tlist = resolve_tests(tests, names, kind_list, caller)
    rc, cc = list(rc), list(cc)
    shifted = exact_integer_columns(names, kind_list, rc, cc, caller)
    results = run_all(
        caller,
        names,
        kind_list,
        tlist,
        rc,
        cc,
        alpha=a,
        min_effect=me,
        nan_policy=pol,
        rng=rng,
        matrices=(None, None)
        if shifted
        else (numeric_matrix(reference), numeric_matrix(current)),
    )
    n1 = max(r.n_reference for r in results.values())
    n2 = max(r.n_current for r in results.values())
    return build_report(
        names, tlist, results, alpha=a, correction=corr, min_effect=me, n1=n1, n2=n2
    )
