"""A fitted, mergeable reference data set for monitoring many windows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._validation import check_nan_policy, described, fail
from mllifecycle.drift._columns import (
    column_kind,
    column_names,
    kinds,
    resolve_tests,
    split_table,
)
from mllifecycle.drift._common import FloatArray, check_pair_categorical
from mllifecycle.drift._detect import (
    build_report,
    check_detect_params,
    numeric_matrix,
    run_all,
)
from mllifecycle.drift._result import DriftReport
from mllifecycle.exceptions import NotFittedError

__all__ = ["Reference"]


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
        reference: Any,
        *,
        tests: str | Mapping[str, str] = "auto",
        categorical_features: Sequence[str | int] | None = None,
        nan_policy: str = "raise",
    ) -> Reference:
        """Fit on a reference data set (2-D array or DataFrame).

        Parameters
        ----------
        reference : 2-D array-like, DataFrame or dict of columns
            The reference data (pandas, polars or pyarrow tables accepted).
        tests, categorical_features : see :func:`detect`
            Fixed at fit time.
        nan_policy : {"raise", "omit"}, default="raise"
            ``"omit"`` drops missing values column by column.

        Returns
        -------
        Reference
        """
        caller = "Reference.fit"
        pol = check_nan_policy(nan_policy, caller)
        names, cols = split_table(reference, "reference", caller)
        if cols[0].shape[0] < 2:
            fail(
                "reference",
                "an array with at least 2 sample(s)",
                described(f"{cols[0].shape[0]} sample(s)"),
                caller,
            )
        kind_list = kinds(names, cols, cols, categorical_features, caller)
        tlist = resolve_tests(tests, names, kind_list, caller)
        numeric: list[FloatArray] = []
        cats: list[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = []
        for nm, kind, col in zip(names, kind_list, cols, strict=True):
            if kind == "numeric":
                x = col.astype(np.float64)
                nan = np.isnan(x)
                if nan.any():
                    if pol == "raise":
                        fail(
                            "reference",
                            f"free of NaN in column {nm!r} (or pass nan_policy='omit')",
                            described(f"{int(nan.sum())} NaN value(s)"),
                            caller,
                        )
                    x = x[~nan]
                if np.isinf(x).any():
                    fail(
                        "reference",
                        f"finite in column {nm!r}",
                        described(f"{int(np.isinf(x).sum())} infinite value(s)"),
                        caller,
                    )
                if x.shape[0] < 2:
                    fail(
                        "reference",
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
            kinds=kind_list,
            tests=tlist,
            n_reference=int(cols[0].shape[0]),
            numeric=numeric,
            categories=cats,
            frame=column_names(reference) is not None or isinstance(reference, Mapping),
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
        current : 2-D array-like, DataFrame or dict of columns
            The current window, with the reference's columns.
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
        names, cc = split_table(current, "current", caller)
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
        if cc[0].shape[0] < 2:
            fail(
                "current",
                "an array with at least 2 sample(s)",
                described(f"{cc[0].shape[0]} sample(s)"),
                caller,
            )
        cur_mat = numeric_matrix(current)
        for nm, kind, col in zip(self.names, self.kinds, cc, strict=True):
            if cur_mat is None and kind == "numeric" and column_kind(col) != "numeric":
                fail(
                    "current",
                    f"column {nm!r} numeric, as in the reference",
                    described(f"non-numeric values (such as strings) in column {nm!r}"),
                    caller,
                )
        if self._columns is None:
            self._columns = [self.reference_column(nm) for nm in self.names]
        results = run_all(
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
        return build_report(
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
