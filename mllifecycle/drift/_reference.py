"""A fitted, mergeable reference data set for monitoring many windows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import same_array
from mllifecycle._validation import check_int, check_nan_policy, check_rng, described, fail
from mllifecycle.drift._columns import (
    column_kind,
    column_names,
    declared_categorical,
    kinds,
    non_numeric,
    refuse_mixed_times,
    resolve_tests,
    split_table,
    time_zones,
)
from mllifecycle.drift._common import (
    FloatArray,
    big_integer_columns,
    category_types,
    check_pair_categorical,
    exact_integer_columns,
    integers_and_missing,
    rounded_sides,
    warn_rounded_integers,
)
from mllifecycle.drift._dask import (
    check_collection,
    declared_categorical_dask,
    fit_partitions,
    is_dask,
    materialize,
)
from mllifecycle.drift._detect import (
    _seeds,
    build_report,
    check_detect_params,
    numeric_matrix,
    run_all,
)
from mllifecycle.drift._ks import MAX_EXACT_N, ks_pvalues
from mllifecycle.drift._result import DriftReport, DriftResult, make_result
from mllifecycle.drift._sketch import (
    DEFAULT_CAPACITY,
    QuantileSketch,
    concat_values,
    ks_from_sketches,
    lattice_floor,
)
from mllifecycle.exceptions import NotFittedError

__all__ = ["Reference"]


def _check_sketch(sketch: Any, caller: str) -> int | None:
    if sketch is None or sketch is False:
        return None
    if sketch is True:
        return DEFAULT_CAPACITY
    if isinstance(sketch, bool | np.bool_):
        return DEFAULT_CAPACITY if bool(sketch) else None
    try:
        return check_int(sketch, "sketch", caller=caller, low=64)
    except (TypeError, ValueError):
        fail("sketch", "None, a bool or an int capacity >= 64", sketch, caller)


def _fit(
    cls: type[Reference],
    reference: Any,
    *,
    name: str,
    caller: str,
    tests: Any,
    categorical_features: Any,
    nan_policy: str,
    capacity: int | None,
    min_rows: int,
) -> Reference:
    obj_zones: dict[int, bool] = {}
    times: dict[int, int] = {}
    names, cols = split_table(reference, name, caller, obj_zones, times)
    if cols[0].shape[0] < min_rows:
        fail(
            name,
            f"an array with at least {min_rows} sample(s)",
            described(f"{cols[0].shape[0]} sample(s)"),
            caller,
        )
    kind_list = kinds(
        names, cols, cols, categorical_features, caller, declared_categorical(reference)
    )
    tlist = resolve_tests(tests, names, kind_list, caller)
    if capacity is not None:
        for nm, kind, t in zip(names, kind_list, tlist, strict=True):
            if kind == "numeric" and t != "ks":
                fail(
                    "tests",
                    "'ks' for numeric columns when sketch is set (the other numeric "
                    "tests need every value; pass sketch=False)",
                    described(f"{t!r} for column {nm!r}"),
                    caller,
                )
    # a partition's profile (min_rows 1) may hold a column with fewer than 2
    # values, or none left after nan_policy="omit": the merged profile is checked
    # (a Dask frame whose last partition had 1 row was refused as too small)
    col_min = min_rows if min_rows >= 2 else 0
    numeric: list[npt.NDArray[Any]] = []  # sorted float64, or exact integers
    sketches: list[QuantileSketch] = []
    cats: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = []
    for nm, kind, col in zip(names, kind_list, cols, strict=True):
        if kind == "numeric":
            exact = integers_and_missing(col)
            if exact is not None:
                # integers kept exactly (sorted or sketched): float64 rounds those
                # beyond 2**53, so distinct values tied where detect, which
                # shifts both samples alike, told them apart
                x, nan = exact  # x: the non-missing integers
            else:
                keep = capacity is not None and col.dtype.kind == "f"  # sketch sorts float32
                x = col if keep else col.astype(np.float64)
                nan = np.isnan(x)
            if nan.any():
                if nan_policy == "raise":
                    fail(
                        name,
                        f"free of NaN in column {nm!r} (or pass nan_policy='omit')",
                        # a Dask partition's count, not the column's: say so
                        described(
                            f"{int(nan.sum())} NaN value(s)"
                            + (" in one partition" if min_rows < 2 else "")
                        ),
                        caller,
                    )
                if exact is None:
                    x = x[~nan]
            if exact is None and np.isinf(x).any():
                fail(
                    name,
                    f"finite in column {nm!r}",
                    described(f"{int(np.isinf(x).sum())} infinite value(s)"),
                    caller,
                )
            if x.shape[0] < col_min:
                fail(
                    name,
                    f"at least {col_min} values in column {nm!r}",
                    described(f"{x.shape[0]}"),
                    caller,
                )
            if capacity is None:
                numeric.append(np.sort(x))
            else:
                sketches.append(QuantileSketch.from_values(x, capacity))
        else:
            arr, _ = check_pair_categorical(col, col, caller, nan_policy, col_min)
            try:
                u, c = np.unique(arr, return_counts=True)
            except TypeError:
                u, c = np.unique(arr.astype(str), return_counts=True)
            cats.append((u, c.astype(np.int64)))
    ref = cls(
        names=names,
        kinds=kind_list,
        tests=tlist,
        n_reference=int(cols[0].shape[0]),
        numeric=numeric,
        categories=cats,
        frame=column_names(reference) is not None or isinstance(reference, Mapping),
        sketches=None if capacity is None else sketches,
        capacity=capacity,
        time_zones=[[j, int(a)] for j, a in sorted(time_zones(reference, obj_zones).items())],
        time_kinds=[[j, k] for j, k in sorted(times.items())],
    )
    ref._restack()
    return ref


def _merged_time_kinds(refs: list[Reference], caller: str) -> list[list[int]] | None:
    """Return merged profiles' time kinds; None (unchecked) unless every one records them.

    Refuses a column of datetimes in one profile and of numbers or durations
    in another (the merged profile mixed instants with plain numbers); a
    column that holds no values in a profile (all missing, omitted) takes the
    kind it has elsewhere.
    """
    if any(r._time_kinds is None for r in refs):
        return None
    out: dict[int, tuple[int, int]] = {}  # position -> (time kind, first reference)
    names = {0: "numbers or categories", 1: "datetimes", 2: "durations"}
    for i, r in enumerate(refs):
        have = {p[0]: p[1] for p in r._time_kinds or []}
        for j in range(len(r.names)):
            if _is_empty_column(r, j):
                continue
            k = have.get(j, 0)
            seen = out.setdefault(j, (k, i))
            if seen[0] != k:
                fail(
                    "references",
                    f"references whose column {r.names[j]!r} holds the same kind of "
                    "values in all of them",
                    described(
                        f"{names[seen[0]]} in references[{seen[1]}], {names[k]} in references[{i}]"
                    ),
                    caller,
                )
    return [[j, k] for j, (k, _) in sorted(out.items()) if k]


def _is_empty_column(r: Reference, j: int) -> bool:
    """Whether column ``j`` of a profile holds no values (all missing, omitted)."""
    if r.kinds[j] == "numeric":
        pos = r._num_positions()[j]
        if r._sketches is not None:
            return int(r._sketches[pos].n) == 0
        return int(r._numeric[pos].shape[0]) == 0
    return int(r._categories[r._cat_positions()[j]][1].sum()) == 0


def _with_kind(r: Reference, j: int, kind: str, test: str) -> Reference:
    """Return a copy of profile ``r`` whose empty column ``j`` is of ``kind`` and ``test``."""
    kinds, tests = list(r.kinds), list(r.tests)
    kinds[j], tests[j] = kind, test
    sketched = r._sketches is not None
    num: list[Any] = list(r._sketches if sketched else r._numeric)  # type: ignore[arg-type]
    numeric: list[Any] = []
    cats: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = []
    n_num = n_cat = 0
    for i, old in enumerate(r.kinds):
        if i == j:  # the empty column, in its new kind
            if kind == "numeric":
                numeric.append(
                    QuantileSketch.from_values(np.empty(0), r._capacity) if sketched
                    else np.empty(0)
                )
            else:
                cats.append((np.empty(0, dtype=object), np.empty(0, dtype=np.int64)))
        elif old == "numeric":
            numeric.append(num[n_num])
        else:
            cats.append(r._categories[n_cat])
        n_num += old == "numeric"
        n_cat += old == "categorical"
    return Reference(
        names=list(r.names), kinds=kinds, tests=tests, n_reference=r.n_reference,
        numeric=[] if sketched else numeric, categories=cats, frame=r._frame,
        sketches=numeric if sketched else None, capacity=r._capacity,
        time_zones=r._time_zones,
        time_kinds=r._time_kinds,
    )


def _align_empty_columns(refs: list[Reference]) -> list[Reference]:
    """Give a column that is empty in some profiles the kind it has where it holds values.

    A Dask partition whose object column is all missing (omitted under
    ``nan_policy="omit"``) cannot tell numbers from categories: its profile
    took the column as numeric, and the merge refused the partitions as
    having different column kinds.
    """
    first = refs[0]
    if any(r.names != first.names for r in refs):
        return refs  # merge refuses them
    out = list(refs)
    for j in range(len(first.names)):
        if len({r.kinds[j] for r in out}) < 2:
            continue
        full = [r for r in out if not _is_empty_column(r, j)]
        if not full or len({(r.kinds[j], r.tests[j]) for r in full}) > 1:
            continue  # merge refuses them
        kind, test = full[0].kinds[j], full[0].tests[j]
        out = [
            _with_kind(r, j, kind, test) if r.kinds[j] != kind else r for r in out
        ]
    return out


def fit_partition(
    part: Any,
    *,
    name: str,
    caller: str,
    tests: Any,
    categorical_features: Any,
    nan_policy: str,
    capacity: int | None,
) -> Reference | None:
    """Profile of one partition (None for an empty one); run on a Dask worker."""
    if getattr(part, "shape", (1,))[0] == 0:
        return None
    return _fit(
        Reference,
        part,
        name=name,
        caller=caller,
        tests=tests,
        categorical_features=categorical_features,
        nan_policy=nan_policy,
        capacity=capacity,
        min_rows=1,
    )


def _same_arrays(a: Any, b: Any) -> bool:
    """Equality of two lists of arrays (or None): same kinds of values, same values."""
    if a is None or b is None:
        return a is None and b is None
    return len(a) == len(b) and all(
        np.asarray(x).dtype.kind == np.asarray(y).dtype.kind and same_array(x, y)
        for x, y in zip(a, b, strict=True)
    )


def _same_categories(a: Any, b: Any) -> bool:
    """Equality of two lists of (categories, counts) pairs."""
    return len(a) == len(b) and all(
        _same_arrays(list(x), list(y)) for x, y in zip(a, b, strict=True)
    )


def _same_sketches(a: Any, b: Any) -> bool:
    """Equality of two lists of quantile sketches (or None)."""
    if a is None or b is None:
        return a is None and b is None
    return len(a) == len(b) and all(
        (x.n, x.error, x.capacity) == (y.n, y.error, y.capacity)
        and _same_arrays([x.values, x.weights], [y.values, y.weights])
        for x, y in zip(a, b, strict=True)
    )


@attrs.define(eq=True)
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
    State kept: every numeric column sorted (NaN dropped; integer columns as
    integers, so ids beyond 2**53 stay distinct, as in :func:`detect`) and,
    for each categorical column, the count of every category. This is a sufficient
    statistic for every per-feature test here (they depend on the sample only
    through its sorted values or category counts), so :meth:`merge` is
    **exact**: a reference merged from partitions gives bit-for-bit the
    reports of one fitted on all the rows. Memory is that of the numeric
    data; references pickle. With ``sketch=`` (:meth:`fit`) a numeric column
    is kept as a mergeable quantile sketch of bounded size instead (KS only,
    with a stated error bound and a conservative p-value). Dask DataFrames and
    arrays are profiled partition by partition on the Dask scheduler.
    References compare equal (``==``) when they hold the same columns, tests
    and kept values (a pickled copy equals the original); being mutable
    (caches), they are not hashable.

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
    # sorted: float64, or exact integers
    _numeric: list[npt.NDArray[Any]] = attrs.field(eq=attrs.cmp_using(eq=_same_arrays))
    _categories: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = attrs.field(
        eq=attrs.cmp_using(eq=_same_categories)
    )
    # caches built from the fields above: not part of the value
    _stack: FloatArray | None = attrs.field(default=None, eq=False)
    _columns: list[npt.NDArray[Any]] | None = attrs.field(default=None, eq=False)
    _cache: dict[Any, Any] = attrs.field(factory=dict, eq=False)
    _frame: bool = False
    _sketches: list[QuantileSketch] | None = attrs.field(
        default=None, eq=attrs.cmp_using(eq=_same_sketches)
    )
    _capacity: int | None = None
    # the reference table's datetime columns: [[position, 1 if timezone-aware else 0]]
    _time_zones: list[list[int]] | None = None
    # its datetime and duration columns: [[position, TIME_KINDS code]]
    _time_kinds: list[list[int]] | None = None

    @classmethod
    def fit(
        cls,
        reference: Any,
        *,
        tests: str | Mapping[str, str] = "auto",
        categorical_features: Sequence[str | int] | None = None,
        nan_policy: str = "raise",
        sketch: bool | int | None = None,
    ) -> Reference:
        """Fit on a reference data set (2-D array, DataFrame or Dask collection).

        Parameters
        ----------
        reference : 2-D array-like, DataFrame, dict of columns, Dask DataFrame or Dask array
            The reference data (pandas, polars or pyarrow tables accepted). A
            Dask DataFrame (partitions of pandas, polars or pyarrow) or 2-D
            Dask array is profiled partition by partition on the active Dask
            scheduler and the profiles merged (see :meth:`merge`).
        tests, categorical_features : see :func:`detect`
            Fixed at fit time.
        nan_policy : {"raise", "omit"}, default="raise"
            ``"omit"`` drops missing values column by column.
        sketch : bool, int or None, default=None
            How numeric columns are kept. ``False``: every value, sorted
            (exact; memory of the data). ``True`` or an int ``capacity >= 64``:
            a mergeable quantile sketch of at most ``capacity`` values per
            column (``True``: 65536), bounded memory whatever the number of
            rows, only the ``"ks"`` test on numeric columns, with a
            conservative p-value (see Notes). ``None``: exact for in-memory
            input; for Dask input, a sketch unless ``tests`` names a test
            other than ``"ks"`` (then exact: the data must fit in memory).

        Returns
        -------
        Reference

        Notes
        -----
        The sketch keeps weighted sorted values and an exact count ``error``
        of how far its rank estimates can be from the true ranks (merge and
        prune of Chen & Guestrin, 2016 [1]_); ``eps = error / n`` bounds the
        error of the ECDF it gives everywhere. A column with at most
        ``capacity`` distinct values per partition is kept exactly
        (``eps = 0``). The KS statistic ``D_hat`` read from a sketch is within
        ``eps_ref + eps_cur`` of the exact statistic ``D``; the reported
        p-value is the exact KS p-value at ``D_hat - eps_ref - eps_cur``
        (never smaller than the p-value of ``D``), so the test keeps its level.
        ``details`` holds ``sketch_error`` (the bound) and
        ``statistic_low``/``statistic_high`` (an interval holding ``D``).

        References
        ----------
        .. [1] Chen, T. & Guestrin, C. (2016). XGBoost: a scalable tree
           boosting system. KDD, appendix "Weighted quantile sketch".

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.drift import Reference
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(50_000, 2))
        >>> ref = Reference.fit(X, sketch=1024)
        >>> ref.sketch_error <= 50 / 1024
        True
        >>> report = ref.compare(X[:5000] + [0.0, 0.2])
        >>> report.drifted
        ['x1']
        """
        caller = "Reference.fit"
        pol = check_nan_policy(nan_policy, caller)
        capacity = _check_sketch(sketch, caller)
        if is_dask(reference):
            if sketch is None:
                chosen = [tests] if isinstance(tests, str) else list(dict(tests).values())
                if all(t in ("auto", "ks") for t in chosen):
                    capacity = DEFAULT_CAPACITY
            out = fit_partitions(
                reference,
                name="reference",
                caller=caller,
                tests=tests,
                categorical_features=categorical_features,
                nan_policy=pol,
                capacity=capacity,
            )
            out._check_sizes("reference", caller)
            return out
        return _fit(
            cls,
            reference,
            name="reference",
            caller=caller,
            tests=tests,
            categorical_features=categorical_features,
            nan_policy=pol,
            capacity=capacity,
            min_rows=2,
        )

    @property
    def sketch(self) -> int | None:
        """Capacity of the quantile sketch per numeric column (None: exact)."""
        return None if self._sketches is None else self._capacity

    @property
    def sketch_error(self) -> float:
        """Largest ECDF error bound ``eps`` over the numeric columns (0.0 if exact)."""
        if self._sketches is None:
            return 0.0
        return max((s.eps for s in self._sketches), default=0.0)

    def _check_sizes(self, name: str, caller: str) -> None:
        if self.n_reference < 2:
            fail(
                name,
                "an array with at least 2 sample(s)",
                described(f"{self.n_reference} sample(s)"),
                caller,
            )
        sizes = (
            [s.n for s in self._sketches]
            if self._sketches is not None
            else [x.shape[0] for x in self._numeric]
        )
        nums = [nm for nm, k in zip(self.names, self.kinds, strict=True) if k == "numeric"]
        for nm, m in zip(nums, sizes, strict=True):
            if m < 2:
                fail(name, f"at least 2 values in column {nm!r}", described(f"{m}"), caller)
        cats = [nm for nm, k in zip(self.names, self.kinds, strict=True) if k == "categorical"]
        for nm, (_, cnt) in zip(cats, self._categories, strict=True):
            if int(cnt.sum()) < 2:
                fail(name, f"at least 2 values in column {nm!r}", described(f"{int(cnt.sum())}"),
                     caller)

    def _restack(self) -> None:
        self._stack = None  # built at the first compare (partition profiles never need it)
        self._columns = None

    def _build_stack(self) -> None:
        if self._sketches is not None:
            return
        ks_num = [
            j
            for j, (k, t) in enumerate(zip(self.kinds, self.tests, strict=True))
            if k == "numeric" and t == "ks"
        ]
        num_pos = self._num_positions()
        lens = {self._numeric[num_pos[j]].shape[0] for j in ks_num}
        if ks_num and len(lens) == 1:
            self._stack = np.ascontiguousarray(
                np.vstack([self._numeric[num_pos[j]].astype(np.float64) for j in ks_num])
            )
        else:
            self._stack = None

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
        if not isinstance(name, str) or name not in self.names:
            fail("name", f"a column name among {self.names[:5]}", name,
                 "Reference.reference_column")
        j = self.names.index(name)
        if self.kinds[j] == "numeric":
            if self._sketches is not None:
                fail(
                    "name",
                    "a column of a Reference fitted without a sketch (a sketch keeps no values)",
                    name,
                    "Reference.reference_column",
                )
            return self._numeric[self._num_positions()[j]]
        u, c = self._categories[self._cat_positions()[j]]
        return np.repeat(u, c)

    def compare(
        self,
        current: Any,
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
        current : 2-D array-like, DataFrame, dict of columns, Dask DataFrame or Dask array
            The current window, with the reference's columns (a reference
            fitted on a table refuses a table with other names or order; one
            fitted on an array reports a current table's column names). A Dask
            collection is sketched partition by partition when the reference
            is a sketch, and gathered into memory when it is exact.
        alpha : float, default=0.05
            Significance level of the whole family of tests (see :func:`detect`).
        correction, min_effect, nan_policy, rng : see :func:`detect`

        Returns
        -------
        DriftReport
        """
        caller = "Reference.compare"
        if not self.names:
            raise NotFittedError("Reference is empty; build it with Reference.fit(X)")
        a, corr, me, pol = check_detect_params(caller, alpha, correction, min_effect, nan_policy)
        if is_dask(current):
            if self._sketches is None:
                current = materialize(current, "current", caller)
            else:
                check_collection(current, "current", caller)  # a 1-D array: IndexError
                cols = getattr(current, "columns", None)
                width = len(cols) if cols is not None else int(current.shape[1])
                cur_names = (
                    [str(c) for c in cols] if cols is not None else [f"x{j}" for j in range(width)]
                )
                self._check_columns(cur_names, cols is not None, caller)
                shown = self._shown(cur_names, cols is not None)
                self._check_declared(shown, declared_categorical_dask(current), caller)
                cat = self._categorical_indices()
                cur = fit_partitions(
                    current,
                    name="current",
                    caller=caller,
                    # numeric columns "auto": text in one gives a categorical
                    # profile, refused by kind below (it was refused as "tests
                    # must be a test for categorical data, got 'ks'")
                    tests={cur_names[j]: self.tests[j] for j in cat},
                    categorical_features=[cur_names[j] for j in cat],
                    nan_policy=pol,
                    capacity=self._capacity,
                )
                cur._check_sizes("current", caller)
                # aware against naive times were compared as instants
                self._check_time_zones(
                    {j: bool(z) for j, z in cur._time_zones or []}, caller, shown
                )
                if self._time_kinds is not None and cur._time_kinds is not None:
                    refuse_mixed_times(
                        {p[0]: p[1] for p in self._time_kinds},
                        {p[0]: p[1] for p in cur._time_kinds}, shown, caller,
                        like="the reference",
                    )
                return self._compare_profiles(cur, a, corr, me, rng, caller, shown)
        cur_zones: dict[int, bool] = {}
        cur_times: dict[int, int] = {}
        names, cc = split_table(current, "current", caller, cur_zones, cur_times)
        if len(cc) != len(self.names):
            fail(
                "current",
                f"a data set with {len(self.names)} column(s), like the reference",
                described(f"{len(cc)} column(s)"),
                caller,
            )
        named = column_names(current) is not None or isinstance(current, Mapping)
        if named and self._frame and names != self.names:
            fail(
                "current",
                f"the reference's columns {self.names[:5]}",
                described(f"columns {names[:5]}"),
                caller,
            )
        shown = self._shown(names, named)
        if self._time_kinds is not None:  # instants against numbers or durations
            refuse_mixed_times(
                {p[0]: p[1] for p in self._time_kinds}, cur_times, shown, caller,
                like="the reference",
            )
        self._check_time_zones(time_zones(current, cur_zones), caller, shown)
        if cc[0].shape[0] < 2:
            fail(
                "current",
                "an array with at least 2 sample(s)",
                described(f"{cc[0].shape[0]} sample(s)"),
                caller,
            )
        cur_mat = numeric_matrix(current)
        self._check_declared(shown, declared_categorical(current), caller)
        for nm, kind, col in zip(shown, self.kinds, cc, strict=True):
            if cur_mat is None and kind == "numeric" and column_kind(col) != "numeric":
                fail(
                    "current",
                    f"column {nm!r} numeric, as in the reference",
                    described(f"{non_numeric(col)} in column {nm!r}"),
                    caller,
                )
        if self._sketches is not None:
            cur = _fit(
                Reference,
                current,
                name="current",
                caller=caller,
                tests=dict(zip(names, self.tests, strict=True)),
                categorical_features=[names[j] for j in self._categorical_indices()],
                nan_policy=pol,
                capacity=None,
                min_rows=2,
            )
            return self._compare_profiles(cur, a, corr, me, rng, caller, shown)
        if self._stack is None:
            self._build_stack()
        if self._columns is None:
            self._columns = [self.reference_column(nm) for nm in self.names]
        rc, cc = list(self._columns), list(cc)
        # integer columns beyond 2**53 (kept exactly by fit) shifted alike in
        # both samples, as detect does: float64 made distinct values tie
        shifted = exact_integer_columns(shown, self.kinds, rc, cc, caller)
        results = run_all(
            caller,
            shown,
            self.kinds,
            self.tests,
            rc,
            cc,
            alpha=a,
            min_effect=me,
            nan_policy=pol,
            rng=rng,
            fitted_sorted=None if shifted else self._stack,
            cache=self._cache,
            matrices=(None, None) if shifted else (None, cur_mat),
        )
        n1 = max(r.n_reference for r in results.values())
        n2 = max(r.n_current for r in results.values())
        return build_report(
            shown,
            self.tests,
            results,
            alpha=a,
            correction=corr,
            min_effect=me,
            n1=n1,
            n2=n2,
        )

    def _shown(self, names: list[str], named: bool) -> list[str]:
        """Return the column names a report shows: the reference's, or the current table's.

        A reference fitted on an array has names ``x0``, ``x1``, ...; compared
        with a table (or a mapping), the report shows the table's names, as
        :func:`detect` does for an array against a table.
        """
        return list(names) if named and not self._frame else list(self.names)

    def _check_time_zones(
        self, cz: dict[int, bool], caller: str, names: list[str] | None = None
    ) -> None:
        """Refuse a datetime column aware in one of reference/current and naive in the other.

        ``cz`` is :func:`~mllifecycle.drift._columns.time_zones` of the current data;
        ``names`` the column names to show (default: the reference's).
        """
        shown = self.names if names is None else names
        if self._time_zones is None:
            return
        for j, aware in self._time_zones:
            if j in cz and bool(aware) != cz[j]:
                nm = shown[j]
                if aware:
                    fail("current", f"column {nm!r} timezone-aware, like the reference's "
                         "(localize it, e.g. Series.dt.tz_localize('UTC'))",
                         described(f"a naive datetime column {nm!r}"), caller)
                fail("current", f"column {nm!r} naive, like the reference's (or fit the "
                     "reference on timezone-aware times)",
                     described(f"a timezone-aware datetime column {nm!r}"), caller)

    def _check_declared(self, names: list[str], declared: set[str], caller: str) -> None:
        """Refuse a current column typed categorical where the reference's is numeric."""
        for j, (nm, kind) in enumerate(zip(names, self.kinds, strict=True)):
            if kind == "numeric" and nm in declared:
                key = f"{nm!r}" if nm == self.names[j] else f"position {j}"
                fail(
                    "current",
                    f"column {nm!r} numeric, as in the reference (or fit the reference "
                    f"with {key} in 'categorical_features')",
                    described(f"a categorical-typed column {nm!r}"),
                    caller,
                )

    def _categorical_indices(self) -> list[int]:
        return [j for j, k in enumerate(self.kinds) if k == "categorical"]

    def _check_columns(self, names: list[str], named: bool, caller: str) -> None:
        if len(names) != len(self.names):
            fail(
                "current",
                f"a data set with {len(self.names)} column(s), like the reference",
                described(f"{len(names)} column(s)"),
                caller,
            )
        if named and self._frame and names != self.names:
            fail(
                "current",
                f"the reference's columns {self.names[:5]}",
                described(f"columns {names[:5]}"),
                caller,
            )

    def _compare_profiles(
        self,
        cur: Reference,
        alpha: float,
        correction: str | None,
        min_effect: float | None,
        rng: Any,
        caller: str,
        names: list[str] | None = None,
    ) -> DriftReport:
        """Report from the reference's sketches and the current's profile.

        ``names``: the column names to show (default: the reference's).
        """
        shown = self.names if names is None else names
        for nm, k, ck in zip(shown, self.kinds, cur.kinds, strict=True):
            if k != ck:
                fail(
                    "current",
                    f"column {nm!r} {k}, as in the reference",
                    described(f"a {ck} column"),
                    caller,
                )
        assert self._sketches is not None
        cur_sk = (
            cur._sketches
            if cur._sketches is not None
            else [QuantileSketch.from_values(x, None) for x in cur._numeric]
        )
        results: dict[str, DriftResult] = {}
        num = [j for j, k in enumerate(self.kinds) if k == "numeric"]
        for pos, j in enumerate(num):
            ref_s, cur_s = self._sketches[pos], cur_sk[pos]
            # integers beyond 2**53 against floats are compared as float64
            exact = (
                ref_s.values if ref_s.values.dtype.kind in "iuO" else None,
                cur_s.values if cur_s.values.dtype.kind in "iuO" else None,
            )
            big, floats = rounded_sides((ref_s.values, cur_s.values), exact)
            if big:
                warn_rounded_integers(shown[j], big, floats, caller)
            d_hat, eps = ks_from_sketches(ref_s, cur_s)
            n1, n2 = ref_s.n, cur_s.n
            d_low = max(d_hat - eps, 0.0)
            d_lat, p = ks_pvalues(
                np.array([lattice_floor(d_low, n1, n2, MAX_EXACT_N)]), n1, n2, self._cache
            )
            if eps == 0.0:  # exact: the statistic on the lattice, as the in-memory test
                d_hat = d_low = float(d_lat[0])
            results[shown[j]] = make_result(
                "ks",
                d_hat,
                float(p[0]),
                d_hat,
                n1,
                n2,
                alpha=alpha,
                min_effect=min_effect,
                details={
                    "sketch_error": eps,
                    "statistic_low": d_low,
                    "statistic_high": min(d_hat + eps, 1.0),
                },
            )
        cat = self._categorical_indices()
        if cat:
            # one seed per column, as detect and the exact compare draw them,
            # so that a column's permutation p-value is the same for one rng
            seeds = _seeds(rng, len(shown), caller)
            results.update(
                run_all(
                    caller,
                    [shown[j] for j in cat],
                    ["categorical"] * len(cat),
                    [self.tests[j] for j in cat],
                    [np.repeat(*self._categories[i]) for i in range(len(cat))],
                    [np.repeat(*cur._categories[i]) for i in range(len(cat))],
                    alpha=alpha,
                    min_effect=min_effect,
                    nan_policy="raise",
                    rng=rng,
                    seeds=[seeds[j] for j in cat],
                )
            )
        elif rng is not None:
            check_rng(rng, "rng", caller)
        n1 = max(r.n_reference for r in results.values())
        n2 = max(r.n_current for r in results.values())
        return build_report(
            shown,
            self.tests,
            results,
            alpha=alpha,
            correction=correction,
            min_effect=min_effect,
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
        refs = _align_empty_columns(refs)
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
        zones: dict[int, tuple[int, int]] = {}  # position -> (awareness, first reference)
        for i, r in enumerate(refs):
            for j, aware in r._time_zones or []:
                seen = zones.setdefault(j, (aware, i))
                if seen[0] != aware:  # naive instants would be merged with UTC ones
                    fail(
                        "references",
                        f"references whose datetime column {first.names[j]!r} is "
                        "timezone-aware in all of them or naive in all",
                        described(
                            f"{'aware' if seen[0] else 'naive'} in references[{seen[1]}], "
                            f"{'aware' if aware else 'naive'} in references[{i}]"
                        ),
                        caller,
                    )
        num_cols = [j for j, k in enumerate(first.kinds) if k == "numeric"]
        for k, j in enumerate(num_cols):  # integers beyond 2**53 meeting floats round
            kept = [
                (r._sketches[k].values if r._sketches is not None else r._numeric[k])
                for r in refs
            ]
            big = [f"references[{i}]" for i, v in enumerate(kept) if big_integer_columns(v)]
            floats = [
                f"references[{i}]" for i, v in enumerate(kept)
                if v.shape[0] and v.dtype.kind == "f"
            ]
            if big and floats:
                warn_rounded_integers(first.names[j], big[:3], floats[:3], caller)
        caps = [r._capacity for r in refs if r._sketches is not None and r._capacity is not None]
        capacity = max(caps) if caps else None
        numeric: list[npt.NDArray[Any]] = []
        sketches: list[QuantileSketch] | None = None
        if capacity is None:
            numeric = [
                np.sort(concat_values([r._numeric[k] for r in refs]), kind="stable")
                for k in range(len(first._numeric))
            ]
        else:  # an exact reference joins sketched ones as a sketch
            per_ref = [
                r._sketches
                if r._sketches is not None
                else [QuantileSketch.from_values(x, capacity) for x in r._numeric]
                for r in refs
            ]
            sketches = [
                QuantileSketch.merge([s[k] for s in per_ref]) for k in range(len(per_ref[0]))
            ]
        cats = []
        for k in range(len(first._categories)):
            kinds = {i: set(category_types(r._categories[k][0])) for i, r in enumerate(refs)}
            # the first reference holding values of the column (a partition may hold none)
            base = next((i for i in kinds if kinds[i]), 0)
            odd = next((i for i in kinds if kinds[i] and kinds[i] != kinds[base]), None)
            if odd is not None:  # 1 and "1" were merged into one category
                nm = first.names[first._categorical_indices()[k]]
                fail(
                    "references",
                    f"references whose column {nm!r} holds one kind of category label",
                    described(
                        f"{sorted(kinds[base])[0]} in references[{base}], "
                        f"{sorted(kinds[odd])[0]} in references[{odd}]"
                    ),
                    caller,
                )
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
            sketches=sketches,
            capacity=capacity,
            time_zones=[[j, a] for j, (a, _) in sorted(zones.items())]
            if any(r._time_zones is not None for r in refs)
            else None,
            time_kinds=_merged_time_kinds(refs, caller),
        )
        out._restack()
        return out

    def __getstate__(self) -> dict[str, Any]:
        state = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        state["_cache"] = {}
        state["_stack"] = None
        state["_columns"] = None
        if self._sketches is not None:  # plain arrays and ints (skops trusts them)
            state["_sketches"] = [
                (sk.values, sk.weights, sk.n, sk.error, sk.capacity) for sk in self._sketches
            ]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        fields = {f.name for f in attrs.fields(type(self))}
        object.__setattr__(self, "_sketches", None)  # pickles from before sketches
        object.__setattr__(self, "_capacity", None)
        object.__setattr__(self, "_time_zones", None)  # pickles from before time zones
        object.__setattr__(self, "_time_kinds", None)  # and before time kinds
        for k, v in state.items():
            if k in fields:  # older pickles also held the reference's sort keys
                object.__setattr__(self, k, v)
        if self._sketches is not None:
            self._sketches = [
                sk if isinstance(sk, QuantileSketch) else QuantileSketch(*sk)
                for sk in self._sketches
            ]
        self._restack()

    def __repr__(self) -> str:
        n_num = sum(k == "numeric" for k in self.kinds)
        return (
            f"Reference(n_reference={self.n_reference}, n_features={len(self.names)}, "
            f"numeric={n_num}, categorical={len(self.names) - n_num}"
            + ("" if self._sketches is None else f", sketch={self._capacity}")
            + ")"
        )
